"""The routine file format as pydantic models. Pure: no file or terminal I/O here.

docs/routine-format.md documents the format for people; ``sciatica routine schema`` prints the
JSON Schema generated from these classes for editors.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sciatica_cli.routines.durations import (
    Duration,
    DurationError,
    Timepoint,
    format_seconds,
    negative,
    parse_range,
    parse_seconds,
)
from sciatica_cli.routines.names import MAX_NAME_LENGTH, NAME_PATTERN

if TYPE_CHECKING:
    from sciatica_cli.routines.yamlsafe import Loc

_ONE = r"(\d+h)?(\d+m)?(\d+s)?"
SECONDS_PATTERN = rf"^\s*{_ONE}\s*$"
RANGE_PATTERN = rf"^\s*(\d+|{_ONE})\s*(-\s*{_ONE}\s*)?$"
TIMEPOINT_PATTERN = rf"^\s*({_ONE}|\d+(\.\d+)?\s*%)\s*$"

Side = Literal["none", "left", "right", "both", "affected"]
# The words for each are planner.POSITION_WORDS; a test holds the two to the same values.
Position = Literal["lying-on-back", "lying-on-front", "side-lying", "sitting", "standing"]
Area = Literal[
    "lower-back",
    "upper-back",
    "glutes",
    "piriformis",
    "hips",
    "hamstrings",
    "quadriceps",
    "calves",
    "feet",
]
STEP_TAG, INCLUDE_TAG = "<step>", "<include>"


def invalid(reason: str) -> PydanticCustomError:
    """A validation error whose message is ``reason`` verbatim (braces and all)."""
    return PydanticCustomError("invalid", "{reason}", {"reason": reason})


def _as_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    try:
        if isinstance(value, str):
            return parse_range(value)
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"range", "default"})
            if unknown:
                raise invalid(f"unknown key '{unknown[0]}' in duration; use 'range' and 'default'")
            if "range" not in value:
                raise invalid("a duration mapping needs 'range', as in {range: 5-10m, default: 6m}")
            default = value.get("default")
            return parse_range(str(value["range"]), None if default is None else str(default))
    except DurationError as err:
        raise invalid(str(err)) from None
    _refuse_number(value)
    raise invalid("write a duration like '90s', '5m' or '1m30s', or a range like '5-10m'")


def _refuse_number(value: Any) -> None:
    """A bare number is ambiguous (seconds or minutes?): ask for a unit."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise invalid(negative(value))
    if isinstance(value, int) and not isinstance(value, bool):
        raise invalid(f"'{value}' needs a unit: write '{value}s' or '{value}m'")
    if isinstance(value, float):
        raise invalid(f"'{value}' is not a duration; write whole units like '90s' or '1m30s'")


def _as_seconds(value: Any) -> int:
    _refuse_number(value)
    if not isinstance(value, str):
        raise invalid("write a duration like '90s', '5m' or '1m30s'")
    try:
        return parse_seconds(value)
    except DurationError as err:
        raise invalid(str(err)) from None


