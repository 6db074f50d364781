"""The root command. It registers the command groups and is the one place where errors and
Ctrl-C become messages and exit codes (tracebacks only with SCIATICA_DEBUG=1)."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sciatica_cli import DISCLAIMER, __version__, paths
from sciatica_cli.commands import checkin, history, remind, routine, safety, today
from sciatica_cli.errors import ExitCode, InvalidRoutine, SciaticaError

DEBUG_ENV = "SCIATICA_DEBUG"
_FIRST_RUN_MARK = ".disclaimer-shown"


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


class SciaticaGroup(TyperGroup):
    """Turns domain errors into one clear message and their exit code."""

    def invoke(self, ctx: Any) -> Any:  # click's Context; Typer keeps click private
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except SciaticaError as err:
            if _debug():
                raise
            _report(err)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("\nInterrupted.", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except EOFError:  # Ctrl-D (or closed input) at a question: no answer, so stop
            typer.echo("\nNo answer given; stopped.", err=True)
            raise typer.Exit(1) from None
        except OSError as err:
            if err.errno in (errno.EPIPE, errno.EIO) and not _debug():
                # The reader left ('| head') or the terminal closed: nobody to tell, so no
                # message; the shell's codes for SIGPIPE and SIGHUP.
                _silence_output()
                raise typer.Exit(141 if err.errno == errno.EPIPE else 129) from None
            if _debug():
                raise
            # The machine said no (permissions, a full disk): not a bug, and nothing to trace.
            where = f"{err.filename}: " if err.filename else ""
            typer.echo(f"Error: {where}{err.strerror or err}", err=True)
            raise typer.Exit(1) from None
        except Exception as err:
            if _debug():
                raise
            typer.echo(
                f"Error: unexpected {type(err).__name__}: {err}\nThis is a bug in sciatica. "
                f"Run again with {DEBUG_ENV}=1 to see the details, and please report it.",
                err=True,
            )
            raise typer.Exit(ExitCode.BUG) from None


def _silence_output() -> None:
    from sciatica_cli.session.loop import silence_output

    silence_output()


def _report(err: SciaticaError) -> None:
    if isinstance(err, InvalidRoutine):
        for problem in err.problems:
            typer.echo(str(problem), err=True)
        return
    typer.echo(f"Error: {err.message}", err=True)


app = typer.Typer(
    cls=SciaticaGroup,
    name="sciatica",
    help=(
        "A self-massage companion for sciatica: routines to follow, check and make your own. "
        "Run 'sciatica' alone to see today: what is due and the command to run next."
    ),
    epilog=DISCLAIMER,
    invoke_without_command=True,  # `sciatica` alone shows the today view
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(routine.app, name="routine")
app.add_typer(history.app, name="history")
app.command("checkin")(checkin.checkin)
app.add_typer(safety.app, name="safety")
app.command("remind")(remind.remind)
app.command("today")(today.today)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"sciatica {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """With no command, shows today: a check-in due, this week, the dose and what to run next."""
    _first_run_disclaimer()
    if ctx.invoked_subcommand is None:
        today.today()


def _first_run_disclaimer() -> None:
    """SAFETY.md 1: the disclaimer is shown on the first run (and in --help and the README)."""
    mark = paths.config_dir() / _FIRST_RUN_MARK
    if mark.exists():
        return
    typer.echo(f"{DISCLAIMER}\n", err=True)
    try:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    except OSError:
        pass  # a read-only config dir: show it again next time rather than fail


def _usable_streams() -> None:
    """A closed standard stream (``<&-``, ``>&-``) becomes /dev/null: no terminal, no answers,
    output dropped, instead of a crash on the first read or write."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        stream = getattr(sys, name)
        try:
            usable = stream is not None and not stream.closed and stream.fileno() >= 0
        except (OSError, ValueError):
            usable = False
        if not usable:
            setattr(sys, name, Path(os.devnull).open(mode, encoding="utf-8"))  # noqa: SIM115


def main() -> None:
    """Console-script entry point."""
    _usable_streams()
    app(prog_name="sciatica")
