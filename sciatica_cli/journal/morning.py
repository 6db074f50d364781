"""The next-morning check-in (``sciatica checkin``): SAFETY.md 4, the 24-hour rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal.stats import is_real
from sciatica_cli.wallclock import local_tz, utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.records import CheckinRecord, SessionRecord
    from sciatica_cli.journal.store import SessionStore


@dataclass(frozen=True)
class Checkin:
    """A next-morning check-in and what it means."""

    session: SessionRecord
    record: CheckinRecord
    previous: int | None  # the morning before's pain, for the 24-hour rule


def log_checkin(store: SessionStore, pain: int, note: str | None) -> Checkin:
    """Log next-morning pain for the latest real session."""
    # Interrupted sessions were held too (stats counts them); running and previews were not.
    session = next((s for s in store.sessions(limit=20) if is_real(s)), None)
    if session is None:
        raise SciaticaError(
            "there is no session to check in for yet; start one with 'sciatica routine start'"
        )
    # SAFETY.md 4, the 24-hour rule: compare with the latest check-in of an earlier morning
    # (a second check-in today corrects today's, it is not "the morning before").
    tz = local_tz()
    today = utc_now().astimezone(tz).date()
    earlier = [c for c in store.checkins(limit=10) if c.recorded_at.astimezone(tz).date() < today]
    previous = earlier[0].pain if earlier else None
    return Checkin(session, store.record_checkin(session.id, pain, note), previous)


def morning_advice(previous_morning: int | None, this_morning: int) -> str:
    """SAFETY.md 4: pain from a session must settle within 24 hours. Compare this morning's
    pain with the morning before and say what it means for the next session."""
    if previous_morning is None:
        return f"Logged {this_morning} for this morning. Tomorrow's check-in will compare with it."
    if this_morning > previous_morning:
        # SAFETY.md 4: it did not settle within 24 hours, so the next session must be gentler.
        return (
            f"Your pain this morning is {this_morning}, up from {previous_morning} the morning "
            "before. Pain from a session should settle within 24 hours, so ease off next time: "
            "lighter pressure or less time."
        )
    if this_morning == previous_morning:
        return (
            f"Your pain this morning is {this_morning}, the same as the morning before: "
            "it has settled. Carry on as planned."
        )
    return (
        f"Your pain this morning is {this_morning}, down from {previous_morning} the morning "
        "before. Carry on as planned."
    )
