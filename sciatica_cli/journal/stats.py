"""The journal's statistics: plan keeping, pain over time and the advisories. Pure: no I/O.

Every figure that more than one view shows (``history``, ``history stats`` and its ``--json``,
the exports, the report) is worked out here, once, and each view reads it from here.

Times are stored in UTC and shown in local time, so everything that groups by day or week takes
the person's ``tz``. Weeks are ISO weeks: they start on Monday.

A *real* session is one that is not a preview and is no longer running. Interrupted and stopped
sessions are real: the person did sit down and massage, so they count as sessions held.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction

from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.safety.rules import change_label

# SAFETY.md 2 tier C: "after 6 weeks".
SIX_WEEKS = timedelta(days=42)
# SAFETY.md 2 tier C (product rule): the "now" side of the 6-week comparison is the average of
# the last 7 days, so one good or bad day does not decide it alone.
RECENT_WINDOW = timedelta(days=7)
# SAFETY.md 4 (product rule): the trend is read over the last 5 sessions.
TREND_SESSIONS = 5

TITLE_WORSE_TWICE = "Two sessions in a row ended worse"
TITLE_RISING = "Your pain is trending up"
TITLE_NO_TWO_POINTS = "No 2-point improvement after 6 weeks"
TITLE_NOT_BETTER = "Not better after 6 weeks"

_BOOK = "Book an appointment with your GP or a physiotherapist."
_BOOK_ROUTINE = "Book a routine appointment with your GP or a physiotherapist."
_MAY_CONTINUE = "You can keep doing your sessions while you wait."


@dataclass(frozen=True)
class WeekCount:
    """Real sessions held in one ISO week (``start`` is its Monday, local) against the goal."""

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
    """A reason to see a professional: the SAFETY.md rule, a title and the numbers behind it."""

    rule: str
    title: str
    message: str


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


def real_sessions(sessions: Iterable[SessionRecord]) -> list[SessionRecord]:
    """The real sessions, oldest first.

    Previews and running sessions are left out. Interrupted and stopped sessions count as
    sessions held: the person did the work, even if not all of it.
    """
    # The id breaks ties between sessions stamped with the same instant, as the store does.
    return sorted((s for s in sessions if is_real(s)), key=lambda s: (s.started_at, s.id))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_counts(
    sessions: Iterable[SessionRecord], *, goal: int, weeks: int, today: date, tz: tzinfo
) -> list[WeekCount]:
    """Real sessions per ISO week for the last ``weeks`` weeks, ending with the week that holds
    ``today`` (a local date), oldest first; weeks without sessions are included.

    A session belongs to the week of its local start date in ``tz``. Interrupted and stopped
    sessions count as held; previews and running sessions do not.
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
        counts[monday] += 1
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


@dataclass(frozen=True)
class PainAverages:
    """Average pain before and after, over the real sessions that have both scores.

    "Before -> after" is a paired comparison: a session with only one score would move one
    average and not the other, so it is left out of both. ``sessions`` says how many count.
    """

    before: float | None
    after: float | None
    sessions: int

    @property
    def change(self) -> float | None:
        """After minus before: below zero is less pain."""
        return None if self.before is None or self.after is None else self.after - self.before


def pain_averages(sessions: Iterable[SessionRecord]) -> PainAverages:
    """Mean pain before and after over the real sessions with both scores (``None`` when none
    has both)."""
    pairs = [scores for s in real_sessions(sessions) if (scores := _both(s)) is not None]
    return PainAverages(
        mean([before for before, _ in pairs]), mean([after for _, after in pairs]), len(pairs)
    )


def _both(session: SessionRecord) -> tuple[int, int] | None:
    before, after = session.pain_before, session.pain_after
    return None if before is None or after is None else (before, after)


def change(session: SessionRecord) -> str | None:
    """The session's SAFETY.md 4 change label ("better", "worse", "no clear change"), or
    ``None`` unless it has both pain scores."""
    scores = _both(session)
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


