"""The questions before and after a session, with scripted answers (SAFETY.md 2 to 4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.safety import pain_questions, screening
from sciatica_cli.safety.conditions import ASKED
from sciatica_cli.safety.redflags import EMERGENCY_ADVICE, TIER_A, TIER_B, URGENT_ADVICE

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
Answer = bool | int | str | list[int] | None


class Scripted:
    """A prompter that answers from a script and keeps everything it was told and asked."""

    def __init__(self, *answers: Answer, interactive: bool = True) -> None:
        self.answers = list(answers)
        self.interactive = interactive
        self.said: list[str] = []
        self.asked: list[str] = []

    def _next(self, question: str) -> Answer:
        self.asked.append(question)
        assert self.answers, f"no answer scripted for {question!r}"
        return self.answers.pop(0)

    def say(self, text: str, style: str = "") -> None:
        self.said.append(text)

    def yes_no(self, question: str, default: bool | None = None) -> bool:
        answer = self._next(question)
        assert isinstance(answer, bool), (question, answer)
        return answer

    def numbers(self, question: str, count: int) -> list[int]:
        answer = self._next(question)
        assert isinstance(answer, list) and all(1 <= n <= count for n in answer)
        return answer

    def choice(self, question: str, options: tuple[str, ...]) -> str:
        answer = self._next(question)
        assert isinstance(answer, str) and answer in options
        return answer

    def ready(self, text: str) -> None:
        self.asked.append(text)

    def text(self, question: str) -> str | None:
        answer = self._next(question)
        assert answer is None or isinstance(answer, str)
        return answer

    def pain(self, question: str) -> int | None:
        answer = self._next(question)
        assert answer is None or isinstance(answer, int)
        return answer

    @property
    def told(self) -> str:
        return " ".join(self.said)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    with SessionStore.open(tmp_path / "journal.db", now=lambda: NOW) as opened:
        yield opened


def check(prompter: Scripted, store: SessionStore | None, **kw: object) -> screening.Verdict:
    return screening.red_flag_check(
        prompter, store, assessed=bool(kw.get("assessed")), now=lambda: NOW, tz=timezone.utc
    )


def finished_session(
    store: SessionStore, before: int, after: int | None, reason: str | None = None
) -> None:
    session = store.start_session(
        routine="glute-ball", title="Glute ball", options={}, planned_seconds=60,
        preview=False, segments=[PlannedSegment(0, "step", "Glute ball", 1, None, None, 60)],
        pain_before=before,
    )  # fmt: skip
    store.finish_session(session, status="stopped" if reason else "completed", stop_reason=reason)
    if after is not None:
        store.set_pain(session, after=after)


# -- the warning-sign screen (SAFETY.md 2) --------------------------------------------------------


def test_a_first_screen_is_two_lists_and_two_answers_when_all_is_well(store: SessionStore) -> None:
    prompter = Scripted(False, False)
    assert check(prompter, store).go
    assert len(prompter.asked) == 2  # one question per tier, nothing asked twice
    for _, question in (*TIER_A, *TIER_B):
        assert any(question in line for line in prompter.said)  # each list shown whole
    screen = store.last_screen()
    assert screen is not None and screen.result == "clear" and screen.answered_at == NOW
    assert set(screen.answers) == {q for q, _ in (*TIER_A, *TIER_B)}
    assert not any(screen.answers.values())


def test_which_is_asked_only_on_yes_and_each_item_is_stored(store: SessionStore) -> None:
    prompter = Scripted(True, [2, 5])
    verdict = check(prompter, store)
    assert not verdict.go
    screen = store.last_screen()
    assert screen is not None and screen.result == "emergency"
    assert [q for q, yes in screen.answers.items() if yes] == ["A2", "A5"]
    assert prompter.said[-1] == EMERGENCY_ADVICE
    assert "New trouble passing urine" in prompter.told  # names the answer that triggered it
    assert not any("48 hours" in line for line in prompter.said)  # tier B never reached


def test_a_tier_a_yes_stands_until_a_doctor_has_seen_the_person(store: SessionStore) -> None:
    check(Scripted(True, [4]), store)
    again = Scripted(False)  # "has a doctor seen you?" no: the screen is not even asked
    assert not check(again, store).go
    assert len(again.asked) == 1
    assert "Tue 24 Nov at 09:00" in again.told and "BOTH legs" in again.told
    assert EMERGENCY_ADVICE in again.said
    seen = Scripted(True, False, False)  # seen by a doctor, then the whole screen again
    assert check(seen, store).go
    assert len(seen.asked) == 3


def test_a_tier_a_yes_without_a_terminal_names_the_command(store: SessionStore) -> None:
    check(Scripted(True, [1]), store)
    blind = Scripted(interactive=False)
    assert not check(blind, store).go
    assert EMERGENCY_ADVICE in blind.said
    assert "sciatica safety screen" in blind.told


def test_a_tier_b_yes_needs_a_confirmed_assessment(store: SessionStore) -> None:
    prompter = Scripted(False, True, [3], False)
    assert not check(prompter, store).go
    assert URGENT_ADVICE in prompter.said and "Ever had cancer" in prompter.told
    screen = store.last_screen()
    assert screen is not None and screen.result == "urgent" and not screen.assessed
    # The next start asks only whether they have been assessed.
    assessed = Scripted(True)
    assert check(assessed, store).go
    assert len(assessed.asked) == 1


def test_the_assessed_option_lets_a_tier_b_session_start(store: SessionStore) -> None:
    assert check(Scripted(False, True, [9]), store, assessed=True).go
    screen = store.last_screen()
    assert screen is not None and screen.result == "urgent" and screen.assessed


@pytest.mark.parametrize(("days", "asked"), [(6, 0), (7, 2)])
def test_the_screen_comes_back_after_seven_days(store: SessionStore, days: int, asked: int) -> None:
    store.record_screen({}, result="clear", assessed=False)
    prompter = Scripted(False, False)
    later = NOW + timedelta(days=days)
    assert screening.red_flag_check(
        prompter, store, assessed=False, now=lambda: later, tz=timezone.utc
    ).go
    assert len(prompter.asked) == asked


def test_a_session_that_ended_two_points_worse_brings_the_screen_back(
    store: SessionStore,
) -> None:
    store.record_screen({}, result="clear", assessed=False)
    finished_session(store, before=3, after=5)
    prompter = Scripted(False, False)
    assert check(prompter, store).go
    assert len(prompter.asked) == 2


def test_without_a_terminal_a_due_screen_means_no_session(store: SessionStore) -> None:
    blind = Scripted(interactive=False)
    verdict = check(blind, store)
    assert not verdict.go
    assert "no terminal" in blind.told and "sciatica safety screen" in blind.told
    assert store.last_screen() is None


# -- after a sharp-pain stop (SAFETY.md 4) -----------------------------------------------------


def test_a_same_day_restart_after_a_sharp_stop_needs_a_yes_then_screens_again(
    store: SessionStore,
) -> None:
    store.record_screen({}, result="clear", assessed=False)
    finished_session(store, before=3, after=6, reason="sharp pain")
    declined = Scripted(False)
    assert not check(declined, store).go
    assert "stopped glute-ball for sharp pain" in declined.told
    restarted = Scripted(True, False, False)
    assert check(restarted, store).go
    assert restarted.asked[0] == "Start a new session anyway?"
    assert len(restarted.asked) == 3


def test_a_same_day_restart_after_a_sharp_stop_needs_a_terminal(store: SessionStore) -> None:
    store.record_screen({}, result="clear", assessed=False)
    finished_session(store, before=3, after=6, reason="sharp pain")
    blind = Scripted(interactive=False)
    assert not check(blind, store).go
    assert "no terminal" in blind.told


def test_a_sharp_stop_says_what_to_do_asks_the_pain_and_tier_a(store: SessionStore) -> None:
    prompter = Scripted(7, False)
    pain_now, verdict = pain_questions.sharp_pain_followup(prompter, store)
    assert (pain_now.pain, pain_now.back, verdict.go) == (7, None, False)
    assert prompter.said[0].startswith("Come off the ball or roller slowly.")
    assert "No more massage today." in prompter.said[0]
    assert "Rest now" in prompter.said[-1]  # a closing message when all is no
    screen = store.last_screen()
    assert screen is not None and screen.result == "clear"
    assert set(screen.answers) == {q for q, _ in TIER_A}


def test_a_sharp_stop_with_a_tier_a_yes_says_call_for_help(store: SessionStore) -> None:
    prompter = Scripted(None, True, [1])
    _, verdict = pain_questions.sharp_pain_followup(prompter, store)
    assert verdict.reason == "sharp pain, red flag"
    assert prompter.said[-1] == EMERGENCY_ADVICE


# -- health conditions (SAFETY.md 3) ---------------------------------------------------------------


def test_conditions_are_one_list_asked_once_without_fever_or_cancer(store: SessionStore) -> None:
    first = Scripted(False)
    assert screening.contraindication_check(first, store).verdict.go
    assert len(first.asked) == 1
    assert not any(line.endswith(("A fever", "Cancer")) for line in first.said)
    assert len(ASKED) == 8
    again = Scripted()
    assert screening.contraindication_check(again, store).verdict.go
    assert again.asked == []
    assert any("bones of the spine" in line for line in again.said)


def test_a_stop_condition_names_itself_and_how_to_change_it(store: SessionStore) -> None:
    prompter = Scripted(True, [1])
    checked = screening.contraindication_check(prompter, store)
    assert not checked.verdict.go
    assert prompter.said[-1] == (
        "You told us: a blood clot (DVT). Do not roll: see a clinician first. "
        "To change your answers: sciatica safety conditions"
    )


def test_fever_from_the_screen_counts_as_a_condition(store: SessionStore) -> None:
    store.record_screen({"B1": True}, result="urgent", assessed=True)
    store.record_contraindications({})
    prompter = Scripted()
    checked = screening.contraindication_check(prompter, store)
    assert not checked.verdict.go
    assert "You told us: a fever." in prompter.said[-1]


def test_pregnancy_is_named_with_light_pressure_advice(store: SessionStore) -> None:
    prompter = Scripted(True, [7])
    checked = screening.contraindication_check(prompter, store)
    assert checked.verdict.go and checked.answers["pregnancy"]
    assert any(
        line.startswith("You told us: pregnancy. Use light pressure") for line in prompter.said
    )


def test_without_a_terminal_unanswered_conditions_mean_no_session(store: SessionStore) -> None:
    blind = Scripted(interactive=False)
    assert not screening.contraindication_check(blind, store).verdict.go
    assert "sciatica safety conditions" in blind.told


# -- pain before and after (SAFETY.md 4) ---------------------------------------------------


@pytest.mark.parametrize(
    ("score", "answers", "go", "words"),
    [
        (3, [], True, None),
        (4, [], True, "ease the pressure"),
        (5, [], True, "ease the pressure"),
        (6, [], True, "shortest time"),
        (7, [], True, "shortest time"),
        (8, [False], False, "Rest today"),
        (8, [True], True, "Rest today"),
        (10, [False], False, "Rest today"),
    ],
)
def test_pain_before_sets_the_advice_and_from_8_needs_an_explicit_yes(
    score: int, answers: list[Answer], go: bool, words: str | None
) -> None:
    prompter = Scripted(*answers)
    assert pain_questions.before_verdict(prompter, score).go is go
    assert (words is None and prompter.said == []) or (words is not None and words in prompter.told)
    if answers:
        assert prompter.asked == ["Start the session anyway?"]


def test_pain_8_without_a_terminal_does_not_start() -> None:
    blind = Scripted(interactive=False)
    assert not pain_questions.before_verdict(blind, 9).go
    assert "no terminal" in blind.told


@pytest.mark.parametrize(
    ("before", "after", "label"), [(7, 9, "worse"), (3, 4, "no clear change"), (6, 4, "better")]
)
def test_pain_after_gives_one_label(before: int, after: int, label: str) -> None:
    prompter = Scripted(after)
    assert pain_questions.pain_after(prompter, before) == after
    assert f"Pain {before} -> {after}: {label}." in prompter.said
    other = {"worse", "better", "no clear change"} - {label}
    assert not any(f": {word}." in prompter.told for word in other)


def test_pain_9_after_a_session_says_what_to_do() -> None:
    prompter = Scripted(9)
    pain_questions.pain_after(prompter, 5)
    assert "contact your GP or an urgent-care line" in prompter.told


def test_no_message_names_a_safety_md_section(store: SessionStore) -> None:
    prompter = Scripted(False, True, [1], False, True, [1, 7])
    check(prompter, store)
    screening.contraindication_check(prompter, store)
    pain_questions.before_verdict(Scripted(False), 9)
    assert "SAFETY" not in prompter.told
