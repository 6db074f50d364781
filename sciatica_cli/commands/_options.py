"""What the command groups share: option aliases, the console and JSON output."""

from __future__ import annotations

import errno
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file.", show_default=False)
]


def pain_score(*names: str, help: str) -> Any:
    """A 0 to 10 pain score option (SAFETY.md 4's scale), e.g. ``--pain`` or ``--back``."""
    return typer.Option(*names, min=0, max=10, show_default=False, help=help)


def finite(value: float | None) -> float | None:
    """A number option's check: NaN and infinities are usage errors, not numbers."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number")
    return value


def open_console() -> Console:
    """The terminal as Rich sees it (NO_COLOR, width and pipes are honoured by Rich itself)."""
    from rich.console import Console

    class PipeAwareConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 when the reader leaves ('| head'); raising lets cli.py's error
            # boundary give the shell's code for SIGPIPE, 141, as a session already does.
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return PipeAwareConsole(highlight=False)


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout, non-ASCII kept as is."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def say(message: str) -> None:
    """A message for the person, on stderr, so stdout stays clean for data."""
    typer.echo(message, err=True)


def write_output(output: Path, text: str) -> None:
    """Write ``text`` to ``output`` atomically and say so on stderr."""
    from sciatica_cli.fsutil import atomic_write_text

    atomic_write_text(output, text)
    say(f"Wrote {output}.")
