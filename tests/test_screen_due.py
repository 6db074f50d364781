"""One rule for "the warning-sign screen is due" (SAFETY.md 2 and 4): ``routine start``
(screening.red_flag_check) asks it exactly when the today view says "Next: sciatica safety
screen", case by case."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from sciatica_cli.journal.opening import journal_path
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.journal.today import SCREEN_COMMAND, today
from sciatica_cli.safety import pain_questions, screening
from sciatica_cli.safety.redflags import TIER_A, TIER_B
from tests.test_screening import Scripted

UTC = timezone.utc
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # Tue 24 Nov 2026
LAST_EVENING = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
SCREEN = "Do any of these apply to you now?"  # asked once a list, only by a screen


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


class Journal:
    def __init__(self) -> None:
        self.clock = Clock(NOW - timedelta(days=30))
        self.store = SessionStore.open(journal_path(), now=self.clock)

    def full_screen(self, at: datetime) -> None:
        """A screen as run_screen records it: every tier A and tier B question answered."""
        self.clock.moment = at
        answers = {qid: False for qid, _ in (*TIER_A, *TIER_B)}
        self.store.record_screen(answers, result="clear", assessed=False)

    def session(self, ended: datetime, before: int, after: int, sharp: bool = False) -> None:
        self.clock.moment = ended - timedelta(minutes=10)
        session_id = self.store.start_session(
            routine="glute-ball", title="Glute ball", options={}, planned_seconds=600,
            preview=False, segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 600)],
            pain_before=before,
        )  # fmt: skip
        self.clock.moment = ended
        status, reason = ("stopped", "sharp pain") if sharp else ("completed", None)
        self.store.finish_session(session_id, status=status, stop_reason=reason)
        self.store.set_pain(session_id, after=after)

    def sharp_followup(self, at: datetime) -> None:
        """The follow-up after a sharp-pain stop, as the runner asks it: pain now, tier A."""
        self.clock.moment = at
        prompter = Scripted(6, False)
        pain_questions.sharp_pain_followup(prompter, self.store)
        assert prompter.asked[-1] == SCREEN


@pytest.fixture
def journal() -> Iterator[Journal]:
    opened = Journal()
    yield opened
    opened.store.close()


def view_reason(now: datetime = NOW) -> str | None:
    """What the today view says of the screen (and its "Next" agrees)."""
    shown = today(now=now, tz=UTC)
    if shown.screen is None:
        assert shown.next.command != SCREEN_COMMAND
        return None
    assert shown.next.command == SCREEN_COMMAND
    return shown.screen.reason


def start_asks(journal: Journal, now: datetime = NOW) -> bool:
    """Whether ``routine start`` at ``now`` runs the screen (answering no to every list)."""
    journal.clock.moment = now  # what the start records is stamped now
    prompter = Scripted(False, False)
    verdict = screening.red_flag_check(
        prompter, journal.store, assessed=False, now=lambda: now, tz=UTC
    )
    assert verdict.go
    return SCREEN in prompter.asked


def test_never_answered(journal: Journal) -> None:
    assert view_reason() == "the warning-sign questions come before your first session"
    assert start_asks(journal)


@pytest.mark.parametrize(("days", "due"), [(6, False), (7, True)])
def test_seven_days_after_the_last_screen(journal: Journal, days: int, due: bool) -> None:
    journal.full_screen(NOW - timedelta(days=days))
    reason = view_reason()
    assert (reason is not None) is due
    if due:
        assert reason == "you last answered the warning-sign questions 7 days ago"
    assert start_asks(journal) is due


def test_ended_worse_then_no_screen(journal: Journal) -> None:
    journal.full_screen(NOW - timedelta(days=2))
    journal.session(LAST_EVENING, before=3, after=5)
    assert view_reason() == "your last session ended with more pain than it started with"
    assert start_asks(journal)


def test_ended_worse_then_a_full_screen_since(journal: Journal) -> None:
    # SAFETY.md 2: the screen asked after the worse session is the re-run; not asked twice.
    journal.full_screen(NOW - timedelta(days=2))
    journal.session(LAST_EVENING, before=3, after=5)
    journal.full_screen(LAST_EVENING + timedelta(hours=1))
    assert view_reason() is None
    assert not start_asks(journal)


def test_the_screen_at_a_start_counts_for_the_view(journal: Journal) -> None:
    journal.full_screen(NOW - timedelta(days=2))
    journal.session(LAST_EVENING, before=3, after=5)
    assert start_asks(journal)  # the start ran (and recorded) the whole screen
    assert view_reason() is None
    assert not start_asks(journal)


def test_a_sharp_stop_then_only_the_follow_ups_tier_a_answers(journal: Journal) -> None:
    journal.full_screen(NOW - timedelta(days=2))
    journal.session(LAST_EVENING, before=3, after=6, sharp=True)
    journal.sharp_followup(LAST_EVENING + timedelta(minutes=1))
    last = journal.store.last_screen()
    assert last is not None and set(last.answers) == {qid for qid, _ in TIER_A}
    assert view_reason() == "your last session stopped for sharp pain"
    assert start_asks(journal)


def test_a_sharp_stop_then_a_full_screen_the_next_day(journal: Journal) -> None:
    journal.full_screen(NOW - timedelta(days=2))
    journal.session(LAST_EVENING, before=3, after=6, sharp=True)
    journal.sharp_followup(LAST_EVENING + timedelta(minutes=1))
    journal.full_screen(NOW - timedelta(hours=1))
    assert view_reason() is None
    assert not start_asks(journal)


def test_a_same_day_restart_after_a_sharp_stop_always_screens(journal: Journal) -> None:
    # SAFETY.md 4 (product rule): the same day, an explicit yes, then the screen again, even
    # after a full screen; the view then says to rest (a session was held today).
    journal.full_screen(NOW - timedelta(days=2))
    journal.session(NOW - timedelta(hours=2), before=3, after=6, sharp=True)
    journal.sharp_followup(NOW - timedelta(hours=2) + timedelta(minutes=1))
    journal.full_screen(NOW - timedelta(hours=1))
    assert view_reason() is None
    assert today(now=NOW, tz=UTC).next.why == "you have had a session today: rest is fine"
    prompter = Scripted(True, False, False)
    verdict = screening.red_flag_check(
        prompter, journal.store, assessed=False, now=lambda: NOW, tz=UTC
    )
    assert verdict.go
    assert prompter.asked == ["Start a new session anyway?", SCREEN, SCREEN]


def test_a_tier_a_answer_standing(journal: Journal) -> None:
    journal.clock.moment = NOW - timedelta(days=1)
    journal.store.record_screen({"A1": True}, result="emergency", assessed=False)
    shown = today(now=NOW, tz=UTC)
    assert shown.screen is not None and shown.screen.standing
    assert shown.next.command == SCREEN_COMMAND
    assert "you answered yes to a warning sign that needs a doctor now" in shown.screen.reason
    prompter = Scripted(False)  # not seen by a doctor yet
    verdict = screening.red_flag_check(
        prompter, journal.store, assessed=False, now=lambda: NOW, tz=UTC
    )
    assert not verdict.go and prompter.asked == ["Has a doctor seen you about this since then?"]
    seen = Scripted(True, False, False)  # seen: the screen is asked afresh
    assert screening.red_flag_check(seen, journal.store, assessed=False, now=lambda: NOW, tz=UTC).go
    assert seen.asked.count(SCREEN) == 2
    assert view_reason() is None
