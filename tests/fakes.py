"""Fakes for driving a whole session in-process: a clock that only moves when keys are waited
for, scripted keys, a sound that records, a terminal stdin that answers from a list, and a
pytest helper that runs ``sciatica routine start`` with them in a few milliseconds."""

from __future__ import annotations

import io
import re
import signal
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from sciatica_cli.session import runner, terminal
from sciatica_cli.session.clock import Clock, FakeClock, ScaledClock
from sciatica_cli.session.devices import Devices
from sciatica_cli.session.displays import LiveDisplay, PlainDisplay
from sciatica_cli.session.screen import Screen
from sciatica_cli.session.signals import Terminated
from sciatica_cli.session.writer import JournalWriter

if TYPE_CHECKING:
    import pytest

    from sciatica_cli.routines.planner import Plan
    from sciatica_cli.safety.prompter import Prompter
    from sciatica_cli.session.options import StartOptions

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\a]*\a|\x1b[()][A-Z0-9]|\x1b[=>78]")
_SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGHUP": getattr(signal, "SIGHUP", 1)}


class ScriptedKeys:
    """Keys pressed at set routine times (seconds of the routine, so ``--speed`` does not
    change them). Waiting moves the fake clock on, so no test ever sleeps.

    ``"ctrl-c"`` raises KeyboardInterrupt and ``"SIGTERM"``/``"SIGHUP"`` raise Terminated, as
    the real ones do in the main thread."""

    def __init__(
        self,
        clock: FakeClock,
        script: Sequence[tuple[float, str]],
        speed: float = 1.0,
        writers: list[JournalWriter] | None = None,
    ) -> None:
        self.clock = clock
        self.writers = writers if writers is not None else []
        self.origin = clock.now()
        self.script = sorted(((at / speed, key) for at, key in script), key=lambda i: i[0])
        self.waits: list[float] = []

    def get(self, timeout: float) -> str | None:
        self.waits.append(timeout)
        for writer in self.writers:  # as real time would: the journal writer catches up
            writer.wait_written(5.0)
        if self.script and self.origin + self.script[0][0] <= self.clock.now() + timeout:
            at, key = self.script.pop(0)
            self.clock.time = max(self.clock.time, self.origin + at)
            if key == "ctrl-c":
                raise KeyboardInterrupt
            if key in _SIGNALS:
                raise Terminated(int(_SIGNALS[key]))
            return key
        # At least a nanosecond: a scaled clock's tiny waits must not vanish in float rounding.
        self.clock.advance(max(timeout, 1e-9))
        return None


@dataclass
class RecordingSound:
    """Counts bells and keeps every spoken cue."""

    rings: int = 0
    said: list[str] = field(default_factory=list)

    def ring(self) -> None:
        self.rings += 1

    def say(self, text: str) -> None:
        self.said.append(text)


class TtyInput(io.StringIO):
    """A terminal's standard input that types ``answers``, one per line."""

    def __init__(self, answers: Sequence[str]) -> None:
        super().__init__("".join(f"{a}\n" for a in answers))

    def isatty(self) -> bool:
        return True


def visible(text: str) -> str:
    """What a person would see of ``text``: escape sequences removed."""
    return ANSI.sub("", text)


@dataclass
class Driven:
    """What a driven session showed and heard."""

    screen: io.StringIO = field(default_factory=io.StringIO)
    sound: RecordingSound = field(default_factory=RecordingSound)
    keys: ScriptedKeys | None = None

    @property
    def frames(self) -> str:
        return visible(self.screen.getvalue())


@contextmanager
def fake_terminal(
    monkeypatch: pytest.MonkeyPatch,
    *,
    keys: Sequence[tuple[float, str]] = (),
    answers: Sequence[str] | None = None,
    live: bool = True,
    width: int = 80,
    height: int = 30,
) -> Iterator[Driven]:
    """Make ``routine start`` (in this process) play on a fake clock with scripted keys.

    With ``live`` the real live screen draws into ``Driven.screen``; otherwise the plain
    display writes to the command's standard output. With ``answers`` the questions are
    asked as on a terminal and answered from the list; without, there is no terminal to ask
    (as in a pipe).
    """
    driven = Driven()
    writers: list[JournalWriter] = []

    class TrackedWriter(JournalWriter):
        def __init__(self, journal: Path) -> None:
            super().__init__(journal)
            writers.append(self)

    @contextmanager
    def devices(
        plan: Plan, notes: Mapping[int, str], options: StartOptions, console: Console
    ) -> Iterator[Devices]:
        base = FakeClock()
        clock: Clock = base if not options.preview else ScaledClock(base, options.speed)
        driven.keys = ScriptedKeys(base, keys, options.speed, writers)
        if live:
            screen_console = Console(
                file=driven.screen, force_terminal=True, width=width, height=height
            )
            with Screen(screen_console, speed=options.speed, clock=base.now) as screen:
                yield Devices(clock, driven.keys, driven.sound, LiveDisplay(screen, notes))
        else:
            # The command's stdout; with scripted keys, as with a keyboard in a terminal.
            display = PlainDisplay(console.file, plan, options.speed, notes, keys=bool(keys))
            yield Devices(clock, driven.keys, driven.sound, display)

    def prompter(console: Console) -> Prompter:
        from sciatica_cli.safety.prompter import TerminalPrompter

        if answers is None:
            return TerminalPrompter(console, stdin=io.StringIO(""))
        return TerminalPrompter(console, stdin=TtyInput(answers))

    monkeypatch.setattr(runner, "JournalWriter", TrackedWriter)
    monkeypatch.setattr(terminal, "terminal_devices", devices)
    monkeypatch.setattr(terminal, "terminal_prompter", prompter)
    yield driven


# A first session in a terminal, all well: no to each warning-sign list and to the conditions,
# the affected side, one pain score, pain before, Enter to begin. Then pain after and no note.
FIRST_SESSION = ("n", "n", "n", "right", "one", "5", "")
AFTER_SESSION = ("2", "")


def screened(home: Path, *, side: str | None = "right", pain_scores: str | None = "one") -> None:
    """A journal whose warning-sign screen and conditions were answered today (all no), and
    a remembered affected side and number of pain scores, as after a first session in a
    terminal."""
    from sciatica_cli.config import remember
    from sciatica_cli.journal.store import SessionStore

    with SessionStore.open(home / "journal.db") as store:
        store.record_screen({}, result="clear", assessed=False)
        store.record_contraindications({})
    if side is not None:
        remember({"side": side})
    if pain_scores is not None:
        remember({"pain_scores": pain_scores})
