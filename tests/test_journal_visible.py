"""What a person typed is shown, never obeyed: control characters in notes, titles, routine
names and stop reasons appear as visible escapes in ``history``, ``stats``, ``checkin`` and
the report, and square brackets are words, not Rich markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from tests.conftest import Run

NASTY = "\x1b[2J\x1b]0;pwned\x07\x9b31m"  # clear the screen, set the title, CSI in C1
SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07\\u009b31m"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # any control but newline and tab


@pytest.fixture
def journal(home: Path) -> Iterator[SessionStore]:
    with SessionStore.open(home / "journal.db") as store:
        yield store


def session(store: SessionStore, *, ended: datetime, routine: str = f"glute{NASTY}") -> int:
    started = ended - timedelta(minutes=5)
    session_id = store.start_session(
        routine=routine,
        title=f"Glute ball{NASTY}",
        options={},
        planned_seconds=300.0,
        preview=False,
        segments=[PlannedSegment(0, "step", f"Ball{NASTY}", 1, "left", f"glutes{NASTY}", 300.0)],
        pain_before=6,
        started_at=started,
    )
    store.record_segment(
        session_id, 0, outcome="stopped", done_seconds=200.0, started_at=started, ended_at=ended
    )
    store.finish_session(
        session_id, status="stopped", stop_reason=f"sharp pain{NASTY}", ended_at=ended
    )
    store.set_pain(session_id, after=7)
    store.set_note(session_id, f"first line{NASTY}\nsecond [/bold] [red]line[/red]")
    return session_id


def out(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert not CONTROL.search(result.output), repr(result.output)
    return result.stdout


@pytest.mark.parametrize("columns", ["120", "80", "40"])
def test_history_shows_control_characters_as_escapes_and_brackets_as_text(
    run: Run, journal: SessionStore, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    session(journal, ended=datetime.now(timezone.utc) - timedelta(hours=1))
    monkeypatch.setenv("COLUMNS", columns)
    # Tables wrap and shorten long cells: compare without the spaces and breaks they add.
    squeezed = "".join(out(run, "history").split())
    for text in ("glute\\x1b[2J", "pain\\x1b[2J", "line\\x1b[2J", "second[/bold][red]"):
        assert text in squeezed
    if columns == "40":  # one block per session: every word in full
        for text in (f"glute{SHOWN}", f"sharppain{SHOWN}", f"firstline{SHOWN}"):
            assert text in squeezed


def test_stats_shows_an_area_name_with_its_escapes(run: Run, journal: SessionStore) -> None:
    session(journal, ended=datetime.now(timezone.utc) - timedelta(hours=1))
    assert f"glutes{SHOWN}" in out(run, "history", "stats")


def test_checkin_names_the_routine_with_its_escapes(
    run: Run, journal: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    now = datetime.now(timezone.utc)
    midnight = datetime.combine(now.date(), datetime.min.time(), timezone.utc)
    session(journal, ended=midnight - timedelta(hours=4))
    text = out(run, "checkin", "--pain", "3")
    assert f"logged for glute{SHOWN}" in text
    assert f"glute{SHOWN} session it was 6" in text


def test_the_report_shows_control_characters_as_escapes(
    run: Run, journal: SessionStore, tmp_path: Path
) -> None:
    session_id = session(journal, ended=datetime.now(timezone.utc) - timedelta(days=2))
    journal.record_checkin(session_id, 5, f"morning{NASTY}")
    page = tmp_path / "report.html"
    out(run, "history", "report", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert not CONTROL.search(html)
    for text in (f"Glute ball{SHOWN}", f"glute{SHOWN}", f"sharp pain{SHOWN}", f"morning{SHOWN}"):
        assert text in html
    assert f"first line{SHOWN}\nsecond [/bold] [red]line[/red]" in html  # the newline kept
