"""SAFETY.md rules at their boundaries."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from sciatica_cli import DISCLAIMER
from sciatica_cli.safety.conditions import CONDITIONS, contraindication_notes
from sciatica_cli.safety.pain import (
    after_session_advice,
    before_session_advice,
    change_label,
    counts_towards_goal,
    go_gently,
    morning_belongs_to,
    morning_verdict,
    needs_rest_confirmation,
    rose_by_two,
)
from sciatica_cli.safety.redflags import (
    EMERGENCY_ADVICE,
    TIER_A,
    TIER_B,
    ScreenResult,
    screen_due,
    screen_result,
)

SAFETY_MD = Path(__file__).resolve().parent.parent.parent / "shared" / "SAFETY.md"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


@pytest.mark.skipif(not SAFETY_MD.exists(), reason="shared/SAFETY.md is not beside this checkout")
def test_questions_and_messages_are_worded_exactly_as_in_safety_md() -> None:
    text = " ".join(SAFETY_MD.read_text(encoding="utf-8").split())
    for qid, question in (*TIER_A, *TIER_B):
        assert f"{qid} {question}" in text
    assert EMERGENCY_ADVICE.rstrip(".") in text
    assert DISCLAIMER in text


def test_any_tier_a_yes_is_an_emergency_even_with_tier_b_yes() -> None:
    assert screen_result({"A4": True, "B3": True}) is ScreenResult.EMERGENCY


def test_a_tier_b_yes_alone_is_urgent() -> None:
    assert screen_result({"B9": True}) is ScreenResult.URGENT


def test_all_no_is_clear() -> None:
    answers = {qid: False for qid, _ in (*TIER_A, *TIER_B)}
    assert screen_result(answers) is ScreenResult.CLEAR


def test_screen_is_due_before_the_first_session() -> None:
    assert screen_due(None, NOW)


@pytest.mark.parametrize(
    ("age", "due"), [(timedelta(days=7), True), (timedelta(days=6, hours=23), False)]
)
def test_screen_is_due_once_seven_days_have_passed(age: timedelta, due: bool) -> None:
    assert screen_due(NOW - age, NOW) is due


@pytest.mark.parametrize(
    ("before", "after", "label"),
    [
        (7, 9, "worse"),  # 2 points up at 29 %: worse whatever the percentage
        (8, 10, "worse"),  # 2 points up at 25 %
        (0, 2, "worse"),
        (3, 4, "no clear change"),  # 1 point up
        (9, 10, "no clear change"),
        (6, 4, "better"),  # 2 points down and 33 %
        (7, 5, "no clear change"),  # 2 points down but only 29 %
        (Fraction(69, 10), Fraction(49, 10), "no clear change"),  # 2 down at 28.99 %
        (Fraction(20, 3), Fraction(14, 3), "better"),  # 2 down at exactly 30 %
        (10, 7, "better"),  # 3 down at exactly 30 %
        (10, 8, "no clear change"),  # 2 down at 20 %
        (5, 5, "no clear change"),
    ],
)
def test_change_label_worse_at_two_points_up_better_at_two_points_and_thirty_percent_down(
    before: int | Fraction, after: int | Fraction, label: str
) -> None:
    assert change_label(before, after) == label


@pytest.mark.parametrize(
    ("score", "words", "gently", "confirm"),
    [
        (3, None, False, False),
        (4, "ease the pressure", False, False),
        (5, "ease the pressure", False, False),
        (6, "shortest time", True, False),
        (7, "shortest time", True, False),
        (8, "Rest today", True, True),
        (10, "Rest today", True, True),
    ],
)
def test_pain_before_a_session_sets_the_advice_the_dose_and_the_confirmation(
    score: int, words: str | None, gently: bool, confirm: bool
) -> None:
    advice = before_session_advice(score)
    assert (advice is None) if words is None else (advice is not None and words in advice)
    assert go_gently(score) is gently
    assert needs_rest_confirmation(score) is confirm


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (3, []),
        (4, ["within 24 hours"]),
        (5, ["within 24 hours"]),
        (6, ["gentler"]),
        (8, ["GP or an urgent-care line", "gentler"]),
        (9, ["GP or an urgent-care line", "gentler"]),
    ],
)
def test_pain_after_a_session_is_always_followed_by_what_it_means(
    after: int, expected: list[str]
) -> None:
    advice = after_session_advice(after, after)
    assert len(advice) == len(expected)
    for line, words in zip(advice, expected, strict=True):
        assert words in line


def test_a_rise_of_two_points_advises_a_gentler_session_and_a_new_screen() -> None:
    assert rose_by_two(3, 5)
    assert not rose_by_two(3, 4)
    assert "asked again" in " ".join(after_session_advice(3, 5))
    assert "asked again" not in " ".join(after_session_advice(3, 4))


@pytest.mark.parametrize(
    ("done", "planned", "counts"), [(150, 300, True), (149.9, 300, False), (4, 330, False)]
)
def test_a_session_counts_towards_the_goal_from_half_its_planned_time(
    done: float, planned: float, counts: bool
) -> None:
    assert counts_towards_goal(done, planned) is counts


@pytest.mark.parametrize(
    ("before", "morning", "verdict"), [(3, 3, "settled"), (3, 4, "settled"), (3, 5, "not settled")]
)
def test_a_morning_score_is_settled_up_to_one_point_above_pain_before(
    before: int, morning: int, verdict: str
) -> None:
    assert morning_verdict(before, morning) == verdict


@pytest.mark.parametrize(
    ("ended", "belongs"),
    [
        (datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc), True),  # yesterday evening, 14 h
        (datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc), True),  # 35 h 30 before
        (datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc), False),  # 37 h before
        (datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc), False),  # the same calendar day
    ],
)
def test_a_morning_score_belongs_to_a_session_of_an_earlier_day_within_36_hours(
    ended: datetime, belongs: bool
) -> None:
    assert morning_belongs_to(ended, NOW, timezone.utc) is belongs


def test_stop_conditions_block_and_light_pressure_ones_only_warn() -> None:
    blocking, notes = contraindication_notes({"dvt": True, "pregnancy": True, "numb": True})
    assert [c.id for c in blocking] == ["dvt"]
    assert any(n.startswith("You told us: pregnancy. Use light pressure only") for n in notes)
    assert any("no heat packs" in n for n in notes)
    assert any(re.search("bones of the spine", n) for n in notes)


def test_every_session_shows_where_to_roll_even_with_no_conditions() -> None:
    blocking, notes = contraindication_notes({c.id: False for c in CONDITIONS})
    assert blocking == []
    assert len(notes) == 1 and "beside the spine" in notes[0]
