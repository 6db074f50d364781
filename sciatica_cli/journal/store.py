"""The session journal: one SQLite file, and the only module with SQL (migrations.py beside it).

WAL mode with a 5 s busy timeout, so two sessions at once are both recorded. Every change is
its own committed transaction (:mod:`~sciatica_cli.journal.transactions`), so a ``kill -9``
loses at most the segment in progress. Opening the file safely and its schema live in
:mod:`sciatica_cli.journal.migrations`; turning rows into records in
:mod:`sciatica_cli.journal.rows`; the safety answers' SQL in the base class of
:mod:`sciatica_cli.journal.answers`, the merge bookkeeping's in
:mod:`sciatica_cli.journal.merges`, the narrow reads' (the dose's replay, a week's count) in
:mod:`sciatica_cli.journal.reads`. Records that waited in the pending file are merged on
opening (:mod:`sciatica_cli.journal.replay`).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal.liveness import process_alive
from sciatica_cli.journal.migrations import connect, sqlite_errors
from sciatica_cli.journal.reads import SELECT_SESSIONS, JournalReads
from sciatica_cli.journal.records import (
    FINISHED_STATUSES,
    OUTCOMES,
    CheckinRecord,
    PlannedSegment,
    SegmentRecord,
    SessionRecord,
    check_choice,
    check_pain,
    check_scores,
    check_seconds,
)
from sciatica_cli.journal.replay import Merged, merge_on_open, new_uid
from sciatica_cli.journal.rows import (
    checkin_record,
    from_text,
    options_text,
    segment_record,
    session_record,
    to_text,
)
from sciatica_cli.wallclock import utc_now


class SessionNotFound(SciaticaError):
    """No session in the journal has the requested id."""


# The reads of the history commands, by name, so bench/history.py explains these very queries.
# COALESCE, not "? IS NULL OR", so SQLite can use the started_at index.
SESSIONS_SQL = (
    f"{SELECT_SESSIONS} WHERE (? OR preview = 0) AND (? IS NULL OR routine = ?)"
    " AND started_at >= COALESCE(?, '') ORDER BY started_at DESC, id DESC LIMIT ?"
)
# Driven from sessions (the started_at index), then each one's segments.
AREA_SECONDS_SQL = (
    "SELECT segments.area, SUM(segments.done_seconds) FROM sessions"
    " CROSS JOIN segments ON segments.session_id = sessions.id"
    " WHERE segments.kind = 'step' AND sessions.preview = 0"
    " AND sessions.started_at >= COALESCE(?, '') GROUP BY segments.area"
)
CHECKINS_SQL = "SELECT * FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT ?"
ALL_SEGMENTS_SQL = "SELECT * FROM segments ORDER BY session_id, position"


class SessionStore(JournalReads):
    """The session journal. Open with ``SessionStore.open(path)``; use as a context manager."""

    merged = Merged()  # what opening did with the pending file: merged, rejected, left waiting

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        now: Callable[[], datetime] | None = None,
        reading: bool = False,
        merge: bool = True,
    ) -> SessionStore:
        """Open the journal at ``path``, creating or upgrading it; StoreError, the file left as
        it was, if it cannot be used. ``reading``: for commands that only read (see
        :func:`~sciatica_cli.journal.migrations.connect`). Then, unless not to ``merge``, the
        records waiting in the pending file beside it are merged; if they cannot be (the
        journal locked or read-only) they stay there, and ``merged.waiting`` counts them."""
        store = cls(connect(path, reading=reading), path, now or utc_now)
        try:
            if merge:
                store.merged = merge_on_open(store, reading=reading)
        except BaseException:
            store.close()
            raise
        return store

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
        started_at: datetime | None = None,
        uid: str | None = None,
        pid: int | None = None,
        host: str | None = None,
        pain_scores: str = "one",
        back_before: int | None = None,
    ) -> int:
        """Record a session as running, with all its planned segments; return its id. It
        started now unless ``started_at`` says when; ``uid`` is the writer's id for it (one is
        made if not given); ``pid`` and ``host``, the process playing it (this one). With
        ``pain_scores`` "two", ``pain_before`` is the leg's and ``back_before`` the back's."""
        check_seconds("planned_seconds", planned_seconds)
        check_pain("pain_before", pain_before)
        check_scores(pain_scores, back_before)
        if len({segment.position for segment in segments}) != len(segments):
            raise ValueError("segment positions must be unique")
        row = {
            "routine": routine,
            "title": title,
            "options": options_text(options),
            "preview": int(preview),
            "started_at": self._stamp(started_at),
            "planned_seconds": planned_seconds,
            "pain_before": pain_before,
            "pain_scores": pain_scores,
            "back_before": back_before,
            "pid": os.getpid() if pid is None else pid,
            "host": socket.gethostname() if host is None else host,
            "uid": uid or new_uid(),
        }
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO sessions (routine, title, options, preview, status, started_at,"
                " planned_seconds, pain_before, pain_scores, back_before, pid, host, uid) VALUES"
                " (:routine, :title, :options, :preview, 'running', :started_at,"
                " :planned_seconds, :pain_before, :pain_scores, :back_before, :pid, :host, :uid)",
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
        start, end = to_text(started_at), to_text(ended_at)
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
        self,
        session_id: int,
        *,
        status: str,
        stop_reason: str | None = None,
        ended_at: datetime | None = None,
    ) -> None:
        """Set the session's final status and stop reason; it ends now, or at ``ended_at``."""
        check_choice("status", status, FINISHED_STATUSES)
        self._update(
            session_id,
            "UPDATE sessions SET status = ?, stop_reason = ?, ended_at = ? WHERE id = ?",
            (status, stop_reason, self._stamp(ended_at)),
        )

    def set_pain(
        self,
        session_id: int,
        *,
        before: int | None = None,
        after: int | None = None,
        back_before: int | None = None,
        back_after: int | None = None,
    ) -> None:
        """Record pain scores (0-10); ``None`` leaves that score as it is. The back scores
        only for a session recorded with two scores (``before``/``after`` are then the leg's)."""
        for name, value in ("before", before), ("after", after), ("back", back_before):
            check_pain(name, value)
        check_pain("back", back_after)
        sql = (
            "UPDATE sessions SET pain_before = COALESCE(?, pain_before),"
            " pain_after = COALESCE(?, pain_after), back_before = COALESCE(?, back_before),"
            " back_after = COALESCE(?, back_after) WHERE id = ?"
        )
        if back_before is not None or back_after is not None:
            self._require_two_scores(session_id)
        self._update(session_id, sql, (before, after, back_before, back_after))

    def mark_interrupted(self) -> list[int]:
        """Mark running sessions whose process on this host is gone as interrupted; their ids.

        A session ends where its last recorded segment ended, or where it started. Sessions of
        live processes and of other hosts (a synced folder) are left alone.
        """
        with self._write() as db:
            running = db.execute(
                "SELECT id, pid FROM sessions WHERE status = 'running' AND host = ? ORDER BY id",
                (socket.gethostname(),),
            ).fetchall()
            gone = [int(row["id"]) for row in running if not process_alive(int(row["pid"]))]
            for session_id in gone:
                db.execute(
                    # MAX skips the NULL end of every segment not recorded yet.
                    "UPDATE sessions SET status = 'interrupted', ended_at = COALESCE("
                    "(SELECT MAX(ended_at) FROM segments WHERE session_id = sessions.id),"
                    " started_at) WHERE id = ?",
                    (session_id,),
                )
        return gone

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
        after = None if since is None else to_text(since)
        rows = self._all(
            SESSIONS_SQL,
            (int(include_previews), routine, routine, after, -1 if limit is None else limit),
        )
        return [session_record(row) for row in rows]

    def set_note(self, session_id: int, note: str | None, *, append: bool = False) -> None:
        """Keep a note with a session (``None`` or blank removes it); ``append`` adds it as a
        new line after the note already there (a blank one then changes nothing)."""
        text = (note or "").strip() or None
        sql = "UPDATE sessions SET note = ? WHERE id = ?"
        if append:
            sql = (
                "UPDATE sessions SET note = CASE WHEN ? IS NULL THEN note WHEN note IS NULL"
                " THEN ?1 ELSE note || char(10) || ?1 END WHERE id = ?"
            )
        self._update(session_id, sql, (text,))

    def record_checkin(
        self, session_id: int, pain: int, note: str | None = None, *, back: int | None = None
    ) -> CheckinRecord:
        """Log next-morning pain (0-10) for a session: with two scores ``pain`` is the leg's
        and ``back`` the back's (a session recorded with one score takes no back score)."""
        check_pain("morning", pain)
        check_pain("morning back", back)
        if pain is None:
            raise ValueError("a check-in needs a pain score")
        stamp, text = self._stamp(), (note or "").strip() or None
        with self._write() as db:
            if back is None:
                self._require_session(session_id)
            else:
                self._require_two_scores(session_id)
            cursor = db.execute(
                "INSERT INTO checkins (session_id, recorded_at, pain, note, back_pain)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, stamp, pain, text, back),
            )
        return CheckinRecord(
            int(cursor.lastrowid or 0), session_id, from_text(stamp), pain, text, back
        )

    def checkins(self, *, limit: int | None = None) -> list[CheckinRecord]:
        """Next-morning check-ins, newest first."""
        rows = self._all(CHECKINS_SQL, (-1 if limit is None else limit,))
        return [checkin_record(row) for row in rows]

    def area_seconds(self, *, since: datetime | None = None) -> dict[str | None, float]:
        """Seconds of step work per body area over real (non-preview) sessions."""
        rows = self._all(AREA_SECONDS_SQL, (None if since is None else to_text(since),))
        return {area: float(seconds or 0) for area, seconds in rows}

    def all_segments(self) -> dict[int, list[SegmentRecord]]:
        """Every segment of every session, by session id, in plan order (for export)."""
        with sqlite_errors(self.path, "read"):
            rows = self._db.execute(ALL_SEGMENTS_SQL)
            grouped: dict[int, list[SegmentRecord]] = {}
            for row in rows:
                grouped.setdefault(row["session_id"], []).append(segment_record(row))
        return grouped

    def session(self, session_id: int) -> SessionRecord:
        """The session with this id; SessionNotFound if there is none."""
        row = self._one(f"{SELECT_SESSIONS} WHERE id = ?", (session_id,))
        if row is None:
            raise _not_found(session_id)
        return session_record(row)

    def segments(self, session_id: int) -> list[SegmentRecord]:
        """The session's segments in plan order; SessionNotFound for an unknown session."""
        rows = self._all(
            "SELECT * FROM segments WHERE session_id = ? ORDER BY position", (session_id,)
        )
        if not rows:
            self._require_session(session_id)
        return [segment_record(row) for row in rows]

    def last_finished_session(self, *, include_previews: bool = False) -> SessionRecord | None:
        """The newest (by start) completed or stopped session, previews left out by default."""
        row = self._one(
            f"{SELECT_SESSIONS} WHERE status IN ('completed', 'stopped')"
            " AND (? OR preview = 0) ORDER BY started_at DESC, id DESC LIMIT 1",
            (int(include_previews),),
        )
        return None if row is None else session_record(row)

    def _update(self, session_id: int, sql: str, params: tuple[object, ...]) -> None:
        # ``sql`` ends with "WHERE id = ?": the session's id is bound last.
        with self._write() as db:
            if db.execute(sql, (*params, session_id)).rowcount == 0:
                raise _not_found(session_id)

    def _require_session(self, session_id: int) -> None:
        if self._one("SELECT 1 FROM sessions WHERE id = ?", (session_id,)) is None:
            raise _not_found(session_id)

    def _require_two_scores(self, session_id: int) -> None:
        # SAFETY.md 4: a session recorded with one pain score never gains a back score.
        row = self._one("SELECT pain_scores FROM sessions WHERE id = ?", (session_id,))
        if row is None:
            raise _not_found(session_id)
        if row["pain_scores"] != "two":
            raise ValueError(f"session {session_id} was recorded with one pain score, not two")


def _not_found(session_id: int) -> SessionNotFound:
    return SessionNotFound(f"There is no session {session_id} in the journal.")
