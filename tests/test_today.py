"""``sciatica`` with no command and ``sciatica today``: the today view, line by line. Journals
are built through the store with a controllable clock; the view is asked at a fixed "now" (a
Tuesday morning) in the UTC zone, so every edge is exact whenever the tests run."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sciatica_cli.cli import app
from sciatica_cli.journal import progress
from sciatica_cli.journal import today as today_module
from sciatica_cli.journal.opening import journal_path
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.safety.redflags import TIER_A, TIER_B
from tests.conftest import Run

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)  # a Tuesday morning
YESTERDAY_EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc)  # Monday


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:  # the store's injected "now"
        return self.moment


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The view's "now" (and history stats', to compare with) is NOW; the local zone is UTC."""
    monkeypatch.setattr(today_module, "utc_now", lambda: NOW)
    monkeypatch.setattr(progress, "utc_now", lambda: NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()  # TZ back first, then the C library told
    time.tzset()


class Journal:
    """The person's journal, written through the store as sessions write it."""

    def __init__(self) -> None:
        self.clock = Clock(NOW - timedelta(days=400))
        self.store = SessionStore.open(journal_path(), now=self.clock)

    def screen(self, at: datetime, *, result: str = "clear", assessed: bool = False) -> None:
        self.clock.moment = at
        # A full screen: every tier A and tier B question answered (screening.run_screen).
        answers = {qid: False for qid, _ in (*TIER_A, *TIER_B)}
        answers |= {"A1": result == "emergency", "B1": result == "urgent"}
        self.store.record_screen(answers, result=result, assessed=assessed)

    def session(
        self,
        ended: datetime,
        *,
        before: int | None = 3,
        after: int | None = 3,
        routine: str = "glute-ball",
        done: float = 600.0,
        stop_reason: str | None = None,
    ) -> int:
        """A ten-minute session that ended at ``ended``; ``done`` seconds of it done."""
        self.clock.moment = ended - timedelta(minutes=10)
        segment = PlannedSegment(0, "step", "Glute ball", 1, "left", "glutes", 600.0)
        session_id = self.store.start_session(
            routine=routine, title="Glutes with a ball", options={}, planned_seconds=600.0,
            preview=False, segments=[segment], pain_before=before,
        )  # fmt: skip
        self.store.record_segment(
            session_id, 0, outcome="done" if stop_reason is None else "stopped",
            done_seconds=done, started_at=self.clock.moment, ended_at=ended,
        )  # fmt: skip
        if after is not None:
            self.store.set_pain(session_id, after=after)
        self.clock.moment = ended
        status = "completed" if stop_reason is None else "stopped"
        self.store.finish_session(session_id, status=status, stop_reason=stop_reason)
        return session_id

    def checkin(self, session_id: int, at: datetime, pain: int = 3) -> None:
        self.clock.moment = at
        self.store.record_checkin(session_id, pain)

    def weeks_met(self, first: int, last: int, *, per_week: int = 3) -> None:
        """``per_week`` sessions held in each week from ``first`` to ``last`` weeks back."""
        monday = datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)
        for back in range(last, first - 1, -1):
            for day in range(per_week):
                self.session(monday - timedelta(weeks=back) + timedelta(days=day))


@pytest.fixture
def journal() -> Iterator[Journal]:
    opened = Journal()
    yield opened
    opened.store.close()


