"""The journal keeps sessions, pain and screens through crashes, concurrency and bad files."""

from __future__ import annotations

import os
import random
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sciatica_cli import paths
from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal import migrations
from sciatica_cli.journal.migrations import StoreError
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.stats import is_held, is_real
from sciatica_cli.journal.store import SessionNotFound, SessionStore
from sciatica_cli.safety.pain import rose_by_two

T0 = datetime(2026, 11, 24, 8, 45, 0, 123456, tzinfo=timezone.utc)
CET = timezone(timedelta(hours=1))
SECOND = timedelta(seconds=1)


class Clock:
    """A ``now`` the test moves by hand."""

    def __init__(self) -> None:
        self.time = T0

    def __call__(self) -> datetime:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += timedelta(seconds=seconds)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.db"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(journal: Path, clock: Clock) -> Iterator[SessionStore]:
    with SessionStore.open(journal, now=clock) as opened:
        yield opened


def glute_plan() -> list[PlannedSegment]:
    return [
        PlannedSegment(0, "setup", "Get on the ball", 1, "left", "glutes", 15.0),
        PlannedSegment(1, "step", "Glute ball", 1, "left", "glutes", 90.0),
        PlannedSegment(2, "switch", "Switch sides", 1, "right", "glutes", 15.0),
        PlannedSegment(3, "step", "Glute ball", 1, "right", "glutes", 90.0),
        PlannedSegment(4, "rest", "Rest", 1, None, None, 30.0),
    ]


def start(db: SessionStore, *, preview: bool = False, pain_before: int | None = 5) -> int:
    return db.start_session(
        routine="glute-ball",
        title="Glute ball",
        options={"minutes": 5, "side": "left", "speed": 4 if preview else None, "bell": True},
        planned_seconds=240.0,
        preview=preview,
        segments=glute_plan(),
        pain_before=pain_before,
    )


def record(db: SessionStore, session_id: int, position: int = 0, **changes: object) -> None:
    """``record_segment`` with harmless defaults, so a test names only what it is about."""
    args: dict[str, Any] = {
        "outcome": "done",
        "done_seconds": 1.0,
        "started_at": T0,
        "ended_at": T0,
    } | changes
    db.record_segment(session_id, position, **args)


def begin(db: SessionStore, **changes: object) -> int:
    """``start_session`` with harmless defaults."""
    args: dict[str, Any] = {
        "routine": "r",
        "title": "R",
        "options": {},
        "planned_seconds": 1.0,
        "preview": False,
        "segments": [],
        "pain_before": None,
    } | changes
    return db.start_session(**args)


def pragma(path: Path, name: str) -> object:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(f"PRAGMA {name}").fetchone()[0]


def tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as raw:
        rows = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


# Round trips


def test_session_round_trip_keeps_segments_pain_and_aware_times(
    db: SessionStore, clock: Clock
) -> None:
    session_id = start(db)
    began = datetime(2026, 11, 24, 9, 45, 1, 500, tzinfo=CET)  # 08:45:01.0005 UTC
    record(db, session_id, 0, done_seconds=15.0, started_at=began, ended_at=began + SECOND * 15)
    record(
        db,
        session_id,
        1,
        outcome="skipped",
        done_seconds=20.5,
        started_at=began + SECOND * 15,
        ended_at=began + SECOND * 35.5,
    )
    db.set_pain(session_id, after=3)
    clock.advance(60)
    db.finish_session(session_id, status="stopped", stop_reason="sharp pain")

    session = db.session(session_id)
    assert (session.routine, session.title) == ("glute-ball", "Glute ball")
    assert session.status == "stopped"
    assert session.options == {"minutes": 5, "side": "left", "speed": None, "bell": True}
    assert session.stop_reason == "sharp pain"
    pain = (session.pain_before, session.pain_after)
    assert (*pain, rose_by_two(*pain)) == (5, 3, False)
    assert session.preview is False
    assert (session.planned_seconds, session.done_seconds) == (240.0, 35.5)
    assert session.started_at == T0
    assert session.ended_at == T0 + timedelta(seconds=60)
    assert session.pid == os.getpid()
    assert session.host == socket.gethostname()

    segments = db.segments(session_id)
    assert [(s.position, s.kind, s.side, s.area, s.outcome) for s in segments] == [
        (0, "setup", "left", "glutes", "done"),
        (1, "step", "left", "glutes", "skipped"),
        (2, "switch", "right", "glutes", None),
        (3, "step", "right", "glutes", None),
        (4, "rest", None, None, None),
    ]
    assert segments[1].started_at == began + SECOND * 15
    assert segments[1].ended_at == began + SECOND * 35.5
    assert segments[1].done_seconds == 20.5
    assert (segments[1].title, segments[1].step_number, segments[1].planned_seconds) == (
        "Glute ball",
        1,
        90.0,
    )
    assert segments[2].done_seconds is None
    assert segments[2].started_at is None
    for moment in (session.started_at, session.ended_at, segments[0].started_at):
        assert moment is not None
        assert moment.utcoffset() == timedelta(0)


