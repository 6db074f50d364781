"""The planner lays a routine out in time: gaps, sides, rests, cues and --minutes fitting."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.plain import ExpandedRoutine
from sciatica_cli.routines.planner import (
    Plan,
    PlanError,
    PlanOptions,
    Segment,
    describe,
    fitted_lengths,
    heading,
    plan_routine,
    total_range,
)

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "routines"

# Like the built-in ball routines: a two-sided ranged step, then a step on the affected side.
BALL = """\
name: ball
title: Ball
transition: 15s
steps:
  - title: Glute ball
    instructions: Roll on the ball.
    sides: both
    duration: 2m30s-5m
    rest: 30s
  - title: Piriformis ball
    instructions: Ankle over knee, roll gently.
    sides: affected
    duration: 1m
    rest: 20s
"""


def expand(folder: Path, text: str) -> ExpandedRoutine:
    name = text.split("\n", 1)[0].removeprefix("name: ")
    user = folder / "user"
    user.mkdir(exist_ok=True)
    (user / f"{name}.yaml").write_text(text, encoding="utf-8")
    return RoutineLibrary(scan(folder / "no-builtins", user)).expand(name)


def built_in(folder: Path, name: str) -> ExpandedRoutine:
    return RoutineLibrary(scan(BUILTIN_DIR, folder / "no-user-routines")).expand(name)


def layout(plan: Plan) -> list[tuple[str, str, float, float, str | None]]:
    return [(s.kind, s.title, s.start, s.seconds, s.side) for s in plan.segments]


def step_segments(plan: Plan) -> list[Segment]:
    return [s for s in plan.segments if s.kind == "step"]


def test_plan_has_a_setup_gap_before_each_step_and_a_switch_between_sides(
    tmp_path: Path,
) -> None:
    plan = plan_routine(expand(tmp_path, BALL))
    assert layout(plan) == [
        ("setup", "Get into position", 0, 15, "left"),
        ("step", "Glute ball", 15, 150, "left"),
        ("switch", "Switch to the right side", 165, 15, "right"),
        ("step", "Glute ball", 180, 150, "right"),
        ("rest", "Rest", 330, 30, None),
        ("setup", "Get into position", 360, 15, "affected"),
        ("step", "Piriformis ball", 375, 60, "affected"),
    ]
    assert plan.total == 435
    assert plan.step_count == 2


def test_each_segment_has_one_heading_and_one_description(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL))
    words = [(heading(s), heading(s, side=True), describe(s)) for s in plan.segments]
    assert words == [
        ("Get into position: Glute ball", "Get into position: Glute ball, left side",
         "Glute ball, left side"),
        ("Glute ball", "Glute ball", "Glute ball, left side"),
        ("Switch to the right side", "Switch to the right side", "Switch to the right side"),
        ("Glute ball", "Glute ball", "Glute ball, right side"),
        ("Rest", "Rest", "rest"),
        ("Get into position: Piriformis ball", "Get into position: Piriformis ball, affected side",
         "Piriformis ball, affected side"),
        ("Piriformis ball", "Piriformis ball", "Piriformis ball, affected side"),
    ]  # fmt: skip


def test_a_one_sided_step_is_described_without_a_side(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL.replace("sides: affected", "sides: none")))
    assert [describe(s) for s in plan.segments[-2:]] == ["Piriformis ball"] * 2


def test_segments_follow_each_other_without_gaps(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL))
    for before, after in pairwise(plan.segments):
        assert after.start == before.end


def test_rest_follows_a_step_but_not_the_last_one(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL))
    rests = [(s.step_number, s.start, s.seconds) for s in plan.segments if s.kind == "rest"]
    assert rests == [(1, 330, 30)]
    assert plan.segments[-1].kind == "step"


def test_side_right_starts_a_both_step_on_the_right_and_is_the_affected_side(
    tmp_path: Path,
) -> None:
    plan = plan_routine(expand(tmp_path, BALL), PlanOptions(side="right"))
    assert [(s.kind, s.title, s.side) for s in plan.segments] == [
        ("setup", "Get into position", "right"),
        ("step", "Glute ball", "right"),
        ("switch", "Switch to the left side", "left"),
        ("step", "Glute ball", "left"),
        ("rest", "Rest", None),
        ("setup", "Get into position", "right"),
        ("step", "Piriformis ball", "right"),
    ]


def test_side_left_is_used_by_an_affected_step(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL), PlanOptions(side="left"))
    assert [s.side for s in step_segments(plan)] == ["left", "right", "left"]


def test_fixed_side_step_ignores_the_affected_side(tmp_path: Path) -> None:
    text = BALL.replace("sides: affected", "sides: left")
    plan = plan_routine(expand(tmp_path, text), PlanOptions(side="right"))
    assert step_segments(plan)[-1].side == "left"


def test_routine_without_transition_has_no_gaps(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL.replace("transition: 15s", "transition: 0s")))
    assert [s.kind for s in plan.segments] == ["step", "step", "rest", "step"]
    assert plan.total == 150 + 150 + 30 + 60


def test_reps_step_lasts_reps_times_hold_and_relax(tmp_path: Path) -> None:
    text = BALL.replace("    duration: 1m\n", "    reps: 10\n    hold: 5s\n    relax: 3s\n")
    last = step_segments(plan_routine(expand(tmp_path, text)))[-1]
    assert (last.seconds, last.reps, last.hold, last.relax) == (80, 10, 5, 3)


def cue_offsets(tmp_path: Path, cue: str, duration: str = "3m") -> list[float]:
    text = (
        "name: cues\ntitle: Cues\ntransition: 10s\nsteps:\n"
        "  - title: Roll\n    instructions: Roll.\n"
        f"    duration: {duration}\n    cues:\n      - {cue}\n        say: Now\n"
    )
    (step,) = step_segments(plan_routine(expand(tmp_path, text)))
    return [c.offset for c in step.cues]


@pytest.mark.parametrize(
    ("cue", "offsets"),
    [
        ("at: 0s", [0]),
        ("at: 30s", [30]),
        ("at: 50%", [90]),
        ("at: 25%", [45]),
        ("every: 60s", [60, 120]),
        ("every: 50s", [50, 100, 150]),
        ("before_end: 10s", [170]),
    ],
)
def test_cue_offsets_from_the_start_of_the_step(
    tmp_path: Path, cue: str, offsets: list[float]
) -> None:
    assert cue_offsets(tmp_path, cue) == offsets


def test_cue_every_fires_strictly_before_the_end(tmp_path: Path) -> None:
    assert cue_offsets(tmp_path, "every: 60s", duration="4m") == [60, 120, 180]


def test_cues_are_in_time_order_on_each_side(tmp_path: Path) -> None:
    text = BALL.replace(
        "    rest: 30s\n",
        "    rest: 30s\n    cues:\n"
        "      - before_end: 10s\n        say: Ease off\n"
        "      - at: 50%\n        say: Halfway\n"
        "      - every: 60s\n        say: Slowly\n"
        "      - at: 30s\n        say: Breathe\n",
    )
    first, second, _ = step_segments(plan_routine(expand(tmp_path, text)))
    expected = [
        (30, "Breathe"),
        (60, "Slowly"),
        (75, "Halfway"),
        (120, "Slowly"),
        (140, "Ease off"),
    ]
    assert [(c.offset, c.say) for c in first.cues] == expected
    assert [(c.offset, c.say) for c in second.cues] == expected


def test_percentage_cue_follows_the_fitted_length(tmp_path: Path) -> None:
    text = BALL.replace(
        "    rest: 30s\n", "    rest: 30s\n    cues:\n      - at: 50%\n        say: Half\n"
    )
    # 135s of gaps, rest and the fixed step, plus 4m a side
    plan = plan_routine(expand(tmp_path, text), PlanOptions(minutes=(135 + 2 * 240) / 60))
    first = step_segments(plan)[0]
    assert first.seconds == 240
    assert [c.offset for c in first.cues] == [120]


# --minutes

# One step of each kind: one-sided ranged with a mid default, affected-side ranged,
# two-sided ranged, and a fixed reps step. Every whole second in its range is reachable.
MIXED = """\
name: mixed
title: Mixed
transition: 10s
steps:
  - title: Back
    instructions: Roll.
    duration: {range: 2-6m, default: 4m}
    rest: 20s
  - title: Piriformis
    instructions: Roll.
    sides: affected
    duration: 1-3m
  - title: Glutes
    instructions: Roll.
    sides: both
    duration: 2m30s-5m
  - title: Tilts
    instructions: Tilt.
    reps: 5
    hold: 10s
