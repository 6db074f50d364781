"""Helpers shared by the bench scripts (stdlib only)."""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path


def console_script() -> str:
    """The ``sciatica`` script installed beside the interpreter (the one users run)."""
    folder = Path(sys.executable).parent
    for name in ("sciatica", "sciatica.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which("sciatica")
    if found is None:
        sys.exit(f"no 'sciatica' console script next to {sys.executable}; install the package")
    print(f"note: using {found}, not a script beside {sys.executable}")
    return found


def wall_time(label: str, argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """Run ``argv`` once (stdin and stdout to /dev/null) and return its wall time in seconds;
    stop the benchmark with the command's stderr if it fails."""
    start = time.perf_counter()
    result = subprocess.run(
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        sys.exit(f"{label}: exit code {result.returncode}\n{detail}")
    return elapsed


def installed_env(work: Path, **extra: str) -> dict[str, str]:
    """This environment as after a pip install: byte-code cached (in ``work``, not the repo),
    no debug or forced colour; plus ``extra``.

    Without this, with ``PYTHONDONTWRITEBYTECODE=1`` and an editable install, every run would
    compile every ``sciatica_cli`` module it imports from source, which users never pay.
    """
    dropped = ("SCIATICA_DEBUG", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PYTHONPYCACHEPREFIX=str(work / "pycache"), **extra)
    return env


def package_versions(names: tuple[str, ...]) -> list[str]:
    """``name version`` for each installed package of ``names``."""
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return found


@dataclass
class Command:
    """One command line to time, and how to prepare each run."""

    label: str
    argv: list[str]
    gated: bool = True  # judged against the limit, or shown for information only
    before: Callable[[], None] | None = None  # run before each run (e.g. empty a cache)
    times: list[float] = field(default_factory=list)


def run_once(command: Command, env: dict[str, str], cwd: Path) -> float:
    """Run ``command`` once and return its wall time in seconds."""
    if command.before is not None:
        command.before()
    return wall_time(command.label, command.argv, env, cwd)


def warm_up(commands: list[Command], env: dict[str, str], cwd: Path) -> None:
    """One untimed run each: byte-code compiled, first-run note shown, caches written."""
    for command in commands:
        run_once(command, env, cwd)


def time_rounds(commands: list[Command], runs: int, env: dict[str, str], cwd: Path) -> None:
    """``runs`` timed rounds, the order rotating each round so commands share machine noise."""
    for round_ in range(runs):
        shift = round_ % len(commands)
        for command in commands[shift:] + commands[:shift]:
            command.times.append(run_once(command, env, cwd))


def print_ratios(commands: list[Command], baseline: Command, limit: float) -> None:
    """Each command's median and min, its ratio to the baseline's median, and a verdict."""
    base = statistics.median(baseline.times)
    width = max(len(c.label) for c in commands)
    print(f"{'command':<{width}}  {'median':>9}  {'min':>9}  {'ratio':>6}  verdict")
    for command in commands:
        median = statistics.median(command.times)
        ratio = median / base
        if command is baseline:
            verdict = "baseline"
        elif command.gated:
            verdict = "PASS" if ratio <= limit else "FAIL"
        else:
            verdict = "(info)"
        print(
            f"{command.label:<{width}}  {median * 1000:7.1f}ms  {min(command.times) * 1000:7.1f}ms"
            f"  {ratio:6.2f}  {verdict}"
        )


def print_breakdown(parts: dict[str, float]) -> None:
    """The in-process breakdown a child measured: a label and milliseconds a line."""
    print("in-process, for information (one child process, warm, median of 5):")
    width = max(len(label) for label in parts)
    for label, seconds in parts.items():
        print(f"  {label:<{width}}  {seconds * 1000:7.1f} ms")
