"""Single keypresses from the terminal, with the terminal always given back as it was.

``KeyReader`` runs a daemon thread that turns what the person presses into key names
("n", "space", "right", "!"...) and hands each to a callback, typically ``queue.Queue.put``.
``decode`` is the pure part, tested without a terminal.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import sys
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, Any

from sciatica_cli.errors import SciaticaError

if sys.platform == "win32":
    import msvcrt
else:
    import termios

# How often the reader thread wakes to look at its stop flag while no key comes.
POLL_SECONDS = 0.2  # Windows only: POSIX sleeps in select() until a key or the wake pipe
# How long a lone ESC waits for the rest of an arrow sequence before it counts as Escape.
ESCAPE_SECONDS = 0.1
# Windows has no select() on the console: kbhit() is polled this often.
WINDOWS_POLL_SECONDS = 0.05
# Upper bound on waiting for the reader thread at exit; it notices the flag within POLL_SECONDS.
JOIN_SECONDS = 1.0

_ESC = "\x1b"
_NAMED_CHARS = {
    " ": "space",
    "\r": "enter",
    "\n": "enter",
    "\t": "tab",
    _ESC: "escape",
    "\x03": "ctrl-c",
    "\x7f": "backspace",
    "\x08": "backspace",
}
_ARROWS = {"A": "up", "B": "down", "C": "right", "D": "left"}
# Console scan codes that follow a "\x00" or "\xe0" prefix from msvcrt.getwch().
_WINDOWS_SCAN_CODES = {"H": "up", "P": "down", "K": "left", "M": "right"}
_WINDOWS_PREFIXES = ("\x00", "\xe0")
# A sequence longer than this is garbage, not a key: drop it rather than wait for more.
_MAX_SEQUENCE = 32


class NotATerminal(SciaticaError, ValueError):
    """Standard input is not a terminal (a pipe, a file), so single keys cannot be read."""


def _char_name(char: str) -> str | None:
    """The key name of one character outside any escape sequence, or None to drop it."""
    named = _NAMED_CHARS.get(char)
    if named is not None:
        return named
    return char if char.isprintable() else None


def _parse_escape(text: str, start: int) -> tuple[int, str | None] | None:
    """Read the escape sequence at ``text[start]``: (end index, key name or None to drop it),
    or None when ``text`` stops before the sequence is complete."""
    if start + 1 >= len(text):
        return None
    kind = text[start + 1]
    if kind == _ESC:
        return start + 1, "escape"  # Escape pressed twice: the second one starts afresh
    if kind not in "[O":
        return start + 2, None  # Alt+key arrives as ESC + key: not a key we use
    index = start + 2
    if kind == "[" and index < len(text) and text[index] == "[":
        index += 1  # the Linux console's F1-F5 are ESC [ [ A..E
    while index < len(text):
        char = text[index]
        if index - start > _MAX_SEQUENCE:
            return index, None
        if "\x20" <= char <= "\x3f":  # parameter and intermediate bytes, as in "1;5"
            index += 1
            continue
        if "\x40" <= char <= "\x7e":  # the final byte names the key
            plain = index == start + 2
            return index + 1, _ARROWS.get(char) if plain else None
        return index, None  # not a sequence after all: drop its start, keep this char
    return None


class KeyDecoder:
    """Turns terminal input into key names across reads, so an arrow key split between two
    reads ("\\x1b[" then "C") still comes out as "right"."""

    def __init__(self) -> None:
        self._pending = ""

    @property
    def pending(self) -> bool:
        """True while the start of an escape sequence waits for the rest of it."""
        return bool(self._pending)

    def feed(self, data: str) -> list[str]:
        """The keys completed by ``data``; an unfinished escape sequence is kept for later."""
        text, self._pending = self._pending + data, ""
        keys: list[str] = []
        index = 0
        while index < len(text):
            if text[index] != _ESC:
                name = _char_name(text[index])
                index += 1
            else:
                parsed = _parse_escape(text, index)
                if parsed is None:
                    self._pending = text[index:]
                    break
                index, name = parsed
            if name is not None:
                keys.append(name)
        return keys

    def flush(self) -> list[str]:
        """Give up waiting: a lone ESC is the Escape key, half a sequence is dropped."""
        pending, self._pending = self._pending, ""
        return ["escape"] if pending == _ESC else []


def decode(data: str) -> list[str]:
    """Split one chunk of terminal input into key names, e.g. "n\\x1b[C " -> n, right, space.

    Printable characters stand for themselves; " " is "space", CR or LF "enter", arrows
    "up"/"down"/"left"/"right", a lone ESC "escape", DEL or BS "backspace", Ctrl-C "ctrl-c".
    Other escape sequences (Ctrl+arrow, Delete, F-keys) and control characters are dropped
    whole, so none of their bytes turn into letters.
    """
    decoder = KeyDecoder()
    return decoder.feed(data) + decoder.flush()


def decode_windows(data: str) -> list[str]:
    """Like ``decode``, for characters from ``msvcrt.getwch()``: arrows and other special keys
    come as "\\x00" or "\\xe0" followed by a scan code ("\\xe0K" is "left")."""
    keys: list[str] = []
    index = 0
    while index < len(data):
        char = data[index]
        if char in _WINDOWS_PREFIXES and index + 1 < len(data):
            scan = _WINDOWS_SCAN_CODES.get(data[index + 1])
            if scan is not None:
                keys.append(scan)
            index += 2
            continue
        # A trailing "\xe0" with no scan code after it is the letter "à" on its own.
        name = _char_name(char)
        if name is not None:
            keys.append(name)
        index += 1
    return keys


def _terminal_fd(stream: IO[Any] | None) -> int | None:
    """The file descriptor of ``stream`` if it is a terminal, else None."""
    if stream is None:  # pythonw, or a closed standard input
        return None
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # StringIO, pytest's capture, a closed file
        return None
    return fd if os.isatty(fd) else None


def supported(stdin: IO[Any] | None = None) -> bool:
    """True if ``stdin`` (default ``sys.stdin``) is a terminal that ``KeyReader`` can read."""
    return _terminal_fd(sys.stdin if stdin is None else stdin) is not None


@contextlib.contextmanager
def terminal_state(fd: int) -> Iterator[None]:
    """Save the terminal settings of ``fd`` and put back exactly those on the way out, however
    the block ends (normally, an exception, Ctrl-C, ``Terminated``)."""
    if sys.platform == "win32":
        yield  # getwch() reads keys without touching the console mode: nothing to give back
    else:
        saved = termios.tcgetattr(fd)
        try:
            yield
        finally:
            # The terminal may have gone (hung up): then there is nothing left to give back.
            with contextlib.suppress(termios.error):
                # TCSADRAIN: what was already printed goes out under the settings it was made for.
                termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _enter_cbreak(fd: int) -> None:
    """Keys one at a time, not echoed; ISIG stays on so Ctrl-C still raises SIGINT."""
    if sys.platform != "win32":
        attrs = termios.tcgetattr(fd)
        attrs[3] &= ~(termios.ECHO | termios.ICANON)  # lflag
        attrs[6][termios.VMIN] = 1  # cc: a read returns as soon as one byte is there
        attrs[6][termios.VTIME] = 0
        # TCSAFLUSH: keys typed before the session began must not skip its first steps.
        termios.tcsetattr(fd, termios.TCSAFLUSH, attrs)


class KeyReader:
    """Reads single keys from a terminal on a daemon thread and calls ``on_key(name)`` for each.

    Use it as a context manager: on entry the terminal goes into cbreak mode with echo off
    (Ctrl-C still interrupts the main thread); on exit the thread stops and the terminal gets
    back exactly the settings it had. ``on_key`` runs on the reader thread, so it should be
    quick and must not raise: ``queue.Queue.put`` is the intended callback.

    Raises ``NotATerminal`` (a ``ValueError``) if ``stdin`` (default ``sys.stdin``) is not a
    terminal; check ``supported()`` first to pick a plain mode instead.
    """

    def __init__(self, on_key: Callable[[str], None], stdin: IO[Any] | None = None) -> None:
        fd = _terminal_fd(sys.stdin if stdin is None else stdin)
        if fd is None:
            raise NotATerminal(
                "Single-key controls need a terminal, and standard input is not one."
            )
        self._fd = fd
        self._on_key = on_key
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._restore: contextlib.ExitStack | None = None
        self._wake: tuple[int, int] | None = None  # a pipe: __exit__ wakes the thread at once

    def __enter__(self) -> KeyReader:
        if self._thread is not None:
            raise RuntimeError("this KeyReader is already reading keys")
        with contextlib.ExitStack() as stack:
            stack.enter_context(terminal_state(self._fd))
            _enter_cbreak(self._fd)
            self._stop.clear()
            if sys.platform != "win32":
                self._wake = os.pipe()
            thread = threading.Thread(target=self._run, name="sciatica-keys", daemon=True)
            thread.start()
            self._thread = thread
            # Nothing failed: keep the saved settings until __exit__ instead of restoring now.
            self._restore = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        wake, self._wake = self._wake, None
        if wake is not None:
            with contextlib.suppress(OSError):
                os.write(wake[1], b"x")
        thread, self._thread = self._thread, None
        restore, self._restore = self._restore, None
        try:
            # The terminal first: if a second Ctrl-C lands during the join, it is already back.
            if restore is not None:
                restore.close()
        finally:
            if thread is not None:
                thread.join(JOIN_SECONDS)
            if wake is not None:
                for fd in wake:
                    with contextlib.suppress(OSError):
                        os.close(fd)

    def _emit(self, keys: list[str]) -> None:
        for key in keys:
            self._on_key(key)

    def _run(self) -> None:
        if sys.platform == "win32":
            self._run_windows()
        else:
            self._run_posix()

    def _run_posix(self) -> None:
        decoder = KeyDecoder()
        # Incremental: a multi-byte character split between two reads is still one character.
        text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        wake = self._wake[0] if self._wake is not None else None
        watched = [self._fd] if wake is None else [self._fd, wake]
        while not self._stop.is_set():
            # No polling: sleep until a key, the wake pipe (exit), or the end of an Escape.
            wait = ESCAPE_SECONDS if decoder.pending else (None if wake is not None else 1.0)
            ready, _, _ = select.select(watched, [], [], wait)
            if self._stop.is_set() or (wake is not None and wake in ready):
                return
            if not ready:
                self._emit(decoder.flush())
                continue
            try:
                data = os.read(self._fd, 1024)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                return  # EIO: the terminal hung up; reading on would spin
            if not data:
                return  # end of input: select would report it ready forever
            self._emit(decoder.feed(text.decode(data)))

    def _run_windows(self) -> None:
        if sys.platform == "win32":
            while not self._stop.is_set():
                chars: list[str] = []
                while msvcrt.kbhit():
                    # A special key queues its prefix and scan code together: read both now.
                    chars.append(msvcrt.getwch())
                if chars:
                    self._emit(decode_windows("".join(chars)))
                else:
                    self._stop.wait(WINDOWS_POLL_SECONDS)
