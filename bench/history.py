"""Journal benchmark: are ``sciatica history`` and ``history stats`` quick with 10,000 sessions?

Target (from the project's issue): with a journal of 10,000 generated sessions of about 10
segments each, the median wall time of ``sciatica history`` and of ``sciatica history stats``
is at most 1.5 times the median wall time of ``sciatica --help`` measured in the same run.
"Index what the queries need."

The journal: ``--sessions`` (10,000) sessions of the six built-in routines, started at random
times over the last ``--years`` (2) years up to an hour ago, with 8 to 12 segments each
(setup, a step per side with a switch between, rests) and body areas on the steps. About 5 %
are previews (speed 20, no pain scores); of the rest about 86 % completed, 9 % stopped (quit,
Ctrl-C or sharp pain, part-done) and 5 % interrupted. Pain before drifts from about 6.5 to 3
with noise, pain after is mostly the same or lower; some scores are missing, some sessions
have notes, about 60 % of mornings after a day with sessions have a check-in (for that day's
last real session) and a red-flag screen precedes the first session of each 7-day stretch.
The generator is seeded (``--seed``), so every run writes the same journal.

10,000 sessions over 2 years is about 96 a week. (At the issue's "3 a week" 10,000 sessions
would span 64 years: ``--years 64`` writes that journal. The whole-journal reads are the same
either way; the 8-week window of ``history stats`` holds about 770 sessions at 2 years and
about 24 at 64.)

How it is written: through the store's API, as a session writes it. ``SessionStore.open`` makes
the file (migrations, ``application_id``, WAL) with an injected clock (``now=``) that is set to
each event's time; then ``record_contraindications``, ``record_screen``, and for each session
``start_session``, ``record_segment`` for every segment that ended, ``finish_session``,
``set_pain`` and ``set_note``; then ``record_checkin``. Each call commits on its own, about
123,000 of them (about 30 s on the 2-core machine of docs/performance.md; more on a disk with
slow fsync). ``--bulk`` is the quick way (about 1 s): the file is still made by
``SessionStore.open``, then the rows are inserted with ``sqlite3`` in one transaction (column
lists checked against ``PRAGMA table_info``; ``done_seconds`` set by the store's own ``SUM``);
first the ``--sample`` (200) first sessions, with their screens and check-ins, are written both
ways into two fresh journals and read back with the store, and every record must be equal or
the script stops. Either way the finished journal is opened and read back with
``SessionStore.open`` (its damage and version checks included) before anything is timed.

What is measured: the wall time (``time.perf_counter``) of whole child processes (the console
script beside ``sys.executable``), spawn to exit, with ``NO_COLOR=1``, stdout to DEVNULL and
``SCIATICA_HOME`` the generated journal's folder. Byte-code is cached as after an install:
``PYTHONDONTWRITEBYTECODE`` is dropped from the environment and ``PYTHONPYCACHEPREFIX`` points
into the temp dir, so the untimed first run of each command compiles every module it imports
once and the repo is left alone (without this, with ``PYTHONDONTWRITEBYTECODE=1`` and an
editable install, every run compiles every ``sciatica_cli`` module it imports from source).
Each command runs once untimed, then all run round-robin ``--runs`` (15) times, the order
rotating each round:

- ``sciatica --help`` (the baseline);
- ``sciatica history`` and ``sciatica history stats`` (judged: ratio to ``--help`` <= 1.5);
- for information: ``sciatica history --json``, ``sciatica history export --format json``
  (stdout to DEVNULL) and ``sciatica history report -o TMP/r.html``.

``export`` writes to stdout rather than ``-o /dev/null``: ``-o`` writes a temp file beside the
target and renames it over the target, which for ``/dev/null`` would need write access to
``/dev`` and, as root, would replace the device node with a regular file.

Also printed: the journal's size, ``EXPLAIN QUERY PLAN`` of the SQL those commands run (the
store's own statements, imported from ``sciatica_cli/journal/store.py``, so they cannot drift;
the parameters bound here are checked against what the store really sends, so a change there
shows as a warning rather than a stale plan) with each query's in-process time, and an
in-process breakdown (a child process of the same interpreter): imports, ``SessionStore.open``
and its read-only ``inspect`` (``PRAGMA quick_check``), the store reads and the whole of
``progress()``, ``report_html()`` and ``export_json()``.

Run from the repo root with the project's interpreter::

    python bench/history.py [--runs 15] [--sessions 10000] [--years 2] [--bulk]

It takes 2 to 6 minutes, most of it the export (16 runs) and writing the journal through the API
(``--bulk`` saves about 25 s). It reports and always exits 0 (unless the set-up itself fails);
it does not gate anything.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from _common import (  # bench/ is on sys.path when run as a script
    Command,
    console_script,
    package_versions,
    print_breakdown,
    print_ratios,
    time_rounds,
    warm_up,
)

from sciatica_cli.journal.opening import JOURNAL_FILE
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.rows import to_text
from sciatica_cli.journal.store import (
    ALL_SEGMENTS_SQL,
    AREA_SECONDS_SQL,
    CHECKINS_SQL,
    SESSIONS_SQL,
    SessionStore,
)
from sciatica_cli.safety.conditions import CONDITIONS
from sciatica_cli.safety.redflags import TIER_A, TIER_B

LIMIT = 1.5
STATS_WEEKS = 8  # the default of `history stats`
HISTORY_LIMIT = 20  # the default of `history`

# The built-in routines: name, title, the areas their steps work on (None: no area).
ROUTINES: tuple[tuple[str, str, tuple[str | None, ...]], ...] = (
    ("full", "Full sciatica self-massage", ("lower-back", "glutes", "hamstrings", "piriformis")),
    ("glute-ball", "Glutes with a ball", ("glutes",)),
    ("foam-roller-back", "Foam roller, lower back", ("lower-back",)),
    ("hamstring-roll", "Hamstrings on the foam roller", ("hamstrings",)),
    ("piriformis-ball", "Piriformis with a ball", ("piriformis",)),
    ("warm-up", "Gentle warm-up", ("lower-back", "hips", None)),
)
ROUTINE_WEIGHTS = (30, 20, 15, 12, 13, 10)
NOTES = (
    "Felt looser afterwards.",
    "Left side tighter than the right today.",
    "Sore spot in the glute, eased off.",
    "Short on time, did what I could.",
    "Much easier to sit after this one.",
    "Tingling in the calf on the piriformis step: moved off it.",
    "Slept badly, stiff in the morning.",
)
MORNING_NOTES = ("Stiff getting up.", "Better than yesterday.", "Walked the dog without pain.")

# Session statuses among real sessions: (status, stop reason, weight).
ENDINGS = (
    ("completed", None, 860),
    ("stopped", "quit", 50),
    ("stopped", "interrupted (Ctrl-C)", 20),
    ("stopped", "sharp pain", 20),
    ("interrupted", None, 50),
)

# The store's column order for each table this script writes (checked against the file).
COLUMNS = {
    "contraindications": ("id", "answered_at", "answers"),
    "screens": ("id", "answered_at", "answers", "result", "assessed"),
    "sessions": (
        "id", "routine", "title", "options", "preview", "status", "stop_reason", "started_at",
        "ended_at", "planned_seconds", "done_seconds", "pain_before", "pain_after", "pid", "host",
        "note", "uid", "pain_scores", "back_before", "back_after",
    ),
    "segments": (
        "session_id", "position", "kind", "title", "step_number", "side", "area",
        "planned_seconds", "outcome", "done_seconds", "started_at", "ended_at",
    ),
    "checkins": ("id", "session_id", "recorded_at", "pain", "note", "back_pain"),
}  # fmt: skip


@dataclass(frozen=True)
class Query:
    """One statement the commands run, with the parameters they bind and who runs it."""

    label: str
    sql: str
    params: tuple[object, ...]
    call: Callable[[SessionStore], object]  # the store call that sends it (drift check)


def queries(since: datetime) -> list[Query]:
    after = to_text(since)
    return [
        Query(
            "sessions, newest 20, previews too (history)",
            SESSIONS_SQL,
            (1, None, None, None, HISTORY_LIMIT),
            lambda s: s.sessions(include_previews=True, limit=HISTORY_LIMIT),
        ),
        Query(
            "sessions, all real ones (history stats, report)",
            SESSIONS_SQL,
            (0, None, None, None, -1),
            lambda s: s.sessions(),
        ),
        Query(
            f"area_seconds since {since.date()} (history stats)",
            AREA_SECONDS_SQL,
            (after,),
            lambda s: s.area_seconds(since=since),
        ),
        Query("checkins, all (report)", CHECKINS_SQL, (-1,), lambda s: s.checkins()),
        Query("all_segments (export)", ALL_SEGMENTS_SQL, (), lambda s: s.all_segments()),
    ]


# -- the generated journal --------------------------------------------------------------------


@dataclass
class SegmentPlan:
    planned: PlannedSegment
    outcome: str | None = None  # None: never recorded (the session ended before it)
    done_seconds: float | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass
class SessionPlan:
    id: int
    routine: str
    title: str
    options: dict[str, object]
    preview: bool
    status: str
    stop_reason: str | None
    started_at: datetime
    ended_at: datetime
    planned_seconds: float
    pain_before: int | None
    pain_after: int | None
    note: str | None
    segments: list[SegmentPlan]


@dataclass
class ScreenPlan:
    answered_at: datetime
    answers: dict[str, bool]
    result: str
    assessed: bool


@dataclass
class CheckinPlan:
    session_id: int
    recorded_at: datetime
    pain: int
    note: str | None


@dataclass
class JournalPlan:
    first_at: datetime
    contraindications: dict[str, bool]
    screens: list[ScreenPlan] = field(default_factory=list)
    sessions: list[SessionPlan] = field(default_factory=list)
    checkins: list[CheckinPlan] = field(default_factory=list)

    def up_to(self, count: int) -> JournalPlan:
        """The journal as it was after its first ``count`` sessions."""
        kept = self.sessions[:count]
        end = kept[-1].ended_at if kept else self.first_at
        ids = {s.id for s in kept}
        return JournalPlan(
            self.first_at,
            self.contraindications,
            [s for s in self.screens if s.answered_at <= end],
            kept,
            [c for c in self.checkins if c.session_id in ids],
        )


def clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def segment_plans(rng: random.Random, areas: Sequence[str | None]) -> list[PlannedSegment]:
    """8 to 12 segments: setup, then per step left side, switch, right side, rest."""
    count = rng.randint(8, 12)
    segments = [PlannedSegment(0, "setup", "Get into position", 0, None, None, 30.0)]
    step = 0
    while len(segments) < count:
        step += 1
        area = areas[(step - 1) % len(areas)]
        seconds = rng.choice((90.0, 120.0, 150.0, 180.0))
        title = f"Roll the {area}" if area else "Loosen up"
        for kind, side, name, length in (
            ("step", "left", title, seconds),
            ("switch", None, "Switch sides", 10.0),
            ("step", "right", title, seconds),
            ("rest", None, "Rest", 20.0),
        ):
            if len(segments) < count:
                segments.append(PlannedSegment(len(segments), kind, name, step, side, area, length))
    return segments


def plan_journal(count: int, years: float, end: datetime, seed: int) -> JournalPlan:
    """``count`` sessions at random times over ``years`` years up to ``end`` (UTC)."""
    rng = random.Random(seed)
    span = timedelta(days=365.25 * years).total_seconds()
    offsets = sorted(rng.uniform(0, span) for _ in range(count))
    first_at = end - timedelta(seconds=span)
    plan = JournalPlan(first_at, {c.id: c.id == "numb" for c in CONDITIONS})  # numb skin
    questions = [qid for qid, _ in TIER_A + TIER_B]
    last_screen: datetime | None = None
    last_of_day: dict[date, SessionPlan] = {}
    for number, offset in enumerate(offsets, start=1):
        started = first_at + timedelta(seconds=offset)
        started = started.replace(microsecond=rng.randrange(1_000_000))
        progress = offset / span
        routine, title, areas = rng.choices(ROUTINES, ROUTINE_WEIGHTS)[0]
        preview = rng.random() < 0.05
        status, reason = ("completed", None)
        if preview:
            status, reason = rng.choice((("completed", None), ("stopped", "quit")))
        else:
            ending = rng.choices(ENDINGS, [w for _, _, w in ENDINGS])[0]
            status, reason = ending[0], ending[1]
        planned = segment_plans(rng, areas)
        speed = 20.0 if preview else 1.0
        side = rng.choice((None, None, "left", "right"))
        options: dict[str, object] = {
            "assessed": False, "bell": True, "history": True, "minutes": None,
            "plain": False, "side": side, "speed": speed, "voice": False,
        }  # fmt: skip
        # Segments run back to back; a stopped session stops part-way through one, an
        # interrupted one just ends after its last recorded segment.
        last = len(planned)
        if status == "stopped":
            last = rng.randrange(1, len(planned))
        elif status == "interrupted":
            last = rng.randrange(0, len(planned))
        clock = started + timedelta(seconds=rng.uniform(0.5, 3))
        segments = []
        for seg in planned:
            item = SegmentPlan(seg)
            if seg.position < last or (status == "stopped" and seg.position == last):
                if status == "stopped" and seg.position == last:
                    item.outcome, done = "stopped", seg.planned_seconds * rng.uniform(0.1, 0.9)
                elif seg.kind == "step" and rng.random() < 0.03:
                    item.outcome, done = "skipped", seg.planned_seconds * rng.uniform(0, 0.3)
                else:
                    item.outcome, done = "done", seg.planned_seconds
                item.done_seconds = round(done, 3)
                item.started_at = clock
                clock += timedelta(seconds=item.done_seconds / speed + rng.uniform(0.01, 0.2))
                item.ended_at = clock
            segments.append(item)
        ended = clock
        before = after = None
        if not preview:
            level = 6.5 - 3.5 * progress + 0.8 * math.sin(progress * 9 * math.pi)
            if rng.random() > 0.08:
                before = clamp(rng.gauss(level, 1.0))
            if status == "stopped" and reason == "sharp pain":
                after = None if before is None else min(10, before + rng.choice((1, 2, 3)))
            elif status != "interrupted" and rng.random() > 0.1:
                base = level if before is None else before
                after = clamp(base + rng.choices((-2, -1, 0, 1, 2), (15, 35, 35, 12, 3))[0])
        note = None
        if not preview and status == "completed" and rng.random() < 0.08:
            note = rng.choice(NOTES)
        if last_screen is None or started - last_screen >= timedelta(days=7):
            last_screen = started - timedelta(seconds=rng.uniform(30, 90))
            urgent = rng.random() < 0.03
            answers = {qid: urgent and qid == "B4" for qid in questions}
            result = "urgent" if urgent else "clear"
            plan.screens.append(ScreenPlan(last_screen, answers, result, urgent))
        session = SessionPlan(
            number, routine, title, options, preview, status, reason, started, ended,
            sum(s.planned_seconds for s in planned), before, after, note, segments,
        )  # fmt: skip
        plan.sessions.append(session)
        if not preview:
            last_of_day[started.date()] = session
    for day, session in sorted(last_of_day.items()):
        morning = datetime.combine(day + timedelta(days=1), datetime.min.time(), timezone.utc)
        recorded = morning + timedelta(hours=rng.uniform(6.5, 9.5))
        if rng.random() < 0.6 and recorded < end:
            base = session.pain_after if session.pain_after is not None else session.pain_before
            pain = clamp((5 if base is None else base) + rng.choice((-1, 0, 0, 1)))
            note = rng.choice(MORNING_NOTES) if rng.random() < 0.2 else None
            plan.checkins.append(CheckinPlan(session.id, recorded, pain, note))
    return plan


class Clock:
    """The injected ``now`` of the store: whatever time the generator says it is."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def session_uid(session_id: int) -> str:
    """The writer's id of a generated session: the same in both ways of writing, so the
    journals they make compare equal."""
    return f"bench-{session_id:06d}"


