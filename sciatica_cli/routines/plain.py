"""Validated routines as plain frozen dataclasses, and their JSON form for the cache.

The loader turns each valid file into a :class:`PlainRoutine` right after pydantic has checked
it; the library expands includes into an :class:`ExpandedRoutine`, which the planner lays out.
None of this imports pydantic or yaml, so a session or ``routine list`` that reads these from
the cache never pays for them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sciatica_cli.routines.durations import Duration, Timepoint


@dataclass(frozen=True)
class PlainCue:
    """A cue of a step: exactly one of ``at``, ``every`` and ``before_end`` is set."""

    say: str
    at: Timepoint | None = None
    every: int | None = None
    before_end: int | None = None


@dataclass(frozen=True)
class PlainStep:
    """One exercise; ``length`` is one side's length (for reps: reps x (hold + relax))."""

    title: str
    instructions: str
    length: Duration
    sides: str = "none"
    position: str | None = None
    area: str | None = None
    warning: str | None = None
    cues: tuple[PlainCue, ...] = ()
    reps: int | None = None
    hold: int | None = None
    relax: int = 3
    rest: int = 0


@dataclass(frozen=True)
class PlainInclude:
    """``include: NAME``, with where it is written, for problems found when expanding."""

    name: str
    line: int
    column: int


@dataclass(frozen=True)
class PlainRoutine:
    """One valid routine file, its includes not yet expanded."""

    name: str
    title: str
    path: str
    steps: tuple[PlainStep | PlainInclude, ...]
    equipment: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    transition: int = 10


@dataclass(frozen=True)
class PlacedStep:
    """A step in an expanded routine, with the routine it came from."""

    step: PlainStep
    routine: str
    areas: tuple[str, ...]
    transition: int


@dataclass(frozen=True)
class ExpandedRoutine:
    """A routine with every include replaced by the included steps."""

    name: str
    title: str
    steps: tuple[PlacedStep, ...]
    equipment: tuple[str, ...]
    safety: tuple[str, ...]
    areas: tuple[str, ...]


def routine_to_json(routine: PlainRoutine) -> dict[str, Any]:
    """A JSON-ready dict of ``routine``; :func:`routine_from_json` reads it back."""
    return asdict(routine)


def routine_from_json(data: dict[str, Any]) -> PlainRoutine:
    """The routine :func:`routine_to_json` wrote; raises KeyError or TypeError if it is not."""
    return PlainRoutine(
        name=data["name"],
        title=data["title"],
        path=data["path"],
        steps=tuple(_step_from_json(item) for item in data["steps"]),
        equipment=tuple(data["equipment"]),
        areas=tuple(data["areas"]),
        safety=tuple(data["safety"]),
        transition=data["transition"],
    )


def _step_from_json(data: dict[str, Any]) -> PlainStep | PlainInclude:
    if "line" in data:
        return PlainInclude(**data)
    fields = {**data, "length": Duration(**data["length"])}
    fields["cues"] = tuple(_cue_from_json(cue) for cue in data["cues"])
    return PlainStep(**fields)


def _cue_from_json(data: dict[str, Any]) -> PlainCue:
    at = data["at"]
    return PlainCue(**{**data, "at": None if at is None else Timepoint(**at)})
