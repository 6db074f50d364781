"""The pending file keeps what the journal could not take, and a merge adds it exactly once.

Lines are appended whole and fsynced; a line a crash cut short is skipped; a merge applies every
record in one transaction and removes them only after the commit, so ``kill -9`` at any moment
leaves a journal that passes its integrity check and a pending file that reads back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal import pending
from sciatica_cli.journal.migrations import StoreError
from sciatica_cli.journal.pending import PendingError, PendingLog, pending_path
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.replay import (
    finish_op,
    merge_pending,
    new_uid,
    note_op,
    pain_op,
    segment_op,
    start_op,
)
from sciatica_cli.journal.store import SessionStore

T0 = datetime(2026, 11, 24, 8, 45, 0, 123456, tzinfo=timezone.utc)
LATER = T0 + timedelta(days=2)  # when merges happen: never the times a session keeps


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.db"
    path.parent.mkdir()
    return path


@pytest.fixture
def log(journal: Path) -> PendingLog:
    return PendingLog(pending_path(journal))


def plan() -> list[PlannedSegment]:
    return [
        PlannedSegment(0, "setup", "Get on the ball", 1, "left", "glutes", 15.0),
        PlannedSegment(1, "step", "Glute ball", 1, "left", "glutes", 90.0),
        PlannedSegment(2, "rest", "Rest", 1, None, None, 30.0),
    ]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def whole_session(uid: str) -> list[dict[str, Any]]:
    """Every record of one session, stopped for sharp pain in its second segment."""
    return [
        start_op(
            uid, routine="glute-ball", title="Glute ball", options={"minutes": 5, "side": "left"},
            planned_seconds=135.0, preview=False, segments=plan(), pain_before=6, started_at=T0,
            pid=1, host="elsewhere",
        ),
        segment_op(uid, 0, outcome="done", done_seconds=15.0, started_at=at(0), ended_at=at(15)),
        segment_op(
            uid, 1, outcome="stopped", done_seconds=40.0, started_at=at(15), ended_at=at(55)
        ),
        finish_op(uid, status="stopped", stop_reason="sharp pain", ended_at=at(56)),
        pain_op(uid, after=7, at=at(70)),
        note_op(uid, "Sharp in the left calf.", at=at(90)),
    ]  # fmt: skip


def open_at(journal: Path, **kwargs: Any) -> SessionStore:
    return SessionStore.open(journal, now=lambda: LATER, **kwargs)


def rows(journal: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(journal)) as raw:
        return raw.execute(sql).fetchall()


def integrity(journal: Path) -> str:
    return str(rows(journal, "PRAGMA integrity_check")[0][0])


# -- the file ------------------------------------------------------------------------------------


def test_records_read_back_in_order_with_a_format_and_an_id_each(log: PendingLog) -> None:
    first = log.append({"op": "note", "session": "s1", "text": "one\ntwo"})
    second = log.append({"op": "note", "session": "s1", "text": "ünïcode \x1b"})
    assert log.read() == [first, second]
    assert first["v"] == second["v"] == pending.FORMAT
    assert first["id"] != second["id"]
    assert log.path.name == "journal.pending.jsonl"
    assert log.path.read_bytes().count(b"\n") == 2  # one line each, newlines in text escaped


def test_an_append_is_fsynced_before_it_returns(
    log: PendingLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(pending.os, "fsync", fsync)
    log.append({"op": "note", "session": "s1", "text": "x"})
    assert len(synced) == 2  # the file, then (a new file) its folder


def test_a_half_written_last_line_is_ignored_and_the_next_append_stays_whole(
    log: PendingLog,
) -> None:
    kept = log.append({"op": "note", "session": "s1", "text": "kept"})
    with log.path.open("ab") as handle:
        handle.write(b'{"v":1,"id":"cut","op":"note","session":"s1","te')  # kill -9 here
    assert log.read() == [kept]
    after = log.append({"op": "note", "session": "s1", "text": "after"})
    assert log.read() == [kept, after]


def test_a_damaged_line_is_skipped_and_the_rest_read(log: PendingLog) -> None:
    first = log.append({"op": "note", "session": "s1", "text": "1"})
    with log.path.open("ab") as handle:
        handle.write(b'\xff\xfe not json\n[1, 2]\n{"no": "id"}\n')
    last = log.append({"op": "note", "session": "s1", "text": "2"})
    assert log.read() == [first, last]
    assert log.count() == 2


def test_no_file_means_no_records(log: PendingLog) -> None:
    assert log.read() == []
    assert log.count() == 0
    assert not log.path.exists()


def test_a_record_needs_an_op(log: PendingLog) -> None:
    with pytest.raises(ValueError, match="needs an 'op'"):
        log.append({"session": "s1"})
    assert not log.path.exists()


def test_a_full_disk_mid_append_leaves_no_half_line(
    log: PendingLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = log.append({"op": "note", "session": "s1", "text": "kept"})
    before = log.path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 10:
            real_write(fd, bytes(data[:10]))
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(pending.os, "write", half_then_full)
    with pytest.raises(PendingError, match="No space left on device") as caught:
        log.append({"op": "note", "session": "s1", "text": "lost"})
    assert str(log.path) in caught.value.message
    assert isinstance(caught.value, SciaticaError)
    assert log.path.read_bytes() == before
    monkeypatch.undo()
    assert log.read() == [kept]


def test_an_append_waits_while_a_merge_holds_the_file(log: PendingLog) -> None:
    log.append({"op": "note", "session": "s1", "text": "taken"})
    written: list[dict[str, Any]] = []
    with log.taken() as taken:
        assert [r["text"] for r in taken.records] == ["taken"]
        writer = threading.Thread(
            target=lambda: written.append(
                log.append({"op": "note", "session": "s1", "text": "new"})
            )
        )
        writer.start()
        time.sleep(0.1)
        assert writer.is_alive() and written == []  # blocked on the lock
        taken.clear()
    writer.join(timeout=10)
    assert log.read() == written  # in a new file, not lost with the old one


def test_clearing_keeps_only_the_lines_of_a_later_format(log: PendingLog) -> None:
    log.append({"op": "note", "session": "s1", "text": "mine"})
    later = log.append({"v": pending.FORMAT + 1, "op": "future", "session": "s1"})
    with log.taken() as taken:
        assert [r["op"] for r in taken.records] == ["note"]
        taken.clear()
    assert log.read() == [later]


# -- merging -------------------------------------------------------------------------------------


def test_a_session_only_in_the_pending_file_merges_as_one_complete_session(
    journal: Path, log: PendingLog
) -> None:
    uid = new_uid()
    for record in whole_session(uid):
        log.append(record)

    with open_at(journal) as store:
        assert (store.merged.applied, store.merged.rejected, store.merged.waiting) == (6, 0, 0)
        [session] = store.sessions()
        segments = store.segments(session.id)

    assert not log.path.exists()
    assert session.uid == uid
    assert (session.status, session.stop_reason) == ("stopped", "sharp pain")
    assert (session.started_at, session.ended_at) == (T0, at(56))  # the real times
    assert (session.pain_before, session.pain_after) == (6, 7)
    assert session.note == "Sharp in the left calf."
    assert (session.pid, session.host, session.done_seconds) == (1, "elsewhere", 55.0)
    assert session.options == {"minutes": 5, "side": "left"}
    assert [(s.outcome, s.started_at, s.ended_at) for s in segments] == [
        ("done", at(0), at(15)),
        ("stopped", at(15), at(55)),
        (None, None, None),
    ]


def test_records_already_merged_are_not_applied_again(journal: Path, log: PendingLog) -> None:
    records = [log.append(r) for r in whole_session(new_uid())]
    open_at(journal).close()
    # A crash between the commit and the file's removal: the same lines are there again.
    for record in records:
        log.append(record)
    with open_at(journal) as store:
        assert (store.merged.applied, store.merged.rejected) == (0, 0)
        [session] = store.sessions()
        assert session.pain_after == 7
    assert not log.path.exists()
    assert rows(journal, "SELECT count(*) FROM pending_merges") == [(6,)]


def test_a_start_whose_session_is_in_the_journal_adds_nothing(
    journal: Path, log: PendingLog
) -> None:
    uid = new_uid()
    start = whole_session(uid)[0]
    with open_at(journal) as store:
        store.start_session(
            routine="glute-ball", title="Glute ball", options={}, planned_seconds=135.0,
            preview=False, segments=plan(), pain_before=6, started_at=T0, uid=uid,
        )  # fmt: skip
    log.append(start)  # written again under a new record id
    with open_at(journal) as store:
        assert store.merged.applied == 1
        assert len(store.sessions()) == 1


def test_later_records_of_a_session_begun_in_the_journal_join_its_row(
    journal: Path, log: PendingLog
) -> None:
    uid = new_uid()
    _, *rest = whole_session(uid)
    with open_at(journal) as store:
        session_id = store.start_session(
            routine="glute-ball", title="Glute ball", options={}, planned_seconds=135.0,
            preview=False, segments=plan(), pain_before=6, started_at=T0, uid=uid,
        )  # fmt: skip
    for record in rest:
        log.append(record)
    with open_at(journal) as store:
        session = store.session(session_id)
        assert (session.status, session.ended_at, session.note) == (
            "stopped", at(56), "Sharp in the left calf.",
        )  # fmt: skip
        assert [s.outcome for s in store.segments(session_id)] == ["done", "stopped", None]


def test_a_record_whose_session_is_not_in_the_journal_is_kept_apart(
    journal: Path, log: PendingLog
) -> None:
    stray = log.append(note_op("no-such-session", "lost?", at=T0))
    for record in whole_session(new_uid()):
        log.append(record)
    log.append({"op": "teleport", "session": "x"})
    with open_at(journal) as store:
        assert (store.merged.applied, store.merged.rejected) == (6, 2)
        assert len(store.sessions()) == 1
    assert not log.path.exists()
    refused = dict(
        rows(journal, "SELECT record_id, detail FROM pending_merges WHERE outcome = 'rejected'")
    )
    assert "not in this journal" in refused[stray["id"]]
    assert json.dumps(stray) in refused[stray["id"]]  # the record itself is kept


def test_a_merge_interrupted_before_its_commit_leaves_both_as_they_were(
    journal: Path, log: PendingLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    for record in whole_session(new_uid()):
        log.append(record)
    content = log.path.read_bytes()
    store = open_at(journal, merge=False)
    real_mark = store.mark_merged
    marked: list[str] = []

    def crash_at_the_fourth(record_id: str, **kwargs: Any) -> None:
        if len(marked) == 3:
            raise KeyboardInterrupt  # as good as kill -9 for the transaction
        marked.append(record_id)
        real_mark(record_id, **kwargs)

    monkeypatch.setattr(store, "mark_merged", crash_at_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        merge_pending(store, log)
    assert store.sessions() == []
    store.close()
    assert log.path.read_bytes() == content
    assert rows(journal, "SELECT count(*) FROM pending_merges") == [(0,)]

    with open_at(journal) as again:
        assert again.merged.applied == 6
        assert len(again.sessions()) == 1
    assert not log.path.exists()


def test_a_journal_that_cannot_be_written_leaves_the_file_for_later(
    journal: Path, log: PendingLog
) -> None:
    for record in whole_session(new_uid()):
        log.append(record)
    content = log.path.read_bytes()
    open_at(journal, merge=False).close()
    with closing(sqlite3.connect(journal, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        with open_at(journal, reading=True) as store:
            assert store.merged.waiting == 6
            assert store.merged.problem is not None and "locked" in store.merged.problem
            assert store.sessions() == []  # reading still works
        holder.execute("ROLLBACK")
    assert log.path.read_bytes() == content
    store = open_at(journal, merge=False)
    with closing(sqlite3.connect(journal, isolation_level=None)) as holder, store:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError, match="locked"):
            merge_pending(store, log, wait=0.05)  # called directly, the failure is raised
    assert log.path.read_bytes() == content


# -- kill -9 -------------------------------------------------------------------------------------

APPENDER = """
import sys
from pathlib import Path
from sciatica_cli.journal.pending import PendingLog
from sciatica_cli.journal.replay import note_op

