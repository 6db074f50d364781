"""Routine + options -> an ordered list of timed segments. Pure: no I/O, no clock.

Every step is preceded by a get-into-position gap (the routine's ``transition``; with the
voice on, at least as long as its spoken set-up); a ``both`` step runs once per side with a
timed switch between, and an ``affected`` step on the person's affected side (or sides); a
step's ``rest`` follows it (not after the last step). ``--minutes`` scales ranged steps
between their min and max so the whole plan, gaps included, fits. A dose (SAFETY.md 6,
minutes an area) sets each ranged step from the dose, within its min and max.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sciatica_cli.errors import UsageError
from sciatica_cli.routines.durations import format_seconds

if TYPE_CHECKING:
    from sciatica_cli.routines.plain import ExpandedRoutine, PlacedStep, PlainStep

SegmentKind = Literal["setup", "step", "switch", "rest"]
BodySide = Literal["left", "right"]
AffectedSide = Literal["left", "right", "both"]


def affected_side(value: str | None) -> AffectedSide | None:
    """A remembered or typed side as the planner takes it; None when not set."""
    for side in ("left", "right", "both"):
        if value == side:
            return side
    if value is None:
        return None
    raise ValueError(f"not a side: {value!r}")


_OTHER: dict[str, BodySide] = {"left": "right", "right": "left"}

# Each step's ``position`` in words; routines/models.py ``Position`` lists the same values.
POSITION_WORDS: dict[str, str] = {
    "lying-on-back": "lying on your back",
    "lying-on-front": "lying face down",
    "side-lying": "lying on your side",
    "sitting": "sitting",
    "standing": "standing",
}
SPEECH_WORDS_PER_MINUTE = 150  # espeak-ng speaks about 175 by default; slower voices exist
SPEECH_MARGIN = 2  # seconds: the voice starting up and a breath before the step


def position_words(position: str | None) -> str | None:
    """A step's position as said and shown: "lying-on-back" -> "lying on your back"."""
    return None if position is None else POSITION_WORDS.get(position, position.replace("-", " "))


class PlanError(UsageError):
    """The options cannot be met (e.g. the routine cannot fit in the minutes given)."""


@dataclass(frozen=True)
class PlanOptions:
    """What a person asks of a run: a time budget, their affected side, and the voice.

    ``side`` is the affected side: "left", "right", "both", or None when it is not known (an
    ``affected`` step then has one segment on the placeholder side "affected"). With ``voice``
    each get-into-position gap lasts at least as long as its spoken set-up. ``shortest`` runs
    every step at its shortest (SAFETY.md 4, on a high-pain day) and overrides ``minutes``,
    which overrides ``dose``: minutes an area (:func:`dose_lengths`).
    """

    minutes: float | None = None
    side: AffectedSide | None = None
    voice: bool = False
    shortest: bool = False
    # SAFETY.md 6: minutes an area from the journal (journal/dose.py); ``minutes`` overrides it.
    dose: float | None = None
    dose_source: str | None = None  # "journal", "shortest" or "minutes": where the length came from


@dataclass(frozen=True)
class PlannedCue:
    """A cue resolved to seconds from the start of its segment."""

    offset: float
    say: str


@dataclass(frozen=True)
class Segment:
    """One timed stretch of a session: getting into position, a step's side, a switch, a rest."""

    kind: SegmentKind
    title: str
    start: float
    seconds: float
    step_number: int
    step_title: str = ""
    side: str | None = None
    instructions: str = ""
    warning: str | None = None
    cues: tuple[PlannedCue, ...] = ()
    area: str | None = None
    routine: str = ""
    reps: int | None = None
    hold: int | None = None
    relax: int | None = None
    position: str | None = None  # a step's position ("lying-on-back"); words: position_words
    setup_speech: str | None = None  # on a setup segment: the set-up, to be spoken in full

    @property
    def end(self) -> float:
        return self.start + self.seconds


SETUP_HEADING = "Get into position"


def describe(segment: Segment) -> str:
    """Words for a segment, as spoken and as shown after "Next:": "Glute ball, left side"."""
    if segment.kind == "rest":
        return "rest"
    if segment.kind == "switch":
        return segment.title
    side = f", {segment.side} side" if segment.side else ""
    return f"{segment.step_title}{side}"


def heading(segment: Segment, *, side: bool = False) -> str:
    """A segment's title: "Get into position: Glute ball" while getting ready for a step.

    ``side=True`` adds the side to that one ("Get into position: Glute ball, left side"), as
    the spoken opening and the plain lines say it; other segments keep their title.
    """
    if segment.kind == "setup":
        return f"{SETUP_HEADING}: {describe(segment) if side else segment.step_title}"
    if segment.kind == "step":
        return segment.step_title or segment.title
    return segment.title


