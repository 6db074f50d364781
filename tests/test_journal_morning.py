"""The next-morning check-in: SAFETY.md 4, the 24-hour rule, at its edges.

A morning score belongs to the latest real session that ended on an earlier calendar day and
at most 36 hours before, and is compared with that session's own pain before. The journal is
built with a controllable clock and the check-in is given its ``now`` and zone, so every edge
is exact whatever the time of day the tests run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_cli.journal.morning import (
    NO_SESSION_YET,
    NoSessionForMorning,
    log_checkin,
    morning_advice,
    morning_session,
)
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore

LONDON = ZoneInfo("Europe/London")  # UTC+0 in November: local and UTC days are the same
EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=LONDON)  # a Monday evening
MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)  # the next morning
NOT_SETTLED = (
    "It has not settled: make the next session gentler, or skip it if the pain is still high."
)
SETTLED = "It has settled: carry on as planned."


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(MORNING)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[SessionStore]:
    with SessionStore.open(tmp_path / "journal.db", now=clock) as opened:
        yield opened


def session_ending(
    store: SessionStore,
    clock: Clock,
    ended: datetime,
    *,
    before: int | None = 3,
    after: int | None = None,
    routine: str = "glute-ball",
    preview: bool = False,
    status: str = "completed",
) -> int:
    """A ten-minute session, all done, that ended at ``ended``."""
    clock.moment = ended - timedelta(minutes=10)
    segment = PlannedSegment(0, "step", "Glute ball", 1, "left", "glutes", 600.0)
    session_id = store.start_session(
        routine=routine, title="Glute ball", options={}, planned_seconds=600.0,
        preview=preview, segments=[segment], pain_before=before,
    )  # fmt: skip
    store.record_segment(
        session_id, 0, outcome="done", done_seconds=600.0,
        started_at=clock.moment, ended_at=ended,
    )  # fmt: skip
    if after is not None:
        store.set_pain(session_id, after=after)
    if status != "running":
        clock.moment = ended
        store.finish_session(session_id, status=status)
    return session_id


def check_in(store: SessionStore, clock: Clock, at: datetime, pain: int) -> str:
    """Check in at ``at`` as the command does; the advice a person reads."""
    clock.moment = at
    result = log_checkin(store, pain, None, now=at, tz=LONDON)
    return morning_advice(result, now=at, tz=LONDON)


def refused(store: SessionStore, clock: Clock, at: datetime, pain: int = 5) -> str:
    """Check in at ``at``, expecting a refusal that logs nothing; its message."""
    clock.moment = at
    with pytest.raises(NoSessionForMorning) as caught:
        log_checkin(store, pain, None, now=at, tz=LONDON)
    assert store.checkins() == []
    return caught.value.message


# -- which session a morning score belongs to ---------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "belongs"),
    [(35, True), (36, True), (37, False)],
)
def test_a_score_belongs_to_a_session_that_ended_at_most_36_hours_before(
    store: SessionStore, clock: Clock, hours: int, belongs: bool
) -> None:
    session = session_ending(store, clock, MORNING - timedelta(hours=hours))
    if belongs:
        check_in(store, clock, MORNING, 4)
        assert store.session(session).morning_pain == 4
    else:
        message = refused(store, clock, MORNING)
        assert "more than 36 hours ago" in message
        assert "Sun 22 Nov at 19:00" in message  # 37 hours before Tuesday 08:00
        assert "nothing was logged" in message


def test_a_session_that_ended_the_same_calendar_day_is_refused(
    store: SessionStore, clock: Clock
) -> None:
    session_ending(store, clock, MORNING - timedelta(hours=1))  # 07:00 today
    message = refused(store, clock, MORNING)
    assert message.startswith("your last session ended today")
    assert "check in tomorrow morning" in message


def test_a_score_minutes_after_a_session_is_not_a_morning_score(
    store: SessionStore, clock: Clock
) -> None:
    # The issue: a "morning" score accepted minutes after the session it would judge.
    session_ending(store, clock, EVENING)
    assert "ended today" in refused(store, clock, EVENING + timedelta(minutes=5))


def test_just_past_midnight_is_the_next_calendar_day(store: SessionStore, clock: Clock) -> None:
    late = datetime(2026, 11, 23, 23, 50, tzinfo=LONDON)
    session = session_ending(store, clock, late)
    just_after = datetime(2026, 11, 24, 0, 10, tzinfo=LONDON)
    assert morning_session(store, now=just_after, tz=LONDON).id == session


def test_the_calendar_day_is_the_local_one(store: SessionStore, clock: Clock) -> None:
    # 23:30 UTC on Monday is already Tuesday 08:30 in Tokyo: the same local day as 10:00.
    tokyo = ZoneInfo("Asia/Tokyo")
    session_ending(store, clock, datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc))
    clock.moment = now = datetime(2026, 11, 24, 10, 0, tzinfo=tokyo)
    with pytest.raises(NoSessionForMorning, match="ended today"):
        log_checkin(store, 5, None, now=now, tz=tokyo)
    # The same two instants in London are Monday evening and Tuesday morning.
    assert morning_session(store, now=now, tz=LONDON) is not None


def test_todays_session_does_not_take_yesterdays_morning_score(
    store: SessionStore, clock: Clock
) -> None:
    yesterday = session_ending(store, clock, EVENING, before=3)
    session_ending(store, clock, MORNING - timedelta(hours=1), before=7)  # early today
    text = check_in(store, clock, MORNING, 4)
    assert store.session(yesterday).morning_pain == 4
    assert "before yesterday evening's glute-ball session it was 3" in text


def test_the_latest_session_of_an_earlier_day_is_the_one(store: SessionStore, clock: Clock) -> None:
    session_ending(store, clock, EVENING - timedelta(hours=10), routine="warm-up", before=6)
    latest = session_ending(store, clock, EVENING, routine="glute-ball", before=3)
    check_in(store, clock, MORNING, 5)
    assert store.session(latest).morning_pain == 5


def test_previews_and_running_sessions_are_not_checked_in_for(
    store: SessionStore, clock: Clock
) -> None:
    session_ending(store, clock, EVENING, preview=True)
    session_ending(store, clock, EVENING + timedelta(hours=1), status="running")
    assert refused(store, clock, MORNING) == NO_SESSION_YET


def test_an_interrupted_session_is_checked_in_for(store: SessionStore, clock: Clock) -> None:
    session = session_ending(store, clock, EVENING, status="interrupted")
    check_in(store, clock, MORNING, 3)
    assert store.session(session).morning_pain == 3


def test_an_empty_journal_says_to_start_a_session(store: SessionStore, clock: Clock) -> None:
    assert refused(store, clock, MORNING) == NO_SESSION_YET
    assert "sciatica routine start" in NO_SESSION_YET


# -- settled or not: the session's own pain before ----------------------------------------------


@pytest.mark.parametrize(
    ("morning", "verdict"),
    [(2, SETTLED), (3, SETTLED), (4, SETTLED), (5, NOT_SETTLED), (9, NOT_SETTLED)],
)
def test_settled_up_to_one_point_above_pain_before_and_not_from_two(
    store: SessionStore, clock: Clock, morning: int, verdict: str
) -> None:
    session_ending(store, clock, EVENING, before=3)
    text = check_in(store, clock, MORNING, morning)
    assert text == (
        f"Your pain this morning is {morning}; before yesterday evening's glute-ball session "
        f"it was 3. {verdict}"
    )


def test_the_issue_an_old_check_in_is_never_the_comparison(
    store: SessionStore, clock: Clock
) -> None:
    # A check-in of 8 nine days ago, then a session 3 -> 6 yesterday evening, then 6 this
    # morning: 3 points above that session's own pain before, so not settled.
    old = session_ending(store, clock, MORNING - timedelta(days=10), before=8)
    clock.moment = MORNING - timedelta(days=9)
    store.record_checkin(old, 8)
    session_ending(store, clock, EVENING, before=3, after=6)
    text = check_in(store, clock, MORNING, 6)
    assert text == (
        "Your pain this morning is 6; before yesterday evening's glute-ball session it was 3. "
        f"{NOT_SETTLED}"
    )
    assert "8" not in text and "down from" not in text


def test_a_session_without_pain_before_is_logged_but_not_compared(
    store: SessionStore, clock: Clock
) -> None:
    session = session_ending(store, clock, EVENING, before=None)
    clock.moment = MORNING
    result = log_checkin(store, 6, "stiff", now=MORNING, tz=LONDON)
    assert result.verdict is None
    assert store.session(session).morning_pain == 6
    assert morning_advice(result, now=MORNING, tz=LONDON) == (
        "Logged 6 for this morning. There is no pain score from before yesterday evening's "
        "glute-ball session, so this morning's pain cannot be compared with it."
    )


def test_a_second_check_in_the_same_morning_corrects_the_first(
    store: SessionStore, clock: Clock
) -> None:
    session = session_ending(store, clock, EVENING, before=3)
    assert NOT_SETTLED in check_in(store, clock, MORNING, 6)
    corrected = check_in(store, clock, MORNING + timedelta(minutes=2), 4)
    assert corrected.endswith(SETTLED)
    assert "it was 3" in corrected  # the session's pain before again, not the first score
    assert store.session(session).morning_pain == 4  # the latest wins


def test_a_session_two_days_back_is_named_by_its_weekday(store: SessionStore, clock: Clock) -> None:
    session_ending(store, clock, datetime(2026, 11, 22, 23, 30, tzinfo=LONDON))  # Sunday
    at = datetime(2026, 11, 24, 7, 0, tzinfo=LONDON)  # 31.5 hours later
    assert "before Sunday evening's glute-ball session it was 3" in check_in(store, clock, at, 3)