log = PendingLog(Path(sys.argv[1]))
text = "x" * 3000  # long lines, so a kill lands mid-line now and then
for n in range(1_000_000):
    log.append(note_op("s", f"{n} {text}"))
    if n == 20:
        print("going", flush=True)
"""

MERGER = """
import sys
from pathlib import Path
from sciatica_cli.journal.pending import PendingLog, pending_path
from sciatica_cli.journal.replay import merge_pending
from sciatica_cli.journal.store import SessionStore

journal = Path(sys.argv[1])
store = SessionStore.open(journal, merge=False)
real_mark = store.mark_merged
count = 0

def mark(record_id, **kwargs):
    global count
    real_mark(record_id, **kwargs)
    count += 1
    if count == 5:  # every record applied and all but one marked: hold here, uncommitted
        print("holding", flush=True)
        sys.stdin.readline()

store.mark_merged = mark
merge_pending(store, PendingLog(pending_path(journal)))
print("committed", flush=True)
"""


def child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdout is not None
    got = process.stdout.readline().strip()
    if got != line:
        _, error = process.communicate(timeout=60)
        pytest.fail(f"the child said {got!r}, not {line!r}:\n{error}")


def test_kill_9_while_appending_leaves_a_file_that_reads_back(log: PendingLog) -> None:
    with child(APPENDER, str(log.path)) as appender:
        wait_for(appender, "going")
        appender.kill()
        appender.wait(timeout=60)
    records = log.read()
    assert len(records) > 20
    assert [int(r["text"].split()[0]) for r in records] == list(range(len(records)))
    log.append(note_op("s", "after the crash"))
    assert log.read()[-1]["text"] == "after the crash"
    assert len(log.read()) == len(records) + 1


def test_kill_9_during_a_merge_leaves_both_as_they_were_and_the_next_merge_applies_once(
    journal: Path, log: PendingLog
) -> None:
    for record in whole_session(new_uid()):
        log.append(record)
    content = log.path.read_bytes()
    with child(MERGER, str(journal)) as merger:
        wait_for(merger, "holding")
        merger.kill()  # SIGKILL with the merge's transaction open
        merger.wait(timeout=60)

    assert integrity(journal) == "ok"
    assert log.path.read_bytes() == content
    assert rows(journal, "SELECT count(*) FROM sessions") == [(0,)]
    with open_at(journal) as store:
        assert store.merged.applied == 6
        [session] = store.sessions()
        assert len(store.segments(session.id)) == 3
    assert not log.path.exists()
    assert integrity(journal) == "ok"