def write_via_store(path: Path, plan: JournalPlan, *, batch: bool = False) -> tuple[float, int]:
    """Write ``plan`` with the store's API, as sessions would; (seconds, store calls).
    ``batch``: all in one transaction (``SessionStore.batch``), for a quick set-up."""
    clock = Clock(plan.first_at)
    calls = 0
    start = time.perf_counter()
    with SessionStore.open(path, now=clock) as store, store.batch() if batch else nullcontext():
        clock.moment = plan.first_at
        store.record_contraindications(plan.contraindications)
        for screen in plan.screens:
            clock.moment = screen.answered_at
            store.record_screen(screen.answers, result=screen.result, assessed=screen.assessed)
        calls += 1 + len(plan.screens)
        for s in plan.sessions:
            clock.moment = s.started_at
            session_id = store.start_session(
                routine=s.routine, title=s.title, options=s.options,
                planned_seconds=s.planned_seconds, preview=s.preview,
                segments=[seg.planned for seg in s.segments], pain_before=s.pain_before,
                uid=session_uid(s.id),
            )  # fmt: skip
            assert session_id == s.id, (session_id, s.id)
            calls += 1
            for seg in s.segments:
                if seg.outcome is None:
                    continue
                assert seg.done_seconds is not None
                assert seg.started_at is not None and seg.ended_at is not None
                clock.moment = seg.ended_at
                store.record_segment(
                    session_id, seg.planned.position, outcome=seg.outcome,
                    done_seconds=seg.done_seconds, started_at=seg.started_at,
                    ended_at=seg.ended_at,
                )  # fmt: skip
                calls += 1
            clock.moment = s.ended_at
            store.finish_session(session_id, status=s.status, stop_reason=s.stop_reason)
            calls += 1
            if s.pain_after is not None:
                store.set_pain(session_id, after=s.pain_after)
                calls += 1
            if s.note is not None:
                store.set_note(session_id, s.note)
                calls += 1
        for c in plan.checkins:
            clock.moment = c.recorded_at
            store.record_checkin(c.session_id, c.pain, c.note)
            calls += 1
    return time.perf_counter() - start, calls


