"""The store's narrow reads (journal/reads.py): the dose's replay and a week's count come from
the store, and no other module of the journal runs SQL of its own."""

from __future__ import annotations

import ast
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_cli.journal.records import PlannedSegment
from sciatica_cli.journal.store import SessionStore
from sciatica_cli.safety.progression import Outcome
from tests.conftest import REPO

UTC = timezone.utc
START = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # Mon 2 Nov 2026
# The store and its bases: the only modules that hold the journal's SQL.
SQL_MODULES = {"store", "answers", "merges", "reads", "transactions"}


def add(
    store: SessionStore,
    at: datetime,
    options: dict[str, object],
    *,
    routine: str = "glute-ball",
    done: float = 60.0,
    preview: bool = False,
    status: str = "completed",
) -> int:
    segment = PlannedSegment(0, "step", "Glutes", 1, "left", "glutes", 60.0)
    session_id = store.start_session(
        routine=routine, title=routine, options=options, planned_seconds=60.0,
        preview=preview, segments=[segment], pain_before=3, started_at=at,
    )  # fmt: skip
    if done:
        store.record_segment(
            session_id, 0, outcome="done", done_seconds=done, started_at=at,
            ended_at=at + timedelta(seconds=done),
        )  # fmt: skip
    if status != "running":
        store.finish_session(session_id, status=status, ended_at=at + timedelta(minutes=1))
    return session_id


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore.open(tmp_path / "journal.db")


def test_dose_outcomes_tell_a_length_from_minutes_by_the_options_json(store: SessionStore) -> None:
    # SAFETY.md 6: --minutes sessions never count towards a step-up, by the dose's source, or
    # for sessions from before the dose had a source, by a --minutes that is not null.
    cases = [
        ({"dose_source": "minutes", "minutes": 12}, True),
        ({"dose_source": "journal", "minutes": None, "dose": 5}, False),
        ({"dose_source": "shortest"}, False),
        ({"minutes": 10}, True),  # recorded before the dose had a source
        ({"minutes": None}, False),
        ({"minutes": 0}, True),
        ({}, False),
        # A key that only looks like the flag inside a text value is not the flag.
        ({"note": '"dose_source": "minutes"'}, False),
    ]
    for day, (options, _) in enumerate(cases):
        add(store, START + timedelta(days=day), options)
    outcomes = store.dose_outcomes("glute-ball")
    assert [o.by_minutes for o in outcomes] == [expected for _, expected in cases]
    assert all(isinstance(o, Outcome) for o in outcomes)


def test_dose_outcomes_read_one_routines_real_sessions_oldest_first(store: SessionStore) -> None:
    second = add(store, START + timedelta(days=1), {})
    add(store, START, {})
    add(store, START + timedelta(days=2), {}, preview=True)
    add(store, START + timedelta(days=3), {}, status="running")
    add(store, START + timedelta(days=4), {}, routine="full")
    store.finish_session(second, status="stopped", stop_reason="sharp pain")
    store.set_pain(second, after=4)
    store.record_checkin(second, 3)
    outcomes = store.dose_outcomes("glute-ball")
    assert [o.started_at for o in outcomes] == [START, START + timedelta(days=1)]
    assert outcomes[1].sharp_stop and outcomes[1].pain_after == 4 and outcomes[1].morning == 3
    assert not outcomes[1].two_scores and outcomes[1].back_before is None


def test_held_between_counts_sessions_with_half_their_plan_done(store: SessionStore) -> None:
    # SAFETY.md 4: a session counts towards the goal when half its planned time was done.
    add(store, START, {}, done=30.0)
    add(store, START + timedelta(days=1), {}, done=29.0)
    add(store, START + timedelta(days=6, hours=5), {})  # Sun 8 Nov 23:00 UTC
    add(store, START + timedelta(days=2), {}, preview=True)

    def week(monday: date, zone: tzinfo) -> int:
        start = datetime.combine(monday, time(), tzinfo=zone)
        return store.held_between(start, start + timedelta(weeks=1))

    assert week(date(2026, 11, 2), UTC) == 2
    # In London the Sunday session is still that week; in Tokyo it is already Monday 9 Nov.
    assert week(date(2026, 11, 2), ZoneInfo("Europe/London")) == 2
    assert week(date(2026, 11, 9), ZoneInfo("Asia/Tokyo")) == 1


def test_no_journal_module_but_the_stores_runs_sql() -> None:
    """One place for the SQL: nothing outside the store and its bases reaches for the
    connection's private reads (``_all``, ``_one``, ``_db``)."""
    found = []
    for path in sorted((REPO / "sciatica_cli").rglob("*.py")):
        if path.parent.name == "journal" and path.stem in SQL_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"_all", "_one", "_db"}:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_the_back_lines_six_week_rules_start_from_its_first_score_beyond_the_window(
    store: SessionStore,
) -> None:
    """SAFETY.md 2 tier C on the back score: its first score, 59 days ago (after a session with
    one score, the journal's first), is read even when 200 newer sessions fill the window."""
    from sciatica_cli.journal.progress import ADVICE_WINDOW, advice

    now = START + timedelta(days=60)
    segment = PlannedSegment(0, "step", "Glutes", 1, "left", "glutes", 60.0)

    def scored(at: datetime, back: int | None) -> None:
        session_id = store.start_session(
            routine="glute-ball", title="Glutes", options={}, planned_seconds=60.0,
            preview=False, segments=[segment], pain_before=5, started_at=at,
            pain_scores="one" if back is None else "two", back_before=back,
        )  # fmt: skip
        store.finish_session(session_id, status="completed", ended_at=at + timedelta(minutes=1))
        store.set_pain(session_id, after=5, back_after=back)

    with store.batch():
        scored(START, None)  # the first session, and the first with a pain score: one score
        scored(START + timedelta(days=1), 8)
        for n in range(ADVICE_WINDOW + 10):
            scored(now - timedelta(days=9) + timedelta(hours=n), 7)
    first = store.real_session(scored="back")
    assert first is not None and first.started_at == START + timedelta(days=1)
    assert first.back_before == 8
    assert "back-no-two-points" in {a.id for a in advice(store, now)}
