"""The warning-sign screen and the health conditions, asked before a session (SAFETY.md 2, 3).

Each flow talks to the person through a :class:`~sciatica_cli.safety.prompter.Prompter` and to
the journal through :class:`SafetyRecords`, so it can be tested with scripted answers. Where no
one can answer (no terminal), a session that needs an answer does not start: the message names
the command that asks the questions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from sciatica_cli.safety import conditions, redflags
from sciatica_cli.safety.pain import ScoredSession, session_worse
from sciatica_cli.safety.redflags import EMERGENCY_ADVICE, URGENT_ADVICE, ScreenResult
from sciatica_cli.wallclock import local_tz, utc_now

if TYPE_CHECKING:
    from sciatica_cli.safety.prompter import Prompter

ANSWER_AGAIN = "To answer the questions again: sciatica safety screen"
WHICH = "Which? Type their numbers (for example: 1 3)"


class ScreenAnswers(Protocol):
    """A red-flag screen as the journal keeps it."""

    @property
    def answered_at(self) -> datetime: ...
    @property
    def answers(self) -> Mapping[str, bool]: ...
    @property
    def result(self) -> str: ...
    @property
    def assessed(self) -> bool: ...


class ConditionAnswers(Protocol):
    """The health-condition answers as the journal keeps them."""

    @property
    def answers(self) -> Mapping[str, bool]: ...


class FinishedSession(ScoredSession, Protocol):
    """How the latest finished session went: its pain scores (one or two), and more."""

    @property
    def routine(self) -> str: ...
    @property
    def stop_reason(self) -> str | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...


class SafetyRecords(Protocol):
    """What the screening needs from the journal (the session store provides it)."""

    def last_screen(self) -> ScreenAnswers | None: ...
    def last_finished_session(self) -> FinishedSession | None: ...
    def record_screen(self, answers: Mapping[str, bool], *, result: str, assessed: bool) -> int: ...
    def contraindications(self) -> ConditionAnswers | None: ...
    def record_contraindications(self, answers: Mapping[str, bool]) -> None: ...


@dataclass(frozen=True)
class Verdict:
    """Whether a session may go ahead; ``reason`` is recorded when it may not."""

    go: bool
    reason: str | None = None


GO = Verdict(True)


def ask_group(
    prompter: Prompter, heading: str, items: Sequence[tuple[str, str]]
) -> dict[str, bool]:
    """SAFETY.md 2 (product rule): show the whole list, ask one question, and only on "yes"
    ask which, so every item gets its own answer."""
    prompter.say(heading, "bold")
    for number, (_, text) in enumerate(items, start=1):
        prompter.say(f"  {number}. {text}")
    answers = {qid: False for qid, _ in items}
    if prompter.yes_no("Do any of these apply to you now?"):
        for number in prompter.numbers(WHICH, len(items)):
            answers[items[number - 1][0]] = True
    return answers


def _named(answers: Mapping[str, bool], ids: Sequence[str]) -> str:
    return "; ".join(redflags.question(q).rstrip("?") for q in ids if answers.get(q, False))


def _when(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"


def tier_a_standing(last: ScreenAnswers | None) -> bool:
    """SAFETY.md 2 (product rule): a tier A "yes" stands until a doctor has seen the person."""
    return last is not None and last.result == ScreenResult.EMERGENCY.value and not last.assessed


def screen_due_reason(
    last: ScreenAnswers | None, previous: FinishedSession | None, now: datetime, tz: tzinfo
) -> str | None:
    """SAFETY.md 2 and 4: why the warning-sign screen is due before a session starting
    ``now`` (words for the today view), or None. ``last``: the latest screen recorded;
    ``previous``: the latest finished session. The one rule that ``routine start``
    (:func:`red_flag_check`) and the today view both follow."""
    if last is None:
        return "the warning-sign questions come before your first session"
    if tier_a_standing(last):
        when = last.answered_at.astimezone(tz)
        return (
            f"on {when:%a} {when.day} {when:%b} you answered yes to a warning sign that needs "
            "a doctor now; once a doctor has seen you about it, answer the questions again"
        )
    if last.result == ScreenResult.EMERGENCY.value:
        return "a doctor has seen you since your last answers; answer them afresh"
    # SAFETY.md 2 ("whenever a session ends with pain worse") and 4 (after a sharp-pain stop):
    # due until a *full* screen is answered after that session ended, whether at a start or
    # with `sciatica safety screen`, so the person is not asked twice for one bad session. The
    # sharp-pain follow-up's own record (tier A only, pain_questions.sharp_pain_followup) is
    # not a full screen and never counts.
    if previous is not None and not (_full(last) and last.answered_at > _ended(previous)):
        if _sharp_stop(previous):
            return "your last session stopped for sharp pain"
        # SAFETY.md 2 and 4: worse on either score (leg or back) brings the screen back.
        if session_worse(previous):
            return "your last session ended with more pain than it started with"
    if redflags.screen_due(last.answered_at, now):
        days = (now - last.answered_at).days
        return f"you last answered the warning-sign questions {days} days ago"
    return None


def _full(screen: ScreenAnswers) -> bool:
    # A full screen answered every tier A and tier B question (run_screen); the sharp-pain
    # follow-up records tier A only.
    return all(qid in screen.answers for qid, _ in (*redflags.TIER_A, *redflags.TIER_B))


def _ended(session: FinishedSession) -> datetime:
    return session.ended_at or session.started_at


def _sharp_stop(session: FinishedSession) -> bool:
    return (session.stop_reason or "").startswith("sharp pain")


def red_flag_check(
    prompter: Prompter,
    records: SafetyRecords | None,
    *,
    assessed: bool,
    now: Callable[[], datetime] = utc_now,
    tz: tzinfo | None = None,
) -> Verdict:
    """SAFETY.md 2, before a real session: a standing emergency answer, a same-day restart
    after a sharp-pain stop, then the screen when it is due (:func:`screen_due_reason`). No
    valid screen, no session."""
    zone = tz or local_tz()
    last = records.last_screen() if records else None
    if tier_a_standing(last):
        assert last is not None  # tier_a_standing says so
        if not _seen_since_emergency(prompter, records, last, zone):
            return Verdict(False, "red flag")
        last = None  # confirmed seen: the screen is asked afresh
    previous = records.last_finished_session() if records else None
    restart = False
    if previous is not None and _sharp_stop(previous) and _same_day(previous.ended_at, now(), zone):
        # SAFETY.md 4 (product rule): the same day as a sharp-pain stop, a new session needs an
        # explicit yes to a reminder of the stop, and runs the screen again whatever was
        # answered since (the today view says to rest that day: a session was held today).
        if not _restart_after_sharp_stop(prompter, previous, zone):
            return Verdict(False, "sharp pain earlier today")
        restart = True
    if restart or screen_due_reason(last, previous, now(), zone) is not None:
        if not prompter.interactive:
            # SAFETY.md 2 (product rule): where no one can answer, the session does not start.
            prompter.say(
                "The warning-sign questions are due and there is no terminal to answer them, "
                "so the session will not start. Answer them first: sciatica safety screen",
                "bold",
            )
            return Verdict(False, "red flag")
        return run_screen(prompter, records, assessed=assessed)
    if last is not None and last.result == ScreenResult.URGENT.value and not last.assessed:
        return _confirm_assessed(prompter, records, dict(last.answers), assessed=assessed)
    return GO


def _seen_since_emergency(
    prompter: Prompter, records: SafetyRecords | None, last: ScreenAnswers, tz: tzinfo
) -> bool:
    """SAFETY.md 2 (product rule): a tier A "yes" stands until the person confirms a doctor
    has seen them about it; it cannot be answered away."""
    ids = [q for q, _ in redflags.TIER_A]
    prompter.say(
        f"On {_when(last.answered_at, tz)} you answered yes to: {_named(last.answers, ids)}.",
        "bold red",
    )
    prompter.say(EMERGENCY_ADVICE, "bold red")
    if not prompter.interactive:
        prompter.say(
            "The session will not start. Once a doctor has seen you about it, run in a "
            "terminal: sciatica safety screen",
            "bold",
        )
        return False
    if not prompter.yes_no("Has a doctor seen you about this since then?", False):
        prompter.say("The session will not start until a doctor has seen you about it.", "bold")
        return False
    if records:
        records.record_screen(last.answers, result=ScreenResult.EMERGENCY.value, assessed=True)
    return True


def _same_day(moment: datetime | None, now: datetime, tz: tzinfo) -> bool:
    return moment is not None and moment.astimezone(tz).date() == now.astimezone(tz).date()


def _restart_after_sharp_stop(prompter: Prompter, previous: FinishedSession, tz: tzinfo) -> bool:
    ended = previous.ended_at
    at = f" at {ended.astimezone(tz):%H:%M}" if ended is not None else ""
    prompter.say(
        f"Earlier today{at} you stopped {previous.routine} for sharp pain. Resting for the "
        "rest of the day is usually wiser.",
        "bold yellow",
    )
    if not prompter.interactive:
        prompter.say(
            "There is no terminal to confirm a new session, so it will not start. "
            "If you are sure, start it in a terminal: sciatica routine start",
            "bold",
        )
        return False
    return prompter.yes_no("Start a new session anyway?", False)


def screen_now(prompter: Prompter, records: SafetyRecords | None, *, assessed: bool) -> Verdict:
    """``sciatica safety screen``: a standing emergency answer first, then the whole screen."""
    last = records.last_screen() if records else None
    if (
        tier_a_standing(last)
        and last is not None
        and not _seen_since_emergency(prompter, records, last, local_tz())
    ):
        return Verdict(False, "red flag")
    return run_screen(prompter, records, assessed=assessed)


def run_screen(prompter: Prompter, records: SafetyRecords | None, *, assessed: bool) -> Verdict:
    """SAFETY.md 2: tier A then tier B, each as one list; record every answer with the date."""
    answers = ask_group(
        prompter,
        "Warning signs that need a doctor NOW. Do you have any of these?",
        redflags.TIER_A,
    )
    if redflags.screen_result(answers) is ScreenResult.EMERGENCY:
        if records:
            records.record_screen(answers, result=ScreenResult.EMERGENCY.value, assessed=False)
        ids = [q for q, _ in redflags.TIER_A]
        prompter.say(f"You answered yes to: {_named(answers, ids)}.", "bold red")
        prompter.say(EMERGENCY_ADVICE, "bold red")
        return Verdict(False, "red flag")
    answers |= ask_group(
        prompter,
        "Signs that need a doctor within 48 hours. Do you have any of these?",
        redflags.TIER_B,
    )
    if redflags.screen_result(answers) is ScreenResult.URGENT:
        return _confirm_assessed(prompter, records, answers, assessed=assessed)
    if records:
        records.record_screen(answers, result=ScreenResult.CLEAR.value, assessed=False)
    return GO


def _confirm_assessed(
    prompter: Prompter, records: SafetyRecords | None, answers: dict[str, bool], *, assessed: bool
) -> Verdict:
    """SAFETY.md 2 tier B: start only once the person confirms they have been assessed."""
    ids = [q for q, _ in redflags.TIER_B]
    prompter.say(f"You answered yes to: {_named(answers, ids)}.", "bold yellow")
    prompter.say(URGENT_ADVICE, "bold yellow")
    if not assessed and prompter.interactive:
        assessed = prompter.yes_no(
            "Has a doctor or clinician assessed you for this since it began?", False
        )
    if records:
        records.record_screen(answers, result=ScreenResult.URGENT.value, assessed=assessed)
    if not assessed:
        prompter.say(
            "The session will not start until you have been assessed. Once you have, "
            f"start again and say so (or add --assessed). {ANSWER_AGAIN}",
            "bold",
        )
        return Verdict(False, "red flag")
    return GO


@dataclass(frozen=True)
class ConditionsVerdict:
    """Whether the conditions allow a session, and every condition known (for the notes)."""

    verdict: Verdict
    answers: Mapping[str, bool]


def contraindication_check(prompter: Prompter, records: SafetyRecords | None) -> ConditionsVerdict:
    """SAFETY.md 3: asked once (and kept), shown before every session; some rule it out."""
    record = records.contraindications() if records else None
    if record is None:
        if not prompter.interactive:
            prompter.say(
                "The health-condition questions have not been answered and there is no "
                "terminal to ask them, so the session will not start. Answer them first: "
                "sciatica safety conditions",
                "bold",
            )
            return ConditionsVerdict(Verdict(False, "contraindication"), {})
        asked = ask_conditions(prompter)
        if records:
            records.record_contraindications(asked)
        answers: Mapping[str, bool] = asked
    else:
        answers = record.answers
    screen = records.last_screen() if records else None
    known = _with_screen(answers, screen.answers if screen else {})
    blocking, notes = conditions.contraindication_notes(known)
    for note in notes:
        prompter.say(note, "yellow")
    if blocking:
        prompter.say(conditions.blocking_message(blocking), "bold red")
        return ConditionsVerdict(Verdict(False, "contraindication"), known)
    return ConditionsVerdict(GO, known)


def _with_screen(answers: Mapping[str, bool], screen: Mapping[str, bool]) -> dict[str, bool]:
    # SAFETY.md 2 and 3: a condition answered in the screen counts (fever, cancer).
    merged = dict(answers)
    for cid, yes in conditions.from_screen(screen).items():
        merged[cid] = merged.get(cid, False) or yes
    return merged


def conditions_now(prompter: Prompter, records: SafetyRecords) -> Verdict:
    """``sciatica safety conditions``: ask again, keep the answers, show what they mean."""
    answers = ask_conditions(prompter)
    records.record_contraindications(answers)
    screen = records.last_screen()
    blocking, notes = conditions.contraindication_notes(
        _with_screen(answers, screen.answers if screen else {})
    )
    for note in notes:
        prompter.say(note, "yellow")
    if blocking:
        prompter.say(conditions.blocking_message(blocking), "bold red")
        return Verdict(False, "contraindication")
    return GO


def ask_conditions(prompter: Prompter) -> dict[str, bool]:
    """SAFETY.md 3: the conditions as one list (fever and cancer come from the screen)."""
    return ask_group(
        prompter,
        "Health conditions (asked once; 'sciatica safety conditions' changes them). "
        "Do you have any of these?",
        [(c.id, c.question) for c in conditions.ASKED],
    )
