"""A session's routine from the parse cache: the same plan and the same errors as a fresh load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_cli.errors import InvalidRoutine, RoutineNotFound, SciaticaError, UsageError
from sciatica_cli.routines.library import Catalog, RoutineLibrary, scan
from sciatica_cli.routines.listing import CACHE_NAME, cached_summaries, load_expanded
from sciatica_cli.routines.planner import PlanOptions, plan_routine, total_range

from .conftest import BUILTIN_DIR, BUILTIN_NAMES, REPO

BALL = """\
name: my-ball
title: My ball
transition: 15s
steps:
  - title: Glute ball
    instructions: Roll on the ball.
    sides: both
    duration: 2m30s-5m
    rest: 30s
    cues:
      - at: 50%
        say: Halfway.
      - before_end: 10s
        say: Ease off.
  - title: Bridge
    instructions: Lift and lower.
    reps: 5
    hold: 5s
  - include: warm-up
"""
BROKEN = "name: broken\ntitle: Broken\nsteps:\n  - title: Roll\n    instructions: Roll.\n"
OUTER = "name: outer\ntitle: Outer\nsteps:\n  - include: broken\n"


@pytest.fixture
def user(tmp_path: Path) -> Path:
    folder = tmp_path / "user"
    folder.mkdir()
    return folder


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / CACHE_NAME


def catalog(user: Path) -> Catalog:
    return scan(BUILTIN_DIR, user)


def without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reading any routine file from disk fails the test."""

    def refuse(*args: object) -> None:
        raise AssertionError(f"a routine file was parsed: {args}")

    monkeypatch.setattr("sciatica_cli.routines.loader.parse_routine", refuse)


def errors_of(action: object) -> tuple[type[SciaticaError], list[str]]:
    assert callable(action)
    with pytest.raises(SciaticaError) as caught:
        action()
    err = caught.value
    lines = [str(p) for p in err.problems] if isinstance(err, InvalidRoutine) else [err.message]
    return type(err), lines


