"""The records of the pending file: making them, applying one to the journal, merging them all.

A record is one JSON object: ``v`` the format, ``id`` its own id, ``op`` what it does,
``session`` the id its writer gave the session (``new_uid``: the journal's row id may not exist
yet), ``at`` when it was made, and the op's fields. Every time is explicit UTC ISO 8601 text,
so a merge keeps the real times, not its own. The ops are a session's writes, in order:
``start`` (with its planned segments, options, pain before and, since the journal's version 4,
how many pain scores and the back's before), ``segment`` (one result), ``finish`` (status, stop
reason, end), ``pain`` (and the back's) and ``note``. A record written before the back scores
existed has no such fields: it is a session with one score.

A merge applies every record in order inside one transaction, each at most once (a merged
record's id is kept in the journal), and only after the commit removes them from the file:
a ``kill -9`` at any moment leaves either both as they were or both done.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal.migrations import StoreError
from sciatica_cli.journal.pending import (
    FORMAT,
    PendingLog,
    Record,
    new_record_id,
    pending_path,
)
from sciatica_cli.journal.records import (
    FINISHED_STATUSES,
    OUTCOMES,
    PlannedSegment,
    check_choice,
    check_pain,
    check_scores,
    check_seconds,
)
from sciatica_cli.journal.rows import from_text, options_text, to_text
from sciatica_cli.wallclock import utc_now

OPS = ("start", "segment", "finish", "pain", "note")
# A reading command tries the merge only this long when another program holds the journal.
READER_WAIT_SECONDS = 0.25


@dataclass(frozen=True)
class Merged:
    """What a merge did: records applied, records refused (kept in the journal with the
    reason), records still waiting in the file, and why they wait."""

    applied: int = 0
    rejected: int = 0
    waiting: int = 0
    problem: str | None = None


class MergeTarget(Protocol):
    """What a merge needs of the journal (``store.SessionStore``, which imports this module)."""

    path: Path

    def batch(self, *, wait: float | None = None) -> AbstractContextManager[None]: ...
    def session_id_for(self, uid: str) -> int | None: ...
    def was_merged(self, record_id: str) -> bool: ...
    def mark_merged(self, record_id: str, *, outcome: str, detail: str | None = None) -> None: ...

    def start_session(
        self, *, routine: str, title: str, options: Mapping[str, object],
        planned_seconds: float, preview: bool, segments: Sequence[PlannedSegment],
        pain_before: int | None, started_at: datetime | None = None, uid: str | None = None,
        pid: int | None = None, host: str | None = None, pain_scores: str = "one",
        back_before: int | None = None,
    ) -> int: ...  # fmt: skip

    def record_segment(
        self, session_id: int, position: int, *, outcome: str, done_seconds: float,
        started_at: datetime, ended_at: datetime,
    ) -> None: ...  # fmt: skip

    def finish_session(
        self, session_id: int, *, status: str, stop_reason: str | None = None,
        ended_at: datetime | None = None,
    ) -> None: ...  # fmt: skip

    def set_pain(
        self, session_id: int, *, before: int | None = None, after: int | None = None,
        back_before: int | None = None, back_after: int | None = None,
    ) -> None: ...  # fmt: skip
    def set_note(self, session_id: int, note: str | None, *, append: bool = False) -> None: ...


class RecordRefused(SciaticaError):
    """A pending record that cannot be applied: unknown op, or its session is not here."""


def new_uid() -> str:
    """A new session's id, made by its writer before the journal has a row for it."""
    import uuid  # here: a command that only reads never needs it

    return uuid.uuid4().hex


def start_op(
    session: str,
    *,
    routine: str,
    title: str,
    options: Mapping[str, object],
    planned_seconds: float,
    preview: bool,
    segments: Sequence[PlannedSegment],
    pain_before: int | None,
    started_at: datetime,
    pid: int | None = None,
    host: str | None = None,
    pain_scores: str = "one",
    back_before: int | None = None,
) -> Record:
    """The record of a session's start (``SessionStore.start_session``), played by ``pid``
    on ``host`` (by default this process, on this machine); with ``pain_scores`` "two",
    ``pain_before`` is the leg's and ``back_before`` the back's (SAFETY.md 4)."""
    check_seconds("planned_seconds", planned_seconds)
    check_pain("pain_before", pain_before)
    check_scores(pain_scores, back_before)
    return _record(
        "start", session, started_at, routine=routine, title=title,
        options=json.loads(options_text(options)), planned_seconds=planned_seconds,
        preview=preview, segments=[asdict(s) for s in segments], pain_before=pain_before,
        started_at=to_text(started_at), pid=os.getpid() if pid is None else pid,
        host=socket.gethostname() if host is None else host, pain_scores=pain_scores,
        back_before=back_before,
    )  # fmt: skip


def segment_op(
    session: str,
    position: int,
    *,
    outcome: str,
    done_seconds: float,
    started_at: datetime,
    ended_at: datetime,
) -> Record:
    """The record of how one segment ended (``SessionStore.record_segment``)."""
    check_choice("outcome", outcome, OUTCOMES)
    check_seconds("done_seconds", done_seconds)
    return _record(
        "segment", session, ended_at, position=position, outcome=outcome,
        done_seconds=done_seconds, started_at=to_text(started_at), ended_at=to_text(ended_at),
    )  # fmt: skip


