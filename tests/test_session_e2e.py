"""End to end: ``routine start`` as a person meets it, in a real terminal and without one.

The terminal tests run ``python -m sciatica_cli`` inside a detached tmux pane (its own server
socket, 80x30), press keys with ``send-keys`` and read the screen with ``capture-pane``. A small
bash script around the run records ``stty -g`` before and after and the exit code, so a test can
tell that the terminal was given back exactly as it was, however the session ended.

The other tests run the CLI as a plain subprocess (no terminal) and look at its output and at
the SQLite journal, which they read through a read-only connection of their own.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from sciatica_cli.session.font import big_text

from .conftest import REPO, THREE
from .fakes import screened

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(
    TMUX is None or sys.platform == "win32",
    reason="tmux is not installed: the real-terminal tests drive sciatica inside a tmux pane",
)
JOURNAL = "journal.db"
LEGEND = "! sharp pain: stop now"
YES_NO = "[y/n]"
SCORES = "One pain score, or two (leg and back)? [one/two]"


def _timed(name: str, title: str, step_seconds: list[int], transition: int = 1) -> str:
    """A routine of plain timed steps (no sides), ``transition`` seconds before each."""
    lines = [f"name: {name}", f"title: {title}", f"transition: {transition}s", "steps:"]
    for number, seconds in enumerate(step_seconds, start=1):
        lines += [
            f"  - title: Step {number}",
            "    area: glutes",
            f"    duration: {seconds}s",
            "    instructions: Roll slowly.",
            "    warning: Stop at once if the pain turns sharp.",
        ]
    return "\n".join(lines) + "\n"


def write_routine(home: Path, name: str, text: str) -> None:
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# -- the journal, read-only -------------------------------------------------------------------


def _query(home: Path, sql: str, params: tuple[object, ...] = ()) -> list[dict[str, Any]]:
    uri = (home / JOURNAL).absolute().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(sql, params).fetchall()]


def sessions(home: Path) -> list[dict[str, Any]]:
    return _query(home, "SELECT * FROM sessions ORDER BY id")


def segments(home: Path, session_id: int) -> list[dict[str, Any]]:
    return _query(
        home, "SELECT * FROM segments WHERE session_id = ? ORDER BY position", (session_id,)
    )


def only_session(home: Path) -> dict[str, Any]:
    rows = sessions(home)
    assert len(rows) == 1, rows
    return rows[0]


# -- a real terminal: tmux --------------------------------------------------------------------


class Pane:
    """``sciatica ARGS`` in a detached 80x30 tmux pane with its own server socket."""

    def __init__(self, workdir: Path, home: Path, args: list[str], term: str | None = None) -> None:
        assert TMUX is not None
        self.tmux = TMUX
        self.dir = workdir
        self.home = home
        self.socket = f"sciatica-e2e-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.started = False
        self.socket_path: Path | None = None
        workdir.mkdir(parents=True, exist_ok=True)
        command = shlex.join([sys.executable, "-m", "sciatica_cli", *args])
        d = shlex.quote(str(workdir))
        script = workdir / "run.sh"
        # COLUMNS/LINES from the test environment would override the pane's real size.
        script.write_text(
            "unset COLUMNS LINES\n"
            f"export SCIATICA_HOME={shlex.quote(str(home))} NO_COLOR=1\n"
            + (f"export TERM={shlex.quote(term)}\n" if term is not None else "")
            + f"cd {shlex.quote(str(REPO))}\n"
            f"echo $$ > {d}/shell.pid\n"
            f"stty -g > {d}/stty.before\n"
            f"{command}\n"
            "rc=$?\n"
            f"stty -g > {d}/stty.after\n"
            f"echo $rc > {d}/rc.tmp && mv {d}/rc.tmp {d}/rc\n"
            "exec sleep 600\n",  # keeps the pane (and what it shows) until the server is killed
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "80",
            "-y",
            "30",
            f"bash {shlex.quote(str(script))}",
            env=env,
        )
        self.started = True
        self.socket_path = Path(self.flag("socket_path"))

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            env=env,
            check=True,
        )
        return done.stdout

    def close(self) -> None:
        if self.started:
            subprocess.run(
                [self.tmux, "-L", self.socket, "kill-server"], capture_output=True, timeout=10
            )
        if self.socket_path is not None:  # tmux leaves the socket file behind
            self.socket_path.unlink(missing_ok=True)

    # reading

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "e2e")

    def history(self) -> str:
        """Everything printed on the normal screen so far, wrapped lines joined."""
        return self._tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "e2e")

    def flag(self, name: str) -> str:
        return self._tmux("display-message", "-p", "-t", "e2e", f"#{{{name}}}").strip()

    def wait_screen(self, check: Callable[[str], bool], what: str, timeout: float = 10) -> str:
        last = [""]

        def probe() -> str | None:
            # Two equal captures in a row: not caught half way through a redraw.
            previous, last[0] = last[0], self.screen()
            return last[0] if last[0] == previous and check(last[0]) else None

        try:
            return str(wait_until(probe, timeout, what))
        except AssertionError as err:
            raise AssertionError(f"{err}; the screen was:\n{last[0]}") from None

    def wait_history(self, check: Callable[[str], bool], what: str, timeout: float = 10) -> str:
        last = [""]

        def probe() -> str | None:
            last[0] = self.history()
            return last[0] if check(last[0]) else None

        try:
            return str(wait_until(probe, timeout, what))
        except AssertionError as err:
            raise AssertionError(f"{err}; the pane history was:\n{last[0][-3000:]}") from None

    def wait_live(self) -> str:
        """The live session screen, once it shows the key legend."""
        return self.wait_screen(lambda s: LEGEND in s, "the live session screen")

    # acting

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "e2e", "-l", text)

    def answer(self, prompt: str, number: int, text: str, timeout: float = 10) -> None:
        """Wait for the ``number``-th ``prompt`` in the history, then type ``text`` + Enter."""
        self.wait_history(
            lambda h: h.count(prompt) >= number, f"question {number} ({prompt})", timeout
        )
        if text:
            self.type(text)
        self.keys("Enter")

    def python_pid(self) -> int:
        """The sciatica process: the only child of the script's shell."""
        shell = wait_until(lambda: _read_int(self.dir / "shell.pid"), 10, "the shell's pid")

        def child() -> int | None:
            found = subprocess.run(
                ["pgrep", "-P", str(shell)], capture_output=True, text=True, timeout=5
            ).stdout.split()
            return int(found[0]) if len(found) == 1 else None

        return int(wait_until(child, 10, "the sciatica process"))

    # the end

    def exit_code(self, timeout: float = 20) -> int:
        rc = self.dir / "rc"  # written last, by a rename: complete once it exists
        wait_until(rc.exists, timeout, "sciatica to exit")
        return int(rc.read_text())

    def assert_terminal_restored(self) -> None:
        before = (self.dir / "stty.before").read_text().strip()
        after = (self.dir / "stty.after").read_text().strip()
        assert before, "stty -g printed nothing: the pane has no terminal?"
        assert after == before, "the terminal settings were not given back"
        assert self.flag("alternate_on") == "0", "still on the alternate screen"
        assert self.flag("cursor_flag") == "1", "the cursor is still hidden"


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text else None


