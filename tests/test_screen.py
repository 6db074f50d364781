"""The live screen: what a person on the floor two metres away sees, at any terminal width."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.planner import Plan, PlannedCue, Segment, plan_routine
from sciatica_cli.session.clock import FakeClock
from sciatica_cli.session.font import big_text
from sciatica_cli.session.layout import countdown_text, render_session
from sciatica_cli.session.player import Action, Player, PlayerState
from sciatica_cli.session.screen import Screen

WIDTHS = (40, 60, 80, 120)
INSTRUCTIONS = (
    "Sit on the floor with your knees bent and your hands on the floor behind you.\n"
    "Place the ball under one buttock and lean onto it.\n"
    "Use your hands and feet to move slowly, rolling the ball in small circles."
)
WARNING = "Stop at once if the pain turns sharp or shoots down your leg."
TILT = "On your back, knees bent, flatten the small of your back into the floor."
CUE = "Lean onto the ball and roll in small, slow circles."


def make_plan() -> Plan:
    """Setup, a 90 s two-sided step with a warning and a cue, a rest, then a reps step."""
    ball = {"step_title": "Glute ball", "instructions": INSTRUCTIONS, "warning": WARNING}
    tilt = {"step_title": "Pelvic tilt", "instructions": TILT, "reps": 10, "hold": 5, "relax": 3}
    layout: list[tuple[str, str, float, int, dict[str, object]]] = [
        ("setup", "Get into position", 15, 1, {**ball, "side": "left"}),
        ("step", "Glute ball", 90, 1, {**ball, "side": "left", "cues": (PlannedCue(0, CUE),)}),
        ("switch", "Switch to the right side", 15, 1, {**ball, "side": "right"}),
        ("step", "Glute ball", 90, 1, {**ball, "side": "right"}),
        ("rest", "Rest", 20, 1, {"step_title": "Glute ball"}),
        ("setup", "Get into position", 10, 2, tilt),
        ("step", "Pelvic tilt", 80, 2, tilt),
    ]
    segments, start = [], 0.0
    for kind, title, seconds, number, extra in layout:
        segments.append(Segment(kind, title, start, float(seconds), number, **extra))  # type: ignore[arg-type]
        start += seconds
    return Plan("glute-ball", "Glutes with a ball", tuple(segments))


def started(plan: Plan | None = None) -> tuple[Player, FakeClock]:
    clock = FakeClock()
    player = Player(plan or make_plan(), clock)
    player.start()
    return player, clock


def after(seconds: float, plan: Plan | None = None) -> PlayerState:
    """The state ``seconds`` into the session, ticking once a second as the session loop does."""
    player, clock = started(plan)
    while seconds > 0:
        clock.advance(min(1.0, seconds))
        seconds -= 1.0
        player.tick()
    return player.state


def show(state: PlayerState, width: int = 80, **options: object) -> str:
    """Print the screen as a person would read it (no colour, no control codes)."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, legacy_windows=False)
    console.print(render_session(state, width=width, **options))  # type: ignore[arg-type]
    return out.getvalue()


def has_block(text: str, rows: list[str]) -> bool:
    """The big-letter rows appear whole, one under another, starting in the same column."""
    lines = text.splitlines()
    for first, line in enumerate(lines[: len(lines) - len(rows) + 1]):
        column = line.find(rows[0])
        while column >= 0:
            below = lines[first : first + len(rows)]
            if all(
                got.ljust(column + len(row))[column : column + len(row)] == row
                for got, row in zip(below, rows, strict=True)
            ):
                return True
            column = line.find(rows[0], column + 1)
    return False


# -- the big font ------------------------------------------------------------------------------


def test_big_text_rows_are_five_tall_equal_width_and_fit_the_brief() -> None:
    for text in ("12:34", "RIGHT", "LEFT", "0123456789", "PAUSED"):
        rows = big_text(text)
        assert len(rows) == 5
        assert len({len(row) for row in rows}) == 1
        assert set("".join(rows)) <= {"█", " "}
    assert len(big_text("12:34")[0]) <= 28
    assert len(big_text("RIGHT")[0]) <= 30