def test_times_are_stored_as_utc_iso_text_with_offset(db: SessionStore, journal: Path) -> None:
    session_id = start(db)
    record(db, session_id, started_at=datetime(2026, 11, 24, 9, 45, tzinfo=CET))
    with closing(sqlite3.connect(journal)) as raw:
        (started,) = raw.execute("SELECT started_at FROM sessions").fetchone()
        (segment_start,) = raw.execute("SELECT started_at FROM segments LIMIT 1").fetchone()
    assert started == "2026-11-24T08:45:00.123456+00:00"
    assert segment_start == "2026-11-24T08:45:00.000000+00:00"


def test_recording_a_segment_again_replaces_its_result(db: SessionStore) -> None:
    session_id = start(db)
    for done, outcome in ((10.0, "stopped"), (15.0, "done")):
        record(db, session_id, outcome=outcome, done_seconds=done, ended_at=T0 + SECOND * done)
    assert db.segments(session_id)[0].outcome == "done"
    assert db.session(session_id).done_seconds == 15.0


def test_writes_made_late_keep_the_times_they_are_given(db: SessionStore, clock: Clock) -> None:
    clock.advance(3600)  # a retry or a merge an hour later
    session_id = begin(db, started_at=T0, pid=1, host="elsewhere")
    db.finish_session(session_id, status="completed", ended_at=T0 + SECOND * 90)
    session = db.session(session_id)
    assert (session.started_at, session.ended_at) == (T0, T0 + SECOND * 90)
    assert (session.pid, session.host) == (1, "elsewhere")
    later = begin(db)
    db.finish_session(later, status="completed")
    assert db.session(later).started_at == db.session(later).ended_at == T0 + SECOND * 3600


def test_each_session_has_a_uid_its_writer_may_choose(db: SessionStore) -> None:
    chosen = begin(db, uid="my-own-id")
    made = begin(db)
    assert db.session(chosen).uid == "my-own-id"
    assert db.session_id_for("my-own-id") == chosen
    made_uid = db.session(made).uid
    assert made_uid is not None and len(made_uid) == 32 and made_uid != "my-own-id"
    assert db.session_id_for("no-such-id") is None
    with pytest.raises(sqlite3.IntegrityError):
        begin(db, uid="my-own-id")
    assert len(db.sessions()) == 2


def test_a_note_is_added_to_line_by_line_or_replaced(db: SessionStore) -> None:
    session_id = start(db)
    db.set_note(session_id, " first ", append=True)
    db.set_note(session_id, "second", append=True)
    db.set_note(session_id, "   ", append=True)  # nothing to add
    assert db.session(session_id).note == "first\nsecond"
    db.set_note(session_id, "only")
    assert db.session(session_id).note == "only"
    db.set_note(session_id, None)
    assert db.session(session_id).note is None


