"""Everything before the first countdown of a real session, in order: the warning-sign screen,
the health conditions, the affected side, the pain now, the dose (SAFETY.md 6) and the plan
that follows from them.

In a terminal a first session needs at most seven answers (two screen lists, the conditions, the
side, one pain score or two, the pain and Enter), and one more for the back pain with two
scores; where no one can answer, a session that needs an answer does not
start, and the message names the command that asks it (SAFETY.md 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sciatica_cli.config import SIDES, load_settings, remember
from sciatica_cli.errors import ExitCode
from sciatica_cli.journal.dose import Dose, journal_dose, minutes_sentence, unread_dose
from sciatica_cli.journal.opening import journal_path
from sciatica_cli.routines.planner import PlanOptions, area_share, dose_range, plan_routine
from sciatica_cli.routines.planner import affected_side as affected_side_of
from sciatica_cli.safety import conditions, pain, pain_questions, screening
from sciatica_cli.wallclock import utc_now

if TYPE_CHECKING:
    from sciatica_cli.routines.plain import ExpandedRoutine
    from sciatica_cli.routines.planner import AffectedSide, Plan
    from sciatica_cli.safety.prompter import Prompter
    from sciatica_cli.safety.screening import SafetyRecords
    from sciatica_cli.session.options import StartOptions

CHANGE_SIDE = "To change it: --side, or sciatica safety side"


@dataclass(frozen=True)
class Ready:
    """A session cleared to start: its plan, the pain before, and a note for some segments."""

    plan: Plan
    pain_before: int | None = None  # the leg's with two scores (SAFETY.md 4)
    notes: Mapping[int, str] = field(default_factory=dict)
    back_before: int | None = None
    pain_scores: str = "one"


def prepare(
    expanded: ExpandedRoutine,
    options: StartOptions,
    prompter: Prompter,
    records: SafetyRecords | None,
) -> Ready | int:
    """Ask what a session needs; the plan to play, or the exit code when it must not start."""
    # Planned once first, so options that cannot be met (--minutes) fail before any question.
    _plan(expanded, options, options.side or load_settings().side)
    if options.preview:
        prompter.say(
            f"Preview at x{options.speed:g}: no questions, and it is kept apart from your "
            "real sessions.",
            "yellow",
        )
        # A preview plays today's dose, and is never replayed (journal/dose.py reads no preview).
        return Ready(_dosed(expanded, options, options.side or load_settings().side, prompter))
    if not screening.red_flag_check(prompter, records, assessed=options.assessed).go:
        return ExitCode.SAFETY
    checked = screening.contraindication_check(prompter, records)
    if not checked.verdict.go:
        return ExitCode.SAFETY
    side = affected_side(prompter, options)
    if side is None and _needs_side(expanded):
        prompter.say(
            "This routine works on your affected side, and it is not set: add --side "
            "left|right|both, or run: sciatica safety side",
            "bold",
        )
        return ExitCode.USAGE
    # SAFETY.md 4: one score or leg and back; the advice and the dose follow the higher.
    before = pain_questions.pain_scores_before(
        prompter, options.pain_before, options.back_pain_before
    )
    if not pain_questions.before_scores_verdict(prompter, before).go:
        return ExitCode.SAFETY
    gentle = pain.gentle_before(before.scores())
    plan = _dosed(expanded, options, side, prompter, records, gentle=gentle)
    notes = _segment_notes(plan, checked.answers)
    return Ready(plan, before.pain, notes, before.back, before.pain_scores)


def affected_side(prompter: Prompter, options: StartOptions) -> AffectedSide | None:
    """The affected side: from --side (and remembered), else remembered, else asked once."""
    if options.side is not None:
        remember({"side": options.side})
        side: str | None = options.side
    else:
        side = load_settings().side
        if side is None and prompter.interactive:
            side = prompter.choice("Which side is your sciatica on?", SIDES)
            remember({"side": side})
    if side is None:
        prompter.say("Your affected side is not set: two-sided steps start on the left.")
        return None
    prompter.say(f"Your affected side: {side}. {CHANGE_SIDE}")
    return affected_side_of(side)


def _needs_side(expanded: ExpandedRoutine) -> bool:
    return any(placed.step.sides == "affected" for placed in expanded.steps)


def _plan(expanded: ExpandedRoutine, options: StartOptions, side: str | None) -> Plan:
    body = affected_side_of(side)
    return plan_routine(expanded, PlanOptions(options.minutes, body, voice=options.voice))


def _dosed(
    expanded: ExpandedRoutine,
    options: StartOptions,
    side: str | None,
    prompter: Prompter,
    records: SafetyRecords | None = None,
    *,
    gentle: bool = False,
) -> Plan:
    """The plan at today's dose, said in one sentence before the session."""
    dose = _today(expanded, records, options.preview)
    plan, sentence = dose_plan(
        expanded, dose, minutes=options.minutes, side=side, voice=options.voice, gentle=gentle
    )
    prompter.say(sentence)
    return plan


