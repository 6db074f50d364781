"""One pain score or two, leg and back (SAFETY.md 4): the questions and what they lead to."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_cli.config import load_settings, remember
from sciatica_cli.journal.morning import log_checkin, morning_advice
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.safety import pain_questions, screening
from sciatica_cli.safety.pain_questions import PainAnswer

from .conftest import Run
from .fakes import TtyInput
from .test_screening import Scripted

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
LONDON = ZoneInfo("Europe/London")
EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=LONDON)
MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    with SessionStore.open(tmp_path / "journal.db", now=lambda: NOW) as opened:
        yield opened


# -- the setting: asked once --------------------------------------------------------------------


def test_the_setting_is_asked_once_in_a_terminal_and_remembered() -> None:
    first = Scripted("two", 6, 3)
    answer = pain_questions.pain_scores_before(first, None)
    assert answer == PainAnswer("two", 6, 3)
    assert first.asked == [
        "One pain score, or two (leg and back)?",
        "How bad is your leg pain right now?",
        "How bad is your back pain right now?",
    ]
    assert "In sciatica the leg pain is the main one to watch." in first.told
    assert "sciatica safety scores one|two" in first.told
    assert load_settings().pain_scores == "two"
    again = Scripted(5, 2)
    assert pain_questions.pain_scores_before(again, None) == PainAnswer("two", 5, 2)
    assert again.asked == [
        "How bad is your leg pain right now?",
        "How bad is your back pain right now?",
    ]


def test_one_score_asks_the_pain_as_before() -> None:
    prompter = Scripted("one", 4)
    assert pain_questions.pain_scores_before(prompter, None) == PainAnswer("one", 4)
    assert prompter.asked[1:] == ["How bad is your pain right now?"]
    assert load_settings().pain_scores == "one"


def test_where_no_one_can_answer_it_is_one_score_not_remembered() -> None:
    blind = Scripted(interactive=False)
    assert pain_questions.pain_scores_before(blind, 5) == PainAnswer("one", 5)
    assert blind.asked == []
    assert load_settings().pain_scores is None


def test_options_give_both_scores_without_a_question() -> None:
    remember({"pain_scores": "two"})
    prompter = Scripted()
    assert pain_questions.pain_scores_before(prompter, 6, 2) == PainAnswer("two", 6, 2)
    assert prompter.asked == []
    blind = Scripted(interactive=False)
    assert pain_questions.pain_scores_before(blind, None, 3) == PainAnswer("two", None, 3)
    assert load_settings().pain_scores == "two"


def test_a_leg_score_given_in_a_terminal_still_asks_the_back() -> None:
    remember({"pain_scores": "two"})
    prompter = Scripted(4)
    assert pain_questions.pain_scores_before(prompter, 6) == PainAnswer("two", 6, 4)
    assert prompter.asked == ["How bad is your back pain right now?"]


# -- before: the traffic light follows the higher score -----------------------------------------


@pytest.mark.parametrize(
    ("leg", "back", "words"),
    [
        (3, 5, "Your back pain is 5 out of 10: ease the pressure today."),
        (7, 4, "Your leg pain is 7 out of 10: go gently today."),
        (6, 6, "Your leg pain is 6 out of 10: go gently today."),  # a tie names the leg
        (None, 7, "Your back pain is 7 out of 10: go gently today."),
    ],
)
def test_the_advice_before_follows_the_higher_score_and_names_it(
    leg: int | None, back: int, words: str
) -> None:
    prompter = Scripted()
    assert pain_questions.before_scores_verdict(prompter, PainAnswer("two", leg, back)).go
    assert words in prompter.told
    assert len(prompter.said) == 1


def test_a_back_score_of_8_needs_an_explicit_yes() -> None:
    declined = Scripted(False)
    verdict = pain_questions.before_scores_verdict(declined, PainAnswer("two", 2, 8))
    assert not verdict.go
    assert declined.asked == ["Start the session anyway?"]
    assert "Your back pain is 8 out of 10. Rest today" in declined.told
    blind = Scripted(interactive=False)
    assert not pain_questions.before_scores_verdict(blind, PainAnswer("two", 2, 9)).go
    assert "no terminal" in blind.told


def test_low_scores_say_nothing_before() -> None:
    prompter = Scripted()
    assert pain_questions.before_scores_verdict(prompter, PainAnswer("two", 3, 2)).go
    assert prompter.said == []


# -- after: both asked, each labelled ------------------------------------------------------------


def test_after_a_session_both_are_asked_and_each_gets_its_label() -> None:
    prompter = Scripted(4, 4)
    after = pain_questions.pain_scores_after(prompter, PainAnswer("two", 7, 4))
    assert after == PainAnswer("two", 4, 4)
    assert prompter.asked == [
        "How bad is your leg pain now, after the session?",
        "How bad is your back pain now, after the session?",
    ]
    assert "Leg pain 7 -> 4: better. Back pain 4 -> 4: no clear change." in prompter.said
    assert "Your leg pain is 4 out of 10." in prompter.told
    assert "sciatica checkin --pain N --back N" in prompter.told


def test_worse_on_the_back_alone_is_worse() -> None:
    prompter = Scripted(3, 6)
    pain_questions.pain_scores_after(prompter, PainAnswer("two", 5, 3))
    assert "Leg pain 5 -> 3: better. Back pain 3 -> 6: worse." in prompter.said
    assert "Your back pain is 6 out of 10. That is a lot of pain" in prompter.told
    assert "Your back pain is 2 or more points higher than before the session." in prompter.told
    assert "asked again next time" in prompter.told


def test_one_score_after_is_unchanged() -> None:
    prompter = Scripted(5)
    assert pain_questions.pain_scores_after(prompter, PainAnswer("one", 3)) == PainAnswer("one", 5)
    assert prompter.asked == ["How bad is your pain now, after the session?"]
    assert "Pain 3 -> 5: worse." in prompter.said
    assert "Your pain is 2 or more points higher" in prompter.told


def test_after_a_sharp_stop_the_pain_now_asks_both(store: SessionStore) -> None:
    prompter = Scripted(6, 3, False)
    now, verdict = pain_questions.sharp_pain_followup(prompter, store, "two")
    assert (now, verdict.go) == (PainAnswer("two", 6, 3), False)
    assert prompter.asked[:2] == ["How bad is your leg pain now?", "How bad is your back pain now?"]


# -- the red-flag screen comes back when either score ended worse --------------------------------


def test_a_session_that_ended_worse_on_the_back_brings_the_screen_back(store: SessionStore) -> None:
    store.record_screen({}, result="clear", assessed=False)
    session = store.start_session(
        routine="glute-ball", title="Glute ball", options={}, planned_seconds=60, preview=False,
        segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 60)], pain_before=5,
        pain_scores="two", back_before=2,
    )  # fmt: skip
    store.finish_session(session, status="completed")
    store.set_pain(session, after=3, back_after=4)
    prompter = Scripted(False, False)
    verdict = screening.red_flag_check(
        prompter, store, assessed=False, now=lambda: NOW, tz=timezone.utc
    )
    assert verdict.go
    assert len(prompter.asked) == 2  # both warning-sign lists, asked again


# -- the next morning: each score against its own before ---------------------------------------


def evening_session(store: SessionStore, scores: str, before: int, back: int | None) -> int:
    session = store.start_session(
        routine="glute-ball", title="Glute ball", options={}, planned_seconds=600.0,
        preview=False, segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 600.0)],
        pain_before=before, pain_scores=scores, back_before=back,
        started_at=EVENING - timedelta(minutes=10),
    )  # fmt: skip
    store.finish_session(session, status="completed", ended_at=EVENING)
    return session


def test_the_morning_judges_each_score_against_its_own_before(tmp_path: Path) -> None:
    with SessionStore.open(tmp_path / "j.db", now=lambda: MORNING) as store:
        session = evening_session(store, "two", 5, 2)
        checkin = log_checkin(store, 5, None, back=4, now=MORNING, tz=LONDON)
        text = morning_advice(checkin, now=MORNING, tz=LONDON)
        record = store.session(session)
    assert checkin.verdict == "not settled"
    assert (record.morning_pain, record.morning_back) == (5, 4)
    assert text == (
        "Your leg pain this morning is 5; before yesterday evening's glute-ball session it was 5."
        " Your back pain this morning is 4; before yesterday evening's glute-ball session it was"
        " 2. Your back pain has not settled: make the next session gentler, or skip it if the"
        " pain is still high."
    )


def test_a_session_with_one_score_takes_one_morning_score(tmp_path: Path) -> None:
    remember({"pain_scores": "two"})  # changed since that session
    with SessionStore.open(tmp_path / "j.db", now=lambda: MORNING) as store:
        session = evening_session(store, "one", 3, None)
        checkin = log_checkin(store, 4, None, back=9, now=MORNING, tz=LONDON)
        record = store.session(session)
    assert checkin.verdict == "settled"
    assert (record.morning_pain, record.morning_back, checkin.record.back_pain) == (4, None, None)


@pytest.fixture
def midnight(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Local midnight today, in a zone where it is now between 12:00 and 13:00 (as in
    test_history): the command reads the real clock, so "yesterday evening" must be exact."""
    now = datetime.now(timezone.utc)
    offset = (12 - now.hour) % 24
    offset -= 24 if offset > 12 else 0
    monkeypatch.setenv("TZ", f"MID{-offset:+d}")  # POSIX: the sign is inverted
    time.tzset()
    zone = timezone(timedelta(hours=offset))
    yield datetime.combine(now.astimezone(zone).date(), datetime.min.time(), zone)
    monkeypatch.undo()
    time.tzset()