def mean(values: Iterable[float | None]) -> float | None:
    """The average of the values given (``None`` ones left out), or ``None`` if none is."""
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def advisories(sessions: Iterable[SessionRecord], *, now: datetime) -> list[Advisory]:
    """The reasons in the journal to see a GP or physiotherapist, in rule order (a) to (d).

    Over real sessions only (see :func:`real_sessions`); ``now`` must be timezone-aware.

    (a) SAFETY.md 4 (product rule): the two most recent real sessions that have both pain
        scores each ended 2 or more points above where they started.
    (b) SAFETY.md 4 (product rule) and 2 tier C "pain trend slowly worsening": the product
        reads a "rising trend" as this: over the 5 most recent real sessions with a pain
        before, the least-squares slope of pain before against session order (0 to 4) is
        0.5 points per session or more, i.e. about 2 points over the 5 sessions. Fewer than 5
        such sessions: no trend is read.
    (c) SAFETY.md 2 tier C (product rule): 42 days or more since the first real session with
        a pain before, and that first score minus the *recent* score is less than 2 points.
    (d) SAFETY.md 2 tier C: 42 days or more since the first real session, and the first pain
        before against the recent score is not "better" by SAFETY.md 4's meaningful change
        (``safety.change_label``: at least 2 points and at least 30 %).

    The *recent* score, for (c) and (d): the average pain before of the real sessions started
    in the 7 days up to ``now``, or the latest real session's pain before when there are none.
    """
    real = real_sessions(sessions)
    found = (_worse_twice(real), _rising_trend(real), *_six_weeks(real, now))
    return [advisory for advisory in found if advisory is not None]


def _worse_twice(real: Sequence[SessionRecord]) -> Advisory | None:
    # SAFETY.md 4 (product rule): two sessions in a row ending 2 or more points worse. Sessions
    # without both scores cannot say either way, so "in a row" skips over them.
    pairs = [scores for s in real if (scores := _both(s)) is not None][-2:]
    if len(pairs) < 2:
        return None
    rises = [after - before for before, after in pairs]
    if min(rises) < 2:
        return None
    (b1, a1), (b2, a2) = pairs
    return Advisory(
        rule="SAFETY.md 4",
        title=TITLE_WORSE_TWICE,
        message=(
            f"Your last two sessions ended {rises[0]} and {rises[1]} points worse than they "
            f"started (pain {b1} to {a1}, then {b2} to {a2}). {_BOOK} {_MAY_CONTINUE} "
            "Make them gentler until then: lighter pressure or less time."
        ),
    )


def _rising_trend(real: Sequence[SessionRecord]) -> Advisory | None:
    # SAFETY.md 4 (product rule) and 2 tier C: a rising trend over the last 5 sessions.
    befores = [s.pain_before for s in real if s.pain_before is not None][-TREND_SESSIONS:]
    if len(befores) < TREND_SESSIONS:
        return None
    # Least squares with x centred on the middle session (-2..2): slope = sum(x*y) / sum(x*x),
    # and sum(x*x) is 10, so "slope >= 0.5" is the whole-number test "sum(x*y) >= 5".
    xs = (-2, -1, 0, 1, 2)
    numerator = sum(x * y for x, y in zip(xs, befores, strict=True))
    denominator = sum(x * x for x in xs)
    if 2 * numerator < denominator:
        return None
    scores = ", ".join(str(b) for b in befores)
    return Advisory(
        rule="SAFETY.md 4, 2 tier C",
        title=TITLE_RISING,
        message=(
            f"Your pain before your last {TREND_SESSIONS} sessions was {scores}: rising by "
            f"about {numerator / denominator:.1f} points a session. {_BOOK} {_MAY_CONTINUE}"
        ),
    )


def _six_weeks(real: Sequence[SessionRecord], now: datetime) -> list[Advisory | None]:
    # SAFETY.md 2 tier C: what six weeks of use have (not) done for the pain.
    scored = [(s.started_at, s.pain_before) for s in real if s.pain_before is not None]
    if not scored:
        return []
    (first_at, first), recent = scored[0], _recent_before(scored, now)
    return [
        _no_two_points(first_at, first, recent, now),
        _not_better(real[0].started_at, first, recent, now),
    ]


@dataclass(frozen=True)
class _Recent:
    """The "now" side of the 6-week rules, and how to name it to a person."""

    score: Fraction
    words: str


