"""The bell and the background voice: engine discovery, real speech, latest-wins, failures."""

from __future__ import annotations

import io
import shutil
import sys
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from sciatica_cli.session.sound import (
    Bell,
    Speaker,
    SpeechEngine,
    find_speech_engine,
    missing_engine_message,
)

# Generous enough for a loaded CI machine; every wait below polls and returns early.
DEADLINE = 5.0


def only(*available: str) -> Callable[[str], str | None]:
    """A fake ``shutil.which`` that finds exactly ``available``, in /usr/bin."""
    return lambda name: f"/usr/bin/{name}" if name in available else None


def recording_engine(log: Path, *, seconds: float = 0.0, exit_code: int = 0) -> SpeechEngine:
    """An engine that appends its text to ``log``, then takes ``seconds`` and exits."""
    script = (
        "import sys, time; "
        "open(sys.argv[1], 'a', encoding='utf-8').write(sys.argv[2] + '\\n'); "
        f"time.sleep({seconds}); sys.exit({exit_code})"
    )
    return SpeechEngine("fake", (sys.executable, "-c", script, str(log)), text_via_stdin=False)


def spoken(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def wait_until(condition: Callable[[], bool]) -> None:
    """Poll ``condition`` until it holds; fail the test after ``DEADLINE`` seconds."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the speech thread"
        time.sleep(0.01)


def wait_for_lines(log: Path, count: int) -> None:
    """Wait until the fake engine has recorded ``count`` utterances."""
    wait_until(lambda: len(spoken(log)) == count)


# find_speech_engine


@pytest.mark.parametrize(
    ("available", "name", "command"),
    [
        (("espeak-ng", "espeak", "spd-say"), "espeak-ng", ("/usr/bin/espeak-ng",)),
        (("espeak", "spd-say"), "espeak", ("/usr/bin/espeak",)),
        (("spd-say",), "spd-say", ("/usr/bin/spd-say", "--wait")),
    ],
)
def test_linux_prefers_espeak_ng_then_espeak_then_spd_say(
    available: tuple[str, ...], name: str, command: tuple[str, ...]
) -> None:
    engine = find_speech_engine("linux", only(*available))
    assert engine == SpeechEngine(name, command, text_via_stdin=False)


def test_other_posix_systems_use_the_linux_fallbacks() -> None:
    engine = find_speech_engine("freebsd14", only("espeak"))
    assert engine is not None
    assert engine.name == "espeak"


def test_macos_uses_say() -> None:
    engine = find_speech_engine("darwin", only("say", "espeak-ng"))
    assert engine == SpeechEngine("say", ("/usr/bin/say",), text_via_stdin=False)


def test_windows_uses_powershell_system_speech_with_text_on_stdin() -> None:
    engine = find_speech_engine("win32", only("powershell"))
    assert engine is not None
    assert engine.name == "powershell"
    assert engine.text_via_stdin
    assert engine.command[:4] == (
        "/usr/bin/powershell",
        "-NoProfile",
        "-NonInteractive",
        "-Command",
    )
    assert "System.Speech" in engine.command[4]
    assert engine.argv("Switch to the right side") == list(engine.command)


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_no_engine_found_gives_none(platform: str) -> None:
    assert find_speech_engine(platform, only()) is None


@pytest.mark.parametrize(
    ("platform", "named"),
    [("linux", "espeak-ng"), ("darwin", "say"), ("win32", "PowerShell")],
)
def test_missing_engine_message_names_what_to_install(platform: str, named: str) -> None:
    message = missing_engine_message(platform)
    assert message.startswith("No speech engine found (")
    assert named in message
    assert message.endswith("carrying on without a voice.")


def test_text_is_one_argv_element_and_never_read_as_an_option() -> None:
    engine = SpeechEngine("espeak-ng", ("espeak-ng",), text_via_stdin=False)
    assert engine.argv("Breathe; then 'roll' slowly") == [
        "espeak-ng",
        "Breathe; then 'roll' slowly",
    ]
    assert engine.argv("-5 degrees") == ["espeak-ng", " -5 degrees"]


# Real speech


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng) so real speech is untested",
)
def test_espeak_ng_really_speaks_a_cue(tmp_path: Path) -> None:
    wav = tmp_path / "cue.wav"
    engine = SpeechEngine("espeak-ng", ("espeak-ng", "-w", str(wav)), text_via_stdin=False)
    messages: list[str] = []
    speaker = Speaker(engine, notify=messages.append)
    speaker.say("Switch to the right side")
    speaker.close(timeout=DEADLINE)
    assert messages == []
    assert wav.stat().st_size > 0
    with wave.open(str(wav)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert 0.5 < seconds < 5


def test_text_on_stdin_arrives_intact_as_utf8(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    script = (
        "import sys; "
        "open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())"  # bytes exactly as sent
    )
    engine = SpeechEngine("stdin", (sys.executable, "-c", script, str(log)), text_via_stdin=True)
    with Speaker(engine, notify=pytest.fail) as speaker:
        speaker.say("Café: roll the piriformis slowly → rest")
    assert log.read_bytes().decode("utf-8") == "Café: roll the piriformis slowly → rest"


# Never delaying the timer


def test_say_returns_at_once_and_only_the_first_and_latest_cues_are_spoken(
    tmp_path: Path,
) -> None:
    log = tmp_path / "spoken.txt"
    speaker = Speaker(recording_engine(log, seconds=0.5), notify=pytest.fail)
    started = time.perf_counter()
    for number in range(1, 6):
        speaker.say(f"cue {number}")
    elapsed = time.perf_counter() - started
    speaker.close(timeout=DEADLINE)
    assert elapsed < 0.05
    assert spoken(log) == ["cue 1", "cue 5"]


def test_queued_cues_are_spoken_in_order_when_the_engine_keeps_up(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    speaker = Speaker(recording_engine(log), notify=pytest.fail)
    for number in range(1, 4):
        speaker.say(f"cue {number}")
        wait_for_lines(log, number)
    speaker.close(timeout=DEADLINE)
    assert spoken(log) == ["cue 1", "cue 2", "cue 3"]


def test_blank_text_is_not_spoken(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    with Speaker(recording_engine(log), notify=pytest.fail) as speaker:
        speaker.say("   ")
        speaker.say("Rest")
    assert spoken(log) == ["Rest"]


def test_close_stops_a_long_utterance_after_its_timeout(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    messages: list[str] = []
    speaker = Speaker(recording_engine(log, seconds=60), notify=messages.append)
    speaker.say("A very long cue")
    speaker.say("Never spoken")
    wait_until(lambda: spoken(log) == ["A very long cue"])
    started = time.monotonic()
    speaker.close(timeout=0.2)
    assert time.monotonic() - started < 1.5
    assert messages == []  # stopping the voice on purpose is not a failure
    assert not speaker.enabled
    speaker.say("After close")
    assert spoken(log) == ["A very long cue"]


# No engine, broken engines


def test_no_engine_notifies_once_then_stays_silent() -> None:
    messages: list[str] = []
    speaker = Speaker(None, notify=messages.append)
    assert not speaker.enabled
    for _ in range(3):
        speaker.say("Switch to the left side")
    speaker.close()
    assert messages == [missing_engine_message()]
    assert "install" in messages[0]


def test_engine_that_exits_with_an_error_notifies_once_and_turns_speech_off(
    tmp_path: Path,
) -> None:
    log = tmp_path / "spoken.txt"
    messages: list[str] = []
    threads: list[threading.Thread] = []

    def notify(message: str) -> None:
        messages.append(message)
        threads.append(threading.current_thread())

    speaker = Speaker(recording_engine(log, exit_code=1), notify=notify)
    speaker.say("first")
    wait_until(lambda: not speaker.enabled)
    speaker.say("second")
    speaker.say("third")
    speaker.close()
    assert messages == [
        "The speech engine fake stopped with exit status 1; carrying on without a voice."
    ]
    assert threads == [threading.main_thread()]  # safe to print from notify
    assert spoken(log) == ["first"]


def test_engine_that_does_not_exist_notifies_once_and_never_raises(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-speech-engine"
    messages: list[str] = []
    speaker = Speaker(SpeechEngine("ghost", (str(missing),), False), notify=messages.append)
    speaker.say("first")
    speaker.say("second")
    speaker.close()
    speaker.say("after close")
    assert len(messages) == 1
    assert messages[0].startswith("The speech engine ghost could not be started")
    assert messages[0].endswith("carrying on without a voice.")


def test_stuck_engine_times_out_notifies_once_and_turns_speech_off(tmp_path: Path) -> None:
    log = tmp_path / "spoken.txt"
    messages: list[str] = []
    engine = recording_engine(log, seconds=60)
    speaker = Speaker(engine, notify=messages.append, utterance_timeout=0.3)
    speaker.say("stuck")
    wait_until(lambda: not speaker.enabled)
    speaker.say("ignored")
    speaker.close()
    assert messages == [
        "The speech engine fake took longer than 0.3 s to speak; carrying on without a voice."
    ]
    assert spoken(log) == ["stuck"]


# Bell


def test_bell_writes_one_bel_per_ring() -> None:
    stream = io.StringIO()
    bell = Bell(stream)
    bell.ring()
    bell.ring(3)
    assert stream.getvalue() == "\a" * 4


def test_disabled_bell_writes_nothing() -> None:
    stream = io.StringIO()
    Bell(stream, enabled=False).ring(3)
    assert stream.getvalue() == ""


def test_bell_ignores_a_closed_stream() -> None:
    stream = io.StringIO()
    stream.close()
    Bell(stream).ring(2)


def test_bell_ignores_a_broken_pipe() -> None:
    class BrokenPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    Bell(BrokenPipe()).ring()
