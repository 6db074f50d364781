"""Faults while a session is recorded: every journal write fails in turn (an error, a lock held
too long, a full disk). The session must keep time and answer its keys, say so on the screen
and on stderr, and the next command must find the whole session in the journal."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sciatica_cli.journal import migrations
from sciatica_cli.journal.migrations import StoreError
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.session.recorder import Recorder

from .conftest import THREE, Run
from .fakes import screened
from .test_session_flow import start

WRITES = ("start_session", "record_segment", "finish_session", "set_pain", "set_note")
FAULTS = {
    "error": "disk I/O error",
    "locked": "database is locked",
    "full": "database or disk is full",
}
# Pain before 4 (asked), Enter to begin, pain after 2 and a note.
ANSWERS = ["4", "", "2", "It went fine"]


@pytest.fixture(autouse=True)
def three(user_routines: Path, home: Path) -> None:
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")
    screened(home)


def failing(method: str, fault: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make every call of ``SessionStore.method`` on the writer's thread fail with ``fault``
    until the returned function is called."""
    real = getattr(SessionStore, method)
    broken = threading.Event()
    broken.set()

    def wrapper(self: SessionStore, *args: Any, **kwargs: Any) -> Any:
        if broken.is_set() and threading.current_thread().name == "sciatica-journal":
            raise StoreError(f"Cannot write the journal {self.path}: {FAULTS[fault]}.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SessionStore, method, wrapper)
    return broken.clear


# Every write fails in turn, and each kind of fault fails at least one of them.
@pytest.mark.parametrize(
    ("method", "fault"),
    list(zip(WRITES, ["error", "locked", "full", "error", "locked"], strict=True)),
)
def test_a_failing_journal_write_loses_nothing_and_never_stalls_the_session(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path, method: str, fault: str
) -> None:
    mend = failing(method, fault, monkeypatch)
    keys = [(30, "space"), (50, "space")]  # a pause: the keys still answer
    code, printed, driven = start(run, monkeypatch, "three", keys=keys, answers=ANSWERS)
    mend()

    assert code == 0
    assert "Paused · space to carry on" in driven.frames
    if method in ("start_session", "record_segment"):  # during the countdown: on the screen
        assert "cannot be written just now" in driven.frames
    assert "Warning: the journal cannot be written just now" in printed  # and on stderr after
    assert FAULTS[fault] in printed
    assert (home / "journal.pending.jsonl").exists()

    history = run("history", "--json")  # the next command merges what was kept aside
    assert history.exit_code == 0
    (session,) = json.loads(history.stdout)
    assert session["status"] == "completed"
    assert (session["pain_before"], session["pain_after"]) == (4, 2)
    assert session["note"] == "It went fine"
    assert session["done_seconds"] == pytest.approx(189)  # the countdown kept time
    assert not (home / "journal.pending.jsonl").exists()


def test_a_journal_locked_by_another_program_never_stalls_the_countdown(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setattr(migrations, "BUSY_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(home / "journal.db", timeout=1, isolation_level=None)
    real_begin = Recorder.begin

    def locked_begin(self: Recorder, *args: Any, **kwargs: Any) -> None:
        # Another program takes the lock as the countdown begins, and holds it to the end.
        holder.execute("BEGIN EXCLUSIVE")
        real_begin(self, *args, **kwargs)

    monkeypatch.setattr(Recorder, "begin", locked_begin)
    try:
        code, printed, driven = start(run, monkeypatch, "three", answers=ANSWERS)
        waits = driven.keys.waits if driven.keys is not None else []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 0
    assert "cannot be written just now" in driven.frames
    assert "cannot be written just now" in printed
    assert max(waits) <= 1.0  # the loop never waited on the disk
    (session,) = json.loads(run("history", "--json").stdout)
    assert (session["status"], session["note"]) == ("completed", "It went fine")


def test_a_full_disk_holds_the_records_until_space_is_freed(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    """Neither the journal nor the pending file can be written (one full disk): the session
    keeps its records, says to free space, and saves them once it is freed."""
    from sciatica_cli.journal.pending import PendingError, PendingLog

    mend_store = failing("start_session", "full", monkeypatch)
    real_append = PendingLog.append
    full = threading.Event()
    full.set()

    def append(self: PendingLog, record: Any) -> Any:
        if full.is_set():
            raise PendingError(f"Cannot write the pending journal file {self.path}: disk full.")
        return real_append(self, record)

    monkeypatch.setattr(PendingLog, "append", append)

    def free_space() -> None:
        mend_store()
        full.clear()

    timer = threading.Timer(0.5, free_space)  # space is freed while the session is saving
    timer.start()
    try:
        code, printed, _ = start(run, monkeypatch, "three", answers=ANSWERS)
    finally:
        timer.cancel()
    assert code == 0
    assert "free some disk space" in printed
    (session,) = json.loads(run("history", "--json").stdout)
    assert (session["status"], session["pain_after"], session["note"]) == (
        "completed",
        2,
        "It went fine",
    )
