"""Where routines come from: built-in files, then the user's, with includes expanded.

A user routine with a built-in's name overrides it. One broken file never hides the others.
This module's top level stays light (no pydantic, no yaml) so ``routine list`` can answer from
its cache without importing them.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sciatica_cli import __version__
from sciatica_cli.errors import InvalidRoutine, Problem, RoutineNotFound, UsageError

if TYPE_CHECKING:
    from sciatica_cli.routines.loader import LoadedRoutine
    from sciatica_cli.routines.models import Routine, Step

NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
SUFFIX = ".yaml"
DRAFT_SUFFIX = ".draft.yaml"
Source = Literal["built-in", "user"]


def check_name(name: str) -> str:
    """Refuse anything that is not a routine name (and so never a path like ``../x``)."""
    if not NAME_RE.fullmatch(name) or len(name) > 64:
        raise UsageError(
            f"'{name}' is not a routine name: use lowercase letters, digits and hyphens, "
            "starting with a letter or digit (for example 'my-back')"
        )
    return name


@dataclass(frozen=True)
class RoutineFile:
    """A routine file found on disk."""

    name: str
    path: Path
    source: Source
    overrides_builtin: bool = False


@dataclass
class Catalog:
    """Every routine file found, by name, plus files that cannot be routines."""

    files: dict[str, RoutineFile] = field(default_factory=dict)
    strays: list[Problem] = field(default_factory=list)
    fingerprint: list[tuple[str, int, int]] = field(default_factory=list)

    def get(self, name: str) -> RoutineFile:
        check_name(name)
        found = self.files.get(name)
        if found is None:
            close = difflib.get_close_matches(name, list(self.files), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise RoutineNotFound(
                f"no routine named '{name}'{hint} ('sciatica routine list' shows them all)"
            )
        return found


def scan(builtin_dir: Path, user_dir: Path) -> Catalog:
    """List routine files; a user file overrides the built-in of the same name."""
    catalog = Catalog()
    for source, folder in (("built-in", builtin_dir), ("user", user_dir)):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as err:
            catalog.strays.append(Problem(str(folder), f"cannot be read: {err.strerror}"))
            continue
        for entry in entries:
            _add_entry(catalog, entry, source)  # type: ignore[arg-type]
    return catalog


def _add_entry(catalog: Catalog, entry: os.DirEntry[str], source: Source) -> None:
    path = Path(entry.path)
    if entry.name.endswith(DRAFT_SUFFIX) or entry.name.startswith("."):
        return
    if entry.name.endswith(".yml"):
        message = f"routine files end in .yaml; rename it to {path.stem}.yaml"
        catalog.strays.append(Problem(str(path), message))
        return
    if not entry.name.endswith(SUFFIX) or not entry.is_file():
        return
    name = entry.name[: -len(SUFFIX)]
    if not NAME_RE.fullmatch(name):
        catalog.strays.append(
            Problem(
                str(path),
                "the file name is not a routine name: use lowercase letters, "
                "digits and hyphens, ending in .yaml",
            )
        )
        return
    stat = entry.stat()
    catalog.fingerprint.append((entry.path, stat.st_size, stat.st_mtime_ns))
    overrides = source == "user" and name in catalog.files
    catalog.files[name] = RoutineFile(name, path, source, overrides)


@dataclass(frozen=True)
class PlacedStep:
    """A step in an expanded routine, with the routine it came from."""

    step: Step
    routine: str
    areas: tuple[str, ...]
    transition: int


@dataclass(frozen=True)
class ExpandedRoutine:
    """A routine with every include replaced by the included steps."""

    routine: Routine
    path: Path
    steps: tuple[PlacedStep, ...]
    equipment: tuple[str, ...]
    safety: tuple[str, ...]
    areas: tuple[str, ...]


class RoutineLibrary:
    """Loads routines by name from a catalog and expands their includes."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._loaded: dict[str, LoadedRoutine] = {}

    def load(self, name: str) -> LoadedRoutine:
        """The validated routine called ``name``; raises InvalidRoutine or RoutineNotFound."""
        if name not in self._loaded:
            from sciatica_cli.routines.loader import load_routine_file

            self._loaded[name] = load_routine_file(self.catalog.get(name).path)
        return self._loaded[name]

    def expand(self, root: LoadedRoutine | str) -> ExpandedRoutine:
        """Flatten includes; cycles and missing or broken includes are problems in the file."""
        loaded = self.load(root) if isinstance(root, str) else root
        steps: list[PlacedStep] = []
        equipment: list[str] = []
        safety: list[str] = []
        areas: list[str] = []
        problems: list[Problem] = []
        self._walk(loaded, [loaded.routine.name], steps, (equipment, safety, areas), problems)
        if problems:
            raise InvalidRoutine(problems)
        return ExpandedRoutine(
            loaded.routine,
            loaded.path,
            tuple(steps),
            tuple(equipment),
            tuple(safety),
            tuple(areas),
        )

    def _walk(
        self,
        loaded: LoadedRoutine,
        chain: list[str],
        steps: list[PlacedStep],
        extras: tuple[list[str], list[str], list[str]],
        problems: list[Problem],
    ) -> None:
        from sciatica_cli.routines.models import Include

        routine = loaded.routine
        equipment, safety, areas = extras
        _merge(equipment, routine.equipment)
        _merge(safety, routine.safety)
        _merge(areas, routine.areas)
        for i, item in enumerate(routine.steps):
            if not isinstance(item, Include):
                steps.append(
                    PlacedStep(item, routine.name, tuple(routine.areas), routine.transition)
                )
                continue
            where = (str(loaded.path), *loaded.position_of(("steps", i, "include")))
            if item.include in chain:
                cycle = " -> ".join([*chain[chain.index(item.include) :], item.include])
                problems.append(Problem(where[0], f"include cycle: {cycle}", *where[1:]))
                continue
            try:
                included = self.load(item.include)
            except RoutineNotFound as err:
                problems.append(Problem(where[0], f"cannot include: {err.message}", *where[1:]))
                continue
            except InvalidRoutine as err:
                message = f"the included routine '{item.include}' has errors:"
                problems.extend([Problem(where[0], message, *where[1:]), *err.problems])
                continue
            self._walk(included, [*chain, item.include], steps, extras, problems)


def _merge(bucket: list[str], values: list[str] | list[Any]) -> None:
    bucket.extend(v for v in values if v not in bucket)


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


def summarize(catalog: Catalog) -> list[RoutineSummary]:
    """Title, areas and total time of every routine; a broken one carries its first error."""
    from sciatica_cli.routines.planner import total_range

    library = RoutineLibrary(catalog)
    rows = []
    for name, found in sorted(catalog.files.items()):
        title, areas, seconds, error, count = "", [], {}, None, 0
        try:
            expanded = library.expand(name)
        except InvalidRoutine as err:
            error, count = str(err.problems[0]), len(err.problems)
        else:
            low, mid, high = total_range(expanded)
            title, areas = expanded.routine.title, list(expanded.areas)
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
    """:func:`summarize`, reusing the last answer while no routine file has changed."""
    key = json.dumps([__version__, sorted(catalog.fingerprint)])
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return [RoutineSummary(**row) for row in cached["rows"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass  # no cache yet, or an unreadable one: rebuild it
    rows = summarize(catalog)
    try:
        from sciatica_cli.fsutil import atomic_write_text

        atomic_write_text(cache_file, json.dumps({"key": key, "rows": [asdict(r) for r in rows]}))
    except OSError:
        pass  # a read-only cache dir only costs speed
    return rows
