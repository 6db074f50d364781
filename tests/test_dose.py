"""SAFETY.md 6 at every boundary: the dose of a routine's next session, replayed from a journal
written through the store, and the sentence that says why."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_cli import paths
from sciatica_cli.journal.dose import Dose, journal_dose, next_dose
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.routines.library import scan
from sciatica_cli.routines.listing import load_expanded
from sciatica_cli.routines.plain import ExpandedRoutine

UTC = timezone.utc
MONDAY = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # Mon 2 Nov 2026, an evening
# Sessions on these days take glute-ball from 5 to 7 minutes an area by day 14: 6 from day 7.
CLIMB = (0, 1, 7, 8)


def routine(name: str) -> ExpandedRoutine:
    catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
    return load_expanded(catalog, name, Path(tempfile.mkdtemp()) / "cache")


GLUTES = routine("glute-ball")


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


class Journal:
    """A journal written through the store as sessions write it; ``day`` counts from MONDAY."""

    def __init__(self, path: Path) -> None:
        self.clock = Clock(MONDAY)
        self.store = SessionStore.open(path, now=self.clock)

    def session(
        self,
        day: float,
        before: int | None = 2,
        after: int | None = 2,
        morning: int | None = None,
        *,
        routine: str = "glute-ball",
        sharp: bool = False,
        done: float = 600.0,
        options: dict[str, object] | None = None,
        preview: bool = False,
        back: tuple[int | None, int | None, int | None] | None = None,
    ) -> int:
        """A ten-minute session on ``day``; with ``back``, two scores (back before, after,
        morning) and ``before``/``after``/``morning`` are the leg's."""
        start = MONDAY + timedelta(days=day)
        segment = PlannedSegment(0, "step", "Glute ball", 1, "left", "glutes", 600.0)
        session_id = self.store.start_session(
            routine=routine, title="Glutes", options=options or {"minutes": None},
            planned_seconds=600.0, preview=preview, segments=[segment], pain_before=before,
            started_at=start, pain_scores="one" if back is None else "two",
            back_before=None if back is None else back[0],
        )  # fmt: skip
        end = start + timedelta(seconds=done)
        self.store.record_segment(
            session_id, 0, outcome="stopped" if sharp else "done", done_seconds=done,
            started_at=start, ended_at=end,
        )  # fmt: skip
        self.store.set_pain(session_id, after=after, back_after=None if back is None else back[1])
        status, reason = ("stopped", "sharp pain") if sharp else ("completed", None)
        self.store.finish_session(session_id, status=status, stop_reason=reason, ended_at=end)
        if morning is not None:
            self.clock.moment = start + timedelta(hours=14)
            self.store.record_checkin(session_id, morning, back=None if back is None else back[2])
        return session_id

    def dose(self, day: float, expanded: ExpandedRoutine = GLUTES) -> Dose:
        """The dose of a session starting on ``day`` (at noon), days counted in UTC."""
        now = MONDAY + timedelta(days=day) - timedelta(hours=6)
        return next_dose(self.store, expanded, now=now, tz=UTC)


@pytest.fixture
def journal(home: Path) -> Iterator[Journal]:
    opened = Journal(home / "journal.db")
    yield opened
    opened.store.close()


def test_the_first_session_starts_at_five_minutes_an_area(journal: Journal) -> None:
    dose = journal.dose(0)
    assert (dose.minutes, dose.source) == (5.0, "journal")
    assert dose.sentence() == (
        "Today: 5 minutes an area (the start dose: no glute-ball sessions in your journal yet)."
    )


def test_two_settled_sessions_in_a_row_step_up_by_one(journal: Journal) -> None:
    journal.session(0, 3, 3, morning=3)
    journal.session(2, 3, 4, morning=4)  # 1 point up: not worse, and settled
    dose = journal.dose(4)
    assert dose.minutes == 6.0
    assert dose.sentence() == (
        "Today: 6 minutes an area (up from 5: your last 2 glute-ball sessions settled by the "
        "next morning)."
    )


def test_one_settled_session_is_not_enough(journal: Journal) -> None:
    journal.session(0, 3, 3, morning=3)
    dose = journal.dose(2)
    assert dose.minutes == 5.0
    assert dose.reason == (
        "kept at 5: your last glute-ball session settled by the next morning; after one more "
        "like it, it goes up"
    )


def test_without_a_morning_check_in_a_session_within_one_point_counts(journal: Journal) -> None:
    journal.session(0, 3, 4)
    journal.session(2, 3, 3)
    dose = journal.dose(4)
    assert dose.minutes == 6.0
    assert dose.reason == (
        "up from 5: your last 2 glute-ball sessions ended no more than 1 point above where "
        "they began"
    )


