"""Every view of the journal tells the same story: ``history stats --json``, the JSON and CSV
exports and the clinician report agree on each figure they share, whatever the journal holds,
and on which sessions were held (at least half the plan done, SAFETY.md 4) and so counted.

Journals are generated (missing scores, previews, stopped, interrupted and still-running
sessions, next-morning check-ins, sessions without segments, sessions with one pain score and
with leg and back pain apart, doses), written through the real SessionStore, and read back
through the commands a person runs.
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
from sciatica_cli.safety.pain import change_label
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
    # SAFETY.md 4: None for one pain score; else the back's (before, after, next mornings).
    back: tuple[int | None, int | None, tuple[int | None, ...]] | None = None
    dose: tuple[float, str] | None = None  # SAFETY.md 6: minutes an area and its source


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
    back=st.none()
    | st.tuples(scores, scores, st.lists(st.none() | st.integers(0, 10), max_size=2).map(tuple)),
    dose=st.none()
    | st.tuples(st.sampled_from((5, 6, 5.5)), st.sampled_from(("journal", "shortest", "minutes"))),
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
            options = (
                {} if spec.dose is None else {"dose": spec.dose[0], "dose_source": spec.dose[1]}
            )
            session_id = store.start_session(
                routine="glute-ball", title="Glute ball", options=options,
                planned_seconds=SEGMENT_SECONDS * len(plan), preview=spec.preview,
                segments=plan, pain_before=spec.before,
                pain_scores="one" if spec.back is None else "two",
                back_before=None if spec.back is None else spec.back[0],
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
            back_after = None if spec.back is None else spec.back[1]
            if spec.after is not None or back_after is not None:
                store.set_pain(session_id, after=spec.after, back_after=back_after)
            if spec.note is not None:
                store.set_note(session_id, spec.note)
            if spec.status != "running":
                moment = start + timedelta(seconds=5)
                store.finish_session(session_id, status=spec.status)
            backs = () if spec.back is None else spec.back[2]
            for minutes, pain in enumerate(spec.mornings, start=1):
                moment = min(now, start + timedelta(hours=14, minutes=minutes))
                back = backs[minutes - 1] if minutes <= len(backs) else None
                store.record_checkin(session_id, pain, back=back)


class ReportReader(HTMLParser):
    """The report's figures: the summary's data-* attributes, and each session and week row
    with the text of its cells as a person reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.summary: dict[str, str] = {}
        self.sessions: dict[int, tuple[dict[str, str], list[str]]] = {}
        self.weeks: dict[str, dict[str, str]] = {}
        self.doses: list[tuple[float, int]] = []  # the Dose section's runs: minutes, sessions
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
        elif tag == "tr" and "data-minutes" in values:
            self.doses.append((float(values["data-minutes"]), int(values["data-sessions"])))
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


def score_text(score: int | None) -> str:
    return "\u2013" if score is None else str(score)


def shown_label(cell: str) -> str | None:
    """The change label a pain cell shows in brackets, if any."""
    return cell.split("(")[1].split(")")[0] if "(" in cell else None


def label(before: int | None, after: int | None) -> str | None:
    return None if before is None or after is None else change_label(before, after)


