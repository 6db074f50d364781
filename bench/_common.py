"""Helpers shared by the bench scripts (stdlib only)."""

from __future__ import annotations

import shutil
import sys
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