def check_columns(db: sqlite3.Connection) -> None:
    for table, expected in COLUMNS.items():
        found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
        if found != expected:
            sys.exit(
                f"the journal's {table} table has the columns {found}, and this script writes"
                f" {expected}: update COLUMNS and write_bulk in bench/history.py"
            )


def write_bulk(path: Path, plan: JournalPlan) -> float:
    """Write ``plan`` into a journal made by SessionStore.open, with plain SQL; seconds."""
    start = time.perf_counter()
    with SessionStore.open(path, now=Clock(plan.first_at)):
        pass  # the schema, application_id and WAL mode, exactly as the app makes them
    pid, host = os.getpid(), socket.gethostname()  # what start_session records
    db = sqlite3.connect(path, isolation_level=None)
    try:
        check_columns(db)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO contraindications VALUES (1, ?, ?)",
            (to_text(plan.first_at), json.dumps(dict(sorted(plan.contraindications.items())))),
        )
        db.executemany(
            "INSERT INTO screens VALUES (?, ?, ?, ?, ?)",
            [
                (n, to_text(s.answered_at), json.dumps(dict(sorted(s.answers.items()))),
                 s.result, int(s.assessed))
                for n, s in enumerate(plan.screens, start=1)
            ],
        )  # fmt: skip
        db.executemany(
            # One pain score each (the generator's): no back scores.
            "INSERT INTO sessions VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 'one', NULL, NULL)",
            [
                (s.id, s.routine, s.title, json.dumps(s.options, sort_keys=True, allow_nan=False),
                 int(s.preview), s.status, s.stop_reason, to_text(s.started_at),
                 to_text(s.ended_at), s.planned_seconds, s.pain_before, s.pain_after, pid, host,
                 s.note, session_uid(s.id))
                for s in plan.sessions
            ],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (s.id, g.planned.position, g.planned.kind, g.planned.title,
                 g.planned.step_number, g.planned.side, g.planned.area, g.planned.planned_seconds,
                 g.outcome, g.done_seconds, None if g.started_at is None else to_text(g.started_at),
                 None if g.ended_at is None else to_text(g.ended_at))
                for s in plan.sessions
                for g in s.segments
            ],
        )  # fmt: skip
        # What record_segment leaves in sessions.done_seconds: the SUM over the segments.
        db.execute(
            "UPDATE sessions SET done_seconds = (SELECT COALESCE(SUM(done_seconds), 0)"
            " FROM segments WHERE session_id = sessions.id)"
        )
        db.executemany(
            "INSERT INTO checkins VALUES (?, ?, ?, ?, ?, NULL)",
            [
                (n, c.session_id, to_text(c.recorded_at), c.pain, c.note)
                for n, c in enumerate(plan.checkins, start=1)
            ],
        )
        db.execute("COMMIT")
    finally:
        db.close()
    return time.perf_counter() - start


