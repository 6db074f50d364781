"""Whole sessions through ``sciatica routine start``, in-process, on a fake clock with scripted
keys: what the person sees and hears, the exit code, and what the journal keeps.

Each runs in milliseconds. The real terminal (raw keys, the alternate screen, ``stty``) is
covered by the few tmux tests in test_session_e2e.py.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from sciatica_cli.journal.records import SegmentRecord, SessionRecord
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.routines.durations import format_seconds
from sciatica_cli.routines.library import RoutineLibrary, scan
from sciatica_cli.routines.planner import PlanOptions, describe, plan_routine

from .conftest import BUILTIN_DIR, BUILTIN_NAMES, THREE, Run
from .fakes import AFTER_SESSION, FIRST_SESSION, Driven, fake_terminal, screened

# setup 2, left 60, switch 2, right 60, setup 2, reps 21, setup 2, hamstrings 40: 189 s
THREE_SECONDS = 189
LEGEND = "space pause · n next · b back · q quit · ! sharp pain: stop now"


@pytest.fixture(autouse=True)
def three(user_routines: Path) -> str:
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")
    return "three"


def sessions(home: Path) -> list[SessionRecord]:
    with SessionStore.open(home / "journal.db") as store:
        return sorted(store.sessions(include_previews=True), key=lambda s: s.id)


def only_session(home: Path) -> SessionRecord:
    (session,) = sessions(home)
    return session


def outcomes(home: Path, session: SessionRecord) -> list[str | None]:
    with SessionStore.open(home / "journal.db") as store:
        segments: Sequence[SegmentRecord] = store.all_segments().get(session.id, [])
    return [s.outcome for s in segments]


def start(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    keys: Sequence[tuple[float, str]] = (),
    answers: Sequence[str] | None = None,
    live: bool = True,
    size: tuple[int, int] = (80, 30),
) -> tuple[int, str, Driven]:
    """Run ``routine start ARGS``; returns the exit code, what was printed and the session."""
    with fake_terminal(
        monkeypatch, keys=keys, answers=answers, live=live, width=size[0], height=size[1]
    ) as driven:
        result = run("routine", "start", *args)
    return result.exit_code, result.output, driven


# -- the live screen and its keys ---------------------------------------------------------------


def test_live_screen_shows_the_step_and_completes(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, driven = start(run, monkeypatch, "three", "--speed", "20")
    assert code == 0
    screen = driven.frames
    assert "Three step test" in screen
    assert "PREVIEW x20" in screen
    assert "step 1 of 3" in screen
    assert "Stop at once if the pain turns sharp or shoots down your leg." in screen
    assert LEGEND in screen
    assert "Done: the routine is complete (3m9s of 3m9s)." in printed
    session = only_session(home)
    assert (session.status, session.preview) == ("completed", True)
    assert outcomes(home, session) == ["done"] * 8
    assert session.done_seconds == pytest.approx(THREE_SECONDS)


def test_pause_stops_the_clock_and_space_carries_on(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    # Paused 10 s into the left side for 100 s of routine time, then carried on.
    code, _, driven = start(
        run, monkeypatch, "three", "--speed", "20", keys=[(12, "space"), (112, "space")]
    )
    assert code == 0
    assert "Paused · space to carry on" in driven.frames
    assert driven.sound.said.count("Paused.") == 1
    assert driven.sound.said.count("Carry on.") == 1
    session = only_session(home)
    # Paused time is not exercise: every segment still did exactly its planned time.
    assert session.done_seconds == pytest.approx(THREE_SECONDS)


def test_next_skips_the_step_and_it_is_recorded_as_skipped(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, _, driven = start(run, monkeypatch, "three", "--speed", "20", keys=[(12, "n")])
    assert code == 0
    assert "Switch to the right side" in driven.frames
    session = only_session(home)
    # setup, left (skipped with n), switch, right, setup, reps, setup, hamstrings
    assert outcomes(home, session) == ["done", "skipped", *["done"] * 6]
    assert session.done_seconds == pytest.approx(THREE_SECONDS - 50)


def test_back_restarts_the_step(run: Run, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    code, _, _ = start(run, monkeypatch, "three", "--speed", "20", keys=[(32, "b")])
    assert code == 0
    session = only_session(home)
    assert outcomes(home, session) == ["done"] * 8
    # 30 s of the left side were done before it restarted: the record keeps its last run.
    assert session.done_seconds == pytest.approx(THREE_SECONDS)


def test_quit_then_yes_stops_and_exits_1(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, driven = start(
        run, monkeypatch, "three", "--speed", "20", keys=[(10, "q"), (11, "y")]
    )
    assert code == 1
    assert "Stop the session? y / n" in driven.frames
    assert "y stop · n carry on" in driven.frames
    assert "Stopped by you" in printed
    session = only_session(home)
    assert (session.status, session.stop_reason) == ("stopped", "quit")


def test_quit_then_no_carries_on_to_the_end(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, _ = start(
        run, monkeypatch, "three", "--speed", "20", keys=[(10, "q"), (15, "n")]
    )
    assert code == 0
    assert "Done: the routine is complete" in printed
    assert only_session(home).status == "completed"


def test_sharp_pain_key_stops_asks_tier_a_and_exits_3(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, driven = start(
        run, monkeypatch, "three", "--speed", "20", keys=[(10, "!")], answers=["4", "n"]
    )
    assert code == 3
    assert "Stopped for sharp pain" in printed
    assert "Come off the ball or roller slowly." in printed  # what to do now
    assert "How bad is your pain now?" in printed
    assert printed.count("[y/n]") == 1  # the emergency signs as one list
    assert "Please answer y or n." not in printed
    assert "Move off the ball or roller slowly." in driven.frames
    session = only_session(home)
    assert (session.status, session.stop_reason) == ("stopped", "sharp pain")
    assert session.pain_after == 4  # the pain now is the session's pain after


def test_sharp_pain_stop_is_recorded_even_if_the_questions_after_it_are_cut_short(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    """The questions after '!' get no answer (the input ends): the journal still says why."""
    code, _, _ = start(run, monkeypatch, "three", "--speed", "20", keys=[(10, "x")], answers=[])
    assert code == 1  # no answer given; stopped
    session = only_session(home)
    assert session.status == "stopped"
    assert (session.stop_reason or "").startswith("sharp pain")


def test_ctrl_c_exits_130_and_is_recorded(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, _ = start(run, monkeypatch, "three", "--speed", "20", keys=[(10, "ctrl-c")])
    assert code == 130
    assert "Stopped with Ctrl-C." in printed
    session = only_session(home)
    assert (session.status, session.stop_reason) == ("stopped", "interrupted (Ctrl-C)")
    assert outcomes(home, session)[:2] == ["done", "stopped"]


@pytest.mark.parametrize(
    ("name", "code", "status", "reason"),
    [
        ("SIGTERM", 143, "stopped", "terminated (signal 15)"),
        ("SIGHUP", 129, "interrupted", "the terminal closed"),  # nobody stopped it
    ],
)
def test_a_signal_ends_the_session_with_128_plus_its_number(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    name: str,
    code: int,
    status: str,
    reason: str,
) -> None:
    exit_code, _, _ = start(run, monkeypatch, "three", "--speed", "20", keys=[(10, name)])
    assert exit_code == code
    session = only_session(home)
    assert (session.status, session.stop_reason) == (status, reason)
    assert session.done_seconds == pytest.approx(10)  # its done time is kept


def test_any_other_key_while_asking_means_carry_on(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, _, _ = start(run, monkeypatch, "three", "--speed", "20", keys=[(10, "q"), (11, "z")])
    assert code == 0
    assert only_session(home).status == "completed"


def test_cues_bells_and_the_next_step_are_heard(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, driven = start(run, monkeypatch, "three", "--speed", "20")
    said = driven.sound.said
    assert said[0].startswith("Get into position: Glute ball, left side. Sit with the ball")
    assert "Lean onto the ball." in said
    assert "Halfway there." in said
    assert "Next: Switch to the right side." in said
    assert [s for s in said if s.startswith("Hold")] == ["Hold, 1.", "Hold, 2.", "Hold, 3."]
    assert driven.sound.rings > 8  # one at each change, and three before each step ends


# -- a real session, with its questions ---------------------------------------------------------


def test_a_first_real_session_asks_checks_records_and_advises(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path, user_routines: Path
) -> None:
    tiny = "name: tiny\ntitle: Tiny test routine\ntransition: 1s\nsteps:\n" + "".join(
        f"  - title: Step {n}\n    area: glutes\n    duration: 3s\n"
        "    instructions: Roll slowly.\n    warning: Stop at once if the pain turns sharp.\n"
        for n in (1, 2)
    )
    (user_routines / "tiny.yaml").write_text(tiny, encoding="utf-8")
    answers = [*FIRST_SESSION, "2", "Easier on the left"]

    code, printed, driven = start(run, monkeypatch, "tiny", answers=answers)

    assert code == 0
    assert printed.count("[y/n]") == 3  # two warning-sign lists and the conditions
    assert "Which side is your sciatica on?" in printed
    assert "Pain 5 -> 2: better." in printed
    assert "Please answer y or n." not in printed
    assert "Done: the routine is complete" in printed
    assert "Tiny test routine" in driven.frames
    assert "PREVIEW" not in driven.frames
    session = only_session(home)
    assert (session.status, session.preview) == ("completed", False)
    assert (session.pain_before, session.pain_after) == (5, 2)
    assert session.note == "Easier on the left"
    assert outcomes(home, session) == ["done"] * 4
    with SessionStore.open(home / "journal.db") as store:
        screen = store.last_screen()
        assert screen is not None and screen.result == "clear"
        assert store.contraindications() is not None


# -- no terminal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_a_builtin_routine_plays_without_a_terminal_one_line_per_segment(
    run: Run, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    plan = plan_routine(
        RoutineLibrary(scan(BUILTIN_DIR, Path("/nonexistent"))).expand(name), PlanOptions()
    )
    expected = [
        ("Get into position: " if s.kind == "setup" else "")
        + f"{describe(s)} ({format_seconds(s.seconds)})"
        for s in plan.segments
    ]
    code, printed, _ = start(run, monkeypatch, name, "--speed", "1000", live=False)
    assert code == 0
    lines = printed.splitlines()
    timed = [line.split("] ", 1) for line in lines if line.startswith("[")]
    labels = [text for _, text in timed if not text.startswith(" ") and text != "Finished."]
    assert labels == expected
    assert timed[-1][1] == "Finished."
    assert "PREVIEW x1000" in printed
    assert lines[-1].startswith("Done: the routine is complete")


# -- a journal that cannot be used costs the record, never the session ---------------------


def _corrupt(path: Path) -> None:
    path.write_bytes(random.Random(20240601).randbytes(16384))


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA application_id = 1396918593")  # "SCIA": a sciatica journal
        db.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY)")
        db.execute("PRAGMA user_version = 99")
        db.commit()


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        pytest.param(_corrupt, "damaged or is not a database", id="random-bytes"),
        pytest.param(_newer, "newer sciatica", id="user-version-99"),
    ],
)
def test_an_unusable_journal_is_left_alone_and_the_session_runs(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path, spoil: Callable[[Path], None], words: str
) -> None:
    journal = home / "journal.db"
    spoil(journal)
    before = journal.read_bytes()

    answers = [*FIRST_SESSION, *AFTER_SESSION]
    code, printed, _ = start(run, monkeypatch, "three", "--plain", live=False, answers=answers)

    assert code == 0
    assert "Done: the routine is complete" in printed
    assert "Warning" in printed
    assert str(journal) in printed
    assert words in printed
    assert "This session is kept beside the journal" in printed
    assert journal.read_bytes() == before
    # Nothing lost: the session waits in the pending file until the journal can take it.
    pending = (home / "journal.pending.jsonl").read_text(encoding="utf-8").splitlines()
    ops = [json.loads(line)["op"] for line in pending]
    assert ops[0] == "start" and "finish" in ops and ops[-1] == "pain"


def test_a_journal_path_that_cannot_be_a_file_is_a_warning(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    journal = home / "journal.db"
    journal.mkdir()

    answers = [*FIRST_SESSION, *AFTER_SESSION]
    code, printed, _ = start(run, monkeypatch, "three", "--plain", live=False, answers=answers)

    assert code == 0
    assert "Done: the routine is complete" in printed
    assert "Warning" in printed
    assert str(journal) in printed
    assert journal.is_dir()
    assert list(journal.iterdir()) == []


# -- --plain keeps every key, one line per event -------------------------------------------------


def test_plain_mode_with_a_keyboard_has_every_key_one_line_each(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    keys = [(10, "space"), (40, "space"), (50, "q"), (52, "n"), (60, "x")]
    code, printed, _ = start(
        run, monkeypatch, "three", "--plain", "--speed", "20", keys=keys, answers=["3", "n"],
        live=False,
    )  # fmt: skip
    assert code == 3
    lines = printed.splitlines()
    assert "Keys: space pause, n next, b back, q quit, ! or x sharp pain: stop now." in lines
    for event in (
        "Paused. Press space to carry on.",
        "Carrying on.",
        "Stop the session? Press y to stop, n to carry on.",
        "Stopped for sharp pain.",
    ):
        assert sum(line.endswith(event) for line in lines) >= 1, event
    assert "Come off the ball or roller slowly." in printed
    assert only_session(home).stop_reason == "sharp pain"


def test_plain_mode_prints_hold_and_relax_and_the_movement_comes_first(
    run: Run, monkeypatch: pytest.MonkeyPatch, user_routines: Path
) -> None:
    code, printed, driven = start(run, monkeypatch, "warm-up", "--speed", "50", live=False)
    assert code == 0
    lines = [line.split("] ", 1)[1].strip() for line in printed.splitlines() if "] " in line]
    first_hold = lines.index("Hold, 1.")
    assert lines[first_hold - 1].startswith("Draw the knee")  # the movement, then the count
    assert "Relax." in lines
    said = driven.sound.said
    assert said.index("Draw the knee gently towards your chest and breathe out.") < said.index(
        "Hold, 1."
    )


def test_pregnancy_puts_a_note_on_every_step_done_lying_on_the_back(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    answers = ["n", "n", "y", "7", "right", "one", "2", "", "2", ""]  # 7 is pregnancy
    code, printed, _ = start(run, monkeypatch, "warm-up", "--plain", live=False, answers=answers)
    assert code == 0
    assert "You told us: pregnancy." in printed
    notes = [line for line in printed.splitlines() if "do not lie flat on your back" in line]
    assert len(notes) == 3  # knee to chest, left and right, and pelvic tilts
    assert "Lying on your back." in printed


def test_a_two_sided_step_starts_on_the_affected_side_and_an_affected_one_stays_there(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, _ = start(
        run, monkeypatch, "piriformis-ball", "--side", "right", "--speed", "100", live=False
    )
    assert code == 0
    assert "Piriformis ball, right side" in printed
    assert "left side" not in printed


# -- whole safety flows through routine start ---------------------------------------------------


def test_a_tier_a_yes_then_a_restart_still_stops_with_the_date(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed, _ = start(run, monkeypatch, "three", answers=["y", "3"])
    assert code == 3
    assert "Call your emergency number now" in printed
    # A minute later, answering "no" to everything is not possible: only "seen a doctor?".
    code, printed, _ = start(run, monkeypatch, "three", answers=["n"])
    assert code == 3
    assert "you answered yes to: Loss of bowel control" in printed
    assert "Has a doctor seen you about this since then?" in printed
    assert printed.count("[y/n]") == 0 and "[y/N]" in printed
    assert sessions(home) == []


@pytest.mark.parametrize(("extra", "code"), [((), 3), (("--assessed",), 0)])
def test_a_tier_b_yes_needs_an_assessment(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path, extra: tuple[str, ...], code: int
) -> None:
    answers = ["n", "y", "3"] + ([] if extra else ["n"]) + ["n", "right", "one", "2", "", "2", ""]
    got, printed, _ = start(
        run, monkeypatch, "three", "--speed", "1", *extra, answers=answers, live=False
    )
    assert got == code
    assert "You answered yes to: Ever had cancer." in printed
    assert "within 48 hours" in printed


def test_a_sharp_stop_then_a_same_day_restart_needs_a_yes_and_a_new_screen(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    screened(home)
    code, _, _ = start(run, monkeypatch, "three", keys=[(10, "!")], answers=["", "", "4", "n"])
    assert code == 3
    code, printed, _ = start(run, monkeypatch, "three", answers=["n"])
    assert code == 3
    assert "Earlier today at" in printed and "you stopped three for sharp pain" in printed
    code, printed, _ = start(
        run, monkeypatch, "three", "--plain", answers=["y", "n", "n", "3", "", "3", ""],
        live=False,
    )  # fmt: skip
    assert code == 0
    assert printed.count("[y/n]") == 2  # the warning signs again, both lists
    assert [s.status for s in sessions(home)] == ["stopped", "completed"]


def test_a_key_just_before_a_second_changes_never_skips_that_second(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    import sciatica_cli.session.screen as screen_module
    from sciatica_cli.session.layout import countdown_text, render_session

    drawn: list[tuple[int, str]] = []

    def recording(state: Any, **kw: Any) -> Any:
        drawn.append((state.index, countdown_text(state.remaining)))
        return render_session(state, **kw)

    monkeypatch.setattr(screen_module, "render_session", recording)
    screened(home)
    # Keys that do nothing, each 0.15 s before the left side's countdown changes second.
    keys = [(2 + s + 0.85, "z") for s in range(20)]
    code, _, _ = start(run, monkeypatch, "three", "--pain-before", "0", keys=keys)
    assert code == 0
    left = {text for index, text in drawn if index == 1}
    assert {f"0:{s:02d}" for s in range(40, 60)} <= left
