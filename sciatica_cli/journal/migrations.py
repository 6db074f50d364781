"""The journal's schema and the safe opening of its file; SQL beside store.py, used only by it.

``MIGRATIONS`` is append-only history: step N brings a file to ``PRAGMA user_version`` N.
:func:`connect` refuses a damaged, foreign or newer file before anything could write to it,
and turns SQLite's I/O and corruption errors into StoreError.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sciatica_cli.errors import SciaticaError

BUSY_TIMEOUT_SECONDS = 5.0
# "SCIA" in the file header tells our journal from any other SQLite file.
APPLICATION_ID = 0x53434941

# Each step is one transaction together with its user_version. Never edit a released step (old
# files already ran it): append a new one. Hence literals here, not the constants above.
_V1 = (
    "PRAGMA application_id = 1396918593",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        routine TEXT NOT NULL,
        title TEXT NOT NULL,
        options TEXT NOT NULL,
        preview INTEGER NOT NULL CHECK (preview IN (0, 1)),
        status TEXT NOT NULL
            CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
        stop_reason TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        planned_seconds REAL NOT NULL,
        done_seconds REAL NOT NULL DEFAULT 0,
        pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL
    )""",
    "CREATE INDEX sessions_by_start ON sessions (started_at)",
    "CREATE INDEX sessions_running ON sessions (status) WHERE status = 'running'",
    # The primary key's index serves "segments by session" in position order.
    """CREATE TABLE segments (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('setup', 'step', 'switch', 'rest')),
        title TEXT NOT NULL,
        step_number INTEGER NOT NULL,
        side TEXT,
        area TEXT,
        planned_seconds REAL NOT NULL,
        outcome TEXT CHECK (outcome IN ('done', 'skipped', 'stopped')),
        done_seconds REAL,
        started_at TEXT,
        ended_at TEXT,
        PRIMARY KEY (session_id, position)
    )""",
    """CREATE TABLE screens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answered_at TEXT NOT NULL,
        answers TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('clear', 'urgent', 'emergency')),
        assessed INTEGER NOT NULL CHECK (assessed IN (0, 1))
    )""",
    """CREATE TABLE contraindications (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answered_at TEXT NOT NULL,
        answers TEXT NOT NULL
    )""",
)
# Version 2: the journal's notes and next-morning check-ins, and an index for --routine.
_V2 = (
    "ALTER TABLE sessions ADD COLUMN note TEXT",
    """CREATE TABLE checkins (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        recorded_at TEXT NOT NULL,
        pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
        note TEXT
    )""",
    "CREATE INDEX checkins_by_session ON checkins (session_id, recorded_at)",
    "CREATE INDEX sessions_by_routine ON sessions (routine, started_at)",
)
# Version 3: records kept in the pending file (pending.py) are merged once. A session carries the
# id its writer made before any row existed; each merged record's id is kept, with its outcome.
_V3 = (
    "ALTER TABLE sessions ADD COLUMN uid TEXT",
    "CREATE UNIQUE INDEX sessions_by_uid ON sessions (uid)",
    """CREATE TABLE pending_merges (
        record_id TEXT PRIMARY KEY,
        merged_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'rejected')),
        detail TEXT
    ) WITHOUT ROWID""",
)
# Version 4 (SAFETY.md 4): leg pain and back pain, each on its own. A session keeps how many
# scores it was recorded with; with 'two', pain_before/pain_after and a check-in's pain are
# the leg's. Older sessions stay single scores.
_V4 = (
    "ALTER TABLE sessions ADD COLUMN pain_scores TEXT NOT NULL DEFAULT 'one'"
    " CHECK (pain_scores IN ('one', 'two'))",
    "ALTER TABLE sessions ADD COLUMN back_before INTEGER CHECK (back_before BETWEEN 0 AND 10)",
    "ALTER TABLE sessions ADD COLUMN back_after INTEGER CHECK (back_after BETWEEN 0 AND 10)",
    "ALTER TABLE checkins ADD COLUMN back_pain INTEGER CHECK (back_pain BETWEEN 0 AND 10)",
)
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4)


class StoreError(SciaticaError):
    """The journal cannot be used: damaged, newer, or in a place that cannot be written."""


