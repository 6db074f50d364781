"""Domain errors. Each carries the exit code the CLI turns it into."""

from __future__ import annotations

from dataclasses import dataclass


class SciaticaError(Exception):
    """A problem the user can fix; shown as one clear sentence, never a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SciaticaError):
    """The command line itself is wrong (a bad name, conflicting options)."""

    exit_code = 2


class RoutineNotFound(SciaticaError):
    """No routine file has the requested name."""


@dataclass(frozen=True)
class Problem:
    """One error found in a file, printed compiler-style as ``path:line:col: message``."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"


class InvalidRoutine(SciaticaError):
    """One or more routine files failed to load; every problem is kept."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")
        self.problems = problems


class ExitCode:
    """Every exit code sciatica uses, in one place (the README's table lists them)."""

    COMPLETED = 0
    STOPPED = 1  # invalid input, or a session the person stopped early
    USAGE = 2
    SAFETY = 3  # a session stopped, or not started, for pain or a warning sign
    BUG = 70
    INTERRUPTED = 130  # Ctrl-C
