"""Reading a routine file: a regular file only, never more than ``MAX_BYTES``, never a wait.

A FIFO would block a read until someone writes to it, and a link to ``/dev/zero`` never ends.
So the file is opened without blocking, checked to be a regular file (a link to one is fine)
both before and after opening, its size checked before reading, and the read itself stops
after ``MAX_BYTES + 1`` bytes in case the file grows meanwhile. Light: no pydantic, no yaml.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sciatica_cli.errors import InvalidRoutine, Problem
from sciatica_cli.text import visible

MAX_BYTES = 1024 * 1024
_LIMIT = "routine files are limited to 1 MiB"
# O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str | None:
    """None for a regular file; otherwise what it is, in words (``a FIFO``, ``a directory``)."""
    if stat.S_ISREG(mode):
        return None
    return next((words for test, words in _KINDS if test(mode)), "a special file")


def not_regular(kind: str) -> str:
    """The one sentence for a routine path that holds something other than a regular file."""
    return f"not a regular file ({kind})"


def non_file_at(path: Path) -> str | None:
    """What stands at ``path`` if it is there but is not a regular file (links followed)."""
    try:
        return kind_of(path.stat().st_mode)
    except OSError:
        return None  # nothing there (or a dangling link): a file can be written


def read_routine_bytes(path: Path) -> bytes:
    """The bytes of routine file ``path``; :class:`InvalidRoutine` with one problem if it is
    missing, not a regular file, unreadable or larger than ``MAX_BYTES``."""
    label = visible(str(path))
    try:
        kind = kind_of(path.stat().st_mode)
        if kind is not None:
            raise InvalidRoutine([Problem(label, not_regular(kind))])
        fd = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        raise InvalidRoutine([Problem(label, "no such file")]) from None
    except OSError as err:
        raise InvalidRoutine([Problem(label, f"cannot be read: {err.strerror}")]) from None
    try:
        return _read_open(fd, label)
    except OSError as err:
        raise InvalidRoutine([Problem(label, f"cannot be read: {err.strerror}")]) from None
    finally:
        os.close(fd)


def _read_open(fd: int, label: str) -> bytes:
    info = os.fstat(fd)
    kind = kind_of(info.st_mode)  # the path may have been swapped since it was checked
    if kind is not None:
        raise InvalidRoutine([Problem(label, not_regular(kind))])
    if info.st_size > MAX_BYTES:
        raise InvalidRoutine([Problem(label, f"the file is {info.st_size:,} bytes; {_LIMIT}")])
    chunks: list[bytes] = []
    left = MAX_BYTES + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    if left <= 0:
        raise InvalidRoutine(
            [Problem(label, f"the file grew past 1 MiB while being read; {_LIMIT}")]
        )
    return b"".join(chunks)


def read_routine_text(path: Path) -> str:
    """Read a routine file as text, refusing what :func:`read_routine_bytes` refuses and
    non-UTF-8 files with a clear problem."""
    return decode_routine_bytes(read_routine_bytes(path), visible(str(path)))


def decode_routine_bytes(data: bytes, label: str) -> str:
    """The text of a routine file's bytes; a problem at the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        message = f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}); save it as UTF-8"
        raise InvalidRoutine([Problem(label, message, line, column)]) from None
