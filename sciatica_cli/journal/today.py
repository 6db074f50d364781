"""The today view (``sciatica`` and ``sciatica today``): its figures, worked out from one
read-only opening of the journal, and the words for them. No printing.

Each figure is decided where it always is: the next-morning check-in by
:mod:`~sciatica_cli.journal.morning`, the weeks and the streak by
:mod:`~sciatica_cli.journal.stats`, the advisories by :mod:`~sciatica_cli.journal.progress`,
the dose by :mod:`~sciatica_cli.journal.dose`, whether the red-flag screen is due by
:mod:`~sciatica_cli.safety.screening`. Only what those need is read, never the whole journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from sciatica_cli.journal import stats
from sciatica_cli.safety.redflags import EMERGENCY_ADVICE
from sciatica_cli.safety.screening import screen_due_reason, tier_a_standing
from sciatica_cli.text import visible
from sciatica_cli.wallclock import local_tz, utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.store import SessionStore

DEFAULT_ROUTINE = "full"  # the routine of a first session (the README's first example)
ALL_COMMANDS = "All commands: sciatica --help"
SCREEN_COMMAND = "sciatica safety screen"
# The view's day starts at 05:00 local, not midnight: at 00:30 an evening session is still
# tonight's (rest is fine, not "your next session"), and it is not yet the next morning, so a
# check-in is not asked for (a score 40 minutes after a session says nothing of how it settled).
MORNING_STARTS = 5


@dataclass(frozen=True)
class CheckinDue:
    """A next-morning check-in waiting: the session it is for, as a person names it."""

    session_id: int
    session_name: str  # "yesterday evening's glute-ball session"


@dataclass(frozen=True)
class Week:
    """Sessions held this week (stats.is_held) against the goal, and the weeks in a row met."""

    held: int
    goal: int
    streak: int


@dataclass(frozen=True)
class TodayDose:
    """The dose the next session of ``routine`` would use, and the sentence that says why."""

    routine: str
    minutes: float | None  # None: the routine's steps have set lengths
    source: str  # "journal", or "shortest" (after a sharp-pain stop or from pain 6)
    reason: str
    sentence: str


@dataclass(frozen=True)
class ScreenDue:
    """Why the warning-sign questions are due; ``standing``: a tier A answer still stands."""

    reason: str
    standing: bool = False


@dataclass(frozen=True)
class NextStep:
    """The one command to run next, and why that one."""

    command: str
    why: str


@dataclass(frozen=True)
class Today:
    """Everything the today view shows."""

    first_use: bool  # no real session yet: a welcome instead of the week
    checkin: CheckinDue | None
    week: Week
    session_today: bool
    dose: TodayDose | None  # None when the routine cannot be loaded
    advisories: list[stats.Advisory]
    screen: ScreenDue | None
    next: NextStep

    @property
    def screen_standing(self) -> bool:
        """A tier A answer still stands (SAFETY.md 2)."""
        return self.screen is not None and self.screen.standing

    def as_json(self) -> dict[str, Any]:
        """``sciatica today --json``: the same figures as the lines."""
        dose = self.dose
        return {
            "first_use": self.first_use,
            "check_in_due": None if self.checkin is None else {
                "session_id": self.checkin.session_id, "session": self.checkin.session_name,
            },
            "week": {"held": self.week.held, "goal": self.week.goal, "streak": self.week.streak},
            "session_today": self.session_today,
            "screen_due": None if self.screen is None else self.screen.reason,
            "dose": None if dose is None else {
                "routine": dose.routine, "minutes_an_area": dose.minutes,
                "source": dose.source, "reason": dose.reason,
            },
            "advisories": [
                {"id": a.id, "title": a.title, "message": a.message} for a in self.advisories
            ],
            "next": {"command": self.next.command, "why": self.next.why},
        }  # fmt: skip


def today(*, now: datetime | None = None, tz: tzinfo | None = None) -> Today:
    """Open the journal once, read-only, and work out the today view at ``now``."""
    from sciatica_cli.config import load_settings
    from sciatica_cli.journal.opening import journal_path, opened

    moment = (now or utc_now()).astimezone(timezone.utc)
    zone = tz or local_tz()
    goal = load_settings().weekly_goal
    if not journal_path().exists():  # nothing recorded: no need to create the file to say so
        return _welcome(None, goal, moment, zone)
    with opened(reading=True) as store:
        if store.count_real() == 0:
            return _welcome(store, goal, moment, zone)
        return _figures(store, goal, moment, zone)


def _welcome(store: SessionStore | None, goal: int, now: datetime, tz: tzinfo) -> Today:
    screen = _screen(store, now, tz)
    week = Week(0, goal, 0)
    return Today(
        first_use=True, checkin=None, week=week, session_today=False,
        dose=_dose(store, DEFAULT_ROUTINE, now, tz),
        advisories=[], screen=screen,
        next=_next_step(screen, None, week, False, DEFAULT_ROUTINE, first=True),
    )  # fmt: skip


def _figures(store: SessionStore, goal: int, now: datetime, tz: tzinfo) -> Today:
    from sciatica_cli.journal.progress import advice

    latest = store.real_session(newest=True)
    routine = latest.routine if latest is not None else DEFAULT_ROUTINE
    week = _week(store, goal, now, tz)
    local = now.astimezone(tz)
    day = (local - timedelta(hours=MORNING_STARTS)).date()
    session_today = bool(stats.real_sessions(store.sessions(since=_midnight(day, tz))))
    checkin = _checkin_due(store, now, tz) if local.hour >= MORNING_STARTS else None
    screen = _screen(store, now, tz)
    dose = _dose(store, routine, now, tz)
    return Today(
        first_use=False, checkin=checkin, week=week, session_today=session_today,
        dose=dose, advisories=advice(store, now), screen=screen,
        next=_next_step(screen, checkin, week, session_today, routine, loads=dose is not None),
    )  # fmt: skip


def _checkin_due(store: SessionStore, now: datetime, tz: tzinfo) -> CheckinDue | None:
    """SAFETY.md 4, the 24-hour rule: due when the session a morning score would belong to
    now (morning.py decides which) has no check-in yet."""
    from sciatica_cli.journal.morning import NoSessionForMorning, morning_session, session_name

    try:
        session = morning_session(store, now=now, tz=tz)
    except NoSessionForMorning:
        return None
    if session.morning_pain is not None:
        return None
    return CheckinDue(session.id, session_name(session, now, tz))


def _screen(store: SessionStore | None, now: datetime, tz: tzinfo) -> ScreenDue | None:
    """SAFETY.md 2 and 4: why the warning-sign questions are due, by the one rule that
    ``routine start`` follows (safety.screening.screen_due_reason); ``standing``: a tier A
    answer still stands."""
    last = None if store is None else store.last_screen()
    previous = None if store is None else store.last_finished_session()
    reason = screen_due_reason(last, previous, now, tz)
    return None if reason is None else ScreenDue(reason, standing=tier_a_standing(last))


def _week(store: SessionStore, goal: int, now: datetime, tz: tzinfo) -> Week:
    """This week's sessions held (this week's sessions read whole) and the streak (earlier
    weeks counted one at a time by stats.goal_streak, back only as far as the streak reaches)."""
    day = now.astimezone(tz).date()
    monday = day - timedelta(days=day.weekday())
    recent = stats.real_sessions(store.sessions(since=_midnight(monday, tz)))
    this_week = stats.weekly_counts(recent, goal=goal, weeks=1, today=day, tz=tz)
    return Week(this_week[0].sessions, goal, stats.goal_streak(this_week, store, tz=tz))


def _midnight(day: date, tz: tzinfo) -> datetime:
    # In UTC: the local zone's offset is worked out once (each look-up costs two mktime calls).
    return datetime.combine(day, time(), tzinfo=tz).astimezone(timezone.utc)


def _dose(store: SessionStore | None, routine: str, now: datetime, tz: tzinfo) -> TodayDose | None:
    """SAFETY.md 6: the dose the next session of ``routine`` would use, and why (journal/dose.py
    decides it); None when the routine cannot be loaded (deleted or invalid)."""
    from sciatica_cli import paths
    from sciatica_cli.errors import SciaticaError
    from sciatica_cli.journal.dose import journal_dose, next_dose
    from sciatica_cli.journal.opening import journal_path
    from sciatica_cli.routines.library import scan
    from sciatica_cli.routines.listing import CACHE_NAME, load_expanded

    try:
        catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
        # From the validated cache while the files are unchanged: no pydantic, no yaml.
        expanded = load_expanded(catalog, routine, paths.cache_dir() / CACHE_NAME)
    except (SciaticaError, OSError):
        return None
    if store is None:  # no journal yet: the start dose, without making the file
        dose = journal_dose(expanded, now=now, path=journal_path(), tz=tz)
    else:
        dose = next_dose(store, expanded, now=now, tz=tz)
    return TodayDose(routine, dose.minutes, dose.source, dose.reason, dose.sentence())


def _next_step(
    screen: ScreenDue | None,
    checkin: CheckinDue | None,
    week: Week,
    session_today: bool,
    routine: str,
    *,
    first: bool = False,
    loads: bool = True,
) -> NextStep:
    """The one command to run next. SAFETY.md 2: the screen comes first whenever it is due.
    ``loads``: ``routine`` can be loaded (if not, choosing another is next)."""
    if screen is not None:
        return NextStep(SCREEN_COMMAND, screen.reason)
    if first:
        return NextStep(f"sciatica routine start {routine}", "your first session")
    if checkin is not None:
        why = f"how {checkin.session_name} settled decides the next session's dose"
        return NextStep("sciatica checkin", why)
    if session_today:
        return NextStep("sciatica history stats", "you have had a session today: rest is fine")
    if week.held >= week.goal:
        return NextStep("sciatica history stats", "this week's goal is met: rest is fine")
    if not loads:
        why = f"your last routine, {visible(routine)}, cannot be loaded: choose one"
        return NextStep("sciatica routine list", why)
    return NextStep(f"sciatica routine start {visible(routine)}", "your next session")


def lines(view: Today) -> list[tuple[str, str]]:
    """The view as (style, text) lines, in order; the style is a Rich style or ""."""
    out: list[tuple[str, str]] = []
    if view.first_use:
        out.append(("bold", "Welcome to sciatica. There are no sessions in your journal yet."))
    if view.screen_standing:
        out.append(("bold red", EMERGENCY_ADVICE))  # SAFETY.md 2: a tier A answer stands
    if view.checkin is not None:
        out.append((
            "bold",
            f"Check in: how is your pain this morning after {view.checkin.session_name}? "
            "sciatica checkin",
        ))  # fmt: skip
    if not view.first_use:
        out.append(("", _week_line(view.week)))
    if view.dose is not None:
        out.append(("", view.dose.sentence))
    for advisory in view.advisories:
        out.append(("yellow", f"{advisory.title}. {advisory.message}"))
    out.append(("bold", f"Next: {view.next.command} ({view.next.why})"))
    if view.first_use and view.next.command == SCREEN_COMMAND and not view.screen_standing:
        out.append(("", f"Then your first session: sciatica routine start {DEFAULT_ROUTINE}"))
    out.append(("dim", ALL_COMMANDS))
    return out


def _week_line(week: Week) -> str:
    held = f"This week: {week.held} of {week.goal} sessions held"
    if week.held >= week.goal:
        held += ", goal met"
    if week.streak == 0:
        return f"{held}."
    plural = "week" if week.streak == 1 else "weeks"
    return f"{held}. Goal met {week.streak} {plural} in a row."
