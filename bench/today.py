"""Today-view benchmark: is ``sciatica`` (the today view) quick with 10,000 sessions?

Target (issue 10 part 4): with a journal of 10,000 sessions, the median wall time of
``sciatica`` with no command (the today view) is at most 1.5 times the median wall time of
``sciatica --help`` measured in the same run.

The journal: the seeded generator of ``bench/history.py`` (``plan_journal``: the six built-in
routines, about 10 segments a session, 5 % previews, stops and interruptions, pain scores,
next-morning check-ins for about 60 % of mornings, a red-flag screen every 7 days), with
``--sessions`` (10,000) sessions over ``--years`` (2) years that end yesterday at 20:00 UTC,
so the view has everything to show: a check-in due for last night's session (the newest one
never has a check-in), this week's sessions, a streak, the dose of the latest routine and
the advisories. 10,000 sessions over 2 years is about 96 a week, so every week meets the goal
and the streak reaches back through the whole journal: the worst case for reading "only the
weeks the streak needs" (``--years 64`` gives about 3 a week).

How it is written: through the store's API (``SessionStore.open`` with an injected clock set to
each event's time; ``record_contraindications``, ``record_screen``, ``start_session``,
``record_segment``, ``finish_session``, ``set_pain``, ``set_note``, ``record_checkin``), all
inside one ``SessionStore.batch()`` so the 123,000 changes commit once (about 10 s instead of
30). The file is then opened and counted by the store before anything is timed.

What is measured: the wall time (``time.perf_counter``) of whole child processes (the console
script beside ``sys.executable``), a fresh process per run, spawn to exit, with ``NO_COLOR=1``,
stdout to DEVNULL, ``SCIATICA_HOME`` the generated journal's folder, and byte-code cached as
after an install (``PYTHONPYCACHEPREFIX`` in the temp dir, ``PYTHONDONTWRITEBYTECODE`` dropped).
Each command runs once untimed (byte-code compiled, the routine cache written), then all run
round-robin ``--runs`` (15) times, the order rotating each round:

- ``sciatica --help`` (the baseline);
- ``sciatica`` (judged: ratio to ``--help`` <= 1.5);
- for information: ``sciatica today`` and ``sciatica today --json``.

Also printed: what the view said (its JSON), which heavy modules a run of ``sciatica``
imported (pydantic, yaml, jinja2 should be absent), and an in-process breakdown (a child
process, warm, median of 5): importing the CLI, ``today()`` as a whole, and its reads.

Run from the repo root with the project's interpreter::

    python bench/today.py [--runs 15] [--sessions 10000] [--years 2]

It takes about a minute; it reports and always exits 0 (unless the set-up itself fails).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from _common import (  # bench/ is on sys.path when run as a script
    Command,
    console_script,
    installed_env,
    package_versions,
    print_breakdown,
    print_ratios,
    time_rounds,
    warm_up,
)
from history import plan_journal, write_via_store

from sciatica_cli.journal.opening import JOURNAL_FILE
from sciatica_cli.journal.store import SessionStore

LIMIT = 1.5
HEAVY = ("pydantic", "yaml", "jinja2", "rich.live")

# A run of ``sciatica`` in-process, then which of the modules argv[2:] it imported (to the
# file argv[1]).
IMPORTS = """\
import sys
from pathlib import Path
out = Path(sys.argv[1])
heavy = sys.argv[2:]
sys.argv = ["sciatica"]
from sciatica_cli import cli
try:
    cli.main()
except SystemExit:
    pass
out.write_text(" ".join(m for m in heavy if m in sys.modules))
"""

IN_PROCESS = """\
import json, statistics, sys, time
out = {}
t0 = time.perf_counter()
import sciatica_cli.cli
out["import sciatica_cli.cli (typer, the command tree)"] = time.perf_counter() - t0
t0 = time.perf_counter()
from sciatica_cli.journal import today
out["import journal.today"] = time.perf_counter() - t0
from datetime import datetime, timezone
from sciatica_cli.journal.opening import opened
from sciatica_cli.wallclock import local_tz
now, tz = datetime.now(timezone.utc), local_tz()

