"""The journal as people see it: history rows, exports, check-ins and report data.

Below the CLI: no Typer, no Rich. Times are stored in UTC and shown in local time; exports
carry ISO 8601 times with their offset, so they read back as the same instants.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from sciatica_cli import paths
from sciatica_cli.errors import SciaticaError, UsageError
from sciatica_cli.safety.rules import change_label

if TYPE_CHECKING:
    from sciatica_cli.journal.records import CheckinRecord, SegmentRecord, SessionRecord
    from sciatica_cli.journal.store import SessionStore

JOURNAL_FILE = "journal.db"
EXPORT_VERSION = 1
# CSV: one row per segment (a session without segments still gets one row); stable order.
SESSION_COLUMNS = (
    "session_id", "routine", "title", "preview", "status", "stop_reason", "started_at",
    "ended_at", "planned_seconds", "done_seconds", "pain_before", "pain_after", "morning_pain",
    "note",
)  # fmt: skip
SEGMENT_COLUMNS = (
    "position", "kind", "segment_title", "step_number", "side", "area", "segment_planned_seconds",
    "outcome", "segment_done_seconds", "segment_started_at", "segment_ended_at",
)  # fmt: skip
CSV_COLUMNS = SESSION_COLUMNS + SEGMENT_COLUMNS


def local_tz() -> tzinfo:
    """This machine's time zone, daylight saving included (follows TZ)."""
    from sciatica_cli.wallclock import LocalTimezone

    return LocalTimezone()


@contextmanager
def opened(*, reading: bool = False) -> Iterator[SessionStore]:
    """The journal, for commands that read (``reading``) or annotate it."""
    from sciatica_cli.journal.store import SessionStore

    with SessionStore.open(paths.data_dir() / JOURNAL_FILE, reading=reading) as store:
        yield store


def parse_since(text: str, tz: tzinfo) -> datetime:
    """``--since 2026-11-01``: from local midnight of that day."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since takes a date like 2026-11-01, not '{text}'") from None
    return datetime.combine(day, time(), tzinfo=tz)


def _iso(moment: datetime | None, tz: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat()


def pain_text(session: SessionRecord) -> str:
    """``5 -> 2 better``: the scores and the SAFETY.md 4 change label."""
    before, after = session.pain_before, session.pain_after
    if before is None and after is None:
        return ""
    if before is None or after is None:
        return f"{'-' if before is None else before} -> {'-' if after is None else after}"
    return f"{before} -> {after} {change_label(before, after)}"


def status_text(session: SessionRecord) -> str:
    """How it ended, with previews and interrupted sessions marked as such."""
    words = session.status
    if session.stop_reason:
        words = f"{words}: {session.stop_reason}"
    return f"preview, {words}" if session.preview else words


def completion(session: SessionRecord) -> float:
    if session.planned_seconds <= 0:
        return 0.0
    return min(1.0, session.done_seconds / session.planned_seconds)


def session_dict(
    session: SessionRecord, tz: tzinfo, segments: list[SegmentRecord] | None = None
) -> dict[str, Any]:
    """A session for --json and the JSON export: stable keys, local ISO 8601 times."""
    data: dict[str, Any] = {
        "id": session.id, "routine": session.routine, "title": session.title,
        "preview": session.preview, "status": session.status,
        "stop_reason": session.stop_reason, "started_at": _iso(session.started_at, tz),
        "ended_at": _iso(session.ended_at, tz), "planned_seconds": session.planned_seconds,
        "done_seconds": session.done_seconds, "completion": round(completion(session), 4),
        "pain_before": session.pain_before, "pain_after": session.pain_after,
        "change": (change_label(session.pain_before, session.pain_after)
                   if session.pain_before is not None and session.pain_after is not None
                   else None),
        "morning_pain": session.morning_pain, "note": session.note,
        "options": dict(session.options),
    }  # fmt: skip
    if segments is not None:
        data["segments"] = [_segment_dict(s, tz) for s in segments]
    return data


def _segment_dict(segment: SegmentRecord, tz: tzinfo) -> dict[str, Any]:
    return {
        "position": segment.position, "kind": segment.kind, "title": segment.title,
        "step_number": segment.step_number, "side": segment.side, "area": segment.area,
        "planned_seconds": segment.planned_seconds, "outcome": segment.outcome,
        "done_seconds": segment.done_seconds, "started_at": _iso(segment.started_at, tz),
        "ended_at": _iso(segment.ended_at, tz),
    }  # fmt: skip


def export_json(store: SessionStore, tz: tzinfo) -> str:
    """Every session (previews too, marked) with its segments, oldest first."""
    segments = store.all_segments()
    sessions = sorted(store.sessions(include_previews=True), key=lambda s: (s.started_at, s.id))
    document = {
        "format": "sciatica-journal",
        "version": EXPORT_VERSION,
        "exported_at": datetime.now(tz).isoformat(),
        "sessions": [session_dict(s, tz, segments.get(s.id, [])) for s in sessions],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_csv(store: SessionStore, tz: tzinfo) -> str:
    """One row per segment, session columns repeated; the columns are CSV_COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    segments = store.all_segments()
    for session in sorted(
        store.sessions(include_previews=True), key=lambda s: (s.started_at, s.id)
    ):
        head = [
            session.id, session.routine, session.title, int(session.preview), session.status,
            session.stop_reason, _iso(session.started_at, tz), _iso(session.ended_at, tz),
            session.planned_seconds, session.done_seconds, session.pain_before,
            session.pain_after, session.morning_pain, session.note,
        ]  # fmt: skip
        rows: list[SegmentRecord | None] = [*segments.get(session.id, [])] or [None]
        for segment in rows:
            tail = [] if segment is None else [
                segment.position, segment.kind, segment.title, segment.step_number,
                segment.side, segment.area, segment.planned_seconds, segment.outcome,
                segment.done_seconds, _iso(segment.started_at, tz), _iso(segment.ended_at, tz),
            ]  # fmt: skip
            cells = head + tail + [None] * (len(CSV_COLUMNS) - len(head) - len(tail))
            writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue()


@dataclass(frozen=True)
class Checkin:
    """A next-morning check-in and what it means."""

    session: SessionRecord
    record: CheckinRecord
    previous: int | None  # the morning before's pain, for the 24-hour rule


def checkin(store: SessionStore, pain: int, note: str | None) -> Checkin:
    """Log next-morning pain for the latest real session."""
    from sciatica_cli.journal.stats import is_real

    # Interrupted sessions were held too (stats counts them); running and previews were not.
    session = next((s for s in store.sessions(limit=20) if is_real(s)), None)
    if session is None:
        raise SciaticaError(
            "there is no session to check in for yet; start one with 'sciatica routine start'"
        )
    # SAFETY.md 4, the 24-hour rule: compare with the latest check-in of an earlier morning
    # (a second check-in today corrects today's, it is not "the morning before").
    today = datetime.now(local_tz()).date()
    earlier = [
        c for c in store.checkins(limit=10) if c.recorded_at.astimezone(local_tz()).date() < today
    ]
    previous = earlier[0].pain if earlier else None
    return Checkin(session, store.record_checkin(session.id, pain, note), previous)
