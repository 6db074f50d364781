"""The documentation's examples and the README's promises stay true."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO, Run


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
