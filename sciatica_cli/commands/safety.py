"""``sciatica safety ...``: the warning-sign screen, the health-condition questions, and what
is asked before every session (the affected side, one pain score or two)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from sciatica_cli import DISCLAIMER
from sciatica_cli.commands._complete import sides
from sciatica_cli.commands._options import open_console
from sciatica_cli.errors import ExitCode

if TYPE_CHECKING:
    from sciatica_cli.safety.prompter import TerminalPrompter

app = typer.Typer(
    help="Warning-sign questions and health conditions, asked before sessions.",
    no_args_is_help=True,
    epilog=DISCLAIMER,
)


def _prompter() -> TerminalPrompter:
    from sciatica_cli.errors import UsageError
    from sciatica_cli.safety.prompter import TerminalPrompter

    if not sys.stdin.isatty():
        raise UsageError("these questions need a terminal to answer them")
    return TerminalPrompter(open_console())


@app.command()
def screen(
    assessed: Annotated[
        bool,
        typer.Option(
            "--assessed",
            help="You have been assessed by a clinician for the warning signs you report.",
        ),
    ] = False,
) -> None:
    """Answer the warning-sign questions now (they are also asked every 7 days).

    Exit code 3 when an answer means no session until you have seen a doctor.
    """
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.safety.screening import screen_now

    prompter = _prompter()
    with opened() as store:
        verdict = screen_now(prompter, store, assessed=assessed)
    if not verdict.go:
        raise typer.Exit(ExitCode.SAFETY)
    prompter.say("No warning signs. Your answers are kept with today's date.", "green")


@app.command()
def conditions() -> None:
    """Answer the health-condition questions again (first asked before your first session)."""
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.safety.screening import conditions_now

    prompter = _prompter()
    with opened() as store:
        verdict = conditions_now(prompter, store)
    if not verdict.go:
        raise typer.Exit(ExitCode.SAFETY)
    prompter.say("Saved. These notes are shown before every session.", "green")


class SideChoice(str, Enum):
    left = "left"
    right = "right"
    both = "both"


@app.command()
def side(
    choice: Annotated[
        SideChoice | None,
        typer.Argument(
            metavar="[left|right|both]",
            show_default=False,
            help="Your affected side.",
            autocompletion=sides,
        ),
    ] = None,
) -> None:
    """Show or set your affected side: one-sided steps use it, two-sided ones start with it."""
    from sciatica_cli.config import load_settings, remember

    settings = remember({"side": choice.value}) if choice else load_settings()
    if settings.side is None:
        typer.echo("Your affected side is not set yet: sciatica safety side left|right|both")
        return
    typer.echo(f"Your affected side: {settings.side}.")


class ScoresChoice(str, Enum):
    one = "one"
    two = "two"


@app.command()
def scores(
    choice: Annotated[
        ScoresChoice | None,
        typer.Argument(
            metavar="[one|two]",
            show_default=False,
            help="one: a single pain score; two: leg pain and back pain, each on its own.",
        ),
    ] = None,
) -> None:
    """Show or set your pain scores: one, or leg pain and back pain each on its own.

    In sciatica the leg pain is the main one to watch. With two, every pain question asks
    both, and each is judged on its own. Sessions already recorded keep the scores they had.
    """
    from sciatica_cli.config import load_settings, remember

    settings = remember({"pain_scores": choice.value}) if choice else load_settings()
    if settings.pain_scores is None:
        typer.echo(
            "Your pain scores are not set yet (you are asked before your first session): "
            "sciatica safety scores one|two"
        )
    elif settings.pain_scores == "two":
        typer.echo("Your pain scores: two, leg pain and back pain, each on its own.")
    else:
        typer.echo("Your pain scores: one pain score.")
