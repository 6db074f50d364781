"""The session journal: one SQLite file, and the only module with SQL (migrations.py beside it).

WAL mode with a 5 s busy timeout, so two sessions at once are both recorded. Every change is
its own committed transaction, so a ``kill -9`` loses at most the segment in progress. The
schema version is ``PRAGMA user_version``; the schema and the safe opening of the file live in
:mod:`sciatica_cli.journal.migrations`, whose public names are re-exported here.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal.migrations import APPLICATION_ID as APPLICATION_ID
from sciatica_cli.journal.migrations import BUSY_TIMEOUT_SECONDS as BUSY_TIMEOUT_SECONDS
from sciatica_cli.journal.migrations import MIGRATIONS as MIGRATIONS
from sciatica_cli.journal.migrations import StoreError as StoreError
from sciatica_cli.journal.migrations import (
    check_writable,
    inspect,
    migrate,
    prepare_folder,
    sqlite_errors,
    use_wal,
)
from sciatica_cli.journal.records import FINISHED_STATUSES as FINISHED_STATUSES
from sciatica_cli.journal.records import KINDS as KINDS
from sciatica_cli.journal.records import OUTCOMES as OUTCOMES
from sciatica_cli.journal.records import SCREEN_RESULTS as SCREEN_RESULTS
from sciatica_cli.journal.records import STATUSES as STATUSES
from sciatica_cli.journal.records import CheckinRecord as CheckinRecord
from sciatica_cli.journal.records import ContraindicationRecord as ContraindicationRecord
from sciatica_cli.journal.records import PlannedSegment as PlannedSegment
from sciatica_cli.journal.records import ScreenRecord as ScreenRecord
from sciatica_cli.journal.records import SegmentRecord as SegmentRecord
from sciatica_cli.journal.records import SessionRecord as SessionRecord
from sciatica_cli.journal.records import check_choice, check_pain, check_seconds


class SessionNotFound(SciaticaError):
    """No session in the journal has the requested id."""


# Every session query reads its latest next-morning check-in with it (one indexed lookup).
_SESSIONS = (
    "SELECT sessions.*, (SELECT pain FROM checkins WHERE checkins.session_id = sessions.id"
    " ORDER BY recorded_at DESC, id DESC LIMIT 1) AS morning_pain FROM sessions"
)


class SessionStore:
    """The session journal. Open with ``SessionStore.open(path)``; use as a context manager."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, now: Callable[[], datetime]
    ) -> None:
        self._db = connection
        self.path = path
        self._now = now

    @classmethod
    def open(
        cls, path: Path, *, now: Callable[[], datetime] | None = None, reading: bool = False
    ) -> SessionStore:
        """Open the journal at ``path``, creating or upgrading it.

        Raises StoreError, with the file left exactly as it was, if it is damaged, not a
        journal, or from a newer sciatica; and if its folder cannot be created or written.
        ``reading`` is for commands that only read: they skip the full integrity scan and the
        write test, which cost time in proportion to the journal's size.
        """
        prepare_folder(path)
        # MIGRATIONS is read from this module on each open, so a test can patch store.MIGRATIONS.
        if path.exists() or path.is_symlink():
            inspect(path, MIGRATIONS, thorough=not reading)
        try:
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot write the journal {path}: {exc}.") from exc
        try:
            with sqlite_errors(path, "write"):
                db.execute("PRAGMA foreign_keys = ON")
                use_wal(db, path)
            migrate(db, path, MIGRATIONS)
            if not reading:
                check_writable(db, path)
        except BaseException:
            db.close()
            raise
        db.row_factory = sqlite3.Row
        return cls(db, path, now or _utc_now)

    def close(self) -> None:
        """Close the file; every change is already committed."""
        self._db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start_session(
        self,
        *,
        routine: str,
        title: str,
        options: Mapping[str, object],
        planned_seconds: float,
        preview: bool,
        segments: Sequence[PlannedSegment],
        pain_before: int | None,
    ) -> int:
        """Record a session as running, with all its planned segments; return its id."""
        check_seconds("planned_seconds", planned_seconds)
        check_pain("pain_before", pain_before)
        if len({segment.position for segment in segments}) != len(segments):
            raise ValueError("segment positions must be unique")
        try:
            options_text = json.dumps(dict(options), sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"options must be JSON data: {exc}") from exc
        row = {
            "routine": routine,
            "title": title,
            "options": options_text,
            "preview": int(preview),
            "started_at": self._stamp(),
            "planned_seconds": planned_seconds,
            "pain_before": pain_before,
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO sessions (routine, title, options, preview, status, started_at,"
                " planned_seconds, pain_before, pid, host) VALUES (:routine, :title, :options,"
                " :preview, 'running', :started_at, :planned_seconds, :pain_before, :pid, :host)",
                row,
            )
            session_id = cursor.lastrowid
            assert session_id is not None  # an INSERT always sets it
            # PlannedSegment's field names are the segments table's column names.
            db.executemany(
                "INSERT INTO segments (session_id, position, kind, title, step_number, side,"
                " area, planned_seconds) VALUES (:session_id, :position, :kind, :title,"
                " :step_number, :side, :area, :planned_seconds)",
                [{"session_id": session_id, **asdict(segment)} for segment in segments],
            )
        return session_id

    def record_segment(
        self,
        session_id: int,
        position: int,
        *,
        outcome: str,
        done_seconds: float,
        started_at: datetime,
        ended_at: datetime,
    ) -> None:
        """Store how one segment ended (replacing any earlier result), committed at once."""
        check_choice("outcome", outcome, OUTCOMES)
        check_seconds("done_seconds", done_seconds)
        # No "ended after started" check: the wall clock can step back mid-session (NTP).
        start, end = _to_text(started_at), _to_text(ended_at)
        with self._write() as db:
            cursor = db.execute(
                "UPDATE segments SET outcome = ?, done_seconds = ?, started_at = ?, ended_at = ?"
                " WHERE session_id = ? AND position = ?",
                (outcome, done_seconds, start, end, session_id, position),
            )
            if cursor.rowcount == 0:
                self._require_session(session_id)
                raise ValueError(f"session {session_id} has no segment at position {position}")
            db.execute(
                "UPDATE sessions SET done_seconds = (SELECT COALESCE(SUM(done_seconds), 0)"
                " FROM segments WHERE session_id = ?) WHERE id = ?",
                (session_id, session_id),
            )

    def finish_session(
        self, session_id: int, *, status: str, stop_reason: str | None = None
    ) -> None:
        """Set the session's final status and stop reason; it ends now."""
        check_choice("status", status, FINISHED_STATUSES)
        with self._write() as db:
            cursor = db.execute(
                "UPDATE sessions SET status = ?, stop_reason = ?, ended_at = ? WHERE id = ?",
                (status, stop_reason, self._stamp(), session_id),
            )
            if cursor.rowcount == 0:
                raise _not_found(session_id)

    def set_pain(
        self, session_id: int, *, before: int | None = None, after: int | None = None
    ) -> None:
        """Record pain scores (0-10); ``None`` leaves that score as it is."""
        check_pain("before", before)
        check_pain("after", after)
        with self._write() as db:
            cursor = db.execute(
                "UPDATE sessions SET pain_before = COALESCE(?, pain_before),"
                " pain_after = COALESCE(?, pain_after) WHERE id = ?",
                (before, after, session_id),
            )
            if cursor.rowcount == 0:
                raise _not_found(session_id)

    def mark_interrupted(self) -> list[int]:
        """Mark running sessions whose process on this host is gone as interrupted; their ids.

        A session ends where its last recorded segment ended, or where it started. Sessions of
        live processes and of other hosts (a synced folder) are left alone.
        """
        host = socket.gethostname()
        with self._write() as db:
            rows = db.execute(
                "SELECT id, pid, host FROM sessions WHERE status = 'running' ORDER BY id"
            )
            gone = [
                int(row["id"])
                for row in rows.fetchall()
                if row["host"] == host and not _process_alive(int(row["pid"]))
            ]
            for session_id in gone:
                db.execute(
                    # MAX skips the NULL end of every segment not recorded yet.
                    "UPDATE sessions SET status = 'interrupted', ended_at = COALESCE("
                    "(SELECT MAX(ended_at) FROM segments WHERE session_id = sessions.id),"
                    " started_at) WHERE id = ?",
                    (session_id,),
                )
        return gone

    def record_screen(self, answers: Mapping[str, bool], *, result: str, assessed: bool) -> int:
        """Store red-flag screen answers dated now; return the screen's id."""
        check_choice("result", result, SCREEN_RESULTS)
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO screens (answered_at, answers, result, assessed) VALUES (?, ?, ?, ?)",
                (self._stamp(), _answers_text(answers), result, int(assessed)),
            )
            screen_id = cursor.lastrowid
        assert screen_id is not None  # an INSERT always sets it
        return screen_id

    def last_screen(self) -> ScreenRecord | None:
        """The most recently recorded red-flag screen, if any."""
        row = self._one("SELECT * FROM screens ORDER BY id DESC LIMIT 1")
        return None if row is None else _screen(row)

    def record_contraindications(self, answers: Mapping[str, bool]) -> None:
        """Store contraindication answers dated now; the latest answers win."""
        with self._write() as db:
            db.execute(
                "INSERT INTO contraindications (answered_at, answers) VALUES (?, ?)",
                (self._stamp(), _answers_text(answers)),
            )

    def contraindications(self) -> ContraindicationRecord | None:
        """The latest contraindication answers, if any were given."""
        row = self._one("SELECT * FROM contraindications ORDER BY id DESC LIMIT 1")
        if row is None:
            return None
        return ContraindicationRecord(
            answered_at=_from_text(row["answered_at"]), answers=json.loads(row["answers"])
        )

    def sessions(
        self,
        *,
        include_previews: bool = False,
        limit: int | None = None,
        routine: str | None = None,
        since: datetime | None = None,
    ) -> list[SessionRecord]:
        """Sessions newest first (by start), previews left out unless asked for; optionally
        only one routine's, or only those started at or after ``since``."""
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        after = None if since is None else _to_text(since)
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute(
                # COALESCE, not "? IS NULL OR", so SQLite can use the started_at index.
                f"{_SESSIONS} WHERE (? OR preview = 0) AND (? IS NULL OR routine = ?)"
                " AND started_at >= COALESCE(?, '') ORDER BY started_at DESC, id DESC LIMIT ?",
                (int(include_previews), routine, routine, after, -1 if limit is None else limit),
            ).fetchall()
        return [_session(row) for row in rows]

    def count_held(self) -> int:
        """How many real sessions were held: previews and running ones left out."""
        row = self._one("SELECT count(*) FROM sessions WHERE preview = 0 AND status != 'running'")
        return int(row[0]) if row is not None else 0

    def first_held(self, *, scored: bool = False) -> SessionRecord | None:
        """The oldest real session (with a pain-before score, if ``scored``)."""
        row = self._one(
            f"{_SESSIONS} WHERE preview = 0 AND status != 'running'"
            " AND (? = 0 OR pain_before IS NOT NULL) ORDER BY started_at, id LIMIT 1",
            (int(scored),),
        )
        return None if row is None else _session(row)

    def set_note(self, session_id: int, note: str | None) -> None:
        """Keep a note with a session (``None`` or blank removes it)."""
        text = (note or "").strip() or None
        with self._write() as db:
            if (
                db.execute("UPDATE sessions SET note = ? WHERE id = ?", (text, session_id)).rowcount
                == 0
            ):
                raise _not_found(session_id)

    def record_checkin(self, session_id: int, pain: int, note: str | None = None) -> CheckinRecord:
        """Log next-morning pain (0-10) for a session."""
        check_pain("morning", pain)
        if pain is None:
            raise ValueError("a check-in needs a pain score")
        stamp = self._stamp()
        with self._write() as db:
            self._require_session(session_id)
            cursor = db.execute(
                "INSERT INTO checkins (session_id, recorded_at, pain, note) VALUES (?, ?, ?, ?)",
                (session_id, stamp, pain, (note or "").strip() or None),
            )
        return CheckinRecord(
            int(cursor.lastrowid or 0),
            session_id,
            _from_text(stamp),
            pain,
            (note or "").strip() or None,
        )

    def checkins(self, *, limit: int | None = None) -> list[CheckinRecord]:
        """Next-morning check-ins, newest first."""
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute(
                "SELECT * FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [_checkin(row) for row in rows]

    def screens(self) -> list[ScreenRecord]:
        """Every red-flag screen, newest first (for the clinician's report)."""
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute("SELECT * FROM screens ORDER BY id DESC").fetchall()
        return [_screen(row) for row in rows]

    def area_seconds(self, *, since: datetime | None = None) -> dict[str | None, float]:
        """Seconds of step work per body area over real (non-preview) sessions."""
        after = None if since is None else _to_text(since)
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute(
                # Driven from sessions (the started_at index), then each one's segments.
                "SELECT segments.area, SUM(segments.done_seconds) FROM sessions"
                " CROSS JOIN segments ON segments.session_id = sessions.id"
                " WHERE segments.kind = 'step' AND sessions.preview = 0"
                " AND sessions.started_at >= COALESCE(?, '') GROUP BY segments.area",
                (after,),
            ).fetchall()
        return {area: float(seconds or 0) for area, seconds in rows}

    def all_segments(self) -> dict[int, list[SegmentRecord]]:
        """Every segment of every session, by session id, in plan order (for export)."""
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute("SELECT * FROM segments ORDER BY session_id, position")
            grouped: dict[int, list[SegmentRecord]] = {}
            for row in rows:
                grouped.setdefault(row["session_id"], []).append(_segment(row))
        return grouped

    def session(self, session_id: int) -> SessionRecord:
        """The session with this id; SessionNotFound if there is none."""
        row = self._one(f"{_SESSIONS} WHERE id = ?", (session_id,))
        if row is None:
            raise _not_found(session_id)
        return _session(row)

    def segments(self, session_id: int) -> list[SegmentRecord]:
        """The session's segments in plan order; SessionNotFound for an unknown session."""
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute(
                "SELECT * FROM segments WHERE session_id = ? ORDER BY position", (session_id,)
            ).fetchall()
        if not rows:
            self._require_session(session_id)
        return [_segment(row) for row in rows]

    def last_finished_session(self, *, include_previews: bool = False) -> SessionRecord | None:
        """The newest (by start) completed or stopped session, previews left out by default."""
        row = self._one(
            f"{_SESSIONS} WHERE status IN ('completed', 'stopped')"
            " AND (? OR preview = 0) ORDER BY started_at DESC, id DESC LIMIT 1",
            (int(include_previews),),
        )
        return None if row is None else _session(row)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, where the busy timeout can wait for it.
        with sqlite_errors(self.path, "write"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        with sqlite_errors(self.path, "read"):
            row: sqlite3.Row | None = self._db.execute(sql, params).fetchone()
        return row

    def _require_session(self, session_id: int) -> None:
        if self._one("SELECT 1 FROM sessions WHERE id = ?", (session_id,)) is None:
            raise _not_found(session_id)

    def _stamp(self) -> str:
        return _to_text(self._now())


def _not_found(session_id: int) -> SessionNotFound:
    return SessionNotFound(f"There is no session {session_id} in the journal.")


def _session(row: sqlite3.Row) -> SessionRecord:
    # Column names are the record's field names; only JSON, booleans and times need converting.
    values = dict(row)
    values.update(
        options=json.loads(values["options"]),
        preview=bool(values["preview"]),
        started_at=_from_text(values["started_at"]),
        ended_at=_from_optional(values["ended_at"]),
    )
    return SessionRecord(**values)


def _screen(row: sqlite3.Row) -> ScreenRecord:
    values = dict(row)
    values.update(
        answered_at=_from_text(values["answered_at"]),
        answers=json.loads(values["answers"]),
        assessed=bool(values["assessed"]),
    )
    return ScreenRecord(**values)


def _checkin(row: sqlite3.Row) -> CheckinRecord:
    values = dict(row)
    values.update(recorded_at=_from_text(values["recorded_at"]))
    return CheckinRecord(**values)


def _segment(row: sqlite3.Row) -> SegmentRecord:
    values = dict(row)
    values.update(
        started_at=_from_optional(values["started_at"]),
        ended_at=_from_optional(values["ended_at"]),
    )
    return SegmentRecord(**values)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _to_text(moment: datetime) -> str:
    """UTC ISO 8601 with microseconds and offset: fixed width, so text order is time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _from_optional(text: str | None) -> datetime | None:
    return None if text is None else _from_text(text)


def _answers_text(answers: Mapping[str, bool]) -> str:
    for key, value in answers.items():
        if not isinstance(key, str) or not key or not isinstance(value, bool):
            raise ValueError(f"answers map question ids to True or False, not {key!r}: {value!r}")
    return json.dumps(dict(sorted(answers.items())))


if sys.platform == "win32":

    def _process_alive(pid: int) -> bool:
        # os.kill(pid, 0) would terminate the process on Windows: ask for its exit code instead.
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:

    def _process_alive(pid: int) -> bool:
        if pid <= 0:
            return False  # kill(0 or -n, 0) would ask about a whole process group
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # another user's process: alive
        return True
