"""``sciatica routine ...``: list, show, start, validate, new, edit, schema and import.

Each command parses, calls the core and renders. Heavy modules (pydantic, yaml, rich) are
imported inside the commands that need them, to keep start-up fast.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sciatica_cli import DISCLAIMER, paths
from sciatica_cli.commands._complete import routine_names, sides
from sciatica_cli.commands._options import (
    JsonFlag,
    finite,
    open_console,
    pain_score,
    print_json,
    say,
)

if TYPE_CHECKING:
    from sciatica_cli.routines.library import Catalog

app = typer.Typer(
    help="List, show, check, create and edit routines.",
    no_args_is_help=True,
    epilog=DISCLAIMER,
)


class SideChoice(str, Enum):
    left = "left"
    right = "right"
    both = "both"


Name = Annotated[
    str,
    typer.Argument(
        help="A routine name, as 'sciatica routine list' shows.",
        metavar="NAME",
        show_default=False,
        autocompletion=routine_names,
    ),
]
Minutes = Annotated[
    float | None,
    typer.Option(
        "--minutes",
        min=1,
        max=240,
        callback=finite,
        help="Fit the routine into this many minutes by scaling ranged steps.",
    ),
]
Side = Annotated[
    SideChoice | None,
    typer.Option(
        "--side",
        help="Your affected side (remembered): steps for it use it, two-sided ones start on it.",
        autocompletion=sides,
    ),
]


def _catalog() -> Catalog:
    from sciatica_cli.routines.library import scan

    return scan(paths.builtin_routines_dir(), paths.user_routines_dir())


def _ask(question: str, default: bool) -> bool:
    # Never wait on a pipe or CI: without a terminal, take the default and say so.
    if not sys.stdin.isatty():
        say(f"{question} {'Yes' if default else 'No'} (no terminal to ask).")
        return default
    return typer.confirm(question, default=default, err=True)


@app.command("list")
def list_routines(as_json: JsonFlag = False) -> None:
    """List every routine: built-in and your own, with areas, time and source."""
    from dataclasses import asdict

    from sciatica_cli.routines.listing import CACHE_NAME, cached_summaries

    catalog = _catalog()
    rows = cached_summaries(catalog, paths.cache_dir() / CACHE_NAME)
    if as_json:
        strays = [{"path": p.path, "error": str(p)} for p in catalog.strays]
        print_json({"routines": [asdict(row) for row in rows], "unreadable": strays})
        return
    from rich.text import Text

    from sciatica_cli.routines.views import broken_files, routine_table, shown

    console = open_console()
    plain = console.options.ascii_only  # not UTF-8 (LANG=C, PYTHONIOENCODING=ascii)
    console.print(routine_table(rows, console.width, ascii_only=plain))
    broken = broken_files(rows, catalog.strays, ascii_only=plain)
    if broken is not None:
        console.print(broken)
    folder = shown(str(paths.user_routines_dir()), plain)
    console.print(Text(f"\nYour routines live in {folder}", style="dim"))


@app.command()
def show(name: Name, as_json: JsonFlag = False, minutes: Minutes = None, side: Side = None) -> None:
    """Show a routine's plan: every step and side in order, with cues, warnings and the total.

    The plan is at the dose your next session would use (from your journal), and says why."""
    from sciatica_cli.config import load_settings
    from sciatica_cli.journal.dose import journal_dose
    from sciatica_cli.journal.opening import journal_path
    from sciatica_cli.routines.listing import CACHE_NAME, load_expanded
    from sciatica_cli.routines.planner import affected_side, total_range
    from sciatica_cli.routines.views import plan_json, plan_view
    from sciatica_cli.session.before import dose_plan
    from sciatica_cli.wallclock import utc_now

    settings = load_settings()  # the remembered side and voice, as a session would use them
    chosen = side.value if side else settings.side
    expanded = load_expanded(_catalog(), name, paths.cache_dir() / CACHE_NAME)
    dose = journal_dose(expanded, now=utc_now(), path=journal_path())
    plan, sentence = dose_plan(expanded, dose, minutes=minutes, side=chosen, voice=settings.voice)
    low, mid, high = total_range(expanded, side=affected_side(chosen), voice=settings.voice)
    seconds = {"min": low, "default": mid, "max": high}
    if as_json:
        print_json(plan_json(plan, seconds, {**dose.as_json(), "sentence": sentence}))
    else:
        console = open_console()
        plain = console.options.ascii_only  # not UTF-8 (LANG=C, PYTHONIOENCODING=ascii)
        console.print(plan_view(plan, seconds, console.width, ascii_only=plain, dose=sentence))


@app.command()
def start(
    name: Annotated[
        str,
        typer.Argument(
            metavar="[NAME]", help="The routine to follow.", autocompletion=routine_names
        ),
    ] = "full",
    minutes: Minutes = None,
    side: Side = None,
    voice: Annotated[
        bool | None,
        typer.Option(
            "--voice/--no-voice",
            show_default=False,
            help="Speak step titles, side switches and cues. Remembered.",
        ),
    ] = None,
    bell: Annotated[
        bool | None,
        typer.Option(
            "--bell/--no-bell",
            show_default=False,
            help="Ring the terminal bell at changes and the last 3 seconds. Remembered.",
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            min=0.1,
            max=1000,
            callback=finite,
            help="Play X times faster to preview a routine; never recorded as a real session.",
        ),
    ] = 1.0,
    pain_before: Annotated[
        int | None,
        pain_score("--pain-before", help="Your pain now, 0 to 10, instead of being asked."),
    ] = None,
    back_pain_before: Annotated[
        int | None,
        pain_score(
            "--back-pain-before",
            help="With leg and back pain scored apart (sciatica safety scores): your back "
            "pain now.",
        ),
    ] = None,
    assessed: Annotated[
        bool,
        typer.Option(
            "--assessed",
            help="You have been assessed by a clinician for the warning signs you reported.",
        ),
    ] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not record this session in the journal.")
    ] = False,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="One line per step and cue, no live screen or keys (screen readers, pipes).",
        ),
    ] = False,
) -> None:
    """Start a guided session (default: the full routine).

    Keys: space pause, n next, b back, q quit, ! stop for sharp pain. Exit codes: 0 completed,
    1 stopped early, 3 stopped for pain or a warning sign, 130 Ctrl-C.
    """
    from sciatica_cli.config import remember
    from sciatica_cli.routines.planner import affected_side
    from sciatica_cli.session.options import StartOptions
    from sciatica_cli.session.terminal import start as start_session

    chosen = {k: v for k, v in (("voice", voice), ("bell", bell)) if v is not None}
    settings = remember(chosen)
    options = StartOptions(
        name,
        minutes,
        affected_side(side.value) if side else None,
        settings.voice,
        settings.bell,
        speed,
        pain_before,
        back_pain_before,
        assessed,
        not no_history,
        plain,
    )
    raise typer.Exit(start_session(options, open_console()))


@app.command()
def validate(
    targets: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files, folders or routine names to check; none checks every routine found.",
            metavar="[TARGET]...",
            show_default=False,
            autocompletion=routine_names,  # files and folders: the shell's own completion
        ),
    ] = None,
) -> None:
    """Check routine files and print every problem as PATH:LINE:COL: message."""
    from sciatica_cli.routines.validation import validate_all, validate_paths
    from sciatica_cli.text import visible

    catalog = _catalog()
    report = validate_paths(catalog, targets) if targets else validate_all(catalog)
    for problem in [*report.problems, *report.warnings]:
        say(visible(str(problem)))
    if report.checked == 0:
        raise typer.BadParameter("no .yaml routine files found there", param_hint="TARGETS")
    if report.invalid:
        say(report.summary())
        raise typer.Exit(1)
    typer.echo(report.summary())


@app.command()
def new(
    name: Annotated[
        str,
        typer.Argument(
            help="The new routine's name (lowercase, hyphens).", metavar="NAME", show_default=False
        ),
    ],
    template: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start from a copy of this routine.",
            show_default=False,
            autocompletion=routine_names,
        ),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit/--no-edit", help="Open the new file in your editor.")
    ] = True,
) -> None:
    """Create a routine file in your routines folder, then open it in your editor."""
    from sciatica_cli.routines.editing import create_routine, edit_routine

    folder = paths.user_routines_dir()
    catalog = _catalog()
    path = create_routine(catalog, folder, name, template)
    say(f"Created {path}.")
    if edit:
        edit_routine(_catalog(), folder, name, _ask, say)


@app.command()
def edit(name: Name) -> None:
    """Edit a routine in $VISUAL or $EDITOR; it is saved only if it is valid."""
    from sciatica_cli.routines.editing import edit_routine

    edit_routine(_catalog(), paths.user_routines_dir(), name, _ask, say)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.", show_default=False)
    ] = None,
) -> None:
    """Print the JSON Schema of routine files, for editors and other tools."""
    from sciatica_cli.routines.models import routine_json_schema

    text = json.dumps(routine_json_schema(), indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    from sciatica_cli.fsutil import atomic_write_text

    try:
        atomic_write_text(output, text)
    except OSError as err:
        from sciatica_cli.errors import SciaticaError

        raise SciaticaError(f"cannot write {output}: {err.strerror}") from None
    say(f"Wrote {output}.")


@app.command("import")
def import_routine(
    source: Annotated[
        str,
        typer.Argument(
            help="A routine file, or an https:// address to download it from.",
            metavar="FILE|URL",
            show_default=False,
        ),
    ],
    as_name: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Save it under this name instead of its own (its 'name:' is changed to match).",
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add a routine someone else wrote (a file or an https:// address) to your routines.

    It is checked first and saved only if it is valid, with a comment at the top saying where
    it came from and when. A routine of the same name is replaced only if you say so.
    """
    from sciatica_cli.routines.importing import import_source
    from sciatica_cli.text import visible

    ask = _ask if sys.stdin.isatty() else None  # without a terminal, never replace
    found = import_source(_catalog(), paths.user_routines_dir(), source, new_name=as_name, ask=ask)
    for warning in found.warnings:
        say(visible(str(warning)))
    say(f"Imported {found.name} to {found.path}.")
    if found.replaced == "built-in":
        say(f"It overrides the built-in {found.name}, which stays as it is in sciatica.")
    say(found.summary())
