"""Validation benchmark: does ``sciatica routine validate`` check 1,000 routine files in < 1 s?

Target (from the project's issue): ``sciatica routine validate FOLDER`` over 1,000 generated
routine files of about 60 lines each takes under 1 s.

What is measured:

- the wall time (``time.perf_counter``) of the whole ``sciatica routine validate FOLDER``
  process (the console script beside ``sys.executable``), interpreter start-up included, after
  one untimed run; ``--runs`` times (default 7); the median is judged against 1.0 s;
- for information, inside one child process of the same interpreter: the time to import the
  CLI, the first ``validate_paths`` call over the folder (which also imports pydantic and yaml
  and builds the models) and the median of ``--runs`` further calls (pure checking work).

The files are valid routines, each named after its file, with a title, summary, equipment,
areas, safety notes and five steps (multi-line instructions, ``sides: both``, ranged or fixed
durations, a warning and ``at`` / ``before_end`` / ``every`` cues). One file is first checked
on its own; afterwards one broken file is added to confirm that the exit code becomes 1.
Everything runs with ``NO_COLOR=1``, ``SCIATICA_HOME`` set to a fresh temp dir and byte-code
cached as after a pip install (``PYTHONPYCACHEPREFIX`` in the temp dir).

Run from the repo root with the project's interpreter::

    python bench/validate.py [--runs 7] [--files 1000]

It reports and always exits 0 (unless the set-up itself fails); it does not gate anything.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import console_script, installed_env  # bench/ is on sys.path as a script

LIMIT = 1.0
AREAS = ["lower-back", "glutes", "hamstrings", "piriformis", "hips"]
DURATIONS = ["2m30s-5m", "90s"]
CUES = [("at", "50%", "Halfway. Slow down and breathe."), ("before_end", "10s", "Ease off now.")]
CUES += [("every", "60s", "Check in, and stop if you feel sharp pain.")]

IN_PROCESS = """\
import json, statistics, sys, time
from pathlib import Path
t0 = time.perf_counter()
import sciatica_cli.cli
from sciatica_cli import paths
from sciatica_cli.routines.library import scan
t1 = time.perf_counter()
from sciatica_cli.routines.validation import validate_paths

t2 = time.perf_counter()
def check():
    catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
    report = validate_paths(catalog, [Path(sys.argv[1])])
    assert report.invalid == 0 and report.checked == int(sys.argv[2]), report.problems[:3]
check()
t3 = time.perf_counter()
again = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    check()
    again.append(time.perf_counter() - start)
