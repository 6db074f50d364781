"""``sciatica checkin``: the next-morning pain log (SAFETY.md 4, the 24-hour rule)."""

from __future__ import annotations

from typing import Annotated

import typer

from sciatica_cli.commands._options import open_console


def checkin(
    pain: Annotated[
        int | None,
        typer.Option(min=0, max=10, show_default=False, help="Your pain this morning, 0 to 10."),
    ] = None,
    note: Annotated[str | None, typer.Option(show_default=False, help="A note to keep.")] = None,
) -> None:
    """Log your pain the morning after a session (the 24-hour rule).

    SAFETY.md 4: pain from a session should settle within 24 hours; higher than the morning
    before means ease off next time.
    """
    from sciatica_cli.journal.morning import log_checkin, morning_advice
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.wallclock import local_tz

    if pain is None:
        pain = _ask_pain()
    with opened() as store:
        result = log_checkin(store, pain, note)
    when = result.session.started_at.astimezone(local_tz()).strftime("%a %d %b")
    typer.echo(f"Morning pain {pain} logged for {result.session.routine} on {when}.")
    typer.echo(morning_advice(result.previous, pain))


def _ask_pain() -> int:
    from sciatica_cli.errors import UsageError
    from sciatica_cli.safety.prompter import TerminalPrompter

    prompter = TerminalPrompter(open_console())
    if not prompter.interactive:
        raise UsageError("give --pain N (0 to 10): there is no terminal to ask")
    answer = prompter.pain("How bad is your pain this morning?")
    if answer is None:
        raise UsageError("no pain score given; nothing logged")
    return answer
