"""``sciatica checkin``: the next-morning pain log (SAFETY.md 4, the 24-hour rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sciatica_cli.commands._options import open_console

if TYPE_CHECKING:
    from sciatica_cli.journal.store import SessionStore


def checkin(
    pain: Annotated[
        int | None,
        typer.Option(min=0, max=10, show_default=False, help="Your pain this morning, 0 to 10."),
    ] = None,
    note: Annotated[str | None, typer.Option(show_default=False, help="A note to keep.")] = None,
) -> None:
    """Log your pain the morning after a session (the 24-hour rule).

    Pain from a session should settle within 24 hours. This morning's score is compared with
    your pain before the session that ended yesterday (or at most 36 hours ago): 2 or more
    points higher means make the next session gentler, or skip it if the pain is still high.
    """
    from sciatica_cli.journal.morning import log_checkin, morning_advice
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.text import visible
    from sciatica_cli.wallclock import local_tz

    with opened() as store:
        store.mark_interrupted()  # a session whose program died yesterday still ended
        result = log_checkin(store, pain if pain is not None else _ask_pain(store), note)
    when = result.session.started_at.astimezone(local_tz()).strftime("%a %d %b")
    routine = visible(result.session.routine)
    typer.echo(f"Morning pain {result.record.pain} logged for {routine} on {when}.")
    typer.echo(morning_advice(result))


def _ask_pain(store: SessionStore) -> int:
    from sciatica_cli.errors import UsageError
    from sciatica_cli.journal.morning import morning_session
    from sciatica_cli.safety.prompter import TerminalPrompter

    prompter = TerminalPrompter(open_console())
    if not prompter.interactive:
        raise UsageError("give --pain N (0 to 10): there is no terminal to ask")
    morning_session(store)  # refused before asking: no one types a score for nothing
    answer = prompter.pain("How bad is your pain this morning?")
    if answer is None:
        raise UsageError("no pain score given; nothing logged")
    return answer
