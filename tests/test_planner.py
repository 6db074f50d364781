"""The planner lays a routine out in time: gaps, sides, rests, cues and --minutes fitting."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from sciatica_cli.routines.durations import format_seconds
from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.plain import ExpandedRoutine
from sciatica_cli.routines.planner import (
    AffectedSide,
    Plan,
    PlanError,
    PlanOptions,
    Segment,
    describe,
    fitted_lengths,
    heading,
    plan_routine,
    position_words,
    speech_seconds,
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
    # warm-up: 10s + 75s, switch 10s + 75s, 10s + 80s = 260s; then three two-sided
    # massage routines of 15s + 2m30s..5m a side, and the piriformis on the affected side
    # only: 15s + 5m..10m.
    assert total_range(built_in(tmp_path, "full")) == (1565, 1565, 2765)


def test_full_routine_gives_each_massage_area_5_minutes_by_default(tmp_path: Path) -> None:
    # SAFETY.md 5: 5 minutes an area by default, 10 at most.
    expanded = built_in(tmp_path, "full")
    for minutes, per_area in ((None, 300), (2765 / 60, 600)):
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
        "'full' takes between 26m5s and 46m5s; it cannot fit in 20 minutes"
    )


# The affected side


def sides_of(plan: Plan, title: str) -> list[tuple[str, str | None]]:
    return [(s.kind, s.side) for s in plan.segments if s.step_title == title and s.kind != "rest"]


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ("left", [("setup", "left"), ("step", "left")]),
        ("right", [("setup", "right"), ("step", "right")]),
        ("both", [("setup", "left"), ("step", "left"), ("switch", "right"), ("step", "right")]),
        (None, [("setup", "affected"), ("step", "affected")]),
    ],
)
def test_an_affected_step_is_done_on_the_affected_side_only(
    tmp_path: Path, side: AffectedSide | None, expected: list[tuple[str, str | None]]
) -> None:
    plan = plan_routine(expand(tmp_path, BALL), PlanOptions(side=side))
    assert sides_of(plan, "Piriformis ball") == expected


def test_both_affected_sides_switch_with_the_routines_transition(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL), PlanOptions(side="both"))
    switch = next(s for s in plan.segments if s.kind == "switch" and s.step_number == 2)
    assert (switch.title, switch.seconds) == ("Switch to the right side", 15)
    assert plan.total == 435 + 15 + 60


@pytest.mark.parametrize(
    ("side", "first", "second"),
    [("left", "left", "right"), ("right", "right", "left"), ("both", "left", "right"),
     (None, "left", "right")],
)  # fmt: skip
def test_a_both_step_starts_on_the_affected_side_else_on_the_left(
    tmp_path: Path, side: AffectedSide | None, first: str, second: str
) -> None:
    plan = plan_routine(expand(tmp_path, BALL), PlanOptions(side=side))
    assert sides_of(plan, "Glute ball") == [
        ("setup", first), ("step", first), ("switch", second), ("step", second)
    ]  # fmt: skip


@pytest.mark.parametrize("side", ["left", "right", "both", None])
def test_totals_and_minutes_count_the_sides_the_affected_side_gives(
    tmp_path: Path, side: AffectedSide | None
) -> None:
    expanded = expand(tmp_path, MIXED)
    low, mid, high = total_range(expanded, side=side)
    assert plan_routine(expanded, PlanOptions(side=side)).total == mid
    for seconds in (low, (low + high) // 2 + 1, high):
        assert plan_routine(expanded, PlanOptions(seconds / 60, side)).total == seconds


def test_both_affected_sides_lengthen_the_routine_by_a_side(tmp_path: Path) -> None:
    expanded = expand(tmp_path, MIXED)
    one, both = total_range(expanded, side="left"), total_range(expanded, side="both")
    # the piriformis step again (1-3m, default 1m) and a 10s switch
    assert both == (one[0] + 70, one[1] + 70, one[2] + 190)


def test_the_full_routine_works_the_piriformis_on_the_affected_side_only(
    tmp_path: Path,
) -> None:
    expanded = built_in(tmp_path, "full")
    for side in ("left", "right"):
        plan = plan_routine(expanded, PlanOptions(side=side))
        piriformis = [s for s in plan.segments if s.routine == "piriformis-ball"]
        assert {s.side for s in piriformis} == {side}
        assert [s.kind for s in piriformis] == ["setup", "step"]


# Positions


POSITIONED = BALL.replace("    sides: both\n", "    sides: both\n    position: sitting\n").replace(
    "    sides: affected\n", "    sides: affected\n    position: lying-on-back\n"
)


def test_position_is_on_the_setup_switch_and_step_segments_but_not_the_rest(
    tmp_path: Path,
) -> None:
    plan = plan_routine(expand(tmp_path, POSITIONED))
    assert [(s.kind, s.position) for s in plan.segments] == [
        ("setup", "sitting"),
        ("step", "sitting"),
        ("switch", "sitting"),
        ("step", "sitting"),
        ("rest", None),
        ("setup", "lying-on-back"),
        ("step", "lying-on-back"),
    ]


def test_a_step_without_a_position_has_none_on_its_segments(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, BALL))
    assert {s.position for s in plan.segments} == {None}


@pytest.mark.parametrize(
    ("position", "words"),
    [
        ("lying-on-back", "lying on your back"),
        ("lying-on-front", "lying face down"),
        ("side-lying", "lying on your side"),
        ("sitting", "sitting"),
        ("standing", "standing"),
        (None, None),
    ],
)
def test_position_words(position: str | None, words: str | None) -> None:
    assert position_words(position) == words


@pytest.mark.parametrize("name", ["foam-roller-back", "glute-ball", "hamstring-roll",
                                  "piriformis-ball", "warm-up"])  # fmt: skip
def test_every_built_in_step_segment_has_a_position(tmp_path: Path, name: str) -> None:
    plan = plan_routine(built_in(tmp_path, name))
    assert [s.step_title for s in plan.segments if s.kind != "rest" and not s.position] == []


# Spoken set-up and the voice


def test_a_setup_segment_carries_its_spoken_set_up(tmp_path: Path) -> None:
    text = POSITIONED.replace(
        "    instructions: Roll on the ball.\n",
        "    instructions: |\n      Sit with the ball\n      under one buttock.\n"
        "    warning: Stop if it turns sharp.\n",
    )
    plan = plan_routine(expand(tmp_path, text), PlanOptions(side="right"))
    speech = [(s.kind, s.setup_speech) for s in plan.segments if s.setup_speech]
    assert speech == [
        ("setup", "Get into position: Glute ball, right side. Sitting. "
                  "Sit with the ball under one buttock. Stop if it turns sharp."),
        ("setup", "Get into position: Piriformis ball, right side. Lying on your back. "
                  "Ankle over knee, roll gently."),
    ]  # fmt: skip
    assert all(s.setup_speech is None for s in plan.segments if s.kind != "setup")


def test_spoken_set_up_begins_with_the_setup_heading(tmp_path: Path) -> None:
    plan = plan_routine(built_in(tmp_path, "full"), PlanOptions(side="left"))
    for segment in plan.segments:
        if segment.kind == "setup":
            assert segment.setup_speech is not None
            assert segment.setup_speech.startswith(heading(segment, side=True) + ". ")


def test_a_step_without_position_or_side_is_set_up_with_its_title_and_instructions(
    tmp_path: Path,
) -> None:
    plan = plan_routine(expand(tmp_path, BALL.replace("sides: both", "sides: none")))
    assert plan.segments[0].setup_speech == "Get into position: Glute ball. Roll on the ball."


@pytest.mark.parametrize(("words", "seconds"), [(0, 2), (1, 3), (5, 4), (150, 62), (151, 63)])
def test_speech_time_is_150_words_a_minute_plus_2_seconds_rounded_up(
    words: int, seconds: int
) -> None:
    assert speech_seconds(" ".join(["word"] * words)) == seconds


LONG_SETUP = BALL.replace(
    "    instructions: Roll on the ball.\n", "    instructions: " + "roll " * 100 + "\n"
)


def test_without_the_voice_the_gap_is_the_transition(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, LONG_SETUP))
    assert plan.segments[0].seconds == 15
    assert plan.options.voice is False


def test_with_the_voice_a_setup_gap_lasts_as_long_as_its_speech(tmp_path: Path) -> None:
    plan = plan_routine(expand(tmp_path, LONG_SETUP), PlanOptions(voice=True))
    first = plan.segments[0]
    assert first.setup_speech is not None
    assert first.seconds == speech_seconds(first.setup_speech) == 45  # 107 words
    # the switch and a short set-up keep the transition
    assert [(s.kind, s.seconds) for s in plan.segments if s.kind in ("setup", "switch")] == [
        ("setup", 45), ("switch", 15), ("setup", 15)
    ]  # fmt: skip
    for before, after in pairwise(plan.segments):
        assert after.start == before.end
    assert plan.total == 435 + 30


def test_with_the_voice_a_routine_without_transition_still_gets_a_spoken_set_up(
    tmp_path: Path,
) -> None:
    plan = plan_routine(
        expand(tmp_path, BALL.replace("transition: 15s", "transition: 0s")), PlanOptions(voice=True)
    )
    assert [s.kind for s in plan.segments] == ["setup", "step", "step", "rest", "setup", "step"]
    assert all(s.seconds == speech_seconds(s.setup_speech or "") for s in plan.segments[::4])


def test_the_voice_does_not_lengthen_the_exercise(tmp_path: Path) -> None:
    expanded = expand(tmp_path, LONG_SETUP)
    quiet = plan_routine(expanded, PlanOptions())
    spoken = plan_routine(expanded, PlanOptions(voice=True))
    assert [s.seconds for s in step_segments(spoken)] == [s.seconds for s in step_segments(quiet)]


@pytest.mark.parametrize("side", ["left", "both", None])
def test_total_range_with_the_voice_matches_the_plans(
    tmp_path: Path, side: AffectedSide | None
) -> None:
    expanded = built_in(tmp_path, "full")
    low, mid, high = total_range(expanded, side=side, voice=True)
    assert (low, mid, high) > total_range(expanded, side=side)
    assert plan_routine(expanded, PlanOptions(side=side, voice=True)).total == mid
    for seconds in (low, high):
        plan = plan_routine(expanded, PlanOptions(seconds / 60, side, voice=True))
        assert plan.total == seconds


@pytest.mark.parametrize("minutes", [30, 35, 40, 45])
def test_with_the_voice_minutes_are_still_met_and_the_steps_take_the_difference(
    tmp_path: Path, minutes: int
) -> None:
    expanded = built_in(tmp_path, "full")
    quiet = plan_routine(expanded, PlanOptions(minutes, "left"))
    spoken = plan_routine(expanded, PlanOptions(minutes, "left", voice=True))
    assert quiet.total == spoken.total == minutes * 60

    def gaps(plan: Plan) -> float:
        return sum(s.seconds for s in plan.segments if s.kind in ("setup", "switch"))

    def work(plan: Plan) -> float:
        return sum(s.seconds for s in step_segments(plan))

    assert gaps(spoken) > gaps(quiet)
    assert work(quiet) - work(spoken) == gaps(spoken) - gaps(quiet)
    lengths = fitted_lengths(expanded, minutes, side="left", voice=True)
    for placed, length in zip(expanded.steps, lengths, strict=True):
        assert placed.step.length.min <= length <= placed.step.length.max


def test_with_the_voice_too_few_minutes_says_the_set_up_is_spoken(tmp_path: Path) -> None:
    expanded = built_in(tmp_path, "full")
    low, _, high = total_range(expanded, side="left", voice=True)
    with pytest.raises(PlanError) as caught:
        plan_routine(expanded, PlanOptions(27, "left", voice=True))
    assert caught.value.message == (
        f"'full' takes between {format_seconds(low)} and {format_seconds(high)} with the set-up "
        "spoken; it cannot fit in 27 minutes"
    )


def test_shortest_runs_every_step_at_its_shortest_whatever_the_minutes(tmp_path: Path) -> None:
    expanded = expand(tmp_path, MIXED)
    for minutes in (None, 20.0):
        plan = plan_routine(expanded, PlanOptions(minutes, "left", shortest=True))
        assert [s.seconds for s in step_segments(plan)] == [120, 60, 150, 150, 65]
        assert plan.total == total_range(expanded, side="left")[0]