def _as_timepoint(value: Any) -> Timepoint:
    if isinstance(value, Timepoint):
        return value
    if isinstance(value, str) and (match := re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", value)):
        percent = float(match.group(1))
        if percent >= 100:
            raise invalid(f"'{value}' is at or past the end of the step; use less than 100%")
        return Timepoint(percent=percent)
    return Timepoint(seconds=_as_seconds(value))


_DURATION_DOC = "'90s', '5m', '1m30s', or a range '5-10m' (defaults to its low end)"
StepDuration = Annotated[
    Duration,
    PlainValidator(_as_duration),
    PlainSerializer(lambda d: {"min": d.min, "default": d.default, "max": d.max}),
    WithJsonSchema(
        {
            "description": _DURATION_DOC,
            "anyOf": [
                {"type": "string", "pattern": RANGE_PATTERN},
                {
                    "type": "object",
                    "properties": {
                        "range": {"type": "string", "pattern": RANGE_PATTERN},
                        "default": {"type": "string", "pattern": SECONDS_PATTERN},
                    },
                    "required": ["range"],
                    "additionalProperties": False,
                },
            ],
        }
    ),
]
Seconds = Annotated[
    int,
    PlainValidator(_as_seconds),
    WithJsonSchema({"type": "string", "pattern": SECONDS_PATTERN, "description": "'30s', '2m'"}),
]
CueTime = Annotated[
    Timepoint,
    PlainValidator(_as_timepoint),
    PlainSerializer(str),
    WithJsonSchema(
        {"type": "string", "pattern": TIMEPOINT_PATTERN, "description": "'30s' or '50%'"}
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
RoutineName = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, coerce_numbers_to_str=True, defer_build=True
    )


class Cue(_Model):
    """A spoken or shown prompt at a point of a step."""

    at: CueTime | None = Field(None, description="offset from the step's start: '30s' or '50%'")
    every: Seconds | None = Field(None, description="repeat at this interval: '60s'")
    before_end: Seconds | None = Field(None, description="this long before the step ends: '10s'")
    say: Text = Field(description="the words shown and spoken")

    @model_validator(mode="after")
    def _exactly_one_timing(self) -> Cue:
        given = [k for k in ("at", "every", "before_end") if getattr(self, k) is not None]
        if len(given) != 1:
            raise invalid("a cue needs exactly one of 'at', 'every' or 'before_end'")
        if self.every == 0:
            raise invalid("'every' must be longer than 0s")
        return self


class Step(_Model):
    """One exercise. ``sides: both`` runs it once per side with a timed switch between."""

    title: Text
    instructions: Text = Field(description="what to do, clear enough to follow eyes closed")
    duration: StepDuration | None = None
    sides: Side = Field(
        "none",
        description="none; left or right; both (once per side, the affected side first); or "
        "affected (the person's affected side only, or both sides if both are affected)",
    )
    position: Position | None = Field(
        None,
        description="the position the step is done in: lying-on-back, lying-on-front, "
        "side-lying, sitting or standing",
    )
    area: Area | None = Field(None, description="body area, for the journal's minutes per area")
    warning: Text | None = Field(None, description="shown in red throughout the step")
    cues: list[Cue] = Field(default_factory=list)
    reps: int | None = Field(None, ge=1, le=100, description="counted work: number of reps")
    hold: Seconds | None = Field(None, description="with reps: how long each rep is held")
    relax: Seconds = Field(3, description="with reps: pause after each hold (default 3s)")
    rest: Seconds = Field(0, description="rest after the step")

    @model_validator(mode="after")
    def _duration_or_reps(self) -> Step:
        if self.reps is not None and self.hold is None:
            raise invalid("'reps' needs 'hold', how long each rep is held (e.g. hold: 5s)")
        if self.hold is not None and self.reps is None:
            raise invalid("'hold' goes with 'reps', the number of holds (e.g. reps: 10)")
        if self.reps is not None and self.duration is not None:
            raise invalid("give either 'duration' or 'reps' with 'hold', not both")
        if self.reps is None and self.duration is None:
            raise invalid("a step needs a 'duration' (or 'reps' with 'hold')")
        if self.hold == 0:
            raise invalid("'hold' must be longer than 0s")
        return self

    @property
    def length(self) -> Duration:
        """How long one side of the step lasts; reps steps have a fixed length."""
        if self.duration is not None:
            return self.duration
        assert self.reps is not None and self.hold is not None
        return Duration.fixed(self.reps * (self.hold + self.relax))


class Include(_Model):
    """Pull in every step of another routine, in order."""

    include: RoutineName = Field(description="the name of another routine")


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return INCLUDE_TAG if "include" in value else STEP_TAG
    if isinstance(value, Include):
        return INCLUDE_TAG
    return STEP_TAG if isinstance(value, Step) else None


StepItem = Annotated[
    Annotated[Step, Tag(STEP_TAG)] | Annotated[Include, Tag(INCLUDE_TAG)],
    Discriminator(
        _step_kind,
        custom_error_type="invalid",
        custom_error_message="a step must be a mapping with a title, instructions and a "
        "duration, or 'include: NAME'",
    ),
]


class Routine(_Model):
    """A routine file: what it is for, what it needs, and its steps in order."""

    model_config = ConfigDict(title="sciatica routine")

    name: RoutineName = Field(description="lowercase slug, equal to the file name without .yaml")
    title: Text
    summary: str = ""
    equipment: list[Text] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    safety: list[Text] = Field(default_factory=list, description="notes shown before starting")
    transition: Seconds = Field(
        10, description="time to get into position before each step and side (default 10s)"
    )
    steps: list[StepItem] = Field(min_length=1)


KNOWN_MODELS: dict[str, type[BaseModel]] = {STEP_TAG: Step, INCLUDE_TAG: Include}


def routine_problems(routine: Routine) -> list[tuple[Loc, str]]:
    """Checks that span fields, for every step of ``routine`` (see :func:`step_problems`)."""
    return [
        problem
        for i, item in enumerate(routine.steps)
        if isinstance(item, Step)
        for problem in step_problems(item, ("steps", i))
    ]


def step_problems(step: Step, loc: Loc) -> list[tuple[Loc, str]]:
    """Every cue must fall inside its step, even when the step is at its shortest."""
    problems: list[tuple[Loc, str]] = []
    shortest = step.length.min
    for j, cue in enumerate(step.cues):
        cue_loc: Loc = (*loc, "cues", j)
        if cue.at is not None and cue.at.seconds is not None and cue.at.seconds >= shortest:
            problems.append(
                (
                    (*cue_loc, "at"),
                    f"cue at {cue.at} falls outside the step, which can be as short as "
                    f"{format_seconds(shortest)}",
                )
            )
        for key, value in (("every", cue.every), ("before_end", cue.before_end)):
            if value is not None and value >= shortest:
                problems.append(
                    (
                        (*cue_loc, key),
                        f"{key} {format_seconds(value)} does not fit in the step, which can be "
                        f"as short as {format_seconds(shortest)}",
                    )
                )
    return problems


def routine_json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to autocomplete and check routine files."""
    schema = Routine.model_json_schema()
    # Draft 7: the newest draft yaml-language-server (VS Code, Neovim...) fully supports.
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
