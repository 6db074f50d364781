"""The pain questions around a session and what each answer means (SAFETY.md 4).

Before: the score and its advice; from 8, starting needs an explicit "yes". After: the score,
its change label and advice. After a sharp-pain stop: what to do now, the pain now and the
emergency questions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sciatica_cli.safety import pain, redflags
from sciatica_cli.safety.redflags import EMERGENCY_ADVICE, ScreenResult
from sciatica_cli.safety.screening import GO, SafetyRecords, Verdict, ask_group

if TYPE_CHECKING:
    from sciatica_cli.safety.prompter import Prompter


def pain_before(prompter: Prompter, given: int | None) -> int | None:
    """SAFETY.md 4: pain before the session, from --pain-before or asked."""
    if given is not None or not prompter.interactive:
        return given
    return prompter.pain("How bad is your pain right now?")


def before_verdict(prompter: Prompter, score: int | None) -> Verdict:
    """SAFETY.md 4 (product rule): the advice for the score before a session; from 8,
    starting needs an explicit "yes" (the default is no), which a pipe cannot give."""
    if score is None:
        return GO
    advice = pain.before_session_advice(score)
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
    """SAFETY.md 4: pain after, its change label and the advice that follows from both."""
    if not prompter.interactive:
        return None
    after = prompter.pain("How bad is your pain now, after the session?")
    if after is not None and before is not None:
        prompter.say(f"Pain {before} -> {after}: {pain.change_label(before, after)}.", "bold")
    for advice in pain.after_session_advice(before, after):
        prompter.say(advice, "yellow")
    return after


def sharp_pain_followup(
    prompter: Prompter, records: SafetyRecords | None
) -> tuple[int | None, Verdict]:
    """SAFETY.md 4 and 2: after a sharp-pain stop, what to do now, the pain now (the
    session's pain after) and the tier A questions, whose answers are kept."""
    prompter.say(pain.AFTER_STOP, "bold red")
    if not prompter.interactive:
        prompter.say(
            "If the pain stays sharp, or you notice any of these, call your emergency number "
            "now: " + " ".join(q for _, q in redflags.TIER_A),
            "bold",
        )
        return None, Verdict(False, "sharp pain")
    now = prompter.pain("How bad is your pain now?")
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
