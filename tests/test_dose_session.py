"""The dose (SAFETY.md 6) where a person meets it: the planner at a dose, the sentence before
each session (the journal's dose, --minutes, pain of 6 or more, a preview, a journal that
cannot be read) and ``routine show`` with its ``--json``."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sciatica_cli import paths
from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.routines.library import scan
from sciatica_cli.routines.listing import load_expanded
from sciatica_cli.routines.plain import ExpandedRoutine
from sciatica_cli.routines.planner import PlanOptions, dose_range, plan_routine
from sciatica_cli.wallclock import utc_now

from .conftest import Run
from .fakes import AFTER_SESSION, FIRST_SESSION, fake_terminal, screened

UP = (
    "Today: 6 minutes an area (up from 5: your last 2 glute-ball sessions settled by the next "
    "morning)."
)


def routine(name: str) -> ExpandedRoutine:
    catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
    return load_expanded(catalog, name, Path(tempfile.mkdtemp()) / "cache")


def steps(options: PlanOptions, name: str = "glute-ball") -> list[tuple[str | None, float]]:
    plan = plan_routine(routine(name), options)
    return [(s.side, s.seconds) for s in plan.segments if s.kind == "step"]


# -- the planner at a dose -----------------------------------------------------------------------


def test_a_both_step_takes_half_the_dose_a_side() -> None:
    assert steps(PlanOptions(dose=6)) == [("left", 180.0), ("right", 180.0)]


def test_an_affected_step_takes_the_whole_dose_on_each_side() -> None:
    assert steps(PlanOptions(side="right", dose=6), "piriformis-ball") == [("right", 360.0)]
    both = steps(PlanOptions(side="both", dose=6), "piriformis-ball")
    assert both == [("left", 360.0), ("right", 360.0)]


def test_a_dose_stays_within_each_step_s_range() -> None:
    assert steps(PlanOptions(dose=25)) == [("left", 300.0), ("right", 300.0)]
    assert steps(PlanOptions(dose=1)) == [("left", 150.0), ("right", 150.0)]


def test_minutes_override_the_dose_and_the_shortest_overrides_both() -> None:
    assert steps(PlanOptions(minutes=10.5, dose=6)) == [("left", 300.0), ("right", 300.0)]
    assert steps(PlanOptions(minutes=10.5, dose=8, shortest=True)) == [
        ("left", 150.0),
        ("right", 150.0),
    ]


def test_a_fixed_step_keeps_its_length_at_any_dose() -> None:
    at_five, at_ten = routine("full"), routine("full")
    fixed = [s for s in plan_routine(at_five, PlanOptions(dose=5)).segments if s.kind == "step"]
    more = [s for s in plan_routine(at_ten, PlanOptions(dose=10)).segments if s.kind == "step"]
    assert fixed[0].step_title == "Knee to chest"
    assert fixed[0].seconds == more[0].seconds


def test_the_shortest_and_the_upper_end_of_each_built_in_routine() -> None:
    assert dose_range(routine("glute-ball")) == (5.0, 10.0)
    assert dose_range(routine("piriformis-ball")) == (5.0, 10.0)
    assert dose_range(routine("full")) == (5.0, 10.0)
    assert dose_range(routine("warm-up")) is None  # only set lengths: no dose


# -- before a session ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sessions play on a fake clock with no terminal: each takes milliseconds."""
    with fake_terminal(monkeypatch, live=False):
        yield


def settled_twice(home: Path, name: str = "glute-ball") -> None:
    """Two glute-ball sessions in the last days, each settled by the next morning."""
    now = utc_now()
    with SessionStore.open(home / "journal.db") as store:
        for days in (3, 2):
            start = now - timedelta(days=days)
            segment = PlannedSegment(0, "step", "Glute ball", 1, "left", "glutes", 300.0)
            session_id = store.start_session(
                routine=name, title="Glutes", options={"minutes": None}, planned_seconds=300.0,
                preview=False, segments=[segment], pain_before=3, started_at=start,
            )  # fmt: skip
            store.record_segment(
                session_id, 0, outcome="done", done_seconds=300.0, started_at=start,
                ended_at=start + timedelta(minutes=5),
            )  # fmt: skip
            store.set_pain(session_id, after=3)
            store.finish_session(session_id, status="completed", ended_at=start)
            store.record_checkin(session_id, 3)


def words(text: str) -> str:
    return " ".join(text.split())


def latest(home: Path, *, previews: bool = False) -> dict[str, object]:
    with SessionStore.open(home / "journal.db") as store:
        session = store.sessions(include_previews=previews, limit=1)[0]
    return {"planned": session.planned_seconds, **session.options}


