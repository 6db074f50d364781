"""Whole sessions with leg pain and back pain, each on its own (SAFETY.md 4), through
``sciatica routine start`` on a fake clock: the questions asked and what the journal keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciatica_cli.config import load_settings, remember
from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.journal.store import SessionStore

from .conftest import THREE, Run
from .fakes import fake_terminal, screened


@pytest.fixture(autouse=True)
def three(user_routines: Path) -> str:
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")
    return "three"


def only_session(home: Path) -> SessionRecord:
    with SessionStore.open(home / "journal.db") as store:
        (session,) = store.sessions(include_previews=True)
    return session


def start(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    answers: list[str] | None = None,
    keys: list[tuple[float, str]] | None = None,
) -> tuple[int, str]:
    with fake_terminal(monkeypatch, keys=keys or [], answers=answers, live=False):
        result = run("routine", "start", "three", "--plain", *args)
    return result.exit_code, result.output


def test_a_first_session_asks_one_or_two_then_leg_and_back_before_and_after(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    # Two warning-sign lists, conditions, side, one or two, leg, back, Enter; then both
    # scores after, and no note.
    answers = ["n", "n", "n", "right", "two", "5", "3", "", "3", "5", ""]
    code, printed = start(run, monkeypatch, answers=answers)
    assert code == 0, printed
    assert "One pain score, or two (leg and back)? [one/two]" in printed
    assert "In sciatica the leg pain is the main one to watch." in printed
    assert printed.index("How bad is your leg pain right now?") < printed.index(
        "How bad is your back pain right now?"
    )
    assert "Your leg pain is 5 out of 10: ease the pressure today." in printed
    assert "How bad is your back pain now, after the session?" in printed
    assert "Leg pain 5 -> 3: better. Back pain 3 -> 5: worse." in printed
    assert "Your back pain is 2 or more points higher than before the session." in printed
    session = only_session(home)
    assert (session.pain_scores, session.pain_before, session.pain_after) == ("two", 5, 3)
    assert (session.back_before, session.back_after) == (3, 5)
    assert "back_pain_before" not in session.options and "pain_before" not in session.options
    assert load_settings().pain_scores == "two"


def test_one_score_chosen_asks_the_pain_once(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    code, printed = start(
        run, monkeypatch, answers=["n", "n", "n", "right", "one", "5", "", "3", ""]
    )
    assert code == 0, printed
    assert "How bad is your back pain" not in printed
    assert "Pain 5 -> 3: better." in printed
    session = only_session(home)
    assert (session.pain_scores, session.back_before, session.back_after) == ("one", None, None)
    assert load_settings().pain_scores == "one"


def test_the_higher_back_score_sets_the_advice_and_the_shortest_dose(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    screened(home)
    remember({"pain_scores": "two"})
    code, printed = start(run, monkeypatch, answers=["2", "7", "", "2", "7", ""])
    assert code == 0, printed
    assert "Your back pain is 7 out of 10: go gently today." in printed
    go_gently = only_session(home)
    assert (go_gently.pain_before, go_gently.back_before) == (2, 7)
    assert go_gently.options["dose_source"] == "shortest"  # the shortest dose of every step
    assert "Today: the shortest dose of every step" in printed


def test_without_a_terminal_the_options_give_both_scores(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    screened(home)
    code, printed = start(run, monkeypatch, "--pain-before", "4", "--back-pain-before", "2")
    assert code == 0, printed
    session = only_session(home)
    assert (session.pain_scores, session.pain_before, session.back_before) == ("two", 4, 2)
    assert "back_pain_before" not in session.options
    assert (
        load_settings().pain_scores == "one"
    )  # screened() remembers one; options do not change it


def test_without_a_terminal_and_no_setting_it_is_one_score_not_remembered(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    screened(home, pain_scores=None)
    code, printed = start(run, monkeypatch, "--pain-before", "4")
    assert code == 0, printed
    assert only_session(home).pain_scores == "one"
    assert load_settings().pain_scores is None


def test_after_a_sharp_stop_the_pain_now_asks_leg_and_back(
    run: Run, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    screened(home)
    remember({"pain_scores": "two"})
    code, printed = start(run, monkeypatch, keys=[(10, "!")], answers=["4", "2", "", "6", "3", "n"])
    assert code == 3, printed
    assert "How bad is your leg pain now?" in printed
    assert "How bad is your back pain now?" in printed
    session = only_session(home)
    assert (session.stop_reason, session.pain_after, session.back_after) == ("sharp pain", 6, 3)
