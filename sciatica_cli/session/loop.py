"""The session loop: keys and the clock drive the player; its effects go to the devices and
the recorder. It waits for the next key or the next moment something is due, so nothing
accumulates and no time is spent busy-waiting."""

from __future__ import annotations

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
from sciatica_cli.session.signals import Terminated

MAX_WAIT = 1.0  # never block longer than this, so signals and Ctrl-C are always seen


def play(player: Player, devices: Devices, recorder: Recorder) -> Finished | int:
    """Play to the end: how it ended, or the exit code when Ctrl-C or a signal cut it short.

    Either way every segment that ended, and the end itself, is in the recorder.
    """
    try:
        return _loop(player, devices, recorder)
    except KeyboardInterrupt:
        recorder.segment_ended(_cut_off(player, devices))
        recorder.finish("stopped", "interrupted (Ctrl-C)")
        return ExitCode.INTERRUPTED
    except Terminated as signal:
        recorder.segment_ended(_cut_off(player, devices))
        recorder.finish("stopped", f"terminated (signal {signal.signum})")
        return signal.exit_code  # 128 + the signal: 143 for SIGTERM, 129 for SIGHUP


def _cut_off(player: Player, devices: Devices) -> SegmentEnded:
    return SegmentEnded(player.index, "stopped", player.elapsed, 0.0, devices.clock.now())


def _loop(player: Player, devices: Devices, recorder: Recorder) -> Finished:
    clock, keys = devices.clock, devices.keys
    pending, pressed = player.start(), False
    while True:
        for effect in pending:
            if isinstance(effect, SegmentStarted):
                recorder.segment_started(effect.index)
            elif isinstance(effect, SegmentEnded):
                recorder.segment_ended(effect)
        _sound(pending, devices)
        devices.display.effects(player.state, pending)
        devices.display.show(player.state, force=pressed)  # a key's answer shows at once
        for effect in pending:
            if isinstance(effect, Finished):
                return effect
        wake = player.next_wakeup()
        wait = MAX_WAIT if wake is None else max(0.0, wake - clock.now())
        if isinstance(clock, ScaledClock):
            wait = clock.real_seconds(wait)
        redraw = devices.display.redraw_in()
        if redraw is not None:
            wait = min(wait, redraw)
        key = keys.get(min(wait, MAX_WAIT))
        if key is None:
            pending, pressed = player.tick(), False
            continue
        action, pressed = action_for_key(key, player.status), True
        pending = (player.handle(action) if action else []) + player.tick()
        if action is None and player.status is Status.CONFIRM_QUIT:
            pending += player.handle(Action.NO)  # any other key answers "no, carry on"


def _sound(effects: list[Effect], devices: Devices) -> None:
    for effect in effects:
        if isinstance(effect, Ring):
            devices.sound.ring()
        elif isinstance(effect, Speak):
            devices.sound.say(effect.text)
