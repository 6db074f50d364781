"""Time for the player: a monotonic clock, a sped-up one for previews, and a fake for tests."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Seconds on a monotonic scale; only differences between readings mean anything."""

    def now(self) -> float: ...


class SystemClock:
    """``time.monotonic()``: deadlines never drift with sleep() error or wall-clock jumps."""

    def now(self) -> float:
        return time.monotonic()


class ScaledClock:
    """Routine time running ``speed`` times faster than ``base`` (for ``--speed`` previews)."""

    def __init__(self, base: Clock, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.base, self.speed = base, speed
        self._origin = base.now()

    def now(self) -> float:
        return self._origin + (self.base.now() - self._origin) * self.speed

    def real_seconds(self, routine_seconds: float) -> float:
        """How long to wait on the base clock for ``routine_seconds`` to pass on this one."""
        return routine_seconds / self.speed


class FakeClock:
    """A clock tests move by hand; it never sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds
