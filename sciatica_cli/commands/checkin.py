"""``sciatica checkin``: the next-morning pain log (SAFETY.md 4, the 24-hour rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sciatica_cli.commands._options import open_console, pain_score

if TYPE_CHECKING:
    from sciatica_cli.journal.records import SessionRecord
    from sciatica_cli.journal.store import SessionStore


def checkin(
    pain: Annotated[
        int | None,
        pain_score(
            help="Your pain this morning, 0 to 10 (your leg pain, if you record two scores)."
        ),
    ] = None,
    back: Annotated[
        int | None,
        pain_score(help="Your back pain this morning, 0 to 10, if you record leg and back pain."),
    ] = None,
    note: Annotated[str | None, typer.Option(show_default=False, help="A note to keep.")] = None,
) -> None:
    """Log your pain the morning after a session (the 24-hour rule).

    Pain from a session should settle within 24 hours. This morning's score is compared with
    your pain before the session that ended yesterday (or at most 36 hours ago): 2 or more
    points higher means make the next session gentler, or skip it if the pain is still high.
    With leg pain and back pain recorded each on its own, each is compared with its own.
    """
    from sciatica_cli.journal.morning import log_checkin, morning_advice
    from sciatica_cli.journal.opening import opened
    from sciatica_cli.text import visible
    from sciatica_cli.wallclock import local_tz

    with opened() as store:
        store.mark_interrupted()  # a session whose program died yesterday still ended
        session = None
        if pain is None:
            session, pain, back = _ask_pain(store, back)
        result = log_checkin(store, pain, note, back=back, session=session)
    when = result.session.started_at.astimezone(local_tz()).strftime("%a %d %b")
    routine = visible(result.session.routine)
    logged = "; ".join(f"{s.name} {s.morning}" for s in result.scores if s.morning is not None)
    typer.echo(f"Morning {logged} logged for {routine} on {when}.")
    if back is not None and result.record.back_pain is None:
        typer.echo("That session recorded one pain score, so --back was not kept.")
    typer.echo(morning_advice(result))


def _ask_pain(store: SessionStore, back: int | None) -> tuple[SessionRecord, int, int | None]:
    from sciatica_cli.errors import UsageError
    from sciatica_cli.journal.morning import morning_session
    from sciatica_cli.safety.pain import score_names
    from sciatica_cli.safety.prompter import TerminalPrompter

    prompter = TerminalPrompter(open_console())
    if not prompter.interactive:
        raise UsageError("give --pain N (0 to 10): there is no terminal to ask")
    session = morning_session(store)  # refused before asking: no one types a score for nothing
    # SAFETY.md 4: as many scores as that session recorded, whatever the setting says now.
    names = score_names(session.pain_scores)[: 1 if back is not None else 2]
    answers = [prompter.pain(f"How bad is your {name} this morning?") for name in names]
    if answers[0] is None:
        raise UsageError("no pain score given; nothing logged")
    return session, answers[0], answers[1] if len(answers) > 1 else back