def finish_op(session: str, *, status: str, stop_reason: str | None, ended_at: datetime) -> Record:
    """The record of how the session ended (``SessionStore.finish_session``)."""
    check_choice("status", status, FINISHED_STATUSES)
    return _record(
        "finish", session, ended_at, status=status, stop_reason=stop_reason,
        ended_at=to_text(ended_at),
    )  # fmt: skip


def pain_op(
    session: str,
    *,
    before: int | None = None,
    after: int | None = None,
    at: datetime | None = None,
    back_before: int | None = None,
    back_after: int | None = None,
) -> Record:
    """The record of pain scores given (``SessionStore.set_pain``); made now unless ``at``."""
    for name, value in ("before", before), ("after", after), ("back", back_before):
        check_pain(name, value)
    check_pain("back", back_after)
    fields: dict[str, object] = {"before": before, "after": after}
    if back_before is not None or back_after is not None:
        fields.update(back_before=back_before, back_after=back_after)
    return _record("pain", session, at or utc_now(), **fields)


def note_op(session: str, text: str | None, *, at: datetime | None = None) -> Record:
    """The record of the session's note (``SessionStore.set_note``); made now unless ``at``."""
    return _record("note", session, at or utc_now(), text=text)


def _record(op: str, session: str, at: datetime, **fields: object) -> Record:
    return {"v": FORMAT, "id": new_record_id(), "op": op, "session": session, "at": to_text(at),
            **fields}  # fmt: skip


def apply(target: MergeTarget, record: Mapping[str, Any]) -> None:
    """Make the change ``record`` describes in the journal. A start whose session is there
    already changes nothing. RecordRefused for an unknown op or a session not in the journal;
    StoreError if the journal cannot be written."""
    op, uid = record["op"], record["session"]
    if op == "start":
        if target.session_id_for(uid) is None:
            target.start_session(
                routine=record["routine"], title=record["title"], options=record["options"],
                planned_seconds=record["planned_seconds"], preview=record["preview"],
                segments=[PlannedSegment(**s) for s in record["segments"]],
                pain_before=record["pain_before"], started_at=from_text(record["started_at"]),
                uid=uid, pid=record["pid"], host=record["host"],
                # Absent from records written before the back scores: one score (SAFETY.md 4).
                pain_scores=record.get("pain_scores", "one"),
                back_before=record.get("back_before"),
            )  # fmt: skip
        return
    if op not in OPS:
        raise RecordRefused(f"'{op}' is not something this sciatica can write")
    session_id = target.session_id_for(uid)
    if session_id is None:
        raise RecordRefused(f"its session {uid} is not in this journal")
    if op == "segment":
        target.record_segment(
            session_id, record["position"], outcome=record["outcome"],
            done_seconds=record["done_seconds"], started_at=from_text(record["started_at"]),
            ended_at=from_text(record["ended_at"]),
        )  # fmt: skip
    elif op == "finish":
        target.finish_session(
            session_id, status=record["status"], stop_reason=record["stop_reason"],
            ended_at=from_text(record["ended_at"]),
        )  # fmt: skip
    elif op == "pain":
        target.set_pain(
            session_id, before=record["before"], after=record["after"],
            back_before=record.get("back_before"), back_after=record.get("back_after"),
        )  # fmt: skip
    else:
        target.set_note(session_id, record["text"])


def merge_pending(target: MergeTarget, log: PendingLog, *, wait: float | None = None) -> Merged:
    """Apply every record of ``log`` to ``target`` in order, in one transaction, each record
    once, then remove them from the file. A record that cannot be applied is refused: kept in
    the journal with the reason, never tried again. StoreError (the journal cannot be written)
    or PendingError (the file cannot be read) leave the journal and the file as they were."""
    applied = rejected = 0
    with log.taken() as taken:
        if taken.records:
            with target.batch(wait=wait):
                for record in taken.records:
                    if target.was_merged(record["id"]):
                        continue  # merged before a crash kept the file from being cleared
                    reason = _applied(target, record)
                    applied, rejected = applied + (reason is None), rejected + (reason is not None)
                    detail = None if reason is None else f"{reason}: {json.dumps(record)}"
                    target.mark_merged(
                        record["id"], outcome="applied" if reason is None else "rejected",
                        detail=detail,
                    )  # fmt: skip
            taken.clear()
        return Merged(applied, rejected, waiting=len(taken.later))


def _applied(target: MergeTarget, record: Mapping[str, Any]) -> str | None:
    """None once ``record`` is applied; why not, if it cannot be."""
    try:
        apply(target, record)
    except StoreError:
        raise  # the journal, not the record: the whole merge waits for another time
    except (SciaticaError, ValueError, KeyError, TypeError, sqlite3.IntegrityError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def merge_on_open(target: MergeTarget, *, reading: bool) -> Merged:
    """Merge the pending file of the journal just opened, if there is one; when it cannot
    be merged now (the journal locked or read-only, the file unreadable), say how many
    records wait and why. ``reading``: wait for a lock only ``READER_WAIT_SECONDS``."""
    log = PendingLog(pending_path(target.path))
    if not log.path.exists():
        return Merged()
    try:
        return merge_pending(target, log, wait=READER_WAIT_SECONDS if reading else None)
    except SciaticaError as err:
        return Merged(waiting=waiting(log), problem=err.message)


def waiting(log: PendingLog) -> int:
    """How many records wait in ``log``; 0 if it cannot even be read."""
    try:
        return log.count()
    except SciaticaError:
        return 0