def test_a_batch_commits_every_change_together_or_none(db: SessionStore) -> None:
    with pytest.raises(KeyboardInterrupt), db.batch():
        begin(db)
        begin(db)
        raise KeyboardInterrupt
    assert db.sessions() == []
    with db.batch(wait=0.01):
        first = begin(db)
        with pytest.raises(ValueError, match="no segment at position 7"):
            record(db, first, 7)  # fails alone; the batch goes on
        begin(db)
    assert len(db.sessions()) == 2
    with pytest.raises(RuntimeError, match="do not nest"), db.batch(), db.batch():
        pass


def test_a_change_that_fails_inside_a_batch_leaves_nothing_of_itself(db: SessionStore) -> None:
    broken = [PlannedSegment(0, "step", "Step", None, None, None, 1.0)]  # type: ignore[arg-type]
    with db.batch():
        begin(db, uid="kept")
        with pytest.raises(sqlite3.IntegrityError):
            begin(db, uid="half", segments=broken)  # its session went in, then its segment failed
    assert [s.uid for s in db.sessions()] == ["kept"]


def test_screen_and_contraindications_round_trip_latest_wins(
    db: SessionStore, clock: Clock
) -> None:
    assert db.last_screen() is None
    assert db.contraindications() is None
    answers = {f"A{n}": False for n in range(1, 9)} | {f"B{n}": n == 3 for n in range(1, 10)}
    first = db.record_screen(answers, result="urgent", assessed=True)
    clock.advance(7 * 24 * 3600)
    second = db.record_screen({"A1": False}, result="clear", assessed=False)
    assert second != first
    screen = db.last_screen()
    assert screen is not None
    assert (screen.id, screen.answers, screen.result, screen.assessed) == (
        second,
        {"A1": False},
        "clear",
        False,
    )
    assert screen.answered_at == T0 + timedelta(days=7)

    db.record_contraindications({"dvt": False, "blood-thinners": True})
    clock.advance(60)
    db.record_contraindications({"dvt": False, "blood-thinners": False})
    latest = db.contraindications()
    assert latest is not None
    assert latest.answers == {"dvt": False, "blood-thinners": False}
    assert latest.answered_at == T0 + timedelta(days=7, seconds=60)


def test_previews_are_left_out_unless_asked_and_newest_comes_first(
    db: SessionStore, clock: Clock
) -> None:
    real = start(db)
    db.finish_session(real, status="completed")
    clock.advance(60)
    preview = start(db, preview=True)
    db.finish_session(preview, status="completed")
    clock.advance(60)
    running = start(db)

    assert [s.id for s in db.sessions()] == [running, real]
    assert [s.id for s in db.sessions(include_previews=True)] == [running, preview, real]
    assert [s.id for s in db.sessions(include_previews=True, limit=2)] == [running, preview]
    assert db.sessions(limit=0) == []
    assert db.session(preview).preview is True
    last = db.last_finished_session()
    assert last is not None and last.id == real
    last = db.last_finished_session(include_previews=True)
    assert last is not None and last.id == preview


def test_real_sessions_are_counted_held_or_not_and_the_first_and_last_found(
    db: SessionStore, clock: Clock
) -> None:
    # The store's "real" is stats.is_real; whether a session was held (half its plan done)
    # is decided only in Python, by stats.is_held, so SQL holds no copy of that rule.
    assert (db.count_real(), db.real_session(), db.real_session(newest=True)) == (0, None, None)
    skipped = start(db, pain_before=None)  # every step skipped: real, but not held
    record(db, skipped, 1, outcome="skipped", done_seconds=4.0)
    db.finish_session(skipped, status="completed")
    clock.advance(60)
    scored = start(db, pain_before=4)
    db.finish_session(scored, status="stopped")
    clock.advance(60)
    db.finish_session(start(db, preview=True), status="completed")
    clock.advance(60)
    start(db)  # still running
    assert db.count_real() == 2
    assert [
        s.id
        for s in (db.real_session(), db.real_session(scored=True), db.real_session(newest=True))
        if s
    ] == [
        skipped,
        scored,
        scored,
    ]
    assert not is_held(db.session(skipped)) and is_real(db.session(skipped))


