"""The layout keeps its promises: layers point one way, no cycles, small modules, no shims.

Every import counts as an arrow here, including those under ``if TYPE_CHECKING:`` and those
inside functions (the lazy imports that keep start-up fast): a cycle hidden in either is still
a cycle for a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "sciatica_cli"
MAX_LINES = 400
# What each layer may import from the package. The top-level modules (errors, paths, config,
# fsutil, wallclock) are the ground floor: every layer may use them.
GROUND = {"sciatica_cli", "errors", "paths", "config", "fsutil", "wallclock", "text"}
ALLOWED = {
    "commands": {"commands", "session", "journal", "routines", "safety"},
    "session": {"session", "journal", "routines", "safety"},
    "journal": {"journal", "routines", "safety"},
    "routines": {"routines"},
    "safety": {"safety"},
}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every sciatica_cli module ``path`` imports, with the line, wherever the import stands."""
    known = modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sciatica_cli"):
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("sciatica_cli"):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield (full if full in known else node.module), node.lineno


def layer(module: str) -> str:
    """``commands``, ``session``... for a module in a layer; the module's name on the ground."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def graph() -> dict[str, set[str]]:
    return {name: {target for target, _ in imports(path)} for name, path in modules().items()}


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for name, path in modules().items():
        if name in ("sciatica_cli.cli", "sciatica_cli.__main__"):
            continue  # the root app registers the command groups
        source = layer(name)
        allowed = ALLOWED.get(source, set()) | GROUND
        for target, line in imports(path):
            if layer(target) not in allowed:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {source} -> {layer(target)}")
    assert wrong == []


def test_there_is_no_import_cycle() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if target == node or target not in edges:
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert cycles == []


@pytest.mark.parametrize("banned", ["typer", "click"])
def test_nothing_below_the_commands_imports_the_cli_framework(banned: str) -> None:
    found = []
    for name, path in modules().items():
        if layer(name) == "commands" or name in ("sciatica_cli.cli", "sciatica_cli.__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == banned or n.startswith(f"{banned}.") for n in names):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_only_the_screen_imports_rich_live() -> None:
    users = set()
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if "rich.live" in text:
            users.add(name)
    assert users == {"sciatica_cli.session.screen"}


def test_every_module_is_under_400_lines() -> None:
    long = {
        str(path.relative_to(REPO)): count
        for path in modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_module_re_exports_names_it_imports() -> None:
    """``from x import A as A`` keeps a name at an old address: importers should use the new."""
    shims = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                shims += [
                    f"{path.relative_to(REPO)}:{node.lineno}: {a.name}"
                    for a in node.names
                    if a.asname == a.name
                ]
    assert shims == []
