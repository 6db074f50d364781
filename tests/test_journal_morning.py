"""The next-morning check-in's advice: SAFETY.md 4, pain from a session settles in 24 hours."""

from __future__ import annotations

from sciatica_cli.journal.morning import morning_advice


def test_a_morning_one_point_higher_says_ease_off_and_names_both_scores() -> None:
    text = morning_advice(4, 5)
    assert "ease off next time: lighter pressure or less time" in text
    assert "5" in text and "4" in text


def test_the_same_morning_score_is_reassuring() -> None:
    text = morning_advice(4, 4)
    assert "ease off" not in text
    assert "settled" in text


def test_a_lower_morning_score_is_reassuring() -> None:
    text = morning_advice(5, 3)
    assert "ease off" not in text
    assert "down from 5" in text


def test_the_first_morning_says_tomorrow_will_compare() -> None:
    text = morning_advice(None, 6)
    assert "Tomorrow's check-in will compare" in text
    assert "ease off" not in text