def median(call):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

def with_store(call):
    with opened(reading=True) as store:
        return median(lambda: call(store))

out["today() as a whole (open, read, figures)"] = median(lambda: today.today(now=now))
def open_close():
    with opened(reading=True):
        pass

out["  opened(reading=True) + close"] = median(open_close)
out["  _week: this week whole, earlier weeks counted"] = with_store(
    lambda s: today._week(s, 3, now, tz))
out["  _checkin_due (morning.py)"] = with_store(lambda s: today._checkin_due(s, now, tz))
out["  _screen"] = with_store(lambda s: today._screen(s, now, tz))
out["  _dose"] = with_store(lambda s: today._dose(s, "full", now, tz))
from sciatica_cli.journal.progress import advice
out["  progress.advice"] = with_store(lambda s: advice(s, now))
print(json.dumps(out))
"""


def child(argv: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run ``argv``; its stdout, or stop with its stderr."""
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv[:3])}...: exit code {result.returncode}\n{result.stderr}")
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (15)")
    parser.add_argument("--sessions", type=int, default=10_000, help="sessions (10000)")
    parser.add_argument("--years", type=float, default=2.0, help="years they span (2)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (2026)")
    args = parser.parse_args()
    if min(args.runs, args.sessions) < 1 or args.years <= 0:
        parser.error("--runs and --sessions must be at least 1, --years above 0")

    script = console_script()
    now = datetime.now(timezone.utc)
    end = now.replace(hour=20, minute=0, second=0, microsecond=0) - timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="sciatica-bench-") as tmp:
        work = Path(tmp)
        home = work / "home"
        path = home / JOURNAL_FILE
        plan = plan_journal(args.sessions, args.years, end, args.seed)
        written, _ = write_via_store(path, plan, batch=True)
        with SessionStore.open(path, reading=True) as store:
            counts = (len(store.sessions(include_previews=True)), len(store.checkins()))
        size = path.stat().st_size

        env = installed_env(work, NO_COLOR="1", SCIATICA_HOME=str(home))
        baseline = Command("sciatica --help (baseline)", [script, "--help"])
        commands = [
            baseline,
            Command("sciatica (the today view)", [script]),
            Command("sciatica today", [script, "today"], False),
            Command("sciatica today --json", [script, "today", "--json"], False),
        ]
        warm_up(commands, env, work)
        time_rounds(commands, args.runs, env, work)

        shown = child([script, "today", "--json"], env, work)
        heavy_file = work / "heavy.txt"
        child([sys.executable, "-c", IMPORTS, str(heavy_file), *HEAVY], env, work)
        heavy = heavy_file.read_text().split()
        parts: dict[str, float] = json.loads(child([sys.executable, "-c", IN_PROCESS], env, work))

    print(f"sciatica today benchmark, {date.today().isoformat()}")
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs; ", end="")
    print(", ".join(package_versions(("typer", "rich", "pydantic"))))
    first, last = plan.sessions[0].started_at, plan.sessions[-1].started_at
    print(
        f"journal: {counts[0]:,} sessions from {first.date()} to {last:%Y-%m-%d %H:%M} UTC, "
        f"{counts[0] / ((last - first).days / 7):.1f} a week; {counts[1]:,} check-ins; "
        f"{size / 1e6:.1f} MB, written through the store in one batch in {written:.1f} s"
    )
    print(f"{args.runs} timed runs per command, interleaved; target: ratio <= {LIMIT}")
    print()
    print_ratios(commands, baseline, LIMIT)
    print()
    print("heavy modules imported by `sciatica`:", ", ".join(heavy) if heavy else "none", end="")
    print(f" (of {', '.join(HEAVY)})")
    print("what it showed (--json):")
    print("  " + json.dumps(json.loads(shown)))
    print()
    print_breakdown(parts)


if __name__ == "__main__":
    main()