@dataclass(frozen=True)
class Plan:
    """The whole session, in order; ``total`` is its planned length in seconds."""

    name: str
    title: str
    segments: tuple[Segment, ...]
    equipment: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    options: PlanOptions = field(default_factory=PlanOptions)

    @property
    def total(self) -> float:
        return self.segments[-1].end if self.segments else 0.0

    @property
    def step_count(self) -> int:
        return max((s.step_number for s in self.segments), default=0)


def _sides(step: PlainStep, side: AffectedSide | None) -> list[str | None]:
    if step.sides == "both":
        first = side if side in _OTHER else "left"
        return [first, _OTHER[first]]
    if step.sides == "affected":
        if side == "both":
            return ["left", "right"]
        return [side or "affected"]
    if step.sides in ("left", "right"):
        return [step.sides]
    return [None]


def speech_seconds(text: str) -> int:
    """A cautious estimate of how long ``text`` takes to say, in whole seconds."""
    words = len(text.split())
    return math.ceil(words * 60 / SPEECH_WORDS_PER_MINUTE + SPEECH_MARGIN)


def setup_speech(step: PlainStep, side: str | None) -> str:
    """What is said while getting into position for ``step``: where, how, and its warning."""
    where = f", {side} side" if side else ""
    parts = [f"{SETUP_HEADING}: {step.title}{where}."]
    words = position_words(step.position)
    if words:
        parts.append(f"{words[:1].upper()}{words[1:]}.")
    parts.append(" ".join(step.instructions.split()))
    if step.warning:
        parts.append(" ".join(step.warning.split()))
    return " ".join(parts)


def _setup_seconds(placed: PlacedStep, first_side: str | None, voice: bool) -> int:
    """The get-into-position gap before a step: its transition, or its speech if longer."""
    if not voice:
        return placed.transition
    return max(placed.transition, speech_seconds(setup_speech(placed.step, first_side)))


def total_range(
    expanded: ExpandedRoutine, *, side: AffectedSide | None = None, voice: bool = False
) -> tuple[float, float, float]:
    """The routine's total length with every ranged step at its min, default and max."""
    fixed, low, mid, high = _budget(expanded, side, voice)
    return fixed + low, fixed + mid, fixed + high


def _budget(
    expanded: ExpandedRoutine, side: AffectedSide | None, voice: bool
) -> tuple[int, int, int, int]:
    """(fixed seconds, ranged seconds at min, at default, at max) for the whole routine."""
    fixed = low = mid = high = 0
    count = len(expanded.steps)
    for number, placed in enumerate(expanded.steps, start=1):
        step = placed.step
        turns = _sides(step, side)
        sides = len(turns)
        fixed += _setup_seconds(placed, turns[0], voice) + placed.transition * (sides - 1)
        fixed += step.rest if number < count else 0
        length = step.length
        if length.is_range:
            low, mid, high = (
                low + length.min * sides,
                mid + length.default * sides,
                high + length.max * sides,
            )
        else:
            fixed += length.min * sides
    return fixed, low, mid, high


def area_share(step: PlainStep) -> int:
    # A ``both`` step splits an area's dose over its two sides; any other step (an
    # ``affected`` one included, even on both sides) takes the whole dose on each side.
    return 2 if step.sides == "both" else 1


def dose_lengths(expanded: ExpandedRoutine, dose: float) -> list[int]:
    """Each step's per-side length at ``dose`` minutes an area (SAFETY.md 6): a ranged step
    takes the dose's seconds over its sides as written, within its min and max; a fixed step
    keeps its length."""
    wanted = [(p.step.length, dose * 60 / area_share(p.step)) for p in expanded.steps]
    return [round(min(max(seconds, n.min), n.max)) for n, seconds in wanted]


def dose_range(expanded: ExpandedRoutine) -> tuple[float, float] | None:
    """(shortest, upper end) in minutes an area: the highest dose with every ranged step at
    its min, and the lowest with every one at its max; None with no ranged step (no dose)."""
    ranged = [(p.step.length, area_share(p.step) / 60) for p in expanded.steps]
    ends = [(n.min * per, n.max * per) for n, per in ranged if n.is_range]
    return (min(e[0] for e in ends), max(e[1] for e in ends)) if ends else None


