"""Golden tests of the problems a person sees for a broken routine file: path:line:col: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciatica_cli.errors import InvalidRoutine
from sciatica_cli.routines.files import MAX_BYTES
from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.loader import load_routine_file, parse_routine
from sciatica_cli.routines.models import Step

SIDES = "none, left, right, both, affected"
STEP_KEYS = (
    "title, instructions, duration, sides, position, area, warning, cues, reps, hold, relax, rest"
)
POSITIONS = "lying-on-back, lying-on-front, side-lying, sitting, standing"
ROUTINE_KEYS = "name, title, summary, equipment, areas, safety, transition, steps"
NOT_A_MAPPING = "a routine is a mapping with name, title and steps (see 'sciatica routine new')"

# Line 4 is the step, line 6 its duration; most tests add keys at line 7 and below.
ROLL = """\
name: demo
title: Demo
steps:
  - title: Roll
    instructions: Roll slowly.
    duration: 5-10m
"""


def write(folder: Path, text: str, name: str = "demo") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_in(path: Path) -> list[str]:
    with pytest.raises(InvalidRoutine) as caught:
        load_routine_file(path)
    return [str(problem) for problem in caught.value.problems]


def test_valid_routine_loads_and_remembers_positions(tmp_path: Path) -> None:
    loaded = load_routine_file(write(tmp_path, ROLL))
    assert loaded.routine.name == "demo"
    (step,) = loaded.routine.steps
    assert isinstance(step, Step)
    assert step.title == "Roll"
    assert loaded.position_of(("steps", 0, "duration")) == (6, 15)


def test_unknown_key_suggests_the_closest_known_key(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("    duration:", "    duraton:"))
    assert problems_in(path) == [f"{path}:6:5: unknown key 'duraton', did you mean 'duration'?"]


def test_unknown_key_without_a_close_match_lists_the_keys_allowed_there(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    colour: red\n")
    assert problems_in(path) == [f"{path}:7:5: unknown key 'colour'; expected one of: {STEP_KEYS}"]


def test_unknown_top_level_key_suggests_a_routine_key(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "equipmnt: [a ball]\n")
    assert problems_in(path) == [f"{path}:7:1: unknown key 'equipmnt', did you mean 'equipment'?"]


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("<step>: 1", "7:1"),
        ("<include>: 1", "7:1"),
        ("    <step>: 1", "7:5"),
        ("    <include>: 1", "7:5"),
    ],
)
def test_key_spelled_like_an_internal_tag_is_an_unknown_key(
    tmp_path: Path, line: str, where: str
) -> None:
    path = write(tmp_path, ROLL + line + "\n")
    key = line.strip().split(":")[0]
    expected = f"{path}:{where}: unknown key '{key}'"
    assert [problem[: len(expected)] for problem in problems_in(path)] == [expected]


def test_missing_routine_key_is_reported_at_the_start_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("title: Demo\n", ""))
    assert problems_in(path) == [f"{path}:1:1: missing required key 'title'"]


def test_missing_step_key_is_reported_at_the_step(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("    instructions: Roll slowly.\n", ""))
    assert problems_in(path) == [f"{path}:4:5: missing required key 'instructions'"]


def test_routine_without_steps_needs_at_least_one(tmp_path: Path) -> None:
    path = write(tmp_path, "name: demo\ntitle: Demo\nsteps: []\n")
    assert problems_in(path) == [f"{path}:3:8: steps needs at least one entry"]


@pytest.mark.parametrize(
    ("written", "hint"),
    [("bth", "; did you mean 'both'?"), ("affectd", "; did you mean 'affected'?"), ("up", "")],
)
def test_bad_sides_value_lists_the_choices_and_suggests_the_closest(
    tmp_path: Path, written: str, hint: str
) -> None:
    path = write(tmp_path, ROLL + f"    sides: {written}\n")
    assert problems_in(path) == [
        f"{path}:7:12: sides '{written}' is not one of: {SIDES}{hint}",
    ]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("lying-on-bak", "; did you mean 'lying-on-back'?"),
        ("siting", "; did you mean 'sitting'?"),
        ("supine", ""),
    ],
)
def test_bad_position_lists_the_choices_and_suggests_the_closest(
    tmp_path: Path, written: str, hint: str
) -> None:
    path = write(tmp_path, ROLL + f"    position: {written}\n")
    assert problems_in(path) == [
        f"{path}:7:15: position '{written}' is not one of: {POSITIONS}{hint}",
    ]


def test_position_must_be_text_not_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    position: [sitting]\n")
    (problem,) = problems_in(path)
    assert problem.startswith(f"{path}:7:15: position ")
    assert POSITIONS in problem


@pytest.mark.parametrize("position", POSITIONS.split(", "))
def test_each_position_loads_and_reaches_the_plain_step(tmp_path: Path, position: str) -> None:
    loaded = load_routine_file(write(tmp_path, ROLL + f"    position: {position}\n"))
    (step,) = loaded.plain().steps
    assert getattr(step, "position", None) == position


def test_a_step_without_a_position_has_none(tmp_path: Path) -> None:
    (step,) = load_routine_file(write(tmp_path, ROLL)).plain().steps
    assert getattr(step, "position", "missing") is None


def test_sides_affected_loads(tmp_path: Path) -> None:
    (step,) = load_routine_file(write(tmp_path, ROLL + "    sides: affected\n")).plain().steps
    assert getattr(step, "sides", None) == "affected"


def test_bad_area_suggests_the_closest_area(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    area: glute\n")
    assert problems_in(path) == [
        f"{path}:7:11: area 'glute' is not one of: lower-back, upper-back, glutes, piriformis, "
        "hips, hamstrings, quadriceps, calves, feet; did you mean 'glutes'?"
    ]


def test_duplicate_key_names_the_line_of_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    duration: 6m\n")
    assert problems_in(path) == [
        f"{path}:7:5: duplicate key 'duration' (first given at line 6); keep only one"
    ]


def test_bad_value_of_a_duplicated_key_is_reported_where_it_is_written(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("5-10m", "banana") + "    duration: 5m\n")
    assert problems_in(path) == [
        f"{path}:6:15: 'banana' is not a duration; write it like '90s', '5m' or '1m30s'",
        f"{path}:7:5: duplicate key 'duration' (first given at line 6); keep only one",
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("90", "'90' needs a unit: write '90s' or '90m'"),
        ("10-5m", "in '10-5m' the second value must be longer than the first"),
        ("{range: 5-10m, default: 12m}", "default 12m lies outside the range 5-10m"),
        ("{default: 5m}", "a duration mapping needs 'range', as in {range: 5-10m, default: 6m}"),
        ("[5m]", "write a duration like '90s', '5m' or '1m30s', or a range like '5-10m'"),
        ("-5s", "a duration cannot be negative: '-5s'"),
        ("-5", "a duration cannot be negative: '-5'"),
        ("-1.5", "a duration cannot be negative: '-1.5'"),
        ("{range: -5m-10m}", "a duration cannot be negative: '-5m-10m'"),
    ],
)
def test_bad_duration_is_reported_at_its_value(tmp_path: Path, written: str, message: str) -> None:
    path = write(tmp_path, ROLL.replace("5-10m", written))
    assert problems_in(path) == [f"{path}:6:15: {message}"]


def test_cue_at_a_time_past_the_shortest_step_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    cues:\n      - at: 6m\n        say: Halfway\n")
    assert problems_in(path) == [
        f"{path}:8:13: cue at 6m falls outside the step, which can be as short as 5m"
    ]


@pytest.mark.parametrize(
    ("timing", "column", "message"),
    [
        ("every: 5m", 16, "every 5m does not fit in the step, which can be as short as 5m"),
        ("every: 6m", 16, "every 6m does not fit in the step, which can be as short as 5m"),
        (
            "before_end: 10m",
            21,
            "before_end 10m does not fit in the step, which can be as short as 5m",
        ),
    ],
)
def test_repeating_or_closing_cue_longer_than_the_step_is_refused(
    tmp_path: Path, timing: str, column: int, message: str
) -> None:
    path = write(tmp_path, ROLL + f"    cues:\n      - {timing}\n        say: Breathe\n")
    assert problems_in(path) == [f"{path}:8:{column}: {message}"]


def test_cue_at_a_percentage_of_100_or_more_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    cues:\n      - at: 100%\n        say: End\n")
    assert problems_in(path) == [
        f"{path}:8:13: '100%' is at or past the end of the step; use less than 100%"
    ]


def test_cue_needs_exactly_one_timing(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "    cues:\n      - at: 1m\n        every: 1m\n        say: x\n")
    assert problems_in(path) == [
        f"{path}:8:9: a cue needs exactly one of 'at', 'every' or 'before_end'"
    ]


@pytest.mark.parametrize(
    ("timing", "message"),
    [
        ("    reps: 10\n", "'reps' needs 'hold', how long each rep is held (e.g. hold: 5s)"),
        ("    hold: 5s\n", "'hold' goes with 'reps', the number of holds (e.g. reps: 10)"),
        (
            "    reps: 10\n    hold: 5s\n    duration: 5m\n",
            "give either 'duration' or 'reps' with 'hold', not both",
        ),
        ("", "a step needs a 'duration' (or 'reps' with 'hold')"),
    ],
    ids=["reps-without-hold", "hold-without-reps", "duration-and-reps", "neither"],
)
def test_step_times_itself_by_duration_or_by_reps_with_hold(
    tmp_path: Path, timing: str, message: str
) -> None:
    path = write(tmp_path, ROLL.replace("    duration: 5-10m\n", timing))
    assert problems_in(path) == [f"{path}:4:5: {message}"]


def test_name_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("name: demo", "name: other"))
    assert problems_in(path) == [f"{path}:1:7: name 'other' must match the file name 'demo.yaml'"]


def test_name_must_be_a_routine_name(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("name: demo", "name: My Back"))
    assert problems_in(path) == [
        f"{path}:1:7: name 'My Back' is not a routine name: use lowercase letters, digits and "
        "hyphens, starting with a letter or digit"
    ]


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_bytes(b"name: demo\ntitle: D\xe9mo\n")
    assert problems_in(path) == [
        f"{path}:2:9: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"
    ]


def test_file_over_one_mebibyte_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "#" * (MAX_BYTES - len(ROLL) + 1))
    assert problems_in(path) == [
        f"{path}: the file is 1,048,577 bytes; routine files are limited to 1 MiB"
    ]


def test_file_of_exactly_one_mebibyte_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "#" * (MAX_BYTES - len(ROLL)))
    assert load_routine_file(path).routine.name == "demo"


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    assert problems_in(path) == [f"{path}: no such file"]


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("", "empty"),
        ("# nothing yet\n", "empty"),
        ("- title: Roll\n- title: Press\n", "a list"),
        ("just some words\n", "a piece of text"),
        ("42\n", "a number"),
    ],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    path = write(tmp_path, text)
    assert problems_in(path) == [f"{path}:1:1: the file is {what}; {NOT_A_MAPPING}"]


def test_python_object_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = ROLL.replace("title: Demo", f"title: !!python/object/apply:os.system ['touch {marker}']")
    path = write(tmp_path, text)
    assert problems_in(path) == [
        f"{path}:2:8: the tag '!!python/object/apply:os.system' is not allowed here",
        f"{path}:2:8: title must be text",
    ]
    assert not marker.exists()


def test_python_object_tag_on_a_text_value_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL.replace("title: Demo", "title: !!python/object:os.system ls"))
    assert problems_in(path) == [
        f"{path}:2:8: the tag '!!python/object:os.system' is not allowed here"
    ]


def test_tab_indentation_is_reported_plainly(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "\tsides: both\n")
    assert problems_in(path) == [f"{path}:7:1: tabs cannot indent YAML; use spaces"]


def test_second_yaml_document_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROLL + "---\n" + ROLL)
    assert problems_in(path) == [
        f"{path}:7:1: a routine file holds one YAML document; remove this '---' and what "
        "follows, or move it to a file of its own"
    ]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
name: demo
titel: Demo
transition: 10
steps:
  - title: Roll
    instructions: Roll slowly.
    duration: 5-10m
    cues:
      - at: 6m
        say: Halfway
  - title: Press
    instructions: Press.
    duration: 90
    sides: bth
  - title: Hold
    instructions: Hold.
    reps: 10
  - include: Other
  - 5
""",
    )
    assert problems_in(path) == [
        f"{path}:1:1: missing required key 'title'",
        f"{path}:2:1: unknown key 'titel', did you mean 'title'?",
        f"{path}:3:13: '10' needs a unit: write '10s' or '10m'",
        f"{path}:9:13: cue at 6m falls outside the step, which can be as short as 5m",
        f"{path}:13:15: '90' needs a unit: write '90s' or '90m'",
        f"{path}:14:12: sides 'bth' is not one of: {SIDES}; did you mean 'both'?",
        f"{path}:15:5: 'reps' needs 'hold', how long each rep is held (e.g. hold: 5s)",
        f"{path}:18:14: include 'Other' is not a routine name: use lowercase letters, digits "
        "and hyphens, starting with a letter or digit",
        f"{path}:19:5: a step must be a mapping with a title, instructions and a duration, "
        "or 'include: NAME'",
    ]


