"""``sciatica routine start`` without a terminal: options, the journal and exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_cli.journal.store import SessionStore

from .conftest import BUILTIN_NAMES, Run
from .fakes import fake_terminal, screened

TINY = """\
name: tiny
title: Tiny
transition: 0s
steps:
  - title: Press
    instructions: Press gently.
    duration: 1s
    warning: Stop at once if the pain turns sharp.
"""


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sessions play on a fake clock with no terminal: each takes milliseconds."""
    with fake_terminal(monkeypatch, live=False):
        yield


@pytest.fixture
def tiny(user_routines: Path) -> str:
    (user_routines / "tiny.yaml").write_text(TINY, encoding="utf-8")
    return "tiny"


def journal(home: Path) -> SessionStore:
    return SessionStore.open(home / "journal.db")


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_built_in_routine_plays_to_the_end_without_a_terminal(run: Run, name: str) -> None:
    result = run("routine", "start", name, "--speed", "1000")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "PREVIEW x1000 - not recorded as a real session" in lines
    timed = [line for line in lines if re.match(r"\[\d+:\d\d\] ", line)]
    assert timed[0].startswith("[0:00] Get into position: ")
    assert timed[-1].endswith("Finished.")
    assert lines[-1].startswith("Done: the routine is complete (")


def test_a_preview_is_kept_apart_from_real_sessions(run: Run, home: Path) -> None:
    run("routine", "start", "glute-ball", "--speed", "1000")
    with journal(home) as store:
        assert store.sessions() == []
        (preview,) = store.sessions(include_previews=True)
    assert preview.preview and preview.status == "completed"


def test_a_real_session_is_recorded_with_pain_before_and_every_segment(
    run: Run, home: Path, tiny: str
) -> None:
    screened(home)
    result = run("routine", "start", tiny, "--pain-before", "3")
    assert result.exit_code == 0, result.output
    with journal(home) as store:
        (session,) = store.sessions()
        segments = store.segments(session.id)
    assert (session.routine, session.status, session.pain_before) == ("tiny", "completed", 3)
    assert [(s.kind, s.outcome) for s in segments] == [("step", "done")]
    assert session.done_seconds == pytest.approx(1.0)


def test_without_a_terminal_a_first_session_does_not_start_and_names_the_command(
    run: Run, home: Path
) -> None:
    # The reproduction: printf 'y\ny\n' | sciatica routine start glute-ball ...
    result = run("routine", "start", "glute-ball", "--pain-before", "9", input="y\ny\n")
    assert result.exit_code == 3
    assert "no terminal to answer them" in result.stdout
    assert "sciatica safety screen" in result.stdout
    with journal(home) as store:
        assert store.sessions(include_previews=True) == []


def test_without_a_terminal_unanswered_conditions_do_not_start(run: Run, home: Path) -> None:
    with journal(home) as store:
        store.record_screen({}, result="clear", assessed=False)
    result = run("routine", "start", "glute-ball")
    assert result.exit_code == 3
    assert "sciatica safety conditions" in result.stdout


def test_without_a_terminal_pain_8_or_more_does_not_start(run: Run, home: Path, tiny: str) -> None:
    screened(home)
    result = run("routine", "start", tiny, "--pain-before", "8")
    assert result.exit_code == 3
    assert "Rest today" in result.stdout and "no terminal" in result.stdout


def test_the_where_to_roll_note_and_the_side_are_shown_before_every_session(
    run: Run, home: Path, tiny: str
) -> None:
    screened(home)
    result = run("routine", "start", tiny)
    assert "beside the spine" in result.stdout  # SAFETY.md 3: shown before every session
    assert "Your affected side: right." in result.stdout


def test_no_history_records_nothing(run: Run, home: Path, tiny: str) -> None:
    screened(home)
    assert run("routine", "start", tiny, "--no-history").exit_code == 0
    with journal(home) as store:
        assert store.sessions(include_previews=True) == []


def test_voice_and_bell_choices_are_remembered(run: Run, home: Path, tiny: str) -> None:
    run("routine", "start", tiny, "--speed", "100", "--no-bell", "--voice")
    saved = json.loads((home / "config.json").read_text(encoding="utf-8"))
    assert saved == {
        "voice": True,
        "bell": False,
        "weekly_goal": 3,
        "side": None,
        "pain_scores": None,
    }
    run("routine", "start", tiny, "--speed", "100")  # no flags: nothing changes
    assert json.loads((home / "config.json").read_text(encoding="utf-8")) == saved
    with journal(home) as store:
        latest = store.sessions(include_previews=True)[0]
    assert latest.options["bell"] is False and latest.options["voice"] is True