def view(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def as_json(run: Run) -> dict[str, object]:
    return dict(json.loads(view(run, "today", "--json")))


def next_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Next: "))


# -- first use ---------------------------------------------------------------------------------


def test_first_use_welcomes_and_asks_the_warning_signs_first(run: Run) -> None:
    output = view(run)
    assert "Welcome to sciatica. There are no sessions in your journal yet." in output
    assert next_line(output) == (
        "Next: sciatica safety screen (the warning-sign questions come before your first session)"
    )
    assert "Then your first session: sciatica routine start full" in output
    assert output.rstrip().splitlines()[-1] == "All commands: sciatica --help"
    assert not journal_path().exists()  # the view only reads: no journal made to say so


def test_first_use_shows_the_start_dose(run: Run) -> None:
    assert "Today: 5 minutes an area" in view(run)
    dose = as_json(run)["dose"]
    assert isinstance(dose, dict)
    assert (dose["routine"], dose["minutes_an_area"], dose["source"]) == ("full", 5.0, "journal")


def test_first_use_after_the_screen_starts_the_first_session(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(hours=1))
    output = view(run)
    assert "Welcome to sciatica" in output
    assert next_line(output) == "Next: sciatica routine start full (your first session)"
    assert "This week" not in output


# -- the next-morning check-in -----------------------------------------------------------------


def test_a_check_in_is_due_the_morning_after_a_session(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    session_id = journal.session(YESTERDAY_EVENING)
    output = view(run)
    assert (
        "Check in: how is your pain this morning after yesterday evening's glute-ball "
        "session? sciatica checkin"
    ) in output
    assert next_line(output).startswith("Next: sciatica checkin (")
    data = as_json(run)
    due = {"session_id": session_id, "session": "yesterday evening's glute-ball session"}
    assert data["check_in_due"] == due
    assert data["next"] == {
        "command": "sciatica checkin",
        "why": "how yesterday evening's glute-ball session settled decides the next session's dose",
    }


def test_no_check_in_once_it_is_given(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    session_id = journal.session(YESTERDAY_EVENING)
    journal.checkin(session_id, NOW - timedelta(minutes=5))
    output = view(run)
    assert "Check in" not in output
    assert as_json(run)["check_in_due"] is None
    assert next_line(output) == "Next: sciatica routine start glute-ball (your next session)"


def test_just_after_midnight_an_evening_session_is_still_tonight_s(
    run: Run, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 00:40 after a session ended at 23:30: no "this morning" check-in yet, and no next
    # session either; from 05:00 the check-in is due.
    journal.screen(NOW - timedelta(days=1))
    journal.session(datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc))
    monkeypatch.setattr(today_module, "utc_now", lambda: NOW.replace(hour=0, minute=40))
    output = view(run)
    assert "Check in" not in output
    assert next_line(output) == (
        "Next: sciatica history stats (you have had a session today: rest is fine)"
    )
    monkeypatch.setattr(today_module, "utc_now", lambda: NOW.replace(hour=5, minute=0))
    assert next_line(view(run)).startswith("Next: sciatica checkin (")


def test_no_check_in_for_a_session_more_than_36_hours_ago(run: Run, journal: Journal) -> None:
    journal.session(NOW - timedelta(hours=37))
    assert "Check in" not in view(run)
    assert as_json(run)["check_in_due"] is None


def test_no_check_in_for_a_session_earlier_today(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    journal.session(NOW - timedelta(hours=1))
    output = view(run)
    assert "Check in" not in output
    assert next_line(output) == (
        "Next: sciatica history stats (you have had a session today: rest is fine)"
    )
    assert as_json(run)["session_today"] is True


# -- the week ----------------------------------------------------------------------------------


def test_the_week_counts_sessions_held_against_the_goal(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    journal.session(YESTERDAY_EVENING - timedelta(hours=3), done=200.0)  # less than half: not held
    journal.session(YESTERDAY_EVENING)
    output = view(run)
    assert "This week: 1 of 3 sessions held." in output
    assert as_json(run)["week"] == {"held": 1, "goal": 3, "streak": 0}


def test_a_met_goal_means_rest_is_fine(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    run("history", "goal", "1")
    journal.checkin(journal.session(YESTERDAY_EVENING), NOW - timedelta(minutes=5))
    output = view(run)
    assert "This week: 1 of 1 sessions held, goal met. Goal met 1 week in a row." in output
    assert next_line(output) == (
        "Next: sciatica history stats (this week's goal is met: rest is fine)"
    )


def test_the_streak_counts_weeks_in_a_row_and_agrees_with_history_stats(
    run: Run, journal: Journal
) -> None:
    journal.weeks_met(1, 3)
    journal.screen(NOW - timedelta(days=1))
    assert "Goal met 3 weeks in a row." in view(run)
    stats = json.loads(view(run, "history", "stats", "--json"))
    assert as_json(run)["week"] == {"held": 0, "goal": 3, "streak": stats["streak_weeks"]}


def test_a_streak_longer_than_eight_weeks_reads_back_to_where_it_broke(
    run: Run, journal: Journal
) -> None:
    journal.weeks_met(13, 13, per_week=1)  # an older week, not met
    journal.weeks_met(1, 11)
    journal.screen(NOW - timedelta(days=1))
    assert "Goal met 11 weeks in a row." in view(run)


def test_a_streak_ends_at_the_first_week_of_the_journal(run: Run, journal: Journal) -> None:
    journal.weeks_met(1, 10)
    journal.screen(NOW - timedelta(days=1))
    assert "Goal met 10 weeks in a row." in view(run)


def test_an_unmet_week_ends_the_streak(run: Run, journal: Journal) -> None:
    journal.weeks_met(1, 5)
    journal.weeks_met(6, 6, per_week=2)  # 2 of 3: the streak stops here
    journal.weeks_met(7, 12)
    journal.screen(NOW - timedelta(days=1))
    assert as_json(run)["week"] == {"held": 0, "goal": 3, "streak": 5}


# -- the warning-sign screen comes first ---------------------------------------------------


def test_the_screen_is_next_seven_days_after_the_last(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=8))
    journal.session(YESTERDAY_EVENING)
    output = view(run)
    assert next_line(output) == (
        "Next: sciatica safety screen (you last answered the warning-sign questions 8 days ago)"
    )
    assert "Check in" in output  # still shown, just not the first thing to do
    assert as_json(run)["screen_due"] == "you last answered the warning-sign questions 8 days ago"


def test_the_screen_is_next_after_a_session_that_ended_worse(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=2))
    journal.session(YESTERDAY_EVENING, before=3, after=5)
    assert next_line(view(run)) == (
        "Next: sciatica safety screen (your last session ended with more pain than it started with)"
    )


def test_a_screen_answered_since_the_worse_session_is_enough(run: Run, journal: Journal) -> None:
    journal.session(YESTERDAY_EVENING, before=3, after=5)
    journal.screen(YESTERDAY_EVENING + timedelta(minutes=5))
    assert next_line(view(run)).startswith("Next: sciatica checkin")


def test_the_screen_is_next_after_a_sharp_pain_stop(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=2))
    journal.session(YESTERDAY_EVENING, done=300.0, stop_reason="sharp pain")
    assert next_line(view(run)) == (
        "Next: sciatica safety screen (your last session stopped for sharp pain)"
    )


def test_a_standing_emergency_answer_repeats_the_advice(run: Run, journal: Journal) -> None:
    journal.session(NOW - timedelta(days=3))
    journal.screen(NOW - timedelta(days=2), result="emergency")
    output = view(run)
    assert (
        "Call your emergency number now (999 UK, 911 US, 112 EU) or go to an emergency department."
    ) in output
    assert next_line(output).startswith(
        "Next: sciatica safety screen (on Sun 22 Nov you answered yes to a warning sign"
    )


def test_a_valid_screen_lets_the_session_be_next(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=6))
    journal.session(NOW - timedelta(days=3))
    output = view(run)
    assert as_json(run)["screen_due"] is None
    assert next_line(output) == "Next: sciatica routine start glute-ball (your next session)"


# -- the dose and the advisories ---------------------------------------------------------------


def test_the_dose_line_is_for_the_latest_routine(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    journal.session(NOW - timedelta(days=3))
    output = view(run)
    line = next(line for line in output.splitlines() if line.startswith("Today: "))
    assert line.startswith("Today: 5 minutes an area (")
    dose = as_json(run)["dose"]
    assert isinstance(dose, dict)
    assert (dose["routine"], dose["minutes_an_area"]) == ("glute-ball", 5.0)


def test_no_dose_line_when_the_routine_is_gone(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    journal.session(NOW - timedelta(days=3), routine="deleted-one")
    output = view(run)
    assert "Today: " not in output
    assert as_json(run)["dose"] is None
    assert next_line(output) == (
        "Next: sciatica routine list (your last routine, deleted-one, cannot be loaded: choose one)"
    )


def test_an_advisory_is_shown(run: Run, journal: Journal) -> None:
    journal.session(NOW - timedelta(days=4), before=3, after=6)
    journal.session(NOW - timedelta(days=3), before=3, after=6)
    journal.screen(NOW - timedelta(days=2))
    output = view(run)
    advisories = as_json(run)["advisories"]
    assert isinstance(advisories, list)
    assert "worse-twice" in [a["id"] for a in advisories]
    first = advisories[0]
    assert f"{first['title']}. {first['message']}" in " ".join(output.split())


# -- --json, no command, --help ----------------------------------------------------------------


def test_json_has_every_figure(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    journal.session(YESTERDAY_EVENING)
    data = as_json(run)
    assert set(data) == {
        "first_use", "check_in_due", "week", "session_today", "screen_due", "dose",
        "advisories", "next",
    }  # fmt: skip
    assert set(data["next"]) == {"command", "why"}
    assert set(data["week"]) == {"held", "goal", "streak"}


def test_no_command_shows_the_today_view(run: Run, journal: Journal) -> None:
    journal.screen(NOW - timedelta(days=1))
    journal.session(YESTERDAY_EVENING)
    assert view(run) == view(run, "today")


def test_no_command_shows_the_disclaimer_on_the_first_run(run: Run, home: Path) -> None:
    (home / ".disclaimer-shown").unlink()
    result = run()
    assert "General self-care guidance only." in result.output
    assert "Welcome to sciatica" in result.output


def test_help_still_lists_every_command(run: Run) -> None:
    output = view(run, "--help")
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert "today" in names
    for name in names:
        assert name is not None and f" {name} " in output


def test_a_narrow_terminal_wraps_the_lines(
    run: Run, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    journal.screen(NOW - timedelta(days=1))
    journal.session(YESTERDAY_EVENING)
    output = view(run)
    assert max(len(line) for line in output.splitlines()) <= 40
    assert "sciatica checkin" in output


def test_a_damaged_journal_is_one_clear_error(run: Run, home: Path) -> None:
    journal_path().write_text("not a journal")
    result = run()
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "is damaged or is not a database" in result.output


def test_one_streak_longer_than_the_stats_window_everywhere(run: Run, journal: Journal) -> None:
    """today, its --json, history stats and its --json show the same 12 weeks, though history
    stats reads 8 weeks (or 4) for everything else."""
    journal.weeks_met(14, 14, per_week=1)  # an older week, not met: the streak starts after it
    journal.weeks_met(1, 12)
    journal.screen(NOW - timedelta(days=1))
    assert "Goal met 12 weeks in a row." in view(run)
    assert as_json(run)["week"] == {"held": 0, "goal": 3, "streak": 12}
    for weeks in ([], ["--weeks", "4"]):
        stats = json.loads(view(run, "history", "stats", "--json", *weeks))
        assert stats["streak_weeks"] == 12
        assert len(stats["weeks"]) == (8 if not weeks else 4)  # the window, as before
        assert stats["sessions_held"] == 3 * (7 if not weeks else 3)
        assert "Streak: 12 weeks" in view(run, "history", "stats", *weeks)
