"""``routine start``: check-ins, then the player driven by keys and the clock, then the journal.

Two ways to play: the live screen with raw keys when stdin and stdout are terminals, and a
plain mode (one line per segment and cue, never reading stdin) for pipes, CI and screen
readers (``--plain``). Both share the same loop; only what carries out the effects differs.
"""

from __future__ import annotations

import queue
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING, Protocol, cast

from sciatica_cli import paths
from sciatica_cli.journal.export import JOURNAL_FILE
from sciatica_cli.routines.durations import format_clock, format_seconds
from sciatica_cli.safety import screening
from sciatica_cli.safety.prompter import Prompter
from sciatica_cli.session.clock import Clock, ScaledClock, SystemClock
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
    describe,
)

if TYPE_CHECKING:
    from rich.console import Console

    from sciatica_cli.journal.store import SessionStore
    from sciatica_cli.routines.planner import BodySide, Plan
    from sciatica_cli.session.sound import Bell, Speaker

EXIT_COMPLETED = 0
EXIT_STOPPED = 1
EXIT_SAFETY = 3  # stopped for pain or a red flag (SAFETY.md 2 and 4)
EXIT_INTERRUPTED = 130
MAX_WAIT = 1.0  # never block longer than this, so signals and Ctrl-C are always seen


@dataclass(frozen=True)
class StartOptions:
    """Everything ``routine start`` was asked for."""

    name: str = "full"
    minutes: float | None = None
    side: BodySide | None = None
    voice: bool = False
    bell: bool = True
    speed: float = 1.0
    pain_before: int | None = None
    assessed: bool = False
    history: bool = True
    plain: bool = False

    @property
    def preview(self) -> bool:
        """A sped-up run looks at a routine; it is never counted as a real session."""
        return self.speed != 1.0


class Journal:
    """The store, or nothing: a broken journal costs the record, never the session."""

    def __init__(self, store: SessionStore | None, record_sessions: bool) -> None:
        self.store = store
        self.record_sessions = record_sessions and store is not None
        self.session_id: int | None = None
        self.done: dict[int, float] = {}  # seconds spent per segment (a replayed one: its last run)
        self._started: dict[int, datetime] = {}

    def begin(self, plan: Plan, options: StartOptions, pain_before: int | None) -> None:
        if not self.record_sessions or self.store is None:
            return
        from sciatica_cli.journal.store import PlannedSegment

        segments = [
            PlannedSegment(i, s.kind, s.title, s.step_number, s.side, s.area, s.seconds)
            for i, s in enumerate(plan.segments)
        ]
        settings = {k: v for k, v in asdict(options).items() if k not in ("name", "pain_before")}
        self.session_id = self.store.start_session(
            routine=plan.name,
            title=plan.title,
            options=settings,
            planned_seconds=plan.total,
            preview=options.preview,
            segments=segments,
            pain_before=pain_before,
        )

    def segment_started(self, index: int) -> None:
        self._started[index] = _utc_now()

    def segment_ended(self, ended: SegmentEnded) -> None:
        self.done[ended.index] = ended.done_seconds
        if self.session_id is None or self.store is None:
            return
        now = _utc_now()
        self.store.record_segment(
            self.session_id,
            ended.index,
            outcome=ended.outcome,
            done_seconds=ended.done_seconds,
            started_at=self._started.get(ended.index, now),
            ended_at=now,
        )

    def finish(self, status: str, reason: str | None) -> None:
        if self.session_id is not None and self.store is not None:
            self.store.finish_session(self.session_id, status=status, stop_reason=reason)

    def note(self, text: str | None) -> None:
        if self.session_id is not None and self.store is not None and text:
            self.store.set_note(self.session_id, text)

    def pain_after(self, after: int | None) -> None:
        if self.session_id is not None and self.store is not None and after is not None:
            self.store.set_pain(self.session_id, after=after)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class GuardedStore:
    """The journal with a safety catch: its first failure (a full disk, a lock held too long)
    becomes one warning, and from then on it records nothing instead of stopping the session."""

    def __init__(self, store: SessionStore, warn: Callable[[str], None]) -> None:
        self._store, self._warn, self._failed = store, warn, False

    def __getattr__(self, name: str) -> Callable[..., object]:
        from sciatica_cli.errors import SciaticaError

        method = getattr(self._store, name)

        def guarded(*args: object, **kwargs: object) -> object:
            if self._failed:
                return None
            try:
                return method(*args, **kwargs)
            except SciaticaError as err:
                self._failed = True
                self._warn(f"Warning: {err.message} The rest of this session is not recorded.")
                return None

        return guarded


def open_journal(warn: Callable[[str], None]) -> SessionStore | None:
    """The session journal; any problem with it becomes a warning (the session still runs)."""
    from sciatica_cli.errors import SciaticaError
    from sciatica_cli.journal.store import SessionStore

    try:
        opened = SessionStore.open(paths.data_dir() / JOURNAL_FILE)
    except SciaticaError as err:
        warn(f"Warning: {err.message} This session will not be recorded.")
        return None
    store = cast("SessionStore", GuardedStore(opened, warn))
    interrupted = store.mark_interrupted()
    if interrupted:
        many = "sessions were" if len(interrupted) > 1 else "session was"
        warn(
            f"Note: {len(interrupted)} earlier {many} cut off before the end; "
            "the journal marks them as interrupted."
        )
    return store