def test_problems_of_text_being_edited_carry_its_label() -> None:
    with pytest.raises(InvalidRoutine) as caught:
        parse_routine(ROLL.replace("    duration:", "    duraton:"), "draft.yaml", "demo")
    assert [str(p) for p in caught.value.problems] == [
        "draft.yaml:6:5: unknown key 'duraton', did you mean 'duration'?"
    ]
    assert caught.value.message == "1 problem found"


# Includes


def step(title: str) -> str:
    return f"  - title: {title}\n    instructions: Do it.\n    duration: 1m\n"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    return builtin, user


def expand_problems(folders: tuple[Path, Path], name: str) -> list[str]:
    with pytest.raises(InvalidRoutine) as caught:
        RoutineLibrary(scan(*folders)).expand(name)
    return [str(problem) for problem in caught.value.problems]


def test_include_pulls_in_the_steps_of_another_routine(folders: tuple[Path, Path]) -> None:
    builtin, user = folders
    write(builtin, "name: base\ntitle: Base\nsteps:\n" + step("One") + step("Two"), "base")
    write(user, "name: mine\ntitle: Mine\nsteps:\n  - include: base\n" + step("Three"), "mine")
    expanded = RoutineLibrary(scan(builtin, user)).expand("mine")
    assert [(p.routine, p.step.title) for p in expanded.steps] == [
        ("base", "One"),
        ("base", "Two"),
        ("mine", "Three"),
    ]


