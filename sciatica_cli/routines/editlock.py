"""One edit of a routine at a time: an OS lock held while its editor is open.

The lock is taken on a hidden file beside the routine (``.NAME.edit-lock``, which routine
discovery ignores) with ``flock`` (``msvcrt.locking`` on Windows), so the operating system
lets it go when the edit ends, however it ends, even killed: a draft found while holding the
lock was left by an edit that is no longer running, and can be picked up again.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sciatica_cli.errors import SciaticaError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class RoutineBeingEdited(SciaticaError):
    """Another ``routine edit`` of the same routine is still running."""


def lock_path(folder: Path, name: str) -> Path:
    return folder / f".{name}.edit-lock"


@contextlib.contextmanager
def editing_lock(folder: Path, name: str) -> Iterator[None]:
    """Hold the edit lock of routine ``name`` for the ``with`` block, or raise
    :class:`RoutineBeingEdited` at once (never wait) if another edit holds it."""
    path = lock_path(folder, name)
    fd = _acquire(path, name)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # before the lock goes: a waiting edit then sees a new file
        os.close(fd)


def _acquire(path: Path, name: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(10):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                since = time.strftime("%H:%M", time.localtime(os.fstat(fd).st_mtime))
                raise RoutineBeingEdited(
                    f"{name} is being edited in another window (since {since}); "
                    "finish that edit first"
                )
            if _still_at(path, fd):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())  # and its time is when it began
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # locked a file the edit before us had just removed: try the new one
    raise SciaticaError(f"could not lock {path} for editing; try again")


def _still_at(path: Path, fd: int) -> bool:
    try:
        here, held = path.stat(), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)
