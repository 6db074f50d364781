"""The journal commands as a person sees them: ``sciatica history`` and its subcommands
(stats, note, export, report, goal) and ``sciatica checkin``.

Journals are built by hand with the store and a controllable clock, so every session starts
exactly where a test needs it; the commands themselves run with the real clock.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import Result

from sciatica_cli import DISCLAIMER
from sciatica_cli.journal.export import CSV_COLUMNS
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from tests.conftest import REPORT_SECTIONS, Run

UTC = timezone.utc
FIRST_USE_HINT = "sciatica routine start"
SESSION_KEYS = [
    "id",
    "routine",
    "title",
    "preview",
    "status",
    "stop_reason",
    "started_at",
    "ended_at",
    "planned_seconds",
    "done_seconds",
    "completion",
    "counted",
    "pain_before",
    "pain_after",
    "change",
    "morning_pain",
    "note",
    "options",
    # Two pain scores (SAFETY.md 4) and the dose (SAFETY.md 6), added after the older keys.
    "pain_scores",
    "pain_change",
    "back_before",
    "back_after",
    "back_change",
    "morning_back",
    "dose",
    "dose_source",
]


# -- building journals -------------------------------------------------------------------------


@dataclass
class Clock:
    """The store's ``now``: set ``moment`` to stamp what is recorded next."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


# (kind, title, area, planned seconds, outcome or None if never reached, done seconds)
Segment = tuple[str, str, str | None, float, str | None, float]
ONE_STEP: list[Segment] = [("step", "Glute ball", "glutes", 300.0, "done", 300.0)]


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC))


@pytest.fixture
def journal(home: Path, clock: Clock) -> Iterator[SessionStore]:
    store = SessionStore.open(home / "journal.db", now=clock)
    yield store
    store.close()


def add(
    store: SessionStore,
    clock: Clock,
    at: datetime,
    *,
    routine: str = "glute-ball",
    before: int | None = None,
    after: int | None = None,
    preview: bool = False,
    status: str = "completed",
    stop_reason: str | None = None,
    note: str | None = None,
    segments: Sequence[Segment] = ONE_STEP,
    planned: float | None = None,
    options: dict[str, object] | None = None,
) -> int:
    """One session started at ``at``, its segments recorded back to back, then finished."""
    clock.moment = at
    plan = [
        PlannedSegment(
            position=index,
            kind=kind,
            title=title,
            step_number=index if kind == "step" else 0,
            side="left" if kind == "step" else None,
            area=area,
            planned_seconds=seconds,
        )
        for index, (kind, title, area, seconds, _, _) in enumerate(segments)
    ]
    session_id = store.start_session(
        routine=routine,
        title=routine.replace("-", " ").capitalize(),
        options=options or {},
        planned_seconds=planned if planned is not None else sum(s[3] for s in segments),
        preview=preview,
        segments=plan,
        pain_before=before,
    )
    moment = at
    for index, (_, _, _, _, outcome, done) in enumerate(segments):
        if outcome is None:
            continue
        store.record_segment(
            session_id,
            index,
            outcome=outcome,
            done_seconds=done,
            started_at=moment,
            ended_at=moment + timedelta(seconds=done),
        )
        moment += timedelta(seconds=done)
    if after is not None:
        store.set_pain(session_id, after=after)
    if status != "running":
        clock.moment = moment + timedelta(seconds=5)
        store.finish_session(session_id, status=status, stop_reason=stop_reason)
    if note is not None:
        store.set_note(session_id, note)
    return session_id


def checkin_at(store: SessionStore, clock: Clock, at: datetime, session_id: int, pain: int) -> None:
    clock.moment = at
    store.record_checkin(session_id, pain)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Switch this process's local time zone (TZ plus tzset); restored afterwards."""
    old = os.environ.get("TZ")

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


# -- reading what the commands print -----------------------------------------------------------


def ok(result: Result) -> str:
    """The stdout of a command that must have succeeded."""
    assert result.exit_code == 0, result.output
    return result.stdout


def row(output: str, needle: str) -> str:
    """The one line of a table that holds ``needle``."""
    lines = [line for line in output.splitlines() if needle in line]
    assert len(lines) == 1, f"{needle!r} in {lines!r}\n{output}"
    return lines[0]


def week_row(output: str, monday: date) -> str:
    """The weeks table's row for the week starting ``monday``."""
    return row(
        "\n".join(line for line in output.splitlines() if not line.startswith(" ")),
        f"{monday:%d %b %Y}",
    )


def flat(output: str) -> str:
    """Panel and table text without box drawing, its wrapped lines joined."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def assert_shows(line: str, local: datetime) -> None:
    """A history row shows this local start: its day, month and time (the year may be left
    out in the current year)."""
    assert f"{local:%d %b}" in line, line
    assert f"{local:%H:%M}" in line, line


def history_json(run: Run, *args: str) -> list[dict[str, Any]]:
    data = json.loads(ok(run("history", "--json", *args)))
    assert isinstance(data, list)
    return data


def stats_json(run: Run, *args: str) -> dict[str, Any]:
    data = json.loads(ok(run("history", "stats", "--json", *args)))
    assert isinstance(data, dict)
    return data


def utc_monday(moment: datetime) -> datetime:
    """Midnight UTC on the Monday of ``moment``'s ISO week."""
    day = moment.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), datetime.min.time(), UTC)


# -- an empty journal --------------------------------------------------------------------------


def test_history_on_an_empty_journal_says_how_to_begin(run: Run) -> None:
    out = ok(run("history"))
    assert FIRST_USE_HINT in out
    assert "no sessions yet" in out
    assert "Routine" not in out  # not an empty table


def test_stats_on_an_empty_journal_says_how_to_begin(run: Run) -> None:
    out = ok(run("history", "stats"))
    assert FIRST_USE_HINT in out
    assert "Week of" not in out
    assert "┤" not in out  # no empty chart


def test_history_json_on_an_empty_journal_is_an_empty_list(run: Run) -> None:
    assert history_json(run) == []


def test_json_export_of_an_empty_journal_has_no_sessions(run: Run) -> None:
    document = json.loads(ok(run("history", "export", "--format", "json")))
    assert document["format"] == "sciatica-journal"
    assert document["version"] == 1
    assert document["sessions"] == []


def test_csv_export_of_an_empty_journal_is_the_header_only(run: Run) -> None:
    out = ok(run("history", "export", "--format", "csv"))
    assert out.splitlines() == [",".join(CSV_COLUMNS)]


# -- sciatica history --------------------------------------------------------------------------


@pytest.fixture
def listed(
    journal: SessionStore, clock: Clock, local_zone: Callable[[str], None]
) -> dict[str, datetime]:
    """Six sessions a day apart, one per routine, with every kind of ending and pain change."""
    local_zone("UTC")
    base = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    two_steps: list[Segment] = [
        ("setup", "Get ready", None, 60.0, "done", 60.0),
        ("step", "Left", "hamstrings", 300.0, "done", 300.0),
        ("step", "Right", "hamstrings", 300.0, "stopped", 90.0),
    ]
    first = add(journal, clock, base, routine="glute-ball", before=6, after=4, note="looser")
    add(
        journal,
        clock,
        base + timedelta(days=1),
        routine="hamstring-roll",
        before=7,
        after=5,
        status="stopped",
        stop_reason="sharp pain",
        segments=two_steps,
    )
    add(journal, clock, base + timedelta(days=2), routine="foam-roller-back", before=10, after=7)
    add(
        journal,
        clock,
        base + timedelta(days=3),
        routine="piriformis-ball",
        before=10,
        after=8,
        status="interrupted",
        segments=[("step", "Ball", "piriformis", 600.0, "done", 150.0)],
    )
    add(journal, clock, base + timedelta(days=4), routine="warm-up", before=3, after=5)
    add(journal, clock, base + timedelta(days=5), routine="full", preview=True, before=2, after=2)
    checkin_at(journal, clock, base + timedelta(days=1, hours=-1), first, 3)
    return {
        name: base + timedelta(days=offset)
        for offset, name in enumerate(
            ("glute-ball", "hamstring-roll", "foam-roller-back", "piriformis-ball", "warm-up")
        )
    } | {"full": base + timedelta(days=5)}


