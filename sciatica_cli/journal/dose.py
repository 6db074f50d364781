"""SAFETY.md 6 from the journal: the dose of a routine's next session, and why, in one sentence.

The rules are :mod:`sciatica_cli.safety.progression`'s; this module reads what they replay: one
routine's real sessions (no previews, none still running), oldest first, with their latest
next-morning check-in, and only the columns the replay needs, so it stays quick with 10,000
sessions in the journal (the today view and every session start ask it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from sciatica_cli.errors import SciaticaError
from sciatica_cli.routines.planner import dose_range
from sciatica_cli.safety.progression import (
    DoseRange,
    Outcome,
    due,
    minutes_words,
    reason,
    replay,
)
from sciatica_cli.wallclock import local_tz

if TYPE_CHECKING:
    import sqlite3

    from sciatica_cli.journal.store import SessionStore
    from sciatica_cli.routines.plain import ExpandedRoutine

FIXED_LENGTHS = "its steps have set lengths, so there is no dose to follow"
UNREADABLE = "the start dose: your journal could not be read"


@dataclass(frozen=True)
class Dose:
    """The dose of the next session: ``minutes`` an area (None when the routine has no
    ranged step), where it comes from ("journal", or "shortest" straight after a sharp-pain
    stop or a session begun at pain 6 or more) and why, in words."""

    minutes: float | None
    source: str
    reason: str

    def sentence(self) -> str:
        """``Today: 6 minutes an area (up from 5: ...).``, as shown before a session."""
        if self.source == "shortest":
            return f"Today: the shortest dose of every step ({self.reason})."
        if self.minutes is None:
            return f"Today: every step at its set length ({self.reason})."
        return f"Today: {minutes_words(self.minutes)} an area ({self.reason})."

    def as_json(self) -> dict[str, object]:
        """The dose for ``--json``: minutes an area, where it comes from, why."""
        return {"minutes_an_area": self.minutes, "source": self.source, "reason": self.reason}

    def words(self) -> str:
        """The dose alone: "6 minutes an area", "the shortest of every step"."""
        if self.source == "shortest":
            return "the shortest of every step"
        if self.minutes is None:
            return "none (set lengths)"
        return f"{minutes_words(self.minutes)} an area"


def next_dose(
    store: SessionStore, expanded: ExpandedRoutine, *, now: datetime, tz: tzinfo | None = None
) -> Dose:
    """The dose a session of ``expanded`` starting ``now`` would use (SAFETY.md 6), replayed
    from the journal; days are counted in ``tz`` (the local zone unless given)."""
    doses = _doses(expanded)
    if doses is None:
        return Dose(None, "journal", FIXED_LENGTHS)
    return _dose(_outcomes(store, expanded.name), doses, expanded.name, now, tz or local_tz())


def journal_dose(
    expanded: ExpandedRoutine, *, now: datetime, path: Path, tz: tzinfo | None = None
) -> Dose:
    """:func:`next_dose` from the journal at ``path``, opened only to read (nothing merged,
    no file made). A journal that cannot be read never stops a session: the start dose,
    with the reason saying so."""
    doses = _doses(expanded)
    if doses is None:
        return Dose(None, "journal", FIXED_LENGTHS)
    if not path.exists():
        return _dose([], doses, expanded.name, now, tz or local_tz())
    from sciatica_cli.journal.store import SessionStore

    try:
        with SessionStore.open(path, reading=True, merge=False) as store:
            return next_dose(store, expanded, now=now, tz=tz)
    except (SciaticaError, OSError):
        return unread_dose(expanded)


def unread_dose(expanded: ExpandedRoutine) -> Dose:
    """The dose when the journal cannot be read: the start, saying why."""
    doses = _doses(expanded)
    return (
        Dose(None, "journal", FIXED_LENGTHS)
        if doses is None
        else Dose(doses.start, "journal", UNREADABLE)
    )


def minutes_sentence(minutes: float, dose: Dose) -> str:
    """``--minutes`` overrides the dose; the sentence names the journal's dose it replaced."""
    asked = f"Today: {minutes:g} minutes in all, as you asked (--minutes)"
    if dose.minutes is None:
        return f"{asked}."
    return f"{asked}; your journal's dose is {dose.words()}."


def _doses(expanded: ExpandedRoutine) -> DoseRange | None:
    ends = dose_range(expanded)
    return None if ends is None else DoseRange(*ends)


def _dose(
    sessions: list[Outcome], doses: DoseRange, routine: str, now: datetime, tz: tzinfo
) -> Dose:
    state = replay(sessions, doses, tz)
    due(state, now, doses, tz)
    return Dose(state.dose, state.source, reason(state, routine, tz))


# Options are stored as JSON with sorted keys and json.dumps' separators (rows.options_text),
# so LIKE finds a flag without JSON1: a length from --minutes, by the dose's source or, for
# sessions recorded before the dose, a --minutes that was not null.
_BY_MINUTES = (
    '(options LIKE \'%"dose_source": "minutes"%\' OR (options NOT LIKE \'%"dose_source"%\''
    " AND options LIKE '%\"minutes\": %' AND options NOT LIKE '%\"minutes\": null%'))"
)
# A session's morning score is its latest check-in, as in store.py's session queries.
_MORNING = (
    "(SELECT {column} FROM checkins WHERE checkins.session_id = sessions.id"
    " ORDER BY recorded_at DESC, id DESC LIMIT 1)"
)
# Real sessions (stats.is_real): not a preview, not still running; the routine's index serves it.
# The columns come in the order of progression.Outcome's fields.
_SESSIONS = (
    "SELECT started_at, pain_before, pain_after, {morning},"
    " status = 'stopped' AND stop_reason = 'sharp pain', done_seconds, planned_seconds,"
    " {by_minutes}{back} FROM sessions"
    " WHERE routine = ? AND preview = 0 AND status != 'running' ORDER BY started_at, id"
)


def _outcomes(store: SessionStore, routine: str) -> list[Outcome]:
    # A read-only query of its own rather than store.sessions(routine=...), which builds a
    # whole record per session (options parsed and all): several times slower at 10,000.
    sql = _sql(store)
    read = datetime.fromisoformat
    return [
        Outcome(read(r[0]), r[1], r[2], r[3], bool(r[4]), r[5], r[6], bool(r[7]), *_back(r))
        for r in store._all(sql, (routine,))
    ]


def _sql(store: SessionStore) -> str:
    # The back scores (SAFETY.md 4, two scores) are read once the journal has their columns.
    sessions = {row["name"] for row in store._all("PRAGMA table_info(sessions)")}
    checkins = {row["name"] for row in store._all("PRAGMA table_info(checkins)")}
    back = ""
    if {"pain_scores", "back_before", "back_after"} <= sessions:
        morning_back = _MORNING.format(column="back_pain") if "back_pain" in checkins else "NULL"
        back = f", pain_scores = 'two', back_before, back_after, {morning_back}"
    morning = _MORNING.format(column="pain")
    return _SESSIONS.format(morning=morning, by_minutes=_BY_MINUTES, back=back)


def _back(row: sqlite3.Row) -> tuple[bool, int | None, int | None, int | None]:
    # With one score (or a journal without the columns) the back scores are not read.
    if len(row) == 8 or not row[8]:
        return _ONE_SCORE
    return True, row[9], row[10], row[11]


_ONE_SCORE = (False, None, None, None)
