"""Guided-session benchmark: CPU while counting down, timing error at the end, peak memory.

Targets (from the project's issues):

1. CPU while a step counts down on the live screen: at most 0.25 % of one core, over a 60 s
   window in a real terminal, start-up excluded (termdown 2.0 spends about 1.2 %).
2. Timing error at the end of a real-time 5-minute routine: under 20 ms against the planned
   total plus the time paused.
3. Peak memory (RSS) of a whole ``routine start`` session: at most 32 MiB (termdown 2.0
   counting down uses about 30).

What is measured:

- CPU: ``sciatica routine start bench-long --pain-before 0 --no-history`` (one 15-minute step)
  runs in a detached tmux session (own socket, 80x30, ``SCIATICA_HOME`` a temp dir). The
  warning-sign and condition questions of a first real session are answered "n", and "press
  Enter to begin" with Enter, by polling ``tmux capture-pane`` for a waiting prompt. Once the
  countdown is on screen and has run 2 s, the process's utime + stime (``/proc/PID/stat``,
  all threads) is read at the start and end of a ``--seconds`` window (60 s); CPU % = CPU
  seconds / wall seconds. The run time of the threads from ``/proc/PID/task/*/schedstat``
  (nanoseconds) is shown beside it. For comparison, a naive countdown (a Python loop that
  sleeps to each second boundary and prints ``m:ss`` after a ``\\r``) is measured the same
  way, and so is termdown 2.0 (``termdown 900``) when it is installed
  (``pip install termdown==2.0.0``; it is not a dependency of sciatica). They alternate,
  ``--runs`` times each (3); medians are reported.
- Timing, plain: ``sciatica routine start bench-5m --plain --no-history --pain-before 0``, stdin
  from /dev/null, a routine of one ``5m`` step and ``transition: 0s`` (300 s planned). Each
  stdout line is stamped with ``time.monotonic()`` as it arrives; the error is (the
  ``[5:00] Finished.`` line) - (the ``[0:00] ...`` line) - 300 s. ``--quick`` uses a 30 s
  routine instead (a fast check, not the recorded figure).
- Timing, live with a pause: the same routine on the live screen in tmux. ``tmux pipe-pane``
  copies what the screen receives to a small stamper that notes the monotonic time of the
  first frame (``step 1 of 1``) and of the finished frame (``Session complete``). Space is
  sent 60 s after the first frame and again 10 s later; the pause is the time between the two
  sends. The error is end - start - 300 s - pause. The journal's own segment timestamps give
  a second reading (ended_at - started_at - 300 s - pause).
- Memory, with the routine cache warm (``routine list`` once, as by a second session): the
  peak RSS of a plain session of the built-in ``full`` routine at ``--speed 50``
  (stdin and stdout /dev/null), of the live screen in tmux playing ``glute-ball`` at
  ``--speed 20``, and of a whole real session in tmux (``bench-30s``: the first-session
  questions answered, the live countdown, the pain after, the journal written), each started
  by a small Python wrapper that reads the child's ``ru_maxrss`` from ``os.wait4``; the same
  for termdown 2.0 counting down 30 s, when installed; ``--runs`` times each, the median
  judged. For information, the plain ``full`` session right after its routine files changed
  (the cache cold: validating them imports pydantic and yaml). Linux counts the
  wrapper's forked copy (before exec) in the child's peak, so the wrapper's own peak is
  printed as the floor of the figures. For information: ``python -c pass`` and
  ``import typer, rich, pydantic, yaml, sqlite3``, each reading its own ``VmHWM`` as it ends,
  and the ``VmHWM`` of each live countdown at the end of its CPU window.

Needs Linux (``/proc``) and tmux. Run from the repo root with the project's interpreter::

    python bench/session.py [--runs 3] [--seconds 60] [--quick] [--only cpu,timing,memory]

The full run takes about 22 minutes. It reports and always exits 0 (unless the set-up itself
fails); it does not gate anything.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

from _common import console_script  # bench/ is on sys.path when run as a script

CPU_LIMIT = 0.25  # % of one core
TIMING_LIMIT = 0.020  # seconds
MEMORY_LIMIT = 32.0  # MiB
SIZE = (80, 30)
SETTLE = 2.0  # seconds of countdown before the CPU window opens
PAUSE_AT, PAUSE_FOR = 60.0, 10.0
READY = "space pause"  # the key legend: the countdown is on screen
AFTER = "after the session?"  # the pain question after a real session: the journal is done
PARTS = ("cpu", "timing", "memory")
TERMDOWN = "termdown 2.0 (info)"
# Questions before a first real session, and the keys that answer them: "no" to each list of
# warning signs and conditions, "left" for the side, Enter to "ready?" and to any pain
# question (skipped).
PROMPTS = (
    (re.compile(r"\[[yY]/[nN]\]"), ("n", "Enter")),
    (re.compile(r"\[left/right/both\]"), ("l", "Enter")),  # the affected side, asked once
    (re.compile(r"press Enter to begin\.|Enter to skip\)"), ("Enter",)),
)

ROUTINE = """\
name: {name}
title: Benchmark {name}
summary: One long step, for timing 'sciatica routine start'.
areas: [glutes]
transition: 0s
steps:
  - title: Hold still
    duration: {duration}
    instructions: Nothing to do; this routine only measures the timer.
