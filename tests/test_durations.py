"""Human durations: what people may write in a routine, and how times are printed back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_cli.routines.durations import (
    MAX_SECONDS,
    Duration,
    DurationError,
    format_clock,
    format_range,
    format_seconds,
    parse_range,
    parse_seconds,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("5m", 300),
        ("1m30s", 90),
        ("2m30s", 150),
        ("1h", 3600),
        ("1h5m", 3900),
        ("0s", 0),
        (" 2M ", 120),
        ("1m 30s", 90),
        ("4h", MAX_SECONDS),
    ],
)
def test_parse_seconds_reads_hours_minutes_and_seconds(text: str, seconds: int) -> None:
    assert parse_seconds(text) == seconds


@pytest.mark.parametrize("text", ["90", "5", " 30 "])
def test_number_without_unit_asks_for_seconds_or_minutes(text: str) -> None:
    bare = text.strip()
    with pytest.raises(DurationError) as caught:
        parse_seconds(text)
    assert str(caught.value) == f"'{text}' needs a unit: write '{bare}s' or '{bare}m'"


@pytest.mark.parametrize("text", ["", "abc", "5m30", "1.5m", "30s5m", "5 minutes", "1d"])
def test_text_that_is_not_a_duration_shows_examples(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_seconds(text)
    assert str(caught.value) == f"'{text}' is not a duration; write it like '90s', '5m' or '1m30s'"


@pytest.mark.parametrize("text", ["-5s", "-5m", " -1m30s", "-0s", "-5"])
def test_negative_duration_says_it_cannot_be_negative(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_seconds(text)
    assert str(caught.value) == f"a duration cannot be negative: '{text.strip()}'"


def test_duration_longer_than_four_hours_is_refused() -> None:
    with pytest.raises(DurationError) as caught:
        parse_seconds("4h1s")
    assert str(caught.value) == "'4h1s' is longer than 4h"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5m", Duration(300, 300, 300)),
        ("90s", Duration(90, 90, 90)),
        ("5-10m", Duration(300, 300, 600)),
        ("90s-2m", Duration(90, 90, 120)),
        ("2m30s-5m", Duration(150, 150, 300)),
        ("30-90s", Duration(30, 30, 90)),
        ("1-2h", Duration(3600, 3600, 7200)),
        (" 5 - 10m ", Duration(300, 300, 600)),
    ],
)
def test_range_defaults_to_its_low_end(text: str, expected: Duration) -> None:
    assert parse_range(text) == expected


@pytest.mark.parametrize(
    ("default", "expected"),
    [
        ("7m", Duration(300, 420, 600)),
        ("5m", Duration(300, 300, 600)),
        ("10m", Duration(300, 600, 600)),
    ],
)
def test_range_takes_a_default_inside_it(default: str, expected: Duration) -> None:
    assert parse_range("5-10m", default) == expected


def test_fixed_duration_accepts_its_own_value_as_default() -> None:
    assert parse_range("5m", "5m") == Duration.fixed(300)


@pytest.mark.parametrize(
    ("text", "default", "message"),
    [
        ("10-5m", None, "in '10-5m' the second value must be longer than the first"),
        ("5-5m", None, "in '5-5m' the second value must be longer than the first"),
        ("2m-90s", None, "in '2m-90s' the second value must be longer than the first"),
        ("5-10m", "12m", "default 12m lies outside the range 5-10m"),
        ("5-10m", "4m", "default 4m lies outside the range 5-10m"),
        ("90s-2m", "3m", "default 3m lies outside the range 1m30s-2m"),
        ("5m", "6m", "default 6m differs from the fixed duration 5m"),
        ("0s", None, "a duration must be longer than 0s"),
        ("0-5m", None, "a duration must be longer than 0s"),
        ("90", None, "'90' needs a unit: write '90s' or '90m'"),
        ("5-10", None, "'5' needs a unit: write '5s' or '5m'"),
        ("5-10m", "7", "'7' needs a unit: write '7s' or '7m'"),
        ("5m-ten", None, "'ten' is not a duration; write it like '90s', '5m' or '1m30s'"),
        ("-5s", None, "a duration cannot be negative: '-5s'"),
        ("-5-10m", None, "a duration cannot be negative: '-5-10m'"),
        ("5--10m", None, "a duration cannot be negative: '-10m'"),
        ("5-10m", "-6m", "a duration cannot be negative: '-6m'"),
        ("5m-", None, "'5m-' is missing its second value; write a range like '5-10m'"),
    ],
)
def test_bad_range_says_what_is_wrong(text: str, default: str | None, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_range(text, default)
    assert str(caught.value) == message


def test_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)


@pytest.mark.parametrize(
    ("duration", "text", "is_range"),
    [
        (Duration.fixed(90), "1m30s", False),
        (Duration(300, 300, 600), "5-10m", True),
        (Duration(300, 420, 600), "5-10m (default 7m)", True),
        (Duration(150, 150, 300), "2m30s-5m", True),
    ],
)
def test_duration_prints_as_a_person_writes_it(
    duration: Duration, text: str, is_range: bool
) -> None:
    assert str(duration) == text
    assert duration.is_range is is_range


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (90, "1m30s"),
        (300, "5m"),
        (3600, "1h"),
        (3725, "1h2m5s"),
        (89.6, "1m30s"),
    ],
)
def test_format_seconds_uses_the_largest_units(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (300, 600, "5-10m"),
        (60, 120, "1-2m"),
        (150, 300, "2m30s-5m"),
        (60, 60, "1m"),
        (3600, 7200, "1h-2h"),
    ],
)
def test_format_range_shares_the_unit_only_when_both_ends_are_whole_minutes(
    low: int, high: int, text: str
) -> None:
    assert format_range(low, high) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (5, "0:05"), (65, "1:05"), (59.6, "1:00"), (3725, "1:02:05"), (-3, "0:00")],
)
def test_format_clock_shows_minutes_and_seconds(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=MAX_SECONDS))
def test_formatted_seconds_read_back_to_the_same_value(seconds: int) -> None:
    assert parse_seconds(format_seconds(seconds)) == seconds


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=MAX_SECONDS - 1).flatmap(
        lambda low: st.tuples(st.just(low), st.integers(min_value=low + 1, max_value=MAX_SECONDS))
    )
)
def test_formatted_range_reads_back_to_the_same_range(bounds: tuple[int, int]) -> None:
    low, high = bounds
    assert parse_range(format_range(low, high)) == Duration(low, low, high)