"""


def test_total_range_of_a_routine_with_ranged_and_fixed_steps(tmp_path: Path) -> None:
    # fixed: 5 gaps of 10s, a 20s rest and 5 x (10s + 3s) of reps = 135s
    assert total_range(expand(tmp_path, MIXED)) == (135 + 480, 135 + 600, 135 + 1140)


@pytest.mark.parametrize("seconds", [615, 616, 617, 700, 734, 735, 736, 901, 1000, 1274, 1275])
def test_minutes_are_met_exactly_and_each_step_stays_in_its_range(
    tmp_path: Path, seconds: int
) -> None:
    expanded = expand(tmp_path, MIXED)
    plan = plan_routine(expanded, PlanOptions(minutes=seconds / 60))
    assert plan.total == seconds
    for placed, length in zip(expanded.steps, fitted_lengths(expanded, seconds / 60), strict=True):
        assert placed.step.length.min <= length <= placed.step.length.max


def test_minutes_at_the_default_total_keep_the_defaults(tmp_path: Path) -> None:
    expanded = expand(tmp_path, MIXED)
    assert fitted_lengths(expanded, 735 / 60) == [240, 60, 150, 65]
    assert fitted_lengths(expanded, None) == [240, 60, 150, 65]


def test_minutes_at_the_ends_of_the_range_use_each_steps_ends(tmp_path: Path) -> None:
    expanded = expand(tmp_path, MIXED)
    assert fitted_lengths(expanded, 615 / 60) == [120, 60, 150, 65]
    assert fitted_lengths(expanded, 1275 / 60) == [360, 180, 300, 65]


@pytest.mark.parametrize("minutes", [5, 10, 21.5, 60])
def test_minutes_outside_the_routines_range_are_refused(tmp_path: Path, minutes: float) -> None:
    with pytest.raises(PlanError) as caught:
        plan_routine(expand(tmp_path, MIXED), PlanOptions(minutes=minutes))
    assert caught.value.message == (
        f"'mixed' takes between 10m15s and 21m15s; it cannot fit in {minutes:g} minutes"
    )


def test_minutes_for_a_routine_of_fixed_length_name_that_length(tmp_path: Path) -> None:
    text = BALL.replace("duration: 2m30s-5m", "duration: 2m30s")
    with pytest.raises(PlanError) as caught:
        plan_routine(expand(tmp_path, text), PlanOptions(minutes=10))
    assert caught.value.message == "'ball' takes 7m15s; it cannot fit in 10 minutes"


def test_plan_error_is_a_usage_error_with_exit_code_2() -> None:
    assert PlanError("x").exit_code == 2


# The built-in full routine


def test_total_range_of_the_full_routine(tmp_path: Path) -> None:
    # warm-up: 10s + 75s, switch 10s + 75s, 10s + 80s = 260s; then four two-sided
    # massage routines of 15s + 2m30s..5m a side.
    assert total_range(built_in(tmp_path, "full")) == (1580, 1580, 2780)


def test_full_routine_gives_each_massage_area_5_minutes_by_default(tmp_path: Path) -> None:
    # SAFETY.md 5: 5 minutes an area by default, 10 at most.
    expanded = built_in(tmp_path, "full")
    for minutes, per_area in ((None, 300), (2780 / 60, 600)):
        per_routine: dict[str, float] = {}
        for segment in step_segments(plan_routine(expanded, PlanOptions(minutes=minutes))):
            per_routine[segment.routine] = per_routine.get(segment.routine, 0) + segment.seconds
        assert per_routine == {
            "warm-up": 75 * 2 + 80,
            "foam-roller-back": per_area,
            "glute-ball": per_area,
            "hamstring-roll": per_area,
            "piriformis-ball": per_area,
        }


def test_full_routine_uses_each_included_routines_transition(tmp_path: Path) -> None:
    plan = plan_routine(built_in(tmp_path, "full"))
    gaps = [(s.routine, s.seconds) for s in plan.segments if s.kind in ("setup", "switch")]
    assert dict(gaps) == {
        "warm-up": 10,
        "foam-roller-back": 15,
        "glute-ball": 15,
        "hamstring-roll": 15,
        "piriformis-ball": 15,
    }


@pytest.mark.parametrize("minutes", [27, 30, 35, 40, 45, 46])
def test_full_routine_fits_whole_minutes_exactly(tmp_path: Path, minutes: int) -> None:
    expanded = built_in(tmp_path, "full")
    assert plan_routine(expanded, PlanOptions(minutes=minutes)).total == minutes * 60
    for placed, length in zip(expanded.steps, fitted_lengths(expanded, minutes), strict=True):
        assert placed.step.length.min <= length <= placed.step.length.max


def test_full_routine_refuses_20_minutes(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        plan_routine(built_in(tmp_path, "full"), PlanOptions(minutes=20))
    assert caught.value.message == (
        "'full' takes between 26m20s and 46m20s; it cannot fit in 20 minutes"
    )
