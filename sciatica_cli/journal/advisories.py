"""The advisories: the reasons in the journal to see a GP or physiotherapist (SAFETY.md 2 tier
C and 4). Pure: no I/O.

``history stats`` (and its ``--json``), the report and the end of each session show the same
advisories, worked out here from the real sessions (held or not: see
:mod:`sciatica_cli.journal.stats`). Each has a stable id for scripts, and a title and a message
for people that name the numbers behind it and say what to do; none names a rule of SAFETY.md.

With two pain scores (leg and back, SAFETY.md 4) every rule runs on each *line* on its own:
the main line (the one score of a session with one, the leg score of a session with two: leg
pain is the main outcome in sciatica, and a journal that moves from one score to two keeps one
continuous line, so no 6-week clock restarts) and the back line (the back scores). Each
advisory says which line it read; a journal with one score reads exactly as before.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.journal.stats import Advisory, real_sessions, two_scores
from sciatica_cli.safety.pain import change_label, rose_by_two

# SAFETY.md 2 tier C: "after 6 weeks".
SIX_WEEKS = timedelta(days=42)
# SAFETY.md 2 tier C (product rule): the "now" side of the 6-week comparison is the average of
# the last 7 days, so one good or bad day does not decide it alone.
RECENT_WINDOW = timedelta(days=7)
# SAFETY.md 4 (product rule): the trend is read over the last 5 sessions.
TREND_SESSIONS = 5
# SAFETY.md 2 tier C: the 6-week rules apply only while recent pain is 3 or more, the median of
# the last 3 pain-before scores; a person at 0 to 2 is not told they failed to improve.
SIX_WEEK_MIN_PAIN = 3
SIX_WEEK_MEDIAN_OF = 3

# Stable ids of the advisories, for scripts reading --json; people read the title and message.
# The back line's ids are these with BACK_PREFIX in front ("back-worse-twice").
ID_WORSE_TWICE = "worse-twice"
ID_RISING = "rising-trend"
ID_NO_TWO_POINTS = "no-two-points"
ID_NOT_BETTER = "not-better"
BACK_PREFIX = "back-"

TITLE_WORSE_TWICE = "Two sessions in a row ended worse"
TITLE_RISING = "Your pain is trending up"
TITLE_NO_TWO_POINTS = "No 2-point improvement after 6 weeks"
TITLE_NOT_BETTER = "Not better after 6 weeks"
# The same titles naming the score ("leg pain", "back pain") when the line is not "pain".
_NAMED_TITLES = {
    ID_WORSE_TWICE: "Two sessions in a row ended with worse {noun}",
    ID_RISING: "Your {noun} is trending up",
    ID_NO_TWO_POINTS: "No 2-point improvement in {noun} after 6 weeks",
    ID_NOT_BETTER: "{Noun} not better after 6 weeks",
}
_TITLES = {
    ID_WORSE_TWICE: TITLE_WORSE_TWICE,
    ID_RISING: TITLE_RISING,
    ID_NO_TWO_POINTS: TITLE_NO_TWO_POINTS,
    ID_NOT_BETTER: TITLE_NOT_BETTER,
}
# Said when a rule read one-score sessions and, after them, leg scores of two-score sessions.
MIXED_NOTE = (
    "These are your one pain score from before you scored leg and back apart, and your leg "
    "pain since."
)

_BOOK = "Book an appointment with your GP or a physiotherapist."
_BOOK_ROUTINE = "Book a routine appointment with your GP or a physiotherapist."
_MAY_CONTINUE = "You can keep doing your sessions while you wait."


@dataclass(frozen=True)
class _Scored:
    """One real session's scores on one line; ``two``: the session had two scores."""

    started_at: datetime
    before: int | None
    after: int | None
    two: bool


@dataclass(frozen=True)
class _Line:
    """The sessions of one line, oldest first: the main line, or the ``back`` line."""

    back: bool
    sessions: list[_Scored]


@dataclass(frozen=True)
class _Words:
    """How an advisory names the line it read."""

    score: str  # Advisory.score: "pain", "leg" or "back"
    noun: str  # "pain", "leg pain", "back pain"
    note: str  # "" or " " + MIXED_NOTE
    prefix: str  # "" or BACK_PREFIX

    def title(self, rule: str) -> str:
        if self.noun == "pain":
            return _TITLES[rule]
        return _NAMED_TITLES[rule].format(noun=self.noun, Noun=self.noun.capitalize())


