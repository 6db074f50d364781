"""Every view of the journal tells the same story: ``history stats --json``, the JSON and CSV
exports and the clinician report agree on each figure they share, whatever the journal holds,
and on which sessions were held (at least half the plan done, SAFETY.md 4) and so counted.

Journals are generated (missing scores, previews, stopped, interrupted and still-running
sessions, next-morning check-ins, sessions without segments), written through the real
SessionStore, and read back through the commands a person runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_cli.journal.opening import JOURNAL_FILE
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from tests.conftest import Run

WEEKS = 8  # history stats' window; every generated session falls inside it
SEGMENT_SECONDS = 300.0

scores = st.none() | st.integers(0, 10)


@dataclass(frozen=True)
class Spec:
    """One generated session: when, how it ended, its scores, segments and check-ins."""

    hours_ago: int
    preview: bool
    status: str
    before: int | None
    after: int | None
    done: tuple[float | None, ...]  # seconds done per segment; None: never reached
    mornings: tuple[int, ...] = field(default=())  # check-ins, in the order they were given
    note: str | None = None


specs = st.builds(
    Spec,
    hours_ago=st.integers(1, 24 * 7 * (WEEKS - 1) - 24),  # a day clear of the window's start
    preview=st.booleans(),
    status=st.sampled_from(("completed", "completed", "stopped", "interrupted", "running")),
    before=scores,
    after=scores,
    # 150 of 300 is exactly half a one-segment plan; 149.9 just under.
    done=st.lists(
        st.none() | st.sampled_from((0.0, 42.5, 149.9, 150.0, SEGMENT_SECONDS)), max_size=2
    ).map(tuple),
    mornings=st.lists(st.integers(0, 10), max_size=2).map(tuple),
    note=st.none() | st.sampled_from(("looser", 'said "ok" & <b>fine</b>')),
)


@pytest.fixture
def new_york() -> Iterator[None]:
    """A zone west of UTC, so local weeks and days differ from UTC ones."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def write_journal(home: Path, sessions: list[Spec], now: datetime) -> None:
    """Record the sessions through the store, as a session and ``checkin`` would."""
    moment = now

    def clock() -> datetime:
        return moment

    with SessionStore.open(home / JOURNAL_FILE, now=clock) as store:
        for spec in sorted(sessions, key=lambda s: -s.hours_ago):
            moment = now - timedelta(hours=spec.hours_ago)
            plan = [
                PlannedSegment(i, "step", "Glute ball", i + 1, "left", "glutes", SEGMENT_SECONDS)
                for i in range(len(spec.done))
            ]
            session_id = store.start_session(
                routine="glute-ball", title="Glute ball", options={},
                planned_seconds=SEGMENT_SECONDS * len(plan), preview=spec.preview,
                segments=plan, pain_before=spec.before,
            )  # fmt: skip
            start = moment
            for position, seconds in enumerate(spec.done):
                if seconds is not None:
                    outcome = "done" if seconds == SEGMENT_SECONDS else "stopped"
                    store.record_segment(
                        session_id, position, outcome=outcome, done_seconds=seconds,
                        started_at=start, ended_at=start + timedelta(seconds=seconds),
                    )  # fmt: skip
                    start += timedelta(seconds=seconds)
            if spec.after is not None:
                store.set_pain(session_id, after=spec.after)
            if spec.note is not None:
                store.set_note(session_id, spec.note)
            if spec.status != "running":
                moment = start + timedelta(seconds=5)
                store.finish_session(session_id, status=spec.status)
            for minutes, pain in enumerate(spec.mornings, start=1):
                moment = min(now, start + timedelta(hours=14, minutes=minutes))
                store.record_checkin(session_id, pain)


