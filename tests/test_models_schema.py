"""The built-in routines are valid, and the JSON Schema for editors agrees with them."""

from __future__ import annotations

import copy
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.loader import load_routine_file
from sciatica_cli.routines.models import Position, routine_json_schema
from sciatica_cli.routines.plain import PlainStep
from sciatica_cli.routines.planner import POSITION_WORDS
from tests.conftest import BUILTIN_NAMES as EXPECTED_BUILTINS

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "routines"
BUILTIN_FILES = sorted(BUILTIN_DIR.glob("*.yaml"))
BUILTIN_NAMES = [path.stem for path in BUILTIN_FILES]


def test_the_built_in_routines_are_all_there() -> None:
    assert tuple(BUILTIN_NAMES) == EXPECTED_BUILTINS


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=BUILTIN_NAMES)
def test_built_in_routine_loads(path: Path) -> None:
    loaded = load_routine_file(path)
    assert loaded.routine.name == path.stem
    assert loaded.routine.title


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_built_in_routine_expands_to_steps(name: str, tmp_path: Path) -> None:
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path / "no-user-routines")).expand(name)
    assert expanded.steps
    assert all(isinstance(placed.step, PlainStep) for placed in expanded.steps)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_built_in_step_carries_a_stop_warning(name: str, tmp_path: Path) -> None:
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path)).expand(name)
    assert [p.step.title for p in expanded.steps if not p.step.warning] == []


@pytest.mark.parametrize(
    "name", ["foam-roller-back", "glute-ball", "hamstring-roll", "piriformis-ball"]
)
def test_every_massage_step_warns_to_stop_for_sharp_pain_or_tingling(
    name: str, tmp_path: Path
) -> None:
    # SAFETY.md 4: stop at once for sharp or shooting pain and new tingling or numbness.
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path)).expand(name)
    for placed in expanded.steps:
        warning = (placed.step.warning or "").lower()
        assert "stop at once" in warning
        assert all(word in warning for word in ("sharp", "shoots", "tingling", "numbness"))


def test_full_routine_is_every_other_routine_in_the_guides_order(tmp_path: Path) -> None:
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path)).expand("full")
    routines = list(dict.fromkeys(placed.routine for placed in expanded.steps))
    assert routines == [
        "warm-up",
        "foam-roller-back",
        "glute-ball",
        "hamstring-roll",
        "piriformis-ball",
    ]


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_built_in_step_states_its_position(name: str, tmp_path: Path) -> None:
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path)).expand(name)
    assert [p.step.title for p in expanded.steps if p.step.position is None] == []


def test_the_piriformis_is_worked_on_the_affected_side_only(tmp_path: Path) -> None:
    # The guide works the piriformis on the affected side, with the figure-4 cross.
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path)).expand("piriformis-ball")
    (placed,) = expanded.steps
    assert placed.step.sides == "affected"
    assert placed.step.position == "lying-on-back"
    instructions = " ".join(placed.step.instructions.split())
    assert "ankle of this same side over the other knee" in instructions
    assert "opposite ankle" not in instructions


def test_the_foam_roller_never_rolls_the_spine(tmp_path: Path) -> None:
    # SAFETY.md 3: roll the muscles beside the spine; never arch the low back over the roller.
    expanded = RoutineLibrary(scan(BUILTIN_DIR, tmp_path)).expand("foam-roller-back")
    (placed,) = expanded.steps
    instructions = " ".join(placed.step.instructions.split())
    assert "not on the spine" in instructions
    assert "does not arch" in instructions


def test_every_position_has_words_and_every_word_a_position() -> None:
    assert list(POSITION_WORDS) == list(typing.get_args(Position))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = routine_json_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_schema_declares_draft_7_for_editors() -> None:
    assert routine_json_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=BUILTIN_NAMES)
def test_schema_accepts_built_in_routine(path: Path, validator: jsonschema.Draft7Validator) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [error.message for error in validator.iter_errors(data)] == []


def glute_ball() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (BUILTIN_DIR / "glute-ball.yaml").read_text(encoding="utf-8")
    )
    return data


def error_paths(validator: jsonschema.Draft7Validator, data: Any) -> list[list[Any]]:
    return sorted(list(error.absolute_path) for error in validator.iter_errors(data))


def test_schema_rejects_an_unknown_routine_key(validator: jsonschema.Draft7Validator) -> None:
    data = glute_ball()
    data["titel"] = "Glutes"
    assert error_paths(validator, data) == [[]]


def test_schema_rejects_an_unknown_step_key(validator: jsonschema.Draft7Validator) -> None:
    data = glute_ball()
    data["steps"][0]["duraton"] = data["steps"][0].pop("duration")
    assert error_paths(validator, data) == [["steps", 0]]


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("transition",), 15),
        (("steps", 0, "reps"), "ten"),
        (("steps", 0, "sides"), "bth"),
        (("steps", 0, "cues", 0, "at"), "soon"),
        (("equipment",), "a ball"),
        (("name",), "Glute Ball"),
    ],
    ids=[
        "number-for-text",
        "text-for-number",
        "bad-choice",
        "bad-cue-time",
        "text-for-list",
        "bad-name",
    ],
)
def test_schema_rejects_a_wrong_type_or_value(
    validator: jsonschema.Draft7Validator, where: tuple[Any, ...], value: Any
) -> None:
    data = glute_ball()
    broken = copy.deepcopy(data)
    target = broken
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    assert validator.is_valid(data)
    assert not validator.is_valid(broken)


def test_schema_lists_the_positions_and_sides() -> None:
    step = routine_json_schema()["$defs"]["Step"]["properties"]
    positions = step["position"]["anyOf"][0]["enum"]
    assert positions == ["lying-on-back", "lying-on-front", "side-lying", "sitting", "standing"]
    assert "lying on" not in positions  # values, not words
    assert "affected" in step["sides"]["enum"]
    assert "position" in step and step["position"]["description"]


@pytest.mark.parametrize("value", ["lying", "supine", 3])
def test_schema_rejects_an_unknown_position(
    validator: jsonschema.Draft7Validator, value: Any
) -> None:
    data = glute_ball()
    assert validator.is_valid(data)
    data["steps"][0]["position"] = value
    assert not validator.is_valid(data)


def test_schema_rejects_a_routine_without_steps(validator: jsonschema.Draft7Validator) -> None:
    data = glute_ball()
    del data["steps"]
    assert [error.message for error in validator.iter_errors(data)] == [
        "'steps' is a required property"
    ]
