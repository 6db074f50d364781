"""Each routine file's parse result, kept in one JSON file while the file is unchanged.

An entry holds a file's validated routine in plain form, or the problems found in it, under
its path together with the file's size and modification time; the whole cache belongs to one
sciatica version. Reading from it needs neither pydantic nor yaml. The file is disposable: a
missing, unreadable or foreign one only means every routine file is read again.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sciatica_cli import __version__
from sciatica_cli.errors import Problem
from sciatica_cli.routines.plain import PlainRoutine, routine_from_json, routine_to_json

Stamp = tuple[int, int]  # a file's size and modification time in ns, as the catalog has it
_FORMAT = 2  # bump when the layout of an entry changes
_KEY = [_FORMAT, __version__]
_DECODE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)


class ParseCache:
    """Parse results by path; see the module docstring."""

    def __init__(self, entries: dict[str, Any] | None = None) -> None:
        self._entries: dict[str, Any] = entries or {}
        self._changed = False

    @classmethod
    def read(cls, file: Path) -> ParseCache:
        """The cache in ``file``, or an empty one if it is missing, unreadable or stale."""
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("key") == _KEY and isinstance(data.get("files"), dict):
                return cls(data["files"])
        except (OSError, *_DECODE_ERRORS):
            pass  # no cache yet, or an unreadable one: start again
        return cls()

    def get(self, path: str, stamp: Stamp) -> PlainRoutine | list[Problem] | None:
        """The result kept for ``path`` if the file still has ``stamp``, else None."""
        entry = self._entries.get(path)
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
        entry: dict[str, Any] = {"size": stamp[0], "mtime_ns": stamp[1]}
        if isinstance(result, list):
            entry["problems"] = [asdict(problem) for problem in result]
        else:
            entry["routine"] = routine_to_json(result)
        self._entries[path] = entry
        self._changed = True

    def save(self, file: Path, stamps: dict[str, Stamp]) -> None:
        """Write the cache if it changed, keeping only files that still have these stamps."""
        fresh = {
            path: entry
            for path, entry in self._entries.items()
            if isinstance(entry, dict)
            and (entry.get("size"), entry.get("mtime_ns")) == stamps.get(path)
        }
        if not self._changed and len(fresh) == len(self._entries):
            return
        from sciatica_cli.fsutil import atomic_write_text

        with contextlib.suppress(OSError):  # a read-only cache dir only costs speed
            atomic_write_text(file, json.dumps({"key": _KEY, "files": fresh}))
        self._entries, self._changed = fresh, False
