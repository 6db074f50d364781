"""Shared fixtures: every test gets its own SCIATICA_HOME and no editor or debug settings."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner, Result

from sciatica_cli.cli import app


def _import_without_assert_rewriting(*packages: str) -> None:
    """Pytest rewrites the asserts of every package installed with a pytest plugin, so (with
    this machine's PYTHONDONTWRITEBYTECODE=1, which also stops it caching the result) every
    test process parsed, rewrote and compiled all of hypothesis from source: about 0.6 s in
    each worker and again in the controller's closing summary. Our asserts are in tests/ and
    stay rewritten; these libraries' own asserts need no introspection. If pytest's private
    names change this does nothing, and the suite is only slower."""
    for finder in sys.meta_path:
        marked = getattr(finder, "_must_rewrite", None)
        cache = getattr(finder, "_marked_for_rewrite_cache", None)
        if isinstance(marked, set) and isinstance(cache, dict):
            marked.difference_update(packages)
            cache.clear()


_import_without_assert_rewriting("hypothesis", "platformdirs")

# Typer's CliRunner rebuilds the whole click command tree from the app's signatures (every
# annotation evaluated, every parameter converted) on each invoke: about 17 ms of the 25 ms of
# an in-process `routine list`, over some 1,500 invocations a run. The tree depends only on
# the app as registered at import (the commands look up everything else when they run), so
# each test process builds it once. test_cli checks this stays in effect.
typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]

REPO = Path(__file__).resolve().parent.parent
BUILTIN_DIR = REPO / "routines"
# The built-in routines the issue asks for; tests compare against this one list.
BUILTIN_NAMES = (
    "foam-roller-back",
    "full",
    "glute-ball",
    "hamstring-roll",
    "piriformis-ball",
    "warm-up",
)
# The sections of the clinician report (issue 4), by their HTML ids, in page order.
REPORT_SECTIONS = (
    "summary", "advisories", "adherence", "pain", "sessions", "stops", "screens", "notes",
)  # fmt: skip

# One two-sided step with cues and a warning, one counted step, one plain timed step.
THREE = """\
name: three
title: Three step test
transition: 2s
steps:
  - title: Glute ball
    area: glutes
    sides: both
    duration: 60s
    instructions: Sit with the ball under one buttock and roll slowly.
    warning: Stop at once if the pain turns sharp or shoots down your leg.
    cues:
      - at: 0s
        say: Lean onto the ball.
      - at: 50%
        say: Halfway there.
  - title: Pelvic tilts
    area: lower-back
    reps: 3
    hold: 5s
    relax: 2s
    instructions: On your back, flatten the small of your back into the floor, then relax.
  - title: Hamstring roll
    area: hamstrings
    duration: 40s
    instructions: Roll slowly between the hip and the knee.
    warning: Stop if the pain turns sharp.
"""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: two workers a core. A third of the suite's time is spent waiting (tmux
    panes, sessions that must take real seconds, a browser, fsync), and a worker that waits
    leaves its core idle; a spare worker per core fills it (on 2 cores: 46 s with 2 workers,
    41 s with 4). PYTEST_XDIST_AUTO_NUM_WORKERS still decides when it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every file sciatica touches at a fresh folder, and start from a clean env."""
    folder = tmp_path / "home"
    monkeypatch.setenv("SCIATICA_HOME", str(folder))
    for name in ("VISUAL", "EDITOR", "SCIATICA_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    folder.mkdir()
    (folder / ".disclaimer-shown").touch()  # tests of the first run remove it
    return folder


@pytest.fixture
def user_routines(home: Path) -> Path:
    """The user's routine folder, created."""
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke the CLI in-process: ``run("routine", "list", input=...)``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
