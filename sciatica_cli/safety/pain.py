"""SAFETY.md 4, the pain rules, as plain functions. Pure: no I/O, no clock of its own.

One rule, one place: the change label, the traffic light before and after a session, the
24-hour rule for next-morning scores and what counts towards the weekly goal are decided
here and nowhere else; every screen, export and report reads them from this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Literal, Protocol

ChangeLabel = Literal["better", "worse", "no clear change"]
Morning = Literal["settled", "not settled"]

PAIN_SCALE = "0 to 10: 0 is no pain, 10 is the worst imaginable"
# SAFETY.md 4: a next-morning score belongs to a session that ended at most this long before.
MORNING_WINDOW = timedelta(hours=36)


def change_label(before: int | Fraction, after: int | Fraction) -> ChangeLabel:
    """SAFETY.md 4: "worse" when pain rose by 2 points or more, whatever the percentage;
    "better" when it fell by at least 2 points AND at least 30 % of the starting score;
    otherwise "no clear change". Exact for whole numbers and for an average kept as a
    Fraction."""
    change = Fraction(after) - Fraction(before)
    if change >= 2:  # safety errs towards worse: no percentage needed
        return "worse"
    # Exact arithmetic, so exactly 30 % counts without float rounding.
    if change <= -2 and -change * 10 >= 3 * Fraction(before):
        return "better"
    return "no clear change"


def rose_by_two(before: int | None, after: int | None) -> bool:
    """SAFETY.md 4 (product rule): after-session pain 2 or more points above before."""
    return before is not None and after is not None and change_label(before, after) == "worse"


def counts_towards_goal(done_seconds: float, planned_seconds: float) -> bool:
    """SAFETY.md 4 (product rule): a session counts when at least half its planned time was
    done; skipping every step is not a session."""
    return planned_seconds > 0 and 2 * done_seconds >= planned_seconds


def morning_verdict(pain_before: int, morning: int) -> Morning:
    """SAFETY.md 4, the 24-hour rule: settled when the next-morning score is no more than
    1 point above the session's own pain-before score."""
    return "settled" if morning - pain_before <= 1 else "not settled"


def morning_belongs_to(ended_at: datetime, now: datetime, tz: tzinfo) -> bool:
    """SAFETY.md 4: a next-morning score belongs to a session that ended on an earlier
    calendar day (in the person's zone) and at most 36 hours before."""
    earlier_day = ended_at.astimezone(tz).date() < now.astimezone(tz).date()
    return earlier_day and timedelta(0) <= now - ended_at <= MORNING_WINDOW


def before_session_advice(score: int, name: str = "pain") -> str | None:
    """SAFETY.md 4, the traffic light before a session (product rule); ``name`` says which
    score it is ("leg pain", "back pain") when there are two."""
    if score >= 8:
        return (
            f"Your {name} is {score} out of 10. Rest today rather than massage. If this pain is "
            "new or much worse than usual, contact your GP or an urgent-care line (NHS 111 "
            "in the UK)."
        )
    if score >= 6:
        return (
            f"Your {name} is {score} out of 10: go gently today. Every step uses its shortest "
            "time, use lighter pressure (a tennis ball rather than a lacrosse ball), and stop "
            "if the pain rises."
        )
    if score >= 4:
        return f"Your {name} is {score} out of 10: ease the pressure today."
    return None


def needs_rest_confirmation(score: int | None) -> bool:
    """SAFETY.md 4: from 8, starting needs an explicit "yes" (the default is no)."""
    return score is not None and score >= 8


def go_gently(score: int | None) -> bool:
    """SAFETY.md 4: from 6, the session uses the shortest dose of every step."""
    return score is not None and score >= 6


# SAFETY.md 4: stop at once, whatever the score, for these.
STOP_NOW_ADVICE = (
    "Stop at once, whatever the score, for sharp, shooting or electric pain; new or increasing "
    "tingling or numbness; or leg symptoms spreading further down the leg. On a ball or "
    "roller, move off any spot that sets off tingling."
)
# SAFETY.md 4: after a sharp-pain stop, what to do now.
AFTER_STOP = (
    "Come off the ball or roller slowly. Lie or sit in a comfortable position and rest. "
    "No more massage today."
)
DURING_SESSION = "If the pain reaches 6 or more during a step, ease off or skip that step (n)."


def after_session_advice(before: int | None, after: int | None) -> list[str]:
    """SAFETY.md 4: what the pain after a session means, most urgent first (one score)."""
    return after_scores_advice(make_scores("one", before, after))


def after_scores_advice(scores: Sequence[Score]) -> list[str]:
    """SAFETY.md 4: what the pain after a session means, most urgent first. With two scores
    the traffic light follows the higher score after, named (safety errs towards caution),
    and a rise of 2 points on either score is "worse"."""
    top = highest(scores, after=True)
    after = None if top is None else top.after
    two = len(scores) > 1
    advice = []
    if after is not None and after >= 8:
        advice.append(
            "If the pain does not ease with rest, contact your GP or an urgent-care line "
            "(NHS 111 in the UK)."
        )
    if after is not None and after >= 6:
        advice.append(
            "That is a lot of pain: make the next session gentler (lighter pressure, less "
            "time), and skip it if the pain has not settled by then."
        )
    elif after is not None and after >= 4:
        command = "sciatica checkin --pain N --back N" if two else "sciatica checkin --pain N"
        advice.append(f"It should settle within 24 hours. Check in tomorrow morning: {command}")
    if advice and two and top is not None:
        advice[0] = f"Your {top.name} is {after} out of 10. {advice[0]}"
    worse = [s.name for s in scores if s.worse]
    if worse:
        # SAFETY.md 4 (product rule) and 2: a gentler session next time, and a new screen.
        subject = f"Your {' and '.join(worse)} {'are' if len(worse) > 1 else 'is'}"
        advice.append(
            f"{subject} 2 or more points higher than before the session. Make the next "
            "session gentler, and the warning-sign questions will be asked again next time."
        )
    return advice


