"""The root command: help everywhere, --version, the first-run disclaimer and error handling."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from typer.testing import CliRunner

from sciatica_cli import DISCLAIMER, __version__
from sciatica_cli.cli import app
from sciatica_cli.errors import RoutineNotFound

from .conftest import REPO, Run


def flat(text: str) -> str:
    """Text with every run of whitespace as one space, so wrapped lines compare as one."""
    return " ".join(text.split())


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and sub-command of the app, with the words that invoke it."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


ALL_COMMANDS = list(walk(typer.main.get_command(app)))
COMMAND_IDS = [" ".join(path) or "sciatica" for path, _ in ALL_COMMANDS]


def test_the_app_has_the_routine_safety_and_journal_commands() -> None:
    assert set(COMMAND_IDS) == {
        "sciatica",
        "routine",
        "routine list",
        "routine show",
        "routine start",
        "routine validate",
        "routine new",
        "routine edit",
        "routine schema",
        "routine import",
        "safety",
        "safety screen",
        "safety conditions",
        "safety side",
        "safety scores",
        "history",
        "history stats",
        "history note",
        "history export",
        "history report",
        "history goal",
        "checkin",
        "remind",
        "today",
    }


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=COMMAND_IDS)
def test_every_command_has_help_text(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"'{' '.join(path)}' has no help text"


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=COMMAND_IDS)
def test_every_command_summary_is_one_line(path: tuple[str, ...], command: Any) -> None:
    # The first paragraph is what the command lists show; a line break there shows raw.
    summary = (command.help or "").strip().split("\n\n")[0]
    assert "\n" not in summary, f"'{' '.join(path)}' has a summary over several lines"


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=COMMAND_IDS)
def test_every_option_and_argument_has_help_text(path: tuple[str, ...], command: Any) -> None:
    missing = [param.name for param in command.params if not (getattr(param, "help", "") or "")]
    assert missing == [], f"'{' '.join(path)}' has parameters without help: {missing}"


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_works_for_every_command(
    run: Run, path: tuple[str, ...], command: Any, flag: str
) -> None:
    result = run(*path, flag)

    assert result.exit_code == 0, result.output
    assert "Usage: sciatica" in result.stdout
    first_sentence = command.help.strip().split("\n")[0]
    assert flat(first_sentence) in flat(result.stdout)


def test_the_safety_disclaimer_is_in_the_main_help(run: Run) -> None:
    result = run("--help")

    assert result.exit_code == 0
    assert DISCLAIMER in flat(result.stdout)


def test_the_safety_disclaimer_is_in_the_routine_help(run: Run) -> None:
    result = run("routine", "--help")

    assert DISCLAIMER in flat(result.stdout)


def test_version_prints_the_version(run: Run) -> None:
    result = run("--version")

    assert result.exit_code == 0
    assert result.stdout == f"sciatica {__version__}\n"


def test_python_dash_m_sciatica_cli_prints_the_version(home: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "sciatica_cli", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == f"sciatica {__version__}\n"
    assert completed.stderr == ""


def test_the_first_run_shows_the_disclaimer_once(run: Run, home: Path) -> None:
    (home / ".disclaimer-shown").unlink()

    first = run("routine", "list", "--json")
    second = run("routine", "list", "--json")

    assert first.exit_code == 0
    assert DISCLAIMER in first.stderr
    assert DISCLAIMER not in first.stdout  # --json output stays clean for scripts
    assert second.exit_code == 0
    assert DISCLAIMER not in second.stderr
    assert (home / ".disclaimer-shown").exists()


def test_the_disclaimer_is_not_shown_again_once_marked(run: Run) -> None:
    result = run("routine", "list")

    assert result.exit_code == 0
    assert DISCLAIMER not in result.output


def test_an_unknown_command_is_a_usage_error(run: Run) -> None:
    result = run("massage")

    assert result.exit_code == 2
    assert "No such command 'massage'" in result.stderr


def test_an_unknown_routine_sub_command_is_a_usage_error(run: Run) -> None:
    result = run("routine", "delete")

    assert result.exit_code == 2
    assert "No such command 'delete'" in result.stderr


def test_an_unknown_option_is_a_usage_error(run: Run) -> None:
    result = run("routine", "list", "--yaml")

    assert result.exit_code == 2
    assert "--yaml" in result.stderr


def test_a_domain_error_is_one_line_without_a_traceback(run: Run) -> None:
    result = run("routine", "show", "no-such-routine")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no routine named 'no-such-routine'")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_sciatica_debug_lets_a_domain_error_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCIATICA_DEBUG", "1")

    result = CliRunner().invoke(app, ["routine", "show", "no-such-routine"], catch_exceptions=True)

    assert isinstance(result.exception, RoutineNotFound)
    assert "no routine named 'no-such-routine'" in str(result.exception)
    assert "Error:" not in result.output


def test_sciatica_debug_zero_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCIATICA_DEBUG", "0")

    result = CliRunner().invoke(app, ["routine", "show", "no-such-routine"], catch_exceptions=True)

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Error: no routine named" in result.stderr


def _explode(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("the disk is on fire")


def test_an_unexpected_error_is_reported_as_a_bug_with_exit_70(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sciatica_cli.routines.library.scan", _explode)

    result = run("routine", "list")

    assert result.exit_code == 70
    assert "Error: unexpected RuntimeError: the disk is on fire" in result.stderr
    assert "This is a bug in sciatica" in result.stderr
    assert "SCIATICA_DEBUG=1" in result.stderr
    assert "Traceback" not in result.output


def test_an_unexpected_error_raises_with_sciatica_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCIATICA_DEBUG", "1")
    monkeypatch.setattr("sciatica_cli.routines.library.scan", _explode)

    result = CliRunner().invoke(app, ["routine", "list"], catch_exceptions=True)

    assert isinstance(result.exception, RuntimeError)


def _interrupt(*_args: object, **_kwargs: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_exits_130_with_a_short_message(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sciatica_cli.routines.library.scan", _interrupt)

    result = run("routine", "list")

    assert result.exit_code == 130
    assert result.stderr.strip() == "Interrupted."


def test_an_unwritable_config_folder_still_works_and_shows_the_disclaimer_each_time(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SCIATICA_HOME", str(blocker / "home"))

    first = run("routine", "list", "--json")
    second = run("routine", "list", "--json")

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert DISCLAIMER in first.stderr
    assert DISCLAIMER in second.stderr
    assert len(json.loads(second.stdout)["routines"]) == 6


def test_the_in_process_runner_builds_the_command_tree_once_per_process(run: Run) -> None:
    """conftest caches Typer's command tree (rebuilding it was most of each in-process run);
    if a Typer upgrade bypasses the hook, this fails instead of the suite quietly slowing."""
    cached = typer.testing._get_command  # type: ignore[attr-defined]
    run("--version")
    before = cached.cache_info().hits
    run("--version")
    assert cached.cache_info().hits == before + 1
