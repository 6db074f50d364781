"""One routine-name rule: file names, names asked for, ``name:`` and ``include:`` agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciatica_cli.errors import InvalidRoutine, UsageError
from sciatica_cli.routines.library import scan
from sciatica_cli.routines.loader import parse_routine
from sciatica_cli.routines.models import routine_json_schema
from sciatica_cli.routines.names import MAX_NAME_LENGTH, NAME_PATTERN, check_name

STEP = "  - title: Roll\n    instructions: Roll.\n    duration: 1m\n"


def test_the_schema_for_editors_uses_the_name_rule() -> None:
    schema = routine_json_schema()
    name = schema["properties"]["name"]
    assert (name["pattern"], name["maxLength"]) == (NAME_PATTERN, MAX_NAME_LENGTH)


@pytest.mark.parametrize("name", ["My-Back", "-back", "back_2", "../x", "a" * 65, ""])
def test_a_name_refused_on_the_command_line_is_refused_in_a_file(name: str) -> None:
    with pytest.raises(UsageError):
        check_name(name)
    with pytest.raises(InvalidRoutine) as caught:
        parse_routine(f"name: '{name}'\ntitle: T\nsteps:\n{STEP}", "x.yaml", name)
    (problem,) = caught.value.problems
    assert (problem.line, problem.message[:4]) == (1, "name")


@pytest.mark.parametrize("name", ["back", "2-back", "a" * 64])
def test_a_name_allowed_on_the_command_line_is_allowed_in_a_file(name: str) -> None:
    assert check_name(name) == name
    loaded = parse_routine(f"name: {name}\ntitle: T\nsteps:\n{STEP}", "x.yaml", name)
    assert loaded.routine.name == name


def test_a_file_named_against_the_rule_is_not_a_routine(tmp_path: Path) -> None:
    (tmp_path / "My-Back.yaml").write_text(f"name: my-back\ntitle: T\nsteps:\n{STEP}", "utf-8")
    catalog = scan(tmp_path, tmp_path / "none")
    assert catalog.files == {}
    assert [p.message.split(":")[0] for p in catalog.strays] == [
        "the file name is not a routine name"
    ]