def advisories(sessions: Iterable[SessionRecord], *, now: datetime) -> list[Advisory]:
    """The reasons in the journal to see a GP or physiotherapist: rules (a) to (d) on the main
    line, then on the back line (a journal with two scores; see the module's docstring).

    Over real sessions only (see :func:`real_sessions`); ``now`` must be timezone-aware.
    "Pain" below is the line's score.

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
        (``safety.pain.change_label``: at least 2 points and at least 30 % lower).

    The *recent* score, for (c) and (d): the average pain before of the real sessions started
    in the 7 days up to ``now``, or the latest real session's pain before when there are none.
    (c) and (d) apply only while recent pain is 3 or more (SAFETY.md 2 tier C): the median of
    the last 3 pain-before scores (of those there are, when fewer than 3).
    """
    real = real_sessions(sessions)
    if not real:
        return []
    found: list[Advisory | None] = []
    for line in _lines(real):
        found += [_worse_twice(line), _rising_trend(line)]
        found += _six_weeks(line, real[0].started_at, now)
    return [advisory for advisory in found if advisory is not None]


def _lines(real: Sequence[SessionRecord]) -> list[_Line]:
    # SAFETY.md 4: with two scores, the rules "apply to each" score.
    main = [_Scored(s.started_at, s.pain_before, s.pain_after, two_scores(s)) for s in real]
    back = [_Scored(s.started_at, s.back_before, s.back_after, True) for s in real if two_scores(s)]
    return [_Line(False, main), _Line(True, back)]


def _words(line: _Line, read: Sequence[_Scored]) -> _Words:
    """The line's name for the sessions a rule read: a one-score journal reads as before."""
    if line.back:
        return _Words("back", "back pain", "", BACK_PREFIX)
    twos = sum(s.two for s in read)
    if not twos:
        return _Words("pain", "pain", "", "")
    if twos == len(read):
        return _Words("leg", "leg pain", "", "")
    return _Words("pain", "pain", f" {MIXED_NOTE}", "")


def _worse_twice(line: _Line) -> Advisory | None:
    # SAFETY.md 4 (product rule): two sessions in a row ending 2 or more points worse. Sessions
    # without both scores cannot say either way, so "in a row" skips over them.
    read = [s for s in line.sessions if s.before is not None and s.after is not None][-2:]
    if len(read) < 2 or not all(rose_by_two(s.before, s.after) for s in read):
        return None
    words = _words(line, read)
    pairs = [(b, a) for s in read if (b := s.before) is not None and (a := s.after) is not None]
    (b1, a1), (b2, a2) = pairs
    if words.noun == "pain":
        what = (
            f"Your last two sessions ended {a1 - b1} and {a2 - b2} points worse than they "
            f"started (pain {b1} to {a1}, then {b2} to {a2})."
        )
    else:
        what = (
            f"Your {words.noun} ended {a1 - b1} and {a2 - b2} points worse than it started in "
            f"your last two sessions ({b1} to {a1}, then {b2} to {a2})."
        )
    return Advisory(
        id=words.prefix + ID_WORSE_TWICE,
        title=words.title(ID_WORSE_TWICE),
        message=(
            f"{what}{words.note} {_BOOK} {_MAY_CONTINUE} "
            "Make them gentler until then: lighter pressure or less time."
        ),
        score=words.score,
    )


def _rising_trend(line: _Line) -> Advisory | None:
    # SAFETY.md 4 (product rule) and 2 tier C: a rising trend over the last 5 sessions.
    read = [s for s in line.sessions if s.before is not None][-TREND_SESSIONS:]
    befores = [s.before for s in read if s.before is not None]
    if len(befores) < TREND_SESSIONS:
        return None
    # Least squares with x centred on the middle session (-2..2): slope = sum(x*y) / sum(x*x),
    # and sum(x*x) is 10, so "slope >= 0.5" is the whole-number test "sum(x*y) >= 5".
    xs = (-2, -1, 0, 1, 2)
    numerator = sum(x * y for x, y in zip(xs, befores, strict=True))
    denominator = sum(x * x for x in xs)
    if 2 * numerator < denominator:
        return None
    words = _words(line, read)
    scores = ", ".join(str(b) for b in befores)
    return Advisory(
        id=words.prefix + ID_RISING,
        title=words.title(ID_RISING),
        message=(
            f"Your {words.noun} before your last {TREND_SESSIONS} sessions was {scores}: rising "
            f"by about {numerator / denominator:.1f} points a session.{words.note} {_BOOK} "
            f"{_MAY_CONTINUE}"
        ),
        score=words.score,
    )


