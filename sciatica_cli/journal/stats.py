"""The journal's statistics: plan keeping and pain over time. Pure: no I/O (but for
:func:`goal_streak`, which reads the weeks before those it is given through the journal passed
in).

Every figure that more than one view shows (``history``, ``history stats`` and its ``--json``,
the exports, the report) is worked out here, once, and each view reads it from here; the
advisories (:class:`Advisory`) are worked out in :mod:`sciatica_cli.journal.advisories`.

Times are stored in UTC and shown in local time, so everything that groups by day or week takes
the person's ``tz``. Weeks are ISO weeks: they start on Monday.

A *real* session is one that is not a preview and is no longer running: the person did sit
down and massage. A session *held* is a real session with at least half of its planned time
done (SAFETY.md 4, product rule: :func:`is_held`); only held sessions count towards the weekly
goal, the weeks, the streak and every "sessions held" figure. Skipping every step is not a
session held, but it is still listed, marked "not counted".

The pain figures (averages, the chart) and the advisories read every real session, held or
not: SAFETY.md 4 gives the half-time rule for the weekly goal only, its change labels and
"ended worse" rules apply to every session, and a session cut short because the pain rose is
the one those rules most need to see (safety errs towards worse).
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Protocol

from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.safety.pain import change_label, counts_towards_goal, session_change

# What history, the report and the exports say of a real session that is not held.
NOT_COUNTED = "not counted: less than half done"


@dataclass(frozen=True)
class WeekCount:
    """Sessions held in one ISO week (``start`` is its Monday, local) against the goal, and the
    minutes of massage done in the week's real sessions (held or not: time done is time done)."""

    start: date
    sessions: int
    minutes: float
    goal: int

    @property
    def met(self) -> bool:
        """The week reached its goal."""
        return self.sessions >= self.goal


@dataclass(frozen=True)
class Advisory:
    """A reason to see a professional: a stable ``id`` for scripts ("worse-twice",
    "rising-trend", "no-two-points", "not-better", and the back score's "back-worse-twice" and
    so on), and for people a title and a message that names the numbers behind it and says what
    to do (see :mod:`.advisories`). ``score`` says which line it read: "pain" (one score, or
    one score and then leg scores), "leg" or "back"."""

    id: str
    title: str
    message: str
    score: str = "pain"


@dataclass(frozen=True)
class PainPoint:
    """One real session's pain scores, at its local start time."""

    when: datetime
    before: int | None
    after: int | None
    morning: int | None


def is_real(session: SessionRecord) -> bool:
    """Not a preview and not still running; interrupted and stopped sessions were held."""
    return not session.preview and session.status != "running"


def is_held(session: SessionRecord) -> bool:
    """A session held: real, and at least half of its planned time done, so it counts towards
    the weekly goal (SAFETY.md 4, product rule). The one copy of this notion: the weeks, the
    streak, the report, ``history``, ``stats --json`` and the exports all read it."""
    return is_real(session) and counts_towards_goal(session.done_seconds, session.planned_seconds)


def not_counted(session: SessionRecord) -> bool:
    """A real session that is not held: listed everywhere, marked, never counted."""
    return is_real(session) and not is_held(session)


