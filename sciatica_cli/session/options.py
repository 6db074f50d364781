"""What ``routine start`` was asked for, as the session sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sciatica_cli.routines.planner import AffectedSide


@dataclass(frozen=True)
class StartOptions:
    """Everything ``routine start`` was asked for."""

    name: str = "full"
    minutes: float | None = None
    side: AffectedSide | None = None  # the affected side, when --side gives it
    voice: bool = False
    bell: bool = True
    speed: float = 1.0
    pain_before: int | None = None
    back_pain_before: int | None = None  # with leg and back scored apart (SAFETY.md 4)
    assessed: bool = False
    history: bool = True
    plain: bool = False

    @property
    def preview(self) -> bool:
        """A sped-up run looks at a routine; it is never counted as a real session."""
        return self.speed != 1.0
