"""The questions around a session: red flags, contraindications and pain (SAFETY.md 2-4).

Each flow talks to the person through a :class:`Prompter` and to the journal through an
optional store, so it can be tested with scripted answers. Without a terminal nothing is asked
(and the person is told what was skipped); an answer given as an option is used as is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sciatica_cli.safety.rules import (
    CONDITIONS,
    EMERGENCY_ADVICE,
    STOP_ADVICE,
    STOP_NOW_ADVICE,
    TIER_A,
    TIER_B,
    URGENT_ADVICE,
    ScreenResult,
    after_session_advice,
    change_label,
    contraindication_notes,
    rose_by_two,
    screen_due,
    screen_result,
)
from sciatica_cli.wallclock import utc_now

if TYPE_CHECKING:
    from sciatica_cli.safety.prompter import Prompter


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


class ScoredSession(Protocol):
    """The pain scores of a finished session."""

    @property
    def pain_before(self) -> int | None: ...
    @property
    def pain_after(self) -> int | None: ...


class SafetyRecords(Protocol):
    """What the screening needs from the journal (the session store provides it)."""

    def last_screen(self) -> ScreenAnswers | None: ...
    def last_finished_session(self) -> ScoredSession | None: ...
    def record_screen(self, answers: Mapping[str, bool], *, result: str, assessed: bool) -> int: ...
    def contraindications(self) -> ConditionAnswers | None: ...
    def record_contraindications(self, answers: Mapping[str, bool]) -> None: ...


@dataclass(frozen=True)
class Verdict:
    """Whether a session may go ahead; ``reason`` is recorded when it may not."""

    go: bool
    reason: str | None = None


GO = Verdict(True)


def red_flag_check(
    prompter: Prompter,
    store: SafetyRecords | None,
    *,
    assessed: bool,
    now: Callable[[], datetime] = utc_now,
) -> Verdict:
    """SAFETY.md 2: the tier A and B screen when due; tier B needs a confirmed assessment."""
    last = store.last_screen() if store else None
    previous = store.last_finished_session() if store else None
    worse = previous is not None and rose_by_two(previous.pain_before, previous.pain_after)
    due = screen_due(last.answered_at if last else None, now(), last_session_worse=worse)
    if last is not None and last.result == ScreenResult.EMERGENCY.value:
        due = True  # an emergency answer is never carried forward as settled
    if due:
        if not prompter.interactive and last is not None and last.result == "emergency":
            # SAFETY.md 2 tier A: an emergency answer stands until it is answered again.
            prompter.say(EMERGENCY_ADVICE, "bold red")
            prompter.say(
                "Your last answers to the warning-sign questions need medical help. "
                "Answer them again in a terminal: sciatica safety screen",
                "bold",
            )
            return Verdict(False, "red flag")
        if not prompter.interactive:
            prompter.say(
                "The warning-sign questions were not asked: there is no terminal to "
                "answer them. Run 'sciatica routine start' in a terminal.",
                "yellow",
            )
            return GO
        return run_screen(prompter, store, assessed=assessed)
    if last is not None and last.result == ScreenResult.URGENT.value and not last.assessed:
        return _confirm_assessed(prompter, store, dict(last.answers), assessed=assessed)
    return GO


def run_screen(prompter: Prompter, store: SafetyRecords | None, *, assessed: bool) -> Verdict:
    """SAFETY.md 2: ask tier A (stopping at the first yes), then tier B; record the answers."""
    prompter.say("Before you start: a few questions about warning signs. Answer y or n.", "bold")
    answers: dict[str, bool] = {}
    for qid, question in TIER_A:
        answers[qid] = prompter.yes_no(question)
        if answers[qid]:  # SAFETY.md 2 tier A: no session, emergency advice, at once
            if store:
                store.record_screen(answers, result=ScreenResult.EMERGENCY.value, assessed=False)
            prompter.say(EMERGENCY_ADVICE, "bold red")
            return Verdict(False, "red flag")
    for qid, question in TIER_B:
        answers[qid] = prompter.yes_no(question)
    if screen_result(answers) is ScreenResult.URGENT:
        return _confirm_assessed(prompter, store, answers, assessed=assessed)
    if store:
        store.record_screen(answers, result=ScreenResult.CLEAR.value, assessed=False)
    return GO


def _confirm_assessed(
    prompter: Prompter, store: SafetyRecords | None, answers: dict[str, bool], *, assessed: bool
) -> Verdict:
    """SAFETY.md 2 tier B: start only once the person confirms they have been assessed."""
    prompter.say(URGENT_ADVICE, "bold yellow")
    if not assessed and prompter.interactive:
        assessed = prompter.yes_no(
            "Have you been assessed by a doctor or clinician since these signs began?", False
        )
    if store:
        store.record_screen(answers, result=ScreenResult.URGENT.value, assessed=assessed)
    if not assessed:
        prompter.say(
            "The session will not start until you have been assessed. Once you "
            "have, start again (or add --assessed).",
            "yellow",
        )
        return Verdict(False, "red flag")
    return GO


def contraindication_check(prompter: Prompter, store: SafetyRecords | None) -> Verdict:
    """SAFETY.md 3: asked once (and kept), shown before every session; some rule it out."""
    record = store.contraindications() if store else None
    answers: dict[str, bool] = dict(record.answers) if record else {}
    if record is None:
        if prompter.interactive:
            answers = ask_conditions(prompter)
            if store:
                store.record_contraindications(answers)
        else:
            prompter.say(
                "Health conditions were not asked: there is no terminal to answer. "
                "'sciatica safety conditions' asks them.",
                "yellow",
            )
    blocking, notes = contraindication_notes(answers)
    for note in notes:
        prompter.say(note, "yellow")
    if blocking:
        names = "; ".join(c.question.rstrip("?") for c in blocking)
        prompter.say(f"{STOP_ADVICE} ({names})", "bold red")
        return Verdict(False, "contraindication")
    return GO


def ask_conditions(prompter: Prompter) -> dict[str, bool]:
    """SAFETY.md 3: ask about each condition once; 'sciatica safety conditions' re-asks."""
    prompter.say("Do any of these apply to you now? Answer y or n.", "bold")
    return {c.id: prompter.yes_no(c.question) for c in CONDITIONS}


def pain_before(prompter: Prompter, given: int | None) -> int | None:
    """SAFETY.md 4: pain before the session, from --pain-before or asked."""
    if given is not None or not prompter.interactive:
        return given
    return prompter.pain("How bad is your pain right now?")


def pain_after(prompter: Prompter, before: int | None) -> int | None:
    """SAFETY.md 4: pain after, the change label and the advice that follows from it."""
    if not prompter.interactive:
        return None
    after = prompter.pain("How bad is your pain now, after the session?")
    if after is not None and before is not None:
        label = change_label(before, after)
        prompter.say(f"Pain {before} -> {after}: {label}.", "bold")
    for advice in after_session_advice(before, after):
        prompter.say(advice, "yellow" if "gentler" in advice else "")
    return after


def sharp_pain_followup(prompter: Prompter, store: SafetyRecords | None) -> Verdict:
    """SAFETY.md 4 and 2: after a sharp-pain stop, the advice, then the tier A questions."""
    prompter.say("Stopped. " + STOP_NOW_ADVICE, "bold red")
    prompter.say(
        "Do not carry on today. If the pain stays sharp or you notice any of the "
        "signs below, get medical help.",
        "bold",
    )
    if not prompter.interactive:
        prompter.say(
            "If you have any of these, call your emergency number now: "
            + " ".join(q for _, q in TIER_A),
            "bold",
        )
        return Verdict(False, "sharp pain")
    answers: dict[str, bool] = {}
    for qid, question in TIER_A:
        answers[qid] = prompter.yes_no(question)
        if answers[qid]:
            if store:
                store.record_screen(answers, result=ScreenResult.EMERGENCY.value, assessed=False)
            prompter.say(EMERGENCY_ADVICE, "bold red")
            return Verdict(False, "sharp pain, red flag")
    return Verdict(False, "sharp pain")
