"""Key reading: decoding terminal input, and a real pseudo-terminal that must always be restored."""

from __future__ import annotations

import io
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sciatica_cli.errors import SciaticaError
from sciatica_cli.session.keys import (
    KeyDecoder,
    KeyReader,
    NotATerminal,
    decode,
    decode_windows,
    supported,
)
from sciatica_cli.session.signals import Terminated, signals_raise_terminated
from tests.conftest import REPO

if sys.platform != "win32":
    import termios

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

# Every wait on the child is bounded by this; a healthy run needs a fraction of it.
WAIT_SECONDS = 5.0


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        ("n", ["n"]),
        ("b", ["b"]),
        ("q", ["q"]),
        ("y", ["y"]),
        ("!", ["!"]),
        ("x", ["x"]),
        (" ", ["space"]),
        ("\r", ["enter"]),
        ("\n", ["enter"]),
        ("\x1b[C", ["right"]),
        ("\x1bOC", ["right"]),
        ("\x1b[D", ["left"]),
        ("\x1bOD", ["left"]),
        ("\x1b[A", ["up"]),
        ("\x1b[B", ["down"]),
        ("\x1b", ["escape"]),
        ("\x1b\x1b", ["escape", "escape"]),
        ("\x03", ["ctrl-c"]),
        ("\x7f", ["backspace"]),
        ("\x08", ["backspace"]),
        ("é", ["é"]),
        ("", []),
    ],
)
def test_decode_names_each_key(data: str, keys: list[str]) -> None:
    assert decode(data) == keys


def test_decode_splits_a_burst_into_keys_in_order() -> None:
    assert decode("nn\x1b[Cb !q") == ["n", "n", "right", "b", "space", "!", "q"]


@pytest.mark.parametrize(
    "sequence",
    [
        "\x1b[1;5C",  # Ctrl+Right
        "\x1b[3~",  # Delete
        "\x1b[15~",  # F5
        "\x1bOP",  # F1
        "\x1b[[A",  # F1 on the Linux console
        "\x1b[200~",  # start of a bracketed paste
        "\x1bq",  # Alt+q must not ask to quit
        "\x1bx",  # nor Alt+x stop for sharp pain
        "\x01\x04\x1a",  # other control characters
    ],
)
def test_decode_drops_unknown_sequences_whole(sequence: str) -> None:
    assert decode(sequence) == []
    assert decode(f"n{sequence}b") == ["n", "b"]


def test_decode_restarts_at_an_escape_that_interrupts_a_sequence() -> None:
    assert decode("\x1b[\x1b[Cq") == ["right", "q"]


@pytest.mark.parametrize("sequence", ["\x1b[C", "\x1bOC", "\x1b[1;5C"])
def test_decoder_joins_a_sequence_split_between_reads(sequence: str) -> None:
    expected = decode(sequence)
    for cut in range(1, len(sequence)):
        decoder = KeyDecoder()
        first = decoder.feed("n" + sequence[:cut])
        assert first == ["n"]
        assert decoder.pending
        assert decoder.feed(sequence[cut:] + "b") == [*expected, "b"]
        assert not decoder.pending


def test_decoder_flush_makes_a_lone_escape_the_escape_key() -> None:
    decoder = KeyDecoder()
    assert decoder.feed("\x1b") == []
    assert decoder.flush() == ["escape"]
    assert decoder.feed("\x1b[") == []
    assert decoder.flush() == []  # half an arrow is dropped, never leaked as "["
    assert decoder.feed("C") == ["C"]
    assert decode("n\x1b[") == ["n"]


def test_decode_windows_reads_console_scan_codes() -> None:
    assert decode_windows("\xe0K\xe0M\xe0H\xe0P") == ["left", "right", "up", "down"]
    assert decode_windows("\x00K\x00M") == ["left", "right"]
    assert decode_windows("n\x00;b\xe0S ") == ["n", "b", "space"]  # F1, Delete dropped
    assert decode_windows("\r\x1b\x08\x03!") == ["enter", "escape", "backspace", "ctrl-c", "!"]
    assert decode_windows("\xe0") == ["à"]