def test_no_finished_session_yet(db: SessionStore) -> None:
    start(db)
    assert db.last_finished_session() is None


@pytest.mark.parametrize(
    ("before", "after", "rescreen"),
    [(3, 5, True), (3, 4, False), (5, 3, False), (None, 7, False), (0, 10, True)],
)
def test_rescreen_is_needed_when_pain_rose_by_two_or_more(
    db: SessionStore, before: int | None, after: int, rescreen: bool
) -> None:
    session_id = start(db, pain_before=before)
    db.set_pain(session_id, after=after)
    stored = db.session(session_id)
    assert rose_by_two(stored.pain_before, stored.pain_after) is rescreen


def test_set_pain_leaves_a_score_given_as_none_unchanged(db: SessionStore) -> None:
    session_id = start(db, pain_before=None)
    db.set_pain(session_id, before=6)
    db.set_pain(session_id, after=2)
    db.set_pain(session_id)
    session = db.session(session_id)
    assert (session.pain_before, session.pain_after) == (6, 2)


@pytest.mark.parametrize(
    "call",
    [
        lambda db, sid: record(db, sid, outcome="finished"),
        lambda db, sid: record(db, sid, done_seconds=-1),
        lambda db, sid: record(db, sid, done_seconds=float("nan")),
        lambda db, sid: record(db, sid, started_at=T0.replace(tzinfo=None)),
        lambda db, sid: record(db, sid, 99),
        lambda db, sid: db.finish_session(sid, status="running"),
        lambda db, sid: db.finish_session(sid, status="done"),
        lambda db, sid: db.set_pain(sid, before=11),
        lambda db, sid: db.set_pain(sid, after=-1),
        lambda db, sid: db.set_pain(sid, after=True),
        lambda db, sid: db.set_pain(sid, after=2.5),
        lambda db, sid: db.record_screen({"A1": "no"}, result="clear", assessed=False),
        lambda db, sid: db.record_screen({"A1": False}, result="fine", assessed=False),
        lambda db, sid: db.record_contraindications({"dvt": 1}),
        lambda db, sid: db.sessions(limit=-1),
        lambda db, sid: PlannedSegment(0, "nap", "Nap", 1, None, None, 10.0),
        lambda db, sid: PlannedSegment(0, "step", "Step", 1, None, None, -1.0),
        lambda db, sid: begin(db, segments=glute_plan()[:1] * 2),
        lambda db, sid: begin(db, options={"when": T0}),
        lambda db, sid: begin(db, pain_before=12),
        lambda db, sid: begin(db, planned_seconds=float("inf")),
    ],
)
def test_bad_arguments_raise_value_error_and_change_nothing(db: SessionStore, call: object) -> None:
    session_id = start(db)
    before = (db.sessions(include_previews=True), db.segments(session_id), db.last_screen())
    with pytest.raises(ValueError):
        call(db, session_id)  # type: ignore[operator]
    assert (db.sessions(include_previews=True), db.segments(session_id), db.last_screen()) == before


def test_unknown_session_is_a_clear_error(db: SessionStore) -> None:
    for call in (
        lambda: db.session(42),
        lambda: db.segments(42),
        lambda: db.finish_session(42, status="completed"),
        lambda: db.set_pain(42, after=1),
        lambda: record(db, 42),
    ):
        with pytest.raises(SessionNotFound, match="no session 42"):
            call()


# Migrations


LATEST = len(migrations.MIGRATIONS)


def test_a_new_journal_is_at_the_latest_version_in_wal_mode(journal: Path) -> None:
    SessionStore.open(journal).close()
    assert pragma(journal, "user_version") == LATEST == 4
    assert pragma(journal, "journal_mode") == "wal"
    assert pragma(journal, "application_id") == migrations.APPLICATION_ID
    assert {"sessions", "segments", "screens", "contraindications", "checkins"} <= tables(journal)
    assert "pending_merges" in tables(journal)


