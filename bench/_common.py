"""Helpers shared by the bench scripts (stdlib only)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path


def console_script() -> str:
    """The ``sciatica`` script installed beside the interpreter (the one users run)."""
    folder = Path(sys.executable).parent
    for name in ("sciatica", "sciatica.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which("sciatica")
    if found is None:
        sys.exit(f"no 'sciatica' console script next to {sys.executable}; install the package")
    print(f"note: using {found}, not a script beside {sys.executable}")
    return found


def wall_time(label: str, argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """Run ``argv`` once (stdin and stdout to /dev/null) and return its wall time in seconds;
    stop the benchmark with the command's stderr if it fails."""
    start = time.perf_counter()
    result = subprocess.run(
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        sys.exit(f"{label}: exit code {result.returncode}\n{detail}")
    return elapsed


def package_versions(names: tuple[str, ...]) -> list[str]:
    """``name version`` for each installed package of ``names``."""
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return found
