"""Where routines come from: built-in files, then the user's, with includes expanded.

A user routine with a built-in's name overrides it. One broken file never hides the others.
This module's top level stays light, as ``routine list`` answers from its cache with little more
than :func:`scan`: a routine found in the parse cache is expanded without pydantic or yaml, and
the loader is imported only for a file that must be read.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sciatica_cli.errors import InvalidRoutine, Problem, RoutineNotFound
from sciatica_cli.routines.files import kind_of, not_regular
from sciatica_cli.routines.names import DRAFT_SUFFIX, NAME_RE, SUFFIX, check_name
from sciatica_cli.text import visible

if TYPE_CHECKING:
    from sciatica_cli.routines.cache import ParseCache, Stamp
    from sciatica_cli.routines.plain import ExpandedRoutine, PlacedStep, PlainRoutine

Source = Literal["built-in", "user"]


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
    stamps: dict[str, Stamp] = field(default_factory=dict)  # every routine file, by path

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
            catalog.strays.append(Problem(visible(str(folder)), f"cannot be read: {err.strerror}"))
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
        catalog.strays.append(Problem(visible(str(path)), message))
        return
    if not entry.name.endswith(SUFFIX):
        return
    if not entry.is_file():  # a folder, a FIFO, a device... named like a routine
        kind = _non_file_kind(entry)
        if kind is not None:
            catalog.strays.append(Problem(visible(str(path)), not_regular(kind)))
        return
    name = entry.name[: -len(SUFFIX)]
    if not NAME_RE.fullmatch(name):
        catalog.strays.append(
            Problem(
                visible(str(path)),
                "the file name is not a routine name: use lowercase letters, "
                "digits and hyphens, ending in .yaml",
            )
        )
        return
    stat = entry.stat()
    catalog.stamps[str(path)] = (stat.st_size, stat.st_mtime_ns)
    overrides = source == "user" and name in catalog.files
    catalog.files[name] = RoutineFile(name, path, source, overrides)


def _non_file_kind(entry: os.DirEntry[str]) -> str | None:
    try:
        return kind_of(entry.stat().st_mode)
    except OSError:
        return None  # a link to nothing: there is nothing to read or to mention


class RoutineLibrary:
    """Loads routines by name from a catalog (or the parse cache) and expands their includes."""

    def __init__(self, catalog: Catalog, cache: ParseCache | None = None) -> None:
        self.catalog = catalog
        self.cache = cache
        self._loaded: dict[str, PlainRoutine | list[Problem]] = {}

    def load(self, name: str) -> PlainRoutine:
        """The validated routine called ``name``; raises InvalidRoutine or RoutineNotFound."""
        if name not in self._loaded:
            self._loaded[name] = self._read(self.catalog.get(name))
        found = self._loaded[name]
        if isinstance(found, list):
            raise InvalidRoutine(list(found))
        return found

    def _read(self, found: RoutineFile) -> PlainRoutine | list[Problem]:
        path, stamp = str(found.path), self.catalog.stamps[str(found.path)]
        if self.cache is not None:
            cached = self.cache.get(path, stamp)
            if cached is not None:
                return cached
        from sciatica_cli.routines.files import read_routine_text
        from sciatica_cli.routines.loader import parse_routine

        text = read_routine_text(found.path)  # a file that cannot be read is never cached
        result: PlainRoutine | list[Problem]
        try:
            result = parse_routine(text, path, found.name, found.path).plain()
        except InvalidRoutine as err:
            result = err.problems
        if self.cache is not None:
            self.cache.put(path, stamp, result)
        return result

    def expand(self, root: PlainRoutine | str) -> ExpandedRoutine:
        """Flatten includes; cycles and missing or broken includes are problems in the file."""
        from sciatica_cli.routines.plain import ExpandedRoutine

        routine = self.load(root) if isinstance(root, str) else root
        steps: list[PlacedStep] = []
        equipment: list[str] = []
        safety: list[str] = []
        areas: list[str] = []
        problems: list[Problem] = []
        self._walk(routine, [routine.name], steps, (equipment, safety, areas), problems)
        if problems:
            raise InvalidRoutine(problems)
        return ExpandedRoutine(
            routine.name,
            routine.title,
            tuple(steps),
            tuple(equipment),
            tuple(safety),
            tuple(areas),
        )

    def _walk(
        self,
        routine: PlainRoutine,
        chain: list[str],
        steps: list[PlacedStep],
        extras: tuple[list[str], list[str], list[str]],
        problems: list[Problem],
    ) -> None:
        from sciatica_cli.routines.plain import PlacedStep, PlainInclude

        equipment, safety, areas = extras
        _merge(equipment, routine.equipment)
        _merge(safety, routine.safety)
        _merge(areas, routine.areas)
        for item in routine.steps:
            if not isinstance(item, PlainInclude):
                steps.append(PlacedStep(item, routine.name, routine.areas, routine.transition))
                continue
            where = (visible(routine.path), item.line, item.column)
            if item.name in chain:
                cycle = " -> ".join([*chain[chain.index(item.name) :], item.name])
                problems.append(Problem(where[0], f"include cycle: {cycle}", *where[1:]))
                continue
            try:
                included = self.load(item.name)
            except RoutineNotFound as err:
                problems.append(Problem(where[0], f"cannot include: {err.message}", *where[1:]))
                continue
            except InvalidRoutine as err:
                message = f"the included routine '{item.name}' has errors:"
                problems.extend([Problem(where[0], message, *where[1:]), *err.problems])
                continue
            self._walk(included, [*chain, item.name], steps, extras, problems)


def _merge(bucket: list[str], values: tuple[str, ...]) -> None:
    bucket.extend(v for v in values if v not in bucket)