def test_a_pipe_is_refused_clearly() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as pipe:
        assert not supported(pipe)
        with pytest.raises(NotATerminal, match="need a terminal") as refused:
            KeyReader(lambda key: None, stdin=pipe)
    os.close(write_end)
    assert isinstance(refused.value, ValueError)
    assert isinstance(refused.value, SciaticaError)


def test_a_stream_without_a_file_descriptor_is_refused() -> None:
    assert not supported(io.StringIO("n"))
    with pytest.raises(NotATerminal):
        KeyReader(lambda key: None, stdin=io.StringIO("n"))


def test_the_default_stdin_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    assert not supported()
    with pytest.raises(NotATerminal):
        KeyReader(lambda key: None)


def _termination_signals() -> list[int]:
    return [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


@pytest.mark.parametrize("signum", _termination_signals())
def test_termination_signals_raise_terminated_then_handlers_come_back(signum: int) -> None:
    def earlier(number: int, frame: Any) -> None:
        raise AssertionError("the earlier handler must not run inside the block")

    previous = signal.signal(signum, earlier)
    try:
        with pytest.raises(Terminated) as caught, signals_raise_terminated():
            signal.raise_signal(signum)
        assert caught.value.signum == signum
        assert caught.value.exit_code == 128 + signum
        assert signal.Signals(signum).name in str(caught.value)
        assert signal.getsignal(signum) is earlier
    finally:
        signal.signal(signum, previous)


def test_terminated_is_not_caught_by_except_exception() -> None:
    assert not issubclass(Terminated, Exception)


# The child: the pty is its stdin, stdout and controlling terminal. It prints each key it gets,
# then "OUTCOME <how the block ended> <termios equal to before?>", and waits for a line so the
# test can look at the terminal before it exits.
#
# It waits for keys as the session loop does, never longer than loop.MAX_WAIT at a time. CPython
# runs a Python signal handler only between bytecodes: a signal that lands after the last check
# but before the main thread blocks in the queue's lock (or one the kernel hands to the reader
# thread) is acted on only when that wait ends. With one 10 s wait, a Ctrl-C or SIGTERM sent just
# after "READY" or "KEY n" now and then came 10 s late, past WAIT_SECONDS, under a loaded
# full-suite run; the product's loop bounds that delay by MAX_WAIT, and so does this child.
CHILD = r"""
import fcntl, queue, signal, sys, termios, threading, time

# Make the pty our controlling terminal, so Ctrl-C typed into it sends us SIGINT.
fcntl.ioctl(0, termios.TIOCSCTTY, 0)
# A test runner started from a shell without job control hands us SIGINT ignored (Python then
# installs no handler): take Ctrl-C as a person's terminal would deliver it.
signal.signal(signal.SIGINT, signal.default_int_handler)
from sciatica_cli.session.keys import KeyReader
from sciatica_cli.session.loop import MAX_WAIT
from sciatica_cli.session.signals import Terminated, signals_raise_terminated

mode = sys.argv[1]
before = termios.tcgetattr(0)
keys = queue.Queue()


def say(*words):
    print(*words, flush=True)


def next_key():
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            return keys.get(timeout=MAX_WAIT)
        except queue.Empty:
            pass
    raise SystemExit("no key for 10 s")


def echo_keys():
    if mode == "idle":
        start = time.process_time()
        time.sleep(0.6)
        say("CPU", f"{time.process_time() - start:.3f}")
    if mode == "reader-thread-signal":
        # The kernel may hand a process-directed signal to any thread that does not block it.
        # Here it is the reader's, once the main thread is waiting for a key: that wait is not
        # interrupted, so Python's handler runs only when it ends.
        reader = next(t for t in threading.enumerate() if t.name == "sciatica-keys")
        threading.Timer(0.3, signal.pthread_kill, (reader.ident, signal.SIGTERM)).start()
    while True:
        key = next_key()
        say("KEY", key)
        if key == "q":
            return
        if key == "x" and mode == "raise":
            raise RuntimeError("boom")


def count_keys():
    count = ticks = 0
    longest = 0.0
    last = time.monotonic()
    while True:
        time.sleep(0.001)
        now = time.monotonic()
        longest, last, ticks = max(longest, now - last), now, ticks + 1
        while not keys.empty():
            key = keys.get_nowait()
            if key == "q":
                say("COUNT", count, ticks, f"{longest:.3f}")
                return
            count += key == "n"


try:
    with signals_raise_terminated():
        with KeyReader(keys.put):
            say("READY")
            count_keys() if mode == "flood" else echo_keys()
    outcome = "quit"
except RuntimeError:
    outcome = "RuntimeError"
except KeyboardInterrupt:
    outcome = "KeyboardInterrupt"
except Terminated as stop:
    outcome = f"Terminated-{stop.signum}"
say("OUTCOME", outcome, termios.tcgetattr(0) == before)
sys.stdin.readline()
"""


class PtyChild:
    """A Python process on a fresh pseudo-terminal, driven through its master side."""

    def __init__(self, mode: str) -> None:
        self.master, self.slave = os.openpty()
        attrs = termios.tcgetattr(self.slave)
        # Unusual settings, so only an exact restore passes, not a reset to "sane" defaults.
        attrs[0] &= ~termios.IXON
        attrs[6][termios.VKILL] = b"\x0b"
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        self.before = termios.tcgetattr(self.slave)
        self.output = ""
        self.closed = False
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, mode],
            stdin=self.slave,
            stdout=self.slave,
            stderr=subprocess.PIPE,
            start_new_session=True,
            cwd=REPO,
        )

    def send(self, data: bytes) -> None:
        """Type ``data`` into the terminal, as the keyboard would."""
        while data:
            data = data[os.write(self.master, data) :]

    def expect(self, pattern: str) -> re.Match[str]:
        """Read the child's output until ``pattern`` matches, for at most WAIT_SECONDS."""
        deadline = time.monotonic() + WAIT_SECONDS
        while (found := re.search(pattern, self.output)) is None:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(remaining, 0))
            if not ready:
                self.fail(f"no {pattern!r} within {WAIT_SECONDS} s")
            self.output += os.read(self.master, 65536).decode("utf-8", "replace")
        return found

    def expect_key(self, name: str) -> None:
        """Wait for the child's whole line about key ``name``."""
        # The whole line: Ctrl-C makes the terminal discard output still on its way to us.
        self.expect(f"KEY {re.escape(name)}\r?\n")

    def keys(self) -> list[str]:
        """The key names the child printed."""
        return re.findall(r"^KEY (.+?)\r?$", self.output, flags=re.MULTILINE)

    def attrs(self) -> list[Any]:
        """The terminal's settings as the test sees them from its own end of the slave."""
        return termios.tcgetattr(self.slave)

    def finish(self) -> tuple[str, bool, list[Any]]:
        """Wait for the outcome line; return it with the terminal's settings, then let go."""
        found = self.expect(r"OUTCOME (\S+) (True|False)\r?\n")
        after = self.attrs()
        self.send(b"bye\n")
        try:
            self.process.wait(WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.fail("the child did not exit")
        return found[1], found[2] == "True", after

    def fail(self, message: str) -> None:
        self.close()
        assert self.process.stderr is not None
        errors = self.process.stderr.read().decode("utf-8", "replace")
        pytest.fail(f"{message}\noutput: {self.output!r}\nstderr: {errors}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(WAIT_SECONDS)
        if not self.closed:
            # Only once: a second close could hit an fd number reused by someone else.
            self.closed = True
            os.close(self.master)
            os.close(self.slave)


@pytest.fixture
def start_child() -> Iterator[Callable[[str], PtyChild]]:
    """Start children on their own ptys; kill any left over and close every fd afterwards."""
    children: list[PtyChild] = []

    def start(mode: str = "echo") -> PtyChild:
        child = PtyChild(mode)
        children.append(child)
        child.expect("READY\r?\n")
        return child

    yield start
    for child in children:
        child.close()
        if child.process.stderr is not None:
            child.process.stderr.close()


def assert_restored(child: PtyChild, restored_in_child: bool, after: list[Any]) -> None:
    assert restored_in_child, "the child saw different settings after the block"
    assert after == child.before
    assert after[3] & termios.ECHO
    assert after[3] & termios.ICANON


@posix_only
def test_keys_typed_in_a_terminal_reach_the_callback_and_it_is_restored(
    start_child: Callable[[str], PtyChild],
) -> None:
    child = start_child("echo")
    inside = child.attrs()
    assert not inside[3] & termios.ECHO
    assert not inside[3] & termios.ICANON
    assert inside[3] & termios.ISIG  # Ctrl-C must still interrupt

    for data, name in [
        (b"n", "n"),
        (b"\x1b[C", "right"),
        (b" ", "space"),
        (b"!", "!"),
        (b"b", "b"),
        (b"\x1bOD", "left"),
        (b"x", "x"),
    ]:
        child.send(data)
        child.expect_key(name)
    child.send(b"q")
    outcome, restored, after = child.finish()

    assert child.keys() == ["n", "right", "space", "!", "b", "left", "x", "q"]
    assert outcome == "quit"
    assert_restored(child, restored, after)


@posix_only
def test_split_arrows_and_a_lone_escape_through_the_terminal(
    start_child: Callable[[str], PtyChild],
) -> None:
    child = start_child("echo")
    child.send(b"\x1b[")
    child.send(b"C")
    child.expect_key("right")
    child.send(b"\x1b")
    child.expect_key("escape")  # once the escape delay has passed with nothing after it
    child.send(b"\x1b[1;5C\x1b[3~q")
    outcome, restored, after = child.finish()

    assert child.keys() == ["right", "escape", "q"]
    assert outcome == "quit"
    assert_restored(child, restored, after)


@posix_only
def test_an_exception_inside_the_block_still_restores_the_terminal(
    start_child: Callable[[str], PtyChild],
) -> None:
    child = start_child("raise")
    child.send(b"x")
    outcome, restored, after = child.finish()

    assert outcome == "RuntimeError"
    assert_restored(child, restored, after)


@posix_only
def test_ctrl_c_typed_in_the_terminal_interrupts_and_restores_it(
    start_child: Callable[[str], PtyChild],
) -> None:
    child = start_child("echo")
    child.send(b"n")
    child.expect_key("n")
    child.send(b"\x03")  # the terminal turns it into SIGINT: it never arrives as a key
    outcome, restored, after = child.finish()

    assert outcome == "KeyboardInterrupt"
    assert child.keys() == ["n"]
    assert_restored(child, restored, after)


@posix_only
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_termination_signals_restore_the_terminal(
    start_child: Callable[[str], PtyChild], name: str
) -> None:
    signum = getattr(signal, name)
    child = start_child("echo")
    os.kill(child.process.pid, signum)
    outcome, restored, after = child.finish()

    assert outcome == f"Terminated-{signum}"
    assert_restored(child, restored, after)


@posix_only
def test_a_signal_caught_on_the_reader_thread_still_ends_the_block_and_restores(
    start_child: Callable[[str], PtyChild],
) -> None:
    # On purpose, what now and then happens by chance (a signal caught just before the main
    # thread blocks): Python's handler runs only once the main thread's wait for a key ends.
    # Fails if that wait is not bounded well inside WAIT_SECONDS, as with the child's old
    # single 10 s wait, or if loop.MAX_WAIT grew that long.
    child = start_child("reader-thread-signal")
    outcome, restored, after = child.finish()

    assert outcome == f"Terminated-{int(signal.SIGTERM)}"
    assert_restored(child, restored, after)


@posix_only
def test_a_flood_of_keys_is_all_delivered_without_stalling_the_main_thread(
    start_child: Callable[[str], PtyChild],
) -> None:
    child = start_child("flood")
    started = time.monotonic()
    child.send(b"n" * 2000)
    child.send(b"q")
    found = child.expect(r"COUNT (\d+) (\d+) ([\d.]+)")
    elapsed = time.monotonic() - started
    outcome, restored, after = child.finish()

    count, ticks, longest_gap = int(found[1]), int(found[2]), float(found[3])
    assert count == 2000
    assert ticks > 0
    assert longest_gap < 0.5, "the main loop stopped ticking while keys poured in"
    assert elapsed < WAIT_SECONDS
    assert outcome == "quit"
    assert_restored(child, restored, after)


@posix_only
def test_waiting_for_keys_does_not_busy_loop(start_child: Callable[[str], PtyChild]) -> None:
    child = start_child("idle")
    cpu = float(child.expect(r"CPU ([\d.]+)")[1])
    child.send(b"q")
    outcome, restored, after = child.finish()

    assert cpu < 0.2, f"{cpu} s of CPU in 0.6 s of waiting"
    assert outcome == "quit"
    assert_restored(child, restored, after)
