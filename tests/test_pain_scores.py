"""Leg pain and back pain, each on its own (SAFETY.md 4): the rules on one score or two."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sciatica_cli.safety.pain import (
    after_scores_advice,
    change_lines,
    gentle_before,
    highest_before,
    make_scores,
    session_change,
    session_morning,
    session_scores,
    session_worse,
)


@dataclass(frozen=True)
class Session:
    pain_scores: str = "two"
    pain_before: int | None = None
    pain_after: int | None = None
    back_before: int | None = None
    back_after: int | None = None
    morning_pain: int | None = None
    morning_back: int | None = None


def test_one_score_is_pain_and_two_are_leg_then_back() -> None:
    one = session_scores(Session("one", 5, 3, morning_pain=4))
    assert [(s.name, s.before, s.after, s.morning) for s in one] == [("pain", 5, 3, 4)]
    two = session_scores(Session("two", 7, 5, 4, 4, 6, 5))
    assert [(s.name, s.before, s.after, s.morning) for s in two] == [
        ("leg pain", 7, 5, 6),
        ("back pain", 4, 4, 5),
    ]


def test_each_score_has_its_own_change_label() -> None:
    scores = make_scores("two", 7, 4, 4, 4)
    assert change_lines(scores) == [
        "Leg pain 7 -> 4: better.",
        "Back pain 4 -> 4: no clear change.",
    ]


@pytest.mark.parametrize(
    ("session", "label", "worse"),
    [
        (Session("two", 7, 4, 4, 6), "worse", True),  # leg better, back worse: worse
        (Session("two", 7, 4, 4, 4), "better", False),  # the leg is the main score
        (Session("two", 4, 4, 7, 4), "no clear change", False),
        (Session("two", None, None, 4, 2), "better", False),  # only the back was given
        (Session("two", 3, 5, None, None), "worse", True),
        (Session("one", 3, 5, 9, 0), "worse", True),  # one score: back columns ignored
        (Session("two"), None, False),
    ],
)
def test_a_session_is_worse_when_either_score_is(
    session: Session, label: str | None, worse: bool
) -> None:
    assert session_change(session) == label
    assert session_worse(session) is worse


def test_the_morning_is_judged_on_each_score_against_its_own_before() -> None:
    assert session_morning(Session("two", 5, 5, 3, 3, morning_pain=6, morning_back=4)) == "settled"
    assert session_morning(Session("two", 5, 5, 3, 3, morning_pain=5, morning_back=5)) == (
        "not settled"
    )
    assert session_morning(Session("two", 5, 5, None, None, 5, 9)) == "settled"  # no back before
    assert session_morning(Session("one", 5, 5, morning_pain=7)) == "not settled"
    assert session_morning(Session("two", 5, 5)) is None


def test_going_gently_follows_the_higher_score_before() -> None:
    assert highest_before(Session("two", 3, None, 6)) == 6
    assert gentle_before(make_scores("two", 3, None, 6))
    assert not gentle_before(make_scores("two", 5, None, 5))
    assert gentle_before(make_scores("one", 6, None))
    assert not gentle_before(make_scores("two", None, None, None))


def test_advice_after_follows_the_higher_score_and_names_it() -> None:
    advice = after_scores_advice(make_scores("two", 3, 3, 4, 6))
    assert advice[0].startswith("Your back pain is 6 out of 10. That is a lot of pain")
    assert "Your back pain is 2 or more points higher" in advice[-1]
    mild = after_scores_advice(make_scores("two", 5, 4, 2, 2))
    assert mild == [
        "Your leg pain is 4 out of 10. It should settle within 24 hours. Check in tomorrow "
        "morning: sciatica checkin --pain N --back N"
    ]
    both = after_scores_advice(make_scores("two", 1, 3, 1, 3))
    assert "Your leg pain and back pain are 2 or more points higher" in both[-1]
