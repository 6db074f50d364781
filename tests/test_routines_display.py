"""What routine text can do to a terminal: nothing. Control characters are refused, shown as
escapes if any slip through, never read as markup, and an ASCII terminal gets plain text."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from sciatica_cli.errors import Problem
from sciatica_cli.routines.library import Catalog, RoutineLibrary
from sciatica_cli.routines.listing import RoutineSummary
from sciatica_cli.routines.loader import parse_routine
from sciatica_cli.routines.planner import PlanOptions, plan_routine
from sciatica_cli.routines.views import broken_files, plan_view, routine_table

from .conftest import THREE, Run

ESCAPED = "the control character U+001B (written as an escape) is not allowed in routine text"
CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n"]


def has_control(text: str) -> bool:
    return any(char in text for char in CONTROLS)


def write(folder: Path, text: str, name: str = "three") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


EVIL = THREE.replace("title: Three step test", 'title: "Clear \\e[2J screen"').replace(
    "say: Halfway there.", 'say: "Title \\e]0;pwned\\a set"'
)


# Refused in every load


def test_validate_refuses_escapes_that_decode_to_control_characters(
    run: Run, user_routines: Path
) -> None:
    path = write(user_routines, EVIL)

    result = run("routine", "validate", str(path))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2:8: {ESCAPED}\n{path}:15:14: {ESCAPED}\n1 of 1 routine file has errors.\n"
    )


def test_validate_points_at_a_raw_control_character(run: Run, user_routines: Path) -> None:
    path = write(user_routines, THREE.replace("Halfway there.", "Half\x1b[2Jway there."))

    result = run("routine", "validate", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:15:18: the control character U+001B is not allowed in YAML"
    )


@pytest.mark.parametrize("command", [("show", "three"), ("show", "three", "--json")])
def test_show_refuses_the_routine_and_prints_no_control_character(
    run: Run, user_routines: Path, command: tuple[str, ...]
) -> None:
    path = write(user_routines, EVIL)

    result = run("routine", *command)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}:2:8: {ESCAPED}"
    assert not has_control(result.output)


def test_list_marks_the_routine_broken_and_prints_no_control_character(
    run: Run, user_routines: Path
) -> None:
    write(user_routines, EVIL)

    result = run("routine", "list")

    assert result.exit_code == 0
    assert "broken (see below)" in result.stdout
    assert ESCAPED in " ".join(result.stdout.split())
    assert not has_control(result.output)


def test_a_message_quoting_the_file_shows_its_control_characters_as_escapes(
    run: Run, user_routines: Path
) -> None:
    path = write(user_routines, THREE.replace("transition: 2s", '"trans\\e[2Jition": 2s'))

    result = run("routine", "validate", str(path))

    assert result.exit_code == 1
    assert "unknown key 'trans\\x1b[2Jition'" in result.stderr
    assert not has_control(result.stderr)


# Shown as escapes if any slip through, and never read as markup


def render(renderable: object, width: int = 120) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def slipped_plan() -> object:
    plain = parse_routine(THREE, "three.yaml", "three").plain()
    step = plain.steps[0]
    cue = replace(step.cues[1], say="\x1b]0;pwned\x07 [bold]x")  # type: ignore[union-attr]
    evil_step = replace(step, title="Glute \x1b[2J ball", warning="\x9b31m red", cues=(cue,))
    routine = replace(plain, title="[red]Three[/red] \x1b[2J", steps=(evil_step,))
    return plan_routine(RoutineLibrary(Catalog()).expand(routine), PlanOptions())


@pytest.mark.parametrize("width", [120, 50])
def test_the_plan_shows_control_characters_as_escapes_and_markup_as_text(width: int) -> None:
    seconds = {"min": 60.0, "default": 60.0, "max": 60.0}

    output = render(plan_view(slipped_plan(), seconds, width), width)  # type: ignore[arg-type]

    assert not has_control(output)
    flat = "".join(output.split())
    assert "[red]Three[/red]\\x1b[2J" in flat
    assert "Glute\\x1b[2Jball" in flat
    assert "\\x1b]0;pwned\\x07[bold]x" in flat
    assert "\\u009b31mred" in flat


@pytest.mark.parametrize("width", [120, 50])
def test_the_list_shows_control_characters_as_escapes_and_markup_as_text(width: int) -> None:
    row = RoutineSummary(
        "three", "[bold]Mine[/] \x1b[2J", ["glutes"], {"min": 60, "default": 60, "max": 60},
        "user", "three.yaml", False,
    )  # fmt: skip
    broken = replace(row, name="four", title="", error="four.yaml: bad \x1b[31m", error_count=1)
    stray = Problem("x\x1b.yml", "routine files end in .yaml")

    output = render(routine_table([row, broken], width), width)
    output += render(broken_files([row, broken], [stray]), width)

    assert not has_control(output)
    flat = "".join(output.split())
    assert "[bold]Mine[/]\\x1b[2J" in flat
    assert "four.yaml:bad\\x1b[31m" in flat
    assert "x\\x1b.yml:routinefilesendin.yaml" in flat


# An ASCII terminal


def in_a_subprocess(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "sciatica_cli", *args]
    return subprocess.run(command, capture_output=True, timeout=60, env=env, check=False)


ASCII_TERMINALS = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LANG=C without UTF-8 mode": {
        "LANG": "C",
        "LC_ALL": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
    },
}
UNICODE = THREE.replace("Three step test", "\u00c7a va \u2014 \u201cdoux\u201d \u2192 fin\u2026")


# Each kind of ASCII terminal once, one wide and one narrow: every pairing costs a process.
@pytest.mark.parametrize(
    ("terminal", "columns"), list(zip(ASCII_TERMINALS, ["120", "50"], strict=True))
)
@pytest.mark.parametrize("command", [("show", "three"), ("show", "glute-ball"), ("list",)])
def test_routine_views_work_on_an_ascii_terminal(
    user_routines: Path, command: tuple[str, ...], terminal: str, columns: str
) -> None:
    write(user_routines, UNICODE)
    env = {**os.environ, "COLUMNS": columns, **ASCII_TERMINALS[terminal]}
    env.pop("PYTHONUTF8", None) if terminal == "PYTHONIOENCODING=ascii" else None

    done = in_a_subprocess("routine", *command, env=env)

    stdout, stderr = done.stdout.decode("ascii"), done.stderr.decode("utf-8", "replace")
    assert (done.returncode, stderr) == (0, ""), stderr
    assert "Traceback" not in stderr
    if command == ("show", "three"):
        flat = " ".join(stdout.split())
        assert 'Ca va - "doux" -> fin...' in flat
        assert 'at 0:00: "Lean onto the ball."' in flat
    if command == ("list",):
        assert 'Ca va - "doux" -> fin...' in " ".join(stdout.split())


def test_a_utf8_terminal_keeps_the_typography(run: Run, user_routines: Path) -> None:
    write(user_routines, UNICODE)

    result = run("routine", "show", "three")

    assert "\u00c7a va \u2014 \u201cdoux\u201d \u2192 fin\u2026" in result.stdout
    assert "\u201cLean onto the ball.\u201d" in result.stdout
