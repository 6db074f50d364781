"""The session loop: keys and the clock drive the player; its effects go to the devices and
the recorder. It waits for the next key or the next moment something is due, so nothing
accumulates and no time is spent busy-waiting."""

from __future__ import annotations

import contextlib
import errno
import os
import signal as signal_module
import sys

from sciatica_cli.errors import ExitCode
from sciatica_cli.session.clock import ScaledClock
from sciatica_cli.session.devices import Devices
from sciatica_cli.session.player import (
    Action,
    Effect,
    Finished,
    Player,
    Ring,
    SegmentEnded,
    SegmentStarted,
    Speak,
    Status,
    action_for_key,
)
from sciatica_cli.session.recorder import Recorder
from sciatica_cli.session.signals import Suspended, Terminated

MAX_WAIT = 1.0  # never block longer than this, so signals and Ctrl-C are always seen
INTERRUPTED = ExitCode.INTERRUPTED
HANGUP = int(getattr(signal_module, "SIGHUP", 1))


def play(player: Player, devices: Devices, recorder: Recorder) -> Finished | int:
    """Play to the end: how it ended, or the exit code when Ctrl-C, a signal or a dead terminal
    cut it short. Either way every segment that ended, and the end itself, is in the recorder.
    """
    try:
        return _loop(player, devices, recorder)
    except KeyboardInterrupt:
        return _cut(player, devices, recorder, "stopped", "interrupted (Ctrl-C)", INTERRUPTED)
    except Terminated as signal:
        if signal.signum == HANGUP:  # the terminal was closed: nobody stopped the session
            return _cut(player, devices, recorder, "interrupted", "the terminal closed", 129)
        reason = f"terminated (signal {signal.signum})"
        return _cut(player, devices, recorder, "stopped", reason, signal.exit_code)
    except OSError as err:
        # A dead terminal (EIO) or a reader that left (EPIPE, '| head'): record, say nothing.
        if err.errno not in (errno.EIO, errno.EPIPE):
            raise
        silence_output()
        closed = "the terminal closed" if err.errno == errno.EIO else "the output was closed"
        code = 129 if err.errno == errno.EIO else 141  # as SIGHUP and SIGPIPE would
        return _cut(player, devices, recorder, "interrupted", closed, code)


def _cut(
    player: Player, devices: Devices, recorder: Recorder, status: str, reason: str, code: int
) -> int:
    recorder.segment_ended(_cut_off(player, devices))
    recorder.finish(status, reason)
    return code


def silence_output() -> None:
    """Point stdout and stderr at /dev/null, so nothing more fails on a dead terminal or pipe
    (not even Python's flush at exit)."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(null, stream.fileno())
    os.close(null)


def _cut_off(player: Player, devices: Devices) -> SegmentEnded:
    return SegmentEnded(player.index, "stopped", player.elapsed, 0.0, devices.clock.now())


def _loop(player: Player, devices: Devices, recorder: Recorder) -> Finished:
    pending, pressed = player.start(), False
    while True:
        try:
            finished = _show(player, devices, recorder, pending, pressed)
            if finished is not None:
                return finished
            pending, pressed = _wait(player, devices)
        except Suspended:
            # Ctrl-Z: stopped time is not exercise, so pause first; give the terminal back,
            # stop, and on 'fg' take it again and redraw, still paused (space carries on).
            if player.status is Status.RUNNING:
                player.handle(Action.TOGGLE_PAUSE)
            devices.suspend()
            pending, pressed = [], True


def _show(
    player: Player, devices: Devices, recorder: Recorder, pending: list[Effect], pressed: bool
) -> Finished | None:
    """Carry out what just happened; the end, when it came."""
    for effect in pending:
        if isinstance(effect, SegmentStarted):
            recorder.segment_started(effect.index)
        elif isinstance(effect, SegmentEnded):
            recorder.segment_ended(effect)
    _sound(pending, devices)
    devices.display.effects(player.state, pending)
    warning = recorder.take_warning()  # from the writer thread: the journal refused a write
    if warning is not None:
        devices.display.notice(warning)
        pressed = True
    devices.display.show(player.state, force=pressed)  # a key's answer shows at once
    return next((effect for effect in pending if isinstance(effect, Finished)), None)


def _wait(player: Player, devices: Devices) -> tuple[list[Effect], bool]:
    """Wait for the next key or the next moment something is due; nothing accumulates."""
    clock = devices.clock
    wake = player.next_wakeup()
    wait = MAX_WAIT if wake is None else max(0.0, wake - clock.now())
    if isinstance(clock, ScaledClock):
        wait = clock.real_seconds(wait)
    redraw = devices.display.redraw_in()
    if redraw is not None:
        wait = min(wait, redraw)
    key = devices.keys.get(min(wait, MAX_WAIT))
    if key is None:
        return player.tick(), False
    action = action_for_key(key, player.status)
    pending = (player.handle(action) if action else []) + player.tick()
    if action is None and player.status is Status.CONFIRM_QUIT:
        pending += player.handle(Action.NO)  # any other key answers "no, carry on"
    return pending, True


def _sound(effects: list[Effect], devices: Devices) -> None:
    for effect in effects:
        if isinstance(effect, Ring):
            devices.sound.ring()
        elif isinstance(effect, Speak):
            devices.sound.say(effect.text)
