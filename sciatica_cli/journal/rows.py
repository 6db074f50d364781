"""Between SQLite rows and the journal's records: times as text, JSON columns, 0/1 flags.

Times are stored as UTC ISO 8601 text of a fixed width, so comparing the text compares the
instants, and SQLite's indexes on them sort by time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime, timezone

from sciatica_cli.journal.records import (
    CheckinRecord,
    ContraindicationRecord,
    ScreenRecord,
    SegmentRecord,
    SessionRecord,
)


def to_text(moment: datetime) -> str:
    """UTC ISO 8601 with microseconds and offset: fixed width, so text order is time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text)


def from_optional(text: str | None) -> datetime | None:
    """A stored time that may be missing (NULL)."""
    return None if text is None else from_text(text)


def options_text(options: Mapping[str, object]) -> str:
    """A session's options as JSON with sorted keys; ValueError unless they are JSON data."""
    try:
        return json.dumps(dict(options), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"options must be JSON data: {exc}") from exc


def answers_text(answers: Mapping[str, bool]) -> str:
    """Question id -> yes/no as JSON with sorted keys; ValueError for anything else."""
    for key, value in answers.items():
        if not isinstance(key, str) or not key or not isinstance(value, bool):
            raise ValueError(f"answers map question ids to True or False, not {key!r}: {value!r}")
    return json.dumps(dict(sorted(answers.items())))


def session_record(row: sqlite3.Row) -> SessionRecord:
    """A ``sessions`` row (with its ``morning_pain``) as a record."""
    # Column names are the record's field names; only JSON, booleans and times need converting.
    values = dict(row)
    values.update(
        options=json.loads(values["options"]),
        preview=bool(values["preview"]),
        started_at=from_text(values["started_at"]),
        ended_at=from_optional(values["ended_at"]),
    )
    return SessionRecord(**values)


def segment_record(row: sqlite3.Row) -> SegmentRecord:
    """A ``segments`` row as a record."""
    values = dict(row)
    values.update(
        started_at=from_optional(values["started_at"]),
        ended_at=from_optional(values["ended_at"]),
    )
    return SegmentRecord(**values)


def screen_record(row: sqlite3.Row) -> ScreenRecord:
    """A ``screens`` row as a record."""
    values = dict(row)
    values.update(
        answered_at=from_text(values["answered_at"]),
        answers=json.loads(values["answers"]),
        assessed=bool(values["assessed"]),
    )
    return ScreenRecord(**values)


def checkin_record(row: sqlite3.Row) -> CheckinRecord:
    """A ``checkins`` row as a record."""
    values = dict(row)
    values.update(recorded_at=from_text(values["recorded_at"]))
    return CheckinRecord(**values)


def contraindication_record(row: sqlite3.Row) -> ContraindicationRecord:
    """A ``contraindications`` row as a record (its id is not part of it)."""
    return ContraindicationRecord(
        answered_at=from_text(row["answered_at"]), answers=json.loads(row["answers"])
    )
