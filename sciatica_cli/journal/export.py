"""The journal as data: a session for ``--json``, and the JSON and CSV exports.

Times are stored in UTC and written in the person's zone as ISO 8601 with their offset, so they
read back as the same instants. Per-session figures (completion, whether it counted towards
the weekly goal, the change label) come from :mod:`sciatica_cli.journal.stats`, the same as
every other view shows.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from sciatica_cli.journal.dose_history import session_dose, session_dose_source
from sciatica_cli.journal.stats import back_change, change, completion, is_held, pain_change
from sciatica_cli.wallclock import utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.records import SegmentRecord, SessionRecord
    from sciatica_cli.journal.store import SessionStore

EXPORT_VERSION = 1
# CSV: one row per segment (a session without segments still gets one row); stable order.
SESSION_COLUMNS = (
    "session_id", "routine", "title", "preview", "status", "stop_reason", "started_at",
    "ended_at", "planned_seconds", "done_seconds", "counted", "pain_before", "pain_after",
    "change", "morning_pain", "note",
)  # fmt: skip
SEGMENT_COLUMNS = (
    "position", "kind", "segment_title", "step_number", "side", "area", "segment_planned_seconds",
    "outcome", "segment_done_seconds", "segment_started_at", "segment_ended_at",
)  # fmt: skip
# Added with two pain scores (SAFETY.md 4) and the dose (SAFETY.md 6): at the end, so scripts
# reading the columns by position still work. With pain_scores "two", pain_before, pain_after
# and morning_pain are the leg's; change is then the session's one label ("worse" when either
# score is) and pain_change the leg's own.
SCORE_COLUMNS = (
    "pain_scores", "pain_change", "back_before", "back_after", "back_change", "morning_back",
    "dose", "dose_source",
)  # fmt: skip
CSV_COLUMNS = SESSION_COLUMNS + SEGMENT_COLUMNS + SCORE_COLUMNS


def _iso(moment: datetime | None, tz: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat()


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
        "counted": is_held(session), "pain_before": session.pain_before,
        "pain_after": session.pain_after, "change": change(session),
        "morning_pain": session.morning_pain, "note": session.note,
        "options": dict(session.options), **score_fields(session),
    }  # fmt: skip
    if segments is not None:
        data["segments"] = [_segment_dict(s, tz) for s in segments]
    return data


def score_fields(session: SessionRecord) -> dict[str, Any]:
    """The SCORE_COLUMNS of a session, by name: the same values in JSON and CSV."""
    return {
        "pain_scores": session.pain_scores, "pain_change": pain_change(session),
        "back_before": session.back_before, "back_after": session.back_after,
        "back_change": back_change(session), "morning_back": session.morning_back,
        "dose": session_dose(session.options), "dose_source": session_dose_source(session.options),
    }  # fmt: skip


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
        "exported_at": utc_now().astimezone(tz).isoformat(),
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
            session.planned_seconds, session.done_seconds, int(is_held(session)),
            session.pain_before, session.pain_after, change(session), session.morning_pain,
            session.note,
        ]  # fmt: skip
        scores = list(score_fields(session).values())
        rows: list[SegmentRecord | None] = [*segments.get(session.id, [])] or [None]
        for segment in rows:
            tail = [] if segment is None else [
                segment.position, segment.kind, segment.title, segment.step_number,
                segment.side, segment.area, segment.planned_seconds, segment.outcome,
                segment.done_seconds, _iso(segment.started_at, tz), _iso(segment.ended_at, tz),
            ]  # fmt: skip
            blank = [None] * (len(SESSION_COLUMNS) + len(SEGMENT_COLUMNS) - len(head) - len(tail))
            cells = head + tail + blank + scores
            writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue()
