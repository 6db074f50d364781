"""The safe YAML reader: positions, YAML 1.2 core typing, and everything it refuses."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest

from sciatica_cli.routines.yamlsafe import MAX_DEPTH, MAX_VALUES, YamlError, read_yaml


def refusal(text: str) -> YamlError:
    with pytest.raises(YamlError) as caught:
        read_yaml(text)
    return caught.value


# Positions


def test_every_key_and_value_has_its_line_and_column() -> None:
    doc = read_yaml(
        """\
name: demo
steps:
  - title: Roll
    duration: 5-10m
    cues: [{at: 30s, say: hi}]
"""
    )
    assert doc.data == {
        "name": "demo",
        "steps": [{"title": "Roll", "duration": "5-10m", "cues": [{"at": "30s", "say": "hi"}]}],
    }
    assert doc.keys[("name",)] == (1, 1)
    assert doc.values[("name",)] == (1, 7)
    assert doc.keys[("steps",)] == (2, 1)
    assert doc.values[("steps",)] == (3, 3)
    assert doc.values[("steps", 0)] == (3, 5)
    assert doc.keys[("steps", 0, "title")] == (3, 5)
    assert doc.values[("steps", 0, "title")] == (3, 12)
    assert doc.keys[("steps", 0, "duration")] == (4, 5)
    assert doc.values[("steps", 0, "duration")] == (4, 15)
    assert doc.values[("steps", 0, "cues")] == (5, 11)
    assert doc.values[("steps", 0, "cues", 0)] == (5, 12)
    assert doc.keys[("steps", 0, "cues", 0, "at")] == (5, 13)
    assert doc.values[("steps", 0, "cues", 0, "at")] == (5, 17)
    assert doc.values[("steps", 0, "cues", 0, "say")] == (5, 27)


def test_block_text_value_starts_at_its_indicator() -> None:
    doc = read_yaml("instructions: |\n  Lie down.\n  Breathe.\nnext: 1\n")
    assert doc.data["instructions"] == "Lie down.\nBreathe.\n"
    assert doc.values[("instructions",)] == (1, 15)
    assert doc.keys[("next",)] == (4, 1)


def test_columns_count_characters_not_bytes() -> None:
    doc = read_yaml("title: Ça va\nsides: [éé, both]\n")
    assert doc.values[("sides", 1)] == (2, 13)


def test_windows_line_endings_keep_lines_right() -> None:
    doc = read_yaml("a: 1\r\nb: 2\r\n")
    assert doc.data == {"a": 1, "b": 2}
    assert doc.values[("b",)] == (2, 4)


def test_byte_order_mark_does_not_shift_columns() -> None:
    doc = read_yaml("\ufeffa: 1\n")
    assert doc.data == {"a": 1}
    assert doc.values[("a",)] == (1, 4)


def test_position_of_an_unknown_location_falls_back_to_its_nearest_parent() -> None:
    doc = read_yaml("name: demo\nsteps:\n  - title: Roll\n")
    assert doc.position(("steps", 0, "duration")) == (3, 5)
    assert doc.position(("steps", 7, "title")) == (3, 3)
    assert doc.position(("nothing", "here")) == (1, 1)


def test_position_of_a_key_is_given_when_asked_for() -> None:
    doc = read_yaml("name: demo\nsteps:\n  - title: Roll\n")
    assert doc.position(("steps", 0, "title"), key=True) == (3, 5)
    assert doc.position(("steps", 0, "title")) == (3, 12)


# YAML 1.2 core schema


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("yes", "yes"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("012", 12),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-.5", -0.5),
        ("1e3", 1000.0),
        (".inf", math.inf),
        ("-.inf", -math.inf),
        ("null", None),
        ("Null", None),
        ("~", None),
        ("", None),
        ("'12'", "12"),
        ('"true"', "true"),
        ("'no'", "no"),
        ("5m", "5m"),
        ("1_000", "1_000"),
        ("2020-01-01", "2020-01-01"),
        ("1:30", "1:30"),
        ("0b101", "0b101"),
        ("!!str 12", "12"),
        ("!!int '7'", 7),
    ],
)
def test_plain_values_follow_the_yaml_1_2_core_schema(written: str, value: Any) -> None:
    data = read_yaml(f"key: {written}\n").data
    assert data == {"key": value}
    assert type(data["key"]) is type(value)


def test_not_a_number_is_a_float() -> None:
    assert math.isnan(read_yaml("key: .nan\n").data["key"])


def test_keys_stay_text() -> None:
    assert read_yaml("1: a\nnull: b\ntrue: c\n").data == {"1": "a", "null": "b", "true": "c"}


def test_aliases_reuse_the_anchored_value() -> None:
    assert read_yaml("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


# Duplicate keys


def test_duplicate_key_names_the_line_of_the_first_and_points_at_the_second() -> None:
    doc = read_yaml("a: 1\nb: 2\na: 3\n")
    assert doc.problems == [
        (
            "duplicate key 'a' (first given at line 1); keep only one",
            (3, 1),
        )
    ]


def test_same_key_in_different_mappings_is_not_a_duplicate() -> None:
    doc = read_yaml("steps:\n  - title: a\n  - title: b\n")
    assert doc.problems == []


def test_value_of_a_duplicate_key_keeps_the_position_of_the_value_kept() -> None:
    text = "a: first\nb: 2\na: second\n"
    doc = read_yaml(text)
    line, column = doc.values[("a",)]
    # Later errors about this value must point at the text that was kept, whichever it is.
    assert text.splitlines()[line - 1][column - 1 :] == doc.data["a"]


# Tags and merge keys


@pytest.mark.parametrize(
    ("text", "tag", "position"),
    [
        ("a: !!python/object:os.system x\n", "!!python/object:os.system", (1, 4)),
        ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system", (1, 4)),
        ("a: !!python/name:os.system\n", "!!python/name:os.system", (1, 4)),
        ("!!python/object:x {a: 1}\n", "!!python/object:x", (1, 1)),
        ("a:\n  - !!binary aGk=\n", "!!binary", (2, 5)),
        ("a: !!set {x}\n", "!!set", (1, 4)),
        ("a: !!timestamp 2020-01-01\n", "!!timestamp", (1, 4)),
        ("a: !custom 1\n", "!custom", (1, 4)),
    ],
)
def test_unknown_tags_are_refused_where_they_stand(
    text: str, tag: str, position: tuple[int, int]
) -> None:
    doc = read_yaml(text)
    assert doc.problems == [(f"the tag '{tag}' is not allowed here", position)]


def test_refused_tag_builds_no_object() -> None:
    doc = read_yaml("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert doc.data == {"a": ["echo hacked"]}


def test_unknown_tag_on_a_key_is_refused() -> None:
    doc = read_yaml("? !!python/object:x a\n: 1\n")
    assert doc.problems == [("the tag '!!python/object:x' is not allowed here", (1, 3))]


def test_standard_tags_are_allowed() -> None:
    doc = read_yaml("a: !!map {x: !!seq [1]}\nb: !!float 1\nc: !!null ''\n")
    assert doc.problems == []
    assert doc.data == {"a": {"x": [1]}, "b": 1.0, "c": None}


def test_merge_keys_are_refused() -> None:
    doc = read_yaml("base: &b {x: 1}\nstep:\n  <<: *b\n  y: 2\n")
    assert doc.problems == [("merge keys ('<<') are not supported; write the keys out", (3, 3))]


def test_keys_must_be_plain_words() -> None:
    error = refusal("[1, 2]: x\n")
    assert error.message == "keys must be plain words, not lists, mappings or aliases"
    assert error.position == (1, 1)


# Limits


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH
    doc = read_yaml("[" * depth + "]" * depth)
    assert doc.problems == []


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    depth = MAX_DEPTH + 1
    error = refusal("a: " + "[" * depth + "]" * depth + "\n")
    assert error.message == "the document nests deeper than 32 levels"
    assert error.position == (1, 35)


def test_deep_block_nesting_is_refused() -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(40))
    error = refusal(text)
    assert error.message == "the document nests deeper than 32 levels"
    assert error.position == (33, 65)


def billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


ALIAS_BOMB = (
    "the document expands to more than 20,000 values; are aliases ('*name') repeating each other?"
)


def test_billion_laughs_is_refused_quickly() -> None:
    text = billion_laughs()
    start = time.perf_counter()
    with pytest.raises(YamlError) as caught:
        read_yaml(text)
    elapsed = time.perf_counter() - start
    assert caught.value.message == ALIAS_BOMB
    # The bar is 0.1 s (it takes about a millisecond); 0.5 s keeps a loaded machine from
    # failing the test, and the message shows the time measured.
    assert elapsed < 0.5, f"refused in {elapsed:.3f} s; the bar is 0.1 s"


def test_plain_values_do_not_count_towards_the_alias_limit() -> None:
    count = 3 * MAX_VALUES  # many values written out, and no alias: only the size limits it
    doc = read_yaml("- a\n" * count)
    assert len(doc.data) == count
    assert doc.problems == []


def test_aliases_may_add_up_to_the_limit() -> None:
    text = "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 20) + "]\n"
    doc = read_yaml(text)  # each alias adds the list and its 999 values: 20 x 1,000
    assert len(doc.data["b"]) == 20


def test_aliases_that_add_more_than_the_limit_are_refused_at_the_alias() -> None:
    text = "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 21) + "]\n"
    error = refusal(text)
    assert error.message == ALIAS_BOMB
    assert error.position == (2, 5 + 4 * 20)  # the 21st '*a'


def nested_alias(outer: int, inner: int) -> str:
    """``b`` holds, ``outer`` lists down, an alias to ``inner`` nested lists."""
    return f"a: &a {'[' * inner}{']' * inner}\nb: {'[' * outer}*a{']' * outer}\n"


def test_an_alias_up_to_the_depth_limit_is_read() -> None:
    outer = 15  # the top mapping, 15 lists and the alias's 16: 32 levels
    doc = read_yaml(nested_alias(outer, MAX_DEPTH - 1 - outer))
    assert doc.problems == []


def test_an_alias_may_not_nest_deeper_than_the_limit() -> None:
    outer = 16
    error = refusal(nested_alias(outer, MAX_DEPTH - outer))
    assert error.message == "the document nests deeper than 32 levels"
    assert error.position == (2, 4 + outer)


def test_alias_to_an_anchor_not_yet_defined_is_refused() -> None:
    error = refusal("a: *later\nb: &later 1\n")
    assert error.message == "the alias '*later' names no anchor defined before it"
    assert error.position == (1, 4)


def test_second_document_is_refused_at_its_marker() -> None:
    error = refusal("name: a\n---\nname: b\n")
    assert error.message == (
        "a routine file holds one YAML document; remove this '---' and what follows, "
        "or move it to a file of its own"
    )
    assert error.position == (2, 1)


def test_single_document_with_markers_is_read() -> None:
    doc = read_yaml("---\nname: a\n...\n")
    assert doc.data == {"name": "a"}


# Characters and syntax


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "a: 1\n\tb: 2\n", "steps:\n\t- a\n"])
def test_tab_indentation_gets_a_clear_message(text: str) -> None:
    error = refusal(text)
    assert error.message == "tabs cannot indent YAML; use spaces"
    assert error.position == (2, 1)


def test_tab_inside_a_value_is_kept() -> None:
    assert read_yaml("a: x\ty\n").data == {"a": "x\ty"}


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ("a: \x07x\n", "0007", (1, 4)),
        ("a: b\x00\n", "0000", (1, 5)),
        ("a: 1\nb: 2\nc: x\x01y\n", "0001", (3, 5)),
        ("a: '\x1b[31m'\n", "001B", (1, 5)),
        ("a: 1\n\x7f\n", "007F", (2, 1)),
    ],
)
def test_control_characters_are_named_with_their_position(
    text: str, code: str, position: tuple[int, int]
) -> None:
    error = refusal(text)
    assert error.message == f"the control character U+{code} is not allowed in YAML"
    assert error.position == position


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ('title: "\\e[2J"\n', "001B", (1, 8)),
        ('title: "\\x1b]0;title\\a"\n', "001B", (1, 8)),
        ('a: 1\nsay: "ok then \\u001b[31m red"\n', "001B", (2, 6)),
        ('title: "\\x9b2J"\n', "009B", (1, 8)),
        ('title: "\\N"\n', "0085", (1, 8)),
        ('title: "line\\rover"\n', "000D", (1, 8)),
        ('title: "\\0"\n', "0000", (1, 8)),
        ('title: "\\x7f"\n', "007F", (1, 8)),
        ('steps:\n  - "\\b"\n', "0008", (2, 5)),
        ('"key\\e": 1\n', "001B", (1, 1)),
    ],
)
def test_control_characters_written_as_escapes_are_refused_at_their_text(
    text: str, code: str, position: tuple[int, int]
) -> None:
    doc = read_yaml(text)
    message = f"the control character U+{code} (written as an escape) is not allowed"
    assert doc.problems == [(f"{message} in routine text", position)]


def test_tab_and_newline_written_as_escapes_are_kept() -> None:
    doc = read_yaml('say: "one\\ttwo\\nthree"\n')
    assert doc.problems == []
    assert doc.data == {"say": "one\ttwo\nthree"}


@pytest.mark.parametrize("text", ["a: x\x85y\n", "a: 'x\ry'\n", "a: |\n  x\x85  y\n"])
def test_raw_line_breaks_are_line_breaks_not_control_characters(text: str) -> None:
    try:
        doc = read_yaml(text)
    except YamlError:
        return  # refused as YAML is fine too: what matters is that none reaches the data
    assert doc.problems == []
    assert not any(c in str(doc.data) for c in "\r\x85")


def test_control_character_position_counts_characters_not_bytes() -> None:
    error = refusal("title: Ça va déjà\nsay: x\x07\n")
    assert error.message == "the control character U+0007 is not allowed in YAML"
    assert error.position == (2, 7)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        (
            "a: [1, 2\n",
            "did not find expected ',' or ']' (while parsing a flow sequence)",
            (2, 1),
        ),
        ("a: b: c\n", "mapping values are not allowed in this context", (1, 5)),
        ("a: 1\nb\n", "could not find expected ':' (while scanning a simple key)", (3, 1)),
    ],
)
def test_syntax_errors_carry_a_position(text: str, message: str, position: tuple[int, int]) -> None:
    error = refusal(text)
    assert error.message == message
    assert error.position == position


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_document_has_no_data(text: str) -> None:
    doc = read_yaml(text)
    assert doc.data is None
    assert doc.problems == []