def test_a_journal_of_the_first_version_migrates_forward_and_loses_nothing(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    with SessionStore.open(journal) as old:
        old.record_screen({"A1": False, "B3": True}, result="urgent", assessed=True)
        old.record_contraindications({"bleeding": True})
    # A session as version 1 wrote it (today's store also writes the later columns).
    with closing(sqlite3.connect(journal)) as raw, raw:
        session_id = raw.execute(
            "INSERT INTO sessions (routine, title, options, preview, status, stop_reason,"
            " started_at, ended_at, planned_seconds, done_seconds, pain_before, pain_after,"
            " pid, host) VALUES ('glute-ball', 'Glute ball', '{}', 0, 'stopped', 'quit', ?, ?,"
            " 240.0, 15.0, 6, 4, 1, 'here')",
            (T0.isoformat(), (T0 + timedelta(seconds=20)).isoformat()),
        ).lastrowid
        raw.execute(
            "INSERT INTO segments (session_id, position, kind, title, step_number, side, area,"
            " planned_seconds, outcome, done_seconds, started_at, ended_at) VALUES"
            " (?, 0, 'setup', 'Get on the ball', 1, 'left', 'glutes', 15.0, 'done', 15.0, ?, ?)",
            (session_id, T0.isoformat(), (T0 + timedelta(seconds=15)).isoformat()),
        )
    assert session_id is not None
    assert pragma(journal, "user_version") == 1
    monkeypatch.undo()

    def every_row() -> dict[str, list[tuple[object, ...]]]:
        with closing(sqlite3.connect(journal)) as raw:
            return {
                table: raw.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in ("sessions", "segments", "screens", "contraindications")
            }

    version_1 = every_row()
    with SessionStore.open(journal) as new:
        migrated = new.session(session_id)
        new.set_note(session_id, "Felt easier on the left.")
        new.record_checkin(session_id, 3)
        noted = new.session(session_id)
        segments = new.segments(session_id)
        screen = new.last_screen()
    assert pragma(journal, "user_version") == LATEST
    # Every version 1 row is still there, word for word; new columns come after the old.
    version_2 = every_row()
    for table, rows in version_1.items():
        assert [row[: len(rows[0])] for row in version_2[table]] == rows
    assert (migrated.status, migrated.stop_reason, migrated.pain_before, migrated.pain_after) == (
        "stopped",
        "quit",
        6,
        4,
    )
    assert [s.outcome for s in segments][:1] == ["done"]
    assert screen is not None and screen.answers == {"A1": False, "B3": True} and screen.assessed
    assert migrated.note is None and migrated.morning_pain is None
    assert (noted.note, noted.morning_pain) == ("Felt easier on the left.", 3)


def test_a_version_2_journal_upgrades_and_its_sessions_have_no_uid(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
    SessionStore.open(journal).close()
    with closing(sqlite3.connect(journal)) as raw, raw:
        raw.execute(
            "INSERT INTO sessions (routine, title, options, preview, status, started_at,"
            " planned_seconds, pid, host) VALUES ('r', 'R', '{}', 0, 'completed', ?, 1.0, 1, 'h')",
            (T0.isoformat(),),
        )
    monkeypatch.undo()
    with SessionStore.open(journal) as db:
        [old] = db.sessions()
        assert old.uid is None
        assert db.session(begin(db)).uid is not None
    assert "pending_merges" in tables(journal)


def test_the_journal_has_indexes_for_its_queries(journal: Path) -> None:
    SessionStore.open(journal).close()
    with closing(sqlite3.connect(journal)) as raw:
        plans = {
            sql: " ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in (
                "SELECT * FROM sessions ORDER BY started_at DESC",
                "SELECT * FROM segments WHERE session_id = 1 ORDER BY position",
                "SELECT * FROM sessions WHERE status = 'running'",
            )
        }
    assert all("USING" in plan and "TEMP B-TREE" not in plan for plan in plans.values()), plans


def test_foreign_keys_are_enforced(db: SessionStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db._db.execute(
            "INSERT INTO segments (session_id, position, kind, title, step_number,"
            " planned_seconds) VALUES (999, 0, 'step', 'x', 1, 1)"
        )


def test_reopening_runs_no_migration_and_changes_nothing(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SessionStore.open(journal) as db:
        start(db)
    content = journal.read_bytes()
    # Were any step applied again, this would fail.
    monkeypatch.setattr(migrations, "MIGRATIONS", (("SELECT no_such_function()",),) * LATEST)
    with SessionStore.open(journal) as db:
        assert len(db.sessions()) == 1
    assert journal.read_bytes() == content
    assert pragma(journal, "user_version") == LATEST


def test_a_failing_later_migration_leaves_the_journal_at_its_version(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SessionStore.open(journal) as db:
        session_id = start(db)
    broken = ("CREATE TABLE extra (x)", "INSERT INTO no_such_table VALUES (1)")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    with pytest.raises(
        StoreError, match=rf"version {LATEST + 1} .*no such table.*stays at version {LATEST}"
    ):
        SessionStore.open(journal)
    assert pragma(journal, "user_version") == LATEST
    assert "extra" not in tables(journal)
    assert pragma(journal, "integrity_check") == "ok"
    monkeypatch.undo()
    with SessionStore.open(journal) as db:
        assert db.session(session_id).routine == "glute-ball"


def test_each_migration_step_commits_with_its_version(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = (
        *migrations.MIGRATIONS,
        ("CREATE TABLE two (x)",),
        ("CREATE TABLE three (x)", "nonsense"),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    with pytest.raises(StoreError, match=f"version {LATEST + 2}"):
        SessionStore.open(journal)
    assert pragma(journal, "user_version") == LATEST + 1
    found = tables(journal)
    assert {"sessions", "two"} <= found
    assert "three" not in found


def connect_with(monkeypatch: pytest.MonkeyPatch, factory: type[sqlite3.Connection]) -> None:
    """Make the store's connections instances of ``factory``, to step in between its statements."""
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, factory=factory, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_a_step_and_its_version_are_one_transaction(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SessionStore.open(journal).close()

    class FailsToRecordTheNextVersion(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql == f"PRAGMA user_version = {LATEST + 1}":
                raise sqlite3.OperationalError("disk I/O error")
            return super().execute(sql, *args)

    monkeypatch.setattr(
        migrations, "MIGRATIONS", (*migrations.MIGRATIONS, ("CREATE TABLE two (x)",))
    )
    connect_with(monkeypatch, FailsToRecordTheNextVersion)
    with pytest.raises(StoreError, match="disk I/O error"):
        SessionStore.open(journal)
    monkeypatch.undo()
    assert pragma(journal, "user_version") == LATEST
    assert "two" not in tables(journal)  # the step went with its record


def test_a_step_another_process_applied_meanwhile_is_not_applied_again(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite3.connect

    class LosesTheRace(sqlite3.Connection):
        raced = False

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql == "BEGIN IMMEDIATE" and not LosesTheRace.raced:
                LosesTheRace.raced = True  # another process migrates just before we lock
                with closing(real_connect(journal, isolation_level=None)) as other:
                    other.execute("BEGIN IMMEDIATE")
                    for statement in migrations.MIGRATIONS[0]:
                        other.execute(statement)
                    other.execute("PRAGMA user_version = 1")
                    other.execute("COMMIT")
            return super().execute(sql, *args)

    connect_with(monkeypatch, LosesTheRace)
    with SessionStore.open(journal) as db:
        start(db)
    assert LosesTheRace.raced
    assert pragma(journal, "user_version") == LATEST  # step 1 once, by the other; then the rest


# Crashes and two sessions at once

CHILD = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore

path, count, recorded, then = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
start = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
print("ready", flush=True)
sys.stdin.readline()  # "go": every child starts at the same moment
with SessionStore.open(path) as store:
    plan = [PlannedSegment(i, "step", "Step", i + 1, "left", "glutes", 30.0) for i in range(count)]
    sid = store.start_session(
        routine="glute-ball", title="Glute ball", options={}, planned_seconds=30.0 * count,
        preview=False, segments=plan, pain_before=3,
    )
    for i in range(recorded):
        store.record_segment(
            sid, i, outcome="done", done_seconds=30.0,
            started_at=start + timedelta(seconds=30 * i),
            ended_at=start + timedelta(seconds=30 * (i + 1)),
        )
    print(sid, flush=True)
    if then == "hold":
        sys.stdin.readline()  # alive with the session running until told (or killed)
    store.finish_session(sid, status="completed")
print("done", flush=True)
"""
CHILD_START = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


def spawn(journal: Path, count: int, recorded: int, then: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", CHILD, str(journal), str(count), str(recorded), then]
    return subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def read_line(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        _, error = child.communicate(timeout=60)
        pytest.fail(f"the child process failed:\n{error}")
    return line.strip()


def tell(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.write("go\n")
    child.stdin.flush()


def test_kill_9_keeps_recorded_segments_and_marks_the_session_interrupted(
    journal: Path,
) -> None:
    with spawn(journal, count=5, recorded=2, then="hold") as child:
        assert read_line(child) == "ready"
        tell(child)
        session_id = int(read_line(child))
        child.kill()  # SIGKILL on POSIX: no cleanup runs
        child.wait(timeout=60)

    assert pragma(journal, "integrity_check") == "ok"
    with SessionStore.open(journal) as db:
        assert [s.outcome for s in db.segments(session_id)] == ["done", "done", None, None, None]
        assert db.session(session_id).status == "running"
        assert db.mark_interrupted() == [session_id]
        session = db.session(session_id)
        assert session.status == "interrupted"
        assert session.ended_at == CHILD_START + timedelta(seconds=60)
        assert session.done_seconds == 60.0
        assert db.mark_interrupted() == []


def test_two_sessions_at_once_are_both_recorded(journal: Path) -> None:
    with spawn(journal, 20, 20, "finish") as first, spawn(journal, 20, 20, "hold") as second:
        assert read_line(first) == read_line(second) == "ready"
        tell(first)
        tell(second)  # both open a new journal and write their segments together
        first_id, second_id = int(read_line(first)), int(read_line(second))
        assert read_line(first) == "done"
        with SessionStore.open(journal) as db:
            # The second child is alive with its session running: not interrupted.
            assert db.mark_interrupted() == []
            assert db.session(second_id).status == "running"
        tell(second)
        assert read_line(second) == "done"

    with SessionStore.open(journal) as db:
        for session_id in (first_id, second_id):
            assert db.session(session_id).status == "completed"
            assert db.session(session_id).done_seconds == 600.0
            segments = db.segments(session_id)
            assert [s.outcome for s in segments] == ["done"] * 20
    assert pragma(journal, "integrity_check") == "ok"


def test_mark_interrupted_ends_a_dead_session_at_its_start_and_spares_others(
    db: SessionStore, journal: Path
) -> None:
    dead, other_host, mine = start(db), start(db), start(db)
    with subprocess.Popen([sys.executable, "-c", "pass"]) as gone:
        gone.wait(timeout=60)
    with closing(sqlite3.connect(journal)) as raw, raw:
        raw.execute("UPDATE sessions SET pid = ? WHERE id IN (?, ?)", (gone.pid, dead, other_host))
        raw.execute("UPDATE sessions SET host = 'elsewhere' WHERE id = ?", (other_host,))
    assert db.mark_interrupted() == [dead]
    assert db.session(dead).ended_at == db.session(dead).started_at
    assert db.session(other_host).status == db.session(mine).status == "running"


# Files that are not usable journals


def assert_refused_untouched(journal: Path, pattern: str) -> None:
    content = journal.read_bytes()
    with pytest.raises(StoreError, match=pattern) as caught:
        SessionStore.open(journal)
    assert str(journal) in caught.value.message
    assert isinstance(caught.value, SciaticaError)
    assert journal.read_bytes() == content


def test_random_bytes_are_refused_and_left_untouched(journal: Path) -> None:
    journal.parent.mkdir(parents=True)
    journal.write_bytes(random.Random(1).randbytes(8192))
    assert_refused_untouched(journal, "is damaged or is not a database")


@pytest.mark.parametrize("keep", [0.5, 0.25])
def test_a_truncated_journal_is_refused_and_left_untouched(journal: Path, keep: float) -> None:
    with SessionStore.open(journal) as db:
        for _ in range(30):
            session_id = start(db)
            db.set_pain(session_id, after=4)
    assert not journal.with_name("journal.db-wal").exists()  # all in the main file
    content = journal.read_bytes()
    journal.write_bytes(content[: int(len(content) * keep)])
    assert_refused_untouched(journal, "is damaged or is not a database")


def test_a_journal_with_a_damaged_page_is_refused_and_left_untouched(journal: Path) -> None:
    with SessionStore.open(journal) as db:
        for _ in range(30):
            start(db)
    content = bytearray(journal.read_bytes())
    page = int(pragma(journal, "page_size"))  # type: ignore[call-overload]
    assert len(content) >= 4 * page
    # Page 1 (header and schema) stays good: only the quick check finds this.
    content[2 * page : 3 * page] = random.Random(3).randbytes(page)
    journal.write_bytes(content)
    assert_refused_untouched(journal, "is damaged or is not a database")


def test_a_newer_journal_is_refused_and_left_untouched(journal: Path) -> None:
    journal.parent.mkdir(parents=True)
    with closing(sqlite3.connect(journal)) as raw:
        raw.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
        raw.execute("PRAGMA user_version = 99")
        raw.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY)")
    assert_refused_untouched(
        journal, rf"newer sciatica \(journal version 99, this one knows {LATEST}\)"
    )


def test_another_programs_database_is_refused_and_left_untouched(journal: Path) -> None:
    journal.parent.mkdir(parents=True)
    with closing(sqlite3.connect(journal)) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    assert_refused_untouched(journal, "is not a sciatica journal")


def test_an_empty_file_becomes_a_journal(journal: Path) -> None:
    journal.parent.mkdir(parents=True)
    journal.touch()
    with SessionStore.open(journal) as db:
        start(db)
    assert pragma(journal, "user_version") == LATEST


def test_a_folder_under_a_regular_file_is_refused(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = home / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(paths.HOME_ENV, str(blocker))
    journal = paths.data_dir() / "journal.db"
    with pytest.raises(StoreError, match="is a file, not a folder") as caught:
        SessionStore.open(journal)
    assert str(journal) in caught.value.message
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_folder_at_the_journal_path_is_refused(journal: Path) -> None:
    journal.mkdir(parents=True)
    with pytest.raises(StoreError, match="it is not a file"):
        SessionStore.open(journal)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
@pytest.mark.parametrize("existing", [False, True])
def test_a_read_only_folder_is_refused(journal: Path, existing: bool) -> None:
    if existing:
        SessionStore.open(journal).close()
    else:
        journal.parent.mkdir(parents=True)
    journal.parent.chmod(0o555)
    try:
        with pytest.raises(StoreError, match=r"Cannot (read|write) the journal") as caught:
            SessionStore.open(journal)
        assert str(journal) in caught.value.message
    finally:
        journal.parent.chmod(0o755)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_a_read_only_journal_is_refused_when_opened(journal: Path) -> None:
    SessionStore.open(journal).close()
    journal.chmod(0o444)
    with pytest.raises(StoreError, match="Cannot write the journal") as caught:
        SessionStore.open(journal)
    assert str(journal) in caught.value.message
