"""``routine start`` as one sequence: the check-ins, playing the plan, and what comes after.

The runner never builds its own clock, keys, sound or screen: ``open_devices`` hands them in
once the questions are over (the live screen must not cover them), so a test can run a whole
session with a fake clock and scripted keys. :mod:`sciatica_cli.session.terminal` wires the
real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sciatica_cli.errors import ExitCode
from sciatica_cli.journal.opening import journal_path
from sciatica_cli.routines.durations import format_seconds
from sciatica_cli.safety import pain, pain_questions
from sciatica_cli.session.before import prepare
from sciatica_cli.session.loop import play
from sciatica_cli.session.player import Finished, Player
from sciatica_cli.session.recorder import Recorder, SessionJournal
from sciatica_cli.session.writer import JournalWriter
from sciatica_cli.wallclock import utc_now

if TYPE_CHECKING:
    from sciatica_cli.routines.plain import ExpandedRoutine
    from sciatica_cli.routines.planner import Plan
    from sciatica_cli.safety.prompter import Prompter
    from sciatica_cli.session.devices import Devices
    from sciatica_cli.session.options import StartOptions

OpenDevices = Callable[["Plan", Mapping[int, str]], AbstractContextManager["Devices"]]


def run_session(
    expanded: ExpandedRoutine,
    options: StartOptions,
    prompter: Prompter,
    journal: SessionJournal | None,
    open_devices: OpenDevices,
    warn: Callable[[str], None],
) -> int:
    """The whole session: the questions, playing, and what comes after. Returns the exit code.

    Warnings about the journal go to ``warn`` (stderr) once the session is over."""
    prompter.say(expanded.title, "bold")
    ready = prepare(expanded, options, prompter, journal)
    if isinstance(ready, int):
        return ready
    plan = ready.plan
    prompter.say(f"Planned: {format_seconds(plan.total)}.", "bold")
    if plan.equipment:
        prompter.say("You need: " + "; ".join(plan.equipment) + ".")
    for note in plan.safety:
        prompter.say(f"- {note}")
    prompter.say(f"- {pain.DURING_SESSION}")  # SAFETY.md 4: during a session
    if prompter.interactive and not options.preview:
        prompter.ready("Get your mat and equipment ready, then press Enter to begin.")
    recorder = Recorder(JournalWriter(journal_path()) if options.history else None)  # off the clock
    try:
        recorder.begin(
            plan,
            options,
            ready.pain_before,
            back_before=ready.back_before,
            pain_scores=ready.pain_scores,
        )
        with open_devices(plan, ready.notes) as devices:
            finished = play(Player(plan, devices.clock), devices, recorder)
        if isinstance(finished, int):  # Ctrl-C, a signal, a closed terminal: nothing to ask
            if finished == ExitCode.INTERRUPTED:
                prompter.say("Stopped with Ctrl-C.")
            return finished
        return _after(finished, plan, options, prompter, journal, recorder, warn)
    finally:
        _close(recorder, warn)


def _after(
    finished: Finished,
    plan: Plan,
    options: StartOptions,
    prompter: Prompter,
    journal: SessionJournal | None,
    recorder: Recorder,
    warn: Callable[[str], None],
) -> int:
    """The summary, the end in the journal, and the questions and advice after a session."""
    done = recorder.done_seconds
    prompter.say(summary(finished, done, plan.total), "bold")
    if finished.reason == "sharp pain":
        # Recorded before the questions, so Ctrl-C or a closed terminal cannot lose it.
        recorder.finish("stopped", "sharp pain")
        now, _ = pain_questions.sharp_pain_followup(prompter, journal, recorder.pain_scores)
        recorder.pain_after(now.pain, now.back)  # SAFETY.md 4: the pain now is the pain after
        return ExitCode.SAFETY
    completed = finished.reason == "completed"
    recorder.finish("completed" if completed else "stopped", None if completed else finished.reason)
    if not options.preview and not pain.counts_towards_goal(done, plan.total):
        # SAFETY.md 4 (product rule): less than half done is not a session.
        prompter.say("Less than half of it was done, so it does not count towards your goal.")
    if not options.preview:
        before = pain_questions.PainAnswer(
            recorder.pain_scores, recorder.pain_before, recorder.back_before
        )
        after = pain_questions.pain_scores_after(prompter, before)
        recorder.pain_after(after.pain, after.back)
        if prompter.interactive and recorder.recording:
            recorder.note(prompter.text("A note about this session? (Enter to skip)"))
        _close(recorder, warn)  # the session in the journal before its advice
        # SAFETY.md 2 tier C and 4: the trend advice, after a session as in 'history stats'.
        for advisory in journal.advice(utc_now()) if journal is not None else []:
            prompter.say(f"{advisory.title}: {advisory.message}", "bold yellow")
    return ExitCode.COMPLETED if completed else ExitCode.STOPPED


def _close(recorder: Recorder, warn: Callable[[str], None]) -> None:
    """Every record written, or kept beside the journal; say what could not be."""
    if recorder.unsaved:
        warn("Saving this session: waiting for disk space (up to 30 seconds)...")
    for warning in recorder.close():
        warn(warning)


def summary(finished: Finished, done: float, planned: float) -> str:
    """One line on how the session went, for after the live screen has closed."""
    words = {
        "completed": "Done: the routine is complete",
        "quit": "Stopped by you",
        "sharp pain": "Stopped for sharp pain",
    }[finished.reason]
    return f"{words} ({format_seconds(done)} of {format_seconds(planned)})."