"""

NAIVE_COUNTDOWN = """\
import sys, time

end = time.monotonic() + int(sys.argv[1])
print("naive countdown", flush=True)
while (left := end - time.monotonic()) > 0:
    whole = int(left) + (left % 1 > 0)  # whole seconds left, rounded up
    sys.stdout.write(f"\\r{whole // 60}:{whole % 60:02d} ")
    sys.stdout.flush()
    time.sleep(left - (whole - 1))  # to the next second boundary
"""

# Copies the pane's output (from tmux pipe-pane) and notes when each marker first appears.
STAMPER = """\
import os, sys, time

out = open(sys.argv[1], "a", buffering=1)
markers = dict(arg.split("=", 1)[::-1] for arg in sys.argv[2:])  # text -> name
tail = b""
while chunk := os.read(0, 65536):
    now = time.monotonic()
    data = tail + chunk
    for text, name in list(markers.items()):
        if text.encode() in data:
            out.write(f"{name} {now!r}\\n")
            del markers[text]
    tail = data[-256:]
"""

# Runs a command (on its own stdin and stdout: a pane's terminal, or /dev/null) and writes
# its exit code, its peak RSS (KiB) and the wrapper's own peak RSS, which is the floor of the
# child's figure: Linux counts the forked copy of the wrapper, before exec, in the child's.
RSS_WRAPPER = """\
import os, sys


def hwm():
    with open("/proc/self/status") as status:
        return next(line.split()[1] for line in status if line.startswith("VmHWM:"))


floor = hwm()
pid = os.spawnv(os.P_NOWAIT, sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1] + ".part", "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss} {floor}\\n")
os.replace(sys.argv[1] + ".part", sys.argv[1])
"""

# Appended to a baseline's code: the process prints its own peak RSS (KiB) as it ends.
PRINT_HWM = """
with open("/proc/self/status") as _status:
    print(next(_l.split()[1] for _l in _status if _l.startswith("VmHWM:")))