def test_checkin_takes_back_for_a_session_with_two_scores(
    run: Run, home: Path, midnight: datetime
) -> None:
    with SessionStore.open(home / "journal.db") as store:
        session = store.start_session(
            routine="glute-ball", title="Glute ball", options={}, planned_seconds=60.0,
            preview=False, segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 60)],
            pain_before=4, pain_scores="two", back_before=3,
            started_at=midnight - timedelta(hours=4),
        )  # fmt: skip
        store.finish_session(session, status="completed", ended_at=midnight - timedelta(hours=4))
    result = run("checkin", "--pain", "4", "--back", "6")
    assert result.exit_code == 0, result.output
    assert "Morning leg pain 4; back pain 6 logged for glute-ball" in result.stdout
    assert (
        "Your leg pain this morning is 4; before yesterday evening's glute-ball session it was 4."
    ) in result.stdout
    assert "Your back pain has not settled" in result.stdout
    assert run("checkin", "--back", "11").exit_code == 2
    with SessionStore.open(home / "journal.db") as store:
        record = store.session(session)
    assert (record.morning_pain, record.morning_back) == (4, 6)


# -- the command that shows and changes it -------------------------------------------------------


def test_the_scores_command_shows_sets_and_checks_the_setting(run: Run) -> None:
    assert "not set yet" in run("safety", "scores").stdout
    assert run("safety", "scores", "two").stdout.strip() == (
        "Your pain scores: two, leg pain and back pain, each on its own."
    )
    assert load_settings().pain_scores == "two"
    assert run("safety", "scores").stdout.strip().startswith("Your pain scores: two")
    assert run("safety", "scores", "one").stdout.strip() == "Your pain scores: one pain score."
    assert run("safety", "scores", "three").exit_code == 2
    assert load_settings().pain_scores == "one"