def test_the_journal_s_dose_is_said_and_played(run: Run, home: Path) -> None:
    screened(home)
    settled_twice(home)
    result = run("routine", "start", "glute-ball", "--pain-before", "3")
    assert result.exit_code == 0, result.output
    assert UP in words(result.stdout)
    recorded = latest(home)
    assert (recorded["dose"], recorded["dose_source"]) == (6.0, "journal")
    assert recorded["planned"] == 15 + 180 + 15 + 180


def test_minutes_override_the_dose_and_name_it(run: Run, home: Path) -> None:
    screened(home)
    settled_twice(home)
    result = run("routine", "start", "glute-ball", "--pain-before", "3", "--minutes", "8")
    assert result.exit_code == 0, result.output
    assert (
        "Today: 8 minutes in all, as you asked (--minutes); your journal's dose is 6 minutes "
        "an area." in words(result.stdout)
    )
    recorded = latest(home)
    assert (recorded["dose_source"], recorded["planned"]) == ("minutes", 480.0)
    assert recorded["dose"] == 7.5  # what it ran at: 3m45s a side


def test_pain_of_six_or_more_gives_the_shortest_whatever_the_journal(run: Run, home: Path) -> None:
    screened(home)
    settled_twice(home)
    result = run("routine", "start", "glute-ball", "--pain-before", "6", "--minutes", "8")
    assert result.exit_code == 0, result.output
    assert (
        "Today: the shortest dose of every step (your pain is 6 or more; --minutes does not "
        "apply today)." in words(result.stdout)
    )
    recorded = latest(home)
    assert (recorded["dose_source"], recorded["planned"]) == ("shortest", 15 + 150 + 15 + 150)
    assert recorded["dose"] == 5.0


def test_a_preview_plays_the_dose_and_never_moves_it(run: Run, home: Path) -> None:
    screened(home)
    settled_twice(home)
    for _ in range(3):
        result = run("routine", "start", "glute-ball", "--speed", "100")
        assert result.exit_code == 0, result.output
        assert UP in words(result.stdout)
    assert latest(home, previews=True)["dose"] == 6.0
    shown = json.loads(run("routine", "show", "glute-ball", "--json").stdout)["dose"]
    assert shown["reason"] == UP[UP.index("(") + 1 : -2]


def test_a_journal_that_cannot_be_read_never_stops_a_session(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "journal.db").write_bytes(b"not a database at all" * 100)
    with fake_terminal(monkeypatch, live=False, answers=[*FIRST_SESSION, *AFTER_SESSION]):
        result = run("routine", "start", "glute-ball")
    assert result.exit_code == 0, result.output
    assert "Today: 5 minutes an area (the start dose: your journal could not be read)." in words(
        result.stdout
    )


def test_a_routine_of_set_lengths_says_so(run: Run, home: Path) -> None:
    screened(home)
    result = run("routine", "start", "warm-up", "--pain-before", "3")
    assert result.exit_code == 0, result.output
    assert "Today: every step at its set length (" in words(result.stdout)
    assert "dose" not in latest(home)


# -- routine show --------------------------------------------------------------------------------


def test_routine_show_plans_the_next_session_s_dose_and_says_why(run: Run, home: Path) -> None:
    settled_twice(home)
    result = run("routine", "show", "glute-ball")
    assert result.exit_code == 0, result.output
    assert UP in words(result.stdout)
    assert "3m" in result.stdout and "2m30s" not in result.stdout
    data = json.loads(run("routine", "show", "glute-ball", "--json").stdout)
    assert data["dose"] == {
        "minutes_an_area": 6.0,
        "source": "journal",
        "reason": "up from 5: your last 2 glute-ball sessions settled by the next morning",
        "sentence": UP,
        "plan_source": "journal",
    }
    assert [s["seconds"] for s in data["segments"] if s["kind"] == "step"] == [180.0, 180.0]


def test_routine_show_with_minutes_names_the_journal_s_dose(run: Run, home: Path) -> None:
    settled_twice(home)
    data = json.loads(run("routine", "show", "glute-ball", "--json", "--minutes", "8").stdout)
    assert (data["dose"]["source"], data["dose"]["plan_source"]) == ("journal", "minutes")
    assert data["dose"]["minutes_an_area"] == 6.0
    assert data["total_seconds"] == 480.0


def test_routine_show_without_a_journal_makes_none(run: Run, home: Path) -> None:
    data = json.loads(run("routine", "show", "glute-ball", "--json").stdout)
    assert data["dose"]["sentence"] == (
        "Today: 5 minutes an area (the start dose: no glute-ball sessions in your journal yet)."
    )
    assert not (home / "journal.db").exists()