def change_lines(scores: Sequence[Score]) -> list[str]:
    """SAFETY.md 4: each score's change as a person reads it: "Leg pain 7 -> 5: better."."""
    return [
        f"{s.name.capitalize()} {s.before} -> {s.after}: {s.change}."
        for s in scores
        if s.change is not None
    ]


# -- two scores: leg pain and back pain, each on its own (SAFETY.md 4) ----------------------


class ScoredSession(Protocol):
    """A session's pain scores, as ``journal.records.SessionRecord`` holds them: with
    ``pain_scores`` "two", ``pain_*``/``morning_pain`` are the leg's and ``back_*`` the back's."""

    @property
    def pain_scores(self) -> str: ...
    @property
    def pain_before(self) -> int | None: ...
    @property
    def pain_after(self) -> int | None: ...
    @property
    def back_before(self) -> int | None: ...
    @property
    def back_after(self) -> int | None: ...


class MorningScored(ScoredSession, Protocol):
    """A session with its latest next-morning scores."""

    @property
    def morning_pain(self) -> int | None: ...
    @property
    def morning_back(self) -> int | None: ...


@dataclass(frozen=True)
class Score:
    """One pain score of a session: "pain" (one score), or "leg pain" / "back pain" (two)."""

    name: str
    before: int | None
    after: int | None
    morning: int | None = None

    @property
    def change(self) -> ChangeLabel | None:
        """The change label, or None without both scores."""
        if self.before is None or self.after is None:
            return None
        return change_label(self.before, self.after)

    @property
    def worse(self) -> bool:
        return rose_by_two(self.before, self.after)

    @property
    def verdict(self) -> Morning | None:
        """The 24-hour rule on this score; None without a before and a morning score."""
        if self.before is None or self.morning is None:
            return None
        return morning_verdict(self.before, self.morning)


def score_names(pain_scores: str) -> tuple[str, ...]:
    """The names of the scores asked with this setting: ("pain",) or ("leg pain", "back pain")."""
    return ("leg pain", "back pain") if pain_scores == "two" else ("pain",)


def make_scores(
    pain_scores: str,
    before: int | None,
    after: int | None,
    back_before: int | None = None,
    back_after: int | None = None,
    morning: int | None = None,
    morning_back: int | None = None,
) -> tuple[Score, ...]:
    """Each score of a session with one or two scores, the leg (the main one) first."""
    if pain_scores != "two":
        return (Score("pain", before, after, morning),)
    return (
        Score("leg pain", before, after, morning),
        Score("back pain", back_before, back_after, morning_back),
    )


def session_scores(session: ScoredSession) -> tuple[Score, ...]:
    """Each score of a recorded session, (name, before, after, morning), the leg first."""
    return make_scores(
        session.pain_scores,
        session.pain_before,
        session.pain_after,
        session.back_before,
        session.back_after,
        getattr(session, "morning_pain", None),
        getattr(session, "morning_back", None),
    )


def scores_change(scores: Sequence[Score]) -> ChangeLabel | None:
    """SAFETY.md 4: a session's one change label. "worse" when any score is worse (safety
    errs towards worse); otherwise the label of the main score (the leg's, the first that
    has both scores); None when no score has both."""
    labels = [s.change for s in scores if s.change is not None]
    if "worse" in labels:
        return "worse"
    return labels[0] if labels else None


def session_change(session: ScoredSession) -> ChangeLabel | None:
    """SAFETY.md 4: the session's one change label, from one score or two."""
    return scores_change(session_scores(session))


def scores_worse(scores: Sequence[Score]) -> bool:
    """SAFETY.md 4 (product rule): any score 2 or more points up: a gentler session next time
    and the red-flag screen again."""
    return any(s.worse for s in scores)


def session_worse(session: ScoredSession) -> bool:
    """SAFETY.md 4 and 2: the session ended worse on any of its scores."""
    return scores_worse(session_scores(session))


def scores_morning(scores: Sequence[Score]) -> Morning | None:
    """SAFETY.md 4, the 24-hour rule on each score: "not settled" when any score has not
    settled, "settled" when every score compared has; None when none could be compared."""
    verdicts = [s.verdict for s in scores if s.verdict is not None]
    if not verdicts:
        return None
    return "not settled" if "not settled" in verdicts else "settled"


def session_morning(session: MorningScored) -> Morning | None:
    """SAFETY.md 4: the session's next-morning verdict over its scores."""
    return scores_morning(session_scores(session))


def highest(scores: Sequence[Score], *, after: bool = False) -> Score | None:
    """The score with the higher pain before (or ``after``), the leg's on a tie: the traffic
    light follows it (safety errs towards caution); None when none was given."""
    top: Score | None = None
    top_value = -1
    for score in scores:
        value = score.after if after else score.before
        if value is not None and value > top_value:
            top, top_value = score, value
    return top


def highest_before(session: ScoredSession) -> int | None:
    """The higher pain-before score of a session (either score): what "pain before is 6 or
    more" and "go gently" read."""
    top = highest(session_scores(session))
    return None if top is None else top.before


def gentle_before(scores: Sequence[Score]) -> bool:
    """SAFETY.md 4: from 6 before on either score, the shortest dose of every step."""
    top = highest(scores)
    return top is not None and go_gently(top.before)
