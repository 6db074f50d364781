"""``routine validate`` warns about steps against SAFETY.md 5's dose advice, without failing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.step_warnings import NO_WARNING, step_warnings

from .conftest import BUILTIN_DIR, BUILTIN_NAMES, REPO, Run

WARNING = "Stop at once if the pain turns sharp or shoots down your leg."
LONG = (
    "warning: this step keeps one side going for {how}, more than 10 minutes: shorten it "
    "(5 minutes on one area is the default, 10 the upper end)"
)
BALL = f"warning: {NO_WARNING}"


def routine(name: str, *steps: str) -> str:
    """A routine file ``name`` whose steps are given as YAML, each starting ``  - title:``."""
    return f"name: {name}\ntitle: A test routine\nsteps:\n" + "".join(steps)


def step(
    title: str = "Hip circles",
    *,
    duration: str = "5m",
    instructions: str = "Stand and circle your hips slowly.",
    warning: str | None = WARNING,
) -> str:
    text = f"  - title: {title}\n    duration: {duration}\n    instructions: {instructions}\n"
    return text + (f"    warning: {warning}\n" if warning is not None else "")


def write(folder: Path, name: str, *steps: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(routine(name, *steps), encoding="utf-8")
    return path


def warnings_of(run: Run, path: Path) -> list[str]:
    """The warning lines ``routine validate PATH`` prints; the check itself must pass."""
    result = run("routine", "validate", str(path))
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


# one side for more than 10 minutes


def test_a_step_over_ten_minutes_a_side_warns_at_its_duration_key(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "long", step(duration="10m1s"))

    result = run("routine", "validate", str(path))

    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"{path}:5:5: {LONG.format(how='10m1s')}"]
    assert result.stdout == "All 1 routine file valid (1 warning).\n"


def test_exactly_ten_minutes_a_side_does_not_warn(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "ten", step(duration="10m", title="Both sides"))

    result = run("routine", "validate", str(path))

    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == "All 1 routine file valid.\n"


def test_a_range_whose_high_end_is_over_ten_minutes_warns(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "ranged", step(duration="5-12m"), step(duration="{range: 5-11m}"))

    assert warnings_of(run, path) == [
        f"{path}:5:5: {LONG.format(how='up to 12m')}",
        f"{path}:9:5: {LONG.format(how='up to 11m')}",
    ]


def test_a_range_ending_at_ten_minutes_does_not_warn(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "ranged", step(duration="5-10m"), step(duration="{range: 90s-10m}"))

    assert warnings_of(run, path) == []


def test_two_sides_of_ten_minutes_each_do_not_warn(run: Run, tmp_path: Path) -> None:
    """The limit is per side: ``sides: both`` at 10m is two sides of 10 minutes, not 20."""
    text = step(duration="10m").replace("    duration:", "    sides: both\n    duration:")
    path = write(tmp_path, "sides", text)

    assert warnings_of(run, path) == []


def test_counted_work_over_ten_minutes_warns_at_its_reps_key(run: Run, tmp_path: Path) -> None:
    counted = (
        "  - title: Pelvic tilts\n"
        "    reps: 20\n"
        "    hold: 30s\n"
        "    instructions: Flatten the small of your back into the floor, hold, relax.\n"
        "  - title: Short tilts\n"
        "    reps: 20\n"
        "    hold: 27s\n"  # 20 x (27s + 3s) = 10m exactly
        "    instructions: Flatten the small of your back into the floor, hold, relax.\n"
    )
    path = write(tmp_path, "counted", counted)

    assert warnings_of(run, path) == [
        f"{path}:5:5: {LONG.format(how='11m (20 x (30s hold + 3s relax))')}",
    ]


# a ball or roller without a warning


def test_a_ball_step_without_a_warning_warns_at_its_title(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "ball", step("Glute ball", warning=None))

    result = run("routine", "validate", str(path))

    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"{path}:4:5: {BALL}"]
    assert result.stdout == "All 1 routine file valid (1 warning).\n"


def test_the_warning_suggests_the_stop_if_sharp_pain_wording() -> None:
    assert NO_WARNING == (
        "this step presses on a ball or roller but has no warning: add one, such as 'Stop at "
        "once if the pain turns sharp, shoots down your leg, or you feel new tingling or "
        "numbness.'"
    )


def test_a_ball_step_with_its_own_warning_does_not_warn(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "ball", step("Glute ball"))

    assert warnings_of(run, path) == []


def test_a_step_without_ball_roller_or_warning_does_not_warn(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "plain", step("Hip circles", warning=None))

    assert warnings_of(run, path) == []


def test_the_routines_safety_notes_do_not_stand_in_for_a_steps_warning(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "noted.yaml"
    text = routine("noted", step("Glute ball", warning=None))
    path.write_text(text.replace("steps:", f"safety:\n  - {WARNING}\nsteps:"), encoding="utf-8")

    assert warnings_of(run, path) == [f"{path}:6:5: {BALL}"]


@pytest.mark.parametrize(
    ("title", "instructions"),
    [
        ("Glute BALL", "Sit and roll in small circles."),
        ("Calves", "Put a tennis ball under one calf."),
        ("Calves", "Put a lacrosse ball under one calf."),
        ("Back", "Lie on the Foam Roller, knees bent."),
        ("Back", "Lie across two rollers."),
        ("Back", "Use two balls in a sock."),
        ("Hips", "Lean on the ball-side hip."),
    ],
)
def test_ball_and_roller_are_found_as_whole_words_in_any_case(
    run: Run, tmp_path: Path, title: str, instructions: str
) -> None:
    path = write(tmp_path, "found", step(title, instructions=instructions, warning=None))

    assert warnings_of(run, path) == [f"{path}:4:5: {BALL}"]


@pytest.mark.parametrize(
    "instructions",
    [
        "Roll slowly from the hip to the knee.",
        "Stand like a ballet dancer, keeping your balance.",
        "Circle like a football player warming up, then rollerblade in your mind.",
    ],
)
def test_words_that_only_contain_ball_or_roller_do_not_warn(
    run: Run, tmp_path: Path, instructions: str
) -> None:
    path = write(tmp_path, "words", step("Warm up", instructions=instructions, warning=None))

    assert warnings_of(run, path) == []


def test_one_step_can_have_both_warnings_in_file_order(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "both", step("Glute ball", duration="11m", warning=None))

    assert warnings_of(run, path) == [
        f"{path}:4:5: {BALL}",
        f"{path}:5:5: {LONG.format(how='11m')}",
    ]


# the exit code, the location and the summary


def test_the_location_is_path_line_col_of_the_step_key(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "spaced.yaml"
    path.write_text(
        "name: spaced\n"
        "title: Spaced\n"
        "steps:\n"
        "    -   instructions: Lie on the ball.\n"
        "        title: Ball\n"
        "        duration: 12m\n",
        encoding="utf-8",
    )

    lines = warnings_of(run, path)

    assert [line.split(": warning: ")[0] for line in lines] == [f"{path}:5:9", f"{path}:6:9"]
    assert all(re.fullmatch(r".+:\d+:\d+: warning: .+", line) for line in lines)


def test_warnings_never_change_the_exit_code(run: Run, user_routines: Path) -> None:
    write(user_routines, "warned", step("Glute ball", duration="12m", warning=None))

    clean = run("routine", "validate")
    broken = write(user_routines, "broken", step(duration="5"))
    failing = run("routine", "validate")

    assert clean.exit_code == 0
    assert clean.stdout == "All 7 routine files valid (2 warnings).\n"
    assert failing.exit_code == 1
    assert failing.stdout == ""
    assert failing.stderr.splitlines()[0] == f"{broken}:5:15: '5' needs a unit: write '5s' or '5m'"
    assert len([line for line in failing.stderr.splitlines() if ": warning: " in line]) == 2
    assert failing.stderr.splitlines()[-1] == "1 of 8 routine files has errors (2 warnings)."


def test_a_file_with_errors_has_no_warnings_of_its_own(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "broken", step("Glute ball", duration="12", warning=None))

    result = run("routine", "validate", str(path))

    assert result.exit_code == 1
    assert ": warning: " not in result.stderr
    assert result.stderr.splitlines()[-1] == "1 of 1 routine file has errors."


# includes and files given twice


def test_an_included_routines_steps_are_warned_about_in_its_own_file_once(
    run: Run, user_routines: Path
) -> None:
    inner = write(user_routines, "inner", step("Glute ball", warning=None))
    outer = user_routines / "outer.yaml"
    outer.write_text(
        routine("outer", "  - include: inner\n", step("Glute ball twice", warning=None)),
        encoding="utf-8",
    )

    everything = run("routine", "validate")
    both = run("routine", "validate", str(outer), "inner", str(inner))
    alone = run("routine", "validate", str(outer))

    expected = [f"{outer}:5:5: {BALL}", f"{inner}:4:5: {BALL}"]
    assert everything.exit_code == 0
    assert sorted(everything.stderr.splitlines()) == sorted(expected)
    assert both.stderr.splitlines() == expected
    assert both.stdout == "All 3 routine files valid (2 warnings).\n"
    assert alone.stderr.splitlines() == [f"{outer}:5:5: {BALL}"]


# the built-ins, the pure rule and the docs


def test_the_builtins_are_warning_free(run: Run) -> None:
    every = run("routine", "validate")
    folder = run("routine", "validate", str(BUILTIN_DIR))

    for result in (every, folder):
        assert result.exit_code == 0
        assert result.stderr == ""
        assert result.stdout == f"All {len(BUILTIN_NAMES)} routine files valid.\n"


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_each_builtin_plain_routine_has_no_step_warnings(name: str, tmp_path: Path) -> None:
    library = RoutineLibrary(scan(BUILTIN_DIR, tmp_path / "none"))

    assert step_warnings(library.load(name)) == []


def test_the_format_docs_quote_the_warnings_as_validate_prints_them(
    run: Run, tmp_path: Path
) -> None:
    doc = (REPO / "docs" / "routine-format.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^\s*\S+\.yaml:\d+:\d+: (warning: .+)$", doc, flags=re.M)
    path = write(tmp_path, "mine", step("Glute ball", duration="5-12m", warning=None))

    printed = [line.split(": ", 1)[1] for line in warnings_of(run, path)]

    assert len(quoted) == 2
    assert sorted(quoted) == sorted(printed)
