"""Safe YAML reading that keeps where every key and value came from.

PyYAML's loaders throw positions away, silently keep the last of two duplicate keys and
expand aliases without limit. This module reads the parser's event stream itself (libyaml's C
parser when present) and builds plain Python data (dicts, lists, str, int, float, bool, None)
with one pass and no recursion, so that:

- every key and value has a 1-based line and column for error messages;
- duplicate keys, unknown tags (``!!python/object`` and friends) and merge keys are errors;
- control characters are errors, whether written as they are or as escapes in double quotes
  (``"\\e[2J"``), so no text read here can drive a terminal;
- nesting deeper than ``MAX_DEPTH`` (aliases included) and aliases that expand to more than
  ``MAX_VALUES`` values in all are refused early, in time linear in the file's size. Only
  what aliases add is counted: a long plain file is limited by its size alone (``files.MAX_BYTES``);
- plain scalars follow the YAML 1.2 core schema, so ``no`` and ``on`` stay text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events.
    from yaml import CBaseLoader as _EventSource
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _EventSource  # type: ignore[assignment]

MAX_DEPTH = 32
MAX_VALUES = 20_000  # values that aliases may add, in all

Loc = tuple[str | int, ...]
Position = tuple[int, int]

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
_MERGE = _YAML + "merge"
_COLLECTION_TAGS = {None, "!", _YAML + "map", _YAML + "seq", _YAML + "omap"}
_SCALAR_TAGS = {None, "!", _STR, _INT, _FLOAT, _BOOL, _NULL}

# What a decoded scalar may not hold: C0 controls but tab and newline, DEL, and C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {
    f"{sign}.{word}": value
    for words, value in (
        (("inf", "Inf", "INF"), float("inf")),
        (("nan", "NaN", "NAN"), float("nan")),
    )
    for word in words
    for sign in ("", "+")
}


class YamlError(Exception):
    """A problem that stops reading; carries a message and an optional 1-based position."""

    def __init__(self, message: str, position: Position | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass
class Document:
    """The data of one YAML document plus the position of every value and key in it."""

    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    problems: list[tuple[str, Position]] = field(default_factory=list)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where ``loc`` (or, failing that, its nearest known parent) starts in the file."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return (1, 1)


def resolve_plain(text: str) -> Any:
    """Type a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT_RE.match(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)
    if _FLOAT_RE.match(text):
        return float(text)
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if text.startswith("-") and text[1:] in _SPECIAL_FLOATS and "n" not in text[1:3].lower():
        return -_SPECIAL_FLOATS[text[1:]]
    return text


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def _describe_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    loc: Loc
    anchor: str | None
    size: int = 1
    depth: int = 1  # levels of nesting from this collection down, itself included
    key: str | None = None
    duplicate: bool = False
    seen: dict[str, Position] = field(default_factory=dict)


# Positions inside the value of a duplicated key are filed under this prefix, where no lookup
# will find them, so the value that is kept (the first) keeps its own positions.
_DUPLICATE = "\0duplicate:"