class ReportReader(HTMLParser):
    """The report's figures: the summary's data-* attributes, and each session and week row
    with the text of its cells as a person reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.summary: dict[str, str] = {}
        self.sessions: dict[int, tuple[dict[str, str], list[str]]] = {}
        self.weeks: dict[str, dict[str, str]] = {}
        self._cells: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "dl" and "data-sessions-held" in values:
            self.summary = values
        elif tag == "tr" and "data-session-id" in values:
            self._cells = []
            self.sessions[int(values["data-session-id"])] = (values, self._cells)
        elif tag == "tr" and "data-week-start" in values:
            self.weeks[values["data-week-start"]] = values
        elif tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._cells:
            self._cells[-1] += data


def is_real(session: dict[str, Any]) -> bool:
    return not session["preview"] and session["status"] != "running"


def held(session: dict[str, Any]) -> bool:
    """SAFETY.md 4 (product rule), worked out here from the exported times alone."""
    planned, done = session["planned_seconds"], session["done_seconds"]
    return is_real(session) and planned > 0 and done * 2 >= planned


def local_monday(iso: str) -> str:
    day = datetime.fromisoformat(iso).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def score_shown(text: str) -> int | None:
    return None if text == "\u2013" else int(text)  # an en dash for no score


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sessions=st.lists(specs, max_size=6))
def test_stats_exports_and_report_agree_on_every_shared_figure(
    run: Run,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    new_york: None,
    sessions: list[Spec],
) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / ".disclaimer-shown").touch()
    monkeypatch.setenv("SCIATICA_HOME", str(home))
    write_journal(home, sessions, datetime.now(timezone.utc).replace(microsecond=0))

    stats = json.loads(run("history", "stats", "--json", "--weeks", str(WEEKS)).stdout)
    terminal = run("history", "stats", "--weeks", str(WEEKS)).stdout
    exported = json.loads(run("history", "export", "--format", "json").stdout)["sessions"]
    rows = list(csv.DictReader(io.StringIO(run("history", "export", "--format", "csv").stdout)))
    page = home / "report.html"
    assert run("history", "report", "-o", str(page)).exit_code == 0
    report = ReportReader()
    report.feed(page.read_text(encoding="utf-8"))
    report.close()

    real = [s for s in exported if is_real(s)]
    by_id = {s["id"]: s for s in real}
    counted = [s for s in real if held(s)]

    # Held or not: one answer in the JSON and CSV exports, stats --json and the report.
    csv_counted = {int(r["session_id"]): r["counted"] for r in rows}
    for s in exported:
        assert s["counted"] is held(s), s
        assert csv_counted[s["id"]] == ("1" if held(s) else "0")
    assert stats["sessions_held"] == len(counted)
    assert stats["sessions_not_counted"] == len(real) - len(counted)
    assert {s["id"] for s in stats["sessions"] if s["counted"]} == {s["id"] for s in counted}
    if real:
        assert int(report.summary["data-sessions-held"]) == len(counted)
        assert int(report.summary["data-sessions-listed"]) == len(real)
    for session_id, (attributes, _) in report.sessions.items():
        assert attributes["data-counted"] == ("true" if held(by_id[session_id]) else "false")

    # The real sessions: the same ones, everywhere.
    csv_real = {
        int(r["session_id"]) for r in rows if r["preview"] == "0" and r["status"] != "running"
    }
    assert {s["id"] for s in stats["sessions"]} == set(by_id) == csv_real == set(report.sessions)

    # Average pain before and after, and how many sessions are behind it.
    paired = [s for s in real if s["pain_before"] is not None and s["pain_after"] is not None]
    assert stats["pain_average_sessions"] == len(paired)
    if paired:
        assert stats["pain_before_average"] == pytest.approx(
            sum(s["pain_before"] for s in paired) / len(paired)
        )
        assert stats["pain_after_average"] == pytest.approx(
            sum(s["pain_after"] for s in paired) / len(paired)
        )
        plural = "" if len(paired) == 1 else "s"
        assert (
            f"Average pain: before {stats['pain_before_average']:.1f}, after "
            f"{stats['pain_after_average']:.1f} ({len(paired)} session{plural} with both scores)."
        ) in terminal
    else:
        assert stats["pain_before_average"] is None and stats["pain_after_average"] is None
        assert not real or "no session in these weeks has both scores yet" in terminal
    if real:
        summary = report.summary
        assert int(summary["data-pain-average-sessions"]) == stats["pain_average_sessions"]
        assert number(summary["data-pain-before-average"]) == stats["pain_before_average"]
        assert number(summary["data-pain-after-average"]) == stats["pain_after_average"]
        assert int(summary["data-morning-scores"]) == sum(
            s["morning_pain"] is not None for s in real
        )
        assert float(summary["data-done-seconds"]) == pytest.approx(
            sum(s["done_seconds"] for s in real)
        )

    # Each session: change label, next-morning pain and time done.
    from_stats = {s["id"]: s for s in stats["sessions"]}
    csv_rows = {int(r["session_id"]): r for r in rows}
    for session_id, session in by_id.items():
        attributes, cells = report.sessions[session_id]
        pain_cell, morning_cell = cells[5], cells[6]
        for key in ("change", "morning_pain", "done_seconds", "pain_before", "pain_after"):
            assert from_stats[session_id][key] == session[key], key
        shown_change = pain_cell.split("(")[1].rstrip(")") if "(" in pain_cell else None
        assert shown_change == session["change"]
        assert score_shown(morning_cell) == session["morning_pain"]
        assert csv_rows[session_id]["change"] == (session["change"] or "")
        morning = session["morning_pain"]
        assert csv_rows[session_id]["morning_pain"] == ("" if morning is None else str(morning))
        assert float(csv_rows[session_id]["done_seconds"]) == session["done_seconds"]
        assert float(attributes["data-done-seconds"]) == session["done_seconds"]
        assert cells[3] == f"{session['done_seconds'] / 60:.1f}"

    # Sessions held and minutes done per local ISO week, in the weeks both show: a session not
    # held counts no session, but its minutes were done.
    counts: Counter[str] = Counter(local_monday(s["started_at"]) for s in counted)
    seconds: defaultdict[str, float] = defaultdict(float)
    for s in real:
        seconds[local_monday(s["started_at"])] += s["done_seconds"]
    for week in stats["weeks"]:
        start = week["start"]
        assert date.fromisoformat(start).weekday() == 0
        assert week["sessions"] == counts[start]
        assert week["minutes"] == round(seconds[start] / 60, 1)
        if start in report.weeks:
            assert int(report.weeks[start]["data-sessions"]) == week["sessions"]
            assert round(float(report.weeks[start]["data-minutes"]), 1) == week["minutes"]
    assert sum(int(w["data-sessions"]) for w in report.weeks.values()) == len(counted)
