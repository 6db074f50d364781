"""``sciatica history ...``: the journal of sessions and pain, its figures and exports."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time, tzinfo
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from sciatica_cli import DISCLAIMER
from sciatica_cli.commands._complete import session_numbers
from sciatica_cli.commands._options import JsonFlag, Output, open_console, write_output
from sciatica_cli.errors import SciaticaError, UsageError

app = typer.Typer(
    help="Your journal: past sessions, progress, notes, an export and a report for a clinician.",
    epilog=DISCLAIMER,
)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


@app.callback(invoke_without_command=True)
def history(
    ctx: typer.Context,
    routine: Annotated[str | None, typer.Option(help="Only this routine's sessions.")] = None,
    since: Annotated[str | None, typer.Option(metavar="DATE", help="From this date on.")] = None,
    limit: Annotated[int, typer.Option(min=0, help="How many, newest first; 0 for all.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """List your sessions, newest first. Previews and interrupted sessions are marked."""
    if ctx.invoked_subcommand is not None:
        return
    from sciatica_cli.journal.export import session_dict
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.journal.views import FIRST_USE, history_view
    from sciatica_cli.wallclock import local_tz

    tz = local_tz()
    start = _since(since, tz) if since else None
    with opened(reading=True) as store:
        rows = store.sessions(
            include_previews=True, routine=routine, since=start, limit=limit + 1 if limit else None
        )
    more = bool(limit) and len(rows) > limit
    rows = rows[:limit] if limit else rows
    if as_json:
        typer.echo(json.dumps([session_dict(s, tz) for s in rows], indent=2, ensure_ascii=False))
    elif not rows:
        typer.echo("No sessions match." if routine or since else FIRST_USE)
    else:
        console = open_console()
        console.print(history_view(rows, tz, console.width))
        if more:
            console.print(f"The latest {limit}; --limit 0 shows them all.", style="dim")


def _since(text: str, tz: tzinfo) -> datetime:
    """``--since 2026-11-01``: from local midnight of that day."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since takes a date like 2026-11-01, not '{text}'") from None
    return datetime.combine(day, time(), tzinfo=tz)


@app.command()
def stats(
    weeks: Annotated[int, typer.Option(min=1, max=104, help="How many weeks to look back.")] = 8,
    as_json: JsonFlag = False,
) -> None:
    """Your progress: sessions a week, streak, minutes per area, dose, pain and advice.

    Sessions a week against your goal, your streak of weeks meeting it, minutes per body
    area, each routine's dose (minutes an area) over time, average pain before and after and
    a pain chart (leg and back pain each on its own when you score them apart), and advice
    when the trend calls for it.
    """
    from sciatica_cli.journal.progress import progress

    result = progress(weeks)
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    from sciatica_cli.journal.views import stats_view

    console = open_console()
    console.print(stats_view(result, console.width))


@app.command()
def note(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="[SESSION] TEXT",
            show_default=False,
            help="The note (quote it), after a session number; without one, the latest session.",
            autocompletion=session_numbers,
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the session's note instead of adding to it.")
    ] = False,
) -> None:
    """Add to a session's note (the latest session unless you give its number).

    The text goes on a new line after the note the session already has; --replace puts it in
    the note's place instead.
    """
    from sciatica_cli.journal.opening import opened

    target = int(words[0]) if len(words) > 1 and words[0].isdigit() else None
    text = " ".join(words[1:] if target is not None else words).strip()
    if not text:
        raise typer.BadParameter("the note is empty", param_hint="TEXT")
    with opened() as store:
        if target is None:
            latest = store.sessions(include_previews=True, limit=1)
            if not latest:
                raise SciaticaError("there are no sessions to add a note to yet")
            target = latest[0].id
        store.set_note(target, text, append=not replace)
    typer.echo(f"{'Replaced the note' if replace else 'Noted'} on session {target}.")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv or json.")] = (
        ExportFormat.json
    ),
    output: Output = None,
) -> None:
    """Every session and segment, with ISO 8601 times; the columns are in the README."""
    from sciatica_cli.journal.export import export_csv, export_json
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.wallclock import local_tz

    if output is not None:
        _require_folder(output)
    with opened(reading=True) as store:
        text = (export_json if fmt is ExportFormat.json else export_csv)(store, local_tz())
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)


@app.command()
def report(output: Output = None) -> None:
    """A self-contained HTML page to print or show a physiotherapist."""
    from sciatica_cli.journal.progress import report_html

    target = output or Path(f"sciatica-report-{date.today().isoformat()}.html")
    _require_folder(target)
    write_output(target, report_html())
    typer.echo(f"Open it in a browser: {target.resolve().as_uri()}")


def _require_folder(output: Path) -> None:
    """A file is written only into a folder that exists: a typing mistake in -o makes no
    folders."""
    if not output.parent.is_dir():
        raise SciaticaError(f"Cannot write {output}: there is no folder {output.parent}.")


@app.command()
def goal(
    sessions: Annotated[
        int | None,
        typer.Argument(
            min=1,
            max=14,
            metavar="[SESSIONS]",
            show_default=False,
            help="Sessions a week to aim for.",
        ),
    ] = None,
) -> None:
    """Show or set your weekly goal (default 3; the guide says 2 to 3 sessions a week)."""
    from sciatica_cli.config import load_settings, remember

    settings = remember({"weekly_goal": sessions}) if sessions else load_settings()
    typer.echo(f"Weekly goal: {settings.weekly_goal} sessions.")