def test_big_text_glyphs_differ_and_lower_case_is_drawn_in_capitals() -> None:
    glyphs = {tuple(big_text(char)) for char in "0123456789"}
    assert len(glyphs) == 10
    assert big_text("left") == big_text("LEFT")


def test_big_text_refuses_characters_it_cannot_draw() -> None:
    with pytest.raises(ValueError, match="'Z'"):
        big_text("ZAP")


def test_countdown_rounds_up_to_whole_seconds() -> None:
    assert countdown_text(90.0) == "1:30"
    assert countdown_text(89.1) == "1:30"
    assert countdown_text(0.2) == "0:01"
    assert countdown_text(0.0) == "0:00"
    assert countdown_text(30.000000001) == "0:30"  # float noise from clock arithmetic
    assert countdown_text(3725) == "62:05"


# -- what the screen shows ----------------------------------------------------------------


def test_step_shows_title_step_count_big_side_and_big_countdown() -> None:
    screen = show(after(15))
    assert "Glutes with a ball" in screen
    assert "step 1 of 2" in screen
    assert "Glute ball" in screen
    assert has_block(screen, big_text("LEFT"))
    assert has_block(screen, big_text("1:30"))


def test_switch_shows_the_new_side_in_big_letters() -> None:
    screen = show(after(15 + 90))
    assert "Switch to the right side" in screen
    assert has_block(screen, big_text("RIGHT"))
    assert has_block(screen, big_text("0:15"))


def test_setup_shows_the_coming_steps_instructions_and_warning() -> None:
    screen = show(after(0))
    assert "Get into position: Glute ball" in screen
    assert "Place the ball under one buttock" in screen
    assert WARNING.split()[0] in screen
    assert "Next: Glute ball, left side" in screen


def test_affected_side_is_a_bold_line_not_big_letters() -> None:
    plan = make_plan()
    affected = Plan(
        plan.name,
        plan.title,
        tuple(
            Segment(s.kind, s.title, s.start, s.seconds, 1, "Roll", "affected")
            for s in plan.segments[:2]
        ),
    )
    screen = show(after(15, affected))
    assert "Affected side" in screen


def test_cue_and_instructions_are_shown_during_the_step() -> None:
    screen = show(after(20))
    assert CUE in screen
    assert "lean onto it" in screen


def test_warning_is_inside_a_heavy_box_marked_with_a_bang() -> None:
    lines = show(after(20), width=60).splitlines()
    inside = next(i for i, line in enumerate(lines) if "! Stop at once" in line)
    assert lines[inside].startswith("┃") and lines[inside].rstrip().endswith("┃")
    top = max(i for i in range(inside) if lines[i].startswith("┏"))
    assert "Warning" in lines[top]
    assert any(line.startswith("┗") for line in lines[inside:])


def test_next_is_shown_only_in_the_last_eight_seconds_of_a_step() -> None:
    assert "Next:" not in show(after(15 + 60))
    screen = show(after(15 + 82))
    assert "Next: Switch to the right side" in screen


def test_legend_lists_the_keys_and_can_be_hidden() -> None:
    screen = show(after(20), width=120)
    assert "space pause · n next · b back · q quit · ! sharp pain: stop now" in screen
    assert "sharp pain" not in show(after(20), keys=False)


def test_legend_wraps_between_keys_on_a_narrow_terminal() -> None:
    lines = show(after(20), width=40).splitlines()
    assert "space pause · n next · b back · q quit" in lines
    assert "! sharp pain: stop now" in lines


def test_paused_shows_big_paused_and_how_to_carry_on() -> None:
    player, clock = started()
    clock.advance(20)
    player.tick()
    player.handle(Action.TOGGLE_PAUSE)
    screen = show(player.state)
    assert has_block(screen, big_text("PAUSED"))
    assert "space to carry on" in screen
    assert has_block(screen, big_text("1:25"))
    assert "LEFT side" in screen


