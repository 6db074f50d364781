"""Settings remembered between runs (``config.json`` in the user config dir)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from sciatica_cli import paths
from sciatica_cli.fsutil import atomic_write_text

CONFIG_FILE = "config.json"
Value = bool | int | str | None
SIDES = ("left", "right", "both")  # the affected side: where the sciatica is
# SAFETY.md 4: one pain score, or leg pain and back pain each on its own.
PAIN_SCORES = ("one", "two")


@dataclass(frozen=True)
class Settings:
    """What a person chose once and should not have to type again."""

    voice: bool = False
    bell: bool = True
    weekly_goal: int = 3  # sessions a week; the guide says 2 to 3
    side: str | None = None  # the affected side, one of SIDES, once the person has said
    pain_scores: str | None = None  # one of PAIN_SCORES, once the person has said


def config_path() -> Path:
    return paths.config_dir() / CONFIG_FILE


def _valid(name: str, value: object) -> bool:
    if name == "side":
        return value is None or value in SIDES
    if name == "pain_scores":
        return value is None or value in PAIN_SCORES
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        return isinstance(value, bool)
    # bool is an int in Python, and True is not a number of sessions.
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 14


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults for anything missing, unreadable or of the wrong type."""
    try:
        data = json.loads((path or config_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    names = {f.name for f in fields(Settings)}
    return replace(Settings(), **{k: v for k, v in data.items() if k in names and _valid(k, v)})


def remember(changes: Mapping[str, Value], path: Path | None = None) -> Settings:
    """Save the given choices over the current ones (atomically); returns the new settings."""
    for name, value in changes.items():
        if not _valid(name, value):
            raise ValueError(f"{name} cannot be {value!r}")
    target = path or config_path()
    checked: dict[str, Any] = dict(changes)  # each value was checked against its field above
    settings = replace(load_settings(target), **checked)
    if changes:
        atomic_write_text(target, json.dumps(asdict(settings), indent=2) + "\n")
    return settings
