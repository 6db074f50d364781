"""Human durations: ``90s``, ``5m``, ``1m30s``, ranges ``5-10m``, cue times ``30s`` or ``50%``;
and how to print them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
_UNITLESS = re.compile(r"^\d+$")
MAX_SECONDS = 4 * 3600


class DurationError(ValueError):
    """The text is not a duration; the message says what was expected."""


def parse_seconds(text: str) -> int:
    """Parse ``90s``, ``5m``, ``1m30s`` or ``1h`` into whole seconds."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.startswith("-"):
        raise DurationError(negative(text.strip()))
    if _UNITLESS.match(cleaned):
        raise DurationError(f"'{text}' needs a unit: write '{cleaned}s' or '{cleaned}m'")
    match = _PART.match(cleaned)
    if not cleaned or match is None:
        raise DurationError(f"'{text}' is not a duration; write it like '90s', '5m' or '1m30s'")
    hours, minutes, seconds = (int(match.group(k) or 0) for k in ("h", "m", "s"))
    total = hours * 3600 + minutes * 60 + seconds
    if total > MAX_SECONDS:
        raise DurationError(f"'{text}' is longer than {format_seconds(MAX_SECONDS)}")
    return total


def negative(written: object) -> str:
    """The message for a duration written with a minus sign."""
    return f"a duration cannot be negative: '{written}'"


@dataclass(frozen=True)
class Duration:
    """A step's length in seconds: fixed (all three equal) or a range with a default."""

    min: int
    default: int
    max: int

    @property
    def is_range(self) -> bool:
        return self.min != self.max

    def __str__(self) -> str:
        if not self.is_range:
            return format_seconds(self.min)
        text = format_range(self.min, self.max)
        if self.default != self.min:
            text += f" (default {format_seconds(self.default)})"
        return text

    @classmethod
    def fixed(cls, seconds: int) -> Duration:
        return cls(seconds, seconds, seconds)


@dataclass(frozen=True)
class Timepoint:
    """When a cue fires: a fixed offset in seconds or a percentage of the step."""

    seconds: int | None = None
    percent: float | None = None

    def offset_in(self, length: float) -> float:
        """The offset in seconds within a step of ``length`` seconds."""
        if self.percent is not None:
            return length * self.percent / 100
        return float(self.seconds or 0)

    def __str__(self) -> str:
        if self.percent is not None:
            return f"{self.percent:g}%"
        return format_seconds(self.seconds or 0)


def parse_range(text: str, default: str | None = None) -> Duration:
    """Parse ``5m`` or ``5-10m`` (the unit may be given once, at the end).

    Without an explicit default a range defaults to its low end: SAFETY.md 5 treats 5 minutes
    as the default and 10 as the upper end.
    """
    if text.strip().startswith("-"):
        raise DurationError(negative(text.strip()))
    low_text, sep, high_text = text.strip().partition("-")
    if not sep:
        seconds = parse_seconds(text)
        if seconds <= 0:
            raise DurationError("a duration must be longer than 0s")
        if default is not None and parse_seconds(default) != seconds:
            raise DurationError(f"default {default} differs from the fixed duration {text}")
        return Duration.fixed(seconds)
    low_text, high_text = low_text.strip(), high_text.strip()
    if not high_text:
        raise DurationError(f"'{text}' is missing its second value; write a range like '5-10m'")
    if _UNITLESS.match(low_text) and (unit := re.search(r"[hms]$", high_text)):
        low_text += unit.group(0)
    low, high = parse_seconds(low_text), parse_seconds(high_text)
    if low <= 0:
        raise DurationError("a duration must be longer than 0s")
    if high <= low:
        raise DurationError(f"in '{text}' the second value must be longer than the first")
    chosen = low if default is None else parse_seconds(default)
    if not low <= chosen <= high:
        raise DurationError(
            f"default {format_seconds(chosen)} lies outside the range {format_range(low, high)}"
        )
    return Duration(low, chosen, high)


def format_seconds(seconds: float) -> str:
    """``90`` -> ``1m30s``; ``300`` -> ``5m``; ``0`` -> ``0s``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts) or "0s"


def format_range(low: float, high: float) -> str:
    """``300, 600`` -> ``5-10m``; otherwise each end in full: ``90, 120`` -> ``1m30s-2m``."""
    if round(low) == round(high):
        return format_seconds(low)
    if round(low) % 60 == 0 and round(high) % 60 == 0 and high < 3600:
        return f"{round(low) // 60}-{round(high) // 60}m"
    return f"{format_seconds(low)}-{format_seconds(high)}"


def format_clock(seconds: float) -> str:
    """``65`` -> ``1:05``; ``3725`` -> ``1:02:05`` (for offsets and countdowns)."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