def test_history_lists_sessions_newest_first(run: Run, listed: dict[str, datetime]) -> None:
    out = ok(run("history"))
    names = ["full", "warm-up", "piriformis-ball", "foam-roller-back", "hamstring-roll"]
    positions = [out.index(row(out, name)) for name in [*names, "glute-ball"]]
    assert positions == sorted(positions)
    for name, started in listed.items():
        assert_shows(row(out, name), started)
    assert "--limit 0" not in out  # all six fit under the default limit


def test_history_rows_show_time_completion_pain_ending_and_note(
    run: Run, listed: dict[str, datetime]
) -> None:
    out = ok(run("history"))
    glute = row(out, "glute-ball")
    assert "5m/5m" in glute and "100%" in glute
    # SAFETY.md 4: better needs 2 points AND 30 % (6 -> 4 is 33 %); morning pain 3; the note.
    assert re.search(r"6 -> 4 better\s+3\s+completed\s+looser", glute), glute
    hamstring = row(out, "hamstring-roll")
    assert "7m30s/11m" in hamstring and "68%" in hamstring
    assert "7 -> 5 no clear change" in hamstring  # 2 points but under 30 % of 7
    assert "stopped: sharp pain" in hamstring
    assert "10 -> 7 better" in row(out, "foam-roller-back")  # exactly 30 %: counts
    piriformis = row(out, "piriformis-ball")
    assert "10 -> 8 no clear change" in piriformis  # 2 points, only 20 %
    assert "2m30s/10m" in piriformis and "25%" in piriformis
    assert "interrupted" in piriformis
    assert "3 -> 5 worse" in row(out, "warm-up")
    preview = row(out, "full")
    assert "preview, completed" in preview
    assert "2 -> 2 no clear change" in preview


def test_history_json_has_stable_keys_offsets_and_marked_previews(
    run: Run, listed: dict[str, datetime]
) -> None:
    data = history_json(run)
    assert [s["routine"] for s in data] == [
        "full",
        "warm-up",
        "piriformis-ball",
        "foam-roller-back",
        "hamstring-roll",
        "glute-ball",
    ]
    for session in data:
        assert list(session) == SESSION_KEYS
        for key in ("started_at", "ended_at"):
            moment = datetime.fromisoformat(str(session[key]))
            assert moment.utcoffset() is not None, session[key]
        assert datetime.fromisoformat(str(session["started_at"])) == listed[str(session["routine"])]
    by_name = {s["routine"]: s for s in data}
    assert by_name["full"]["preview"] is True
    assert all(s["preview"] is False for name, s in by_name.items() if name != "full")
    glute = by_name["glute-ball"]
    assert (glute["pain_before"], glute["pain_after"], glute["change"]) == (6, 4, "better")
    assert (glute["morning_pain"], glute["note"], glute["completion"]) == (3, "looser", 1.0)
    assert by_name["foam-roller-back"]["change"] == "better"
    assert by_name["piriformis-ball"]["change"] == "no clear change"
    assert by_name["piriformis-ball"]["status"] == "interrupted"
    assert by_name["warm-up"]["change"] == "worse"
    assert by_name["hamstring-roll"]["stop_reason"] == "sharp pain"


def test_history_limit_shows_the_newest_and_says_how_to_see_all(
    run: Run, listed: dict[str, datetime]
) -> None:
    out = ok(run("history", "--limit", "2"))
    assert "full" in out and "warm-up" in out
    assert "glute-ball" not in out and "piriformis-ball" not in out
    assert "--limit 0 shows them all" in out
    everything = ok(run("history", "--limit", "0"))
    for name in listed:
        row(everything, name)
    assert "--limit 0" not in everything
    assert [s["routine"] for s in history_json(run, "--limit", "1")] == ["full"]


def test_history_negative_limit_is_a_usage_error(run: Run, listed: dict[str, datetime]) -> None:
    result = run("history", "--limit", "-1")
    assert result.exit_code == 2


def test_history_routine_filters_and_says_when_nothing_matches(
    run: Run, listed: dict[str, datetime]
) -> None:
    out = ok(run("history", "--routine", "warm-up"))
    row(out, "warm-up")
    assert "glute-ball" not in out and "full" not in out
    none = ok(run("history", "--routine", "no-such-routine"))
    assert "No sessions match" in none
    assert FIRST_USE_HINT not in none  # the journal is not empty


def test_history_since_starts_at_local_midnight(
    run: Run, journal: SessionStore, clock: Clock, local_zone: Callable[[str], None]
) -> None:
    local_zone("Asia/Tokyo")  # UTC+9 all year: local midnight is 15:00 UTC the day before
    tokyo = ZoneInfo("Asia/Tokyo")
    late = datetime(2026, 3, 9, 23, 59, tzinfo=tokyo)
    early = datetime(2026, 3, 10, 0, 1, tzinfo=tokyo)
    add(journal, clock, late, routine="warm-up")
    add(journal, clock, early, routine="glute-ball")
    data = history_json(run, "--since", "2026-03-10")
    assert [s["routine"] for s in data] == ["glute-ball"]
    out = ok(run("history", "--since", "2026-03-10"))
    assert_shows(row(out, "glute-ball"), early)
    assert "warm-up" not in out
    both = history_json(run, "--since", "2026-03-09")
    assert [s["routine"] for s in both] == ["glute-ball", "warm-up"]
    assert "No sessions match" in ok(run("history", "--since", "2026-03-11"))


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01", "10/03/2026"])
def test_history_bad_since_is_a_usage_error(run: Run, text: str) -> None:
    result = run("history", "--since", text)
    assert result.exit_code == 2
    assert f"--since takes a date like 2026-11-01, not '{text}'" in result.stderr
    assert "Traceback" not in result.output


# -- time zones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "shown_day"),
    [("Europe/Helsinki", date(2026, 1, 15)), ("America/New_York", date(2026, 1, 14))],
)
def test_history_shows_the_local_day(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    local_zone: Callable[[str], None],
    zone: str,
    shown_day: date,
) -> None:
    stored = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)
    add(journal, clock, stored)
    local_zone(zone)
    line = row(ok(run("history")), "glute-ball")
    assert f"{shown_day:%d %b}" in line, line
    [session] = history_json(run)
    started = datetime.fromisoformat(str(session["started_at"]))
    assert started == stored  # the same instant
    assert started.date() == shown_day  # written in local time