@pytest.fixture
def pane(tmp_path: Path, home: Path) -> Iterator[Callable[..., Pane]]:
    """Start ``sciatica ARGS`` in a tmux pane; every server started is killed afterwards."""
    panes: list[Pane] = []

    def start(*args: str, term: str | None = None) -> Pane:
        started = Pane(tmp_path / f"pane{len(panes)}", home, list(args), term)
        panes.append(started)
        return started

    try:
        yield start
    finally:
        for started in panes:
            started.close()


def _block_rows(screen: str) -> int:
    """How many lines are made of nothing but big '█' glyphs (side letters, countdown)."""
    return sum(1 for line in screen.splitlines() if "█" in line and set(line) <= {"█", " "})


def _in_step(screen: str) -> bool:
    """The screen shows a step (not getting into position, a switch or a rest)."""
    lines = screen.splitlines()
    return any(line.startswith("Step ") for line in lines) and "Get into position" not in screen


def _shows(screen: str, word: str) -> bool:
    """The big-letter rendering of ``word`` is on the screen."""
    rows = big_text(word)
    return all(row.rstrip() in screen for row in rows)


@needs_tmux
def test_live_screen_keys_and_completion(pane: Callable[..., Pane], home: Path) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20")

    screen = p.wait_screen(lambda s: _in_step(s) and _shows(s, "LEFT"), "the left side step")
    assert "Three step test" in screen
    assert "PREVIEW x20" in screen
    assert "Glute ball" in screen
    assert "step 1 of 3" in screen
    assert _block_rows(screen) >= 10  # five rows of LEFT, five of the countdown
    assert "Stop at once if the pain turns sharp or shoots down your leg." in screen
    assert "space pause · n next · b back · q quit · ! sharp pain: stop now" in screen

    p.keys("Space")
    paused = p.wait_screen(lambda s: "Paused · space to carry on" in s, "PAUSED")
    assert _shows(paused, "PAUSED")
    time.sleep(0.4)  # 8 routine seconds at x20: a running countdown would have moved
    assert p.screen() == paused, "the screen changed while paused"

    p.keys("Space")
    resumed = p.wait_screen(lambda s: "Paused" not in s, "the step to carry on")
    assert _in_step(resumed) and _shows(resumed, "LEFT")

    p.keys("n")
    moved = p.wait_screen(
        lambda s: not _shows(s, "LEFT") and ("Switch to the right side" in s or _shows(s, "RIGHT")),
        "the next segment",
    )
    assert LEGEND in moved

    p.keys("q")
    asking = p.wait_screen(lambda s: "Stop the session? y / n" in s, "the quit question")
    assert "y stop · n carry on" in asking
    p.keys("y")
    assert p.exit_code() == 1
    p.assert_terminal_restored()
    assert "Stopped by you" in p.history()

    session = only_session(home)
    assert (session["status"], session["stop_reason"]) == ("stopped", "quit")
    outcomes = [row["outcome"] for row in segments(home, session["id"])]
    # setup, left (skipped with n), then the switch or the right side, stopped with q and y
    assert outcomes[:2] == ["done", "skipped"] and "stopped" in outcomes, outcomes


