"""SAFETY.md 6 from the journal: the dose of a routine's next session, and why, in one sentence.

The rules are :mod:`sciatica_cli.safety.progression`'s; what they replay is read by the store
(``SessionStore.dose_outcomes``): one routine's real sessions (no previews, none still
running), oldest first, with their latest next-morning check-in, and only the columns the
replay needs, so it stays quick with 10,000 sessions in the journal (the today view and every
session start ask it).
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
    return _dose(store.dose_outcomes(expanded.name), doses, expanded.name, now, tz or local_tz())


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