@pytest.mark.parametrize(
    "stored",
    [datetime(2026, 7, 15, 21, 30, tzinfo=UTC), datetime(2026, 1, 15, 21, 30, tzinfo=UTC)],
    ids=["summer", "winter"],
)
def test_history_uses_the_offset_in_force_when_the_session_started(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    local_zone: Callable[[str], None],
    stored: datetime,
) -> None:
    # Helsinki is UTC+3 in summer and UTC+2 in winter, whatever the date is today: 21:30 UTC
    # is 00:30 the next day in July and 23:30 the same day in January.
    add(journal, clock, stored)
    local_zone("Europe/Helsinki")
    local = stored.astimezone(ZoneInfo("Europe/Helsinki"))
    assert_shows(row(ok(run("history")), "glute-ball"), local)
    [session] = history_json(run)
    started = datetime.fromisoformat(str(session["started_at"]))
    assert started == stored
    assert started.utcoffset() == local.utcoffset()


@pytest.mark.parametrize(
    ("zone", "days_to_monday"),
    [("Europe/Helsinki", 1), ("America/New_York", -6)],
)
def test_stats_counts_a_session_in_its_local_iso_week(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    local_zone: Callable[[str], None],
    zone: str,
    days_to_monday: int,
) -> None:
    # A Sunday 23:30 UTC two weeks back: Monday morning in Helsinki (the next ISO week),
    # Sunday evening in New York (the week that began six days before).
    sunday = utc_monday(datetime.now(UTC)) - timedelta(days=8)
    add(journal, clock, sunday + timedelta(hours=23, minutes=30), before=5, after=4)
    local_zone(zone)
    monday = (sunday + timedelta(days=days_to_monday)).date()
    assert monday.weekday() == 0
    weeks = stats_json(run)["weeks"]
    assert isinstance(weeks, list)
    assert {w["start"]: w["sessions"] for w in weeks if w["sessions"]} == {monday.isoformat(): 1}
    assert all(date.fromisoformat(w["start"]).weekday() == 0 for w in weeks)
    assert "1/3" in week_row(ok(run("history", "stats")), monday)


# -- sciatica history stats --------------------------------------------------------------------


@pytest.fixture
def fortnight(
    journal: SessionStore, clock: Clock, local_zone: Callable[[str], None]
) -> dict[str, date]:
    """Two real sessions in each of the last two full weeks, and a preview that would change
    every figure if it were counted."""
    local_zone("UTC")
    this_monday = utc_monday(datetime.now(UTC))
    last, before_last = this_monday - timedelta(days=7), this_monday - timedelta(days=14)
    work: list[Segment] = [
        ("setup", "Get ready", None, 60.0, "done", 60.0),
        ("step", "Glute ball", "glutes", 300.0, "done", 300.0),
        ("step", "Hamstrings", "hamstrings", 300.0, "stopped", 150.0),
    ]
    for monday, pains in ((before_last, ((5, 4), (5, 5))), (last, ((6, 4), (4, 3)))):
        for day, (before, after) in enumerate(pains, start=1):
            at = monday + timedelta(days=day, hours=10)
            add(journal, clock, at, before=before, after=after, segments=work)
    previews: list[Segment] = [
        ("step", "Calves", "calves", 1200.0, "done", 1200.0),
        ("step", "Glute ball", "glutes", 600.0, "done", 600.0),
    ]
    for day in (3, 4, 5):  # three previews: they would meet any goal for the week
        at = last + timedelta(days=day, hours=10)
        add(journal, clock, at, routine="full", preview=True, before=9, after=10, segments=previews)
    return {
        "this": this_monday.date(),
        "last": last.date(),
        "before_last": before_last.date(),
    }


def test_stats_shows_weeks_against_the_goal_areas_pain_and_chart(
    run: Run, fortnight: dict[str, date]
) -> None:
    out = ok(run("history", "stats"))
    assert "Last 8 weeks: 4 sessions, goal 3 a week." in out
    assert "Streak: 0 weeks meeting the goal." in out
    assert "2/3" in week_row(out, fortnight["last"])
    assert "2/3" in week_row(out, fortnight["before_last"])
    assert "0/3" in week_row(out, fortnight["this"])
    assert "goal met" not in out
    # Minutes of step work per area: setup segments and previews are left out.
    assert re.search(r"glutes\s+20\b", out), out
    assert re.search(r"hamstrings\s+10\b", out), out
    assert "calves" not in out
    assert "Average pain: before 5.0, after 4.0 (4 sessions with both scores)." in out
    # The chart: a 0 to 10 axis and a legend; no preview mark at 9 or 10.
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("10 ┤"))
    assert lines[top].rstrip() == "10 ┤"
    assert lines[top + 1].rstrip() == "   │"
    assert any(line.startswith(" 0 ┤") for line in lines)
    assert any(line.lstrip().startswith("└") for line in lines)
    assert "o before" in out and "● after" in out and "◉ both" in out
    assert "◉" in "".join(lines[top : top + 11])  # 5 -> 5 meets in one mark


def test_stats_json_has_weeks_streak_areas_averages_and_advisories(
    run: Run, fortnight: dict[str, date]
) -> None:
    data = stats_json(run)
    assert data["weekly_goal"] == 3
    assert data["streak_weeks"] == 0
    weeks = data["weeks"]
    assert isinstance(weeks, list) and len(weeks) == 8
    assert weeks[-1]["start"] == fortnight["this"].isoformat()
    by_start = {w["start"]: w for w in weeks}
    for key in ("last", "before_last"):
        week = by_start[fortnight[key].isoformat()]
        assert (week["sessions"], week["met"]) == (2, False)
        assert week["minutes"] == pytest.approx(2 * (60 + 300 + 150) / 60, abs=0.05)
    assert sum(w["sessions"] for w in weeks) == 4
    assert data["minutes_per_area"] == {"glutes": 20.0, "hamstrings": 10.0}
    assert data["pain_before_average"] == 5.0
    assert data["pain_after_average"] == 4.0
    assert data["pain_average_sessions"] == 4
    assert data["advisories"] == []
    sessions = data["sessions"]
    assert isinstance(sessions, list) and len(sessions) == 4
    assert all(s["preview"] is False for s in sessions)


def test_goal_shows_and_changes_the_weekly_goal_and_stats_follow(
    run: Run, fortnight: dict[str, date]
) -> None:
    assert ok(run("history", "goal")).strip() == "Weekly goal: 3 sessions."
    assert ok(run("history", "goal", "2")).strip() == "Weekly goal: 2 sessions."
    assert ok(run("history", "goal")).strip() == "Weekly goal: 2 sessions."
    data = stats_json(run)
    assert data["weekly_goal"] == 2
    # The week under way is not met yet, but it does not break the two before it.
    assert data["streak_weeks"] == 2
    by_start = {w["start"]: w for w in data["weeks"]}
    assert by_start[fortnight["last"].isoformat()]["met"] is True
    out = ok(run("history", "stats"))
    assert "goal 2 a week" in out
    assert "Streak: 2 weeks meeting the goal." in out
    assert re.search(r"2/2\s+██\s+goal met", week_row(out, fortnight["last"]))
    assert "0/2" in week_row(out, fortnight["this"])


@pytest.mark.parametrize("value", ["0", "15", "many"])
def test_goal_out_of_range_is_a_usage_error(run: Run, value: str) -> None:
    assert run("history", "goal", value).exit_code == 2
    assert ok(run("history", "goal")).strip() == "Weekly goal: 3 sessions."


