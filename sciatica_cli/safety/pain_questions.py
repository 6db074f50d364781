"""The pain questions around a session and what each answer means (SAFETY.md 4).

One pain score, or leg pain and back pain each on its own (the ``pain_scores`` setting, asked
once). Before: the score(s) and the advice for the higher one; from 8, starting needs an
explicit "yes". After: the score(s), each change label and the advice. After a sharp-pain stop:
what to do now, the pain now and the emergency questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sciatica_cli.config import PAIN_SCORES, load_settings, remember
from sciatica_cli.safety import pain, redflags
from sciatica_cli.safety.pain import Score
from sciatica_cli.safety.redflags import EMERGENCY_ADVICE, ScreenResult
from sciatica_cli.safety.screening import GO, SafetyRecords, Verdict, ask_group

if TYPE_CHECKING:
    from sciatica_cli.safety.prompter import Prompter


CHANGE_SCORES = "To change it: sciatica safety scores one|two"


@dataclass(frozen=True)
class PainAnswer:
    """Pain scores given at one moment: one ``pain`` score, or (``pain_scores`` "two") the
    leg's in ``pain`` and the back's in ``back`` (SAFETY.md 4)."""

    pain_scores: str = "one"
    pain: int | None = None
    back: int | None = None

    def scores(self) -> tuple[Score, ...]:
        """These as the scores before a session (no after yet)."""
        return pain.make_scores(self.pain_scores, self.pain, None, self.back)


def pain_scores_setting(prompter: Prompter) -> str:
    """SAFETY.md 4: one pain score or two (leg and back): remembered, else asked once in a
    terminal and remembered; where no one can answer, one score, not remembered."""
    chosen = load_settings().pain_scores
    if chosen is not None:
        return chosen
    if not prompter.interactive:
        return "one"
    prompter.say(
        "You can record one pain score, or your leg pain and your back pain each on its own. "
        "In sciatica the leg pain is the main one to watch."
    )
    chosen = prompter.choice("One pain score, or two (leg and back)?", PAIN_SCORES)
    remember({"pain_scores": chosen})
    prompter.say(f"Pain scores: {chosen}. {CHANGE_SCORES}")
    return chosen


def ask_scores(prompter: Prompter, pain_scores: str, when: str) -> PainAnswer:
    """Ask each pain score ("How bad is your leg pain right now?"), the leg first."""
    answers = [
        prompter.pain(f"How bad is your {name} {when}?") for name in pain.score_names(pain_scores)
    ]
    return PainAnswer(pain_scores, answers[0], answers[1] if len(answers) > 1 else None)


def pain_scores_before(
    prompter: Prompter, given: int | None, given_back: int | None = None
) -> PainAnswer:
    """SAFETY.md 4: pain before the session, one score or two (the setting, asked once; a
    back score given makes it two), from --pain-before (the leg's with two) and
    --back-pain-before, and in a terminal the rest asked."""
    scores = "two" if given_back is not None else pain_scores_setting(prompter)
    if scores == "one":
        return PainAnswer("one", pain_before(prompter, given))
    if not prompter.interactive or (given is not None and given_back is not None):
        return PainAnswer("two", given, given_back)
    leg = given if given is not None else prompter.pain("How bad is your leg pain right now?")
    back = given_back
    if back is None:
        back = prompter.pain("How bad is your back pain right now?")
    return PainAnswer("two", leg, back)


def pain_before(prompter: Prompter, given: int | None) -> int | None:
    """SAFETY.md 4: pain before the session (one score), from --pain-before or asked."""
    if given is not None or not prompter.interactive:
        return given
    return prompter.pain("How bad is your pain right now?")


def before_scores_verdict(prompter: Prompter, before: PainAnswer) -> Verdict:
    """SAFETY.md 4 (product rule): the traffic light before a session follows the higher of
    the scores, and names it when there are two (safety errs towards caution)."""
    top = pain.highest(before.scores())
    if top is None:
        return GO
    return before_verdict(prompter, top.before, top.name)


def before_verdict(prompter: Prompter, score: int | None, name: str = "pain") -> Verdict:
    """SAFETY.md 4 (product rule): the advice for the score before a session; from 8,
    starting needs an explicit "yes" (the default is no), which a pipe cannot give."""
    if score is None:
        return GO
    advice = pain.before_session_advice(score, name)
    if advice is not None:
        prompter.say(advice, "bold yellow" if score >= 6 else "yellow")
    if not pain.needs_rest_confirmation(score):
        return GO
    if not prompter.interactive:
        prompter.say(
            "There is no terminal to confirm starting with this much pain, so the session "
            "will not start. If you are sure, start it in a terminal: sciatica routine start",
            "bold",
        )
        return Verdict(False, "pain too high")
    if prompter.yes_no("Start the session anyway?", False):
        return GO
    prompter.say("Not started. Rest, and check how you feel tomorrow.", "bold")
    return Verdict(False, "pain too high")


def pain_after(prompter: Prompter, before: int | None) -> int | None:
    """SAFETY.md 4: pain after (one score), its change label and the advice that follows."""
    return pain_scores_after(prompter, PainAnswer("one", before)).pain


def pain_scores_after(prompter: Prompter, before: PainAnswer) -> PainAnswer:
    """SAFETY.md 4: pain after, as many scores as before; each score's change label, and
    the advice (the traffic light on the higher score; "worse" on either is worse)."""
    if not prompter.interactive:
        return PainAnswer(before.pain_scores)
    after = ask_scores(prompter, before.pain_scores, "now, after the session")
    scores = pain.make_scores(before.pain_scores, before.pain, after.pain, before.back, after.back)
    lines = pain.change_lines(scores)
    if lines:
        prompter.say(" ".join(lines), "bold")
    for advice in pain.after_scores_advice(scores):
        prompter.say(advice, "yellow")
    return after


def sharp_pain_followup(
    prompter: Prompter, records: SafetyRecords | None, pain_scores: str = "one"
) -> tuple[PainAnswer, Verdict]:
    """SAFETY.md 4 and 2: after a sharp-pain stop, what to do now, the pain now (the
    session's pain after: each of its ``pain_scores``) and the tier A questions, whose
    answers are kept."""
    prompter.say(pain.AFTER_STOP, "bold red")
    if not prompter.interactive:
        prompter.say(
            "If the pain stays sharp, or you notice any of these, call your emergency number "
            "now: " + " ".join(q for _, q in redflags.TIER_A),
            "bold",
        )
        return PainAnswer(pain_scores), Verdict(False, "sharp pain")
    now = ask_scores(prompter, pain_scores, "now")
    answers = ask_group(prompter, "Do you have any of these warning signs now?", redflags.TIER_A)
    emergency = redflags.screen_result(answers) is ScreenResult.EMERGENCY
    if records:
        result = ScreenResult.EMERGENCY if emergency else ScreenResult.CLEAR
        records.record_screen(answers, result=result.value, assessed=False)
    if emergency:
        prompter.say(EMERGENCY_ADVICE, "bold red")
        return now, Verdict(False, "sharp pain, red flag")
    prompter.say(
        "Rest now and do no more massage today. If the pain stays sharp, spreads down your "
        "leg, or you notice any of those signs later, get medical help. The warning-sign "
        "questions will be asked before your next session.",
        "bold",
    )
    return now, Verdict(False, "sharp pain")
