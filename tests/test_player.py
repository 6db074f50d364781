"""The player on a fake clock: cues, sides, switches, pause, next/back, quit and sharp pain."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.planner import Plan, PlanOptions, plan_routine
from sciatica_cli.session.clock import FakeClock, ScaledClock
from sciatica_cli.session.player import (
    Action,
    Effect,
    Finished,
    Player,
    Ring,
    SegmentEnded,
    Speak,
    Status,
    action_for_key,
)

ROUTINE = """\
name: three
title: Three steps
transition: 10s
steps:
  - title: Roll
    instructions: Roll slowly.
    duration: 60s
    sides: both
    warning: Stop at once if the pain turns sharp.
    cues:
      - at: 30s
        say: Halfway there.
      - every: 20s
        say: Keep it slow.
      - before_end: 10s
        say: Ease off.
  - title: Tilts
    instructions: Tilt the pelvis.
    reps: 3
    hold: 5s
    relax: 3s
    rest: 20s
  - title: Ball
    instructions: Lean on the ball.
    duration: 40s
    sides: affected
"""


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "three.yaml").write_text(ROUTINE, encoding="utf-8")
    expanded = RoutineLibrary(scan(tmp_path / "none", folder)).expand("three")
    return plan_routine(expanded, PlanOptions(side="right"))


def run_until(player: Player, clock: FakeClock, until: float) -> list[tuple[float, Effect]]:
    """Advance the fake clock wakeup by wakeup, collecting effects with their times."""
    seen: list[tuple[float, Effect]] = []
    while player.status is Status.RUNNING:
        wake = player.next_wakeup()
        assert wake is not None
        if wake > until:
            clock.time = until
            seen.extend((clock.time, e) for e in player.tick())
            break
        clock.time = wake
        seen.extend((clock.time, e) for e in player.tick())
    return seen


def spoken(effects: list[tuple[float, Effect]]) -> list[tuple[float, str]]:
    return [(t - 1000, e.text) for t, e in effects if isinstance(e, Speak)]


def test_plan_has_setup_gaps_switches_and_rest_in_order(plan: Plan) -> None:
    layout = [(s.kind, s.side, s.seconds) for s in plan.segments]
    assert layout == [
        ("setup", "right", 10), ("step", "right", 60), ("switch", "left", 10),
        ("step", "left", 60), ("setup", None, 10), ("step", None, 24), ("rest", None, 20),
        ("setup", "right", 10), ("step", "right", 40),
    ]  # fmt: skip


def test_cues_fire_at_absolute_percent_every_and_before_end_offsets(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    effects = [(clock.time, e) for e in player.start()]
    effects += run_until(player, clock, 1000 + 70)
    step_words = [(t, text) for t, text in spoken(effects) if 10 <= t < 70]
    assert step_words == [
        (10, "Begin: Roll, right side."),
        (30, "Keep it slow."),
        (40, "Halfway there."),
        (50, "Keep it slow."),
        (60, "Ease off."),
        (62, "Next: Switch to the left side."),
    ]


def test_each_side_gets_its_cues_and_the_switch_is_announced(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    effects = [(clock.time, e) for e in player.start()] + run_until(player, clock, 1000 + 140)
    words = [text for _, text in spoken(effects)]
    assert words.count("Halfway there.") == 2
    assert "Switch to the left side." in words
    assert "Begin: Roll, left side." in words


def test_bells_ring_at_each_start_and_in_the_last_three_seconds(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    effects = [(clock.time, e) for e in player.start()] + run_until(player, clock, 1000 + 71)
    bells = [t - 1000 for t, e in effects if isinstance(e, Ring)]
    assert bells == [0, 10, 67, 68, 69, 70]  # setup, step start, 3-2-1, the switch


def test_reps_are_counted_aloud(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    effects = run_until(player, clock, 1000 + 174)
    words = [text for t, text in spoken(effects) if 150 <= t < 174]  # the step runs 150-174
    assert words == ["Begin.", "Hold, 1.", "Relax.", "Hold, 2.", "Relax.", "Hold, 3.", "Relax."]
    player = Player(plan, clock := FakeClock(1000))
    player.start()
    run_until(player, clock, 1000 + 150 + 8 + 6)  # second rep, 6 s in: relaxing
    player.tick()
    rep = player.state.rep
    assert rep is not None
    assert (rep.number, rep.count, rep.phase) == (2, 3, "relax")


def test_affected_side_step_uses_the_side_given(plan: Plan) -> None:
    assert plan.segments[-1].side == "right"


def test_a_completed_session_records_every_segment_done_and_ends_on_time(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    effects = [(clock.time, e) for e in player.start()] + run_until(player, clock, 10_000)
    ended = [e for _, e in effects if isinstance(e, SegmentEnded)]
    assert [e.outcome for e in ended] == ["done"] * len(plan.segments)
    assert [e.done_seconds for e in ended] == [s.seconds for s in plan.segments]
    finished = [e for _, e in effects if isinstance(e, Finished)]
    assert finished == [Finished("completed", 1000 + plan.total)]


def test_pause_shifts_every_deadline_by_the_time_paused(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    run_until(player, clock, 1000 + 25)
    assert player.handle(Action.TOGGLE_PAUSE) == [Speak("Paused.", "status")]
    clock.advance(300)
    assert player.tick() == []  # nothing fires while paused
    assert player.next_wakeup() is None
    assert player.state.remaining == pytest.approx(45)
    player.handle(Action.TOGGLE_PAUSE)
    effects = run_until(player, clock, 10_000)
    halfway = [t - 1000 for t, e in effects if e == Speak("Halfway there.")]
    assert halfway[0] == 40 + 300
    assert player.paused_seconds == 300
    finished = next(e for _, e in effects if isinstance(e, Finished))
    assert finished.at == 1000 + plan.total + 300


def test_next_skips_the_segment_and_records_the_time_spent(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    run_until(player, clock, 1000 + 25)
    effects = player.handle(Action.NEXT)
    assert effects[0] == SegmentEnded(1, "skipped", 15.0, 1010.0, 1025.0)
    assert player.index == 2
    assert Speak("Switch to the left side.", "opening") in effects


def test_next_from_a_pause_counts_only_time_before_the_pause(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    run_until(player, clock, 1000 + 25)
    player.handle(Action.TOGGLE_PAUSE)
    clock.advance(100)
    ended = player.handle(Action.NEXT)[0]
    assert isinstance(ended, SegmentEnded)
    assert ended.done_seconds == 15.0
    assert player.status is Status.RUNNING


def test_back_restarts_the_step_and_again_goes_to_the_previous_step(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    run_until(player, clock, 1000 + 100)  # right side done; left side 20 s in
    assert player.index == 3
    player.handle(Action.BACK)
    assert (player.index, player.elapsed) == (3, 0)  # the left side from its start
    player.handle(Action.BACK)
    assert (player.index, player.segment.side) == (1, "right")  # pressed again: previous step


def test_quit_asks_and_no_carries_on_where_it_was(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    run_until(player, clock, 1000 + 25)
    player.handle(Action.QUIT)
    assert player.status is Status.CONFIRM_QUIT
    clock.advance(30)
    assert player.state.remaining == pytest.approx(45)  # the timer waits for the answer
    player.handle(Action.NO)
    assert player.status is Status.RUNNING
    assert player.state.remaining == pytest.approx(45)


def test_quit_confirmed_stops_the_segment_and_finishes(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    run_until(player, clock, 1000 + 25)
    player.handle(Action.QUIT)
    effects = player.handle(Action.YES)
    assert effects == [SegmentEnded(1, "stopped", 15.0, 1010.0, 1025.0), Finished("quit", 1025.0)]
    assert player.handle(Action.NEXT) == []  # nothing moves once finished


def test_sharp_pain_key_stops_at_once_from_any_state(plan: Plan) -> None:
    for setup in (None, Action.TOGGLE_PAUSE, Action.QUIT):
        clock = FakeClock(1000)
        player = Player(plan, clock)
        player.start()
        run_until(player, clock, 1000 + 25)
        if setup is not None:
            player.handle(setup)
        effects = player.handle(Action.SHARP_PAIN)
        assert effects[-1] == Finished("sharp pain", clock.time)
        assert isinstance(effects[0], SegmentEnded) and effects[0].outcome == "stopped"
        assert player.finish_reason == "sharp pain"


def test_words_due_long_ago_are_dropped_after_a_stall(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    clock.advance(45)  # the process was stopped: 35 s into the first step
    effects = player.tick()
    assert not any(isinstance(e, Speak) for e in effects)
    assert player.state.cue == "Halfway there."  # the screen still shows the latest cue
    assert player.index == 1


def test_next_wakeup_is_the_next_change_of_the_countdown_or_event(plan: Plan) -> None:
    clock = FakeClock(1000)
    player = Player(plan, clock)
    player.start()
    clock.time = 1000.4
    player.tick()
    assert player.next_wakeup() == pytest.approx(1001.0)


@pytest.mark.parametrize(
    ("key", "status", "action"),
    [
        ("space", Status.RUNNING, Action.TOGGLE_PAUSE),
        ("n", Status.RUNNING, Action.NEXT),
        ("right", Status.RUNNING, Action.NEXT),
        ("b", Status.RUNNING, Action.BACK),
        ("left", Status.RUNNING, Action.BACK),
        ("q", Status.PAUSED, Action.QUIT),
        ("!", Status.RUNNING, Action.SHARP_PAIN),
        ("x", Status.PAUSED, Action.SHARP_PAIN),
        ("y", Status.CONFIRM_QUIT, Action.YES),
        ("n", Status.CONFIRM_QUIT, Action.NO),
        ("!", Status.CONFIRM_QUIT, Action.SHARP_PAIN),
        ("z", Status.RUNNING, None),
        ("y", Status.RUNNING, None),
    ],
)
def test_keys_map_to_actions(key: str, status: Status, action: Action | None) -> None:
    assert action_for_key(key, status) is action


def test_speed_runs_the_same_plan_faster_on_a_scaled_clock(plan: Plan) -> None:
    base = FakeClock(1000)
    clock = ScaledClock(base, 20)
    player = Player(plan, clock)
    player.start()
    base.advance(plan.total / 20)
    effects = player.tick()
    assert Finished("completed", pytest.approx(clock.now())) in effects  # type: ignore[arg-type]
    assert clock.real_seconds(20) == 1
