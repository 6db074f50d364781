"""``routine validate``: check many routine files and collect every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sciatica_cli.errors import InvalidRoutine, Problem, RoutineNotFound
from sciatica_cli.routines.library import Catalog, RoutineLibrary
from sciatica_cli.routines.loader import LoadedRoutine, load_routine_file
from sciatica_cli.routines.names import DRAFT_SUFFIX, NAME_RE, SUFFIX


@dataclass
class ValidationReport:
    """Every problem found, and how many files were checked and failed."""

    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    invalid: int = 0

    def check(self, action: Callable[[], object]) -> None:
        """Run one file's check, recording its problems."""
        self.checked += 1
        try:
            action()
        except InvalidRoutine as err:
            self.invalid += 1
            self.problems.extend(err.problems)


def validate_all(catalog: Catalog) -> ValidationReport:
    """Check every routine found (built-in and user), and any file that cannot be one."""
    report = ValidationReport()
    library = RoutineLibrary(catalog)
    for name in sorted(catalog.files):
        report.check(partial(library.expand, name))
    for stray in catalog.strays:
        report.check(partial(_fail, stray))
    return report


def validate_paths(catalog: Catalog, targets: list[Path]) -> ValidationReport:
    """Check the given files, folders (their *.yaml files) or routine names."""
    report = ValidationReport()
    library = RoutineLibrary(catalog)
    for target in targets:
        if not target.exists() and NAME_RE.fullmatch(str(target)):
            report.check(partial(_expand_name, library, str(target)))
            continue
        if target.is_dir():
            files = sorted(
                p for p in target.glob(f"*{SUFFIX}") if not p.name.endswith(DRAFT_SUFFIX)
            )
        else:
            files = [target]
        for path in files:
            report.check(partial(_expand_file, library, path))
    return report


def _expand_name(library: RoutineLibrary, name: str) -> None:
    try:
        library.expand(name)
    except RoutineNotFound as err:
        raise InvalidRoutine([Problem(name, err.message)]) from None


def _expand_file(library: RoutineLibrary, path: Path) -> None:
    library.expand(_load(path).plain())


def _load(path: Path) -> LoadedRoutine:
    """A draft (``NAME.draft.yaml``) is checked as the routine it will become."""
    name = path.name.removesuffix(DRAFT_SUFFIX).removesuffix(SUFFIX)
    return load_routine_file(path, name if path.name.endswith(SUFFIX) else path.stem)


def _fail(problem: Problem) -> None:
    raise InvalidRoutine([problem])
