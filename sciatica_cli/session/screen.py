"""The live session screen: :func:`~sciatica_cli.session.layout.render_session` shown
full-screen through ``rich.live`` (the only module allowed to import it), redrawn only when
something visible changed, at most ``max_fps`` times a second.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable
from types import TracebackType

from rich.console import Console
from rich.live import Live

from sciatica_cli.session.layout import render_session, visible_key
from sciatica_cli.session.player import PlayerState


class Screen:
    """The session shown full-screen (alternate screen, cursor hidden) while in a ``with``."""

    def __init__(
        self,
        console: Console,
        *,
        speed: float = 1.0,
        max_fps: float = 4.0,
        clock: Callable[[], float] = time.monotonic,
        keys: bool = True,
    ) -> None:
        if max_fps <= 0:
            raise ValueError("max_fps must be positive")
        self.console = console
        self.speed = speed
        self.keys = keys
        self.min_interval = 1.0 / max_fps
        self._clock = clock
        self._live: Live | None = None
        self._shown: Hashable | None = None
        self._drawn_at: float | None = None
        self._deferred = False  # a change waits for the frame interval to pass

    def __enter__(self) -> Screen:
        # Alternate screen: the routine's own scrollback stays clean for the summary after.
        self._live = Live(console=self.console, screen=True, auto_refresh=False, transient=True)
        self._live.start()
        self._shown = self._drawn_at = None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        live, self._live = self._live, None
        if live is not None:
            # Shows the cursor and leaves the alternate screen, even on errors; on a terminal
            # that has gone (hung up) there is nothing left to restore.
            with contextlib.suppress(OSError):
                live.stop()

    def suspend(self) -> None:
        """Leave the alternate screen and show the cursor (Ctrl-Z); :meth:`resume` comes back."""
        self.__exit__(None, None, None)

    def resume(self) -> None:
        """Back on the alternate screen; the next update draws the whole frame again."""
        self.__enter__()

    def update(
        self,
        state: PlayerState,
        *,
        force: bool = False,
        note: str | None = None,
        warning: str | None = None,
    ) -> bool:
        """Redraw if what is shown changed and the frame rate allows; returns whether it drew.

        ``force`` draws now regardless: use it after a key press so the answer is immediate.
        """
        if self._live is None:
            raise RuntimeError("Screen.update() needs the screen open: use 'with Screen(...)'")
        width, height = self.console.width, self.console.height  # read each time: resizes
        key = (visible_key(state, width, height), note, warning)
        now = self._clock()
        if not force:
            if key == self._shown:
                return False
            if self._drawn_at is not None and now - self._drawn_at < self.min_interval - 1e-9:
                self._deferred = True  # drawn as soon as the interval allows: redraw_in()
                return False
        renderable = render_session(
            state,
            width=width,
            height=height,
            speed=self.speed,
            keys=self.keys,
            note=note,
            warning=warning,
        )
        self._live.update(renderable, refresh=True)
        self._shown, self._drawn_at, self._deferred = key, now, False
        return True

    def redraw_in(self) -> float | None:
        """Seconds until a change held back by the frame rate may be drawn; None when none
        waits. The loop wakes then, so a second is never skipped because a key came just
        before it."""
        if not self._deferred or self._drawn_at is None:
            return None
        return max(0.0, self._drawn_at + self.min_interval - self._clock())
