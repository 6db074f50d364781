"""Signals that end a session: SIGTERM and SIGHUP become an exception, so cleanup runs.

The terminal is given back and the journal records why the session ended, exactly as for
Ctrl-C; the process then exits with the shell's code for the signal (128 + its number).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any


class Terminated(BaseException):
    """The process was asked to end (SIGTERM, SIGHUP); raised so ``finally`` blocks run.

    A ``BaseException``, like ``KeyboardInterrupt``, so ``except Exception`` does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention for death by a signal: 128 + its number."""
        return 128 + self.signum

    def __str__(self) -> str:
        try:
            return f"terminated by {signal.Signals(self.signum).name}"
        except ValueError:
            return f"terminated by signal {self.signum}"


class Suspended(BaseException):
    """Ctrl-Z (SIGTSTP): the session pauses, gives the terminal back, then stops itself."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def _raise_suspended(signum: int, frame: FrameType | None) -> None:
    raise Suspended


def stop_this_process() -> None:
    """Stop as Ctrl-Z would have (SIGSTOP cannot be caught); returns once continued (fg)."""
    if hasattr(signal, "SIGSTOP"):
        os.kill(os.getpid(), signal.SIGSTOP)


@contextlib.contextmanager
def signals_raise_terminated(*, suspend: bool = False) -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP (where the platform has them) raise ``Terminated``
    in the main thread, so cleanup such as ``KeyReader``'s runs; with ``suspend``, SIGTSTP
    raises ``Suspended``. The previous handlers come back on exit. Outside the main thread,
    where Python cannot set handlers, it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Callable[[int, FrameType | None], Any] | int | signal.Handlers | None]
    previous = {}
    try:
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                previous[signum] = signal.signal(signum, _raise_terminated)
        tstp = getattr(signal, "SIGTSTP", None)
        if suspend and tstp is not None:
            previous[tstp] = signal.signal(tstp, _raise_suspended)
        yield
    finally:
        for signum, handler in reversed(previous.items()):
            # None means a handler set outside Python, which cannot be put back: use the default.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
