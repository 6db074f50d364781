"""Local time follows daylight saving: every hour of a year agrees with the tz database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sciatica_cli.wallclock import LocalTimezone


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "zone", ["Europe/Helsinki", "America/New_York", "Pacific/Auckland", "UTC"], indirect=True
)
def test_every_hour_of_a_year_matches_the_tz_database(zone: str) -> None:
    local, reference = LocalTimezone(), ZoneInfo(zone)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for hour in range(366 * 24):
        moment = start + timedelta(hours=hour, minutes=30)
        ours, theirs = moment.astimezone(local), moment.astimezone(reference)
        assert ours.utcoffset() == theirs.utcoffset(), moment
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), moment
        assert ours.astimezone(timezone.utc) == moment  # the repeated autumn hour round-trips


@pytest.mark.parametrize("zone", ["Europe/Helsinki"], indirect=True)
def test_a_summer_session_seen_in_winter_keeps_its_summer_offset(zone: str) -> None:
    july = datetime(2026, 7, 15, 21, 30, tzinfo=timezone.utc).astimezone(LocalTimezone())
    assert july.isoformat() == "2026-07-16T00:30:00+03:00"
