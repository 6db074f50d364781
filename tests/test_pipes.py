"""When the reader of sciatica's output leaves (``sciatica | head -1``): the shell's code for
SIGPIPE, 141, no traceback and no message, before a session as during one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import screened

REPO = Path(__file__).resolve().parents[1]


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run sciatica with stdout a pipe whose reader has already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "sciatica_cli", *args],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            cwd=REPO,
            env=dict(os.environ),
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="today"),
        pytest.param(("routine", "list"), id="routine-list"),
        pytest.param(("history", "stats"), id="history-stats"),
    ],
)
def test_a_reader_that_left_gives_141_and_no_traceback(home: Path, args: tuple[str, ...]) -> None:
    result = run_into_a_closed_pipe(*args)
    assert result.returncode == 141, result.stderr
    assert "Traceback" not in result.stderr
    assert "Error" not in result.stderr


def test_a_session_whose_reader_left_before_it_began_does_not_start(home: Path) -> None:
    # The questions and notes before the countdown are printed: with nobody reading, 141, and
    # the session never begins, so nothing is recorded as a session done.
    screened(home)
    result = run_into_a_closed_pipe("routine", "start", "glute-ball", "--pain-before", "3")
    assert result.returncode == 141, result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(home / "journal.db") as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
