"""What a session writes to the journal, and the journal with a safety catch around it.

A broken journal costs the record, never the session: :class:`SessionJournal` turns the first
failure (a full disk, a lock held too long) into one warning and records nothing after it.
:class:`Recorder` is the only writer of a session's rows: its start, each segment, the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sciatica_cli.errors import SciaticaError
from sciatica_cli.wallclock import utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.records import (
        ContraindicationRecord,
        ScreenRecord,
        SessionRecord,
    )
    from sciatica_cli.journal.stats import Advisory
    from sciatica_cli.journal.store import SessionStore
    from sciatica_cli.routines.planner import Plan
    from sciatica_cli.session.options import StartOptions
    from sciatica_cli.session.player import SegmentEnded

T = TypeVar("T")
Warn = Callable[[str], None]


class SessionJournal:
    """The journal during a session. After its first failure it warns once and then answers
    every read with nothing and ignores every write, so the session carries on."""

    def __init__(self, store: SessionStore, warn: Warn) -> None:
        self._store, self._warn, self._failed = store, warn, False

    def _run(self, action: Callable[[SessionStore], T], default: T) -> T:
        if self._failed:
            return default
        try:
            return action(self._store)
        except SciaticaError as err:
            self._failed = True
            self._warn(f"Warning: {err.message} The rest of this session is not recorded.")
            return default

    def close(self) -> None:
        self._store.close()

    # -- what the safety questions read and write (safety.screening.SafetyRecords) ----------

    def last_screen(self) -> ScreenRecord | None:
        return self._run(lambda s: s.last_screen(), None)

    def last_finished_session(self) -> SessionRecord | None:
        return self._run(lambda s: s.last_finished_session(), None)

    def record_screen(self, answers: Mapping[str, bool], *, result: str, assessed: bool) -> int:
        return self._run(lambda s: s.record_screen(answers, result=result, assessed=assessed), 0)

    def contraindications(self) -> ContraindicationRecord | None:
        return self._run(lambda s: s.contraindications(), None)

    def record_contraindications(self, answers: Mapping[str, bool]) -> None:
        self._run(lambda s: s.record_contraindications(answers), None)

    # -- the session's own rows ---------------------------------------------------------------

    def mark_interrupted(self) -> list[int]:
        return self._run(lambda s: s.mark_interrupted(), [])

    def advice(self, now: datetime) -> list[Advisory]:
        """The trend advisories (SAFETY.md 2 tier C and 4), as ``history stats`` shows them."""
        from sciatica_cli.journal.progress import advice

        return self._run(lambda s: advice(s, now), [])

    def write(self, action: Callable[[SessionStore], T], default: T) -> T:
        """Run one write on the store, guarded like every other call."""
        return self._run(action, default)


def open_session_journal(warn: Warn) -> SessionJournal | None:
    """The journal for a session; any problem opening it becomes a warning (the session runs)."""
    from sciatica_cli import paths
    from sciatica_cli.journal.opening import JOURNAL_FILE
    from sciatica_cli.journal.store import SessionStore

    try:
        opened = SessionStore.open(paths.data_dir() / JOURNAL_FILE)
    except SciaticaError as err:
        warn(f"Warning: {err.message} This session will not be recorded.")
        return None
    journal = SessionJournal(opened, warn)
    interrupted = journal.mark_interrupted()
    if interrupted:
        many = "sessions were" if len(interrupted) > 1 else "session was"
        warn(
            f"Note: {len(interrupted)} earlier {many} cut off before the end; "
            "the journal marks them as interrupted."
        )
    return journal


class Recorder:
    """Writes one session: begun with its plan, each segment as it ends, then how it ended.

    With no journal, or when the session is not to be recorded, it only keeps the seconds done.
    """

    def __init__(self, journal: SessionJournal | None, record: bool) -> None:
        self.journal = journal if record else None
        self.session_id: int | None = None
        self.pain_before: int | None = None
        self.done: dict[int, float] = {}  # seconds spent per segment (a replayed one: its last run)
        self._started: dict[int, datetime] = {}

    @property
    def done_seconds(self) -> float:
        return sum(self.done.values())

    def begin(self, plan: Plan, options: StartOptions, pain_before: int | None) -> None:
        self.pain_before = pain_before
        if self.journal is None:
            return
        from sciatica_cli.journal.records import PlannedSegment

        segments = [
            PlannedSegment(i, s.kind, s.title, s.step_number, s.side, s.area, s.seconds)
            for i, s in enumerate(plan.segments)
        ]
        settings = {k: v for k, v in asdict(options).items() if k not in ("name", "pain_before")}
        started = self.journal.write(
            lambda s: s.start_session(
                routine=plan.name,
                title=plan.title,
                options=settings,
                planned_seconds=plan.total,
                preview=options.preview,
                segments=segments,
                pain_before=pain_before,
            ),
            None,
        )
        self.session_id = started

    def segment_started(self, index: int) -> None:
        self._started[index] = utc_now()

    def segment_ended(self, ended: SegmentEnded) -> None:
        self.done[ended.index] = ended.done_seconds
        if self.journal is None or self.session_id is None:
            return
        now, session_id = utc_now(), self.session_id
        started = self._started.get(ended.index, now)
        self.journal.write(
            lambda s: s.record_segment(
                session_id,
                ended.index,
                outcome=ended.outcome,
                done_seconds=ended.done_seconds,
                started_at=started,
                ended_at=now,
            ),
            None,
        )

    def finish(self, status: str, reason: str | None) -> None:
        if self.journal is not None and (session_id := self.session_id) is not None:
            self.journal.write(
                lambda s: s.finish_session(session_id, status=status, stop_reason=reason), None
            )

    def note(self, text: str | None) -> None:
        if self.journal is not None and (session_id := self.session_id) is not None and text:
            self.journal.write(lambda s: s.set_note(session_id, text), None)

    def pain_after(self, after: int | None) -> None:
        session_id = self.session_id
        if self.journal is not None and session_id is not None and after is not None:
            self.journal.write(lambda s: s.set_pain(session_id, after=after), None)