def plural(n: int) -> str:
    return f"{n} session{'' if n == 1 else 's'}"


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
    report_has_dose = any(s["dose"] is not None for s in real)
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
    else:
        assert stats["pain_before_average"] is None and stats["pain_after_average"] is None
    # Two scores (SAFETY.md 4): the main average reads the one score or the leg score, and the
    # terminal says which; the back score has its own, over the two-score sessions with both.
    twos = [s for s in real if s["pain_scores"] == "two"]
    leg = sum(s["pain_scores"] == "two" for s in paired)
    assert stats["pain_average_leg_sessions"] == leg
    assert stats["pain_scores"] == ("one" if not twos else "two" if twos == real else "mixed")
    words = " ".join(terminal.split())
    name = "pain" if not twos else "leg pain" if leg == len(paired) else "pain"
    detail = ""
    if twos and paired and leg == 0:
        name = "pain (sessions with one pain score)"
    elif twos and 0 < leg < len(paired):
        detail = f": {len(paired) - leg} with one pain score, {leg} with leg pain scored apart"
    if paired:
        assert (
            f"Average {name}: before {stats['pain_before_average']:.1f}, after "
            f"{stats['pain_after_average']:.1f} ({plural(len(paired))} with both scores{detail}"
        ) in words
    else:
        assert not real or f"Average {name}: no session in these weeks has both" in words
    backs = [s for s in twos if s["back_before"] is not None and s["back_after"] is not None]
    assert stats["back_average_sessions"] == len(backs)
    if backs:
        back_before = sum(s["back_before"] for s in backs) / len(backs)
        back_after = sum(s["back_after"] for s in backs) / len(backs)
        assert stats["back_before_average"] == pytest.approx(back_before)
        assert stats["back_after_average"] == pytest.approx(back_after)
        assert (
            f"Average back pain: before {back_before:.1f}, after {back_after:.1f} "
            f"({plural(len(backs))} with both scores)."
        ) in words
    else:
        assert stats["back_before_average"] is None and stats["back_after_average"] is None
        assert not twos or "Average back pain: no session in these weeks has both" in words
    assert (twos != []) == ("Back pain" in words)  # its own chart
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
        assert int(summary["data-pain-average-leg-sessions"]) == leg
        if twos:
            assert int(summary["data-back-average-sessions"]) == stats["back_average_sessions"]
            assert number(summary["data-back-before-average"]) == stats["back_before_average"]
            assert number(summary["data-back-after-average"]) == stats["back_after_average"]
        else:
            assert "data-back-average-sessions" not in summary

    # Each session: change labels (each score's, and the session's one), next-morning pain,
    # time done and dose.
    from_stats = {s["id"]: s for s in stats["sessions"]}
    csv_rows = {int(r["session_id"]): r for r in rows}
    for session_id, session in by_id.items():
        attributes, cells = report.sessions[session_id]
        pain_cell, morning_cell = cells[5], cells[6]
        for key in (
            "change", "morning_pain", "done_seconds", "pain_before", "pain_after", "pain_scores",
            "pain_change", "back_before", "back_after", "back_change", "morning_back", "dose",
            "dose_source",
        ):  # fmt: skip
            assert from_stats[session_id][key] == session[key], key
            value = session[key]
            assert csv_rows[session_id][key] == ("" if value is None else str(value)), key
        main = label(session["pain_before"], session["pain_after"])
        back = label(session["back_before"], session["back_after"])
        assert session["pain_change"] == main
        # SAFETY.md 4: one label a session, "worse" when either score is.
        assert session["change"] == ("worse" if "worse" in (main, back) else main or back)
        assert attributes["data-change"] == (session["change"] or "")
        if session["pain_scores"] == "two":
            assert session["back_change"] == back
            assert attributes["data-back-change"] == (back or "")
            leg_text, back_text = pain_cell.split("back ")
            assert shown_label(leg_text) == main and shown_label(back_text) == back
            assert morning_cell == (
                f"leg {score_text(session['morning_pain'])}"
                f"back {score_text(session['morning_back'])}"
            )
        else:
            assert session["back_change"] is None and session["back_before"] is None
            assert shown_label(pain_cell) == session["change"]
            assert score_shown(morning_cell) == session["morning_pain"]
        assert float(attributes["data-done-seconds"]) == session["done_seconds"]
        assert cells[3] == f"{session['done_seconds'] / 60:.1f}"
        dose = session["dose"]
        assert (dose is None) == (session["options"].get("dose") is None)
        if report_has_dose:
            assert cells[7] == ("\u2013" if dose is None else f"{dose:g}")

    # The dose over time (SAFETY.md 6): every real session with one, oldest first; the report
    # lists them as runs of the same dose (one routine here).
    assert [(d["session_id"], d["minutes_an_area"], d["source"]) for d in stats["doses"]] == [
        (s["id"], s["dose"], s["dose_source"]) for s in real if s["dose"] is not None
    ]
    runs: list[tuple[float, int]] = []
    for d in stats["doses"]:
        if runs and runs[-1][0] == d["minutes_an_area"]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((d["minutes_an_area"], 1))
    assert report.doses == runs

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
