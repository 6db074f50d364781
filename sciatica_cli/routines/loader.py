"""Routine files to models, with every problem reported as ``path:line:col: message``."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sciatica_cli.errors import InvalidRoutine, Problem
from sciatica_cli.routines.files import read_routine_text
from sciatica_cli.routines.models import (
    KNOWN_MODELS,
    Cue,
    Routine,
    Step,
    routine_problems,
    step_problems,
)
from sciatica_cli.routines.plain import PlainCue, PlainInclude, PlainRoutine, PlainStep
from sciatica_cli.routines.yamlsafe import Document, Loc, YamlError, read_yaml
from sciatica_cli.text import visible


@dataclass(frozen=True)
class LoadedRoutine:
    """A valid routine and the document it came from (for positions of later errors)."""

    routine: Routine
    path: Path
    document: Document

    def position_of(self, loc: Loc) -> tuple[int, int]:
        return self.document.position(loc)

    def plain(self) -> PlainRoutine:
        """The routine as plain dataclasses, for the planner and the cache (no pydantic)."""
        routine = self.routine
        steps: list[PlainStep | PlainInclude] = []
        for i, item in enumerate(routine.steps):
            if isinstance(item, Step):
                steps.append(_plain_step(item))
            else:
                steps.append(PlainInclude(item.include, *self.position_of(("steps", i, "include"))))
        return PlainRoutine(
            name=routine.name,
            title=routine.title,
            path=str(self.path),
            steps=tuple(steps),
            equipment=tuple(routine.equipment),
            areas=tuple(routine.areas),
            safety=tuple(routine.safety),
            transition=routine.transition,
        )


def _plain_step(step: Step) -> PlainStep:
    return PlainStep(
        title=step.title,
        instructions=step.instructions,
        length=step.length,
        sides=step.sides,
        position=step.position,
        area=step.area,
        warning=step.warning,
        cues=tuple(_plain_cue(cue) for cue in step.cues),
        reps=step.reps,
        hold=step.hold,
        relax=step.relax,
        rest=step.rest,
    )


def _plain_cue(cue: Cue) -> PlainCue:
    return PlainCue(cue.say, cue.at, cue.every, cue.before_end)


def load_routine_file(path: Path, expected_name: str | None = None) -> LoadedRoutine:
    """Load and validate one file. ``expected_name`` defaults to the file's stem."""
    text = read_routine_text(path)
    return parse_routine(text, str(path), expected_name or path.stem, path)


def parse_routine(
    text: str, label: str, expected_name: str, path: Path | None = None
) -> LoadedRoutine:
    """Validate routine ``text``; raise :class:`InvalidRoutine` with every problem found.

    Messages quote what the file says, so control characters in them are shown as escapes.
    """
    label = visible(label)
    try:
        document = read_yaml(text)
    except YamlError as err:
        line, column = err.position or (None, None)
        raise InvalidRoutine([Problem(label, visible(err.message), line, column)]) from None
    problems = [Problem(label, message, *pos) for message, pos in document.problems]
    data = document.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {_kind(data)}"
        problems.append(
            Problem(
                label,
                f"the file is {what}; a routine is a mapping with name, title and "
                "steps (see 'sciatica routine new')",
                1,
                1,
            )
        )
        raise InvalidRoutine(problems)
    routine: Routine | None = None
    try:
        routine = Routine.model_validate(data)
    except ValidationError as err:
        problems.extend(_problem(label, document, e) for e in err.errors(include_url=False))
        problems.extend(_cue_problems_of_valid_steps(label, document))
    if routine is not None:
        for loc, message in routine_problems(routine):
            problems.append(Problem(label, message, *document.position(loc)))
        if routine.name != expected_name:
            problems.append(
                Problem(
                    label,
                    f"name '{routine.name}' must match the file name '{expected_name}.yaml'",
                    *document.position(("name",)),
                )
            )
    if problems:
        shown = [replace(p, message=visible(p.message)) for p in problems]
        raise InvalidRoutine(sorted(shown, key=lambda p: (p.line or 0, p.column or 0)))
    assert routine is not None
    return LoadedRoutine(routine, path or Path(label), document)


def _cue_problems_of_valid_steps(label: str, document: Document) -> list[Problem]:
    """When the routine as a whole is invalid, still check the cues of each valid step."""
    steps = document.data.get("steps")
    if not isinstance(steps, list):
        return []
    problems = []
    for i, raw in enumerate(steps):
        try:
            step = Step.model_validate(raw)
        except ValidationError:
            continue
        for loc, message in step_problems(step, ("steps", i)):
            problems.append(Problem(label, message, *document.position(loc)))
    return problems


def _kind(value: Any) -> str:
    return {list: "list", str: "piece of text", int: "number", float: "number"}.get(
        type(value), "single value"
    )


def _problem(label: str, document: Document, error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    data_loc = _data_loc(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(data_loc[-1])
        known = _known_keys(loc[:-1])
        return Problem(label, _unknown_key(key, known), *document.position(data_loc, key=True))
    if kind == "missing":
        where = document.position(data_loc[:-1])
        return Problem(label, f"missing required key '{data_loc[-1]}'", *where)
    return Problem(label, _message(error, data_loc), *document.position(data_loc))


def _is_union_tag(loc: Loc, index: int) -> bool:
    """Pydantic puts the step-or-include tag right after a step's index: ('steps', 3, TAG)."""
    return index == 2 and loc[0] == "steps" and isinstance(loc[1], int) and loc[2] in KNOWN_MODELS


def _data_loc(loc: Loc) -> Loc:
    """A pydantic location as a path into the data (without the union tag)."""
    return tuple(part for i, part in enumerate(loc) if not _is_union_tag(loc, i))


def _unknown_key(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}', did you mean '{close[0]}'?"
    if known:
        return f"unknown key '{key}'; expected one of: {', '.join(known)}"
    return f"unknown key '{key}'"


_PLAIN = {
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "list_type": "must be a list (lines starting with '- ')",
    "model_type": "must be a mapping of keys to values",
    "dict_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "too_short": "needs at least one entry",
}


def _message(error: Any, data_loc: Loc) -> str:
    kind, given = error["type"], error.get("input")
    name = next((str(p) for p in reversed(data_loc) if isinstance(p, str)), "value")
    if kind == "invalid":
        return str(error["msg"])
    if kind == "string_pattern_mismatch":
        return (
            f"{name} '{given}' is not a routine name: use lowercase letters, digits and "
            "hyphens, starting with a letter or digit"
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(error["ctx"]["expected"]))
        message = f"{name} '{given}' is not one of: {', '.join(choices)}"
        close = difflib.get_close_matches(str(given), choices, n=1, cutoff=0.5)
        return f"{message}; did you mean '{close[0]}'?" if close else message
    if kind in _PLAIN:
        return f"{name} {_PLAIN[kind]}"
    text = str(error["msg"])
    return f"{name}: {text[:1].lower()}{text[1:]}"


def _known_keys(loc: Loc) -> list[str]:
    """The keys allowed in the mapping at pydantic location ``loc`` (for suggestions)."""
    model: type[BaseModel] | None = Routine
    for i, part in enumerate(loc):
        if model is None:
            break
        if _is_union_tag(loc, i):
            model = KNOWN_MODELS[str(part)]
        elif isinstance(part, str):
            field = model.model_fields.get(part)
            model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.GenericAlias) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