@needs_tmux
def test_sharp_pain_key_asks_tier_a_and_exits_3(pane: Callable[..., Pane], home: Path) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20")
    p.wait_live()
    p.type("!")
    history = p.wait_history(lambda h: "How bad is your pain now?" in h, "the pain question")
    assert p.flag("alternate_on") == "0", "the live screen should be closed by now"
    assert "Stopped for sharp pain" in history
    assert "Come off the ball or roller slowly." in history  # what to do now
    p.answer("How bad is your pain now?", 1, "5")
    history = p.wait_history(lambda h: "saddle area" in h, "the emergency signs")
    p.answer(YES_NO, 1, "n")
    assert p.exit_code() == 3
    p.assert_terminal_restored()
    history = p.history()
    assert history.count(YES_NO) == 1  # the emergency signs as one list
    assert "Please answer y or n." not in history
    session = only_session(home)
    assert (session["status"], session["stop_reason"]) == ("stopped", "sharp pain")


@needs_tmux
def test_ctrl_c_exits_130(pane: Callable[..., Pane], home: Path) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20")
    p.wait_live()
    p.keys("C-c")
    assert p.exit_code() == 130
    p.assert_terminal_restored()
    assert "Stopped with Ctrl-C." in p.history()
    session = only_session(home)
    assert (session["status"], session["stop_reason"]) == ("stopped", "interrupted (Ctrl-C)")


@needs_tmux
@pytest.mark.skipif(shutil.which("pgrep") is None, reason="pgrep finds the sciatica process")
@pytest.mark.parametrize(
    ("signum", "code"),
    [
        pytest.param(signal.SIGTERM, 143, id="SIGTERM"),
        pytest.param(signal.SIGHUP, 129, id="SIGHUP"),  # 128 + the signal, as the README says
    ],
)
def test_signal_restores_the_terminal(
    pane: Callable[..., Pane], home: Path, signum: int, code: int
) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20")
    p.wait_live()
    os.kill(p.python_pid(), signum)
    assert p.exit_code() == code
    p.assert_terminal_restored()
    session = only_session(home)
    if signum == signal.SIGHUP:  # the terminal closed: nobody stopped the session
        assert (session["status"], session["stop_reason"]) == ("interrupted", "the terminal closed")
    else:
        assert session["status"] == "stopped"
        assert session["stop_reason"] == f"terminated (signal {int(signum)})"
    assert session["done_seconds"] > 0  # the time done is kept


# -- no terminal --------------------------------------------------------------------------------


def sciatica(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the CLI with no terminal: stdin is /dev/null, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "sciatica_cli", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=dict(os.environ),
        check=False,
    )


def start_plain(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sciatica_cli", "routine", "start", *args, "--plain"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
    )


