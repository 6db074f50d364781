"""Settings remembered between runs (``config.json`` in the user config dir)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from sciatica_cli import paths
from sciatica_cli.fsutil import atomic_write_text

CONFIG_FILE = "config.json"


@dataclass(frozen=True)
class Settings:
    """What a person chose once and should not have to type again."""

    voice: bool = False
    bell: bool = True


def config_path() -> Path:
    return paths.config_dir() / CONFIG_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults for anything missing, unreadable or of the wrong type."""
    try:
        data = json.loads((path or config_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name: f.type for f in fields(Settings)}
    chosen = {k: v for k, v in data.items() if k in known and isinstance(v, bool)}
    return replace(Settings(), **chosen)


def remember(changes: dict[str, bool], path: Path | None = None) -> Settings:
    """Save the given choices over the current ones (atomically); returns the new settings."""
    target = path or config_path()
    settings = replace(load_settings(target), **changes)
    if changes:
        atomic_write_text(target, json.dumps(asdict(settings), indent=2) + "\n")
    return settings
