"""The documentation's examples and the README's promises stay true."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, Run

GENERATOR = REPO / "docs" / "gen_commands.py"
ARCHITECTURE = REPO / "docs" / "architecture.md"
PACKAGE = REPO / "sciatica_cli"


def _yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)


def test_full_example_in_the_format_doc_is_a_valid_routine(tmp_path: Path, run: Run) -> None:
    doc = (REPO / "docs" / "routine-format.md").read_text(encoding="utf-8")
    example = next(block for block in _yaml_blocks(doc) if "steps:" in block)
    name = re.search(r"^name: (\S+)", example, flags=re.M)
    assert name is not None
    path = tmp_path / f"{name.group(1)}.yaml"
    path.write_text(example, encoding="utf-8")

    result = run("routine", "validate", str(path))

    assert result.exit_code == 0, result.stderr
    assert "All 1 routine file valid." in result.stdout


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quick_start, flags=re.S)
    assert len(commands) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in commands)
    assert "sciatica routine" in commands[0]
    assert "pytest" in commands[1]


def test_readme_carries_the_safety_disclaimer() -> None:
    from sciatica_cli import DISCLAIMER

    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert DISCLAIMER in readme.replace("> ", "").replace("**", "")


def test_readme_lists_the_csv_export_columns_in_order() -> None:
    from sciatica_cli.journal.export import CSV_COLUMNS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"`(session_id, .*?)`", readme, flags=re.S)
    assert listed is not None
    assert [c.strip() for c in listed.group(1).split(",")] == list(CSV_COLUMNS)


def _generator() -> ModuleType:
    """``docs/gen_commands.py``, which writes the README's command reference."""
    spec = importlib.util.spec_from_file_location("gen_commands", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _current_readme() -> str:
    """The README with its command reference as the generator writes it now."""
    gen = _generator()
    head, _, tail = gen.split((REPO / "README.md").read_text(encoding="utf-8"))
    return f"{head}{gen.render()}{tail}"


def test_the_readme_command_reference_is_current() -> None:
    gen = _generator()
    _, block, _ = gen.split((REPO / "README.md").read_text(encoding="utf-8"))

    assert block == gen.render(), f"README.md is stale: run {gen.REGENERATE}"


def test_every_command_has_help_and_a_section_in_the_readme_reference() -> None:
    gen = _generator()
    _, block, _ = gen.split((REPO / "README.md").read_text(encoding="utf-8"))
    for command, ctx in gen.walk():
        assert gen.summary(command), f"'{ctx.command_path}' has no help text"
        assert f"### `{ctx.command_path}`\n" in block


def test_the_reference_is_the_same_in_any_terminal(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    gen = _generator()
    expected = gen.render()
    for name, value in {"COLUMNS": "40", "LINES": "10", "FORCE_COLOR": "1", "TERM": "dumb"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_COLOR")

    text = gen.render()

    assert text == expected
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= gen.WIDTH
    for path in (REPO, home, Path.home()):
        assert path == Path(path.anchor) or str(path) not in text


def test_check_fails_on_a_stale_reference_and_names_the_command_to_run(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    current = _current_readme()
    check = [sys.executable, str(GENERATOR), "--check", "--readme", str(readme)]

    readme.write_text(current, encoding="utf-8")
    fresh = subprocess.run(check, capture_output=True, text=True, check=False)
    stale_text = current.replace("Usage: sciatica routine", "Usage: sciatica  routine")
    readme.write_text(stale_text, encoding="utf-8")
    stale = subprocess.run(check, capture_output=True, text=True, check=False)

    assert (fresh.returncode, fresh.stderr) == (0, "")
    assert stale.returncode == 1
    assert stale.stderr == (
        "README.md: the command reference is out of date; run: python docs/gen_commands.py\n"
    )


def test_regenerating_changes_only_the_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    current = _current_readme()
    head, _, tail = _generator().split(current)
    readme.write_text(f"{head}stale text\n{tail}", encoding="utf-8")

    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--readme", str(readme)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert readme.read_text(encoding="utf-8") == current


def _paths_named_in(markdown: str) -> set[str]:
    return set(re.findall(r"`([\w./-]+\.(?:py|j2|md))`", markdown))


def test_the_architecture_map_has_a_line_for_every_module() -> None:
    named = _paths_named_in(ARCHITECTURE.read_text(encoding="utf-8"))
    modules = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py"))]

    missing = [module for module in modules if module not in named]

    assert missing == [], f"docs/architecture.md says nothing of {missing}: add a line for each"


def test_every_file_the_architecture_map_names_exists() -> None:
    named = _paths_named_in(ARCHITECTURE.read_text(encoding="utf-8"))

    gone = sorted(p for p in named if not (REPO / p).exists() and not (PACKAGE / p).exists())

    assert gone == [], f"docs/architecture.md names files that do not exist: {gone}"