def test_include_cycle_is_reported_with_its_chain_at_the_include(
    folders: tuple[Path, Path],
) -> None:
    _, user = folders
    write(user, "name: a\ntitle: A\nsteps:\n" + step("Roll") + "  - include: b\n", "a")
    b = write(user, "name: b\ntitle: B\nsteps:\n  - include: a\n", "b")
    assert expand_problems(folders, "a") == [f"{b}:4:14: include cycle: a -> b -> a"]


def test_routine_including_itself_is_a_cycle(folders: tuple[Path, Path]) -> None:
    _, user = folders
    path = write(user, "name: d\ntitle: D\nsteps:\n" + step("Roll") + "  - include: d\n", "d")
    assert expand_problems(folders, "d") == [f"{path}:7:14: include cycle: d -> d"]


def test_missing_include_names_the_file_and_line(folders: tuple[Path, Path]) -> None:
    _, user = folders
    path = write(user, "name: c\ntitle: C\nsteps:\n" + step("Roll") + "  - include: nowhere\n", "c")
    assert expand_problems(folders, "c") == [
        f"{path}:7:14: cannot include: no routine named 'nowhere' "
        "('sciatica routine list' shows them all)"
    ]


def test_misspelt_include_suggests_the_routine_meant(folders: tuple[Path, Path]) -> None:
    builtin, user = folders
    write(builtin, "name: warm-up\ntitle: Warm up\nsteps:\n" + step("Stretch"), "warm-up")
    path = write(user, "name: c\ntitle: C\nsteps:\n  - include: warmup\n", "c")
    assert expand_problems(folders, "c") == [
        f"{path}:4:14: cannot include: no routine named 'warmup'; did you mean 'warm-up'? "
        "('sciatica routine list' shows them all)"
    ]


