"""The next-morning check-in (``sciatica checkin``): SAFETY.md 4, the 24-hour rule.

A morning score belongs to the latest real session that ended on an earlier calendar day and
at most 36 hours before (``safety.pain.morning_belongs_to``), and is compared with that
session's own pain-before score (``safety.pain.morning_verdict``), never with an older
check-in. With no such session nothing is logged. A second check-in for the same session
corrects the first: a session's morning score is its latest check-in. A session recorded with
leg pain and back pain takes both, each judged against its own before; one recorded with one
score takes one, whatever the setting says now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal.stats import is_real
from sciatica_cli.safety.pain import (
    MORNING_WINDOW,
    Morning,
    Score,
    make_scores,
    morning_belongs_to,
    scores_morning,
)
from sciatica_cli.text import visible
from sciatica_cli.wallclock import local_tz, utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.records import CheckinRecord, SessionRecord
    from sciatica_cli.journal.store import SessionStore

NO_SESSION_YET = "there is no session to check in for yet; start one with 'sciatica routine start'"
# Sessions are found by their start; a long session may have started this much before its end.
_LONGEST_SESSION = timedelta(days=1)


class NoSessionForMorning(SciaticaError):
    """No session this morning's score can belong to (SAFETY.md 4); nothing was logged."""


@dataclass(frozen=True)
class Checkin:
    """A next-morning check-in, the session it belongs to, and what it means."""

    session: SessionRecord
    record: CheckinRecord
    verdict: Morning | None  # None: the session has no pain-before score to compare with

    @property
    def scores(self) -> tuple[Score, ...]:
        """Each score of the session with this morning's (SAFETY.md 4: each on its own)."""
        s, r = self.session, self.record
        return make_scores(
            s.pain_scores, s.pain_before, None, s.back_before, None, r.pain, r.back_pain
        )


def morning_session(
    store: SessionStore, *, now: datetime | None = None, tz: tzinfo | None = None
) -> SessionRecord:
    """The session a morning score given ``now`` belongs to: the latest real session that
    ended on an earlier calendar day (in ``tz``) and at most 36 hours before.
    NoSessionForMorning, saying why, when there is none."""
    moment, zone = now or utc_now(), tz or local_tz()
    recent = [
        s for s in store.sessions(since=moment - MORNING_WINDOW - _LONGEST_SESSION) if is_real(s)
    ]
    eligible = [s for s in recent if morning_belongs_to(_ended(s), moment, zone)]
    if eligible:
        return max(eligible, key=lambda s: (_ended(s), s.id))
    raise NoSessionForMorning(_why_none(store, recent, moment, zone))


def log_checkin(
    store: SessionStore,
    pain: int,
    note: str | None,
    *,
    back: int | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    session: SessionRecord | None = None,
) -> Checkin:
    """Log this morning's pain for the session it belongs to (see :func:`morning_session`,
    or ``session`` when already found) and judge each score against that session's own pain
    before (SAFETY.md 4). ``back`` is kept only for a session recorded with two scores."""
    session = session or morning_session(store, now=now, tz=tz)
    if session.pain_scores != "two":
        back = None  # SAFETY.md 4: a session recorded with one score takes one morning score
    record = store.record_checkin(session.id, pain, note, back=back)
    checkin = Checkin(session, record, None)
    return Checkin(session, record, scores_morning(checkin.scores))


def morning_advice(
    checkin: Checkin, *, now: datetime | None = None, tz: tzinfo | None = None
) -> str:
    """What this morning's score means for the next session, naming the session and both
    scores: settled, not settled, or nothing to compare with."""
    name = session_name(checkin.session, now or utc_now(), tz or local_tz())
    given = [s for s in checkin.scores if s.morning is not None]
    if checkin.verdict is None:
        logged = " and ".join(f"{s.morning} ({s.name})" for s in given)
        if len(given) == 1:
            logged = str(given[0].morning)
        return (
            f"Logged {logged} for this morning. There is no pain score from before {name}, so "
            "this morning's pain cannot be compared with it."
        )
    scores = " ".join(
        f"Your {s.name} this morning is {s.morning}; before {name} it was {s.before}."
        if s.before is not None
        else f"Your {s.name} this morning is {s.morning}; there is none from before to compare."
        for s in given
    )
    if checkin.verdict == "settled":
        return f"{scores} It has settled: carry on as planned."
    # SAFETY.md 4, the 24-hour rule on each score: not settled, so the next session is gentler.
    unsettled = [s.name for s in given if s.verdict == "not settled"]
    have = "have" if len(unsettled) > 1 else "has"
    subject = "It has" if len(given) == 1 else f"Your {' and '.join(unsettled)} {have}"
    return (
        f"{scores} {subject} not settled: make the next session gentler, or skip it if the "
        "pain is still high."
    )


def session_name(session: SessionRecord, now: datetime, tz: tzinfo) -> str:
    """``yesterday evening's glute-ball session``: when it started, as a person says it."""
    started = session.started_at.astimezone(tz)
    today = now.astimezone(tz).date()
    day = "yesterday" if started.date() == today - timedelta(days=1) else f"{started:%A}"
    part = "morning" if started.hour < 12 else "afternoon" if started.hour < 17 else "evening"
    return f"{day} {part}'s {visible(session.routine)} session"


def _ended(session: SessionRecord) -> datetime:
    # A real session always has an end; the start stands in for one a journal lost.
    return session.ended_at or session.started_at


def _why_none(store: SessionStore, recent: list[SessionRecord], now: datetime, tz: tzinfo) -> str:
    today = now.astimezone(tz).date()
    if any(_ended(s).astimezone(tz).date() >= today for s in recent):
        return (
            "your last session ended today, and a morning score is for the morning after a "
            "session: check in tomorrow morning (nothing was logged)"
        )
    latest = store.real_session(newest=True)
    if latest is None:
        return NO_SESSION_YET
    ended = _ended(latest).astimezone(tz)
    return (
        f"your last session ended on {ended:%a %d %b} at {ended:%H:%M}, more than 36 hours "
        "ago, so this morning's pain cannot be compared with it (nothing was logged)"
    )