def test_a_sharp_pain_stop_goes_back_to_the_shortest(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day)
    assert journal.dose(14).minutes == 7.0
    journal.session(14, sharp=True, done=60)
    dose = journal.dose(16)
    assert (dose.minutes, dose.source) == (5.0, "shortest")
    assert dose.sentence() == (
        "Today: the shortest dose of every step (your last glute-ball session was stopped for "
        "sharp pain)."
    )


def test_after_the_shortest_progression_starts_again_from_it(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day)
    journal.session(14, sharp=True, done=60)  # 7 went up on day 14 too
    journal.session(15)  # the shortest, 5: the step-up that follows waits for 7 days
    journal.session(16)
    assert journal.dose(20).minutes == 5.0
    assert journal.dose(21).minutes == 6.0
    assert journal.dose(21).reason.startswith("up from 5: ")


def test_a_session_two_points_worse_steps_back_to_the_previous_dose(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day)
    journal.session(14, 3, 5)
    dose = journal.dose(16)
    assert dose.minutes == 6.0
    assert dose.reason == "down from 7: your last glute-ball session ended 2 or more points worse"


def test_a_session_one_point_worse_is_not_worse(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day)
    journal.session(14, 3, 4)
    assert journal.dose(16).minutes == 7.0


def test_a_morning_two_above_pain_before_is_not_settled(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day)
    journal.session(14, 3, 3, morning=5)
    dose = journal.dose(16)
    assert dose.minutes == 6.0
    assert dose.reason == (
        "down from 7: your pain had not settled the morning after your last glute-ball session"
    )


def test_a_morning_one_above_pain_before_is_settled(journal: Journal) -> None:
    journal.session(0, 3, 3, morning=4)
    journal.session(2, 3, 3, morning=4)
    assert journal.dose(4).minutes == 6.0


def test_a_step_back_with_no_step_up_before_stays_at_the_start(journal: Journal) -> None:
    journal.session(0, 3, 5)
    dose = journal.dose(2)
    assert dose.minutes == 5.0
    assert dose.reason == (
        "kept at 5, where it starts: your last glute-ball session ended 2 or more points worse"
    )


@pytest.mark.parametrize(("before", "shortest"), [(5, False), (6, True), (8, True)])
def test_pain_before_six_or_more_goes_back_to_the_shortest(
    journal: Journal, before: int, shortest: bool
) -> None:
    for day in CLIMB:
        journal.session(day, before, before)
    dose = journal.dose(14)
    assert dose.source == ("shortest" if shortest else "journal")
    assert dose.minutes == (5.0 if shortest else 7.0)
    if shortest:
        assert dose.reason == "your pain before your last glute-ball session was 6 or more"


def test_two_step_ups_within_seven_days_wait(journal: Journal) -> None:
    journal.session(0)
    journal.session(1)
    assert journal.dose(2).minutes == 6.0
    journal.session(2)  # the step-up to 6 is taken here, on Wed 4 Nov
    journal.session(3)
    dose = journal.dose(8)  # six days later: another step-up is due, and waits
    assert dose.minutes == 6.0
    assert dose.reason == "kept at 6: it went up on Wed 4 Nov; it goes up at most once in 7 days"


def test_a_step_up_exactly_seven_days_after_the_last_is_taken(journal: Journal) -> None:
    journal.session(0)
    journal.session(1)
    journal.session(2)  # up to 6 on Wed 4 Nov
    journal.session(3)
    assert journal.dose(9).minutes == 7.0  # Wed 11 Nov


@pytest.mark.parametrize(
    ("zone", "waits", "goes_up"),
    [
        # The step-up on Wed 4 Nov 23:30 UTC: the next from Wed 11 Nov, 00:00 UTC...
        (
            UTC,
            datetime(2026, 11, 10, 23, 50, tzinfo=UTC),
            datetime(2026, 11, 11, 0, 10, tzinfo=UTC),
        ),
        # ...and in Auckland (UTC+13) it was Thu 5 Nov: the next from Thu 12 Nov, 00:00 there.
        (
            ZoneInfo("Pacific/Auckland"),
            datetime(2026, 11, 11, 10, 50, tzinfo=UTC),
            datetime(2026, 11, 11, 11, 10, tzinfo=UTC),
        ),
    ],
)
def test_seven_days_are_calendar_days_in_the_person_s_zone(
    journal: Journal, zone: tzinfo, waits: datetime, goes_up: datetime
) -> None:
    journal.session(0)
    journal.session(1)
    journal.session(2 + 5.5 / 24)  # up to 6 here, at 23:30 UTC
    journal.session(3)
    assert next_dose(journal.store, GLUTES, now=waits, tz=zone).minutes == 6.0
    assert next_dose(journal.store, GLUTES, now=goes_up, tz=zone).minutes == 7.0