def test_quit_asks_for_confirmation_with_its_own_keys() -> None:
    player, clock = started()
    clock.advance(20)
    player.tick()
    player.handle(Action.QUIT)
    screen = show(player.state)
    assert "Stop the session? y / n" in screen
    assert "y stop · n carry on" in screen
    assert "n next" not in screen


def test_preview_banner_only_when_sped_up() -> None:
    assert "PREVIEW x20 - not recorded" in show(after(20), speed=20)
    assert "PREVIEW x0.5 - not recorded" in show(after(20), speed=0.5)
    assert "PREVIEW" not in show(after(20))


def test_reps_step_counts_holds_and_relaxes() -> None:
    start = 15 + 90 + 15 + 90 + 20 + 10  # the pelvic tilt begins
    assert "Hold 2 of 10" in show(after(start + 8))
    assert "Relax · 1 of 10 done" in show(after(start + 6))
    assert "step 2 of 2" in show(after(start + 6))


def test_finished_session_says_why() -> None:
    player, _ = started()
    player.handle(Action.SHARP_PAIN)
    assert "Stopped for sharp pain" in show(player.state)


def test_progress_bars_for_the_segment_and_the_routine() -> None:
    lines = show(after(15 + 45)).splitlines()
    step = next(line for line in lines if line.startswith("Step "))
    routine = next(line for line in lines if line.startswith("Routine "))
    assert step.endswith("0:45 / 1:30")
    assert step.count("█") == step.count("░")  # half way through the step
    assert routine.endswith(f"1:00 / {countdown_text(make_plan().total)}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("seconds", [0, 15, 15 + 82, 15 + 90, 15 + 90 + 15 + 90 + 5, 258])
def test_every_line_fits_and_the_countdown_is_whole(width: int, seconds: float) -> None:
    state = after(seconds)
    screen = show(state, width=width, speed=20)
    assert all(cell_len(line) <= width for line in screen.splitlines())
    assert has_block(screen, big_text(countdown_text(state.remaining)))


@pytest.mark.parametrize(("width", "height"), [(40, 24), (60, 24), (80, 24), (80, 30)])
def test_a_short_terminal_keeps_countdown_warning_and_keys(width: int, height: int) -> None:
    state = after(15 + 82)  # the busiest moment: cue, warning and "Next:" all showing
    screen = show(state, width=width, height=height, speed=20)
    assert len(screen.splitlines()) <= height
    assert all(cell_len(line) <= width for line in screen.splitlines())
    assert has_block(screen, big_text("0:08"))
    assert "! Stop at once" in screen
    assert "Next: Switch to the right side" in screen
    assert "sharp pain: stop now" in screen


@pytest.mark.parametrize("speed", [1, 20])
@pytest.mark.parametrize("seconds", [20, 15 + 82])
def test_at_40x12_the_countdown_the_side_and_the_sharp_pain_key_stay(
    speed: float, seconds: float
) -> None:
    state = after(seconds)
    screen = show(state, width=40, height=12, speed=speed)
    assert len(screen.splitlines()) <= 12
    assert has_block(screen, big_text(countdown_text(state.remaining)))
    assert "LEFT side" in screen
    assert screen.splitlines()[-1].endswith("! sharp pain: stop now")


def test_a_short_terminal_gives_up_instruction_lines_before_the_big_side() -> None:
    screen = show(after(20), width=40, height=24)
    assert has_block(screen, big_text("LEFT"))
    assert "…" in screen  # the instructions were cut, and say so


def test_plan_from_a_routine_file_renders(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "tilt.yaml").write_text(
        "name: tilt\ntitle: Tilts\nsteps:\n"
        "  - title: Pelvic tilt\n    instructions: Flatten your back.\n"
        "    reps: 10\n    hold: 5s\n    relax: 3s\n",
        encoding="utf-8",
    )
    plan = plan_routine(RoutineLibrary(scan(tmp_path / "none", user)).expand("tilt"))
    start = next(s.start for s in plan.segments if s.kind == "step")
    screen = show(after(start + 8, plan), width=60)
    assert "Hold 2 of 10" in screen
    assert "Tilts" in screen


# -- colour ----------------------------------------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


COLOURS = {"38", "48"} | {str(n) for n in (*range(30, 38), *range(40, 48), *range(90, 98))}
COLOURS |= {str(n) for n in range(100, 108)}


def colour_codes(output: str) -> list[str]:
    """SGR parameters that set a foreground or background colour."""
    return [
        match.group(1)
        for match in SGR.finditer(output)
        if COLOURS.intersection(match.group(1).split(";"))
    ]


def terminal_output(state: PlayerState) -> str:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, legacy_windows=False)
    console.print(render_session(state, width=80))
    return out.getvalue()


