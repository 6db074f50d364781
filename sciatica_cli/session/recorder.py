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
    from sciatica_cli.session.writer import JournalWriter

T = TypeVar("T")
Warn = Callable[[str], None]


class SessionJournal:
    """The journal around a session, for the questions before and the advice after (the
    session's own records go through the :class:`Recorder`'s writer thread). After its first
    failure it warns once and then answers every read with nothing and ignores every write,
    so the session carries on."""

    def __init__(self, store: SessionStore, warn: Warn) -> None:
        self._store, self._warn, self._failed = store, warn, False
        self.path = store.path

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


def open_session_journal(warn: Warn) -> SessionJournal | None:
    """The journal for a session; any problem opening it becomes a warning (the session runs)."""
    from sciatica_cli.journal.opening import journal_path
    from sciatica_cli.journal.store import SessionStore

    try:
        opened = SessionStore.open(journal_path())
    except SciaticaError as err:
        # The session's own records still go to the pending file beside it (session/writer).
        warn(
            f"Warning: {err.message} This session is kept beside the journal and added to it "
            "once the journal can be opened."
        )
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

    Each write is a record with its own time, handed to the :class:`JournalWriter` thread, so
    nothing here waits for the disk. Without a writer (``--no-history``, no journal folder) it
    only keeps the seconds done.
    """

    def __init__(self, writer: JournalWriter | None) -> None:
        self.writer = writer
        self.uid: str | None = None  # the session, once begun
        self.pain_before: int | None = None  # the leg's with two scores
        self.back_before: int | None = None
        self.pain_scores = "one"  # SAFETY.md 4: or "two", leg and back each on its own
        self.done: dict[int, float] = {}  # seconds spent per segment (a replayed one: its last run)
        self._started: dict[int, datetime] = {}
        self._warnings: list[str] = []
        self._closed = False

    @property
    def recording(self) -> bool:
        return self.writer is not None and self.uid is not None

    @property
    def unsaved(self) -> int:
        """Records nothing could take yet (a full disk): the writer is still trying."""
        return self.writer.unsaved if self.writer is not None else 0

    @property
    def done_seconds(self) -> float:
        return sum(self.done.values())

    def begin(
        self,
        plan: Plan,
        options: StartOptions,
        pain_before: int | None,
        *,
        back_before: int | None = None,
        pain_scores: str = "one",
    ) -> None:
        """Record the session's start: its plan, options and pain before (with two scores,
        ``pain_before`` is the leg's and ``back_before`` the back's)."""
        self.pain_before, self.back_before, self.pain_scores = pain_before, back_before, pain_scores
        if self.writer is None:
            return
        from sciatica_cli.journal.records import PlannedSegment
        from sciatica_cli.journal.replay import new_uid, start_op

        segments = [
            PlannedSegment(i, s.kind, s.title, s.step_number, s.side, s.area, s.seconds)
            for i, s in enumerate(plan.segments)
        ]
        # The pain scores have columns of their own.
        stored = ("name", "pain_before", "back_pain_before")
        settings = {k: v for k, v in asdict(options).items() if k not in stored}
        # The dose this session ran at, read back by history stats and journal/dose.py.
        if plan.options.dose is not None:
            settings["dose"] = plan.options.dose
        if plan.options.dose_source is not None:
            settings["dose_source"] = plan.options.dose_source
        self.uid = new_uid()
        self.writer.submit(
            start_op(
                self.uid,
                routine=plan.name,
                title=plan.title,
                options=settings,
                planned_seconds=plan.total,
                preview=options.preview,
                segments=segments,
                pain_before=pain_before,
                started_at=utc_now(),
                pain_scores=pain_scores,
                back_before=back_before,
            )
        )

    def segment_started(self, index: int) -> None:
        self._started[index] = utc_now()

    def segment_ended(self, ended: SegmentEnded) -> None:
        self.done[ended.index] = ended.done_seconds
        if self.writer is None or self.uid is None:
            return
        from sciatica_cli.journal.replay import segment_op

        now = utc_now()
        self.writer.submit(
            segment_op(
                self.uid,
                ended.index,
                outcome=ended.outcome,
                done_seconds=ended.done_seconds,
                started_at=self._started.get(ended.index, now),
                ended_at=now,
            )
        )

    def finish(self, status: str, reason: str | None) -> None:
        if self.writer is not None and self.uid is not None:
            from sciatica_cli.journal.replay import finish_op

            self.writer.submit(
                finish_op(self.uid, status=status, stop_reason=reason, ended_at=utc_now())
            )

    def note(self, text: str | None) -> None:
        if self.writer is not None and self.uid is not None and text:
            from sciatica_cli.journal.replay import note_op

            self.writer.submit(note_op(self.uid, text, at=utc_now()))

    def pain_after(self, after: int | None, back_after: int | None = None) -> None:
        """The pain after (the leg's with two scores) and the back's, as given."""
        if self.pain_scores != "two":
            back_after = None  # SAFETY.md 4: a session with one score has no back score
        if self.writer is None or self.uid is None or (after is None and back_after is None):
            return
        from sciatica_cli.journal.replay import pain_op

        self.writer.submit(pain_op(self.uid, after=after, back_after=back_after, at=utc_now()))

    def take_warning(self) -> str | None:
        """A one-line warning from the writer, to show now (safe to call often)."""
        warning = self.writer.take_warning() if self.writer is not None else None
        if warning is not None:
            self._warnings.append(warning)
        return warning

    def close(self) -> list[str]:
        """Wait for every record to be written or kept aside; every warning of the session,
        for stderr (the first call only: later ones return nothing)."""
        if self.writer is None or self._closed:
            return []
        self._closed = True
        if not self.writer.close():
            unsaved = self.writer.unsaved
            self._warnings.append(
                f"Warning: {unsaved} record{'s' if unsaved != 1 else ''} of this session could "
                "not be saved: the disk stayed full or the journal busy."
                if unsaved
                else "Warning: the journal is still busy; this session is being written."
            )
        while self.take_warning() is not None:
            pass
        return self._warnings
