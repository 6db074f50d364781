"""The journal's connection and its transactions; the base of ``store.SessionStore``.

A change is one committed transaction of its own, unless it is made inside :meth:`batch`: then
every change in the batch is committed together or not at all (the merge of the pending file),
and each change is a savepoint, so one that fails leaves nothing of itself behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sciatica_cli.journal import migrations
from sciatica_cli.journal.migrations import sqlite_errors
from sciatica_cli.journal.rows import to_text

_Open = TypeVar("_Open", bound="Transactions")


class Transactions:
    """An open journal: its connection, its clock, and how changes are committed."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, now: Callable[[], datetime]
    ) -> None:
        self._db = connection
        self.path = path
        self._now = now
        self._batched = False

    def close(self) -> None:
        """Close the file; every change is already committed."""
        self._db.close()

    def __enter__(self: _Open) -> _Open:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def batch(self, *, wait: float | None = None) -> Iterator[None]:
        """Make every change inside one transaction, committed at the end; on any exception
        nothing of it is kept. ``wait``: seconds to wait for another writer's lock, instead of
        the busy timeout."""
        if self._batched:
            raise RuntimeError("batches do not nest")
        with sqlite_errors(self.path, "write"):
            if wait is not None:
                self._db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._batched = True
                try:
                    yield
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            finally:
                self._batched = False
                if wait is not None:
                    timeout = int(migrations.BUSY_TIMEOUT_SECONDS * 1000)
                    self._db.execute(f"PRAGMA busy_timeout = {timeout}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with sqlite_errors(self.path, "write"):
            if self._batched:
                # Inside a batch: a savepoint, so a change that fails undoes only itself.
                self._db.execute("SAVEPOINT change")
                try:
                    yield self._db
                except BaseException:
                    if self._db.in_transaction:  # SQLite may have rolled it all back already
                        self._db.execute("ROLLBACK TO change")
                        self._db.execute("RELEASE change")
                    raise
                self._db.execute("RELEASE change")
                return
            # IMMEDIATE takes the write lock up front, where the busy timeout can wait for it.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        with sqlite_errors(self.path, "read"):
            row: sqlite3.Row | None = self._db.execute(sql, params).fetchone()
        return row

    def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with sqlite_errors(self.path, "read"):
            return self._db.execute(sql, params).fetchall()

    def _stamp(self, moment: datetime | None = None) -> str:
        return to_text(self._now() if moment is None else moment)