def real_sessions(sessions: Iterable[SessionRecord]) -> list[SessionRecord]:
    """The real sessions, oldest first, held or not (see :func:`is_held`).

    Previews and running sessions are left out. Interrupted and stopped sessions are real: the
    person did the work, even if not all of it.
    """
    # The id breaks ties between sessions stamped with the same instant, as the store does.
    return sorted((s for s in sessions if is_real(s)), key=lambda s: (s.started_at, s.id))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_counts(
    sessions: Iterable[SessionRecord], *, goal: int, weeks: int, today: date, tz: tzinfo
) -> list[WeekCount]:
    """Sessions held per ISO week for the last ``weeks`` weeks, ending with the week that
    holds ``today`` (a local date), oldest first; weeks without sessions are included.

    A session belongs to the week of its local start date in ``tz``. Only sessions held count
    (:func:`is_held`: at least half the plan done; previews and running sessions never); the
    minutes are those done in every real session of the week.
    """
    if weeks < 0:
        raise ValueError(f"weeks must not be negative, not {weeks}")
    if goal < 0:
        raise ValueError(f"goal must not be negative, not {goal}")
    last = _monday(today)
    starts = [last - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    counts: Counter[date] = Counter()
    seconds: defaultdict[date, float] = defaultdict(float)
    for session in real_sessions(sessions):
        monday = _monday(session.started_at.astimezone(tz).date())
        counts[monday] += int(is_held(session))
        seconds[monday] += session.done_seconds
    return [WeekCount(start, counts[start], seconds[start] / 60, goal) for start in starts]


def current_streak(weeks: Sequence[WeekCount]) -> int:
    """Weeks in a row meeting their goal, counting back from the latest (last) week.

    The latest week is the one still under way: it adds to the streak once met, and while
    unmet it does not break the streak of the weeks before it.
    """
    if not weeks:
        return 0
    *earlier, latest = weeks
    streak = 1 if latest.met else 0
    for week in reversed(earlier):
        if not week.met:
            break
        streak += 1
    return streak


class HeldWeeks(Protocol):
    """What :func:`goal_streak` reads of the journal beyond the weeks it is given (the store)."""

    def real_session(self) -> SessionRecord | None: ...
    def held_between(self, start: datetime, end: datetime) -> int: ...


def goal_streak(weeks: Sequence[WeekCount], journal: HeldWeeks, *, tz: tzinfo) -> int:
    """The streak of weeks meeting the goal, the one copy that ``today``, ``history stats``
    (and its ``--json``) show: :func:`current_streak` over ``weeks`` (oldest first, the latest
    under way), counted on back before them, one week at a time from ``journal``, as far as
    the streak reaches, so the stats window never cuts it short."""
    earlier: list[WeekCount] = []
    oldest = journal.real_session()
    if weeks and oldest is not None and all(week.met for week in weeks[:-1]):
        first = _monday(oldest.started_at.astimezone(tz).date())
        monday, goal = weeks[0].start, weeks[0].goal
        end = _midnight(monday, tz)
        while monday > first and (not earlier or earlier[-1].met):
            monday -= timedelta(weeks=1)
            start = _midnight(monday, tz)
            earlier.append(WeekCount(monday, journal.held_between(start, end), 0.0, goal))
            end = start
    return current_streak([*reversed(earlier), *weeks])


def _midnight(day: date, tz: tzinfo) -> datetime:
    # In UTC, as the journal keeps times: the zone's offset is looked up once a week.
    return datetime.combine(day, time(), tzinfo=tz).astimezone(timezone.utc)


@dataclass(frozen=True)
class PainAverages:
    """Average pain before and after, over the real sessions that have both scores.

    "Before -> after" is a paired comparison: a session with only one score would move one
    average and not the other, so it is left out of both. ``sessions`` says how many count;
    of those, ``leg_sessions`` had two scores, so their leg score is the one averaged (see
    :func:`pain_averages`; 0 in the back score's averages).
    """

    before: float | None
    after: float | None
    sessions: int
    leg_sessions: int = 0

    @property
    def change(self) -> float | None:
        """After minus before: below zero is less pain."""
        return None if self.before is None or self.after is None else self.after - self.before


def pain_averages(sessions: Iterable[SessionRecord]) -> PainAverages:
    """Mean pain before and after over the real sessions with both scores (``None`` when none
    has both): the *main* score, which is the one score of a session with one, and the leg
    score of a session with two (SAFETY.md 4: leg pain is the main outcome in sciatica).
    ``leg_sessions`` counts the leg scores among them, so every view can say which it is."""
    paired = [(s, scores) for s in real_sessions(sessions) if (scores := both_scores(s))]
    return _averages([scores for _, scores in paired], sum(two_scores(s) for s, _ in paired))


def back_averages(sessions: Iterable[SessionRecord]) -> PainAverages:
    """Mean back pain before and after over the real sessions with two scores and both back
    scores: :func:`pain_averages`' paired rule, on the back score."""
    pairs = [scores for s in real_sessions(sessions) if (scores := back_scores(s)) is not None]
    return _averages(pairs, 0)  # no leg score in these averages


def _averages(pairs: Sequence[tuple[int, int]], leg_sessions: int) -> PainAverages:
    return PainAverages(
        mean([before for before, _ in pairs]),
        mean([after for _, after in pairs]),
        len(pairs),
        leg_sessions,
    )


def two_scores(session: SessionRecord) -> bool:
    """The session asked leg pain and back pain apart (SAFETY.md 4); its pain_* are the leg's."""
    return session.pain_scores == "two"


def back_scores(session: SessionRecord) -> tuple[int, int] | None:
    """(back pain before, back pain after), or ``None`` unless a two-score session has both."""
    before, after = session.back_before, session.back_after
    if not two_scores(session) or before is None or after is None:
        return None
    return before, after


def both_scores(session: SessionRecord) -> tuple[int, int] | None:
    """(pain before, pain after), or ``None`` unless the session has both."""
    before, after = session.pain_before, session.pain_after
    return None if before is None or after is None else (before, after)


def change(session: SessionRecord) -> str | None:
    """The session's one SAFETY.md 4 change label ("better", "worse", "no clear change"), or
    ``None`` unless a score has both before and after. With two scores it is
    ``safety.pain.session_change``'s: "worse" when either score is, else the leg's label."""
    if two_scores(session):
        return session_change(session)
    return pain_change(session)


def pain_change(session: SessionRecord) -> str | None:
    """The main score's own label: the one score, or the leg score of a session with two."""
    scores = both_scores(session)
    return None if scores is None else _label(*scores)


def back_change(session: SessionRecord) -> str | None:
    """The back score's own label, or ``None`` unless a two-score session has both."""
    scores = back_scores(session)
    return None if scores is None else _label(*scores)


@functools.cache
def _label(before: int, after: int) -> str:
    # 121 pairs of scores at most; the rule's exact Fractions cost time over 10,000 sessions.
    return change_label(before, after)


def completion(session: SessionRecord) -> float:
    """The share of the planned time done, 0 to 1 (a replayed segment cannot make it more)."""
    if session.planned_seconds <= 0:
        return 0.0
    return min(1.0, session.done_seconds / session.planned_seconds)


def percent_done(session: SessionRecord) -> int:
    """The share of the plan done as a whole percent for people, rounded down and held to the
    half-time rule at its edge, so a session just short of half never shows as 50 %."""
    shown = math.floor(round(100 * completion(session), 6))
    if counts_towards_goal(session.done_seconds, session.planned_seconds):
        return max(shown, 50)
    return min(shown, 49)


def mean(values: Iterable[float | None]) -> float | None:
    """The average of the values given (``None`` ones left out), or ``None`` if none is."""
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def minutes_per_area(area_seconds: Mapping[str | None, float]) -> list[tuple[str, float]]:
    """Minutes of work per body area, most first (ties by name); no area is named "other"."""
    minutes: defaultdict[str, float] = defaultdict(float)
    for area, seconds in area_seconds.items():
        # A step without an area and a step tagged "other" are the same thing to a person.
        minutes[area if area is not None else "other"] += seconds / 60
    return sorted(minutes.items(), key=lambda item: (-item[1], item[0]))


def pain_points(sessions: Iterable[SessionRecord], *, tz: tzinfo) -> list[PainPoint]:
    """Each real session's main pain score (the one score, or the leg score of two) before,
    after and next morning, oldest first, in local time."""
    return [
        PainPoint(s.started_at.astimezone(tz), s.pain_before, s.pain_after, s.morning_pain)
        for s in real_sessions(sessions)
    ]


def back_points(sessions: Iterable[SessionRecord], *, tz: tzinfo) -> list[PainPoint]:
    """Each real two-score session's back pain before, after and next morning, oldest first."""
    return [
        PainPoint(s.started_at.astimezone(tz), s.back_before, s.back_after, s.morning_back)
        for s in real_sessions(sessions)
        if two_scores(s)
    ]


def main_score_name(averages: PainAverages) -> str:
    """What the main score of these sessions is called: "pain" (one score), "leg pain" (two)
    or "mixed" (some sessions had one score, later ones two)."""
    if not averages.leg_sessions:
        return "pain"
    return "leg pain" if averages.leg_sessions == averages.sessions else "mixed"
