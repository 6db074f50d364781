"""How the safety questions reach the person: the :class:`Prompter` protocol and a terminal one.

Tests pass a scripted prompter; commands and the session runner use :class:`TerminalPrompter`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Protocol, TextIO

from sciatica_cli.safety.pain import PAIN_SCALE

if TYPE_CHECKING:
    from rich.console import Console


class Prompter(Protocol):
    """How the check-ins talk to the person."""

    interactive: bool

    def say(self, text: str, style: str = "") -> None: ...

    def yes_no(self, question: str, default: bool | None = None) -> bool: ...

    def pain(self, question: str) -> int | None: ...

    def ready(self, text: str) -> None: ...

    def text(self, question: str) -> str | None: ...

    def numbers(self, question: str, count: int) -> list[int]: ...

    def choice(self, question: str, options: tuple[str, ...]) -> str: ...


class TerminalPrompter:
    """Questions on a terminal: a yes/no needs y or n; pain takes 0-10 or Enter to skip."""

    def __init__(self, console: Console, stdin: TextIO | None = None) -> None:
        self.console = console
        self._stdin = stdin or sys.stdin
        self.interactive = self._stdin.isatty()

    def say(self, text: str, style: str = "") -> None:
        # markup=False: "[y/n]" and routine text are shown as written, never as Rich tags;
        # off a terminal (a pipe, a screen reader) each message stays one whole line.
        self.console.print(
            text,
            style=style or None,
            markup=False,
            highlight=False,
            soft_wrap=not self.console.is_terminal,
        )

    def _read(self, prompt: str) -> str:
        from rich.text import Text

        self.console.print(Text(prompt + " ", style="bold"), end="")
        line = self._stdin.readline()
        if not line:  # end of input: treat as no answer rather than loop forever
            raise EOFError
        return line.strip().lower()

    def yes_no(self, question: str, default: bool | None = None) -> bool:
        hint = {None: "y/n", True: "Y/n", False: "y/N"}[default]
        while True:
            answer = self._read(f"{question} [{hint}]")
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            if answer == "" and default is not None:
                return default
            self.say("Please answer y or n.", "yellow")

    def ready(self, text: str) -> None:
        """Wait for Enter, so the notes above can be read before the live screen covers them."""
        self._read(text)

    def text(self, question: str) -> str | None:
        """A line of free text, or None when left empty."""
        self.console.print(question + " ", style="bold", end="", markup=False)
        line = self._stdin.readline()
        if not line:
            raise EOFError
        return line.strip() or None

    def numbers(self, question: str, count: int) -> list[int]:
        """One or more of the numbers 1 to ``count``, separated by spaces or commas."""
        while True:
            words = self._read(question).replace(",", " ").split()
            if words and all(w.isdigit() and 1 <= int(w) <= count for w in words):
                return sorted({int(w) for w in words})
            self.say(f"Please type one or more numbers from 1 to {count}, like: 1 3", "yellow")

    def choice(self, question: str, options: tuple[str, ...]) -> str:
        """One of ``options``, by its name or its first letter."""
        hint = "/".join(options)
        while True:
            answer = self._read(f"{question} [{hint}]")
            for option in options:
                if answer in (option, option[:1]):
                    return option
            self.say(f"Please answer {', '.join(options[:-1])} or {options[-1]}.", "yellow")

    def pain(self, question: str) -> int | None:
        while True:
            answer = self._read(f"{question} ({PAIN_SCALE}; Enter to skip)")
            if answer == "":
                return None
            if answer.isdigit() and 0 <= int(answer) <= 10:
                return int(answer)
            self.say("Please type a whole number from 0 to 10, or press Enter to skip.", "yellow")
