"""The journal's records: plain frozen dataclasses with their checks. No SQL, no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sciatica_cli.config import PAIN_SCORES

STATUSES = ("running", "completed", "stopped", "interrupted")
FINISHED_STATUSES = ("completed", "stopped", "interrupted")
OUTCOMES = ("done", "skipped", "stopped")
KINDS = ("setup", "step", "switch", "rest")
SCREEN_RESULTS = ("clear", "urgent", "emergency")


@dataclass(frozen=True)
class PlannedSegment:
    """One segment of the plan, stored when the session starts; ``position`` orders them."""

    position: int
    kind: str
    title: str
    step_number: int
    side: str | None
    area: str | None
    planned_seconds: float

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, KINDS)
        check_seconds("planned_seconds", self.planned_seconds)


@dataclass(frozen=True)
class SessionRecord:
    """One session as stored; ``done_seconds`` is the sum of its segments' done seconds."""

    id: int
    routine: str
    title: str
    options: Mapping[str, object]
    preview: bool
    status: str
    stop_reason: str | None
    started_at: datetime
    ended_at: datetime | None
    planned_seconds: float
    done_seconds: float
    pain_before: int | None
    pain_after: int | None
    pid: int
    host: str
    note: str | None = None
    morning_pain: int | None = None  # the latest next-morning check-in for this session
    uid: str | None = None  # made by its writer, so pending records can name it (pending.py)
    # SAFETY.md 4: with pain_scores "two", pain_* are the leg scores and back_* the back's.
    pain_scores: str = "one"
    back_before: int | None = None
    back_after: int | None = None
    morning_back: int | None = None  # the back score of the latest next-morning check-in


@dataclass(frozen=True)
class SegmentRecord:
    """One planned segment and, once it ended, how (outcome, seconds done, times)."""

    session_id: int
    position: int
    kind: str
    title: str
    step_number: int
    side: str | None
    area: str | None
    planned_seconds: float
    outcome: str | None
    done_seconds: float | None
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class ScreenRecord:
    """Red-flag screen answers (question id -> yes), their result and the assessed confirmation."""

    id: int
    answered_at: datetime
    answers: Mapping[str, bool]
    result: str
    assessed: bool


@dataclass(frozen=True)
class CheckinRecord:
    """Pain logged the morning after a session (SAFETY.md 4: settled within 24 hours?)."""

    id: int
    session_id: int
    recorded_at: datetime
    pain: int  # the leg score when the session had two scores
    note: str | None
    back_pain: int | None = None


@dataclass(frozen=True)
class ContraindicationRecord:
    """The latest contraindication answers (id -> yes) and when they were given."""

    answered_at: datetime
    answers: Mapping[str, bool]


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def check_seconds(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number of seconds, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be zero or more seconds, not {value!r}")


def check_pain(name: str, value: int | None) -> None:
    # bool is an int in Python; True is not a pain score.
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{name} pain must be a whole number from 0 to 10, not {value!r}")
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"{name} pain must be from 0 to 10, not {value}")


def check_scores(pain_scores: str, back: int | None) -> None:
    """SAFETY.md 4: one pain score or two (leg and back); a back score only with two."""
    check_choice("pain_scores", pain_scores, PAIN_SCORES)
    check_pain("back", back)
    if back is not None and pain_scores != "two":
        raise ValueError("a back pain score needs pain_scores 'two'")
