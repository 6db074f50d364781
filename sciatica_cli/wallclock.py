"""Wall-clock moments: now in UTC, and the local zone with the offset in force at each
moment (daylight saving).

``datetime.now().astimezone().tzinfo`` is a fixed offset taken from today, which would show a
July session an hour off in winter. This tzinfo asks the C library (the Python docs'
LocalTimezone recipe), so it follows TZ and /etc/localtime on every platform without tzdata.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone, tzinfo

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class LocalTimezone(tzinfo):
    """Local time as the operating system knows it, read when the object is made."""

    def __init__(self) -> None:
        self._std = timedelta(seconds=-time.timezone)
        self._dst = timedelta(seconds=-time.altzone) if time.daylight else self._std

    def fromutc(self, dt: datetime) -> datetime:
        # Each converted moment gets the fixed offset in force at that instant (as astimezone()
        # with no argument does): correct across daylight saving, and cheap to compare later.
        stamp = (dt.replace(tzinfo=timezone.utc) - _EPOCH) // timedelta(seconds=1)
        local = time.localtime(stamp)
        zone = timezone(timedelta(seconds=local.tm_gmtoff), local.tm_zone)
        return datetime(*local[:6], microsecond=dt.microsecond, tzinfo=zone)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._dst if dt is not None and self._is_dst(dt) else self._std

    def dst(self, dt: datetime | None) -> timedelta:
        return self._dst - self._std if dt is not None and self._is_dst(dt) else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return time.tzname[int(dt is not None and self._is_dst(dt))]

    def _is_dst(self, dt: datetime) -> bool:
        wall = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second)
        readings = set()
        for isdst in (1, 0):
            local = time.localtime(time.mktime((*wall, 0, 0, isdst)))
            if tuple(local[:6]) == wall:
                readings.add(local.tm_isdst > 0)
        if len(readings) == 2:  # the repeated autumn hour: its first pass (fold 0) is in DST
            return dt.fold == 0
        if readings:
            return readings.pop()
        # A wall time skipped in spring: read it the way the C library does.
        return time.localtime(time.mktime((*wall, 0, 0, -1))).tm_isdst > 0


def utc_now() -> datetime:
    """Now, as an aware UTC datetime: how the journal stamps every record."""
    return datetime.now(timezone.utc)


def local_tz() -> tzinfo:
    """This machine's time zone, daylight saving included (follows TZ)."""
    return LocalTimezone()
