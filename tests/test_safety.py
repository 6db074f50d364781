"""SAFETY.md rules at their boundaries."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sciatica_cli import DISCLAIMER
from sciatica_cli.safety.rules import (
    CONDITIONS,
    EMERGENCY_ADVICE,
    TIER_A,
    TIER_B,
    ScreenResult,
    after_session_advice,
    change_label,
    contraindication_notes,
    rose_by_two,
    screen_due,
    screen_result,
    traffic_light,
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
    assert screen_due(None, NOW, last_session_worse=False)


@pytest.mark.parametrize(
    ("age", "due"), [(timedelta(days=7), True), (timedelta(days=6, hours=23), False)]
)
def test_screen_is_due_once_seven_days_have_passed(age: timedelta, due: bool) -> None:
    assert screen_due(NOW - age, NOW, last_session_worse=False) is due


def test_screen_is_due_after_a_session_that_ended_worse() -> None:
    assert screen_due(NOW - timedelta(hours=1), NOW, last_session_worse=True)


@pytest.mark.parametrize(
    ("before", "after", "label"),
    [
        (6, 4, "better"),  # 2 points and 33 %
        (7, 5, "no clear change"),  # 2 points but only 29 %
        (10, 7, "better"),  # exactly 30 %
        (10, 8, "no clear change"),  # 2 points, 20 %
        (2, 4, "worse"),  # 2 points and 100 %
        (3, 4, "no clear change"),  # 1 point
        (0, 2, "worse"),
        (0, 1, "no clear change"),
        (5, 5, "no clear change"),
    ],
)
def test_change_is_better_or_worse_only_for_two_points_and_thirty_percent(
    before: int, after: int, label: str
) -> None:
    assert change_label(before, after) == label


@pytest.mark.parametrize(
    ("score", "light"),
    [(0, "green"), (3, "green"), (4, "amber"), (5, "amber"), (6, "red"), (10, "red")],
)
def test_traffic_light_bands(score: int, light: str) -> None:
    assert traffic_light(score)[0] == light


def test_amber_advice_says_it_must_settle_within_24_hours() -> None:
    assert "24 hours" in traffic_light(4)[1]


def test_a_rise_of_two_points_advises_a_gentler_session_and_a_new_screen() -> None:
    assert rose_by_two(3, 5)
    assert not rose_by_two(3, 4)
    advice = " ".join(after_session_advice(3, 5))
    assert "gentler" in advice and "asked again" in advice
    assert "gentler (lighter" not in " ".join(after_session_advice(3, 4))


def test_stop_conditions_block_and_light_pressure_ones_only_warn() -> None:
    blocking, notes = contraindication_notes({"dvt": True, "pregnancy": True, "numb": True})
    assert [c.id for c in blocking] == ["dvt"]
    assert any("Light pressure only" in n for n in notes)
    assert any("no heat packs" in n for n in notes)
    assert any(re.search("bones of the spine", n) for n in notes)


def test_every_session_shows_where_to_roll_even_with_no_conditions() -> None:
    blocking, notes = contraindication_notes({c.id: False for c in CONDITIONS})
    assert blocking == []
    assert len(notes) == 1 and "beside the spine" in notes[0]
