"""``routine list`` rows and a session's routine, answered from the parse cache.

While no routine file has changed, neither needs pydantic nor yaml: the rows, and every file's
validated routine (or its problems), come from the cache; only new or changed files are read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sciatica_cli.errors import InvalidRoutine
from sciatica_cli.routines.cache import ParseCache
from sciatica_cli.routines.library import Catalog, RoutineLibrary

if TYPE_CHECKING:
    from sciatica_cli.routines.plain import ExpandedRoutine

CACHE_NAME = "routine-list.json"  # in the user cache dir; safe to delete at any time


@dataclass(frozen=True)
class RoutineSummary:
    """One row of ``routine list``."""

    name: str
    title: str
    areas: list[str]
    seconds: dict[str, float]
    source: str
    path: str
    overrides_builtin: bool
    error: str | None = None
    error_count: int = 0


def summarize(library: RoutineLibrary) -> list[RoutineSummary]:
    """Title, areas and total time of every routine; a broken one carries its first error."""
    from sciatica_cli.routines.planner import total_range

    rows = []
    for name, found in sorted(library.catalog.files.items()):
        title, areas, seconds, error, count = "", [], {}, None, 0
        try:
            expanded = library.expand(name)
        except InvalidRoutine as err:
            error, count = str(err.problems[0]), len(err.problems)
        else:
            low, mid, high = total_range(expanded)
            title, areas = expanded.title, list(expanded.areas)
            seconds = {"min": low, "default": mid, "max": high}
        rows.append(
            RoutineSummary(
                name,
                title,
                areas,
                seconds,
                found.source,
                str(found.path),
                found.overrides_builtin,
                error,
                count,
            )
        )
    return rows


def cached_summaries(catalog: Catalog, cache_file: Path) -> list[RoutineSummary]:
    """:func:`summarize`, reusing the last answer while no routine file has changed, and
    otherwise reading only the files changed since."""
    cache = ParseCache.read(cache_file)
    kept = cache.rows(catalog.stamps)
    if kept is not None:
        try:
            return [RoutineSummary(**row) for row in kept]
        except TypeError:
            pass  # rows of another shape: work them out again
    rows = summarize(RoutineLibrary(catalog, cache))
    cache.put_rows(catalog.stamps, [asdict(row) for row in rows])
    cache.save(cache_file, catalog.stamps)
    return rows


def load_expanded(catalog: Catalog, name: str, cache_file: Path) -> ExpandedRoutine:
    """Routine ``name`` with its includes expanded, as ``RoutineLibrary(catalog).expand(name)``
    gives it (the same errors too), but read from the cache while its files are unchanged."""
    cache = ParseCache.read(cache_file)
    try:
        return RoutineLibrary(catalog, cache).expand(name)
    finally:
        cache.save(cache_file, catalog.stamps)


def cached_titles(catalog: Catalog, cache_file: Path) -> dict[str, str]:
    """Each routine's title as the cache knows it, for shell completion: from the list rows
    while no file has changed, else from each unchanged file's entry. Never reads a routine
    file and never writes the cache, so neither pydantic nor yaml is imported."""
    cache = ParseCache.read(cache_file)
    rows = cache.rows(catalog.stamps)
    if rows is not None:
        return {
            str(row["name"]): str(row["title"])
            for row in rows
            if isinstance(row, dict) and row.get("name") and row.get("title")
        }
    titles = {}
    for name, found in catalog.files.items():
        kept = cache.get(str(found.path), catalog.stamps[str(found.path)])
        if kept is not None and not isinstance(kept, list):
            titles[name] = kept.title
    return titles
