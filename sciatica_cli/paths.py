"""Where sciatica keeps its files. ``SCIATICA_HOME`` moves every one of them."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "sciatica"
HOME_ENV = "SCIATICA_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """The user config dir: routines and settings live here."""
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """The user data dir: the session journal lives here."""
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def cache_dir() -> Path:
    """Disposable files (the routine list cache); safe to delete at any time."""
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME)


def user_routines_dir() -> Path:
    """The user's own routine files; a name here overrides a built-in."""
    return config_dir() / "routines"


def builtin_routines_dir() -> Path:
    """The routines shipped with sciatica (inside the wheel, or beside a source checkout)."""
    packaged = Path(__file__).parent / "builtin_routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "routines"