def test_kill_9_mid_session_leaves_a_sound_journal(home: Path) -> None:
    write_routine(home, "long", _timed("long", "Long step", [30]))
    screened(home)  # a real session without a terminal needs a valid screen
    first = start_plain("long")
    try:

        def first_segment_recorded() -> bool:
            if not (home / JOURNAL).exists():
                return False
            try:
                rows = _query(
                    home, "SELECT outcome FROM segments WHERE session_id = 1 ORDER BY position"
                )
            except sqlite3.DatabaseError:  # the file exists but the tables do not yet
                return False
            return bool(rows) and rows[0]["outcome"] == "done"

        wait_until(first_segment_recorded, 10, "the first segment in the journal")
        assert first.poll() is None, "the session should still be running"
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL

    assert _query(home, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert only_session(home)["status"] == "running"

    second = sciatica("routine", "start", "long", "--plain", "--speed", "100")
    assert second.returncode == 0, second.stderr
    assert "cut off" in second.stderr

    old, new = sessions(home)
    assert old["status"] == "interrupted"
    assert new["status"] == "completed"
    old_segments = segments(home, old["id"])
    assert [row["outcome"] for row in old_segments] == ["done", None]
    assert old["ended_at"] == old_segments[0]["ended_at"]
    assert _query(home, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_two_sessions_at_once(home: Path) -> None:
    write_routine(home, "quick", _timed("quick", "Quick one", [1]))
    screened(home)
    runs = [start_plain("quick"), start_plain("quick")]
    try:
        outputs = [run.communicate(timeout=30) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.communicate(timeout=10)
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Done: the routine is complete" in out
        assert "Warning" not in err, err

    both = sessions(home)
    assert [row["status"] for row in both] == ["completed", "completed"]
    assert {row["pid"] for row in both} == {run.pid for run in runs}
    for row in both:
        assert [s["outcome"] for s in segments(home, row["id"])] == ["done", "done"]
        assert row["done_seconds"] == pytest.approx(2, abs=0.5)


@needs_tmux
def test_a_first_session_in_plain_mode_asks_grouped_questions_and_stops_on_the_key(
    pane: Callable[..., Pane], home: Path
) -> None:
    """The grouped screen (one answer a list) and --plain with the sharp-pain key, for real."""
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--plain")
    p.answer(YES_NO, 1, "n")  # the signs that need a doctor now, as one list
    p.answer(YES_NO, 2, "n")  # the signs that need a doctor within 48 hours
    p.answer(YES_NO, 3, "n")  # the health conditions
    p.answer("Which side is your sciatica on?", 1, "right")
    p.answer(SCORES, 1, "one")
    p.answer("How bad is your pain right now?", 1, "3")
    p.answer("press Enter to begin", 1, "")
    history = p.wait_history(lambda h: "Get into position: Glute ball, right side" in h, "a step")
    assert "Keys: space pause, n next, b back, q quit, ! or x sharp pain: stop now." in history
    assert p.flag("alternate_on") == "0"  # plain lines, no live screen
    p.type("!")
    p.answer("How bad is your pain now?", 1, "4")
    p.answer(YES_NO, 4, "n")  # the emergency signs again, as one list
    assert p.exit_code() == 3
    p.assert_terminal_restored()
    history = p.history()
    assert "Stopped for sharp pain." in history
    assert "Come off the ball or roller slowly." in history
    assert history.count(YES_NO) == 4
    session = only_session(home)
    assert (session["status"], session["stop_reason"], session["pain_after"]) == (
        "stopped",
        "sharp pain",
        4,
    )


@needs_tmux
def test_leg_pain_and_back_pain_are_asked_apart_in_a_terminal(
    pane: Callable[..., Pane], home: Path
) -> None:
    """Two pain scores chosen once: leg then back before, and both again after a stop."""
    write_routine(home, "three", THREE)
    screened(home, pain_scores=None)
    p = pane("routine", "start", "three", "--plain")
    p.answer(SCORES, 1, "t")  # the first letter will do
    p.answer("How bad is your leg pain right now?", 1, "6")
    p.answer("How bad is your back pain right now?", 1, "3")
    p.answer("press Enter to begin", 1, "")
    p.wait_history(lambda h: "Get into position: Glute ball, right side" in h, "a step")
    p.type("!")
    p.answer("How bad is your leg pain now?", 1, "6")
    p.answer("How bad is your back pain now?", 1, "5")
    p.answer(YES_NO, 1, "n")  # the emergency signs, as one list
    assert p.exit_code() == 3
    p.assert_terminal_restored()
    history = p.history()
    assert "Your leg pain is 6 out of 10: go gently today." in history
    assert "Pain scores: two. To change it: sciatica safety scores one|two" in history
    session = only_session(home)
    assert (session["pain_scores"], session["pain_before"], session["back_before"]) == ("two", 6, 3)
    assert (session["pain_after"], session["back_after"]) == (6, 5)


@pytest.mark.parametrize(
    ("closed", "args", "code"),
    [
        (0, ["routine", "start", "warm-up", "--speed", "1000"], 0),
        (1, ["routine", "start", "warm-up", "--speed", "1000"], 0),
        (0, ["checkin"], 2),
        (0, ["safety", "screen"], 2),
        (0, ["routine", "start", "warm-up"], 3),  # no one to answer the screen
    ],
)
def test_a_closed_standard_stream_is_no_terminal_never_a_bug(
    closed: int, args: list[str], code: int
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sciatica_cli", *args],
        capture_output=closed != 1,
        stdin=subprocess.DEVNULL if closed != 0 else None,
        preexec_fn=lambda: os.close(closed),
        cwd=REPO,
        env=dict(os.environ),
        timeout=60,
        check=False,
    )
    assert done.returncode == code
    assert "This is a bug" not in (done.stderr or b"").decode()


@needs_tmux
def test_a_terminal_that_cannot_draw_gets_plain_lines_with_working_keys(
    pane: Callable[..., Pane], home: Path
) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20", term="dumb")
    history = p.wait_history(lambda h: "Keys: space pause" in h, "plain lines with the keys")
    assert "cannot draw the live screen (TERM=dumb): plain lines instead" in history
    assert p.flag("alternate_on") == "0"
    p.type("q")
    p.wait_history(lambda h: "Stop the session?" in h, "the quit question")
    p.type("y")
    assert p.exit_code() == 1
    p.assert_terminal_restored()


def _process_state(pid: int) -> str:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2]


@needs_tmux
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_ctrl_z_gives_the_terminal_back_and_fg_comes_back_paused(
    pane: Callable[..., Pane], home: Path
) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20")
    p.wait_live()
    pid = p.python_pid()
    p.keys("C-z")
    wait_until(lambda: _process_state(pid) == "T", 10, "the process to stop")
    assert p.flag("alternate_on") == "0", "the alternate screen is still on while stopped"
    assert p.flag("cursor_flag") == "1", "the cursor is hidden while stopped"
    time.sleep(0.5)  # 10 routine seconds at x20: not counted as exercise
    os.kill(pid, signal.SIGCONT)  # what 'fg' does (this pane's shell has no job control)
    paused = p.wait_screen(lambda s: "Paused · space to carry on" in s, "the paused screen")
    assert p.flag("alternate_on") == "1"
    p.keys("Space")  # the keys answer again: raw mode is back
    p.wait_screen(lambda s: "Paused" not in s and LEGEND in s, "the session carrying on")
    p.keys("q")
    p.wait_screen(lambda s: "Stop the session? y / n" in s, "the quit question")
    p.keys("y")
    assert p.exit_code() == 1
    p.assert_terminal_restored()
    assert paused


@needs_tmux
def test_closing_the_terminal_records_the_session_as_interrupted(
    pane: Callable[..., Pane], home: Path
) -> None:
    """Kill the tmux server, as closing a terminal window does: SIGHUP, then a dead tty."""
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "20")
    p.wait_live()
    pid = p.python_pid()
    time.sleep(0.5)  # ten routine seconds done
    p.close()
    wait_until(lambda: not Path(f"/proc/{pid}").exists(), 10, "sciatica to end")
    session = wait_until(
        lambda: (s := only_session(home))["status"] != "running" and s, 10, "the record"
    )
    assert (session["status"], session["stop_reason"]) == ("interrupted", "the terminal closed")
    assert session["done_seconds"] > 0


@needs_tmux
def test_a_held_key_never_stops_the_countdown_or_the_other_keys(
    pane: Callable[..., Pane], home: Path
) -> None:
    write_routine(home, "three", THREE)
    p = pane("routine", "start", "three", "--speed", "5")
    first = p.wait_live()
    for _ in range(6):  # a key held down: autorepeat sends it again and again
        p.keys(*["z"] * 25)
        time.sleep(0.1)
    later = p.screen()
    assert later != first, "the countdown stopped moving while the key was held"
    p.keys("q")
    p.wait_screen(lambda s: "Stop the session? y / n" in s, "the quit question")
    p.keys("y")
    assert p.exit_code() == 1
    p.assert_terminal_restored()