def run(
    plan: Plan,
    options: StartOptions,
    prompter: Prompter,
    console: Console,
    store: SessionStore | None,
) -> int:
    """The whole session: check-ins, playing, and what comes after. Returns the exit code."""
    prompter.say(f"{plan.title}: {format_seconds(plan.total)}", "bold")
    if options.preview:
        prompter.say(
            f"Preview at x{options.speed:g}: check-ins are skipped and it is kept "
            "apart from your real sessions.",
            "yellow",
        )
        before = None
    else:
        if not screening.red_flag_check(prompter, store, assessed=options.assessed).go:
            return EXIT_SAFETY
        if not screening.contraindication_check(prompter, store).go:
            return EXIT_SAFETY
        before = screening.pain_before(prompter, options.pain_before)
    if plan.equipment:
        prompter.say("You need: " + "; ".join(plan.equipment) + ".")
    for note in plan.safety:
        prompter.say(f"- {note}")
    if prompter.interactive and not options.preview:
        prompter.ready("Get your mat and equipment ready, then press Enter to begin.")
    journal = Journal(store, options.history)
    journal.begin(plan, options, before)
    finished = _play(plan, options, console, journal)
    if isinstance(finished, int):  # Ctrl-C or a signal: the journal says why; nothing to ask
        return finished
    prompter.say(summary(finished, sum(journal.done.values()), plan.total), "bold")
    if finished.reason == "sharp pain":
        # Recorded before the questions, so Ctrl-C or a closed terminal cannot lose it; a
        # tier A yes is kept, with its date, in the screen record.
        journal.finish("stopped", "sharp pain")
        screening.sharp_pain_followup(prompter, store)
        return EXIT_SAFETY
    journal.finish(
        "completed" if finished.reason == "completed" else "stopped",
        None if finished.reason == "completed" else finished.reason,
    )
    if not options.preview:
        journal.pain_after(screening.pain_after(prompter, before))
        if prompter.interactive and journal.session_id is not None:
            journal.note(prompter.text("A note about this session? (Enter to skip)"))
        _show_advisories(prompter, store)
    return EXIT_COMPLETED if finished.reason == "completed" else EXIT_STOPPED


def _show_advisories(prompter: Prompter, store: SessionStore | None) -> None:
    """The SAFETY.md trend advice, after a session as in 'history stats'."""
    from sciatica_cli.journal.progress import advice

    for advisory in advice(store, _utc_now()) if store is not None else []:
        prompter.say(f"{advisory.title} ({advisory.rule}): {advisory.message}", "bold yellow")


def _play(plan: Plan, options: StartOptions, console: Console, journal: Journal) -> Finished | int:
    """Play the plan on the live screen or in plain lines: how it ended, or the exit code
    when Ctrl-C or a signal cut it short."""
    from sciatica_cli.session.keys import Terminated, signals_raise_terminated

    clock: Clock = (
        SystemClock() if not options.preview else ScaledClock(SystemClock(), options.speed)
    )
    player = Player(plan, clock)
    try:
        with signals_raise_terminated(), _outputs(plan, options, console) as out:
            return _loop(player, clock, out, journal)
    except KeyboardInterrupt:
        journal.segment_ended(_cut_off(player, clock))
        journal.finish("stopped", "interrupted (Ctrl-C)")
        console.print("Stopped with Ctrl-C.")
        return EXIT_INTERRUPTED
    except Terminated as signal:
        journal.segment_ended(_cut_off(player, clock))
        journal.finish("stopped", f"terminated (signal {signal.signum})")
        return signal.exit_code  # 128 + the signal: 143 for SIGTERM, 129 for SIGHUP


def _cut_off(player: Player, clock: Clock) -> SegmentEnded:
    return SegmentEnded(player.index, "stopped", player.elapsed, 0.0, clock.now())


class _Outputs(Protocol):
    """Carries out effects and shows state; the live and plain versions differ only here."""

    keys: queue.Queue[str]

    def effects(self, player: Player, effects: list[Effect]) -> None: ...

    def show(self, player: Player, *, force: bool = False) -> None: ...


@contextmanager
def _outputs(plan: Plan, options: StartOptions, console: Console) -> Iterator[_Outputs]:
    from sciatica_cli.session.keys import supported
    from sciatica_cli.session.sound import Bell, Speaker, find_speech_engine

    live = not options.plain and supported() and sys.stdout.isatty()
    with ExitStack() as stack:
        speaker = None
        if options.voice:  # with no engine the Speaker says so once, on stderr, then is silent
            speaker = stack.enter_context(Speaker(find_speech_engine(), notify=_to_stderr))
        bell = Bell(sys.stdout, enabled=options.bell and sys.stdout.isatty())
        if live:
            yield _LiveOutputs(stack, console, options, speaker, bell)
        else:
            yield _PlainOutputs(console.file, options, speaker, bell, plan)


