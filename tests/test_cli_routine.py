"""``sciatica routine ...``: list, show, validate and schema, as a person sees them."""

from __future__ import annotations

import builtins
import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from .conftest import BUILTIN_DIR, Run

BUILTINS = {
    # name: (title, areas as listed, time as listed)
    "foam-roller-back": ("Foam roller, lower back", "lower-back", "5m30s-10m30s"),
    "full": (
        "Full sciatica self-massage",
        "lower-back, hips, glutes, hamstrings, piriformis",
        "26m5s-46m5s",
    ),
    "glute-ball": ("Glutes with a ball", "glutes", "5m30s-10m30s"),
    "hamstring-roll": ("Hamstrings on the foam roller", "hamstrings", "5m30s-10m30s"),
    "piriformis-ball": ("Piriformis with a ball", "piriformis", "5m15s-10m15s"),
    "warm-up": ("Gentle warm-up", "lower-back, hips", "4m20s"),
}

BROKEN = """\
name: broken
title: Broken
steps:
  - title: Glute ball
    instructions: Roll.
    duration: 5
    sidez: both
"""


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that no table row or file path wraps, whatever tmp_path is."""
    monkeypatch.setenv("COLUMNS", "300")


def flat(text: str) -> str:
    return " ".join(text.split())


def row(output: str, name: str) -> str:
    """The table line of routine ``name``, with runs of spaces as one."""
    lines = [line for line in output.splitlines() if line.split()[:1] == [name]]
    assert len(lines) == 1, f"expected one row for {name} in:\n{output}"
    return " ".join(lines[0].split())


def listed(run: Run) -> dict[str, Any]:
    result = run("routine", "list", "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def glute_ball_with(title: str) -> str:
    text = (BUILTIN_DIR / "glute-ball.yaml").read_text(encoding="utf-8")
    return text.replace("title: Glutes with a ball", f"title: {title}").replace(
        "  - title: Glute ball", "  - title: My glute ball"
    )


# routine list


def test_list_shows_every_builtin_with_its_title_areas_and_time(run: Run) -> None:
    result = run("routine", "list")

    assert result.exit_code == 0
    assert row(result.stdout, "Name") == "Name Title Areas Time Source"
    for name, (title, areas, time) in BUILTINS.items():
        assert row(result.stdout, name) == f"{name} {title} {areas} {time} built-in"
    assert "Broken routine files" not in result.stdout


def test_list_says_where_your_routines_live(run: Run, home: Path) -> None:
    result = run("routine", "list")

    assert f"Your routines live in {home / 'routines'}" in result.stdout


def test_list_json_has_every_builtin_as_built_in(run: Run) -> None:
    data = listed(run)

    rows = {r["name"]: r for r in data["routines"]}
    assert set(rows) == set(BUILTINS)
    for name, (title, areas, _) in BUILTINS.items():
        assert rows[name]["source"] == "built-in"
        assert rows[name]["title"] == title
        assert rows[name]["areas"] == areas.split(", ")
        assert rows[name]["overrides_builtin"] is False
        assert rows[name]["error"] is None
        assert Path(rows[name]["path"]) == BUILTIN_DIR / f"{name}.yaml"
    assert rows["glute-ball"]["seconds"] == {"min": 330, "default": 330, "max": 630}
    assert rows["warm-up"]["seconds"] == {"min": 260, "default": 260, "max": 260}
    assert data["unreadable"] == []


def test_a_user_routine_with_a_builtin_name_overrides_it(run: Run, user_routines: Path) -> None:
    (user_routines / "glute-ball.yaml").write_text(glute_ball_with("My glutes"), encoding="utf-8")

    table = run("routine", "list").stdout
    rows = {r["name"]: r for r in listed(run)["routines"]}

    assert row(table, "glute-ball") == (
        "glute-ball My glutes glutes 5m30s-10m30s user (overrides built-in)"
    )
    assert rows["glute-ball"]["source"] == "user"
    assert rows["glute-ball"]["overrides_builtin"] is True
    assert Path(rows["glute-ball"]["path"]) == user_routines / "glute-ball.yaml"
    assert len(rows) == 6


def test_a_routine_that_includes_an_overridden_one_uses_the_users_version(
    run: Run, user_routines: Path
) -> None:
    (user_routines / "glute-ball.yaml").write_text(glute_ball_with("My glutes"), encoding="utf-8")

    plan = json.loads(run("routine", "show", "full", "--json").stdout)

    titles = {s["title"] for s in plan["segments"] if s["kind"] == "step"}
    assert "My glute ball" in titles
    assert "Glute ball" not in titles


def test_a_broken_user_file_is_reported_under_the_table_with_its_first_error(
    run: Run, user_routines: Path
) -> None:
    path = user_routines / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")

    result = run("routine", "list")

    assert result.exit_code == 0
    assert row(result.stdout, "broken") == "broken broken (see below) user"
    below = result.stdout.split("Broken routine files", 1)[1]
    assert "('sciatica routine validate' lists every error):" in below
    assert f"  {path}:6:15: '5' needs a unit: write '5s' or '5m' (+1 more)\n" in below


def test_a_broken_user_file_does_not_hide_other_routines(run: Run, user_routines: Path) -> None:
    (user_routines / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (user_routines / "my-glutes.yaml").write_text(
        glute_ball_with("My glutes").replace("name: glute-ball", "name: my-glutes"),
        encoding="utf-8",
    )

    result = run("routine", "list")

    for name, (title, areas, time) in BUILTINS.items():
        assert row(result.stdout, name) == f"{name} {title} {areas} {time} built-in"
    assert row(result.stdout, "my-glutes") == "my-glutes My glutes glutes 5m30s-10m30s user"


def test_list_json_gives_a_broken_file_its_first_error(run: Run, user_routines: Path) -> None:
    path = user_routines / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")

    rows = {r["name"]: r for r in listed(run)["routines"]}

    assert rows["broken"]["error"] == f"{path}:6:15: '5' needs a unit: write '5s' or '5m'"
    assert rows["broken"]["error_count"] == 2
    assert len(rows) == 7


def test_a_yml_file_is_reported_with_the_name_to_use(run: Run, user_routines: Path) -> None:
    path = user_routines / "stretch.yml"
    path.write_text((BUILTIN_DIR / "warm-up.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    result = run("routine", "list")
    data = listed(run)

    message = f"{path}: routine files end in .yaml; rename it to stretch.yaml"
    assert f"  {message}\n" in result.stdout.split("Broken routine files", 1)[1]
    assert data["unreadable"] == [{"path": str(path), "error": message}]
    assert "stretch" not in {r["name"] for r in data["routines"]}


def test_a_badly_named_file_is_reported(run: Run, user_routines: Path) -> None:
    path = user_routines / "My_Routine.yaml"
    path.write_text((BUILTIN_DIR / "warm-up.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    result = run("routine", "list")

    below = flat(result.stdout.split("Broken routine files", 1)[1])
    assert f"{path}: the file name is not a routine name" in below
    assert "use lowercase letters, digits and hyphens, ending in .yaml" in below
    assert [u["path"] for u in listed(run)["unreadable"]] == [str(path)]


def test_hidden_files_and_other_extensions_are_ignored(run: Run, user_routines: Path) -> None:
    (user_routines / ".notes.yaml").write_text("not: a routine\n", encoding="utf-8")
    (user_routines / "README.txt").write_text("my notes\n", encoding="utf-8")

    data = listed(run)

    assert {r["name"] for r in data["routines"]} == set(BUILTINS)
    assert data["unreadable"] == []


def test_a_second_list_gives_the_same_answer_from_the_cache(run: Run, home: Path) -> None:
    first = run("routine", "list")
    cache = home / "cache" / "routine-list.json"

    assert cache.exists()
    second = run("routine", "list")

    assert second.exit_code == 0
    assert second.stdout == first.stdout


def test_list_sees_an_edited_file_despite_the_cache(run: Run, user_routines: Path) -> None:
    path = user_routines / "my-glutes.yaml"
    text = glute_ball_with("Old title").replace("name: glute-ball", "name: my-glutes")
    path.write_text(text, encoding="utf-8")
    assert row(run("routine", "list").stdout, "my-glutes").startswith("my-glutes Old title ")

    path.write_text(text.replace("Old title", "New title"), encoding="utf-8")  # same size
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    assert row(run("routine", "list").stdout, "my-glutes").startswith("my-glutes New title ")


def test_list_sees_a_new_and_a_deleted_file_despite_the_cache(
    run: Run, user_routines: Path
) -> None:
    assert {r["name"] for r in listed(run)["routines"]} == set(BUILTINS)
    path = user_routines / "glute-ball.yaml"
    path.write_text(glute_ball_with("My glutes"), encoding="utf-8")

    assert {r["name"]: r["title"] for r in listed(run)["routines"]}["glute-ball"] == "My glutes"
    path.unlink()
    assert {r["name"]: r["title"] for r in listed(run)["routines"]}["glute-ball"] == (
        "Glutes with a ball"
    )


def test_a_corrupt_cache_is_rebuilt(run: Run, home: Path) -> None:
    expected = run("routine", "list").stdout
    (home / "cache" / "routine-list.json").write_text("{not json", encoding="utf-8")

    result = run("routine", "list")

    assert result.exit_code == 0
    assert result.stdout == expected


# routine show


def test_show_prints_steps_sides_cues_warning_and_total(run: Run) -> None:
    result = run("routine", "show", "glute-ball")

    out = result.stdout
    assert result.exit_code == 0
    assert out.startswith("Glutes with a ball  (glute-ball)\n")
    assert "Equipment: a tennis ball (gentler) or a lacrosse ball (firmer); a mat or carpet" in out
    assert "Safety: Start with a tennis ball; a lacrosse ball presses harder." in out
    assert re.search(r"0:00 +15s +LEFT +Get into position", out)
    assert re.search(r"0:15 +2m30s +LEFT +1\. Glute ball", out)
    assert re.search(r"2:45 +15s +RIGHT +Switch to the right side", out)
    assert re.search(r"3:00 +2m30s +RIGHT +1\. Glute ball", out)
    halfway = "Halfway. Find a tender spot, stay on it and breathe."
    assert out.count(f"at 1:15: \u201c{halfway}\u201d") == 2
    assert out.count("at 2:20: \u201cEase off the ball slowly.\u201d") == 2
    assert out.count("! Stop at once if the pain turns sharp, shoots down your leg") == 2
    assert "Total 5m30s  (fits 5m30s-10m30s with --minutes)" in out


def test_show_prints_each_steps_position_in_words(run: Run) -> None:
    out = run("routine", "show", "glute-ball").stdout
    assert re.search(r"0:00 +15s +LEFT +Get into position: sitting", out)
    assert out.count("Sitting") == 2  # under the step, once a side

    out = run("routine", "show", "warm-up").stdout
    assert out.count("Get into position: lying on your back") == 2
    assert out.count("Lying on your back") == 3  # knee to chest a side, and pelvic tilts


def test_show_json_gives_the_position_and_its_words_and_the_spoken_set_up(run: Run) -> None:
    plan = json.loads(run("routine", "show", "glute-ball", "--json").stdout)
    setup, step = plan["segments"][:2]
    assert (setup["position"], setup["position_words"]) == ("sitting", "sitting")
    assert (step["position"], step["position_words"]) == ("sitting", "sitting")
    assert setup["setup_speech"].startswith("Get into position: Glute ball, left side. Sitting. ")
    assert step["setup_speech"] is None


def test_show_piriformis_is_one_segment_on_the_affected_side(run: Run) -> None:
    plan = json.loads(run("routine", "show", "piriformis-ball", "--json").stdout)
    assert [(s["kind"], s["side"]) for s in plan["segments"]] == [
        ("setup", "affected"),
        ("step", "affected"),
    ]
    out = run("routine", "show", "piriformis-ball").stdout
    assert re.search(r"0:00 +15s +AFFECTED +Get into position: lying on your back", out)


@pytest.mark.parametrize("side", ["left", "right"])
def test_show_piriformis_with_a_side_works_only_that_side(run: Run, side: str) -> None:
    result = run("routine", "show", "piriformis-ball", "--json", "--side", side)
    plan = json.loads(result.stdout)
    assert {s["side"] for s in plan["segments"]} == {side}
    assert [s["kind"] for s in plan["segments"]] == ["setup", "step"]


def test_show_prints_reps_for_counted_steps(run: Run) -> None:
    result = run("routine", "show", "warm-up")

    assert "3 reps: hold 20s, relax 5s" in result.stdout
    assert "10 reps: hold 5s, relax 3s" in result.stdout
    assert "Total 4m20s\n" in result.stdout
    assert "with --minutes" not in result.stdout  # nothing to scale


def test_show_json_has_the_segments_and_the_total(run: Run) -> None:
    result = run("routine", "show", "glute-ball", "--json")

    plan = json.loads(result.stdout)
    assert result.exit_code == 0
    assert plan["name"] == "glute-ball"
    assert plan["total_seconds"] == 330
    assert plan["range_seconds"] == {"min": 330, "default": 330, "max": 630}
    summary = [(s["kind"], s["side"], s["start"], s["seconds"]) for s in plan["segments"]]
    assert summary == [
        ("setup", "left", 0, 15),
        ("step", "left", 15, 150),
        ("switch", "right", 165, 15),
        ("step", "right", 180, 150),
    ]
    step = plan["segments"][1]
    assert step["title"] == "Glute ball"
    assert step["area"] == "glutes"
    assert step["warning"].startswith("Stop at once if the pain turns sharp")
    assert [c["offset"] for c in step["cues"]] == [0, 75, 140]


@pytest.mark.parametrize(
    ("name", "minutes"),
    [
        ("glute-ball", "6"),
        ("glute-ball", "8"),
        ("glute-ball", "10.5"),
        ("glute-ball", "5.5"),
        ("full", "27"),
        ("full", "30"),
        ("full", "45"),
        ("foam-roller-back", "7.5"),
    ],
)
def test_minutes_fits_the_routine_exactly(run: Run, name: str, minutes: str) -> None:
    result = run("routine", "show", name, "--json", "--minutes", minutes)

    plan = json.loads(result.stdout)
    assert result.exit_code == 0
    assert plan["total_seconds"] == round(float(minutes) * 60)
    segments = plan["segments"]
    assert sum(s["seconds"] for s in segments) == plan["total_seconds"]
    assert all(a["start"] + a["seconds"] == b["start"] for a, b in itertools.pairwise(segments))


def test_minutes_shows_the_fitted_total(run: Run) -> None:
    result = run("routine", "show", "glute-ball", "--minutes", "8")

    assert "Total 8m" in result.stdout
    assert re.search(r"0:15 +3m45s +LEFT", result.stdout)


def test_minutes_too_small_is_a_usage_error_that_says_what_fits(run: Run) -> None:
    result = run("routine", "show", "glute-ball", "--minutes", "2")

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 'glute-ball' takes between 5m30s and 10m30s; it cannot fit in 2 minutes\n"
    )
    assert result.stdout == ""


def test_minutes_on_a_fixed_routine_names_its_one_length(run: Run) -> None:
    result = run("routine", "show", "warm-up", "--minutes", "10")

    assert result.exit_code == 2
    assert "Error: 'warm-up' takes 4m20s; it cannot fit in 10 minutes" in result.stderr


@pytest.mark.parametrize("minutes", ["0", "-3", "ten"])
def test_minutes_must_be_a_positive_number(run: Run, minutes: str) -> None:
    result = run("routine", "show", "glute-ball", "--minutes", minutes)

    assert result.exit_code == 2
    assert "--minutes" in result.stderr


def test_side_right_puts_the_right_side_first(run: Run) -> None:
    text = run("routine", "show", "glute-ball", "--side", "right").stdout
    plan = json.loads(run("routine", "show", "glute-ball", "--side", "right", "--json").stdout)

    assert text.index("RIGHT") < text.index("LEFT")
    assert "Switch to the left side" in text
    assert [s["side"] for s in plan["segments"] if s["kind"] == "step"] == ["right", "left"]


def test_without_side_the_left_side_comes_first(run: Run) -> None:
    text = run("routine", "show", "glute-ball").stdout

    assert text.index("LEFT") < text.index("RIGHT")


def test_side_must_be_left_or_right(run: Run) -> None:
    result = run("routine", "show", "glute-ball", "--side", "middle")

    assert result.exit_code == 2
    assert "middle" in result.stderr


def test_an_unknown_routine_exits_1_with_a_suggestion(run: Run) -> None:
    result = run("routine", "show", "glute-bal")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no routine named 'glute-bal'; did you mean 'glute-ball'? "
        "('sciatica routine list' shows them all)\n"
    )


def test_show_refuses_a_path_and_never_reads_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where ../../etc/passwd would land from the user's routines folder, a valid routine.
    trap = tmp_path / "etc" / "passwd.yaml"
    trap.parent.mkdir()
    trap.write_text(glute_ball_with("TRAP").replace("name: glute-ball", "name: passwd"), "utf-8")
    opened: list[str] = []
    real_open, real_path_open = builtins.open, Path.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_path_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(self))
        return real_path_open(self, *args, **kwargs)

    real_os_open = os.open

    def spy_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(Path, "open", spy_path_open)
    monkeypatch.setattr(os, "open", spy_os_open)  # routine files are read through os.open
    assert run("routine", "show", "glute-ball").exit_code == 0
    assert any(name.endswith("glute-ball.yaml") for name in opened)  # the spy sees reads

    result = run("routine", "show", "../../etc/passwd")

    assert result.exit_code == 2
    assert "Error: '../../etc/passwd' is not a routine name" in result.stderr
    assert "TRAP" not in result.output
    assert [name for name in opened if "passwd" in name] == []


@pytest.mark.parametrize("again", [False, True], ids=["first", "from-the-cache"])
def test_show_reports_the_problems_of_a_broken_routine(
    run: Run, user_routines: Path, again: bool
) -> None:
    path = user_routines / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    if again:
        run("routine", "show", "broken")

    result = run("routine", "show", "broken")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:6:15: '5' needs a unit: write '5s' or '5m'",
        f"{path}:7:5: unknown key 'sidez', did you mean 'sides'?",
    ]


def test_show_gives_the_same_plan_from_the_cache(run: Run, home: Path) -> None:
    first = run("routine", "show", "full", "--minutes", "30", "--side", "right")
    assert (home / "cache" / "routine-list.json").exists()

    second = run("routine", "show", "full", "--minutes", "30", "--side", "right")

    assert second.exit_code == 0
    assert second.stdout == first.stdout


# routine validate


def test_validate_without_arguments_passes_on_the_builtins(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = run("routine", "validate")

    assert result.exit_code == 0
    assert result.stdout == "All 6 routine files valid.\n"
    assert result.stderr == ""


def test_validate_without_arguments_checks_user_files_and_strays_too(
    run: Run, user_routines: Path
) -> None:
    broken = user_routines / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    stray = user_routines / "stretch.yml"
    stray.write_text("name: stretch\n", encoding="utf-8")

    result = run("routine", "validate")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{broken}:6:15: '5' needs a unit: write '5s' or '5m'",
        f"{broken}:7:5: unknown key 'sidez', did you mean 'sides'?",
        f"{stray}: routine files end in .yaml; rename it to stretch.yaml",
        "2 of 8 routine files have errors.",
    ]
    assert result.stdout == ""


def test_validate_a_broken_file_prints_path_line_col_messages(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")

    result = run("routine", "validate", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:6:15: '5' needs a unit: write '5s' or '5m'",
        f"{path}:7:5: unknown key 'sidez', did you mean 'sides'?",
        "1 of 1 routine file has errors.",
    ]
    assert result.stdout == ""


def test_validate_reports_a_yaml_syntax_error_with_its_position(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ntitle: [unclosed\nsteps: []\n", encoding="utf-8")

    result = run("routine", "validate", "bad.yaml")

    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(r"bad\.yaml:\d+:\d+: .+", first), first


def test_validate_a_valid_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "glute-ball.yaml"
    path.write_text(glute_ball_with("Mine"), encoding="utf-8")

    result = run("routine", "validate", str(path))

    assert result.exit_code == 0
    assert result.stdout == "All 1 routine file valid.\n"


def test_validate_a_folder_checks_its_yaml_files(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "glute-ball.yaml").write_text(glute_ball_with("Mine"), encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "notes.txt").write_text("not a routine", encoding="utf-8")

    result = run("routine", "validate", str(folder))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{folder / 'broken.yaml'}:6:15: '5' needs a unit: write '5s' or '5m'",
        f"{folder / 'broken.yaml'}:7:5: unknown key 'sidez', did you mean 'sides'?",
        "1 of 2 routine files has errors.",
    ]


def test_validate_the_builtin_folder(run: Run) -> None:
    result = run("routine", "validate", str(BUILTIN_DIR))

    assert result.exit_code == 0
    assert result.stdout == "All 6 routine files valid.\n"


def test_validate_a_folder_without_routines_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("routine", "validate", str(tmp_path))

    assert result.exit_code == 2
    assert "no .yaml routine files found there" in result.stderr


def test_validate_a_routine_by_name(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = run("routine", "validate", "glute-ball")

    assert result.exit_code == 0
    assert result.stdout == "All 1 routine file valid.\n"


def test_validate_a_broken_user_routine_by_name(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = user_routines / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")

    result = run("routine", "validate", "broken", "glute-ball")

    assert result.exit_code == 1
    assert f"{path}:6:15: '5' needs a unit: write '5s' or '5m'" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == "1 of 2 routine files has errors."


def test_validate_a_missing_path(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    result = run("routine", "validate", "nowhere.yaml")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "nowhere.yaml: no such file",
        "1 of 1 routine file has errors.",
    ]


# routine schema


def test_schema_prints_a_json_schema(run: Run) -> None:
    result = run("routine", "schema")

    schema = json.loads(result.stdout)
    assert result.exit_code == 0
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["title"] == "sciatica routine"
    assert {"name", "title", "steps"} <= set(schema["required"])
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_the_schema_accepts_every_builtin_routine(run: Run, name: str) -> None:
    schema = json.loads(run("routine", "schema").stdout)
    data = yaml.safe_load((BUILTIN_DIR / f"{name}.yaml").read_text(encoding="utf-8"))

    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)


def test_the_schema_rejects_a_duration_without_a_unit(run: Run) -> None:
    schema = json.loads(run("routine", "schema").stdout)
    data = yaml.safe_load(BROKEN.replace("sidez", "sides"))

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)


def test_schema_output_writes_the_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "out" / "routine.schema.json"

    result = run("routine", "schema", "-o", str(target))

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target}.\n"
    assert target.read_text(encoding="utf-8") == run("routine", "schema").stdout
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].startswith("http")


def test_schema_output_long_option(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "schema.json"

    result = run("routine", "schema", "--output", str(target))

    assert result.exit_code == 0
    assert "$schema" in json.loads(target.read_text(encoding="utf-8"))


def test_schema_output_to_an_unwritable_place_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")

    result = run("routine", "schema", "-o", str(blocker / "schema.json"))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {blocker / 'schema.json'}: ")
    assert "Traceback" not in result.output


def test_the_readme_example_fits_30_minutes_starting_on_the_right(run: Run) -> None:
    result = run("routine", "show", "full", "--minutes", "30", "--side", "right", "--json")

    plan = json.loads(result.stdout)
    assert result.exit_code == 0
    assert plan["total_seconds"] == 1800
    two_sided = [s for s in plan["segments"] if s["kind"] == "step" and s["side"] is not None]
    assert [s["side"] for s in two_sided[:2]] == ["right", "left"]
    assert {s["routine"] for s in plan["segments"]} == set(BUILTINS) - {"full"}
