"""What a session plays on: a clock, a source of keys, sound and a display.

The runner and the loop only see these protocols. The command wires the real ones
(:mod:`sciatica_cli.session.terminal`); tests pass a fake clock, scripted keys and a display
that writes to a ``StringIO``, so a whole session runs in milliseconds without a terminal.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sciatica_cli.session.clock import Clock
    from sciatica_cli.session.player import Effect, PlayerState


class KeySource(Protocol):
    """Where key names ("space", "n", "!"...) come from."""

    def get(self, timeout: float) -> str | None:
        """The next key pressed within ``timeout`` seconds, or None when none came."""
        ...


class Sound(Protocol):
    """The bell and the voice."""

    def ring(self) -> None: ...

    def say(self, text: str) -> None: ...


class Display(Protocol):
    """Shows the session: the live screen, or one plain line per event."""

    def effects(self, state: PlayerState, effects: Sequence[Effect]) -> None:
        """Show what just happened (a plain display prints it; the live one redraws instead)."""
        ...

    def show(self, state: PlayerState, *, force: bool = False) -> None:
        """Bring the screen up to date; ``force`` right after a key, so its answer is at once."""
        ...

    def redraw_in(self) -> float | None:
        """Seconds (on the real clock) until a held-back frame is due, or None."""
        ...

    def notice(self, text: str) -> None:
        """A one-line warning (about the journal) the person should see now."""
        ...


def _no_suspend() -> None:
    return None


@dataclass(frozen=True)
class Devices:
    """Everything the loop plays on, passed in as one. ``suspend`` gives the terminal back,
    stops the process (Ctrl-Z) and takes the terminal again once it is continued."""

    clock: Clock
    keys: KeySource
    sound: Sound
    display: Display
    suspend: Callable[[], None] = _no_suspend


class QueueKeys:
    """Keys put on a queue by another thread (the terminal's key reader)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[str] = queue.Queue()

    def put(self, key: str) -> None:
        self._queue.put(key)

    def get(self, timeout: float) -> str | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None


class Silence:
    """No bell and no voice."""

    def ring(self) -> None:
        return None

    def say(self, text: str) -> None:
        return None
