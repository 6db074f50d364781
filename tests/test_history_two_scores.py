"""What a person sees of a journal with leg and back pain scored apart (SAFETY.md 4) and with
doses (SAFETY.md 6): ``history``, ``history stats``, the exports and the report, written
through the real store and read through the commands. A journal that moved from one score to
two keeps every old session single."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import Result

from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from tests.conftest import Run

UTC = timezone.utc
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def store(home: Path) -> Iterator[tuple[SessionStore, Clock]]:
    clock = Clock(NOW)
    opened = SessionStore.open(home / "journal.db", now=clock)
    yield opened, clock
    opened.close()


def add(
    journal: tuple[SessionStore, Clock],
    days_ago: float,
    leg: tuple[int | None, int | None],
    back: tuple[int | None, int | None] | None = None,
    *,
    routine: str = "glute-ball",
    options: dict[str, object] | None = None,
    morning: tuple[int, int | None] | None = None,
) -> int:
    """A completed 5-minute session; ``back`` None: one score (``leg`` is then the one)."""
    store, clock = journal
    clock.moment = NOW - timedelta(days=days_ago)
    plan = [PlannedSegment(0, "step", "Glute ball", 1, "left", "glutes", 300.0)]
    session_id = store.start_session(
        routine=routine, title=routine, options=options or {}, planned_seconds=300.0,
        preview=False, segments=plan, pain_before=leg[0],
        pain_scores="one" if back is None else "two",
        back_before=None if back is None else back[0],
    )  # fmt: skip
    start = clock.moment
    store.record_segment(
        session_id, 0, outcome="done", done_seconds=300.0, started_at=start,
        ended_at=start + timedelta(seconds=300),
    )  # fmt: skip
    store.set_pain(session_id, after=leg[1], back_after=None if back is None else back[1])
    clock.moment = start + timedelta(seconds=305)
    store.finish_session(session_id, status="completed")
    if morning is not None:
        clock.moment = start + timedelta(hours=14)
        store.record_checkin(session_id, morning[0], back=morning[1])
    return session_id


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def mixed(store: tuple[SessionStore, Clock]) -> dict[str, int]:
    """Two one-score sessions, then three with leg and back, with doses and a check-in."""
    ids = {
        "old": add(store, 9, (6, 5)),
        "old2": add(store, 8, (6, 4)),
        "first": add(store, 6, (5, 3), (3, 5), options={"dose": 5, "dose_source": "journal"}),
        "second": add(
            store,
            4,
            (5, 4),
            (4, 7),
            options={"dose": 6, "dose_source": "journal"},
            morning=(3, 6),
        ),
        "third": add(store, 2, (4, 2), (5, 5), options={"dose": 8, "dose_source": "minutes"}),
    }
    return ids


def test_history_shows_both_scores_of_a_two_score_session_and_one_of_an_old_one(
    run: Run, mixed: dict[str, int]
) -> None:
    out = ok(run("history"))
    assert "leg 4 -> 2 better" in out and "back 5 -> 5 no clear change" in out
    assert "leg 5 -> 4 no clear change" in out and "back 4 -> 7 worse" in out
    assert "leg 3, back 6" in out  # the next-morning scores
    assert "6 -> 4 better" in out and "leg 6" not in out  # old sessions stay single


def test_history_json_adds_the_back_scores_and_each_label(run: Run, mixed: dict[str, int]) -> None:
    by_id = {s["id"]: s for s in json.loads(ok(run("history", "--json")))}
    second = by_id[mixed["second"]]
    assert (second["pain_before"], second["pain_after"], second["pain_change"]) == (
        5, 4, "no clear change",
    )  # fmt: skip
    assert (second["back_before"], second["back_after"], second["back_change"]) == (4, 7, "worse")
    assert second["change"] == "worse"  # the session's one label: worse on either score
    assert (second["pain_scores"], second["morning_pain"], second["morning_back"]) == ("two", 3, 6)
    assert (second["dose"], second["dose_source"]) == (6, "journal")
    old = by_id[mixed["old2"]]
    assert (old["pain_scores"], old["change"], old["back_before"], old["back_change"]) == (
        "one", "better", None, None,
    )  # fmt: skip
    assert old["dose"] is None


def test_stats_averages_each_score_and_says_which_sessions_the_main_one_reads(
    run: Run, mixed: dict[str, int]
) -> None:
    out = " ".join(ok(run("history", "stats")).split())
    assert (
        "Average pain: before 5.2, after 3.6 (5 sessions with both scores: 2 with one pain "
        "score, 3 with leg pain scored apart from back pain)."
    ) in out
    assert "Average back pain: before 4.0, after 5.7 (3 sessions with both scores)." in out
    assert "Back pain" in out and out.count("o before") == 2  # a chart for each score
    data = json.loads(ok(run("history", "stats", "--json")))
    assert data["pain_scores"] == "mixed"
    assert (data["pain_average_sessions"], data["pain_average_leg_sessions"]) == (5, 3)
    assert data["back_before_average"] == pytest.approx(4.0)
    assert data["back_after_average"] == pytest.approx(17 / 3)
    assert data["back_average_sessions"] == 3


def test_stats_of_two_scores_only_name_leg_and_back(
    run: Run, store: tuple[SessionStore, Clock]
) -> None:
    add(store, 3, (6, 3), (4, 4))
    add(store, 1, (5, 3), (4, 5))
    out = " ".join(ok(run("history", "stats")).split())
    assert "Average leg pain: before 5.5, after 3.0 (2 sessions with both scores)." in out
    assert "Average back pain: before 4.0, after 4.5 (2 sessions with both scores)." in out
    assert "Leg pain" in out and "Back pain" in out


def test_stats_show_the_dose_over_time_per_routine(run: Run, mixed: dict[str, int]) -> None:
    out = ok(run("history", "stats"))
    assert "Dose (minutes an area) of each session, oldest first:" in out
    assert "glute-ball: 5, 6, 8 (your choice); latest 8" in out
    doses = json.loads(ok(run("history", "stats", "--json")))["doses"]
    assert [(d["session_id"], d["minutes_an_area"], d["source"]) for d in doses] == [
        (mixed["first"], 5, "journal"),
        (mixed["second"], 6, "journal"),
        (mixed["third"], 8, "minutes"),
    ]
    assert all(d["routine"] == "glute-ball" for d in doses)
    assert datetime.fromisoformat(doses[0]["started_at"]) == NOW - timedelta(days=6)


def test_stats_without_doses_say_nothing_of_them(
    run: Run, store: tuple[SessionStore, Clock]
) -> None:
    add(store, 1, (5, 3))
    assert "Dose" not in ok(run("history", "stats"))
    assert json.loads(ok(run("history", "stats", "--json")))["doses"] == []


def test_back_pain_worse_twice_is_advised_by_stats_naming_the_back(
    run: Run, store: tuple[SessionStore, Clock]
) -> None:
    add(store, 3, (6, 4), (3, 5))
    add(store, 1, (6, 4), (4, 7))
    advice = json.loads(ok(run("history", "stats", "--json")))["advisories"]
    assert [(a["id"], a["score"]) for a in advice] == [("back-worse-twice", "back")]
    out = " ".join(ok(run("history", "stats")).split())
    assert "Two sessions in a row ended with worse back pain" in out
    assert "Your back pain ended 2 and 3 points worse" in out


def test_csv_export_adds_the_new_columns_at_the_end(run: Run, mixed: dict[str, int]) -> None:
    rows = list(csv.reader(io.StringIO(ok(run("history", "export", "--format", "csv")))))
    header = rows[0]
    assert header[:16] == [
        "session_id", "routine", "title", "preview", "status", "stop_reason", "started_at",
        "ended_at", "planned_seconds", "done_seconds", "counted", "pain_before", "pain_after",
        "change", "morning_pain", "note",
    ]  # fmt: skip
    assert header[-8:] == [
        "pain_scores", "pain_change", "back_before", "back_after", "back_change",
        "morning_back", "dose", "dose_source",
    ]  # fmt: skip
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    second = by_id[str(mixed["second"])]
    assert (second["pain_scores"], second["change"], second["pain_change"]) == (
        "two", "worse", "no clear change",
    )  # fmt: skip
    assert (second["back_before"], second["back_after"], second["back_change"]) == (
        "4", "7", "worse",
    )  # fmt: skip
    assert (second["morning_back"], second["dose"], second["dose_source"]) == (
        "6",
        "6.0",
        "journal",
    )
    old = by_id[str(mixed["old"])]
    assert (old["pain_scores"], old["back_before"], old["back_change"], old["dose"]) == (
        "one", "", "", "",
    )  # fmt: skip


def test_report_shows_both_pain_lines_each_label_and_the_dose_over_time(
    run: Run, home: Path, mixed: dict[str, int]
) -> None:
    page_path = home / "report.html"
    ok(run("history", "report", "-o", str(page_path)))
    page = page_path.read_text(encoding="utf-8")
    pain = page.split('<section id="pain">')[1].split("</section>")[0]
    assert pain.count("<svg") == 2
    assert "<h3>Back pain</h3>" in pain and 'aria-labelledby="back-t"' in pain
    sessions = page.split('<section id="sessions">')[1].split("</section>")[0]
    second = re.search(rf'<tr data-session-id="{mixed["second"]}"[^>]*>(.*?)</tr>', sessions)
    assert second is not None
    row = second.group(0)
    assert 'data-change="worse"' in row and 'data-back-change="worse"' in row
    assert 'leg 5 &#8594; 4 <span class="same">(no clear change)</span>' in row
    assert 'back 4 &#8594; 7 <span class="worse">(worse)</span>' in row
    assert "leg 3<br>back 6" in row
    summary = page.split('<section id="summary">')[1].split("</section>")[0]
    assert 'data-back-average-sessions="3"' in summary
    assert "Average back pain, before &#8594; after" in summary
    assert "2 sessions with one pain score, 3 with leg pain scored apart" in summary
    dose = page.split('<section id="dose">')[1].split("</section>")[0]
    assert "glute-ball: latest 8 minutes an area" in dose
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", dose)]
    assert cells[2::5] == ["5", "6", "8"]
    assert cells[4::5] == ["from your journal", "from your journal", "chosen by you (--minutes)"]


def test_report_of_one_score_journal_has_one_chart_and_no_dose_section(
    run: Run, home: Path, store: tuple[SessionStore, Clock]
) -> None:
    add(store, 2, (6, 4))
    page_path = home / "report.html"
    ok(run("history", "report", "-o", str(page_path)))
    page = page_path.read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # the adherence bars and the one pain chart
    assert "Back pain" not in page and 'id="dose"' not in page and "Min an area" not in page


def test_a_narrow_terminal_gives_both_scores_and_their_next_morning_lines_of_their_own(
    run: Run, monkeypatch: pytest.MonkeyPatch, mixed: dict[str, int]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = ok(run("history"))
    assert "  leg 5 -> 4 no clear change; back 4 -> 7 worse\n  next morning leg 3, back 6" in out
    assert "  pain 6 -> 4 better" in out


def test_sessions_played_through_routine_start_show_in_history_and_stats(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    # End to end: a session with one pain score, then the setting changes and one with two;
    # the dose each ran at comes from the planner and the journal (SAFETY.md 6).
    from sciatica_cli.config import remember
    from tests.fakes import fake_terminal, screened

    screened(home)
    with fake_terminal(monkeypatch, keys=[], answers=["5", "", "3", ""], live=False):
        assert run("routine", "start", "glute-ball", "--plain").exit_code == 0
    remember({"pain_scores": "two"})
    answers = ["5", "4", "", "4", "6", ""]  # leg and back before, Enter; after, no note
    with fake_terminal(monkeypatch, keys=[], answers=answers, live=False):
        assert run("routine", "start", "glute-ball", "--plain").exit_code == 0
    out = ok(run("history"))
    assert "5 -> 3 better" in out
    assert "leg 5 -> 4 no clear change" in out and "back 4 -> 6 worse" in out
    stats = json.loads(ok(run("history", "stats", "--json")))
    assert (stats["pain_scores"], stats["pain_average_leg_sessions"]) == ("mixed", 1)
    assert (stats["back_before_average"], stats["back_after_average"]) == (4, 6)
    assert [(d["routine"], d["source"]) for d in stats["doses"]] == [
        ("glute-ball", "journal"),
        ("glute-ball", "journal"),
    ]
    words = " ".join(ok(run("history", "stats")).split())
    assert "Average back pain: before 4.0, after 6.0 (1 session with both scores)." in words
    assert "glute-ball: 5, 5; latest 5" in words