def read_back(path: Path) -> dict[str, object]:
    with SessionStore.open(path) as store:
        return {
            "sessions": store.sessions(include_previews=True),
            "segments": store.all_segments(),
            "checkins": store.checkins(),
            "screens": store.screens(),
            "contraindications": store.contraindications(),
        }


def compare_ways(work: Path, plan: JournalPlan) -> tuple[float, int, int, int]:
    """Write ``plan`` via the API and in bulk; stop unless the store reads back the same."""
    api, bulk = work / "api" / JOURNAL_FILE, work / "bulk" / JOURNAL_FILE
    seconds, calls = write_via_store(api, plan)
    write_bulk(bulk, plan)
    a, b = read_back(api), read_back(bulk)
    for key, value in a.items():
        if value != b[key]:
            pairs = zip(value, b[key], strict=False) if isinstance(value, list) else []
            first = next(((x, y) for x, y in pairs if x != y), (value, b[key]))
            sys.exit(
                f"the bulk-written journal differs from the API-written one in {key}:\n"
                f"  API:  {str(first[0])[:600]}\n  bulk: {str(first[1])[:600]}"
            )
    segments = sum(len(v) for v in a["segments"].values())  # type: ignore[attr-defined]
    return seconds, len(plan.sessions), segments, calls


# -- reports ---------------------------------------------------------------------------------


