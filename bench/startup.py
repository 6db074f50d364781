"""Start-up benchmark: is ``sciatica`` about as quick to answer as a bare Typer app?

Target (from the project's issue): the median wall time of ``sciatica --help`` and of
``sciatica routine list`` is at most 1.2 times the median wall time of ``--help`` of a minimal
three-command Typer app, measured on the same machine in the same run.

What is measured: the wall time (``time.perf_counter``) of whole child processes, from spawn to
exit, so interpreter start-up and every import are included. Commands:

- baseline: a minimal three-command Typer app (written to a temp dir), ``--help``;
- ``sciatica --help`` and ``sciatica routine list``, each run two ways: as the console script
  found next to ``sys.executable`` (what users run) and as ``sys.executable -m sciatica_cli``;
- for information only (not judged): ``sciatica routine list`` with its cache file deleted
  before each run (cold cache); ``sciatica routine list --json`` (the same work without the
  Rich table); and the minimal app running one of its commands instead of ``--help`` (what
  Typer itself costs to run any command).

Every command runs with the same interpreter, ``NO_COLOR=1``, stdout to DEVNULL and
``SCIATICA_HOME`` set to a fresh temp dir (a new user). Each command runs once untimed first
(byte-code compiled, disclaimer shown, routine-list cache written), then all commands run
round-robin ``--runs`` times, the order rotating each round, so that they share machine noise.
A ratio is a command's median divided by the baseline's median.

Run from the repo root with the project's interpreter::

    python bench/startup.py [--runs 30]

It reports and always exits 0 (unless a command itself fails); it does not gate anything.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

from _common import (  # bench/ is on sys.path when run as a script
    Command,
    console_script,
    package_versions,
    print_ratios,
    time_rounds,
    warm_up,
)

LIMIT = 1.2

BASELINE_APP = '''\
"""A minimal three-command Typer app: the start-up baseline."""

import typer


app = typer.Typer()


@app.command()
def alpha() -> None:
    """First command."""


@app.command()
def beta() -> None:
    """Second command."""


@app.command()
def gamma() -> None:
    """Third command."""


if __name__ == "__main__":
    app()
'''


def versions() -> str:
    return ", ".join(package_versions(("typer", "click", "rich", "pydantic")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per command (30)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="sciatica-bench-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        baseline_app = work / "minimal_typer_app.py"
        baseline_app.write_text(BASELINE_APP, encoding="utf-8")
        cache_file = home / "cache" / "routine-list.json"

        env = {k: v for k, v in os.environ.items() if k not in ("SCIATICA_DEBUG", "FORCE_COLOR")}
        env.update(NO_COLOR="1", SCIATICA_HOME=str(home))

        py, script = sys.executable, console_script()
        module = [py, "-m", "sciatica_cli"]
        baseline = Command("minimal Typer app --help (baseline)", [py, str(baseline_app), "--help"])
        commands = [
            baseline,
            Command("sciatica --help", [script, "--help"]),
            Command("python -m sciatica_cli --help", [*module, "--help"]),
            Command("sciatica routine list", [script, "routine", "list"]),
            Command("python -m sciatica_cli routine list", [*module, "routine", "list"]),
            Command("sciatica routine list --json", [script, "routine", "list", "--json"], False),
            Command(
                "minimal Typer app alpha (runs a command)", [py, str(baseline_app), "alpha"], False
            ),
            Command(
                "sciatica routine list, cold cache",
                [script, "routine", "list"],
                gated=False,
                before=cache_file,
            ),
        ]

        warm_up(commands, env, work)
        if not cache_file.is_file():
            sys.exit(f"'routine list' wrote no cache at {cache_file}")

        time_rounds(commands, args.runs, env, work)

    print(f"sciatica start-up benchmark, {date.today().isoformat()}")
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs; {versions()}")
    print(f"{args.runs} timed runs per command, interleaved; target: ratio <= {LIMIT}")
    print()
    print_ratios(commands, baseline, LIMIT)


if __name__ == "__main__":
    main()
