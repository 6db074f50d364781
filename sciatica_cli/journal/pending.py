"""The pending file: the journal's writes that could not be made yet, kept until they can be.

``journal.pending.jsonl`` beside ``journal.db``: one JSON object a line, only ever appended
to, each line flushed and fsynced before ``append`` returns. A line cut short by a crash
(``kill -9``, a power cut) is not a record: reading skips it, and the next append first ends
it with a newline so the records after it stay whole. Appending and merging hold an exclusive
lock on the file, so a merge never removes a line written while it ran. What the records say
and how they are merged is :mod:`sciatica_cli.journal.replay`; this module knows only lines.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sciatica_cli.errors import SciaticaError

FORMAT = 1  # the "v" of every line; a merge leaves lines of a later format in the file
SUFFIX = ".pending.jsonl"  # journal.db -> journal.pending.jsonl

Record = dict[str, Any]


class PendingError(SciaticaError):
    """The pending file cannot be written or read (the disk full, the folder read-only)."""


def pending_path(journal: Path) -> Path:
    """The pending file of the journal at ``journal``, in the same folder."""
    return journal.with_name(journal.stem + SUFFIX)


def new_record_id() -> str:
    """A record's id, unique without asking anyone: a random UUID as 32 hex digits."""
    import uuid  # here: a command that only reads never needs it

    return uuid.uuid4().hex


@dataclass
class Taken:
    """The records of the file, locked for a merge; :meth:`clear` them once committed."""

    log: PendingLog
    records: list[Record]  # of this sciatica's format, in the order they were written
    later: list[bytes]  # lines of a later format, kept for the sciatica that wrote them
    _fd: int | None

    def clear(self) -> None:
        """Remove the records taken, at once: the file goes, or keeps only ``later`` lines."""
        if self._fd is None:
            return
        try:
            self.log.remove(self._fd, self.later)
        except OSError as exc:
            raise self.log.error("clear", exc) from exc


class PendingLog:
    """The pending file at ``path``: append records, read them back, take them to merge."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, op: Mapping[str, Any]) -> Record:
        """Add one record, durably: written, flushed and fsynced when this returns. ``op``
        needs an ``"op"``; ``"v"`` (the format) and ``"id"`` (a new record id) are added
        unless given. Returns the record as written; PendingError if it could not be."""
        if not isinstance(op.get("op"), str):
            raise ValueError(f"a pending record needs an 'op', not {op!r}")
        record: Record = {"v": FORMAT, "id": new_record_id(), **op}
        line = json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        data = (line + "\n").encode("utf-8")
        try:
            self._append(data)
        except OSError as exc:
            raise self.error("write", exc) from exc
        return record

    def read(self) -> list[Record]:
        """Every whole record in the file, in order, whatever its format; a line cut short or
        damaged is skipped. No file: no records."""
        try:
            content = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise self.error("read", exc) from exc
        return [record for _, record in _records(content)]

    def count(self) -> int:
        """How many records are waiting."""
        return len(self.read())

    @contextmanager
    def taken(self) -> Iterator[Taken]:
        """The file's records, locked against appends until the block ends. Call
        ``clear()`` on what this yields only after they are safely in the journal."""
        try:
            fd = self._open_locked(create=False)
        except FileNotFoundError:
            yield Taken(self, [], [], None)
            return
        except OSError as exc:
            raise self.error("read", exc) from exc
        try:
            try:
                content = _read_all(fd)
            except OSError as exc:
                raise self.error("read", exc) from exc
            records: list[Record] = []
            later: list[bytes] = []
            for line, record in _records(content):
                if record.get("v") == FORMAT:
                    records.append(record)
                else:
                    later.append(line)
            yield Taken(self, records, later, fd)
        finally:
            os.close(fd)  # releases the lock

    def error(self, doing: str, exc: OSError) -> PendingError:
        """The PendingError for an OSError while ``doing`` something to the file."""
        reason = exc.strerror or str(exc)
        return PendingError(f"Cannot {doing} the pending journal file {self.path}: {reason}.")

    def remove(self, fd: int, keep: Sequence[bytes]) -> None:
        """With the lock held on ``fd``: remove the file, or leave only the ``keep`` lines."""
        if os.name != "posix":
            # Windows cannot remove or replace an open file: rewrite it in place.
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            _write_all(fd, b"".join(line + b"\n" for line in keep))
            os.fsync(fd)
            return
        if not keep:
            self.path.unlink()
        else:
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(b"".join(line + b"\n" for line in keep))
            with temporary.open("rb") as handle:
                os.fsync(handle.fileno())
            temporary.replace(self.path)
        _sync_folder(self.path.parent)

    def _append(self, data: bytes) -> None:
        fd = self._open_locked(create=True)
        try:
            size = os.fstat(fd).st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    data = b"\n" + data  # end the line a crash cut short
            try:
                _write_all(fd, data)
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)  # no half line left by a full disk
                raise
            if not size:
                _sync_folder(self.path.parent)  # a new file's name must survive a crash too
        finally:
            os.close(fd)

    def _open_locked(self, *, create: bool) -> int:
        """The file, opened for appending and locked. A merge may remove the file while we
        wait for its lock: then the lock is on a file no longer there, so open it again."""
        flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_BINARY", 0)
        while True:
            fd = os.open(self.path, flags | (os.O_CREAT if create else 0), 0o600)
            try:
                _lock(fd)
                if os.name != "posix" or _same_file(fd, self.path):
                    return fd
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        there = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _records(content: bytes) -> Iterator[tuple[bytes, Record]]:
    """Each whole line of ``content`` that is a record, with the line; the last line counts
    only if it ends with a newline (a crash may have cut it)."""
    lines = content.split(b"\n")
    for line in lines[:-1]:  # the last piece follows the last newline: whole lines only
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # a line a crash cut short, since ended by the next append
        if isinstance(record, dict) and isinstance(record.get("id"), str) and "op" in record:
            yield line, record


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # folders cannot be opened to sync there; NTFS journals its names
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        # Byte 0 stands for the whole file; LK_LOCK retries for about 10 seconds.
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when the file is closed
