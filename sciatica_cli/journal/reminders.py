"""Calendar reminders: the weekly sessions and the next-morning check-ins as an iCalendar file
(RFC 5545) that calendar apps import, each event with an alarm. icalendar and tzlocal are
imported only when a calendar is made, so that other commands start fast."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sciatica_cli import __version__
from sciatica_cli.errors import SciaticaError, UsageError
from sciatica_cli.text import visible

if TYPE_CHECKING:
    from icalendar import Event

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # by date.weekday()
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
PRODID = f"-//sciatica//sciatica-cli {__version__}//EN"
SESSION_LENGTH = timedelta(minutes=30)  # the full routine takes about 26 minutes
CHECKIN_LENGTH = timedelta(minutes=5)
SESSION_ALARM = timedelta(minutes=-10)  # time to get the ball and roller out
SESSION_COMMAND = "sciatica routine start"
CHECKIN_COMMAND = "sciatica checkin --pain N"
_ZONE_YEARS = 20  # how far ahead the VTIMEZONE spells out the daylight-saving changes


@dataclass(frozen=True)
class ReminderPlan:
    """What ``remind`` was asked for: session weekdays (Monday 0, in week order), the session
    time, and the next-morning check-in time if any."""

    days: tuple[int, ...]
    at: time
    checkin: time | None = None


def parse_days(text: str) -> tuple[int, ...]:
    """``mon,wed,fri`` (or full names, any case) to weekdays in week order; each day once."""
    found: list[int] = []
    for word in text.split(","):
        name = word.strip().lower()
        day = DAYS.index(name) if name in DAYS else _index(_FULL_NAMES, name)
        if day is None:
            raise UsageError(f"--days takes days like mon,wed,fri, not '{visible(word.strip())}'")
        if day in found:
            raise UsageError(f"--days names {DAYS[day]} twice: give each day once")
        found.append(day)
    return tuple(sorted(found))


def _index(names: tuple[str, ...], name: str) -> int | None:
    return names.index(name) if name in names else None


def parse_time(text: str, option: str, example: str) -> time:
    """``18:30`` or ``8:00`` (24-hour clock) to a time; ``option`` and ``example`` name it in
    the error."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise UsageError(f"{option} takes a time like {example}, not '{visible(text)}'")
    return time(int(match.group(1)), int(match.group(2)))


def reminder_plan(days: str, at: str, checkin: str | None = None) -> ReminderPlan:
    """The command line's words checked and turned into a plan (``UsageError`` if wrong)."""
    return ReminderPlan(
        days=parse_days(days),
        at=parse_time(at, "--at", "18:30"),
        checkin=None if checkin is None else parse_time(checkin, "--checkin", "08:00"),
    )


def local_zone_name() -> str | None:
    """This machine's time zone as an IANA name (``Europe/London``), from TZ or the system
    settings; None when it cannot be told or is not a zone this Python knows."""
    from zoneinfo import ZoneInfo

    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
        if not name:
            return None
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None
    return name


def calendar_text(plan: ReminderPlan, zone: str | None, now: datetime) -> str:
    """The iCalendar file for ``plan``: one weekly event per session day, alarm 10 minutes
    before, and with a check-in time one weekly event the morning after each. Times are local
    to ``zone`` (a VTIMEZONE is included), or floating when the zone is unknown."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    tz = ZoneInfo(zone) if zone else None
    today = now.astimezone(tz).date()  # no zone: this machine's own
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH")
    for day in plan.days:
        first = today + timedelta(days=(day - today.weekday()) % 7)
        calendar.add_component(_session(day, datetime.combine(first, plan.at, tz), now))
        if plan.checkin is not None:
            morning = datetime.combine(first + timedelta(days=1), plan.checkin, tz)
            calendar.add_component(_checkin((day + 1) % 7, morning, now))
    if tz is not None:
        last = date(today.year + _ZONE_YEARS, 1, 1)
        calendar.add_missing_timezones(first_date=today, last_date=last)
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")


def _session(day: int, start: datetime, now: datetime) -> Event:
    return _weekly(
        # A stable UID per day: importing a new file again updates the events, not doubles them.
        uid=f"sciatica-session-{DAYS[day]}@sciatica-cli",
        day=day,
        start=start,
        length=SESSION_LENGTH,
        summary="Sciatica self-massage",
        description=(
            f"Time for your self-massage. Run: {SESSION_COMMAND}\n"
            "Stop at once if the pain turns sharp or shoots down your leg."
        ),
        alarm=(SESSION_ALARM, f"Sciatica self-massage in 10 minutes: {SESSION_COMMAND}"),
        now=now,
    )


def _checkin(day: int, start: datetime, now: datetime) -> Event:
    return _weekly(
        uid=f"sciatica-checkin-{DAYS[day]}@sciatica-cli",
        day=day,
        start=start,
        length=CHECKIN_LENGTH,
        summary="Sciatica morning check-in",
        description=(
            "How is your pain this morning, after yesterday's session? "
            f"Run: {CHECKIN_COMMAND} (N from 0 to 10)"
        ),
        alarm=(timedelta(0), f"Morning check-in: {CHECKIN_COMMAND}"),
        now=now,
    )


def _weekly(
    *,
    uid: str,
    day: int,
    start: datetime,
    length: timedelta,
    summary: str,
    description: str,
    alarm: tuple[timedelta, str],
    now: datetime,
) -> Event:
    from icalendar import Alarm, Event

    trigger, text = alarm
    event: Event = Event.new(
        uid=uid,
        stamp=now,
        start=start,
        summary=summary,
        description=description,
        subcomponents=[Alarm.new_display(description=text, trigger=trigger)],
    )
    event.duration = length
    event.add("rrule", {"freq": "weekly", "byday": _BYDAY[day]})
    return event


def check_folder(path: Path) -> None:
    """Refuse to write where the folder does not exist (rather than make it for a typo)."""
    if not path.parent.is_dir():
        folder = visible(str(path.parent))
        raise SciaticaError(f"there is no folder {folder} to write {visible(path.name)} in")


def goal_hint(days: int, goal: int) -> str | None:
    """A sentence proposing ``days`` as the weekly goal when it differs from ``goal``."""
    if days == goal:
        return None
    plural = "s" if days != 1 else ""
    return (
        f"{days} day{plural} a week: your weekly goal is {goal} "
        f"('sciatica history goal {days}' to set it to {days})."
    )


def zone_label(zone: str | None) -> str:
    """How the times of the file are meant, for the message after writing."""
    return f"{zone} time" if zone else "your calendar's own time zone (this machine's is unknown)"