def test_stats_weeks_sets_the_window(run: Run, fortnight: dict[str, date]) -> None:
    data = stats_json(run, "--weeks", "2")
    weeks = data["weeks"]
    assert [w["start"] for w in weeks] == [
        fortnight["last"].isoformat(),
        fortnight["this"].isoformat(),
    ]
    assert len(data["sessions"]) == 2
    assert data["minutes_per_area"] == {"glutes": 10.0, "hamstrings": 5.0}
    assert data["pain_before_average"] == 5.0  # 6 and 4
    assert data["pain_after_average"] == 3.5  # 4 and 3
    assert data["pain_average_sessions"] == 2
    assert "Last 2 weeks: 2 sessions" in ok(run("history", "stats", "--weeks", "2"))


def test_average_pain_pairs_before_with_after_in_stats_and_report_alike(
    run: Run, journal: SessionStore, clock: Clock, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    add(journal, clock, now - timedelta(days=2), before=6, after=2)
    add(journal, clock, now - timedelta(days=1), before=4)  # no "after": left out of both
    out = ok(run("history", "stats"))
    assert "Average pain: before 6.0, after 2.0 (1 session with both scores)." in out
    data = stats_json(run)
    figures = ("pain_before_average", "pain_after_average", "pain_average_sessions")
    assert tuple(data[key] for key in figures) == (6.0, 2.0, 1)
    target = tmp_path / "report.html"
    ok(run("history", "report", "-o", str(target)))
    page = target.read_text(encoding="utf-8")
    assert "6.0 &#8594; 2.0<small>-4.0 points; 1 session with both scores</small>" in page
    assert 'data-pain-before-average="6.0" data-pain-after-average="2.0"' in page


def test_stats_without_a_session_with_both_scores_says_so(
    run: Run, journal: SessionStore, clock: Clock
) -> None:
    add(journal, clock, datetime.now(UTC) - timedelta(days=1), before=4)
    assert "Average pain: no session in these weeks has both scores yet." in ok(
        run("history", "stats")
    )
    assert stats_json(run)["pain_average_sessions"] == 0


@pytest.mark.parametrize("weeks", ["0", "105"])
def test_stats_weeks_out_of_range_is_a_usage_error(run: Run, weeks: str) -> None:
    assert run("history", "stats", "--weeks", weeks).exit_code == 2


def test_stats_with_sessions_only_before_the_window_is_not_an_empty_journal(
    run: Run, fortnight: dict[str, date]
) -> None:
    out = ok(run("history", "stats", "--weeks", "1"))
    assert "journal is empty" not in out
    assert "0/3" in out


def test_stats_still_gives_advice_after_weeks_without_sessions(
    run: Run, journal: SessionStore, clock: Clock
) -> None:
    # Twelve and nine weeks ago, pain 6 both times; nothing since. The 6-week rules apply
    # (SAFETY.md 2 tier C) even though no session falls in the last 8 weeks.
    now = datetime.now(UTC)
    add(journal, clock, now - timedelta(weeks=12), before=6)
    add(journal, clock, now - timedelta(weeks=9), before=6)
    titles = [a["title"] for a in stats_json(run)["advisories"]]
    assert "Not better after 6 weeks" in titles
    out = ok(run("history", "stats"))
    assert "journal is empty" not in out
    assert "Not better after 6 weeks" in out


# -- advisories --------------------------------------------------------------------------------


def advisories_for(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    sessions: Sequence[tuple[timedelta, int | None, int | None, bool]],
) -> list[dict[str, Any]]:
    """Stats advisories for sessions (age, pain before, pain after, preview), oldest first."""
    now = datetime.now(UTC)
    for age, before, after, preview in sessions:
        add(journal, clock, now - age, before=before, after=after, preview=preview)
    found = stats_json(run)["advisories"]
    assert isinstance(found, list)
    return found


DAY = timedelta(days=1)


def test_two_sessions_in_a_row_two_points_worse_advise_booking(
    run: Run, journal: SessionStore, clock: Clock
) -> None:
    found = advisories_for(
        run, journal, clock, [(3 * DAY, 3, 5, False), (2 * DAY, None, 1, False), (DAY, 4, 6, False)]
    )
    assert [(a["id"], a["title"]) for a in found] == [
        ("worse-twice", "Two sessions in a row ended worse")
    ]
    message = found[0]["message"]
    assert "ended 2 and 2 points worse" in message
    assert "pain 3 to 5, then 4 to 6" in message
    assert "GP or a physiotherapist" in message


@pytest.mark.parametrize(
    "sessions",
    [
        [(2 * DAY, 3, 5, False), (DAY, 4, 5, False)],  # the second rose 1 point only
        [(2 * DAY, 4, 5, False), (DAY, 3, 5, False)],  # the first rose 1 point only
        [(2 * DAY, 3, 5, False), (DAY, 3, 6, True)],  # the second was a preview
        [(3 * DAY, 3, 5, False), (2 * DAY, 3, 5, False), (DAY, 5, 5, False)],  # not the last two
    ],
    ids=["second-one-point", "first-one-point", "preview", "settled-since"],
)
def test_no_worse_twice_advisory_short_of_the_rule(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    sessions: list[tuple[timedelta, int | None, int | None, bool]],
) -> None:
    assert advisories_for(run, journal, clock, sessions) == []


def test_rising_trend_over_five_sessions_advises_booking(
    run: Run, journal: SessionStore, clock: Clock
) -> None:
    # Least-squares slope of 3, 3, 3, 4, 5 is exactly 0.5 a session: the edge counts. The
    # older score of 9 is outside the last five.
    befores = [9, 3, 3, 3, 4, 5]
    found = advisories_for(
        run,
        journal,
        clock,
        [((len(befores) - i) * DAY, b, None, False) for i, b in enumerate(befores)],
    )
    assert [(a["id"], a["title"]) for a in found] == [("rising-trend", "Your pain is trending up")]
    assert "3, 3, 3, 4, 5" in found[0]["message"]
    assert "0.5 points a session" in found[0]["message"]


@pytest.mark.parametrize(
    "sessions",
    [
        [((5 - i) * DAY, b, None, False) for i, b in enumerate([3, 3, 4, 3, 5])],  # slope 0.4
        [((4 - i) * DAY, b, None, False) for i, b in enumerate([1, 3, 5, 7])],  # only 4
        [((5 - i) * DAY, b, None, i == 4) for i, b in enumerate([3, 3, 3, 4, 5])],  # a preview
    ],
    ids=["slope-0.4", "four-sessions", "fifth-is-a-preview"],
)
def test_no_rising_trend_short_of_the_rule(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    sessions: list[tuple[timedelta, int | None, int | None, bool]],
) -> None:
    assert advisories_for(run, journal, clock, sessions) == []


SIX_WEEKS = timedelta(days=42)
NO_TWO = "No 2-point improvement after 6 weeks"
NOT_BETTER = "Not better after 6 weeks"


@pytest.mark.parametrize(
    ("first_age", "first", "recent", "titles"),
    [
        (SIX_WEEKS, 6, 5, [NO_TWO, NOT_BETTER]),  # 1 point at exactly 42 days
        (SIX_WEEKS - timedelta(minutes=1), 6, 5, []),  # a minute short of 42 days
        (SIX_WEEKS, 6, 4, []),  # 2 points and 33 %: better
        (SIX_WEEKS, 7, 5, [NOT_BETTER]),  # 2 points but under 30 %
        (SIX_WEEKS, 10, 7, []),  # 3 points, exactly 30 %: better
        (SIX_WEEKS, 10, 8, [NOT_BETTER]),  # 2 points, 20 %
        (SIX_WEEKS, 5, 5, [NO_TWO, NOT_BETTER]),  # no change
    ],
)
def test_six_week_advisories_at_their_edges(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    first_age: timedelta,
    first: int,
    recent: int,
    titles: list[str],
) -> None:
    found = advisories_for(
        run, journal, clock, [(first_age, first, None, False), (DAY, recent, None, False)]
    )
    assert [a["title"] for a in found] == titles
    assert [a["id"] for a in found] == [
        {NO_TWO: "no-two-points", NOT_BETTER: "not-better"}[title] for title in titles
    ]
    for advisory in found:
        assert "42 days since your first session" in advisory["message"]
        assert f"{recent} on average over your last 7 days (1 session)" in advisory["message"]


def test_six_week_advisory_names_the_numbers(run: Run, journal: SessionStore, clock: Clock) -> None:
    found = advisories_for(
        run,
        journal,
        clock,
        [(SIX_WEEKS + DAY, 6, None, False), (2 * DAY, 4, None, False), (DAY, 5, None, False)],
    )
    assert [a["title"] for a in found] == [NO_TWO, NOT_BETTER]
    no_two = found[0]["message"]
    assert "43 days since your first session with a pain score" in no_two
    assert "6 then and is 4.5 on average over your last 7 days (2 sessions)" in no_two
    assert "1.5 points lower, less than the 2 points" in no_two
    assert "at least 2 points and at least 30 % lower" in found[1]["message"]


def test_six_week_rules_ignore_previews(run: Run, journal: SessionStore, clock: Clock) -> None:
    # Counted, the preview 50 days ago would be a first score of 5 six weeks back.
    found = advisories_for(
        run, journal, clock, [(50 * DAY, 5, None, True), (10 * DAY, 5, None, False)]
    )
    assert found == []


def test_advisories_are_shown_at_the_top_with_their_numbers(
    run: Run, journal: SessionStore, clock: Clock
) -> None:
    now = datetime.now(UTC)
    add(journal, clock, now - SIX_WEEKS - DAY, before=3, after=5)
    add(journal, clock, now - DAY, before=4, after=6)
    out = ok(run("history", "stats"))
    headline = out.index("Last 8 weeks")
    for heading in (
        "Two sessions in a row ended worse",
        "No 2-point improvement after 6 weeks",
        "Not better after 6 weeks",
    ):
        assert heading in out
        assert out.index(heading) < headline
    assert "SAFETY" not in out and "worse-twice" not in out  # rule names are not for people
    text = flat(out)
    assert "ended 2 and 2 points worse than they started (pain 3 to 5, then 4 to 6)" in text
    assert "43 days since your first session" in text


# -- one notion of a session held, one change label, no rule names -----------------------------


def report_page(run: Run, tmp_path: Path) -> str:
    target = tmp_path / "report.html"
    ok(run("history", "report", "-o", str(target)))
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize(("done", "counted"), [(150.0, True), (149.9, False)])
def test_half_the_plan_counts_everywhere_and_just_under_is_listed_but_not_counted(
    run: Run,
    journal: SessionStore,
    clock: Clock,
    local_zone: Callable[[str], None],
    tmp_path: Path,
    done: float,
    counted: bool,
) -> None:
    # SAFETY.md 4 (product rule): a session counts towards the weekly goal when at least half
    # of its planned time was done. Last week met a goal of 1; this week's one session decides.
    local_zone("UTC")
    this_monday = utc_monday(datetime.now(UTC))
    add(journal, clock, this_monday - timedelta(days=6), routine="warm-up")
    partial: list[Segment] = [("step", "Glute ball", "glutes", 300.0, "stopped", done)]
    session = add(journal, clock, this_monday + timedelta(seconds=1), segments=partial)
    ok(run("history", "goal", "1"))

    line = row(ok(run("history")), "glute-ball")
    assert ("50%" if counted else "49%") in line
    assert ("not counted: less than half done" in line) is not counted
    [listed] = [s for s in history_json(run) if s["id"] == session]
    assert listed["counted"] is counted

    data = stats_json(run)
    assert data["weeks"][-1]["sessions"] == int(counted)
    assert data["weeks"][-1]["met"] is counted
    assert data["streak_weeks"] == 1 + counted
    assert (data["sessions_held"], data["sessions_not_counted"]) == (1 + counted, 1 - counted)
    assert [s["counted"] for s in data["sessions"]] == [True, counted]
    terminal = ok(run("history", "stats"))
    if counted:
        assert "Last 8 weeks: 2 sessions" in terminal and "did not count" not in terminal
    else:
        assert "Last 8 weeks: 1 session," in terminal
        assert (
            "1 more session had less than half of the plan done and did not count towards the goal."
        ) in terminal

    exported = json.loads(ok(run("history", "export", "--format", "json")))["sessions"]
    assert [s["counted"] for s in exported] == [True, counted]
    rows = list(csv.DictReader(io.StringIO(ok(run("history", "export", "--format", "csv")))))
    assert [r["counted"] for r in rows] == ["1", "1" if counted else "0"]

    page = report_page(run, tmp_path)
    assert f'data-sessions-held="{1 + counted}" data-sessions-listed="2"' in page
    assert re.search(
        rf'data-session-id="{session}"[^>]*data-counted="{"true" if counted else "false"}"', page
    )
    this_week = f'data-week-start="{this_monday:%Y-%m-%d}" data-sessions="{int(counted)}"'
    assert this_week in page
    assert ("not counted: less than half done" in page) is not counted


def test_seven_to_nine_is_worse_in_every_view(
    run: Run, journal: SessionStore, clock: Clock, tmp_path: Path
) -> None:
    # SAFETY.md 4: 2 points up is "worse" whatever the percentage (under 30 % of 7).
    session = add(journal, clock, datetime.now(UTC) - DAY, before=7, after=9)
    assert "7 -> 9 worse" in row(ok(run("history")), "glute-ball")
    assert history_json(run)[0]["change"] == "worse"
    assert stats_json(run)["sessions"][0]["change"] == "worse"
    exported = json.loads(ok(run("history", "export", "--format", "json")))["sessions"]
    assert exported[0]["change"] == "worse"
    [line] = csv.DictReader(io.StringIO(ok(run("history", "export", "--format", "csv"))))
    assert (line["session_id"], line["change"]) == (str(session), "worse")
    page = report_page(run, tmp_path)
    assert '7 &#8594; 9 <span class="worse">(worse)</span>' in page
    assert "no clear change" not in page.split('<section id="sessions">')[1].split("</section>")[0]


def test_no_view_a_person_reads_names_safety_md(
    run: Run, journal: SessionStore, clock: Clock, tmp_path: Path, local_zone: Callable[[str], None]
) -> None:
    # Every advisory fires: two sessions ending worse, a rising trend and the 6-week rules.
    local_zone("UTC")
    now = datetime.now(UTC)
    add(journal, clock, now - 60 * DAY, before=5, after=5)
    for days, (before, after) in zip(
        (5, 4, 3, 2, 1), ((2, 4), (3, 5), (3, 5), (4, 6), (4, 6)), strict=True
    ):
        add(journal, clock, now - days * DAY - timedelta(hours=1), before=before, after=after)
    ids = [a["id"] for a in stats_json(run)["advisories"]]
    assert ids == ["worse-twice", "rising-trend", "no-two-points", "not-better"]
    outputs = [
        ok(run("history")),
        ok(run("history", "--json")),
        ok(run("history", "stats")),
        ok(run("history", "stats", "--json")),
        ok(run("history", "export", "--format", "json")),
        ok(run("history", "export", "--format", "csv")),
        report_page(run, tmp_path),
        run("checkin", "--pain", "5").output,
        ok(run("checkin", "--help")),
        ok(run("history", "--help")),
        ok(run("history", "stats", "--help")),
    ]
    for output in outputs:
        assert "SAFETY" not in output, output


# -- sciatica checkin --------------------------------------------------------------------------


@pytest.fixture
def midnight(local_zone: Callable[[str], None]) -> datetime:
    """Local midnight today, in a zone chosen so that it is now between 12:00 and 13:00: the
    command reads the real clock, and "yesterday evening" or "earlier today" must be exact."""
    now = datetime.now(UTC)
    offset = (12 - now.hour) % 24
    offset -= 24 if offset > 12 else 0
    local_zone(f"MID{-offset:+d}")  # POSIX: the sign is inverted, "MID-3" is UTC+3
    zone = timezone(timedelta(hours=offset))
    return datetime.combine(now.astimezone(zone).date(), datetime.min.time(), zone)


def ended_at(store: SessionStore, clock: Clock, end: datetime, **kwargs: Any) -> int:
    """A session of ONE_STEP (5 minutes) that ended at ``end``."""
    return add(store, clock, end - timedelta(seconds=305), **kwargs)


def test_checkin_logs_morning_pain_for_yesterdays_session(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    ended_at(journal, clock, midnight - timedelta(hours=4), routine="glute-ball", before=6, after=4)
    add(journal, clock, midnight + timedelta(hours=9), routine="full", preview=True)
    out = ok(run("checkin", "--pain", "3"))
    assert "Morning pain 3 logged for glute-ball" in out
    assert (
        "Your pain this morning is 3; before yesterday evening's glute-ball session it was 6. "
        "It has settled: carry on as planned."
    ) in out
    listing = ok(run("history"))
    assert re.search(r"6 -> 4 better\s+3\s+completed", row(listing, "glute-ball"))
    assert re.search(r"\s3\s", row(listing, "full")) is None
    by_name = {s["routine"]: s for s in history_json(run)}
    assert by_name["glute-ball"]["morning_pain"] == 3
    assert by_name["full"]["morning_pain"] is None


def test_checkin_compares_with_the_sessions_own_pain_before_not_an_older_checkin(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    # The issue: a check-in of 8 nine days ago, a session 3 -> 6 yesterday evening, then
    # "checkin --pain 6" said "down from 8 ... carry on as planned".
    old = ended_at(journal, clock, midnight - 10 * DAY, before=8)
    checkin_at(journal, clock, midnight - 9 * DAY + timedelta(hours=8), old, 8)
    ended_at(journal, clock, midnight - timedelta(hours=3), before=3, after=6)
    out = ok(run("checkin", "--pain", "6"))
    assert (
        "Your pain this morning is 6; before yesterday evening's glute-ball session it was 3. "
        "It has not settled: make the next session gentler, or skip it if the pain is still high."
    ) in out
    assert "carry on" not in out and "down from" not in out


@pytest.mark.parametrize(("pain", "settled"), [(4, True), (5, False)])
def test_checkin_is_settled_at_one_point_above_pain_before_and_not_at_two(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime, pain: int, settled: bool
) -> None:
    ended_at(journal, clock, midnight - timedelta(hours=4), before=3)
    out = ok(run("checkin", "--pain", str(pain)))
    assert ("It has settled: carry on as planned." in out) is settled
    assert ("It has not settled: make the next session gentler" in out) is not settled


@pytest.mark.parametrize(("hours", "accepted"), [(35, True), (37, False)])
def test_checkin_belongs_to_a_session_that_ended_at_most_36_hours_before(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime, hours: int, accepted: bool
) -> None:
    session = ended_at(journal, clock, datetime.now(UTC) - timedelta(hours=hours), before=4)
    result = run("checkin", "--pain", "4")
    if accepted:
        assert "It has settled" in ok(result)
        assert journal.session(session).morning_pain == 4
    else:
        assert result.exit_code == 1
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("Error: your last session ended on ")
        assert "more than 36 hours ago" in line and "nothing was logged" in line
        assert journal.checkins() == []


def test_checkin_refuses_a_score_the_same_day_as_the_only_session(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    ended_at(journal, clock, midnight + timedelta(hours=9), before=3)  # this morning at 09:00
    result = run("checkin", "--pain", "5")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: your last session ended today, and a morning score is for the morning after a "
        "session: check in tomorrow morning (nothing was logged)\n"
    )
    assert journal.checkins() == []


def test_checkin_counts_an_interrupted_session_as_a_real_one(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    # stats.real_sessions: interrupted sessions were held, so they are real sessions.
    ended_at(journal, clock, midnight - DAY, routine="glute-ball")
    ended_at(
        journal,
        clock,
        midnight - timedelta(hours=2),
        routine="hamstring-roll",
        status="interrupted",
    )
    assert "logged for hamstring-roll" in ok(run("checkin", "--pain", "4"))


def test_checkin_for_a_session_without_pain_before_is_logged_but_not_compared(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    session = ended_at(journal, clock, midnight - timedelta(hours=4))
    out = ok(run("checkin", "--pain", "6"))
    assert "cannot be compared" in out
    assert journal.session(session).morning_pain == 6


def test_a_second_checkin_the_same_morning_corrects_the_first(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    session = ended_at(journal, clock, midnight - timedelta(hours=4), before=3)
    assert "It has not settled" in ok(run("checkin", "--pain", "6"))
    corrected = ok(run("checkin", "--pain", "3"))
    assert "before yesterday evening's glute-ball session it was 3. It has settled" in corrected
    assert journal.session(session).morning_pain == 3
    assert [c.pain for c in journal.checkins()] == [3, 6]


def test_checkin_without_pain_and_no_terminal_is_a_usage_error(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    ended_at(journal, clock, midnight - timedelta(hours=4))
    result = run("checkin")
    assert result.exit_code == 2
    assert "give --pain N (0 to 10): there is no terminal to ask" in result.stderr
    assert "Traceback" not in result.output
    assert journal.checkins() == []


def test_checkin_with_no_sessions_says_to_start_one(run: Run) -> None:
    result = run("checkin", "--pain", "3")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: there is no session to check in for yet")
    assert FIRST_USE_HINT in result.stderr
    assert "Traceback" not in result.output


def test_checkin_with_only_previews_says_to_start_one(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime
) -> None:
    ended_at(journal, clock, midnight - timedelta(hours=4), preview=True)
    result = run("checkin", "--pain", "3")
    assert result.exit_code == 1
    assert "no session to check in for yet" in result.stderr
    assert journal.checkins() == []


@pytest.mark.parametrize("pain", ["-1", "11", "three"])
def test_checkin_pain_outside_the_scale_is_a_usage_error(
    run: Run, journal: SessionStore, clock: Clock, midnight: datetime, pain: str
) -> None:
    ended_at(journal, clock, midnight - timedelta(hours=4))
    assert run("checkin", "--pain", pain).exit_code == 2
    assert journal.checkins() == []


# -- sciatica history note ---------------------------------------------------------------------


@pytest.fixture
def three(journal: SessionStore, clock: Clock) -> list[int]:
    now = datetime.now(UTC)
    return [
        add(journal, clock, now - 3 * DAY, routine="warm-up"),
        add(journal, clock, now - 2 * DAY, routine="glute-ball"),
        add(journal, clock, now - DAY, routine="hamstring-roll"),
    ]


def test_note_goes_on_the_latest_session(run: Run, three: list[int]) -> None:
    assert ok(run("history", "note", "Easier today")).strip() == f"Noted on session {three[2]}."
    out = ok(run("history"))
    assert row(out, "hamstring-roll").rstrip().endswith("Easier today")
    assert "Easier today" not in row(out, "glute-ball")


def test_note_goes_on_the_numbered_session(run: Run, three: list[int]) -> None:
    target = three[0]
    assert ok(run("history", "note", str(target), "Left side tight")).strip() == (
        f"Noted on session {target}."
    )
    out = ok(run("history"))
    assert row(out, "warm-up").rstrip().endswith("Left side tight")
    notes = {s["id"]: s["note"] for s in history_json(run)}
    assert notes == {three[0]: "Left side tight", three[1]: None, three[2]: None}


def test_a_second_note_is_added_on_a_new_line(run: Run, three: list[int]) -> None:
    ok(run("history", "note", str(three[2]), "first"))
    assert ok(run("history", "note", str(three[2]), "second")).strip() == (
        f"Noted on session {three[2]}."
    )
    assert {s["id"]: s["note"] for s in history_json(run)}[three[2]] == "first\nsecond"
    out = ok(run("history"))
    assert "first" in row(out, "hamstring-roll") and "second" in out


def test_note_replace_puts_the_new_note_in_place_of_the_old(run: Run, three: list[int]) -> None:
    ok(run("history", "note", str(three[2]), "first"))
    ok(run("history", "note", str(three[2]), "second"))
    assert ok(run("history", "note", "--replace", str(three[2]), "third")).strip() == (
        f"Replaced the note on session {three[2]}."
    )
    assert {s["id"]: s["note"] for s in history_json(run)}[three[2]] == "third"


def test_note_replace_on_the_latest_session(run: Run, three: list[int]) -> None:
    ok(run("history", "note", "first"))
    ok(run("history", "note", "--replace", "only this"))
    notes = {s["id"]: s["note"] for s in history_json(run)}
    assert notes == {three[0]: None, three[1]: None, three[2]: "only this"}


def test_note_on_an_unknown_session_exits_1(run: Run, three: list[int]) -> None:
    result = run("history", "note", "999", "text")
    assert result.exit_code == 1
    assert "no session 999" in result.stderr
    assert result.stderr.startswith("Error:")
    assert all(s["note"] is None for s in history_json(run))


@pytest.mark.parametrize("args", [("",), ("   ",), ("2", ""), ("2", "  ")])
def test_empty_note_is_a_usage_error(run: Run, three: list[int], args: tuple[str, ...]) -> None:
    result = run("history", "note", *args)
    assert result.exit_code == 2
    assert "empty" in result.output
    assert all(s["note"] is None for s in history_json(run))


def test_note_needs_text(run: Run, three: list[int]) -> None:
    assert run("history", "note").exit_code == 2


def test_note_with_no_sessions_exits_1(run: Run) -> None:
    result = run("history", "note", "hello")
    assert result.exit_code == 1
    assert "no sessions to add a note to" in result.stderr


# -- sciatica history export -------------------------------------------------------------------


@pytest.fixture
def full_journal(
    journal: SessionStore, clock: Clock, local_zone: Callable[[str], None]
) -> SessionStore:
    """Several sessions with segments, pain, notes, check-ins, a preview, a session without
    segments and one interrupted before its last segment, in a zone west of UTC."""
    local_zone("America/New_York")
    now = datetime.now(UTC).replace(microsecond=123456)
    work: list[Segment] = [
        ("setup", "Get ready", None, 60.0, "done", 60.0),
        ("step", "Glute ball", "glutes", 300.0, "done", 300.0),
        ("switch", "Other side", None, 10.0, "skipped", 0.0),
        ("step", "Glute ball", "glutes", 300.0, "stopped", 42.5),
    ]
    first = add(
        journal,
        clock,
        now - 5 * DAY,
        before=6,
        after=4,
        note='Sore, then "better"',
        segments=work,
        options={"minutes": 5, "side": "both"},
    )
    checkin_at(journal, clock, now - 4 * DAY, first, 3)
    checkin_at(journal, clock, now - 4 * DAY + timedelta(hours=1), first, 2)
    second = add(
        journal,
        clock,
        now - 3 * DAY,
        routine="hamstring-roll",
        before=5,
        after=7,
        status="stopped",
        stop_reason="sharp pain",
        segments=work[:2],
    )
    checkin_at(journal, clock, now - 2 * DAY, second, 6)
    add(journal, clock, now - 2 * DAY, routine="full", preview=True, segments=work, before=1)
    add(journal, clock, now - DAY, routine="warm-up", segments=[], planned=120.0, note="Just this")
    add(
        journal,
        clock,
        now - timedelta(hours=3),
        routine="piriformis-ball",
        status="interrupted",
        segments=[*work[:2], ("step", "Piriformis", "piriformis", 300.0, None, 0.0)],
    )
    return journal


def test_json_export_round_trips_every_session_and_segment(
    run: Run, full_journal: SessionStore, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "journal.json"
    target.parent.mkdir()
    result = run("history", "export", "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}." in result.stderr
    assert result.stdout == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "sciatica-journal"
    assert document["version"] == 1
    assert datetime.fromisoformat(document["exported_at"]).utcoffset() is not None
    stored = sorted(
        full_journal.sessions(include_previews=True), key=lambda s: (s.started_at, s.id)
    )
    exported = document["sessions"]
    assert [s["id"] for s in exported] == [s.id for s in stored]
    assert len(exported) == 5
    for data, session in zip(exported, stored, strict=True):
        assert list(data) == [*SESSION_KEYS, "segments"]
        for name in (
            "routine",
            "title",
            "preview",
            "status",
            "stop_reason",
            "planned_seconds",
            "done_seconds",
            "pain_before",
            "pain_after",
            "morning_pain",
            "note",
        ):
            assert data[name] == getattr(session, name), name
        assert data["options"] == dict(session.options)
        for name in ("started_at", "ended_at"):
            moment = datetime.fromisoformat(data[name])
            assert moment.utcoffset() is not None
            assert moment == getattr(session, name)
        segments = full_journal.segments(session.id)
        assert len(data["segments"]) == len(segments)
        for seg_data, segment in zip(data["segments"], segments, strict=True):
            for name in (
                "position",
                "kind",
                "title",
                "step_number",
                "side",
                "area",
                "planned_seconds",
                "outcome",
                "done_seconds",
            ):
                assert seg_data[name] == getattr(segment, name), name
            for name in ("started_at", "ended_at"):
                expected = getattr(segment, name)
                if expected is None:
                    assert seg_data[name] is None
                else:
                    assert datetime.fromisoformat(seg_data[name]) == expected
    by_routine = {s["routine"]: s for s in exported}
    assert by_routine["full"]["preview"] is True
    assert by_routine["glute-ball"]["morning_pain"] == 2  # the latest check-in
    assert by_routine["glute-ball"]["note"] == 'Sore, then "better"'
    assert by_routine["glute-ball"]["options"] == {"minutes": 5, "side": "both"}
    assert by_routine["glute-ball"]["done_seconds"] == 402.5
    assert by_routine["hamstring-roll"]["change"] == "worse"
    assert by_routine["warm-up"]["segments"] == []
    assert [s["outcome"] for s in by_routine["piriformis-ball"]["segments"]] == [
        "done",
        "done",
        None,
    ]


def test_json_export_to_stdout_matches_the_file(
    run: Run, full_journal: SessionStore, tmp_path: Path
) -> None:
    target = tmp_path / "journal.json"
    ok(run("history", "export", "-o", str(target)))  # json is the default
    printed = json.loads(ok(run("history", "export", "--format", "json")))
    written = json.loads(target.read_text(encoding="utf-8"))
    assert printed["sessions"] == written["sessions"]


def test_csv_export_has_one_row_per_segment(
    run: Run, full_journal: SessionStore, tmp_path: Path
) -> None:
    target = tmp_path / "journal.csv"
    result = run("history", "export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}." in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    stored = full_journal.sessions(include_previews=True)
    assert len(rows) == sum(max(1, len(full_journal.segments(s.id))) for s in stored)
    by_session: dict[str, list[dict[str, str]]] = {}
    for line in rows:
        by_session.setdefault(line["routine"], []).append(line)
    glute = by_session["glute-ball"]
    assert [r["position"] for r in glute] == ["0", "1", "2", "3"]
    assert [r["kind"] for r in glute] == ["setup", "step", "switch", "step"]
    assert [r["outcome"] for r in glute] == ["done", "done", "skipped", "stopped"]
    assert glute[3]["segment_done_seconds"] == "42.5"
    assert glute[1]["area"] == "glutes" and glute[0]["area"] == ""
    assert {r["pain_before"] for r in glute} == {"6"}
    assert {r["morning_pain"] for r in glute} == {"2"}
    assert {r["note"] for r in glute} == {'Sore, then "better"'}
    assert {r["preview"] for r in glute} == {"0"}
    session = next(s for s in stored if s.routine == "glute-ball")
    assert datetime.fromisoformat(glute[0]["started_at"]) == session.started_at
    segment = full_journal.segments(session.id)[1]
    assert datetime.fromisoformat(glute[1]["segment_started_at"]) == segment.started_at
    [warm_up] = by_session["warm-up"]  # no segments: still one row
    assert warm_up["position"] == "" and warm_up["kind"] == "" and warm_up["outcome"] == ""
    assert warm_up["note"] == "Just this"
    assert warm_up["planned_seconds"] == "120.0"
    assert {r["preview"] for r in by_session["full"]} == {"1"}
    assert {r["stop_reason"] for r in by_session["hamstring-roll"]} == {"sharp pain"}
    assert by_session["piriformis-ball"][-1]["outcome"] == ""
    assert by_session["piriformis-ball"][-1]["segment_started_at"] == ""
    # Oldest first: the order the sessions were held in.
    order = [r["routine"] for r in rows]
    assert order.index("glute-ball") < order.index("hamstring-roll") < order.index("warm-up")


def test_export_to_a_file_replaces_it_whole_and_leaves_no_temp_file(
    run: Run, full_journal: SessionStore, tmp_path: Path
) -> None:
    target = tmp_path / "journal.csv"
    target.write_text("old content that is longer than nothing\n" * 100, encoding="utf-8")
    ok(run("history", "export", "--format", "csv", "-o", str(target)))
    assert target.read_text(encoding="utf-8").startswith("session_id,")
    assert "old content" not in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["journal.csv"]


def test_export_that_fails_to_write_leaves_the_old_file(
    run: Run, full_journal: SessionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "journal.json"
    target.write_text("previous export\n", encoding="utf-8")

    def refuse(self: Path, other: object) -> Path:
        raise PermissionError(13, "Permission denied", str(other))

    monkeypatch.setattr(Path, "replace", refuse)
    result = run("history", "export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["journal.json"]


@pytest.mark.parametrize(
    "command", [("history", "export"), ("history", "export", "-f", "csv"), ("history", "report")]
)
def test_writing_into_a_missing_folder_is_an_error_and_makes_no_folder(
    run: Run, full_journal: SessionStore, tmp_path: Path, command: tuple[str, ...]
) -> None:
    target = tmp_path / "missing" / "dir" / "r.html"
    result = run(*command, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: Cannot write {target}: there is no folder {target.parent}.\n"
    assert result.stdout == ""
    assert not (tmp_path / "missing").exists()


def test_writing_under_a_file_is_the_same_error(
    run: Run, full_journal: SessionStore, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run("history", "export", "-o", str(blocker / "journal.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: Cannot write {blocker / 'journal.json'}: there is")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_export_format_must_be_csv_or_json(run: Run) -> None:
    assert run("history", "export", "--format", "xml").exit_code == 2


# -- sciatica history report -------------------------------------------------------------------


VOID_TAGS = frozenset({"meta", "br", "hr", "img", "input", "link", "area", "col", "source", "wbr"})


class Page(HTMLParser):
    """Collects ids and text, and checks that elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.stack == []
    return page


def test_report_writes_a_page_with_every_section_and_the_disclaimer(
    run: Run, full_journal: SessionStore, clock: Clock, tmp_path: Path
) -> None:
    clock.moment = datetime.now(UTC) - DAY
    full_journal.record_screen({"A1": False, "B3": True}, result="urgent", assessed=True)
    target = tmp_path / "for-my-physio.html"
    result = run("history", "report", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}." in result.stderr
    assert f"Open it in a browser: {target.resolve().as_uri()}" in result.stdout
    page = parse_page(target)
    for ident in REPORT_SECTIONS:
        assert ident in page.ids
    text = " ".join(" ".join(page.text).split())
    assert DISCLAIMER in text
    assert 'Sore, then "better"' in text  # a note
    assert "sharp pain" in text  # a stop reason
    assert "Just this" in text


def test_report_without_output_writes_a_dated_file_here(
    run: Run, full_journal: SessionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "reports"
    here.mkdir()
    monkeypatch.chdir(here)
    days = {date.today()}
    result = run("history", "report")
    days.add(date.today())
    assert result.exit_code == 0, result.output
    written = [p.name for p in here.iterdir()]
    assert len(written) == 1
    assert written[0] in {f"sciatica-report-{day.isoformat()}.html" for day in days}
    parse_page(here / written[0])
    assert f"Wrote {written[0]}." in result.stderr
    assert (here / written[0]).resolve().as_uri() in result.stdout


def test_report_of_an_empty_journal_still_has_every_section(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "empty.html"
    ok(run("history", "report", "-o", str(target)))
    page = parse_page(target)
    for ident in REPORT_SECTIONS:
        assert ident in page.ids
    assert DISCLAIMER in " ".join(" ".join(page.text).split())


# -- a damaged journal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("history",),
        ("history", "--json"),
        ("history", "stats"),
        ("history", "export", "--format", "csv"),
        ("history", "note", "hello"),
        ("history", "report", "-o", "report.html"),
        ("checkin", "--pain", "3"),
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith("-"))[:30],
)
def test_a_corrupt_journal_is_one_clear_error_and_left_alone(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    journal_file = home / "journal.db"
    garbage = b"this is not a database, just some bytes\n" * 200
    journal_file.write_bytes(garbage)
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error:")
    assert str(journal_file) in lines[0]
    assert "Traceback" not in result.output
    assert journal_file.read_bytes() == garbage
    assert not (tmp_path / "report.html").exists()
