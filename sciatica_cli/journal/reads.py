"""The journal's narrow reads: only the columns a figure needs, so the today view, the dose
and the advisories stay quick with 10,000 sessions. A base of ``store.SessionStore``; its SQL
belongs with the store's, split off only to keep each module short.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sciatica_cli.journal.merges import PendingMerges
from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.journal.rows import session_record, to_text
from sciatica_cli.safety.pain import counts_towards_goal
from sciatica_cli.safety.progression import Outcome

# Every session query reads its latest next-morning check-in with it (one indexed lookup):
# SessionRecord.morning_pain is the one copy of "a session's next-morning score"; morning_back,
# the back score of the same check-in (the same order, and ids are unique, so the same row).
LATEST_CHECKIN = (
    "(SELECT {} FROM checkins WHERE checkins.session_id = sessions.id"
    " ORDER BY recorded_at DESC, id DESC LIMIT 1)"
)
SELECT_SESSIONS = (
    f"SELECT sessions.*, {LATEST_CHECKIN.format('pain')} AS morning_pain,"
    f" {LATEST_CHECKIN.format('back_pain')} AS morning_back FROM sessions"
)
# A real session as SQL (stats.is_real in Python): not a preview, not still running. Whether it
# was *held* (half the plan done, SAFETY.md 4) is decided in Python only, by stats.is_held.
REAL = "preview = 0 AND status != 'running'"
# What "scored" asks of the first real session: a pain before (the main line), or a back
# score before of a session that asked leg and back apart (the back line, advisories.py).
_SCORED = {
    False: "1",
    True: "pain_before IS NOT NULL",
    "back": "pain_scores = 'two' AND back_before IS NOT NULL",
}
# SAFETY.md 6: a session whose length came from --minutes never counts towards a step-up: by
# its dose's source or, for sessions recorded before the dose had one, a --minutes not null.
# JSON1 (json_extract) is part of SQLite's core since 3.38 and compiled into the SQLite that
# CPython's Windows (3.9+) and macOS installers ship; options are always valid JSON
# (rows.options_text), and a missing key and a JSON null both read as NULL.
BY_MINUTES = (
    "(json_extract(options, '$.dose_source') IS 'minutes'"
    " OR (json_extract(options, '$.dose_source') IS NULL"
    " AND json_extract(options, '$.minutes') IS NOT NULL))"
)
# One routine's real sessions, oldest first, in the order of progression.Outcome's fields;
# the routine's index serves it. With one score the back columns are not read (_outcome).
DOSE_OUTCOMES_SQL = (
    f"SELECT started_at, pain_before, pain_after, {LATEST_CHECKIN.format('pain')},"
    " status = 'stopped' AND stop_reason = 'sharp pain', done_seconds, planned_seconds,"
    f" {BY_MINUTES}, pain_scores = 'two', back_before, back_after,"
    f" {LATEST_CHECKIN.format('back_pain')} FROM sessions"
    f" WHERE routine = ? AND {REAL} ORDER BY started_at, id"
)
# A week's real sessions, only the columns the half-time rule needs, by the started_at index.
WEEK_SQL = (
    f"SELECT planned_seconds, done_seconds FROM sessions WHERE {REAL}"
    " AND started_at >= ? AND started_at < ?"
)


class JournalReads(PendingMerges):
    """The narrow reads of an open journal (counts, firsts, the dose's replay, a week)."""

    def count_real(self) -> int:
        """How many real sessions, held or not: previews and running ones left out."""
        row = self._one(f"SELECT count(*) FROM sessions WHERE {REAL}")
        return int(row[0]) if row is not None else 0

    def real_session(
        self, *, newest: bool = False, scored: bool | Literal["back"] = False
    ) -> SessionRecord | None:
        """The oldest (or ``newest``) real session by start; with a pain before if ``scored``,
        with a back score before (of a session that asked leg and back apart) if "back"."""
        order = "DESC" if newest else "ASC"
        row = self._one(
            f"{SELECT_SESSIONS} WHERE {REAL} AND {_SCORED[scored]}"
            f" ORDER BY started_at {order}, id {order} LIMIT 1"
        )
        return None if row is None else session_record(row)

    def dose_outcomes(self, routine: str) -> list[Outcome]:
        """SAFETY.md 6: ``routine``'s real sessions, oldest first, as progression replays them.
        Only the columns it needs: building whole records (options parsed and all) would be
        several times slower with 10,000 sessions."""
        read = datetime.fromisoformat
        return [
            Outcome(
                read(r[0]), r[1], r[2], r[3], bool(r[4]), r[5], r[6], bool(r[7]),
                *((True, r[9], r[10], r[11]) if r[8] else _ONE_SCORE),
            )
            for r in self._all(DOSE_OUTCOMES_SQL, (routine,))
        ]  # fmt: skip

    def held_between(self, start: datetime, end: datetime) -> int:
        """Sessions held (SAFETY.md 4: half the plan done) that started from ``start`` up to
        ``end``: counted from two columns, no record built."""
        rows = self._all(WEEK_SQL, (to_text(start), to_text(end)))
        return sum(counts_towards_goal(done, planned) for planned, done in rows)


_ONE_SCORE = (False, None, None, None)