def test_broken_included_routine_shows_the_include_and_its_problems(
    folders: tuple[Path, Path],
) -> None:
    _, user = folders
    outer = write(user, "name: e\ntitle: E\nsteps:\n  - include: f\n", "e")
    inner = write(user, "name: f\ntitle: F\nsteps:\n" + step("Roll").replace("1m", "1"), "f")
    assert expand_problems(folders, "e") == [
        f"{outer}:4:14: the included routine 'f' has errors:",
        f"{inner}:6:15: '1' needs a unit: write '1s' or '1m'",
    ]


def many_steps(count: int) -> str:
    step_text = "  - title: Step {i}\n    instructions: Roll slowly.\n    duration: 30s\n"
    return "name: demo\ntitle: Demo\nsteps:\n" + "".join(
        step_text.format(i=i) for i in range(count)
    )


def test_a_long_plain_routine_is_not_taken_for_an_alias_bomb(tmp_path: Path) -> None:
    text = many_steps(5_000)  # about 320 KB, no aliases: once refused at about 2,850 steps
    assert 300_000 < len(text) < MAX_BYTES
    loaded = load_routine_file(write(tmp_path, text))
    assert len(loaded.routine.steps) == 5_000


def test_aliases_in_a_routine_that_expand_too_far_are_refused(tmp_path: Path) -> None:
    words = "[" + ", ".join(["Roll slowly."] * 999) + "]"
    aliases = ", ".join(["*notes"] * 21)  # 21 x 1,000 values: past the 20,000 aliases may add
    text = f"name: demo\ntitle: Demo\nsafety: &notes {words}\nequipment: [{aliases}]\n"
    problems = problems_in(write(tmp_path, text + ROLL.split("title: Demo\n")[1]))
    assert len(problems) == 1
    assert problems[0].endswith(
        "the document expands to more than 20,000 values; "
        "are aliases ('*name') repeating each other?"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("rest: -5s", "a duration cannot be negative: '-5s'"),
        ("rest: -10", "a duration cannot be negative: '-10'"),
    ],
)
def test_negative_times_say_they_cannot_be_negative(
    tmp_path: Path, written: str, message: str
) -> None:
    path = write(tmp_path, ROLL + f"    {written}\n")
    assert problems_in(path) == [f"{path}:7:11: {message}"]