def _six_weeks(line: _Line, started: datetime, now: datetime) -> list[Advisory | None]:
    # SAFETY.md 2 tier C: what six weeks of use (since ``started``, the first real session)
    # have (not) done for the line's pain.
    scored = [s for s in line.sessions if s.before is not None]
    befores = [before for s in scored if (before := s.before) is not None]
    if not befores or _low_recent_pain(befores):
        return []
    recent = _recent_before(scored, befores[-1], now)
    words = _words(line, [scored[0], *recent.read])
    first = befores[0]
    return [
        _no_two_points(scored[0].started_at, first, recent, now, words),
        _not_better(started, first, recent, now, words),
    ]


def _low_recent_pain(befores: Sequence[int]) -> bool:
    # SAFETY.md 2 tier C: a person at 0 to 2 is not told they failed to improve. Fractions keep
    # the median of two scores (2 and 3: 2.5) exact.
    last = [Fraction(before) for before in befores[-SIX_WEEK_MEDIAN_OF:]]
    return statistics.median(last) < SIX_WEEK_MIN_PAIN


@dataclass(frozen=True)
class _Recent:
    """The "now" side of the 6-week rules, how to name it to a person, and what it read."""

    score: Fraction
    words: str
    read: list[_Scored]


def _recent_before(scored: Sequence[_Scored], latest: int, now: datetime) -> _Recent:
    """The average pain before over the last 7 days, else the ``latest`` session's."""
    read = [s for s in scored if now - s.started_at <= RECENT_WINDOW]
    recent = [before for s in read if (before := s.before) is not None]
    if not recent:
        return _Recent(Fraction(latest), f"{latest} at your latest session", [scored[-1]])
    # A Fraction keeps the average exact, so the 2-point and 30 % edges are not lost to floats.
    average = Fraction(sum(recent), len(recent))
    count = "1 session" if len(recent) == 1 else f"{len(recent)} sessions"
    return _Recent(
        average, f"{_points(average, up=True)} on average over your last 7 days ({count})", read
    )


def _no_two_points(
    first_at: datetime, first_before: int, recent: _Recent, now: datetime, words: _Words
) -> Advisory | None:
    # SAFETY.md 2 tier C (product rule): no improvement of at least 2 points after 6 weeks.
    if now - first_at < SIX_WEEKS:
        return None
    improvement = first_before - recent.score
    if improvement >= 2:
        return None
    return Advisory(
        id=words.prefix + ID_NO_TWO_POINTS,
        title=words.title(ID_NO_TWO_POINTS),
        message=(
            f"It is {(now - first_at).days} days since your first session with a {words.noun} "
            f"score. Your {words.noun} before sessions was {first_before} then and is "
            f"{recent.words}: {_change_words(improvement)}, less than the 2 points we look for "
            f"after 6 weeks.{words.note} {_BOOK_ROUTINE} {_MAY_CONTINUE}"
        ),
        score=words.score,
    )


def _not_better(
    first_at: datetime, first_before: int, recent: _Recent, now: datetime, words: _Words
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
        id=words.prefix + ID_NOT_BETTER,
        title=words.title(ID_NOT_BETTER),
        message=(
            f"It is {(now - first_at).days} days since your first session, and your "
            f"{words.noun} is not clearly better: {first_before} before your first scored "
            f"session, {recent.words}.{words.note} Clearly better means at least 2 points and "
            "at least 30 % lower. Sciatica usually settles in 4 to 6 weeks. "
            f"{_BOOK_ROUTINE} {_MAY_CONTINUE}"
        ),
        score=words.score,
    )


def _points(value: Fraction, *, up: bool = False) -> str:
    """A score as a person reads it: ``5`` or ``5.5``, to a tenth, rounded ``up`` or down.

    Rounding is chosen so the shown number never contradicts the advice: a recent pain
    score rounds up and an improvement rounds down, so 1.96 points is never shown as "2".
    """
    tenths = math.ceil(value * 10) if up else math.floor(value * 10)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def _change_words(improvement: Fraction) -> str:
    # "lower" and "higher", not "better" and "worse": those words are the change labels'
    # (SAFETY.md 4), and a 1-point rise is "no clear change", never "1 point worse".
    if improvement == 0:
        return "no change"
    size = abs(improvement)
    unit = "point" if size == 1 else "points"
    return f"{_points(size)} {unit} {'lower' if improvement > 0 else 'higher'}"
