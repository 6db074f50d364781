"""``routine validate``'s warnings: SAFETY.md 5's dose advice, checked on a valid routine.

A warning never makes a file invalid; it points at a step that a person could follow safely
only with care. Only the routine's own steps are checked: an included routine's steps are
checked in their own file, so that each step is reported once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciatica_cli.routines.durations import format_seconds
from sciatica_cli.routines.plain import PlainInclude, PlainRoutine, PlainStep

# SAFETY.md 5: 5 minutes on one area is the default and 10 the upper end.
MAX_SIDE_SECONDS = 600
# Whole words only, any case: "foam roller" and "tennis ball" match, "ballet" and "roll" do not.
_BALL_OR_ROLLER = re.compile(r"\b(?:balls?|rollers?)\b", re.IGNORECASE)
SUGGESTED_WARNING = (
    "Stop at once if the pain turns sharp, shoots down your leg, or you feel new tingling or "
    "numbness."
)
NO_WARNING = (
    "this step presses on a ball or roller but has no warning: add one, such as "
    f"'{SUGGESTED_WARNING}'"
)


@dataclass(frozen=True)
class StepWarning:
    """A warning about ``routine.steps[step]``, pointing at the step's key ``key``."""

    step: int
    key: str
    message: str


def step_warnings(routine: PlainRoutine) -> list[StepWarning]:
    """The warnings for the routine's own steps, in file order (includes are skipped)."""
    found: list[StepWarning] = []
    for index, item in enumerate(routine.steps):
        if isinstance(item, PlainInclude):
            continue  # checked in its own file
        if item.length.max > MAX_SIDE_SECONDS:
            key = "duration" if item.reps is None else "reps"
            found.append(StepWarning(index, key, _too_long(item)))
        if item.warning is None and presses_on_ball_or_roller(item):
            found.append(StepWarning(index, "title", NO_WARNING))
    return found


def presses_on_ball_or_roller(step: PlainStep) -> bool:
    """Whether the step's title or instructions mention a ball or a roller."""
    return any(_BALL_OR_ROLLER.search(text) for text in (step.title, step.instructions))


def _too_long(step: PlainStep) -> str:
    longest = format_seconds(step.length.max)
    if step.reps is not None:
        how = f"{longest} ({step.reps} x ({format_seconds(step.hold or 0)} hold + "
        how += f"{format_seconds(step.relax)} relax))"
    else:
        how = f"up to {longest}" if step.length.is_range else longest
    return (
        f"this step keeps one side going for {how}, more than 10 minutes: shorten it "
        "(5 minutes on one area is the default, 10 the upper end)"
    )