"""


class Tmux:
    """A private tmux server (its own ``-L`` socket) for real-terminal runs."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"sciatica-bench-{os.getpid()}"
        self.env = env
        self._count = 0

    def run(self, *args: str) -> str:
        for attempt in range(5):
            result = subprocess.run(
                ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
            )
            # Killing the last session ends the server; a new-session racing its exit fails
            # with "server exited unexpectedly": start it again.
            if result.returncode == 0 or "server exited unexpectedly" not in result.stderr:
                break
            time.sleep(0.2 * (attempt + 1))
        if result.returncode != 0:
            sys.exit(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    @contextlib.contextmanager
    def session(
        self, argv: list[str], home: Path, pipe_to: list[str] | None = None
    ) -> Iterator[Pane]:
        """A detached 80x30 session running ``argv`` (exec'd, so the pane's pid is its pid).

        The command waits for one Enter first, so that ``pipe_to`` is in place before its first
        byte of output; the pane stays after the command exits, for its last screen.
        """
        self._count += 1
        name = f"s{self._count}"
        command = "read go && exec " + shlex.join(argv)
        width, height = SIZE
        self.run(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(width),
            "-y",
            str(height),
            "-e",
            f"SCIATICA_HOME={home}",
            command,
        )
        try:
            self.run("set-option", "-w", "-t", name, "remain-on-exit", "on")
            if pipe_to is not None:
                self.run("pipe-pane", "-O", "-t", name, "exec " + shlex.join(pipe_to))
            self.run("send-keys", "-t", name, "Enter")
            yield Pane(self, name)
        finally:
            self.run("kill-session", "-t", name)

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            env=self.env,
            capture_output=True,
            check=False,
        )


@dataclass
class Pane:
    tmux: Tmux
    name: str

    def screen(self, history: bool = False) -> str:
        extra = ["-S", "-"] if history else []
        return self.tmux.run("capture-pane", "-p", "-J", *extra, "-t", self.name)

    def send(self, *keys: str) -> None:
        self.tmux.run("send-keys", "-t", self.name, *keys)

    def info(self, fmt: str) -> str:
        return self.tmux.run("display-message", "-p", "-t", self.name, fmt).strip()

    @property
    def pid(self) -> int:
        return int(self.info("#{pane_pid}"))

    @property
    def dead(self) -> bool:
        return self.info("#{pane_dead}") == "1"

    def fail(self, what: str) -> None:
        sys.exit(f"{what}; the pane shows:\n{self.screen(history=True).rstrip()}")

    def answer_until(self, marker: str, timeout: float = 60.0) -> None:
        """Answer each waiting question (see PROMPTS) until ``marker`` is on screen."""
        answered = [0] * len(PROMPTS)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen(history=True)
            if marker in text:
                return
            if self.dead:
                self.fail(f"the command ended before {marker!r} showed")
            lines = [line.rstrip() for line in text.splitlines() if line.strip()]
            last = lines[-1] if lines else ""
            for number, (prompt, keys) in enumerate(PROMPTS):
                asked = len(prompt.findall(text))  # answered or not: a count that only grows
                if asked > answered[number] and any(last.endswith(m) for m in prompt.findall(last)):
                    self.send(*keys)  # the last line ends with the question: it is waiting
                    answered[number] = asked
            time.sleep(0.05)
        self.fail(f"{marker!r} did not show within {timeout:g} s")