def dose_plan(
    expanded: ExpandedRoutine,
    dose: Dose,
    *,
    minutes: float | None,
    side: str | None,
    voice: bool,
    gentle: bool = False,
) -> tuple[Plan, str]:
    """The plan at today's dose (SAFETY.md 6) and the sentence that says it: the journal's
    dose, or the shortest from pain 6 (SAFETY.md 4), or the --minutes asked for. The plan's
    options carry the dose it plays, which the journal keeps with the session."""
    base = PlanOptions(None, affected_side_of(side), voice=voice, dose=dose.minutes)
    if gentle:
        # SAFETY.md 4 (product rule): from 6 before, the shortest dose of every step, whatever
        # --minutes or the journal say.
        also = "; --minutes does not apply today" if minutes is not None else ""
        sentence = f"Today: the shortest dose of every step (your pain is 6 or more{also})."
        ends = dose_range(expanded)
        shortest = None if ends is None else ends[0]
        return plan_routine(
            expanded, replace(base, shortest=True, dose=shortest, dose_source="shortest")
        ), sentence
    if minutes is not None:
        # SAFETY.md 6: the person can override the dose; the journal's is named all the same.
        plan = plan_routine(expanded, replace(base, minutes=minutes, dose_source="minutes"))
        played = replace(plan.options, dose=_played(expanded, plan))
        return replace(plan, options=played), minutes_sentence(minutes, dose)
    source = dose.source if dose.minutes is not None else None
    chosen = replace(base, shortest=dose.source == "shortest", dose_source=source)
    return plan_routine(expanded, chosen), dose.sentence()


def _played(expanded: ExpandedRoutine, plan: Plan) -> float | None:
    # What a --minutes session ran at, as the dose over time shows it: the most minutes an
    # area any ranged step got (every area alike in the built-in routines).
    shares = {
        number: area_share(placed.step)
        for number, placed in enumerate(expanded.steps, start=1)
        if placed.step.length.is_range
    }
    areas = [
        segment.seconds * shares[segment.step_number] / 60
        for segment in plan.segments
        if segment.kind == "step" and segment.step_number in shares
    ]
    return round(max(areas), 1) if areas else None


def _today(expanded: ExpandedRoutine, records: SafetyRecords | None, preview: bool) -> Dose:
    # SAFETY.md 6 from the journal; one that cannot be read gives the start dose, never a stop.
    # ``records`` is None when the session's journal could not be opened (a preview reads
    # the journal all the same: it asks nothing of it).
    if records is None and not preview:
        return unread_dose(expanded)
    return journal_dose(expanded, now=utc_now(), path=journal_path())


def _segment_notes(plan: Plan, known: Mapping[str, bool]) -> dict[int, str]:
    # SAFETY.md 3: with pregnancy, a note on every step done lying on the back.
    if not conditions.pregnant(known):
        return {}
    return {
        i: conditions.PREGNANCY_ON_BACK
        for i, segment in enumerate(plan.segments)
        if segment.position == "lying-on-back"
    }
