"""The bell and the optional spoken voice that mark step changes, side switches and cues.

Speech runs in one background thread so it can never delay the timer: ``Speaker.say`` only
queues the text. Nothing here raises into the player; problems become one ``notify`` message.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO

UTTERANCE_TIMEOUT = 20.0
"""Seconds one utterance may take before the engine is judged stuck and speech is turned off."""

# Read stdin as UTF-8 bytes rather than via [Console]::In, whose console code page garbles
# anything outside ASCII (a user's cue in French or German).
_WINDOWS_SPEAK = (
    "Add-Type -AssemblyName System.Speech; "
    "$text = (New-Object System.IO.StreamReader("
    "[Console]::OpenStandardInput(), [System.Text.Encoding]::UTF8)).ReadToEnd(); "
    "(New-Object System.Speech.Synthesis.SpeechSynthesizer).Speak($text)"
)

# In that order: espeak-ng is the maintained fork, spd-say needs a running speech-dispatcher.
_POSIX_ENGINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("espeak-ng", ()),
    ("espeak", ()),
    ("spd-say", ("--wait",)),  # without --wait it returns at once and utterances overlap
)

if sys.platform == "win32":
    # Keep PowerShell off the console we are drawing on and reading keys from.
    _CREATION_FLAGS = subprocess.CREATE_NO_WINDOW
else:
    _CREATION_FLAGS = 0

# How long close() waits for the killed process to be reaped; killing is near-instant.
_KILL_GRACE = 0.5


@dataclass(frozen=True)
class SpeechEngine:
    """A text-to-speech command: ``command`` plus the text (as one argv element, or on stdin)."""

    name: str
    command: tuple[str, ...]
    text_via_stdin: bool

    def argv(self, text: str) -> list[str]:
        """The argument list to run for ``text``; never goes through a shell."""
        if self.text_via_stdin:
            return list(self.command)
        # A leading space stops a cue such as "-5 degrees" being read as an option.
        return [*self.command, f" {text}" if text.startswith("-") else text]


def find_speech_engine(
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> SpeechEngine | None:
    """The speech engine for ``platform`` found on PATH by ``which``, or None if there is none."""
    if platform == "win32":
        powershell = which("powershell")
        if powershell is None:
            return None
        command = (powershell, "-NoProfile", "-NonInteractive", "-Command", _WINDOWS_SPEAK)
        return SpeechEngine("powershell", command, text_via_stdin=True)
    if platform == "darwin":
        say = which("say")
        return None if say is None else SpeechEngine("say", (say,), text_via_stdin=False)
    for name, options in _POSIX_ENGINES:
        path = which(name)
        if path is not None:
            return SpeechEngine(name, (path, *options), text_via_stdin=False)
    return None


def missing_engine_message(platform: str = sys.platform) -> str:
    """What to tell the user when ``platform`` has no speech engine, naming what to install."""
    if platform == "win32":
        hint = "install Windows PowerShell 5.1, which provides System.Speech, or put it on PATH"
    elif platform == "darwin":
        hint = "the built-in 'say' command should be in /usr/bin: check PATH"
    else:
        hint = "install espeak-ng, for example 'sudo apt install espeak-ng'"
    return f"No speech engine found ({hint}); carrying on without a voice."


class Speaker:
    """Speaks cues in the background, in order, dropping stale ones when the engine falls behind.

    ``notify`` receives at most one message per problem (no engine, engine failed), and only
    ever on the thread that calls ``say`` or ``close``, so it may safely print.
    """

    def __init__(
        self,
        engine: SpeechEngine | None,
        *,
        notify: Callable[[str], None],
        utterance_timeout: float = UTTERANCE_TIMEOUT,
    ) -> None:
        self.engine = engine
        self._notify = notify
        self._utterance_timeout = utterance_timeout
        self._cond = threading.Condition()
        # The head is being spoken (or about to be); at most one more waits behind it.
        self._queue: collections.deque[str] = collections.deque()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._enabled = engine is not None
        self._closed = False
        self._killing = False
        self._told_missing = False
        self._failure: str | None = None

    @property
    def enabled(self) -> bool:
        """False once there is no voice for the rest of the session (none, failed or closed)."""
        return self._enabled and not self._closed

    def say(self, text: str) -> None:
        """Queue ``text`` to be spoken and return at once; replaces any cue still waiting."""
        self._report_failure()
        if self.engine is None:
            if not self._told_missing:
                self._told_missing = True
                self._notify(missing_engine_message())
            return
        if not text.strip():
            return
        with self._cond:
            if not self.enabled:
                return
            self._queue.append(text)
            while len(self._queue) > 2:
                # Latest wins: a cue from a minute ago is worse than silence.
                del self._queue[1]
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sciatica-speech", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def close(self, timeout: float = 2.0) -> None:
        """Let queued speech finish for up to ``timeout`` seconds, then stop it and the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                with self._cond:
                    self._killing = True
                    self._queue.clear()
                    process = self._process
                if process is not None:
                    _kill(process)
                thread.join(_KILL_GRACE)
        self._report_failure()

    def __enter__(self) -> Speaker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _report_failure(self) -> None:
        with self._cond:
            failure, self._failure = self._failure, None
        if failure is not None:
            self._notify(failure)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue or self._killing:
                    return
                text = self._queue[0]
            try:
                failure = self._speak(text)
            except Exception as error:  # an uncaught error here would print over the screen
                failure = f"failed ({error!r})"
            with self._cond:
                if self._queue:
                    self._queue.popleft()
                if failure is not None and not self._killing:
                    assert self.engine is not None
                    self._enabled = False
                    self._queue.clear()
                    self._failure = (
                        f"The speech engine {self.engine.name} {failure}; "
                        "carrying on without a voice."
                    )
                    return

    def _speak(self, text: str) -> str | None:
        """Run the engine for ``text``; returns why it failed, or None."""
        assert self.engine is not None
        stdin_data = text.encode("utf-8") if self.engine.text_via_stdin else None
        try:
            process = subprocess.Popen(
                self.engine.argv(text),
                # The key reader owns the terminal's stdin; the engine must not read keys.
                stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                creationflags=_CREATION_FLAGS,
            )
        except OSError as error:
            return f"could not be started ({error})"
        with self._cond:
            self._process = process
            abandon = self._killing
        try:
            if abandon:  # close() gave up while the process was starting
                _kill(process)
            process.communicate(stdin_data, timeout=self._utterance_timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            return f"took longer than {self._utterance_timeout:g} s to speak"
        finally:
            with self._cond:
                self._process = None
        if process.returncode != 0:
            return f"stopped with exit status {process.returncode}"
        return None


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill and reap ``process``, ignoring that it may have exited already."""
    try:
        process.kill()
        if process.stdin is not None:
            process.stdin.close()
        process.wait(_KILL_GRACE)
    except (OSError, subprocess.TimeoutExpired):
        pass


class Bell:
    """The terminal bell: one BEL character per ring, cheap enough to call from the timer."""

    def __init__(self, stream: TextIO, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled

    def ring(self, times: int = 1) -> None:
        """Write ``times`` BEL characters and flush; a closed or broken stream is ignored."""
        if not self.enabled or times <= 0:
            return
        try:
            self.stream.write("\a" * times)
            self.stream.flush()
        except (OSError, ValueError):  # ValueError: the stream was closed
            pass