def connect(path: Path, *, reading: bool = False) -> sqlite3.Connection:
    """A connection to the journal at ``path``, created or upgraded to the latest version.

    Raises StoreError, with the file left exactly as it was, if it is damaged, not a journal,
    or from a newer sciatica; and if its folder cannot be created or written. ``reading`` is
    for commands that only read: they skip the full integrity scan and the write test, which
    cost time in proportion to the journal's size. Rows come back as ``sqlite3.Row``.
    """
    prepare_folder(path)
    # MIGRATIONS is read on each call, so a test can patch migrations.MIGRATIONS.
    if path.exists() or path.is_symlink():
        inspect(path, MIGRATIONS, thorough=not reading)
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot write the journal {path}: {exc}.") from exc
    try:
        with sqlite_errors(path, "write"):
            db.execute("PRAGMA foreign_keys = ON")
            use_wal(db, path)
        migrate(db, path, MIGRATIONS)
        if not reading:
            check_writable(db, path)
    except BaseException:
        db.close()
        raise
    db.row_factory = sqlite3.Row
    return db


def prepare_folder(path: Path) -> None:
    """Create the journal's folder if needed; StoreError, naming any file in the way, if not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        folders = (path.parent, *path.parent.parents)
        blocker = next((p for p in folders if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror or str(exc)
        raise StoreError(f"Cannot create the journal {path}: {reason}.") from exc


def inspect(path: Path, steps: Sequence[Sequence[str]], *, thorough: bool = True) -> None:
    """Refuse a damaged, foreign or newer file before anything could write to it.

    ``steps`` is the migration history this sciatica knows; a file past its end is newer.
    Without ``thorough`` the full integrity scan is skipped unless a migration is due: for
    opens that only read, where a damaged page still surfaces as a StoreError when read.
    """
    if not path.is_file():
        raise StoreError(f"Cannot open the journal {path}: it is not a file.")
    if path.stat().st_size == 0:
        return  # SQLite treats an empty file as an empty database
    # Read-only: no hot-journal rollback, no WAL checkpoint on close, so the bytes stay as they are.
    uri = path.absolute().as_uri() + "?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot read the journal {path}: {exc}.") from exc
    try:
        with sqlite_errors(path, "read"):
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            app_id = int(db.execute("PRAGMA application_id").fetchone()[0])
            objects = int(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
            scan = thorough or version < len(steps)
            if scan and db.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                raise StoreError(_damaged(path))
    finally:
        db.close()
    if (version == 0 and objects) or (version > 0 and app_id != APPLICATION_ID):
        raise StoreError(
            f"{path} is not a sciatica journal, so it was left as it is:"
            " move it away to start a new journal."
        )
    if version > len(steps):
        raise StoreError(
            f"{path} was written by a newer sciatica (journal version {version}, this one"
            f" knows {len(steps)}), so it was left as it is: upgrade sciatica to use it."
        )


def use_wal(db: sqlite3.Connection, path: Path) -> None:
    """Switch ``db`` to write-ahead logging, waiting up to the busy timeout for the file."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            # The switch needs the file to itself and SQLite does not wait for it, so we do.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
            continue
        if mode != "wal":
            raise StoreError(f"Cannot use write-ahead logging for the journal {path}.")


def check_writable(db: sqlite3.Connection, path: Path) -> None:
    """StoreError now if ``db`` cannot be written; the test write is rolled back."""
    # A read-only file opens and reads fine: find out now, not once the session is under way.
    with sqlite_errors(path, "write"):
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(f"PRAGMA user_version = {_user_version(db)}")  # a write, rolled back
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")


def migrate(db: sqlite3.Connection, path: Path, steps: Sequence[Sequence[str]]) -> None:
    """Apply the ``steps`` past the file's user_version, each in one transaction with its record.

    A failing step is rolled back and raises StoreError; the steps before it stay applied.
    """
    for version, statements in enumerate(steps, start=1):
        if _user_version(db) >= version:
            continue
        try:
            db.execute("BEGIN IMMEDIATE")
            # Another process may have applied this step while we waited for the lock.
            if _user_version(db) < version:
                for statement in statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StoreError(
                f"Could not upgrade the journal {path} to version {version} ({exc}),"
                f" so it stays at version {version - 1}."
            ) from exc


def _user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


@contextmanager
def sqlite_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn SQLite's I/O and corruption errors into StoreError; a bug's errors pass through."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise StoreError(f"Cannot {doing} the journal {path}: {exc}.") from exc
    except sqlite3.DatabaseError as exc:
        if type(exc) is not sqlite3.DatabaseError:
            raise  # IntegrityError, ProgrammingError...: our mistake, not the file's
        raise StoreError(_damaged(path)) from exc


def _damaged(path: Path) -> str:
    return (
        f"{path} is damaged or is not a database, so it was left as it is:"
        " move it away to start a new journal."
    )
