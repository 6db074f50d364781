"""The real devices for a session in this process's terminal, and ``routine start`` itself.

The live screen with raw keys when stdin and stdout are terminals; otherwise (or with
``--plain``) one line per segment and cue, never reading stdin. SIGTERM and SIGHUP are turned
into an exception for the duration, so the terminal is given back and the journal records why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from sciatica_cli import paths
from sciatica_cli.session.clock import Clock, ScaledClock, SystemClock
from sciatica_cli.session.devices import Devices, QueueKeys

if TYPE_CHECKING:
    from rich.console import Console

    from sciatica_cli.routines.planner import Plan
    from sciatica_cli.safety.prompter import Prompter
    from sciatica_cli.session.options import StartOptions
    from sciatica_cli.session.sound import Bell, Speaker


class TerminalSound:
    """The terminal bell and, when asked for, the voice."""

    def __init__(self, bell: Bell, speaker: Speaker | None) -> None:
        self.bell, self.speaker = bell, speaker

    def ring(self) -> None:
        self.bell.ring()

    def say(self, text: str) -> None:
        if self.speaker is not None:
            self.speaker.say(text)


def to_stdout_line(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def to_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


@contextmanager
def terminal_devices(
    plan: Plan, notes: Mapping[int, str], options: StartOptions, console: Console
) -> Iterator[Devices]:
    """The clock, keys, sound and display of this terminal, given back on the way out.

    Keys are read whenever stdin is a terminal, ``--plain`` included (SAFETY.md 4: the stop
    key works in every mode that has a keyboard)."""
    from sciatica_cli.session.displays import LiveDisplay, PlainDisplay
    from sciatica_cli.session.keys import KeyReader, supported
    from sciatica_cli.session.signals import signals_raise_terminated, stop_this_process
    from sciatica_cli.session.sound import Bell, Speaker, find_speech_engine

    clock: Clock = SystemClock()
    if options.preview:
        clock = ScaledClock(clock, options.speed)
    keyboard = supported()
    live = not options.plain and keyboard and sys.stdout.isatty()
    if live and console.is_dumb_terminal:
        # TERM=dumb (or unknown): nothing can be drawn, so plain lines rather than a blind screen.
        term = os.environ.get("TERM", "")
        to_stderr(f"This terminal cannot draw the live screen (TERM={term}): plain lines instead.")
        live = False
    keys = QueueKeys()
    with ExitStack() as stack:
        stack.enter_context(signals_raise_terminated(suspend=keyboard))
        speaker = None
        if options.voice:  # with no engine the Speaker says so once, on stderr, then is silent
            speaker = stack.enter_context(Speaker(find_speech_engine(), notify=to_stderr))
        sound = TerminalSound(
            Bell(sys.stdout, enabled=options.bell and sys.stdout.isatty()), speaker
        )
        screen = None
        if live:
            from sciatica_cli.session.screen import Screen

            screen = stack.enter_context(Screen(console, speed=options.speed))
            display: LiveDisplay | PlainDisplay = LiveDisplay(screen, notes)
        else:
            display = PlainDisplay(console.file, plan, options.speed, notes, keys=keyboard)
        reader = stack.enter_context(KeyReader(keys.put)) if keyboard else None

        def suspend() -> None:
            # Ctrl-Z: the terminal as it was before the session, then stop; after 'fg', the
            # keys and the screen again (the loop has paused the session).
            if screen is not None:
                screen.suspend()
            if reader is not None:
                reader.__exit__(None, None, None)
            stop_this_process()
            if reader is not None:
                reader.__enter__()
            if screen is not None:
                screen.resume()
            else:
                to_stdout_line("Paused while stopped (Ctrl-Z). Press space to carry on.")

        yield Devices(clock, keys, sound, display, suspend)


def terminal_prompter(console: Console) -> Prompter:
    """Questions asked on this terminal (answers read from stdin when it is one)."""
    from sciatica_cli.safety.prompter import TerminalPrompter

    return TerminalPrompter(console)


def start(options: StartOptions, console: Console) -> int:
    """Plan the routine, open the journal and run the session here; returns the exit code.

    The prompter and the devices come from :func:`terminal_prompter` and
    :func:`terminal_devices`, looked up when called, so a test can swap in fakes for both.
    """
    from sciatica_cli.routines.library import scan
    from sciatica_cli.routines.listing import CACHE_NAME, load_expanded
    from sciatica_cli.session.recorder import open_session_journal
    from sciatica_cli.session.runner import run_session

    catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
    # From the validated cache while the files are unchanged: no pydantic or yaml to import.
    expanded = load_expanded(catalog, options.name, paths.cache_dir() / CACHE_NAME)
    journal = open_session_journal(to_stderr)
    try:
        return run_session(
            expanded,
            options,
            terminal_prompter(console),
            journal,
            lambda plan, notes: terminal_devices(plan, notes, options, console),
            to_stderr,
        )
    finally:
        if journal is not None:
            journal.close()