def _recent_before(scored: Sequence[tuple[datetime, int]], now: datetime) -> _Recent:
    """The average pain before over the last 7 days, else the latest session's."""
    recent = [before for started, before in scored if now - started <= RECENT_WINDOW]
    if not recent:
        latest = scored[-1][1]
        return _Recent(Fraction(latest), f"{latest} at your latest session")
    # A Fraction keeps the average exact, so the 2-point and 30 % edges are not lost to floats.
    average = Fraction(sum(recent), len(recent))
    count = "1 session" if len(recent) == 1 else f"{len(recent)} sessions"
    return _Recent(
        average, f"{_points(average, up=True)} on average over your last 7 days ({count})"
    )


def _no_two_points(
    first_at: datetime, first_before: int, recent: _Recent, now: datetime
) -> Advisory | None:
    # SAFETY.md 2 tier C (product rule): no improvement of at least 2 points after 6 weeks.
    if now - first_at < SIX_WEEKS:
        return None
    improvement = first_before - recent.score
    if improvement >= 2:
        return None
    return Advisory(
        rule="SAFETY.md 2 tier C",
        title=TITLE_NO_TWO_POINTS,
        message=(
            f"It is {(now - first_at).days} days since your first session with a pain score. "
            f"Your pain before sessions was {first_before} then and is {recent.words}: "
            f"{_change_words(improvement)}, less than the 2 points we look for after 6 weeks. "
            f"{_BOOK_ROUTINE} {_MAY_CONTINUE}"
        ),
    )


def _not_better(
    first_at: datetime, first_before: int, recent: _Recent, now: datetime
) -> Advisory | None:
    # SAFETY.md 2 tier C: symptoms not better after 6 weeks of use, where "better" is
    # SAFETY.md 4's meaningful change (at least 2 points and at least 30 %).
    if now - first_at < SIX_WEEKS:
        return None
    # change_label is typed for whole scores, but its comparisons are exact on a Fraction, so
    # the recent average is judged by the one copy of the rule, without rounding it first.
    if change_label(first_before, recent.score) == "better":
        return None
    return Advisory(
        rule="SAFETY.md 2 tier C",
        title=TITLE_NOT_BETTER,
        message=(
            f"It is {(now - first_at).days} days since your first session, and your pain is not "
            f"clearly better: {first_before} before your first scored session, {recent.words}. "
            "Clearly better means at least 2 points and at least 30 % lower. Sciatica usually "
            f"settles in 4 to 6 weeks. {_BOOK_ROUTINE} {_MAY_CONTINUE}"
        ),
    )


def _points(value: Fraction, *, up: bool = False) -> str:
    """A score as a person reads it: ``5`` or ``5.5``, to a tenth, rounded ``up`` or down.

    Rounding is chosen so the shown number never contradicts the advice: a recent pain
    score rounds up and an improvement rounds down, so 1.96 points is never shown as "2".
    """
    tenths = math.ceil(value * 10) if up else math.floor(value * 10)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def _change_words(improvement: Fraction) -> str:
    if improvement == 0:
        return "no change"
    size = abs(improvement)
    unit = "point" if size == 1 else "points"
    return f"{_points(size)} {unit} {'better' if improvement > 0 else 'worse'}"


def minutes_per_area(area_seconds: Mapping[str | None, float]) -> list[tuple[str, float]]:
    """Minutes of work per body area, most first (ties by name); no area is named "other"."""
    minutes: defaultdict[str, float] = defaultdict(float)
    for area, seconds in area_seconds.items():
        # A step without an area and a step tagged "other" are the same thing to a person.
        minutes[area if area is not None else "other"] += seconds / 60
    return sorted(minutes.items(), key=lambda item: (-item[1], item[0]))


def pain_points(sessions: Iterable[SessionRecord], *, tz: tzinfo) -> list[PainPoint]:
    """Each real session's pain before, after and next morning, oldest first, in local time."""
    return [
        PainPoint(s.started_at.astimezone(tz), s.pain_before, s.pain_after, s.morning_pain)
        for s in real_sessions(sessions)
    ]
