"""Nothing lost when the journal cannot be written: locked, full, read-only.

A session's records go to the pending file while the journal refuses them, and the next
command that opens the journal merges them: one whole session, with its real times. Readers
that cannot merge yet say so in one line and show what the journal holds.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sciatica_cli.journal import migrations, pending, replay
from sciatica_cli.journal.durable import DurableWriter
from sciatica_cli.journal.pending import PendingError, PendingLog, pending_path
from sciatica_cli.journal.replay import new_uid
from sciatica_cli.journal.store import SessionStore
from tests.conftest import Run
from tests.test_journal_pending import T0, at, whole_session

WAITING = (
    "Note: 6 records are waiting to be written to the journal, which cannot be written just"
    " now; they are kept and added as soon as it can be.\n"
)


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock held by another program is given up on at once, not after 5 seconds."""
    monkeypatch.setattr(migrations, "BUSY_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(replay, "READER_WAIT_SECONDS", 0.05)


@pytest.fixture
def journal(home: Path) -> Path:
    path = home / "journal.db"
    SessionStore.open(path).close()
    return path


@pytest.fixture
def log(journal: Path) -> PendingLog:
    return PendingLog(pending_path(journal))


@pytest.fixture
def locked(journal: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding the journal's write lock until the test lets go."""
    with closing(sqlite3.connect(journal, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        yield holder
        if holder.in_transaction:
            holder.execute("ROLLBACK")


class Refusing(sqlite3.Connection):
    """A connection whose writes fail with ``failure`` (a full disk, a read-only file)."""

    failure: str | None = None

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if Refusing.failure and sql == "BEGIN IMMEDIATE":
            raise sqlite3.OperationalError(Refusing.failure)
        return super().execute(sql, *args)


@pytest.fixture
def refuse(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``refuse("database or disk is full")``: from now on the journal takes no writes."""
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, factory=Refusing, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)

    def set_failure(message: str | None) -> None:
        Refusing.failure = message

    yield set_failure
    Refusing.failure = None


def history_json(run: Run) -> list[dict[str, Any]]:
    import json

    result = run("history", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def assert_whole(session: dict[str, Any]) -> None:
    """The session of ``whole_session``, every part of it, with the times it really had."""
    assert (session["status"], session["stop_reason"]) == ("stopped", "sharp pain")
    assert datetime.fromisoformat(session["started_at"]) == T0
    assert datetime.fromisoformat(session["ended_at"]) == at(56)
    assert (session["pain_before"], session["pain_after"]) == (6, 7)
    assert session["note"] == "Sharp in the left calf."
    assert session["done_seconds"] == 55.0


def test_a_session_played_while_the_journal_was_locked_is_whole_after_the_next_command(
    run: Run, journal: Path, log: PendingLog, locked: sqlite3.Connection
) -> None:
    writer = DurableWriter.open(journal)
    assert writer.store is None
    assert writer.problem is not None and "database is locked" in writer.problem
    assert [writer.write(r) for r in whole_session(new_uid())] == [False] * 6
    assert log.count() == 6

    for command in (("history",), ("history", "stats")):
        result = run(*command)  # still locked: the journal as it is, and one line about the rest
        assert result.exit_code == 0, result.output
        assert result.stderr == WAITING
        assert "Your journal is empty" in result.stdout
    assert log.count() == 6

    locked.execute("ROLLBACK")
    [session] = history_json(run)
    assert_whole(session)
    assert not log.path.exists()


def test_a_lock_taken_mid_session_sends_the_rest_of_it_to_the_pending_file_in_order(
    journal: Path, log: PendingLog
) -> None:
    start, first, *rest = whole_session(new_uid())
    writer = DurableWriter.open(journal)
    assert writer.write(start) is True
    with closing(sqlite3.connect(journal, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        assert writer.write(first) is False
        holder.execute("ROLLBACK")
    # Free again, but the session's next records follow the first one that waits.
    assert [writer.write(r) for r in rest] == [False] * 4
    assert writer.problem is not None and "locked" in writer.problem

    merged = writer.settle()  # at the end of the session
    assert (merged.applied, merged.waiting, merged.problem) == (5, 0, None)
    assert writer.store is not None
    [session] = writer.store.sessions()
    assert (session.status, session.ended_at, session.pain_after) == ("stopped", at(56), 7)
    assert [s.outcome for s in writer.store.segments(session.id)] == ["done", "stopped", None]
    writer.close()
    assert not log.path.exists()


@pytest.mark.parametrize(
    "failure", ["database or disk is full", "attempt to write a readonly database"]
)
def test_a_full_or_read_only_journal_keeps_the_session_until_it_can_be_written(
    run: Run, journal: Path, log: PendingLog, refuse: Any, failure: str
) -> None:
    refuse(failure)
    writer = DurableWriter.open(journal)
    assert writer.problem is not None and failure in writer.problem
    assert not any(writer.write(r) for r in whole_session(new_uid()))
    writer.close()

    result = run("history")
    assert (result.exit_code, result.stderr) == (0, WAITING)
    noted = run("history", "note", "hello")  # a write the person asked for: a clear error
    assert noted.exit_code == 1
    assert noted.stderr == f"Error: Cannot write the journal {journal}: {failure}.\n"
    assert log.count() == 6

    refuse(None)  # space freed, permissions fixed
    [session] = history_json(run)
    assert_whole(session)
    assert not log.path.exists()


def test_a_journal_failing_mid_session_keeps_the_rest_of_it(
    journal: Path, log: PendingLog, refuse: Any
) -> None:
    start, *rest = whole_session(new_uid())
    writer = DurableWriter.open(journal)
    assert writer.write(start)
    refuse("database or disk is full")
    assert not any(writer.write(r) for r in rest)
    assert writer.settle().waiting == 5
    refuse(None)
    assert writer.settle().applied == 5
    assert writer.store is not None
    [session] = writer.store.sessions()
    assert (session.status, session.note) == ("stopped", "Sharp in the left calf.")
    writer.close()


def test_with_nowhere_to_write_the_record_the_writer_says_so(
    journal: Path, log: PendingLog, refuse: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse("database or disk is full")

    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pending.os, "write", full)
    writer = DurableWriter.open(journal)
    with pytest.raises(PendingError) as caught:
        writer.write(whole_session(new_uid())[0])
    assert caught.value.message == (
        f"Cannot write the pending journal file {log.path}: No space left on device."
    )
    assert log.read() == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_a_read_only_folder_takes_neither_and_the_writer_says_so(
    journal: Path, log: PendingLog
) -> None:
    journal.parent.chmod(0o555)
    try:
        writer = DurableWriter.open(journal)
        assert writer.store is None
        with pytest.raises(PendingError, match="Permission denied"):
            writer.write(whole_session(new_uid())[0])
    finally:
        journal.parent.chmod(0o755)


def test_a_note_while_the_journal_is_locked_is_one_clear_error(
    run: Run, journal: Path, locked: sqlite3.Connection
) -> None:
    result = run("history", "note", "hello")
    assert result.exit_code == 1
    assert result.stderr == f"Error: Cannot write the journal {journal}: database is locked.\n"


@pytest.fixture
def noon(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Local midnight today, in a zone where it is now about noon (see test_history)."""
    now = datetime.now(timezone.utc)
    offset = (12 - now.hour) % 24
    offset -= 24 if offset > 12 else 0
    monkeypatch.setenv("TZ", f"MID{-offset:+d}")
    time.tzset()
    zone = timezone(timedelta(hours=offset))
    yield datetime.combine(now.astimezone(zone).date(), datetime.min.time(), zone)
    monkeypatch.undo()
    time.tzset()


def test_checkin_merges_first_so_a_session_kept_in_the_pending_file_counts(
    run: Run, journal: Path, log: PendingLog, noon: datetime
) -> None:
    start = noon - timedelta(hours=5)
    uid = new_uid()
    log.append(
        replay.start_op(
            uid, routine="glute-ball", title="Glute ball", options={}, planned_seconds=60.0,
            preview=False, segments=[], pain_before=6, started_at=start,
        )
    )  # fmt: skip
    log.append(replay.finish_op(uid, status="completed", stop_reason=None, ended_at=start))
    result = run("checkin", "--pain", "3")
    assert result.exit_code == 0, result.output
    assert "Morning pain 3 logged for glute-ball" in result.stdout
    assert "before yesterday evening's glute-ball session it was 6" in result.stdout
    assert not log.path.exists()


def test_a_waiting_record_whose_session_is_gone_is_kept_apart_and_said_once(
    run: Run, journal: Path, log: PendingLog
) -> None:
    log.append(replay.note_op("a-session-the-old-journal-had", "lost?", at=T0))
    result = run("history")
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: 1 waiting record could not be added to the journal, as its session is not in it;"
        " kept apart.\n"
    )
    assert not log.path.exists()
    assert run("history").stderr == ""