def test_no_color_env_gives_no_colour_codes_but_keeps_bold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    output = terminal_output(after(20))
    assert "\x1b[1m" in output or "\x1b[1;" in output  # still emphasised
    assert colour_codes(output) == []


def test_warning_is_red_when_colour_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    output = terminal_output(after(20))
    warning_line = next(line for line in output.splitlines() if "Stop at once" in line)
    assert re.search(r"\x1b\[[0-9;]*31[;m]", warning_line)


# -- the live screen ---------------------------------------------------------------------------


class Ticker:
    """The screen's own clock, moved by hand."""

    def __init__(self) -> None:
        self.time = 0.0

    def __call__(self) -> float:
        return self.time


def quiet_console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), width=width, height=30, legacy_windows=False)


def test_update_draws_only_when_what_is_shown_changes() -> None:
    player, clock = started()
    ticker = Ticker()
    with Screen(quiet_console(), clock=ticker) as screen:
        assert screen.update(player.state) is True
        ticker.time += 0.3
        clock.advance(0.3)  # the countdown still reads 0:15
        assert screen.update(player.state) is False
        ticker.time += 0.7
        clock.advance(0.7)
        player.tick()
        assert screen.update(player.state) is True


def test_update_draws_at_most_four_times_a_second() -> None:
    player, clock = started()
    ticker = Ticker()
    drawn_at = []
    with Screen(quiet_console(), speed=20, clock=ticker) as screen:
        for _ in range(40):  # two real seconds of a x20 preview, a new second every 50 ms
            if screen.update(player.state):
                drawn_at.append(ticker.time)
            ticker.time += 0.05
            clock.advance(1.0)
            player.tick()
    assert len(drawn_at) >= 7
    for start in drawn_at:
        assert sum(start <= t < start + 1.0 for t in drawn_at) <= 4


def test_force_overrides_the_rate_limit() -> None:
    player, _ = started()
    ticker = Ticker()
    with Screen(quiet_console(), clock=ticker) as screen:
        assert screen.update(player.state)
        ticker.time += 0.01
        player.handle(Action.TOGGLE_PAUSE)
        assert screen.update(player.state) is False  # too soon
        assert screen.update(player.state, force=True) is True


def test_a_resize_redraws() -> None:
    player, _ = started()
    ticker = Ticker()
    console = quiet_console()
    with Screen(console, clock=ticker) as screen:
        assert screen.update(player.state)
        ticker.time += 1.0
        console.width = 50
        assert screen.update(player.state) is True


def test_update_needs_the_screen_open() -> None:
    player, _ = started()
    with pytest.raises(RuntimeError, match="with Screen"):
        Screen(quiet_console()).update(player.state)


def test_screen_hides_the_cursor_and_restores_it_after_an_error() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, height=30, force_terminal=True, legacy_windows=False)
    player, _ = started()
    with pytest.raises(ZeroDivisionError), Screen(console) as screen:
        screen.update(player.state)
        assert "\x1b[?1049h" in out.getvalue()  # the alternate screen
        assert "\x1b[?25l" in out.getvalue()  # cursor hidden
        _ = 1 / 0
    output = out.getvalue()
    assert output.rindex("\x1b[?25h") > output.rindex("\x1b[?25l")
    assert output.rindex("\x1b[?1049l") > output.rindex("\x1b[?1049h")
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.replace("\x1b[H", "\n"))
    assert has_block(shown, big_text("0:15"))