class _Composer:
    """Turns parser events into data, positions and problems (see the module docstring)."""

    def __init__(self) -> None:
        self.doc = Document(data=None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, values in it, its depth
        self.total = 0
        self.documents = 0

    def feed(self, events: Iterator[Any]) -> Document:
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start(event, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = self.stack.pop()
                self._attach(frame.container, None, frame.size, frame.anchor, frame.depth)
            elif kind is yaml.AliasEvent:
                self._alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise YamlError(
                        "a routine file holds one YAML document; remove this '---' and what "
                        "follows, or move it to a file of its own",
                        _pos(event.start_mark),
                    )
        return self.doc

    def _count(self, values: int, position: Position) -> None:
        """What each alias adds counts towards MAX_VALUES; values written out do not."""
        self.total += values
        if self.total > MAX_VALUES:
            raise YamlError(
                f"the document expands to more than {MAX_VALUES:,} values; "
                "are aliases ('*name') repeating each other?",
                position,
            )

    def _scalar(self, event: Any) -> None:
        position = _pos(event.start_mark)
        tag = event.tag
        if tag not in _SCALAR_TAGS and tag != _MERGE:
            self._problem(f"the tag '{_describe_tag(tag)}' is not allowed here", position)
        control = _CONTROL.search(event.value)
        if control is not None:  # only an escape in double quotes gets this far
            self._problem(
                f"the control character U+{ord(control.group()):04X} (written as an escape) "
                "is not allowed in routine text",
                position,
            )
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            self._key(top, event.value, position, tag)
            if event.anchor:
                self.anchors[event.anchor] = (event.value, 1, 0)
            return
        plain = tag is None and not event.style
        typed = tag in (_INT, _FLOAT, _BOOL, _NULL)
        value = resolve_plain(event.value) if plain or typed else event.value
        self._attach(value, position, 1, event.anchor, 0)

    def _key(self, frame: _Frame, text: str, position: Position, tag: str | None) -> None:
        if tag == _MERGE or (text == "<<" and tag is None):
            self._problem("merge keys ('<<') are not supported; write the keys out", position)
        first = frame.seen.get(text)
        frame.key, frame.duplicate = text, first is not None
        if first is not None:
            self._problem(
                f"duplicate key '{text}' (first given at line {first[0]}); keep only one",
                position,
            )
            return
        frame.seen[text] = position
        key_loc: Loc = (*frame.loc, text)
        self.doc.keys[key_loc] = position

    def _start(self, event: Any, is_mapping: bool) -> None:
        position = _pos(event.start_mark)
        self._check_key_is_scalar(position)
        if event.tag not in _COLLECTION_TAGS:
            self._problem(f"the tag '{_describe_tag(event.tag)}' is not allowed here", position)
        if len(self.stack) >= MAX_DEPTH:
            raise _too_deep(position)
        loc = self._child_loc()
        self.doc.values[loc] = position
        self.stack.append(_Frame({} if is_mapping else [], loc, event.anchor))

    def _alias(self, event: Any) -> None:
        position = _pos(event.start_mark)
        self._check_key_is_scalar(position)
        if event.anchor not in self.anchors:
            raise YamlError(
                f"the alias '*{event.anchor}' names no anchor defined before it", position
            )
        value, size, depth = self.anchors[event.anchor]
        if len(self.stack) + depth > MAX_DEPTH:
            raise _too_deep(position)
        self._count(size, position)
        self._attach(value, position, size, None, depth)

    def _check_key_is_scalar(self, position: Position) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            raise YamlError("keys must be plain words, not lists, mappings or aliases", position)

    def _child_loc(self) -> Loc:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, dict):
            assert top.key is not None
            return (*top.loc, _DUPLICATE + top.key if top.duplicate else top.key)
        return (*top.loc, len(top.container))

    def _attach(
        self, value: Any, position: Position | None, size: int, anchor: str | None, depth: int
    ) -> None:
        """Place a finished value (``size`` values, ``depth`` levels deep) in its parent."""
        if anchor:
            self.anchors[anchor] = (value, size, depth)
        if not self.stack:
            self.doc.data = value
            if position is not None:
                self.doc.values[()] = position
            return
        top = self.stack[-1]
        top.size += size
        top.depth = max(top.depth, depth + 1)
        if position is not None:
            self.doc.values[self._child_loc()] = position
        if isinstance(top.container, list):
            top.container.append(value)
            return
        assert top.key is not None
        if not top.duplicate:  # the first value of a duplicated key is the one kept
            top.container[top.key] = value
        top.key, top.duplicate = None, False

    def _problem(self, message: str, position: Position) -> None:
        self.doc.problems.append((message, position))


def _too_deep(position: Position) -> YamlError:
    return YamlError(f"the document nests deeper than {MAX_DEPTH} levels", position)


def _offset_to_position(text: str, offset: int) -> Position:
    before = text[:offset]
    return (before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _char_at(text: str, position: Position) -> str:
    lines = text.splitlines()
    line = lines[position[0] - 1] if position[0] <= len(lines) else ""
    return line[position[1] - 1 : position[1]]


def read_yaml(text: str) -> Document:
    """Parse ``text`` into a :class:`Document`; raise :class:`YamlError` if it cannot be read."""
    # Checked here, on characters: libyaml would report the offset in bytes.
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is not None:
        where = _offset_to_position(text, bad.start())
        message = f"the control character U+{ord(bad.group()):04X} is not allowed in YAML"
        raise YamlError(message, where)
    loader = _EventSource(text)
    try:
        return _Composer().feed(iter(loader.get_event, None))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = err.problem or "invalid YAML"
        if err.context:
            message = f"{message} ({err.context})"
        at: Position | None = _pos(mark) if mark is not None else None
        if at is not None and _char_at(text, at) == "\t":
            message = "tabs cannot indent YAML; use spaces"
        raise YamlError(message, at) from err
    except yaml.YAMLError as err:  # pragma: no cover - defensive: any other parser complaint
        raise YamlError(str(err)) from err
    finally:
        loader.dispose()
