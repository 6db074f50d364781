"""What reading the routine files gave last time, kept in one JSON file while they are unchanged.

Per file, under its path with its size and modification time: its validated routine in plain
form, or the problems found in it. For the whole catalog, under every file's stamp: the rows
of ``routine list``. All of it belongs to one sciatica version. Reading it needs neither
pydantic nor yaml; the file is disposable, and a missing, unreadable or foreign one only means
the routine files are read again.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sciatica_cli import __version__
from sciatica_cli.errors import Problem

if TYPE_CHECKING:
    from sciatica_cli.routines.plain import PlainRoutine

Stamp = tuple[int, int]  # a file's size and modification time in ns, as the catalog has it
_FORMAT = 4  # bump when the layout of the cache changes, or what is valid does
_KEY = [_FORMAT, __version__]
_DECODE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)


class ParseCache:
    """Parse results by path, and the list rows; see the module docstring."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        data = data or {}
        self._files: dict[str, Any] = data.get("files") or {}
        self._rows: dict[str, Any] = data.get("rows") or {}
        self._changed = False

    @classmethod
    def read(cls, file: Path) -> ParseCache:
        """The cache in ``file``, or an empty one if it is missing, unreadable or stale."""
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("key") == _KEY and isinstance(data.get("files"), dict):
                return cls(data)
        except (OSError, *_DECODE_ERRORS):
            pass  # no cache yet, or an unreadable one: start again
        return cls()

    def get(self, path: str, stamp: Stamp) -> PlainRoutine | list[Problem] | None:
        """The result kept for ``path`` if the file still has ``stamp``, else None."""
        from sciatica_cli.routines.plain import routine_from_json

        entry = self._files.get(path)
        try:
            if entry is None or (entry["size"], entry["mtime_ns"]) != stamp:
                return None
            if "problems" in entry:
                return [Problem(**problem) for problem in entry["problems"]]
            return routine_from_json(entry["routine"])
        except _DECODE_ERRORS:
            return None

    def put(self, path: str, stamp: Stamp, result: PlainRoutine | list[Problem]) -> None:
        """Keep ``result`` for the file at ``path`` as it is at ``stamp``."""
        from sciatica_cli.routines.plain import routine_to_json

        entry: dict[str, Any] = {"size": stamp[0], "mtime_ns": stamp[1]}
        if isinstance(result, list):
            entry["problems"] = [asdict(problem) for problem in result]
        else:
            entry["routine"] = routine_to_json(result)
        self._files[path] = entry
        self._changed = True

    def rows(self, stamps: dict[str, Stamp]) -> list[dict[str, Any]] | None:
        """The list rows kept for exactly these files at these stamps, else None."""
        if self._rows.get("stamps") != _json_stamps(stamps):
            return None
        rows = self._rows.get("rows")
        return rows if isinstance(rows, list) else None

    def put_rows(self, stamps: dict[str, Stamp], rows: list[dict[str, Any]]) -> None:
        """Keep the list rows worked out from these files at these stamps."""
        self._rows = {"stamps": _json_stamps(stamps), "rows": rows}
        self._changed = True

    def save(self, file: Path, stamps: dict[str, Stamp]) -> None:
        """Write the cache if it changed, keeping only files that still have these stamps."""
        fresh = {
            path: entry
            for path, entry in self._files.items()
            if isinstance(entry, dict)
            and [entry.get("size"), entry.get("mtime_ns")] == list(stamps.get(path, ()))
        }
        if not self._changed and len(fresh) == len(self._files):
            return
        from sciatica_cli.fsutil import atomic_write_text

        self._files, self._changed = fresh, False
        data = {"key": _KEY, "files": fresh, "rows": self._rows}
        with contextlib.suppress(OSError):  # a read-only cache dir only costs speed
            atomic_write_text(file, json.dumps(data))


def _json_stamps(stamps: dict[str, Stamp]) -> dict[str, list[int]]:
    return {path: list(stamp) for path, stamp in stamps.items()}
