"""What ``history stats`` and the report show: the journal read once, the stats applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from sciatica_cli.config import load_settings
from sciatica_cli.journal import advisories, dose_history, stats
from sciatica_cli.journal.export import session_dict
from sciatica_cli.journal.opening import opened
from sciatica_cli.wallclock import local_tz, utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.records import SessionRecord
    from sciatica_cli.journal.store import SessionStore


@dataclass(frozen=True)
class Progress:
    """The figures of ``history stats`` over the last ``len(weeks)`` weeks."""

    tz: tzinfo
    recorded: int  # real sessions in the whole journal: none means the first-use message
    goal: int
    weeks: list[stats.WeekCount]  # sessions held (stats.is_held) against the goal
    streak: int
    sessions: list[SessionRecord]  # real sessions in the window, held or not, oldest first
    minutes: list[tuple[str, float]]
    averages: stats.PainAverages  # the main score: the one score, or the leg score of two
    advisories: list[stats.Advisory]
    points: list[stats.PainPoint]
    # SAFETY.md 4: the back score, for sessions that asked leg and back pain apart.
    back_averages: stats.PainAverages
    back_points: list[stats.PainPoint]
    doses: list[dose_history.SessionDose]  # SAFETY.md 6: minutes an area, oldest first

    @property
    def pain_scores(self) -> str:
        """The window's sessions asked "one" score, "two" (leg and back), or both kinds
        ("mixed"): what the pain lines are called."""
        two = sum(stats.two_scores(s) for s in self.sessions)
        return "two" if two and two == len(self.sessions) else ("mixed" if two else "one")

    @property
    def held(self) -> int:
        """Sessions held in the window: the ones the weeks count."""
        return sum(w.sessions for w in self.weeks)

    @property
    def not_counted(self) -> int:
        """Real sessions in the window with less than half their plan done."""
        return sum(stats.not_counted(s) for s in self.sessions)

    def as_json(self) -> dict[str, Any]:
        """``history stats --json``: the same figures as the terminal view."""
        return {
            "weekly_goal": self.goal,
            "streak_weeks": self.streak,
            "sessions_held": self.held,
            "sessions_not_counted": self.not_counted,
            "weeks": [
                {"start": w.start.isoformat(), "sessions": w.sessions,
                 "minutes": round(w.minutes, 1), "met": w.met}
                for w in self.weeks
            ],
            "minutes_per_area": {area: round(m, 1) for area, m in self.minutes},
            "pain_before_average": self.averages.before,
            "pain_after_average": self.averages.after,
            "pain_average_sessions": self.averages.sessions,
            "pain_average_leg_sessions": self.averages.leg_sessions,
            "pain_scores": self.pain_scores,
            "back_before_average": self.back_averages.before,
            "back_after_average": self.back_averages.after,
            "back_average_sessions": self.back_averages.sessions,
            "advisories": [
                {"id": a.id, "title": a.title, "message": a.message, "score": a.score}
                for a in self.advisories
            ],
            "doses": [dose.as_json(self.tz) for dose in self.doses],
            "sessions": [session_dict(s, self.tz) for s in self.sessions],
        }  # fmt: skip


# The newest sessions the trend rules read: they look back 5 scored sessions or 7 days; the
# first sessions (for the 6-week rules) are fetched on their own. Reading 10,000 records would
# cost more than the rest of the command.
ADVICE_WINDOW = 200


def advice(store: SessionStore, now: datetime) -> list[stats.Advisory]:
    """The trend advisories, reading only the sessions their rules look at."""
    # "or []": in a session the store is guarded, and answers None once it has failed.
    recent = store.sessions(limit=ADVICE_WINDOW) or []
    firsts = [store.real_session(), store.real_session(scored=True)]
    if any(stats.two_scores(s) for s in recent):
        # The back line's first score too, so a long journal's back 6-week rules start from
        # it; looked for only while back scores are recorded (a journal without them would
        # be read through to its end to find none).
        firsts.append(store.real_session(scored="back"))
    chosen = {s.id: s for s in [*recent, *(f for f in firsts if f is not None)]}
    return advisories.advisories(list(chosen.values()), now=now.astimezone(timezone.utc))


def progress(weeks: int, now: datetime | None = None) -> Progress:
    """Read the journal and work out the figures for the last ``weeks`` weeks."""
    tz = local_tz()
    moment = (now or utc_now()).astimezone(timezone.utc)
    goal = load_settings().weekly_goal
    today = moment.astimezone(tz).date()
    start = today - timedelta(weeks=weeks - 1, days=today.weekday())  # a Monday (ISO weeks)
    since = datetime.combine(start, time(), tzinfo=tz).astimezone(timezone.utc)
    with opened(reading=True) as store:
        window = stats.real_sessions(store.sessions(since=since))
        advised = advice(store, moment)
        recorded = store.count_real()
        areas = store.area_seconds(since=since)
        counts = stats.weekly_counts(window, goal=goal, weeks=weeks, today=today, tz=tz)
        # The one streak (today shows it too): counted on back beyond the window if it goes on.
        streak = stats.goal_streak(counts, store, tz=tz)
    return Progress(
        tz=tz, recorded=recorded, goal=goal, weeks=counts, streak=streak,
        sessions=window, minutes=stats.minutes_per_area(areas),
        averages=stats.pain_averages(window),
        advisories=advised,
        points=stats.pain_points(window, tz=tz),
        back_averages=stats.back_averages(window),
        back_points=stats.back_points(window, tz=tz),
        doses=dose_history.doses(window),
    )  # fmt: skip


def report_html(now: datetime | None = None) -> str:
    """The clinician report over the whole journal."""
    from sciatica_cli.journal.report import ReportData, render_report

    tz = local_tz()
    moment = (now or utc_now()).astimezone(tz)
    goal = load_settings().weekly_goal
    with opened(reading=True) as store:
        everything, checkins, screens = store.sessions(), store.checkins(), store.screens()
        advised = advice(store, moment)
    real = stats.real_sessions(everything)
    today = moment.date()
    first = real[0].started_at.astimezone(tz).date() if real else today
    span = today - timedelta(days=today.weekday()) - (first - timedelta(days=first.weekday()))
    weeks = stats.weekly_counts(real, goal=goal, weeks=span.days // 7 + 1, today=today, tz=tz)
    return render_report(ReportData(
        generated_at=moment, tz=tz, sessions=real, checkins=checkins, screens=screens,
        weeks=weeks, advisories=advised,
    ))  # fmt: skip