def expand(sql: str, params: Sequence[object]) -> str:
    """``sql`` with its parameters written in, as SQLite's trace callback shows it."""
    values = iter(params)

    def literal(_: re.Match[str]) -> str:
        value = next(values)
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        return str(value)

    return re.sub(r"\?", literal, sql)


def sent_sql(store: SessionStore, call: Callable[[SessionStore], object]) -> list[str]:
    seen: list[str] = []
    db: sqlite3.Connection = store._db  # private: only to see the SQL the store sends
    db.set_trace_callback(seen.append)
    try:
        call(store)
    finally:
        db.set_trace_callback(None)
    return seen


def plan_lines(db: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[str]:
    rows = db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("    " + "  " * depth[node] + detail)
    return lines


def time_query(db: sqlite3.Connection, sql: str, params: Sequence[object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        db.execute(sql, params).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


IN_PROCESS = """\
import json, statistics, sys, time
from datetime import datetime, timedelta, timezone
from pathlib import Path
runs, path = int(sys.argv[1]), Path(sys.argv[2])
since = datetime.fromisoformat(sys.argv[3])
out = {}
t0 = time.perf_counter()
import sciatica_cli.cli
out["import sciatica_cli.cli (typer, the command tree)"] = time.perf_counter() - t0
t0 = time.perf_counter()
from sciatica_cli.journal import export
from sciatica_cli.journal import progress
from sciatica_cli.journal import store
from sciatica_cli.wallclock import local_tz
out["import export, progress, stats, store"] = time.perf_counter() - t0
t0 = time.perf_counter()
import rich.console, rich.table, rich.panel, sciatica_cli.journal.views, sciatica_cli.journal.charts
out["import rich console/table/panel, journal views, charts"] = time.perf_counter() - t0
from sciatica_cli.journal.migrations import MIGRATIONS, inspect

def median(call):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

def with_store(call):
    with store.SessionStore.open(path) as s:
        return median(lambda: call(s))

tz = local_tz()
out["SessionStore.open + close"] = median(lambda: store.SessionStore.open(path).close())
out["  of which inspect() (read-only checks, PRAGMA quick_check)"] = median(
    lambda: inspect(path, MIGRATIONS))
out["store.sessions(previews, limit=20)  [history]"] = with_store(
    lambda s: s.sessions(include_previews=True, limit=20))
out["store.sessions()  [stats, report]"] = with_store(lambda s: s.sessions())
out["store.area_seconds(since)  [stats]"] = with_store(lambda s: s.area_seconds(since=since))
out["store.checkins()  [report]"] = with_store(lambda s: s.checkins())
with store.SessionStore.open(path) as s:
    rows = s.sessions()
from sciatica_cli.journal import advisories, stats
now = datetime.now(tz)
out["advisories.advisories(all sessions)  [stats, report]"] = median(
    lambda: advisories.advisories(rows, now=now))
today = now.date()
out["stats.weekly_counts(all sessions, 8 weeks)  [stats]"] = median(
    lambda: stats.weekly_counts(rows, goal=3, weeks=8, today=today, tz=tz))
out["progress(8): read + figures  [stats]"] = median(lambda: progress.progress(8))
result = progress.progress(8)
from rich.console import Console
import io
from sciatica_cli.journal.views import stats_view
def render():
    console = Console(file=io.StringIO(), width=80, highlight=False, no_color=True)
    console.print(stats_view(result, console.width))
out["stats_view() rendered at 80 columns  [stats]"] = median(render)
out["report_html()  [report]"] = median(progress.report_html)
out["export.export_json()  [export]"] = with_store(lambda s: export.export_json(s, tz))
print(json.dumps(out))
"""


def versions() -> str:
    found = package_versions(("typer", "rich", "pydantic"))
    return ", ".join(found) + f", SQLite {sqlite3.sqlite_version}"


def stats_since(now: datetime) -> datetime:
    """The start of `history stats`'s default window (progress.progress): a local Monday."""
    from sciatica_cli.wallclock import local_tz

    tz = local_tz()
    today = now.astimezone(tz).date()
    start = today - timedelta(weeks=STATS_WEEKS - 1, days=today.weekday())
    return datetime.combine(start, datetime.min.time(), tzinfo=tz)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (15)")
    parser.add_argument("--sessions", type=int, default=10_000, help="sessions (10000)")
    parser.add_argument("--years", type=float, default=2.0, help="years they span (2)")
    parser.add_argument(
        "--bulk", action="store_true", help="insert with sqlite3 (after a sample check)"
    )
    parser.add_argument("--sample", type=int, default=200, help="--bulk: sample size (200)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (2026)")
    args = parser.parse_args()
    if min(args.runs, args.sessions, args.sample) < 1 or args.years <= 0:
        parser.error("--runs, --sessions and --sample must be at least 1, --years above 0")

    script = console_script()
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="sciatica-bench-") as tmp:
        work = Path(tmp)
        home = work / "home"
        path = home / JOURNAL_FILE

        start = time.perf_counter()
        plan = plan_journal(args.sessions, args.years, now - timedelta(hours=1), args.seed)
        planned_in = time.perf_counter() - start
        if args.bulk:
            sample = plan.up_to(min(args.sample, args.sessions))
            api_seconds, api_sessions, api_segments, api_calls = compare_ways(
                work / "sample", sample
            )
            write_seconds = write_bulk(path, plan)
        else:
            write_seconds, api_calls = write_via_store(path, plan)
        start = time.perf_counter()
        with SessionStore.open(path) as store:  # the app's own checks, before anything is timed
            counts = {
                "sessions": len(store.sessions(include_previews=True)),
                "real": len(store.sessions()),
                "segments": sum(len(v) for v in store.all_segments().values()),
                "checkins": len(store.checkins()),
                "screens": len(store.screens()),
            }
        checked_in = time.perf_counter() - start
        size = path.stat().st_size
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                size += extra.stat().st_size

        since = stats_since(datetime.now(timezone.utc))
        plans, drift = [], []
        with SessionStore.open(path) as store:
            for query in queries(since):
                sent = {" ".join(s.split()) for s in sent_sql(store, query.call)}
                if " ".join(expand(query.sql, query.params).split()) not in sent:
                    drift.append((query.label, sorted(sent)))
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            for query in queries(since):
                took = time_query(db, query.sql, query.params, 5)
                plans.append((query, took, plan_lines(db, query.sql, query.params)))
        finally:
            db.close()

        dropped = ("SCIATICA_DEBUG", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        # Byte-code is cached, as after a pip install, but in the temp dir, not the repo.
        env.update(NO_COLOR="1", SCIATICA_HOME=str(home), PYTHONPYCACHEPREFIX=str(work / "pycache"))
        history = [script, "history"]
        baseline = Command("sciatica --help (baseline)", [script, "--help"])
        commands = [
            baseline,
            Command("sciatica history", history),
            Command("sciatica history stats", [*history, "stats"]),
            Command("sciatica history --json", [*history, "--json"], False),
            Command(
                "sciatica history export --format json", [*history, "export", "-f", "json"], False
            ),
            Command(
                "sciatica history report -o TMP/r.html",
                [*history, "report", "-o", str(work / "r.html")],
                False,
            ),
        ]
        warm_up(commands, env, work)
        time_rounds(commands, args.runs, env, work)
        report_size = (work / "r.html").stat().st_size

        inner = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, "5", str(path), since.isoformat()],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if inner.returncode != 0:
            sys.exit(f"in-process timing failed:\n{inner.stderr[-3000:]}")
        parts: dict[str, float] = json.loads(inner.stdout)

    real = counts["real"]
    print(f"sciatica history benchmark, {date.today().isoformat()}")
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs; {versions()}")
    first, last = plan.sessions[0].started_at, plan.sessions[-1].started_at
    weeks = (last - first).days / 7
    print(
        f"journal: {counts['sessions']:,} sessions ({real:,} real, "
        f"{counts['sessions'] - real:,} previews) from {first.date()} to {last.date()}, "
        f"{counts['sessions'] / weeks:.1f} a week; {counts['segments']:,} segments "
        f"({counts['segments'] / counts['sessions']:.1f} a session), {counts['checkins']:,} "
        f"check-ins, {counts['screens']:,} screens; {size / 1e6:.1f} MB"
    )
    if args.bulk:
        per = api_seconds / api_sessions
        print(
            f"written: planned in {planned_in:.1f} s, inserted with sqlite3 in "
            f"{write_seconds:.1f} s, opened and read back by the store in {checked_in:.1f} s. "
            f"Sample: the store API wrote the first {api_sessions} sessions ({api_segments:,} "
            f"segments, {api_calls:,} committed calls) in {api_seconds:.1f} s = "
            f"{per * 1000:.1f} ms a session (~{per * args.sessions:.0f} s for "
            f"{args.sessions:,}), read back equal to the same sessions inserted with sqlite3"
        )
    else:
        print(
            f"written: planned in {planned_in:.1f} s; the store API wrote it in "
            f"{write_seconds:.1f} s ({api_calls:,} committed calls, "
            f"{write_seconds / api_calls * 1000:.2f} ms each); opened and read back by the store "
            f"in {checked_in:.1f} s"
        )
    print(f"{args.runs} timed runs per command, interleaved; target: ratio <= {LIMIT}")
    print()
    print_ratios(commands, baseline, LIMIT)
    print(f"(the report written is {report_size / 1e6:.1f} MB)")
    print()
    print("query plans (the store's SQL; in-process time, median of 5, fetchall):")
    for query, took, lines in plans:
        print(f"  {query.label}: {took * 1000:.1f} ms")
        print("\n".join(lines))
    for label, sent in drift:
        print(f"WARNING: the store binds other parameters than this script for {label!r}; it sent:")
        for statement in sent:
            print(f"    {statement}")
    print()
    print_breakdown(parts)


if __name__ == "__main__":
    main()