def cpu_seconds(pid: int) -> float:
    """utime + stime of the whole process (every thread), in seconds."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_seconds(pid: int) -> float:
    """Time on a CPU of every live thread, from schedstat (nanosecond resolution)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def peak_rss_mib(pid: int) -> float:
    """VmHWM (the peak resident set so far) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class CpuRun:
    percent: float
    sched_percent: float
    peak_mib: float


def measure_cpu(tmux: Tmux, argv: list[str], home: Path, ready: str, window: float) -> CpuRun:
    """CPU % of ``argv`` over ``window`` seconds once ``ready`` is on its screen."""
    with tmux.session(argv, home) as pane:
        pane.answer_until(ready)
        pid = pane.pid
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if Path(argv[0]).name not in cmdline:
            sys.exit(f"pane pid {pid} runs {cmdline!r}, not {argv[0]}")
        time.sleep(SETTLE)
        wall0, cpu0, run0 = time.monotonic(), cpu_seconds(pid), run_seconds(pid)
        time.sleep(window)
        wall1, cpu1, run1 = time.monotonic(), cpu_seconds(pid), run_seconds(pid)
        peak = peak_rss_mib(pid)
        if pane.dead or ready not in pane.screen():
            pane.fail("the countdown was no longer on screen at the end of the window")
    wall = wall1 - wall0
    return CpuRun(100 * (cpu1 - cpu0) / wall, 100 * (run1 - run0) / wall, peak)


def stamped_lines(argv: list[str], env: dict[str, str]) -> list[tuple[float, str]]:
    """Run ``argv`` and return its stdout lines, each with its arrival time."""
    proc = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None
    fd, lines, partial = proc.stdout.fileno(), [], b""
    while chunk := os.read(fd, 65536):
        now = time.monotonic()
        *complete, partial = (partial + chunk).split(b"\n")
        lines += [(now, line.decode(errors="replace")) for line in complete]
    _, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{shlex.join(argv)}: exit code {proc.returncode}\n{err.decode()[-2000:]}")
    return lines


@dataclass
class Timing:
    error: float
    detail: str
    journal_error: float | None = None


def plain_timing(script: str, name: str, planned: float, env: dict[str, str]) -> Timing:
    argv = [script, "routine", "start", name, "--plain", "--no-history", "--pain-before", "0"]
    lines = stamped_lines(argv, env)
    first = next((t for t, line in lines if line.startswith("[0:00] ")), None)
    end = next((t for t, line in lines if line.endswith("] Finished.")), None)
    if first is None or end is None:
        sys.exit("plain session: no '[0:00]' or 'Finished.' line in:\n" + "\n".join(lines))
    finished = next(line for _, line in lines if line.endswith("] Finished."))
    return Timing(end - first - planned, f"first segment line to {finished!r}: {end - first:.4f} s")


def read_stamps(path: Path) -> dict[str, float]:
    if not path.is_file():
        return {}
    stamps: dict[str, float] = {}
    for line in path.read_text().splitlines():
        name, value = line.split()
        stamps.setdefault(name, float(value))
    return stamps


def wait_for_stamp(path: Path, name: str, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name in (stamps := read_stamps(path)):
            return stamps[name]
        time.sleep(0.2)
    sys.exit(f"the screen never showed the {name!r} marker (stamps: {read_stamps(path)})")


def sleep_until(moment: float) -> None:
    while (left := moment - time.monotonic()) > 0:
        time.sleep(left)


def live_pause_timing(
    tmux: Tmux, script: str, name: str, planned: float, home: Path, work: Path
) -> Timing:
    stamps = work / f"stamps-{name}.txt"
    stamper = work / "stamper.py"
    stamper.write_text(STAMPER, encoding="utf-8")
    markers = ["start=step 1 of 1", "end=Session complete"]
    argv = [script, "routine", "start", name, "--pain-before", "0"]  # recorded: journal check
    pipe_to = [sys.executable, str(stamper), str(stamps), *markers]
    with tmux.session(argv, home, pipe_to=pipe_to) as pane:
        pane.answer_until(READY)
        start = wait_for_stamp(stamps, "start", 10)
        pause_at = min(PAUSE_AT, planned / 3)
        sleep_until(start + pause_at)
        pressed = time.monotonic()
        pane.send("Space")
        sleep_until(pressed + PAUSE_FOR)
        released = time.monotonic()
        pane.send("Space")
        pause = released - pressed
        end = wait_for_stamp(stamps, "end", planned + PAUSE_FOR + 30 - (time.monotonic() - start))
        # The journal is closed off after the live screen: wait for the question that follows.
        settled = time.monotonic() + 15
        while AFTER not in pane.screen() and not pane.dead and time.monotonic() < settled:
            time.sleep(0.2)
    with contextlib.closing(sqlite3.connect(f"file:{home / 'journal.db'}?mode=ro", uri=True)) as db:
        row = db.execute(
            "SELECT s.started_at, s.ended_at, x.status FROM segments s"
            " JOIN sessions x ON x.id = s.session_id ORDER BY x.id DESC LIMIT 1"
        ).fetchone()
    journal_error = None
    if row is not None and row[0] and row[1]:
        span = (datetime.fromisoformat(row[1]) - datetime.fromisoformat(row[0])).total_seconds()
        journal_error = span - planned - pause
    detail = (
        f"space at {pause_at:g} s, pause {pause:.4f} s (between the two key sends); "
        f"first frame to finished frame: {end - start:.4f} s; journal status {row and row[2]!r}"
    )
    return Timing(end - start - planned - pause, detail, journal_error)


def write_wrapper(work: Path) -> Path:
    wrapper = work / "rss_wrapper.py"
    wrapper.write_text(RSS_WRAPPER, encoding="utf-8")
    return wrapper


def read_wrapper(result: Path) -> tuple[int, float, float]:
    """(exit code, peak RSS in MiB, the wrapper's floor in MiB) from a wrapper's result."""
    code, kib, floor = result.read_text().split()
    return int(code), int(kib) / 1024, int(floor) / 1024


def peak_rss_child(argv: list[str], env: dict[str, str], work: Path, run: int) -> Memory:
    """Peak RSS of ``argv`` (stdin and stdout /dev/null), through the wrapper."""
    result = work / f"rss-plain-{env['SCIATICA_HOME'].replace('/', '_')}-{run}.txt"
    command = [sys.executable, str(write_wrapper(work)), str(result), *argv]
    done = subprocess.run(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    code, mib, floor = read_wrapper(result)
    if done.returncode != 0 or code != 0:
        sys.exit(f"{shlex.join(argv)}: exit code {code}\n{done.stderr[-2000:]}")
    return Memory(mib, floor)


def peak_rss_self(code: str, env: dict[str, str]) -> Memory:
    """Peak RSS of ``python -c CODE``, read by the process itself as it ends (exact)."""
    argv = [sys.executable, "-c", code + PRINT_HWM]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"python -c {code!r}: exit code {done.returncode}\n{done.stderr[-2000:]}")
    return Memory(int(done.stdout.split()[-1]) / 1024)


def peak_rss_live(
    tmux: Tmux, argv: list[str], home: Path, work: Path, run: int, *, answer: bool = False
) -> Memory:
    """Peak RSS of ``argv`` on a tmux pane (a real terminal), through the wrapper; with
    ``answer``, every question is answered as a first session's are (see PROMPTS)."""
    result = work / f"rss-live-{Path(argv[0]).name}-{len(argv)}-{run}.txt"
    command = [sys.executable, str(write_wrapper(work)), str(result), *argv]
    with tmux.session(command, home) as pane:
        if answer:
            pane.answer_until(AFTER, timeout=120)
            pane.send("Enter")  # no pain score after
            pane.answer_until("note about this session?")
            pane.send("Enter")  # no note
        deadline = time.monotonic() + 600
        while not result.is_file():
            if time.monotonic() > deadline:
                pane.fail("the live preview did not end within 600 s")
            time.sleep(0.2)
        code, mib, floor = read_wrapper(result)
        if code != 0:
            pane.fail(f"{shlex.join(argv)} ended with exit code {code}")
    return Memory(mib, floor)


@dataclass
class Memory:
    mib: float
    floor: float | None = None  # the wrapper's own peak: the child's figure cannot go below it


def warm_cache(script: str, env: dict[str, str]) -> None:
    """List the routines once, as a person has by their second session: the validated cache
    then serves every session until a routine file changes."""
    subprocess.run([script, "routine", "list"], env=env, capture_output=True, check=True)


def measure_memory(
    tmux: Tmux, script: str, home: Path, work: Path, env: dict[str, str], runs: int
) -> dict[str, list[Memory]]:
    imports = "import typer, rich, pydantic, yaml, sqlite3"
    full = [script, "routine", "start", "full", "--plain", "--speed", "50"]
    glute = [script, "routine", "start", "glute-ball", "--speed", "20"]
    real = [script, "routine", "start", "bench-30s"]
    termdown = shutil.which("termdown")
    memory: dict[str, list[Memory]] = {}
    for run in range(runs):
        print(f"memory: run {run + 1} of {runs}", file=sys.stderr)
        # A first session (every question asked), and a home whose routine cache is cold: the
        # first session after a routine file changed validates it, importing pydantic.
        first, cold = work / f"home-real-{run}", work / f"home-cold-{run}"
        for folder in (first, cold):
            (folder / "routines").mkdir(parents=True)
            for routine in (home / "routines").glob("*.yaml"):
                (folder / "routines" / routine.name).write_bytes(routine.read_bytes())
        warm_cache(script, {**env, "SCIATICA_HOME": str(first)})
        measured = {
            "python -c pass (info)": peak_rss_self("pass", env),
            f"python: {imports} (info)": peak_rss_self(imports, env),
            "sciatica: full --plain --speed 50": peak_rss_child(full, env, work, run),
            "sciatica: glute-ball --speed 20, live in tmux": peak_rss_live(
                tmux, glute, home, work, run
            ),
            "sciatica: a first real session (30 s), live in tmux": peak_rss_live(
                tmux, real, first, work, run, answer=True
            ),
        }
        cold_env = {**env, "SCIATICA_HOME": str(cold)}
        measured["full --plain --speed 50, routine files just changed (info)"] = peak_rss_child(
            full, cold_env, work, run
        )
        if termdown is not None:
            measured["termdown 2.0: 30 s, live in tmux (info)"] = peak_rss_live(
                tmux, [termdown, "-T", "termdown-bench", "30"], home, work, run
            )
        for label, value in measured.items():
            memory.setdefault(label, []).append(value)
    return memory


@dataclass
class Results:
    cpu: dict[str, list[CpuRun]] = field(default_factory=dict)
    timing: dict[str, Timing] = field(default_factory=dict)
    memory: dict[str, list[Memory]] = field(default_factory=dict)


def versions() -> str:
    found = []
    for name in ("typer", "rich", "pydantic", "PyYAML"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join(found)


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def report(results: Results, args: argparse.Namespace, planned: float) -> None:
    print(f"sciatica session benchmark, {date.today().isoformat()}")
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs; {versions()}")
    print(f"tmux: {subprocess.run(['tmux', '-V'], capture_output=True, text=True).stdout.strip()}")
    if results.cpu:
        print()
        print(
            f"1. CPU while counting down: {args.runs} runs x {args.seconds:g} s in tmux "
            f"{SIZE[0]}x{SIZE[1]}, after {SETTLE:g} s of countdown; target <= {CPU_LIMIT} %"
        )
        print(f"   {'command':<34} {'median':>8} {'runs (stat)':<24} {'schedstat':>9} {'ratio':>6}")
        for label, runs in results.cpu.items():
            median = statistics.median(r.percent for r in runs)
            sched = statistics.median(r.sched_percent for r in runs)
            each = ", ".join(f"{r.percent:.3f}" for r in runs)
            ratio = median / CPU_LIMIT
            judged = verdict(median <= CPU_LIMIT) if label.startswith("sciatica") else "(info)"
            print(f"   {label:<34} {median:7.3f}% {each:<24} {sched:8.3f}% {ratio:6.2f}  {judged}")
        for label, runs in results.cpu.items():
            peaks = ", ".join(f"{r.peak_mib:.1f}" for r in runs)
            print(f"   peak RSS (VmHWM) after the window, {label}: {peaks} MiB")
    if results.timing:
        print()
        print(f"2. Timing error at the end of a {planned:g} s routine; target |error| < 20 ms")
        for label, timing in results.timing.items():
            ratio = abs(timing.error) / TIMING_LIMIT
            print(
                f"   {label:<34} {timing.error * 1000:+8.1f} ms  ratio {ratio:5.2f}  "
                f"{verdict(abs(timing.error) < TIMING_LIMIT)}"
            )
            print(f"     {timing.detail}")
            if timing.journal_error is not None:
                print(f"     journal timestamps: {timing.journal_error * 1000:+.1f} ms")
        if args.quick:
            print("   (--quick: a 30 s routine; the recorded figure is the 5-minute one)")
    if results.memory:
        print()
        print(f"3. Peak memory (max RSS) of a session; target <= {MEMORY_LIMIT:g} MiB")
        width = max(len(label) for label in results.memory)
        for label, runs in results.memory.items():
            median = statistics.median(r.mib for r in runs)
            each = ", ".join(f"{r.mib:.1f}" for r in runs)
            judged = verdict(median <= MEMORY_LIMIT) if label.startswith("sciatica") else "(info)"
            print(
                f"   {label:<{width}} {median:6.1f} MiB ({each})  "
                f"ratio {median / MEMORY_LIMIT:4.2f}  {judged}"
            )
        floors = [r.floor for runs in results.memory.values() for r in runs if r.floor is not None]
        if floors:
            print(
                f"   (a sciatica figure includes the wrapper's forked copy, before exec: at most "
                f"{max(floors):.1f} MiB; the baselines read their own VmHWM as they end)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="CPU and memory runs (3)")
    parser.add_argument("--seconds", type=float, default=60, help="CPU window, seconds (60)")
    parser.add_argument("--quick", action="store_true", help="time a 30 s routine, not 5 min")
    parser.add_argument("--only", default=",".join(PARTS), help="cpu,timing,memory (all)")
    args = parser.parse_args()
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if args.runs < 1 or args.seconds <= 0 or not parts or not parts <= set(PARTS):
        parser.error("--runs >= 1, --seconds > 0, --only from cpu,timing,memory")
    if not sys.platform.startswith("linux"):
        sys.exit("this benchmark reads /proc: Linux only")
    if shutil.which("tmux") is None:
        sys.exit("this benchmark needs tmux")

    script, py = console_script(), sys.executable
    planned = 30.0 if args.quick else 300.0
    timed = "bench-30s" if args.quick else "bench-5m"
    results = Results()
    drop = ("SCIATICA_DEBUG", "FORCE_COLOR", "NO_COLOR", "TMUX", "TMUX_PANE")
    with tempfile.TemporaryDirectory(prefix="sciatica-bench-") as tmp:
        work = Path(tmp)
        home = work / "home"
        (home / "routines").mkdir(parents=True)
        for name, duration in (("bench-long", "15m"), ("bench-5m", "5m"), ("bench-30s", "30s")):
            text = ROUTINE.format(name=name, duration=duration)
            (home / "routines" / f"{name}.yaml").write_text(text, encoding="utf-8")
        naive = work / "naive_countdown.py"
        naive.write_text(NAIVE_COUNTDOWN, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env["SCIATICA_HOME"] = str(home)
        warm_cache(script, env)
        tmux = Tmux(env)
        try:
            if "cpu" in parts:
                sciatica = "sciatica routine start (live)"
                reference = "naive countdown (python, \\r)"
                results.cpu = {sciatica: [], reference: []}
                live = [script, "routine", "start", "bench-long", "--pain-before", "0"]
                live.append("--no-history")
                termdown = shutil.which("termdown")
                if termdown is not None:
                    results.cpu[TERMDOWN] = []
                for run in range(args.runs):
                    order = [
                        (sciatica, live, READY),
                        (reference, [py, str(naive), "900"], "naive countdown"),
                    ]
                    if termdown is not None:
                        # termdown draws even its title in big letters: no text marker to wait
                        # for, so its window opens after the settling time alone.
                        order.append((TERMDOWN, [termdown, "900"], ""))
                    for label, argv, ready in order if run % 2 == 0 else order[::-1]:
                        print(f"cpu: {label}, run {run + 1} of {args.runs}", file=sys.stderr)
                        cpu = measure_cpu(tmux, argv, home, ready, args.seconds)
                        results.cpu[label].append(cpu)
                        print(f"  {cpu.percent:.3f} % ({cpu.sched_percent:.3f} %)", file=sys.stderr)
            if "timing" in parts:
                print(f"timing: plain, {planned:g} s", file=sys.stderr)
                plain = plain_timing(script, timed, planned, env)
                results.timing["plain (--plain, stdout a pipe)"] = plain
                print(f"timing: live in tmux with a pause, {planned:g} s", file=sys.stderr)
                paused = live_pause_timing(tmux, script, timed, planned, home, work)
                results.timing["live in tmux, one pause"] = paused
            if "memory" in parts:
                results.memory = measure_memory(tmux, script, home, work, env, args.runs)
        finally:
            tmux.close()
    report(results, args, planned)


if __name__ == "__main__":
    main()
