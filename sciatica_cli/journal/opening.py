"""Where the journal lives, and opening it for a command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sciatica_cli import paths

if TYPE_CHECKING:
    from sciatica_cli.journal.replay import Merged
    from sciatica_cli.journal.store import SessionStore

JOURNAL_FILE = "journal.db"  # in paths.data_dir(), which SCIATICA_HOME moves


def journal_path() -> Path:
    """Where the journal is (it may not exist yet)."""
    return paths.data_dir() / JOURNAL_FILE


def to_stderr(message: str) -> None:
    """A line for the person on stderr (looked up when called, so tests can capture it)."""
    print(message, file=sys.stderr)


@contextmanager
def opened(
    *, reading: bool = False, warn: Callable[[str], None] = to_stderr
) -> Iterator[SessionStore]:
    """The journal, for commands that read (``reading``) or annotate it. Records waiting in
    the pending file are merged first; those that cannot be yet are named in one line to
    ``warn``, and the command goes on with what the journal holds."""
    # Imported here: sqlite3 and the store are not needed to parse a command line.
    from sciatica_cli.journal.store import SessionStore

    with SessionStore.open(journal_path(), reading=reading) as store:
        message = merge_message(store.merged)
        if message:
            warn(message)
        yield store


def merge_message(merged: Merged) -> str | None:
    """One line on what opening did with the pending file, when a person should know."""
    if merged.waiting and merged.problem:
        return (
            f"Note: {_records(merged.waiting)} waiting to be written to the journal, which"
            " cannot be written just now; they are kept and added as soon as it can be."
        )
    if merged.waiting:
        return (
            f"Note: {_records(merged.waiting)} waiting for a newer sciatica, which wrote them;"
            " they are kept."
        )
    if merged.rejected:
        one = merged.rejected == 1
        return (
            f"Note: {merged.rejected} waiting {'record' if one else 'records'} could not be added"
            f" to the journal, as {'its' if one else 'their'} session is not in it; kept apart."
        )
    return None


def _records(count: int) -> str:
    return f"{count} record is" if count == 1 else f"{count} records are"