def test_checkin_keeps_one_score_for_a_session_recorded_with_one(
    run: Run, home: Path, midnight: datetime
) -> None:
    remember({"pain_scores": "two"})  # changed since that session
    with SessionStore.open(home / "journal.db") as store:
        session = store.start_session(
            routine="glute-ball", title="Glute ball", options={}, planned_seconds=60.0,
            preview=False, segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 60)],
            pain_before=4, started_at=midnight - timedelta(hours=4),
        )  # fmt: skip
        store.finish_session(session, status="completed", ended_at=midnight - timedelta(hours=4))
    result = run("checkin", "--pain", "4", "--back", "6")
    assert result.exit_code == 0, result.output
    assert "Morning pain 4 logged for glute-ball" in result.stdout
    assert "That session recorded one pain score, so --back was not kept." in result.stdout
    assert "Your pain this morning is 4; before yesterday evening's" in result.stdout
    with SessionStore.open(home / "journal.db") as store:
        record = store.session(session)
    assert (record.morning_pain, record.morning_back) == (4, None)


def test_checkin_in_a_terminal_asks_as_many_scores_as_the_session_had(
    run: Run, home: Path, midnight: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from sciatica_cli.safety import prompter

    typed: list[str] = []
    shown = io.StringIO()

    class Typed(prompter.TerminalPrompter):
        def __init__(self, console: Console) -> None:
            super().__init__(Console(file=shown), stdin=TtyInput(typed))

    monkeypatch.setattr(prompter, "TerminalPrompter", Typed)
    with SessionStore.open(home / "journal.db") as store:
        session = store.start_session(
            routine="glute-ball", title="Glute ball", options={}, planned_seconds=60.0,
            preview=False, segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 60)],
            pain_before=4, pain_scores="two", back_before=3,
            started_at=midnight - timedelta(hours=4),
        )  # fmt: skip
        store.finish_session(session, status="completed", ended_at=midnight - timedelta(hours=4))
    typed[:] = ["5", "2"]
    assert run("checkin").exit_code == 0
    assert "How bad is your leg pain this morning?" in shown.getvalue()
    assert "How bad is your back pain this morning?" in shown.getvalue()
    typed[:] = ["3"]
    shown.seek(0)
    shown.truncate()
    result = run("checkin", "--back", "1")
    assert result.exit_code == 0, result.output
    assert "back pain this morning" not in shown.getvalue()
    assert "Morning leg pain 3; back pain 1 logged" in result.stdout