def _to_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


class _LiveOutputs:
    """The Rich screen and raw keys (the only place both are used)."""

    def __init__(
        self,
        stack: ExitStack,
        console: Console,
        options: StartOptions,
        speaker: Speaker | None,
        bell: Bell,
    ) -> None:
        from sciatica_cli.session.keys import KeyReader
        from sciatica_cli.session.screen import Screen

        self.keys: queue.Queue[str] = queue.Queue()
        self.speaker, self.bell = speaker, bell
        self.screen = stack.enter_context(Screen(console, speed=options.speed))
        stack.enter_context(KeyReader(self.keys.put))

    def effects(self, player: Player, effects: list[Effect]) -> None:
        _speak_and_ring(effects, self.speaker, self.bell)

    def show(self, player: Player, *, force: bool = False) -> None:
        self.screen.update(player.state, force=force)


class _PlainOutputs:
    """One line per segment and cue with the routine time; never reads stdin."""

    def __init__(
        self, file: IO[str], options: StartOptions, speaker: Speaker | None, bell: Bell, plan: Plan
    ) -> None:
        self.keys: queue.Queue[str] = queue.Queue()  # nothing arrives: no keys, no terminal
        self.file, self.speaker, self.bell, self.plan = file, speaker, bell, plan
        if options.preview:
            self._line(f"PREVIEW x{options.speed:g} - not recorded as a real session")

    def _line(self, text: str) -> None:
        self.file.write(text + "\n")
        self.file.flush()

    def effects(self, player: Player, effects: list[Effect]) -> None:
        _speak_and_ring(effects, self.speaker, self.bell)
        at = format_clock(player.state.routine_elapsed)
        for effect in effects:
            if isinstance(effect, SegmentStarted):
                segment = self.plan.segments[effect.index]
                label = (
                    describe(segment)
                    if segment.kind != "setup"
                    else (f"Get into position: {describe(segment)}")
                )
                self._line(f"[{at}] {label} ({format_seconds(segment.seconds)})")
                if segment.kind == "step" and segment.warning:
                    self._line(f"[{at}]   ! {segment.warning}")
            elif isinstance(effect, Speak) and effect.text == player.state.cue:
                self._line(f"[{at}]   {effect.text}")
            elif isinstance(effect, Finished):
                self._line(f"[{format_clock(player.state.routine_elapsed)}] Finished.")

    def show(self, player: Player, *, force: bool = False) -> None:
        return None


def _speak_and_ring(effects: list[Effect], speaker: Speaker | None, bell: Bell) -> None:
    for effect in effects:
        if isinstance(effect, Ring):
            bell.ring()
        elif isinstance(effect, Speak) and speaker is not None:
            speaker.say(effect.text)


def summary(finished: Finished, done: float, planned: float) -> str:
    """One line on how the session went, for after the live screen has closed."""
    words = {
        "completed": "Done: the routine is complete",
        "quit": "Stopped by you",
        "sharp pain": "Stopped for sharp pain",
    }[finished.reason]
    return f"{words} ({format_seconds(done)} of {format_seconds(planned)})."


def _loop(player: Player, clock: Clock, out: _Outputs, journal: Journal) -> Finished:
    """Wait for the next key or the next moment something is due; nothing accumulates."""
    pending, pressed = player.start(), False
    while True:
        for effect in pending:
            if isinstance(effect, SegmentStarted):
                journal.segment_started(effect.index)
            elif isinstance(effect, SegmentEnded):
                journal.segment_ended(effect)
        out.effects(player, pending)
        out.show(player, force=pressed)  # a key's result shows at once, not at the next tick
        for effect in pending:
            if isinstance(effect, Finished):
                return effect
        wake = player.next_wakeup()
        wait = MAX_WAIT if wake is None else max(0.0, wake - clock.now())
        if isinstance(clock, ScaledClock):
            wait = clock.real_seconds(wait)
        try:
            key = out.keys.get(timeout=min(wait, MAX_WAIT))
        except queue.Empty:
            pending, pressed = player.tick(), False
            continue
        action, pressed = action_for_key(key, player.status), True
        pending = (player.handle(action) if action else []) + player.tick()
        if action is None and player.status is Status.CONFIRM_QUIT:
            pending += player.handle(Action.NO)  # any other key answers "no, carry on"


def start(options: StartOptions, console: Console) -> int:
    """Plan the routine, open the journal and run the session; returns the exit code."""
    from sciatica_cli.routines.library import RoutineLibrary, scan
    from sciatica_cli.routines.planner import PlanOptions, plan_routine
    from sciatica_cli.safety.prompter import TerminalPrompter

    catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
    expanded = RoutineLibrary(catalog).expand(options.name)
    plan = plan_routine(expanded, PlanOptions(options.minutes, options.side))
    prompter = TerminalPrompter(console)
    store = open_journal(_to_stderr)
    try:
        return run(plan, options, prompter, console, store)
    finally:
        if store is not None:
            store.close()
