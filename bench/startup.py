"""Start-up benchmark: is ``sciatica`` about as quick to answer as a bare Typer app?

Target (from the project's issue): the median wall time of ``sciatica --help`` and of
``sciatica routine list`` is at most 1.2 times the median wall time of ``--help`` of a minimal
three-command Typer app, measured on the same machine in the same run. The same limit is
applied to a cold ``routine list``: the first one after a routine file changed.

What is measured: the wall time (``time.perf_counter``) of whole child processes, from spawn to
exit, so interpreter start-up and every import are included. Commands:

- baseline: a minimal three-command Typer app (written to a temp dir), ``--help``;
- ``sciatica --help`` and ``sciatica routine list`` (cache warm), each run two ways: as the
  console script found next to ``sys.executable`` (what users run) and as
  ``sys.executable -m sciatica_cli``;
- ``sciatica routine list`` cold, two ways: with the cache file deleted before each run (every
  routine file is read and validated: a new install or version), and with one user routine's
  modification time moved on before each run (only that file is read again, but pydantic and
  yaml are imported for it);
- for information only (not judged): ``sciatica routine list --json`` (the same work without
  the Rich table), and the minimal app running one of its commands instead of ``--help`` (what
  Typer itself costs to run any command).

Every command runs with the same interpreter, ``NO_COLOR=1``, stdout to DEVNULL and
``SCIATICA_HOME`` set to a fresh temp dir holding one user routine (a copy of
``glute-ball`` named ``my-glutes``). Byte-code is cached as after a pip install
(``PYTHONPYCACHEPREFIX`` in the temp dir, ``PYTHONDONTWRITEBYTECODE`` dropped). Each command
runs once untimed first (byte-code compiled, disclaimer shown, routine-list cache written),
then all commands run round-robin ``--runs`` times, the order rotating each round, so that they
share machine noise. A ratio is a command's median divided by the baseline's median.

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
    installed_env,
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


def write_user_routine(folder: Path) -> Path:
    """A user routine beside the built-ins: ``glute-ball`` copied as ``my-glutes``."""
    folder.mkdir(parents=True)
    builtin = Path(__file__).resolve().parent.parent / "routines" / "glute-ball.yaml"
    text = builtin.read_text(encoding="utf-8").replace("name: glute-ball", "name: my-glutes")
    path = folder / "my-glutes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def touch(path: Path) -> None:
    """Move the file's modification time on, as saving it in an editor would."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


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
        baseline_app = work / "minimal_typer_app.py"
        baseline_app.write_text(BASELINE_APP, encoding="utf-8")
        cache_file = home / "cache" / "routine-list.json"
        user_routine = write_user_routine(home / "routines")

        env = installed_env(work, NO_COLOR="1", SCIATICA_HOME=str(home))
        py, script = sys.executable, console_script()
        module = [py, "-m", "sciatica_cli"]
        listing = [script, "routine", "list"]
        baseline = Command("minimal Typer app --help (baseline)", [py, str(baseline_app), "--help"])
        commands = [
            baseline,
            Command("sciatica --help", [script, "--help"]),
            Command("python -m sciatica_cli --help", [*module, "--help"]),
            Command("sciatica routine list", listing),
            Command("python -m sciatica_cli routine list", [*module, "routine", "list"]),
            Command(
                "sciatica routine list, cold: no cache",
                listing,
                before=lambda: cache_file.unlink(missing_ok=True),
            ),
            Command(
                "sciatica routine list, cold: one file changed",
                listing,
                before=lambda: touch(user_routine),
            ),
            Command("sciatica routine list --json", [*listing, "--json"], False),
            Command(
                "minimal Typer app alpha (runs a command)", [py, str(baseline_app), "alpha"], False
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
    print("byte-code cached as after an install (PYTHONPYCACHEPREFIX in the temp dir)")
    print()
    print_ratios(commands, baseline, LIMIT)


if __name__ == "__main__":
    main()
