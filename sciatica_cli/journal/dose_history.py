"""The dose over time (SAFETY.md 6): the minutes an area each session of a routine ran at.
Pure: no I/O.

The dose is chosen before a session (``journal/dose.py``) and kept in the session's options
(``options["dose"]``, minutes an area; ``options["dose_source"]``: "journal" when it came from
the progression rules, "shortest" when the shortest dose was used, "minutes" when the person
chose it with ``--minutes``). Old sessions and routines with fixed lengths have none. This
module reads it back once for ``history stats``, its ``--json``, the exports and the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.journal.stats import real_sessions

SOURCES = ("journal", "shortest", "minutes")
# How the text views name a dose that did not come from the progression rules.
SOURCE_WORDS = {"shortest": "shortest", "minutes": "your choice"}
# How the report says where a dose came from.
SOURCE_REASONS = {
    "journal": "from your journal",
    "shortest": "the shortest dose",
    "minutes": "chosen by you (--minutes)",
    None: "not recorded",
}
RECENT_DOSES = 10  # the doses history stats lists per routine


@dataclass(frozen=True)
class SessionDose:
    """The dose one real session ran at."""

    routine: str
    session_id: int
    started_at: datetime
    minutes: float  # minutes an area
    source: str | None  # "journal", "shortest", "minutes", or None when not recorded

    def as_json(self, tz: tzinfo) -> dict[str, object]:
        """An entry of ``history stats --json``'s ``doses``: the start in local ISO 8601."""
        return {
            "routine": self.routine,
            "session_id": self.session_id,
            "started_at": self.started_at.astimezone(tz).isoformat(),
            "minutes_an_area": self.minutes,
            "source": self.source,
        }


@dataclass(frozen=True)
class DoseRun:
    """Sessions of a routine in a row at the same dose: the report's rows."""

    minutes: float
    source: str | None  # the source of the run's first session
    first: datetime
    last: datetime
    sessions: int


def session_dose(options: Mapping[str, object]) -> float | None:
    """A session's minutes an area, or ``None`` when it has none (or none that is a number)."""
    value = options.get("dose")
    # bool is an int in Python; options are read back from JSON, so check what they hold.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def session_dose_source(options: Mapping[str, object]) -> str | None:
    """Where a session's dose came from, or ``None`` when not recorded (or not known)."""
    value = options.get("dose_source")
    return value if isinstance(value, str) and value in SOURCES else None


def doses(sessions: Iterable[SessionRecord]) -> list[SessionDose]:
    """The dose of every real session that has one, oldest first."""
    return [
        SessionDose(s.routine, s.id, s.started_at, minutes, session_dose_source(s.options))
        for s in real_sessions(sessions)
        if (minutes := session_dose(s.options)) is not None
    ]


def by_routine(given: Iterable[SessionDose]) -> dict[str, list[SessionDose]]:
    """The doses of each routine, oldest first; routines by name."""
    routines: dict[str, list[SessionDose]] = {}
    for dose in given:
        routines.setdefault(dose.routine, []).append(dose)
    return dict(sorted(routines.items()))


def runs(given: Sequence[SessionDose]) -> list[DoseRun]:
    """One routine's doses as runs of the same dose, oldest first."""
    out: list[DoseRun] = []
    for dose in given:
        if out and out[-1].minutes == dose.minutes:
            run = out[-1]
            out[-1] = DoseRun(run.minutes, run.source, run.first, dose.started_at, run.sessions + 1)
        else:
            out.append(DoseRun(dose.minutes, dose.source, dose.started_at, dose.started_at, 1))
    return out


def minutes_text(minutes: float) -> str:
    """``5`` or ``5.5``: a dose as a person reads it."""
    return f"{minutes:g}"


def dose_text(dose: SessionDose) -> str:
    """``6``, or ``3 (shortest)`` / ``7 (your choice)`` when the rules did not choose it."""
    words = SOURCE_WORDS.get(dose.source or "")
    return minutes_text(dose.minutes) + (f" ({words})" if words else "")


def routine_line(routine: str, given: Sequence[SessionDose]) -> str:
    """``glute-ball: 5, 5, 6, 6, 5; latest 5``: the recent doses in order and the current one (the
    latest session's: the next session's dose, shown before it starts, may step from it)."""
    shown = given[-RECENT_DOSES:]
    earlier = "..., " if len(given) > len(shown) else ""
    listed = ", ".join(dose_text(d) for d in shown)
    return f"{routine}: {earlier}{listed}; latest {minutes_text(given[-1].minutes)}"
