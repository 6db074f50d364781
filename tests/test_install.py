"""A real (non-editable) install finds the built-in routines inside the package."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

from tests.conftest import BUILTIN_NAMES, REPO

BUILTINS = set(BUILTIN_NAMES)


def test_an_installed_wheel_lists_the_builtin_routines_from_inside_the_package(
    tmp_path: Path, home: Path
) -> None:
    wheels, site, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]

    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("sciatica-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "sciatica_cli/builtin_routines/full.yaml" in names
    assert {f"sciatica_cli/builtin_routines/{name}.yaml" for name in BUILTINS} <= names
    assert "sciatica_cli/cli.py" in names

    installed = subprocess.run(
        [*pip, "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr

    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(site)!r})
        sys.argv = ["sciatica", "routine", "list", "--json"]
        import sciatica_cli.cli
        assert sciatica_cli.cli.__file__.startswith({str(site)!r}), sciatica_cli.cli.__file__
        sciatica_cli.cli.main()
        """
    )
    listed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )

    assert listed.returncode == 0, listed.stderr
    rows = {row["name"]: row for row in json.loads(listed.stdout)["routines"]}
    assert set(rows) == BUILTINS
    for name, row in rows.items():
        assert row["source"] == "built-in"
        assert row["error"] is None
        path = Path(row["path"]).resolve()
        assert path == (site / "sciatica_cli" / "builtin_routines" / f"{name}.yaml").resolve()
        assert path.is_relative_to(site.resolve())