def fitted_lengths(
    expanded: ExpandedRoutine,
    minutes: float | None,
    *,
    side: AffectedSide | None = None,
    voice: bool = False,
) -> list[int]:
    """Each step's per-side length: defaults, or ranged steps scaled to fill ``minutes``.

    ``minutes`` is the whole plan, gaps included: a gap lengthened for the voice leaves less
    time for the ranged steps, so the total still meets ``minutes``.
    """
    lengths = [p.step.length.default for p in expanded.steps]
    if minutes is None:
        return lengths
    fixed, low, mid, high = _budget(expanded, side, voice)
    target = round(minutes * 60) - fixed
    if not low <= target <= high:
        shortest, longest = format_seconds(fixed + low), format_seconds(fixed + high)
        span = shortest if low == high else f"between {shortest} and {longest}"
        spoken = " with the set-up spoken" if voice else ""
        raise PlanError(
            f"'{expanded.name}' takes {span}{spoken}; it cannot fit in {minutes:g} minutes"
        )
    ranged = [i for i, p in enumerate(expanded.steps) if p.step.length.is_range]
    weights = [len(_sides(expanded.steps[i].step, side)) for i in range(len(lengths))]
    for i in ranged:
        length = expanded.steps[i].step.length
        if target >= mid:
            share = (target - mid) / (high - mid) if high > mid else 0.0
            lengths[i] = round(length.default + share * (length.max - length.default))
        else:
            share = (mid - target) / (mid - low)
            lengths[i] = round(length.default - share * (length.default - length.min))
    _settle_rounding(expanded, lengths, weights, ranged, target)
    return lengths


def _settle_rounding(
    expanded: ExpandedRoutine,
    lengths: list[int],
    weights: list[int],
    ranged: list[int],
    target: int,
) -> None:
    """Nudge ranged steps a second at a time so the total lands exactly on the target."""
    for _ in range(10 * len(ranged) + 10):
        error = target - sum(lengths[i] * weights[i] for i in ranged)
        if error == 0:
            return
        step_by = 1 if error > 0 else -1
        for i in ranged:
            bound = expanded.steps[i].step.length
            wanted = lengths[i] + step_by
            if weights[i] <= abs(error) and bound.min <= wanted <= bound.max:
                lengths[i] = wanted
                break
        else:
            return  # an odd remainder on two-sided steps: within a second of the target


def _cues(step: PlainStep, length: int) -> tuple[PlannedCue, ...]:
    planned: list[PlannedCue] = []
    for cue in step.cues:
        if cue.at is not None:
            planned.append(PlannedCue(cue.at.offset_in(length), cue.say))
        elif cue.every is not None:
            planned.extend(
                PlannedCue(float(t), cue.say) for t in range(cue.every, length, cue.every)
            )
        elif cue.before_end is not None:
            planned.append(PlannedCue(float(length - cue.before_end), cue.say))
    return tuple(sorted((c for c in planned if 0 <= c.offset < length), key=lambda c: c.offset))


def plan_routine(expanded: ExpandedRoutine, options: PlanOptions | None = None) -> Plan:
    """Lay the routine out in time: every segment with its start, length and cues."""
    options = options or PlanOptions()
    if options.shortest:
        lengths = [placed.step.length.min for placed in expanded.steps]
    elif options.dose is not None and options.minutes is None:
        lengths = dose_lengths(expanded, options.dose)
    else:
        lengths = fitted_lengths(expanded, options.minutes, side=options.side, voice=options.voice)
    segments: list[Segment] = []
    clock = 0.0

    def add(kind: SegmentKind, title: str, seconds: float, **extra: object) -> None:
        nonlocal clock
        segments.append(Segment(kind, title, clock, float(seconds), **extra))  # type: ignore[arg-type]
        clock += seconds

    count = len(expanded.steps)
    for number, (placed, length) in enumerate(zip(expanded.steps, lengths, strict=True), start=1):
        step = placed.step
        common = _step_fields(placed, number)
        for turn, side in enumerate(_sides(step, options.side)):
            if turn == 0:
                gap = _setup_seconds(placed, side, options.voice)
                if gap:
                    speech = setup_speech(step, side)
                    add("setup", SETUP_HEADING, gap, side=side, setup_speech=speech, **common)
            elif placed.transition:
                add("switch", f"Switch to the {side} side", placed.transition, side=side, **common)
            add("step", step.title, length, side=side, cues=_cues(step, length), **common)
        if step.rest and number < count:
            add(
                "rest",
                "Rest",
                step.rest,
                step_number=number,
                step_title=step.title,
                routine=placed.routine,
            )
    return Plan(
        name=expanded.name,
        title=expanded.title,
        segments=tuple(segments),
        equipment=expanded.equipment,
        safety=expanded.safety,
        options=options,
    )


def _step_fields(placed: PlacedStep, number: int) -> dict[str, object]:
    step = placed.step
    return {
        "step_number": number,
        "step_title": step.title,
        "instructions": step.instructions,
        "warning": step.warning,
        "area": step.area or (placed.areas[0] if len(placed.areas) == 1 else None),
        "routine": placed.routine,
        "reps": step.reps,
        "hold": step.hold,
        "relax": step.relax if step.reps else None,
        "position": step.position,
    }
