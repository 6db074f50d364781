"""The session's journal writes, on a thread of their own.

The clock, the keys and the screen never wait for the disk: the recorder hands each record
to :class:`JournalWriter` and goes on. The writer puts it in the journal or, while the journal
refuses it (locked, full, read-only, damaged), in the pending file beside it, which the next
command that opens the journal merges (:mod:`sciatica_cli.journal.durable`). A problem is
reported once, as a one-line warning the screen shows and stderr repeats after the session.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sciatica_cli.errors import SciaticaError

if TYPE_CHECKING:
    from sciatica_cli.journal.durable import DurableWriter

Record = Mapping[str, Any]
SETTLE_SECONDS = 30.0  # at most this long, after a session, to see its records written
RETRY_SECONDS = 2.0  # how often records nothing could take (a full disk) are tried again


class JournalWriter:
    """Writes records in order on a daemon thread; :meth:`close` waits for the last one."""

    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self._records: queue.Queue[Record | None] = queue.Queue()
        self._warnings: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="sciatica-journal", daemon=True)
        self._warned = False
        self._submitted = self._done = 0
        self._progress = threading.Condition()
        self.kept_aside = 0  # records that went to the pending file
        self._held: list[Record] = []  # records nothing could take yet (a full disk): retried
        self._full_warned = False
        self._closing = threading.Event()
        self._thread.start()

    @property
    def unsaved(self) -> int:
        """Records neither the journal nor the pending file has taken yet."""
        return len(self._held)

    def submit(self, record: Record) -> None:
        """Queue ``record``; returns at once, whatever the disk is doing."""
        with self._progress:
            self._submitted += 1
        self._records.put(record)

    def wait_written(self, timeout: float) -> bool:
        """Wait until every record submitted so far is written or kept aside (for tests on a
        fake clock, where a whole session takes milliseconds); False on timeout."""
        with self._progress:
            return self._progress.wait_for(lambda: self._done >= self._submitted, timeout)

    def take_warning(self) -> str | None:
        """The next warning to show, if there is one (safe from any thread)."""
        try:
            return self._warnings.get_nowait()
        except queue.Empty:
            return None

    def close(self, timeout: float = SETTLE_SECONDS) -> bool:
        """Write what is queued (trying records nothing could take again until ``timeout``),
        merge the pending file if the journal is free now, and stop; False if records are
        still unsaved then."""
        self._records.put(None)
        self._thread.join(timeout)
        self._closing.set()  # give up retrying: what is held now cannot be saved
        self._thread.join(1.0)
        return not self._thread.is_alive() and not self._held

    # -- the thread ------------------------------------------------------------------------

    def _run(self) -> None:
        from sciatica_cli.journal.durable import DurableWriter

        # The store's connection belongs to the thread that opens it: open it here.
        writer = DurableWriter.open(self.journal)
        try:
            closed = False
            while not closed or (self._held and not self._closing.is_set()):
                try:
                    wait = RETRY_SECONDS if self._held else None
                    record = self._records.get(timeout=wait) if not closed else None
                    closed = closed or record is None
                except queue.Empty:
                    record = None
                if closed and self._held:
                    self._closing.wait(RETRY_SECONDS / 4)  # a session over: keep trying a while
                self._retry(writer)
                if record is not None:
                    self._write(writer, record)
                    with self._progress:
                        self._done += 1
                        self._progress.notify_all()
            if self.kept_aside:
                writer.settle()  # the journal may be free again: the session whole at once
        finally:
            writer.close()

    def _retry(self, writer: DurableWriter) -> None:
        held, self._held = self._held, []
        for record in held:
            self._write(writer, record)

    def _write(self, writer: DurableWriter, record: Record) -> None:
        if self._held:  # keep the order: nothing overtakes a record still waiting
            self._held.append(record)
            return
        try:
            if writer.write(record):
                return
            self.kept_aside += 1
            if not self._warned:
                self._warn(
                    f"Warning: the journal cannot be written just now ({_reason(writer)}); "
                    f"this session is kept beside it and added when it can be."
                )
        except SciaticaError as err:
            # Neither the journal nor the pending file took it (a full disk): keep it here and
            # try again; space freed before the session ends saves it.
            self._held.append(record)
            if not self._full_warned:
                self._full_warned = True
                self._warn(
                    f"Warning: this session cannot be saved just now ({err.message.rstrip('.')}); "
                    "free some disk space and it will be, before the session ends."
                )

    def _warn(self, text: str) -> None:
        self._warned = True
        self._warnings.put(text)


def _reason(writer: DurableWriter) -> str:
    problem = (writer.problem or "it refused a write").rstrip(".")
    return problem[0].lower() + problem[1:] if problem else problem