def test_minutes_fit_the_routine_and_too_few_is_a_usage_error(run: Run) -> None:
    assert run("routine", "start", "glute-ball", "--minutes", "8", "--speed", "1000").exit_code == 0
    result = run("routine", "start", "full", "--minutes", "5")
    assert result.exit_code == 2
    assert "cannot fit in 5 minutes" in result.stderr


@pytest.mark.parametrize("args", [["--speed", "0"], ["--pain-before", "11"], ["--side", "up"]])
def test_bad_option_values_are_usage_errors(run: Run, args: list[str]) -> None:
    assert run("routine", "start", "warm-up", *args).exit_code == 2


def test_an_unknown_routine_is_named_with_a_suggestion(run: Run) -> None:
    result = run("routine", "start", "glute-bal")
    assert result.exit_code == 1
    assert "did you mean 'glute-ball'?" in result.stderr


def test_an_unresolved_emergency_answer_blocks_a_session_without_a_terminal(
    run: Run, home: Path, tiny: str
) -> None:
    with journal(home) as store:
        store.record_screen({"A1": True}, result="emergency", assessed=False)
    result = run("routine", "start", tiny)
    assert result.exit_code == 3
    assert "Call your emergency number now" in result.stdout
    assert "sciatica safety screen" in result.stdout


def test_an_urgent_answer_needs_assessed_to_start(run: Run, home: Path, tiny: str) -> None:
    screened(home)
    with journal(home) as store:
        store.record_screen({"B3": True}, result="urgent", assessed=False)
    blocked = run("routine", "start", tiny)
    assert blocked.exit_code == 3
    assert "within 48 hours" in blocked.stdout
    assert run("routine", "start", tiny, "--assessed").exit_code == 0


def test_a_stop_condition_blocks_the_session(run: Run, home: Path, tiny: str) -> None:
    screened(home)
    with journal(home) as store:
        store.record_contraindications({"dvt": True})
    result = run("routine", "start", tiny)
    assert result.exit_code == 3
    assert "You told us: a blood clot (DVT). Do not roll: see a clinician first." in result.stdout


def test_a_corrupt_journal_warns_and_the_session_still_runs(
    run: Run, home: Path, tiny: str
) -> None:
    path = home / "journal.db"
    path.write_bytes(b"not a database at all" * 100)
    before = path.read_bytes()
    result = run("routine", "start", tiny, "--speed", "10")
    assert result.exit_code == 0
    assert f"Warning: {path}" in result.stderr
    assert path.read_bytes() == before


def test_safety_commands_need_a_terminal(run: Run) -> None:
    for command in ("screen", "conditions"):
        result = run("safety", command)
        assert result.exit_code == 2
        assert "need a terminal" in result.stderr


def test_the_affected_side_is_shown_set_and_checked_by_its_command(run: Run) -> None:
    assert "not set yet" in run("safety", "side").stdout
    assert run("safety", "side", "right").stdout.strip() == "Your affected side: right."
    assert run("safety", "side").stdout.strip() == "Your affected side: right."
    assert run("safety", "side", "up").exit_code == 2


def test_side_given_to_start_is_remembered(run: Run, home: Path, tiny: str) -> None:
    screened(home, side=None)
    assert run("routine", "start", tiny, "--side", "both").exit_code == 0
    assert run("safety", "side").stdout.strip() == "Your affected side: both."


def test_a_routine_for_the_affected_side_needs_one_without_a_terminal(run: Run, home: Path) -> None:
    screened(home, side=None)
    result = run("routine", "start", "piriformis-ball")
    assert result.exit_code == 2
    assert "sciatica safety side" in result.stdout


@pytest.mark.parametrize(
    "args", [["--speed", "nan"], ["--speed", "inf"], ["--minutes", "nan"], ["--minutes", "-inf"]]
)
def test_nan_and_infinities_are_usage_errors(run: Run, args: list[str]) -> None:
    result = run("routine", "start", "warm-up", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
