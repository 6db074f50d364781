"""A session's writes that are never lost: into the journal while it takes them, otherwise into
the pending file beside it, merged by the next command that opens the journal.

Made for the session's writer (one thread; a store's connection belongs to the thread that
opened it, so open it there with :meth:`DurableWriter.open`). The records to write are made
by :mod:`sciatica_cli.journal.replay` (``start_op``, ``segment_op``, ``finish_op``,
``pain_op``, ``note_op``), each with its own explicit times.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sciatica_cli.errors import SciaticaError
from sciatica_cli.journal.pending import PendingLog, pending_path
from sciatica_cli.journal.replay import Merged, apply, merge_on_open, waiting

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from sciatica_cli.journal.store import SessionStore


class DurableWriter:
    """Writes records to ``store``, or to ``log`` when the store cannot take them (or there
    is no store). Once one record of a session has gone to the pending file, every later
    record of that session follows it there, so the merge applies them in the order made."""

    def __init__(self, store: SessionStore | None, log: PendingLog) -> None:
        self.store, self.log = store, log
        self.problem: str | None = None  # the journal's first failure: warn about it once
        self._diverted: set[str] = set()  # sessions whose records go to the pending file

    @classmethod
    def open(cls, journal: Path, *, now: Callable[[], datetime] | None = None) -> DurableWriter:
        """A writer for the journal at ``journal``, opened (and its pending records merged)
        in the calling thread. If the journal cannot be opened, every record goes to the
        pending file, and ``problem`` says why."""
        from sciatica_cli.journal.store import SessionStore

        log = PendingLog(pending_path(journal))
        try:
            writer = cls(SessionStore.open(journal, now=now), log)
        except SciaticaError as err:
            writer = cls(None, log)
            writer.problem = err.message
        return writer

    def write(self, record: Mapping[str, Any]) -> bool:
        """Write ``record``: True when it is in the journal, False when it was kept in the
        pending file instead. PendingError when neither could take it: that record is lost,
        and the caller should say so."""
        session = str(record["session"])
        if self.store is not None and session not in self._diverted:
            try:
                apply(self.store, record)
                return True
            except SciaticaError as err:  # locked, full, read-only, damaged: keep it for later
                self.problem = self.problem or err.message
        self._diverted.add(session)
        self.log.append(record)
        return False

    def settle(self) -> Merged:
        """Merge the pending file now if the journal takes it (at the end of a session), so
        the session is whole in the journal at once; ``waiting`` counts what still waits."""
        if self.store is None:
            return Merged(waiting=waiting(self.log), problem=self.problem)
        merged = merge_on_open(self.store, reading=False)
        if merged.problem is None:
            self._diverted.clear()  # all of them are in the journal now
        return merged

    def close(self) -> None:
        """Close the journal; every record is already in it or in the pending file."""
        if self.store is not None:
            self.store.close()