def test_a_step_up_resets_the_count_of_sessions_in_a_row(journal: Journal) -> None:
    journal.session(0)
    journal.session(1)
    journal.session(9)  # up to 6 here; this session is the first of a new row
    assert journal.dose(17).minutes == 6.0
    journal.session(17)
    assert journal.dose(19).minutes == 7.0


def test_no_step_up_past_the_upper_end(journal: Journal) -> None:
    for week in range(8):
        journal.session(7 * week)
        journal.session(7 * week + 1)
    dose = journal.dose(60)
    assert dose.minutes == 10.0
    assert dose.reason == "kept at 10: the upper end of glute-ball"


def test_a_routine_with_only_fixed_lengths_has_no_dose(journal: Journal) -> None:
    journal.session(0, routine="warm-up")
    dose = journal.dose(2, routine("warm-up"))
    assert dose.minutes is None
    assert dose.sentence().startswith("Today: every step at its set length (")


def test_only_sessions_of_the_same_routine_count(journal: Journal) -> None:
    journal.session(0)
    journal.session(1, routine="piriformis-ball")
    journal.session(2)  # the piriformis session between does not break glute-ball's row
    assert journal.dose(4).minutes == 6.0
    assert journal.dose(4, routine("piriformis-ball")).minutes == 5.0


def test_previews_never_move_the_dose(journal: Journal) -> None:
    journal.session(0)
    journal.session(1, preview=True)
    journal.session(2, 3, 9, preview=True)
    journal.session(3, sharp=True, preview=True)
    assert journal.dose(4).reason == (
        "kept at 5: your last glute-ball session ended within 1 point; after one more like it, "
        "it goes up"
    )


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"done": 299.0}, "less than half of it was done"),
        ({"after": None}, "its pain before or after was not given"),
        ({"before": 5, "after": 6}, "it ended at 6 or more"),  # within 1, but too much
        ({"options": {"minutes": 20.0}}, "its length came from --minutes"),
        ({"options": {"dose": 5.0, "dose_source": "minutes"}}, "its length came from --minutes"),
    ],
)
def test_a_session_that_does_not_count_breaks_the_row(
    journal: Journal, kwargs: dict[str, object], why: str
) -> None:
    journal.session(0)
    journal.session(1, **kwargs)  # type: ignore[arg-type]
    journal.session(2)
    dose = journal.dose(4)
    assert dose.minutes == 5.0
    assert dose.reason.endswith("after one more like it, it goes up")
    journal.session(5, **kwargs)  # type: ignore[arg-type]
    assert journal.dose(6).reason == (
        f"kept at 5: your last glute-ball session does not count towards going up, as {why}"
    )


def test_a_session_held_with_exactly_half_done_counts(journal: Journal) -> None:
    journal.session(0, done=300.0)
    journal.session(1, done=300.0)
    assert journal.dose(2).minutes == 6.0


def test_a_session_cut_short_still_steps_back_when_worse(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day)
    journal.session(14, 3, 5, done=60.0)
    assert journal.dose(16).minutes == 6.0


# -- two pain scores: leg and back apart (SAFETY.md 4) -------------------------------------------


def test_two_scores_settle_only_when_both_do(journal: Journal) -> None:
    journal.session(0, 3, 3, back=(2, 3, None))
    journal.session(1, 3, 4, back=(2, 2, None))
    assert journal.dose(2).minutes == 6.0


def test_two_scores_are_worse_when_either_rose_by_two(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day, 3, 3, back=(2, 2, None))
    journal.session(14, 3, 3, back=(2, 4, None))
    dose = journal.dose(16)
    assert dose.minutes == 6.0
    assert dose.reason.endswith("ended 2 or more points worse")


def test_two_scores_a_back_morning_not_settled_steps_back(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day, 3, 3, back=(2, 2, None))
    journal.session(14, 3, 3, 3, back=(2, 2, 4))
    assert journal.dose(16).minutes == 6.0


def test_two_scores_pain_before_six_in_either_goes_to_the_shortest(journal: Journal) -> None:
    for day in CLIMB:
        journal.session(day, 3, 3, back=(2, 2, None))
    journal.session(14, 3, 3, back=(6, 6, None))
    assert journal.dose(16).source == "shortest"


# -- reading the journal ---------------------------------------------------------------------------


def test_a_missing_journal_gives_the_start_dose_and_makes_no_file(home: Path) -> None:
    path = home / "nothing" / "journal.db"
    dose = journal_dose(GLUTES, now=MONDAY, path=path, tz=UTC)
    assert dose.minutes == 5.0
    assert not path.exists()


def test_a_journal_that_cannot_be_read_gives_the_start_dose_and_says_so(home: Path) -> None:
    path = home / "journal.db"
    path.write_bytes(b"not a database at all" * 100)
    dose = journal_dose(GLUTES, now=MONDAY, path=path, tz=UTC)
    assert dose.sentence() == (
        "Today: 5 minutes an area (the start dose: your journal could not be read)."
    )
