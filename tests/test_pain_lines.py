"""Two pain scores, leg and back (SAFETY.md 4), in the journal's figures: each score's averages,
labels and advisories on its own, the main line through a journal that moved from one score to
two, and the dose over time (SAFETY.md 6). On records: the CLI is in test_history_two_scores."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sciatica_cli.journal import dose_history
from sciatica_cli.journal.advisories import (
    ID_NO_TWO_POINTS,
    ID_NOT_BETTER,
    ID_RISING,
    ID_WORSE_TWICE,
    MIXED_NOTE,
    TITLE_WORSE_TWICE,
    advisories,
)
from sciatica_cli.journal.records import SessionRecord
from sciatica_cli.journal.stats import (
    PainAverages,
    back_averages,
    back_change,
    back_points,
    change,
    main_score_name,
    pain_averages,
    pain_change,
)
from sciatica_cli.journal.views import morning_text, pain_text

UTC = timezone.utc
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def one(id: int, before: int | None, after: int | None, *, days_ago: float = 0) -> SessionRecord:
    """A session with one pain score."""
    return SessionRecord(
        id=id, routine="glute-ball", title="Glute ball", options={}, preview=False,
        status="completed", stop_reason=None, started_at=NOW - timedelta(days=days_ago),
        ended_at=NOW - timedelta(days=days_ago) + timedelta(minutes=10), planned_seconds=600.0,
        done_seconds=600.0, pain_before=before, pain_after=after, pid=1, host="test",
    )  # fmt: skip


def two(
    id: int,
    leg: tuple[int | None, int | None],
    back: tuple[int | None, int | None],
    *,
    days_ago: float = 0,
    morning_pain: int | None = None,
    morning_back: int | None = None,
) -> SessionRecord:
    """A session with leg and back pain scored apart, and its next-morning scores."""
    return replace(
        one(id, leg[0], leg[1], days_ago=days_ago),
        pain_scores="two",
        back_before=back[0],
        back_after=back[1],
        morning_pain=morning_pain,
        morning_back=morning_back,
    )


def daily(*sessions: SessionRecord) -> list[SessionRecord]:
    """The sessions a day apart, the last one today, ids in order."""
    count = len(sessions)
    return [
        replace(s, id=i + 1, started_at=NOW - timedelta(days=count - 1 - i))
        for i, s in enumerate(sessions)
    ]


# -- labels and averages -----------------------------------------------------------------------


def test_each_score_has_its_own_label_and_the_session_is_worse_when_either_is() -> None:
    session = two(1, (7, 4), (4, 6))
    assert (pain_change(session), back_change(session)) == ("better", "worse")
    assert change(session) == "worse"  # never "better" and "worse" for one session
    assert change(two(1, (7, 4), (4, 4))) == "better"  # otherwise the leg's, the main score
    assert pain_change(two(1, (7, 5), (4, 4))) == "no clear change"  # 2 points is under 30 %
    assert back_change(one(1, 7, 5)) is None


def test_one_score_sessions_read_as_before() -> None:
    session = one(1, 5, 2)
    assert change(session) == pain_change(session) == "better"
    assert pain_text(session) == "5 -> 2 better"
    assert back_averages([session]) == PainAverages(None, None, 0)
    found = advisories(daily(one(0, 4, 6), one(0, 5, 7)), now=NOW)
    assert [(a.id, a.title, a.score) for a in found] == [
        (ID_WORSE_TWICE, TITLE_WORSE_TWICE, "pain")
    ]
    assert found[0].message.startswith(
        "Your last two sessions ended 2 and 2 points worse than they started (pain 4 to 6, "
        "then 5 to 7). Book"
    )


def test_the_history_names_both_scores() -> None:
    session = two(1, (7, 4), (4, 4), morning_pain=3, morning_back=5)
    assert pain_text(session) == "leg 7 -> 4 better, back 4 -> 4 no clear change"
    assert morning_text(session) == "leg 3, back 5"
    assert pain_text(two(1, (6, None), (None, None))) == "leg 6 -> -"


def test_the_main_average_reads_the_one_score_and_the_leg_score_and_says_how_many_of_each() -> None:
    sessions = daily(one(0, 6, 4), one(0, 6, None), two(0, (5, 3), (4, 6)), two(0, (4, 2), (3, 3)))
    main = pain_averages(sessions)
    assert main == PainAverages(5.0, 3.0, 3, leg_sessions=2)
    assert main_score_name(main) == "mixed"
    assert back_averages(sessions) == PainAverages(3.5, 4.5, 2)
    assert main_score_name(pain_averages(sessions[:2])) == "pain"
    assert main_score_name(pain_averages(sessions[2:])) == "leg pain"


def test_back_points_come_from_two_score_sessions_only() -> None:
    sessions = daily(one(0, 6, 4), two(0, (5, 3), (4, 6), morning_back=5))
    points = back_points(sessions, tz=UTC)
    assert [(p.before, p.after, p.morning) for p in points] == [(4, 6, 5)]


# -- advisories on each line -------------------------------------------------------------------


def test_back_pain_ending_worse_twice_is_its_own_advisory_naming_the_back() -> None:
    found = advisories(daily(two(0, (6, 4), (3, 5)), two(0, (6, 4), (4, 7))), now=NOW)
    assert [(a.id, a.score) for a in found] == [(f"back-{ID_WORSE_TWICE}", "back")]
    assert found[0].title == "Two sessions in a row ended with worse back pain"
    assert found[0].message.startswith(
        "Your back pain ended 2 and 3 points worse than it started in your last two sessions "
        "(3 to 5, then 4 to 7)."
    )
    assert "GP or a physiotherapist" in found[0].message


def test_leg_pain_ending_worse_twice_names_the_leg() -> None:
    found = advisories(daily(two(0, (3, 5), (3, 3)), two(0, (4, 6), (4, 4))), now=NOW)
    assert [(a.id, a.score) for a in found] == [(ID_WORSE_TWICE, "leg")]
    assert found[0].title == "Two sessions in a row ended with worse leg pain"
    assert "Your leg pain ended 2 and 2 points worse" in found[0].message


def test_a_rule_reading_one_score_then_a_leg_score_says_so() -> None:
    found = advisories(daily(one(0, 3, 5), two(0, (4, 6), (4, 4))), now=NOW)
    assert [(a.id, a.title) for a in found] == [(ID_WORSE_TWICE, TITLE_WORSE_TWICE)]
    assert "(pain 3 to 5, then 4 to 6)" in found[0].message
    assert MIXED_NOTE in found[0].message


def test_one_worse_on_each_score_is_not_two_in_a_row() -> None:
    # The rules apply to each score on its own: leg worse then back worse is neither twice.
    assert advisories(daily(two(0, (3, 5), (3, 3)), two(0, (4, 4), (4, 6))), now=NOW) == []


def test_back_pain_rising_is_read_on_the_back_line_alone() -> None:
    sessions = daily(*(two(0, (6, 4), (back, back)) for back in (2, 3, 3, 4, 4)))
    found = advisories(sessions, now=NOW)
    assert [a.id for a in found] == [f"back-{ID_RISING}"]
    assert found[0].title == "Your back pain is trending up"
    assert "Your back pain before your last 5 sessions was 2, 3, 3, 4, 4" in found[0].message


def test_six_weeks_without_improvement_in_back_pain_while_leg_pain_improved() -> None:
    sessions = [
        two(1, (7, 6), (5, 5), days_ago=45),
        two(2, (6, 5), (5, 5), days_ago=20),
        two(3, (3, 2), (5, 4), days_ago=2),
    ]
    found = advisories(sessions, now=NOW)
    assert [a.id for a in found] == [f"back-{ID_NO_TWO_POINTS}", f"back-{ID_NOT_BETTER}"]
    assert found[0].title == "No 2-point improvement in back pain after 6 weeks"
    assert "since your first session with a back pain score" in found[0].message
    assert "Your back pain before sessions was 5 then and is 5 on average" in found[0].message
    assert found[1].title == "Back pain not better after 6 weeks"
    assert "your back pain is not clearly better: 5 before your first scored" in found[1].message


def test_six_week_rules_stay_quiet_for_a_score_that_is_now_low() -> None:
    # SAFETY.md 2 tier C: recent back pain 0 to 2 is not told it failed to improve, while the
    # leg, still at 5, is.
    sessions = [
        two(1, (5, 5), (2, 2), days_ago=45),
        two(2, (5, 5), (2, 1), days_ago=20),
        two(3, (5, 5), (2, 2), days_ago=2),
    ]
    found = advisories(sessions, now=NOW)
    assert [(a.id, a.score) for a in found] == [(ID_NO_TWO_POINTS, "leg"), (ID_NOT_BETTER, "leg")]
    assert found[1].title == "Leg pain not better after 6 weeks"


def test_the_six_week_clock_runs_through_a_change_from_one_score_to_two() -> None:
    # The main line goes on across the switch: a person 7 weeks in, still at 6, is told.
    sessions = [
        one(1, 6, 6, days_ago=49),
        two(2, (6, 6), (2, 2), days_ago=3),
    ]
    found = advisories(sessions, now=NOW)
    assert [a.id for a in found] == [ID_NO_TWO_POINTS, ID_NOT_BETTER]
    assert all(MIXED_NOTE in a.message for a in found)
    assert "It is 49 days since your first session with a pain score" in found[0].message


# -- the dose over time (SAFETY.md 6) ----------------------------------------------------------


def dosed(id: int, routine: str, options: dict[str, object]) -> SessionRecord:
    return replace(one(id, 4, 3, days_ago=10 - id), routine=routine, options=options)


def test_doses_are_read_from_the_session_options_oldest_first() -> None:
    sessions = [
        dosed(1, "glute-ball", {"dose": 5, "dose_source": "journal"}),
        dosed(2, "glute-ball", {}),  # an old session, or a fixed-length routine
        dosed(3, "glute-ball", {"dose": True}),  # not a number
        dosed(4, "glute-ball", {"dose": 6, "dose_source": "journal"}),
        dosed(5, "foam-roller-back", {"dose": 5.5, "dose_source": "odd"}),
        dosed(6, "glute-ball", {"dose": 3, "dose_source": "shortest"}),
        replace(dosed(7, "glute-ball", {"dose": 9}), preview=True),
    ]
    doses = dose_history.doses(sessions)
    assert [(d.session_id, d.minutes, d.source) for d in doses] == [
        (1, 5.0, "journal"),
        (4, 6.0, "journal"),
        (5, 5.5, None),
        (6, 3.0, "shortest"),
    ]
    routines = dose_history.by_routine(doses)
    assert list(routines) == ["foam-roller-back", "glute-ball"]
    lines = [dose_history.routine_line(name, given) for name, given in routines.items()]
    assert lines == [
        "foam-roller-back: 5.5; latest 5.5",
        "glute-ball: 5, 6, 3 (shortest); latest 3",
    ]


def test_a_long_dose_history_lists_the_recent_ones_and_runs_join_equal_doses() -> None:
    sessions = [
        dosed(i, "glute-ball", {"dose": 5 + i // 4, "dose_source": "journal"}) for i in range(12)
    ]
    given = dose_history.doses(sessions)
    line = dose_history.routine_line("glute-ball", given)
    assert line == "glute-ball: ..., 5, 5, 6, 6, 6, 6, 7, 7, 7, 7; latest 7"
    runs = dose_history.runs(given)
    assert [(r.minutes, r.sessions) for r in runs] == [(5, 4), (6, 4), (7, 4)]
    chosen = dosed(20, "glute-ball", {"dose": 8, "dose_source": "minutes"})
    assert dose_history.routine_line("glute-ball", dose_history.doses([chosen])) == (
        "glute-ball: 8 (your choice); latest 8"
    )


def test_the_report_lists_the_latest_changes_of_a_dose_that_changed_very_often() -> None:
    from sciatica_cli.journal.report import MAX_DOSE_ROWS, ReportData, render_report

    sessions = [
        replace(one(i, 4, 3, days_ago=100 - i), options={"dose": 5 + i % 2}) for i in range(100)
    ]
    page = render_report(ReportData(NOW, UTC, sessions, [], [], [], []))
    dose = page.split('<section id="dose">')[1].split("</section>")[0]
    assert f"glute-ball: latest 6 minutes an area (its last {MAX_DOSE_ROWS} of 100 changes" in dose
    assert dose.count("<tr data-minutes=") == MAX_DOSE_ROWS
    assert "not recorded" in dose  # no dose_source: the report does not guess one


def test_the_report_names_both_scores_of_a_two_score_check_in_note() -> None:
    from sciatica_cli.journal.records import CheckinRecord
    from sciatica_cli.journal.report import ReportData, render_report

    sessions = [one(1, 5, 4, days_ago=3), two(2, (5, 3), (4, 4), days_ago=2)]
    checkins = [
        CheckinRecord(1, 1, NOW - timedelta(days=2, hours=10), 4, "slept badly"),
        CheckinRecord(2, 2, NOW - timedelta(days=1, hours=10), 3, "stiff back", back_pain=6),
    ]
    page = render_report(ReportData(NOW, UTC, sessions, checkins, [], [], []))
    notes = page.split('<section id="notes">')[1].split("</section>")[0]
    assert "Next-morning check-in, pain 4, after Glute ball" in notes
    assert "Next-morning check-in, leg pain 3, back pain 6, after Glute ball" in notes
