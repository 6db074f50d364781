"""The questions around a session, with scripted answers (SAFETY.md 2 to 4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.safety import screening
from sciatica_cli.safety.rules import CONDITIONS, EMERGENCY_ADVICE, TIER_A, TIER_B, URGENT_ADVICE

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


class Scripted:
    """A prompter that answers from a script and keeps everything it was told."""

    def __init__(self, *answers: bool | int | str | None, interactive: bool = True) -> None:
        self.answers = list(answers)
        self.interactive = interactive
        self.said: list[str] = []
        self.asked: list[str] = []

    def say(self, text: str, style: str = "") -> None:
        self.said.append(text)

    def yes_no(self, question: str, default: bool | None = None) -> bool:
        self.asked.append(question)
        answer = self.answers.pop(0)
        assert isinstance(answer, bool)
        return answer

    def ready(self, text: str) -> None:
        self.asked.append(text)

    def text(self, question: str) -> str | None:
        self.asked.append(question)
        answer = self.answers.pop(0) if self.answers else None
        assert answer is None or isinstance(answer, str)
        return answer

    def pain(self, question: str) -> int | None:
        self.asked.append(question)
        answer = self.answers.pop(0)
        assert answer is None or isinstance(answer, int)
        return answer


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    with SessionStore.open(tmp_path / "journal.db", now=lambda: NOW) as opened:
        yield opened


def all_no() -> list[bool]:
    return [False] * (len(TIER_A) + len(TIER_B))


def test_first_session_asks_every_warning_sign_and_records_a_clear_screen(
    store: SessionStore,
) -> None:
    prompter = Scripted(*all_no())
    verdict = screening.red_flag_check(prompter, store, assessed=False, now=lambda: NOW)
    assert verdict.go
    assert prompter.asked == [q for _, q in (*TIER_A, *TIER_B)]
    screen = store.last_screen()
    assert screen is not None and screen.result == "clear" and screen.answered_at == NOW


def test_a_tier_a_yes_stops_at_once_with_the_emergency_advice(store: SessionStore) -> None:
    prompter = Scripted(False, True)  # A2 yes
    verdict = screening.red_flag_check(prompter, store, assessed=False, now=lambda: NOW)
    assert not verdict.go and verdict.reason == "red flag"
    assert len(prompter.asked) == 2  # nothing more is asked of someone who needs help now
    assert EMERGENCY_ADVICE in prompter.said
    screen = store.last_screen()
    assert screen is not None and screen.result == "emergency" and screen.answers["A2"]


def test_a_tier_b_yes_blocks_until_the_person_confirms_an_assessment(store: SessionStore) -> None:
    answers = all_no()
    answers[len(TIER_A) + 2] = True  # B3: ever had cancer
    prompter = Scripted(*answers, False)  # ...and not assessed
    verdict = screening.red_flag_check(prompter, store, assessed=False, now=lambda: NOW)
    assert not verdict.go
    assert URGENT_ADVICE in prompter.said and "48 hours" in URGENT_ADVICE
    again = Scripted(True)  # next start within 7 days: asked only whether assessed now
    assert screening.red_flag_check(again, store, assessed=False, now=lambda: NOW).go
    assert again.asked == [
        "Have you been assessed by a doctor or clinician since these signs began?"
    ]


def test_the_assessed_option_lets_a_tier_b_session_start(store: SessionStore) -> None:
    answers = all_no()
    answers[len(TIER_A)] = True  # B1
    verdict = screening.red_flag_check(Scripted(*answers), store, assessed=True, now=lambda: NOW)
    assert verdict.go
    screen = store.last_screen()
    assert screen is not None and screen.result == "urgent" and screen.assessed


def test_no_screen_again_within_seven_days(store: SessionStore) -> None:
    screening.red_flag_check(Scripted(*all_no()), store, assessed=False, now=lambda: NOW)
    later = Scripted()
    soon = NOW + timedelta(days=6, hours=23)
    assert screening.red_flag_check(later, store, assessed=False, now=lambda: soon).go
    assert later.asked == []
    week = Scripted(*all_no())
    screening.red_flag_check(week, store, assessed=False, now=lambda: NOW + timedelta(days=7))
    assert len(week.asked) == len(TIER_A) + len(TIER_B)


def test_a_session_that_ended_two_points_worse_brings_the_screen_back(
    store: SessionStore,
) -> None:
    screening.red_flag_check(Scripted(*all_no()), store, assessed=False, now=lambda: NOW)
    segment = PlannedSegment(0, "step", "Roll", 1, None, None, 60.0)
    session = store.start_session(
        routine="r",
        title="R",
        options={},
        planned_seconds=60,
        preview=False,
        segments=[segment],
        pain_before=3,
    )
    store.finish_session(session, status="completed")
    store.set_pain(session, after=5)
    prompter = Scripted(*all_no())
    screening.red_flag_check(prompter, store, assessed=False, now=lambda: NOW + timedelta(hours=1))
    assert len(prompter.asked) == len(TIER_A) + len(TIER_B)


def test_without_a_terminal_nothing_is_asked_and_the_person_is_told(store: SessionStore) -> None:
    prompter = Scripted(interactive=False)
    assert screening.red_flag_check(prompter, store, assessed=False, now=lambda: NOW).go
    assert prompter.asked == []
    assert any("not asked" in line for line in prompter.said)


def test_conditions_are_asked_once_and_then_shown_before_every_session(
    store: SessionStore,
) -> None:
    first = Scripted(*[False] * len(CONDITIONS))
    assert screening.contraindication_check(first, store).go
    assert len(first.asked) == len(CONDITIONS)
    second = Scripted()
    assert screening.contraindication_check(second, store).go
    assert second.asked == []
    assert any("beside the spine" in line for line in second.said)


def test_a_stop_condition_rules_the_session_out(store: SessionStore) -> None:
    answers = [c.id == "fracture" for c in CONDITIONS]
    prompter = Scripted(*answers)
    verdict = screening.contraindication_check(prompter, store)
    assert not verdict.go and verdict.reason == "contraindication"
    assert any("see a clinician first" in line and "fracture" in line for line in prompter.said)


def test_blood_thinners_allow_a_session_with_light_pressure_advice(store: SessionStore) -> None:
    prompter = Scripted(*[c.id == "bleeding" for c in CONDITIONS])
    assert screening.contraindication_check(prompter, store).go
    assert any("Light pressure only" in line for line in prompter.said)


def test_pain_before_comes_from_the_option_without_asking() -> None:
    prompter = Scripted()
    assert screening.pain_before(prompter, 4) == 4
    assert prompter.asked == []


def test_pain_after_gives_the_change_label_and_the_traffic_light() -> None:
    prompter = Scripted(7)
    assert screening.pain_after(prompter, 4) == 7
    assert "Pain 4 -> 7: worse." in prompter.said
    assert any("6 or more" in line for line in prompter.said)
    assert any("gentler" in line for line in prompter.said)


def test_a_sharp_pain_stop_gives_the_advice_and_asks_tier_a(store: SessionStore) -> None:
    prompter = Scripted(*[False] * len(TIER_A))
    verdict = screening.sharp_pain_followup(prompter, store)
    assert verdict.reason == "sharp pain"
    assert prompter.asked == [q for _, q in TIER_A]
    assert any("sharp, shooting or electric pain" in line for line in prompter.said)


def test_a_sharp_pain_stop_with_a_tier_a_yes_says_call_for_help(store: SessionStore) -> None:
    prompter = Scripted(True)
    verdict = screening.sharp_pain_followup(prompter, store)
    assert verdict.reason == "sharp pain, red flag"
    assert EMERGENCY_ADVICE in prompter.said