times = {"cli": t1 - t0, "models": t2 - t1, "first": t3 - t2, "again": statistics.median(again)}
print(json.dumps(times))
"""


def routine_text(name: str, i: int) -> str:
    """A valid routine of about 60 lines; ``i`` varies areas, durations and wording."""
    areas = [AREAS[(i + k) % len(AREAS)] for k in range(2)]
    lines = [
        f"name: {name}",
        f"title: Benchmark routine {i}",
        f"summary: A generated routine number {i}, for timing 'sciatica routine validate'.",
        "equipment:",
        "  - a foam roller, a tennis ball or a lacrosse ball",
        "areas:",
        *(f"  - {area}" for area in areas),
        "safety:",
        "  - Stop at once if the pain turns sharp or shoots down your leg.",
        "transition: 15s",
        "steps:",
    ]
    for step in range(5):
        key, value, say = CUES[(i + step) % len(CUES)]
        lines += [
            f"  - title: Step {step + 1} of routine {i}",
            "    sides: both",
            f"    duration: {DURATIONS[(i + step) % len(DURATIONS)]}",
            "    instructions: |",
            f"      Get into position for step {step + 1} and settle your breathing.",
            "      Roll slowly over the tight muscle, pausing on tender spots.",
            "    warning: Stop if you feel new tingling or numbness.",
            "    cues:",
            f"      - {key}: {value}",
            f"        say: {say}",
        ]
    return "\n".join(lines) + "\n"


def run(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result


def expect(result: subprocess.CompletedProcess[str], code: int, what: str) -> None:
    if result.returncode != code:
        sys.exit(
            f"{what}: exit code {result.returncode}, expected {code}\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs (7)")
    parser.add_argument("--files", type=int, default=1000, help="routine files (1000)")
    args = parser.parse_args()
    if args.runs < 1 or args.files < 1:
        parser.error("--runs and --files must be at least 1")

    script = console_script()
    with tempfile.TemporaryDirectory(prefix="sciatica-bench-") as tmp:
        work = Path(tmp)
        home, folder = work / "home", work / "routines"
        home.mkdir()
        folder.mkdir()
        env = installed_env(work, NO_COLOR="1", SCIATICA_HOME=str(home))

        width = len(str(args.files))
        for i in range(1, args.files + 1):
            name = f"bench-{i:0{width}d}"
            (folder / f"{name}.yaml").write_text(routine_text(name, i), encoding="utf-8")
        files = sorted(folder.glob("*.yaml"))
        counts = [len(f.read_text(encoding="utf-8").splitlines()) for f in files]
        size = sum(f.stat().st_size for f in files)

        _, one = run([script, "routine", "validate", str(files[0])], env)
        expect(one, 0, f"sciatica routine validate {files[0].name}")

        argv = [script, "routine", "validate", str(folder)]
        _, warm = run(argv, env)  # untimed: byte-code, first-run note, disk cache
        expect(warm, 0, "sciatica routine validate FOLDER")
        times = []
        for _ in range(args.runs):
            elapsed, result = run(argv, env)
            expect(result, 0, "sciatica routine validate FOLDER")
            times.append(elapsed)

        inner = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(folder), str(args.files), str(args.runs)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        expect(inner, 0, "in-process timing")
        parts = json.loads(inner.stdout)

        broken = folder / f"bench-{0:0{width}d}.yaml"  # sorts first
        text = routine_text(broken.stem, 0).replace("duration: 2m30s-5m", "duration: 150", 1)
        broken.write_text(text, encoding="utf-8")
        _, bad = run(argv, env)  # reported below, not fatal
        problems = [line for line in bad.stderr.splitlines() if line.startswith(str(broken))]

    median = statistics.median(times)
    print(f"sciatica validate benchmark, {date.today().isoformat()}")
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs")
    print(
        f"{len(files)} files, {min(counts)}-{max(counts)} lines each "
        f"(mean {statistics.mean(counts):.1f}), {size / 1024:.0f} KiB in all; "
        f"one file alone: {one.stdout.strip()!r}"
    )
    print(f"{args.runs} timed runs after one untimed; target: median < {LIMIT:.1f} s")
    print()
    verdict = "PASS" if median < LIMIT else "FAIL"
    print("sciatica routine validate FOLDER (whole process)")
    print(f"  median {median:.3f} s  (min {min(times):.3f} s, max {max(times):.3f} s)  {verdict}")
    print("in-process, for information (one child process, same interpreter):")
    rows = [
        ("import the CLI (typer, sciatica_cli.cli)", parts["cli"]),
        ("import validation (pydantic, yaml, models)", parts["models"]),
        ("first validate_paths (models built on first use)", parts["first"]),
        (f"later validate_paths, median of {args.runs}", parts["again"]),
    ]
    for label, seconds in rows:
        print(f"  {label:<48} {seconds * 1000:7.1f} ms")
    print(f"  {'per file (later calls)':<48} {parts['again'] / len(files) * 1e6:7.0f} us")
    last = (bad.stderr.strip().splitlines() or [""])[-1]
    ok = "ok" if bad.returncode == 1 and problems else "WRONG"
    print(f"with one broken file added: exit code {bad.returncode} (expected 1) {ok}; {last!r}")
    for line in problems[:3]:
        print(f"  {line.replace(str(work), '$TMP')}")


if __name__ == "__main__":
    main()
