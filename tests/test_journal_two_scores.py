"""Leg pain and back pain in the journal (SAFETY.md 4): the columns, the pending file, old files."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sciatica_cli.journal import migrations
from sciatica_cli.journal.migrations import StoreError
from sciatica_cli.journal.pending import PendingLog, pending_path
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.replay import finish_op, new_uid, pain_op, start_op
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.safety.pain import session_change, session_scores

T0 = datetime(2026, 11, 24, 18, 45, 0, 123456, tzinfo=timezone.utc)
PLAN = [PlannedSegment(0, "step", "Glute ball", 1, "left", "glutes", 90.0)]


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.db"
    path.parent.mkdir()
    return path


def begin(store: SessionStore, **kwargs: object) -> int:
    return store.start_session(
        routine="glute-ball", title="Glute ball", options={}, planned_seconds=90.0,
        preview=False, segments=PLAN, started_at=T0, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_session_keeps_its_leg_and_back_scores(journal: Path) -> None:
    with SessionStore.open(journal) as store:
        session_id = begin(store, pain_before=7, pain_scores="two", back_before=4)
        store.set_pain(session_id, after=4, back_after=6)
        store.finish_session(session_id, status="completed", ended_at=T0 + timedelta(minutes=5))
        session = store.session(session_id)
    assert (session.pain_scores, session.pain_before, session.pain_after) == ("two", 7, 4)
    assert (session.back_before, session.back_after) == (4, 6)
    assert [(s.name, s.before, s.after) for s in session_scores(session)] == [
        ("leg pain", 7, 4),
        ("back pain", 4, 6),
    ]
    assert session_change(session) == "worse"  # the back rose by 2


def test_a_session_recorded_with_one_score_takes_no_back_score(journal: Path) -> None:
    with SessionStore.open(journal) as store:
        session_id = begin(store, pain_before=5)
        with pytest.raises(ValueError, match="one pain score"):
            store.set_pain(session_id, back_after=3)
        with pytest.raises(ValueError, match="one pain score"):
            store.record_checkin(session_id, 4, back=3)
        with pytest.raises(ValueError, match="needs pain_scores 'two'"):
            begin(store, pain_before=5, back_before=3)
        with pytest.raises(ValueError, match="pain_scores must be one of"):
            begin(store, pain_before=5, pain_scores="three")
        session = store.session(session_id)
    assert (session.pain_scores, session.back_before, session.back_after) == ("one", None, None)
    with closing(sqlite3.connect(journal)) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE sessions SET back_after = 11")


def test_the_morning_back_score_comes_from_the_same_latest_check_in(journal: Path) -> None:
    times = iter([T0 + timedelta(hours=14), T0 + timedelta(hours=15)])
    with SessionStore.open(journal, now=lambda: next(times)) as store:
        session_id = begin(store, pain_before=5, pain_scores="two", back_before=3)
        store.record_checkin(session_id, 6, back=2)
        corrected = store.record_checkin(session_id, 5)  # a correction without a back score
        session = store.session(session_id)
        [listed] = store.sessions()
        checkins = store.checkins()
    assert corrected.back_pain is None
    assert (session.morning_pain, session.morning_back) == (5, None)
    assert (listed.morning_pain, listed.morning_back) == (5, None)
    assert [(c.pain, c.back_pain) for c in checkins] == [(5, None), (6, 2)]


def test_back_scores_wait_in_the_pending_file_and_merge(journal: Path) -> None:
    uid, log = new_uid(), PendingLog(pending_path(journal))
    log.append(
        start_op(
            uid, routine="glute-ball", title="Glute ball", options={}, planned_seconds=90.0,
            preview=False, segments=PLAN, pain_before=6, started_at=T0, pain_scores="two",
            back_before=5, pid=1, host="here",
        )
    )  # fmt: skip
    log.append(finish_op(uid, status="completed", stop_reason=None, ended_at=T0))
    log.append(pain_op(uid, after=3, back_after=7, at=T0))
    with SessionStore.open(journal) as store:
        assert (store.merged.applied, store.merged.rejected) == (3, 0)
        [session] = store.sessions()
    assert (session.pain_scores, session.pain_before, session.pain_after) == ("two", 6, 3)
    assert (session.back_before, session.back_after) == (5, 7)


def test_pending_records_written_before_the_back_scores_still_merge(journal: Path) -> None:
    uid, log = new_uid(), PendingLog(pending_path(journal))
    # Lines as the previous version wrote them: no pain_scores, no back fields.
    start = start_op(
        uid, routine="glute-ball", title="Glute ball", options={}, planned_seconds=90.0,
        preview=False, segments=PLAN, pain_before=6, started_at=T0, pid=1, host="here",
    )  # fmt: skip
    del start["pain_scores"], start["back_before"]
    log.append(start)
    pain = pain_op(uid, after=4, at=T0)
    assert set(pain) == {"v", "id", "op", "session", "at", "before", "after"}
    log.append(json.loads(json.dumps(pain)))
    with SessionStore.open(journal) as store:
        assert (store.merged.applied, store.merged.rejected) == (2, 0)
        [session] = store.sessions()
    assert (session.pain_scores, session.pain_before, session.pain_after) == ("one", 6, 4)
    assert (session.back_before, session.back_after) == (None, None)


def test_a_version_3_journal_upgrades_and_its_sessions_stay_single_scores(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
    SessionStore.open(journal).close()
    # Rows as version 3 wrote them (today's store also writes the version 4 columns).
    with closing(sqlite3.connect(journal)) as raw, raw:
        session_id = raw.execute(
            "INSERT INTO sessions (routine, title, options, preview, status, started_at,"
            " ended_at, planned_seconds, done_seconds, pain_before, pain_after, pid, host, uid)"
            " VALUES ('glute-ball', 'Glute ball', '{}', 0, 'completed', ?, ?, 90.0, 90.0, 6, 3,"
            " 1, 'here', 'abc')",
            (T0.isoformat(), (T0 + timedelta(minutes=2)).isoformat()),
        ).lastrowid
        raw.execute(
            "INSERT INTO checkins (session_id, recorded_at, pain, note) VALUES (?, ?, 5, 'ok')",
            (session_id, (T0 + timedelta(hours=14)).isoformat()),
        )
    assert session_id is not None
    monkeypatch.undo()
    with SessionStore.open(journal) as store:
        session = store.session(session_id)
        [checkin] = store.checkins()
        added = begin(store, pain_before=4, pain_scores="two", back_before=2)
        two = store.session(added)
    with closing(sqlite3.connect(journal)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 4
    assert (session.pain_scores, session.pain_before, session.pain_after) == ("one", 6, 3)
    assert (session.back_before, session.back_after, session.morning_back) == (None, None, None)
    assert session.morning_pain == 5 and (checkin.pain, checkin.back_pain) == (5, None)
    assert [s.name for s in session_scores(session)] == ["pain"]
    assert (two.pain_scores, two.back_before) == ("two", 2)


def test_a_version_4_journal_is_refused_by_a_sciatica_that_knows_three(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SessionStore.open(journal) as store:
        begin(store, pain_before=4, pain_scores="two", back_before=2)
    content = journal.read_bytes()
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
    with pytest.raises(StoreError, match=r"newer sciatica \(journal version 4, this one knows 3\)"):
        SessionStore.open(journal)
    assert journal.read_bytes() == content
