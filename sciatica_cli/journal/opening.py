"""Where the journal lives, and opening it for a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sciatica_cli import paths

if TYPE_CHECKING:
    from sciatica_cli.journal.store import SessionStore

JOURNAL_FILE = "journal.db"  # in paths.data_dir(), which SCIATICA_HOME moves


@contextmanager
def opened(*, reading: bool = False) -> Iterator[SessionStore]:
    """The journal, for commands that read (``reading``) or annotate it."""
    # Imported here: sqlite3 and the store are not needed to parse a command line.
    from sciatica_cli.journal.store import SessionStore

    with SessionStore.open(paths.data_dir() / JOURNAL_FILE, reading=reading) as store:
        yield store