def touch_later(path: Path, text: str) -> None:
    """Rewrite ``path`` and move its modification time on, as a later save would."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("name", [*BUILTIN_NAMES, "my-ball"])
def test_a_cache_hit_gives_the_same_plan_as_a_fresh_load(
    name: str, user: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (user / "my-ball.yaml").write_text(BALL, encoding="utf-8")
    fresh = RoutineLibrary(catalog(user)).expand(name)
    load_expanded(catalog(user), name, cache_file)  # fills the cache
    without_parsing(monkeypatch)

    cached = load_expanded(catalog(user), name, cache_file)

    assert cached == fresh
    low, _, high = total_range(fresh)
    for options in (
        PlanOptions(),
        PlanOptions((low + high) / 120, "right"),
        PlanOptions(side="both", voice=True),
    ):
        assert plan_routine(cached, options) == plan_routine(fresh, options)


def test_a_cache_written_before_steps_had_a_position_is_read_again(
    user: Path, cache_file: Path
) -> None:
    load_expanded(catalog(user), "glute-ball", cache_file)  # fills the cache
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    data["key"][0] -= 1  # as the format before ``position`` wrote it
    for entry in data["files"].values():
        for step in entry.get("routine", {}).get("steps", []):
            step.pop("position", None)
    cache_file.write_text(json.dumps(data), encoding="utf-8")

    expanded = load_expanded(catalog(user), "glute-ball", cache_file)

    assert [placed.step.position for placed in expanded.steps] == ["sitting"]


def test_the_list_fills_the_cache_a_session_reads(
    user: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_summaries(catalog(user), cache_file)
    without_parsing(monkeypatch)

    plan = plan_routine(load_expanded(catalog(user), "glute-ball", cache_file))

    assert plan.title == "Glutes with a ball"


def test_a_changed_file_is_read_again(user: Path, cache_file: Path) -> None:
    path = user / "my-ball.yaml"
    path.write_text(BALL, encoding="utf-8")
    assert load_expanded(catalog(user), "my-ball", cache_file).title == "My ball"

    touch_later(path, BALL.replace("title: My ball", "title: My bell"))  # same size

    assert load_expanded(catalog(user), "my-ball", cache_file).title == "My bell"


def test_a_changed_included_file_changes_the_routine_that_includes_it(
    user: Path, cache_file: Path
) -> None:
    (user / "my-ball.yaml").write_text(BALL, encoding="utf-8")
    warm_up = user / "warm-up.yaml"
    warm_up.write_text((BUILTIN_DIR / "warm-up.yaml").read_text(encoding="utf-8"), "utf-8")
    before = load_expanded(catalog(user), "my-ball", cache_file)

    text = warm_up.read_text(encoding="utf-8")
    touch_later(warm_up, text.replace("title: Knee to chest", "title: Knee to chezt"))

    after = load_expanded(catalog(user), "my-ball", cache_file)
    titles = [p.step.title for p in after.steps]
    assert "Knee to chezt" in titles
    assert titles != [p.step.title for p in before.steps]


def test_a_user_file_overriding_a_built_in_is_the_one_read_from_the_cache(
    user: Path, cache_file: Path
) -> None:
    load_expanded(catalog(user), "glute-ball", cache_file)
    text = (BUILTIN_DIR / "glute-ball.yaml").read_text(encoding="utf-8")
    (user / "glute-ball.yaml").write_text(text.replace("Glutes with a ball", "Mine"), "utf-8")

    assert load_expanded(catalog(user), "glute-ball", cache_file).title == "Mine"


@pytest.mark.parametrize(
    ("files", "name"),
    [
        ({"broken": BROKEN}, "broken"),
        ({"outer": OUTER, "broken": BROKEN}, "outer"),
        ({"loop": "name: loop\ntitle: L\nsteps:\n  - include: loop\n"}, "loop"),
        ({"lost": "name: lost\ntitle: L\nsteps:\n  - include: glute-bal\n"}, "lost"),
        ({"bad": "name: bad\ntitle: [x\n"}, "bad"),
        ({}, "glute-bal"),
        ({}, "../etc/passwd"),
    ],
    ids=["invalid", "broken-include", "cycle", "missing-include", "yaml", "unknown", "not-a-name"],
)
def test_errors_are_the_same_from_the_cache_as_from_a_fresh_load(
    files: dict[str, str],
    name: str,
    user: Path,
    cache_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for stem, text in files.items():
        (user / f"{stem}.yaml").write_text(text, encoding="utf-8")
    fresh = errors_of(lambda: RoutineLibrary(catalog(user)).expand(name))
    first = errors_of(lambda: load_expanded(catalog(user), name, cache_file))
    without_parsing(monkeypatch)

    again = errors_of(lambda: load_expanded(catalog(user), name, cache_file))

    assert fresh == first == again
    assert fresh[0] in (InvalidRoutine, RoutineNotFound, UsageError)


def test_an_invalid_file_keeps_its_path_line_col_errors_in_the_cache(
    user: Path, cache_file: Path
) -> None:
    path = user / "broken.yaml"
    path.write_text(BROKEN.replace("steps:", "transition: 5\nsteps:"), encoding="utf-8")
    expected = (
        InvalidRoutine,
        [
            f"{path}:3:13: '5' needs a unit: write '5s' or '5m'",
            f"{path}:5:5: a step needs a 'duration' (or 'reps' with 'hold')",
        ],
    )

    assert errors_of(lambda: load_expanded(catalog(user), "broken", cache_file)) == expected
    assert errors_of(lambda: load_expanded(catalog(user), "broken", cache_file)) == expected


def test_a_file_that_could_not_be_read_is_read_again(user: Path, cache_file: Path) -> None:
    path = user / "my-ball.yaml"
    path.write_bytes(BALL.replace("My ball", "My b\xe5ll").encode("latin-1"))
    _, lines = errors_of(lambda: load_expanded(catalog(user), "my-ball", cache_file))
    assert "not UTF-8" in lines[0]

    stat = path.stat()  # fixed in place: same size and modification time
    path.write_bytes(BALL.replace("My ball", "My bxll").encode())
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert load_expanded(catalog(user), "my-ball", cache_file).title == "My bxll"


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        "[]",
        '{"key": "old", "files": {}}',
        "garbled-entries",
    ],
)
def test_a_damaged_cache_is_read_past(user: Path, cache_file: Path, damage: str) -> None:
    fresh = RoutineLibrary(catalog(user)).expand("full")
    load_expanded(catalog(user), "full", cache_file)
    if damage == "garbled-entries":
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        for entry in data["files"].values():
            entry["routine"] = {"name": 3, "steps": [{"length": "five"}]}
        damage = json.dumps(data)
    cache_file.write_text(damage, encoding="utf-8")

    assert load_expanded(catalog(user), "full", cache_file) == fresh


def test_files_no_longer_found_leave_the_cache(user: Path, cache_file: Path) -> None:
    path = user / "my-ball.yaml"
    path.write_text(BALL, encoding="utf-8")
    cached_summaries(catalog(user), cache_file)
    assert str(path) in cache_file.read_text(encoding="utf-8")

    path.unlink()
    cached_summaries(catalog(user), cache_file)

    assert str(path) not in cache_file.read_text(encoding="utf-8")


def test_a_cache_that_cannot_be_written_only_costs_speed(user: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")

    expanded = load_expanded(catalog(user), "full", blocked / CACHE_NAME)

    assert expanded == RoutineLibrary(catalog(user)).expand("full")


WARM = """
import sys
from pathlib import Path
from sciatica_cli.routines.library import scan
from sciatica_cli.routines.listing import cached_summaries, load_expanded
from sciatica_cli.routines.planner import plan_routine
catalog = scan(Path(sys.argv[1]), Path(sys.argv[2]))
cached_summaries(catalog, Path(sys.argv[3]))
plan_routine(load_expanded(catalog, "full", Path(sys.argv[3])))
print(" ".join(sorted(m for m in ("pydantic", "yaml") if m in sys.modules)) or "neither")
"""


def test_with_unchanged_files_neither_pydantic_nor_yaml_is_imported(
    user: Path, cache_file: Path
) -> None:
    argv = [sys.executable, "-c", WARM, str(BUILTIN_DIR), str(user), str(cache_file)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def imported() -> str:
        return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout

    assert imported().split() == ["pydantic", "yaml"]  # the first run reads the files
    assert imported().strip() == "neither"
