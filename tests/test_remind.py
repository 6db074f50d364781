"""``sciatica remind``: an iCalendar file of weekly sessions and morning check-ins that calendar
apps import, each event with an alarm, in the person's own time zone."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from sciatica_cli.journal.reminders import calendar_text, parse_days, reminder_plan
from tests.conftest import REPO, Run

NOW = datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc)  # a Tuesday evening in London


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> str:
    """This machine's zone as tzlocal reads it: TZ, with tzlocal's cached answer dropped."""
    import tzlocal.unix

    monkeypatch.setenv("TZ", "America/New_York")
    monkeypatch.setattr(tzlocal.unix, "_cache_tz_name", None)
    return "America/New_York"


def _parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def _events(calendar: Calendar, summary: str) -> list[Any]:
    return [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == summary]


def _sessions(calendar: Calendar) -> list[Any]:
    return _events(calendar, "Sciatica self-massage")


def _checkins(calendar: Calendar) -> list[Any]:
    return _events(calendar, "Sciatica morning check-in")


def _byday(event: Any) -> list[str]:
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    return list(rule["BYDAY"])


def test_each_day_becomes_a_weekly_event_at_the_local_time_with_an_alarm() -> None:
    text = calendar_text(reminder_plan("mon,wed,fri", "18:30"), "Europe/London", NOW)

    calendar = _parse(text)
    sessions = _sessions(calendar)

    assert str(calendar["VERSION"]) == "2.0"
    assert "sciatica" in str(calendar["PRODID"])
    assert [_byday(e) for e in sessions] == [["MO"], ["WE"], ["FR"]]
    starts = [e["DTSTART"].dt for e in sessions]
    assert [s.date() for s in starts] == [date(2026, 12, 7), date(2026, 12, 2), date(2026, 12, 4)]
    assert {s.time() for s in starts} == {time(18, 30)}
    assert {e["DTSTART"].params["TZID"] for e in sessions} == {"Europe/London"}
    assert "DTSTART;TZID=Europe/London:20261207T183000" in text
    assert {e["DURATION"].dt for e in sessions} == {timedelta(minutes=30)}
    assert len({str(e["UID"]) for e in sessions}) == 3
    assert all(e["DTSTAMP"].dt == NOW for e in sessions)
    for event in sessions:
        assert "Run: sciatica routine start" in str(event["DESCRIPTION"])
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(minutes=-10)
        assert "sciatica routine start" in str(alarm["DESCRIPTION"])
    assert _checkins(calendar) == []


def test_the_calendar_carries_a_vtimezone_for_the_zone() -> None:
    calendar = _parse(calendar_text(reminder_plan("sat", "9:05"), "America/New_York", NOW))

    assert [tz.tz_name for tz in calendar.timezones] == ["America/New_York"]
    assert calendar.get_missing_tzids() == set()
    (event,) = _sessions(calendar)
    # 23:00 UTC on Tuesday is 18:00 in New York: the first Saturday is the 5th.
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 12, 5, 9, 5)


def test_checkin_adds_an_event_the_morning_after_each_session() -> None:
    plan = reminder_plan("mon,sun", "18:30", "08:00")
    calendar = _parse(calendar_text(plan, "Europe/London", NOW))

    checkins = _checkins(calendar)

    assert len(_sessions(calendar)) == 2
    assert [_byday(e) for e in checkins] == [["TU"], ["MO"]]
    starts = [e["DTSTART"].dt for e in checkins]
    assert [s.replace(tzinfo=None) for s in starts] == [
        datetime(2026, 12, 8, 8, 0),
        datetime(2026, 12, 7, 8, 0),
    ]
    for event in checkins:
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert "Run: sciatica checkin --pain N" in str(event["DESCRIPTION"])
        (alarm,) = event.walk("VALARM")
        assert "sciatica checkin --pain N" in str(alarm["DESCRIPTION"])


def test_an_unknown_zone_gives_floating_times_and_no_vtimezone() -> None:
    calendar = _parse(calendar_text(reminder_plan("tue", "18:30"), None, NOW))

    (event,) = _sessions(calendar)

    assert event["DTSTART"].dt.tzinfo is None
    assert "TZID" not in event["DTSTART"].params
    assert calendar.timezones == []


def test_the_uids_are_stable_so_a_new_import_updates_the_events() -> None:
    plan = reminder_plan("mon,thu", "18:30", "07:45")
    first = _parse(calendar_text(plan, "Europe/London", NOW))
    again = _parse(calendar_text(plan, "Europe/London", NOW + timedelta(days=3)))

    uids = [str(e["UID"]) for e in first.walk("VEVENT")]

    assert uids == [str(e["UID"]) for e in again.walk("VEVENT")]
    assert len(set(uids)) == 4


def test_days_may_be_full_names_in_any_case_and_come_out_in_week_order() -> None:
    assert parse_days(" Friday, mon ,WED") == (0, 2, 4)


def test_remind_prints_the_calendar_on_stdout_in_the_local_zone(run: Run, zone: str) -> None:
    result = run("remind", "--days", "mon,wed,fri", "--at", "18:30", "--checkin", "08:00")

    assert result.exit_code == 0, result.stderr
    calendar = _parse(result.stdout)
    assert [_byday(e) for e in _sessions(calendar)] == [["MO"], ["WE"], ["FR"]]
    assert [_byday(e) for e in _checkins(calendar)] == [["TU"], ["TH"], ["SA"]]
    assert {e["DTSTART"].params["TZID"] for e in calendar.walk("VEVENT")} == {zone}
    assert [tz.tz_name for tz in calendar.timezones] == [zone]
    assert "Traceback" not in result.stderr


def test_remind_writes_the_file_and_says_how_to_use_it(run: Run, zone: str, tmp_path: Path) -> None:
    target = tmp_path / "sciatica.ics"

    result = run("remind", "--days", "tue,thu,sat", "--at", "07:00", "-o", str(target))

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Wrote {target}.",
        "Import it into your calendar app; the times are in America/New_York time.",
    ]
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert len(_sessions(_parse(text))) == 3


def test_remind_refuses_a_missing_folder(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "sciatica.ics"

    result = run("remind", "--days", "mon", "--at", "18:30", "-o", str(target))

    assert result.exit_code == 1
    assert result.stderr == f"Error: there is no folder {target.parent} to write sciatica.ics in\n"
    assert not target.parent.exists()


BAD_INPUT = [
    ("mon,funday", "18:30", None, "--days takes days like mon,wed,fri, not 'funday'"),
    ("", "18:30", None, "--days takes days like mon,wed,fri, not ''"),
    ("mon,wed,", "18:30", None, "--days takes days like mon,wed,fri, not ''"),
    ("wed,mon,Wednesday", "18:30", None, "--days names wed twice: give each day once"),
    ("mon", "25:00", None, "--at takes a time like 18:30, not '25:00'"),
    ("mon", "6pm", None, "--at takes a time like 18:30, not '6pm'"),
    ("mon", "18:60", None, "--at takes a time like 18:30, not '18:60'"),
    ("mon", "18:30", "8", "--checkin takes a time like 08:00, not '8'"),
]


@pytest.mark.parametrize(("days", "at", "checkin", "message"), BAD_INPUT)
def test_bad_days_and_times_are_usage_errors(
    run: Run, days: str, at: str, checkin: str | None, message: str
) -> None:
    extra = ["--checkin", checkin] if checkin is not None else []

    result = run("remind", "--days", days, "--at", at, *extra)

    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


def test_the_weekly_goal_is_suggested_when_the_days_differ(run: Run) -> None:
    two = run("remind", "--days", "mon,thu", "--at", "18:30")
    three = run("remind", "--days", "mon,wed,fri", "--at", "18:30")
    run("history", "goal", "2")
    two_again = run("remind", "--days", "mon,thu", "--at", "18:30")

    hint = "2 days a week: your weekly goal is 3 ('sciatica history goal 2' to set it to 2)."
    assert two.stderr.splitlines() == [hint]
    assert three.stderr == ""
    assert two_again.stderr == ""


@pytest.mark.parametrize("args", [["--help"], ["remind", "--help"]])
def test_help_does_not_import_the_calendar_libraries(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sciatica_cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )

    assert done.returncode == 0, done.stderr
    loaded = [line for line in done.stderr.splitlines() if "icalendar" in line or "tzlocal" in line]
    assert loaded == []
