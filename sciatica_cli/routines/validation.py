"""``routine validate``: check many routine files, collect every problem and every warning."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sciatica_cli.errors import InvalidRoutine, Problem, RoutineNotFound
from sciatica_cli.routines.library import Catalog, RoutineLibrary
from sciatica_cli.routines.loader import LoadedRoutine, load_routine_file
from sciatica_cli.routines.names import DRAFT_SUFFIX, NAME_RE, SUFFIX
from sciatica_cli.routines.plain import PlainRoutine
from sciatica_cli.routines.step_warnings import step_warnings


@dataclass
class ValidationReport:
    """Every problem and warning found, and how many files were checked and failed.

    A warning is a :class:`Problem` whose message starts with ``warning:``; it never makes a
    file invalid.
    """

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    checked: int = 0
    invalid: int = 0
    _warned: set[Path] = field(default_factory=set, repr=False)  # files already warned about

    def check(self, action: Callable[[], object]) -> None:
        """Run one file's check, recording its problems."""
        self.checked += 1
        try:
            action()
        except InvalidRoutine as err:
            self.invalid += 1
            self.problems.extend(err.problems)

    def warn(self, loaded: LoadedRoutine, routine: PlainRoutine) -> None:
        """Record the warnings for a valid file's own steps (``loaded.plain()``), once per file."""
        where = loaded.path.resolve()
        if where in self._warned:
            return
        self._warned.add(where)
        warnings = []
        for found in step_warnings(routine):
            loc = ("steps", found.step, found.key)
            line, column = loaded.document.position(loc, key=True)
            warnings.append(Problem(str(loaded.path), f"warning: {found.message}", line, column))
        self.warnings.extend(sorted(warnings, key=lambda w: (w.line or 0, w.column or 0)))

    def summary(self) -> str:
        """The last line: how many files were checked, how many failed, how many warnings."""
        files = f"{self.checked} routine file{'s' if self.checked != 1 else ''}"
        count = len(self.warnings)
        warned = f" ({count} warning{'s' if count != 1 else ''})" if count else ""
        if self.invalid:
            verb = "has" if self.invalid == 1 else "have"
            return f"{self.invalid} of {files} {verb} errors{warned}."
        return f"All {files} valid{warned}."


def validate_all(catalog: Catalog) -> ValidationReport:
    """Check every routine found (built-in and user), and any file that cannot be one."""
    report = ValidationReport()
    library = RoutineLibrary(catalog)
    for name in sorted(catalog.files):
        found = catalog.files[name]
        report.check(partial(_check_file, report, library, found.path, found.name))
    for stray in catalog.strays:
        report.check(partial(_fail, stray))
    return report


def validate_paths(catalog: Catalog, targets: list[Path]) -> ValidationReport:
    """Check the given files, folders (their *.yaml files) or routine names."""
    report = ValidationReport()
    library = RoutineLibrary(catalog)
    for target in targets:
        if not target.exists() and NAME_RE.fullmatch(str(target)):
            report.check(partial(_check_name, report, library, str(target)))
            continue
        if target.is_dir():
            files = sorted(
                p for p in target.glob(f"*{SUFFIX}") if not p.name.endswith(DRAFT_SUFFIX)
            )
        else:
            files = [target]
        for path in files:
            report.check(partial(_check_file, report, library, path, _name_of(path)))
    return report


def _check_name(report: ValidationReport, library: RoutineLibrary, name: str) -> None:
    try:
        found = library.catalog.get(name)
    except RoutineNotFound as err:
        raise InvalidRoutine([Problem(name, err.message)]) from None
    _check_file(report, library, found.path, found.name)


def _check_file(report: ValidationReport, library: RoutineLibrary, path: Path, name: str) -> None:
    """Load the file itself (for the positions of its warnings), then expand its includes."""
    loaded = load_routine_file(path, name)
    routine = loaded.plain()
    report.warn(loaded, routine)
    library.expand(routine)


def _name_of(path: Path) -> str:
    """A draft (``NAME.draft.yaml``) is checked as the routine it will become."""
    if path.name.endswith(SUFFIX):
        return path.name.removesuffix(DRAFT_SUFFIX).removesuffix(SUFFIX)
    return path.stem


def _fail(problem: Problem) -> None:
    raise InvalidRoutine([problem])
