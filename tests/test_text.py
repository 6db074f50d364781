"""``text.visible``: control characters shown as escapes, everything else left alone."""

from __future__ import annotations

import pytest

from sciatica_cli.text import visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\x00b", "a\\x00b"),
        ("over\rwrite", "over\\x0dwrite"),
        ("\x08\x0b\x0c\x1f", "\\x08\\x0b\\x0c\\x1f"),
        ("del\x7f", "del\\x7f"),
        ("\x9b2J", "\\u009b2J"),
        ("\x80\x85\x9f", "\\u0080\\u0085\\u009f"),
    ],
)
def test_control_characters_become_visible_escapes(text: str, shown: str) -> None:
    assert visible(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Lie on your back.\nBreathe out.",
        "a\tb",
        "C:\\Users\\me and \\x1b written out",
        "Ça va, déjà vu \u201cquoted\u201d \u2192 \u2026 \u00a0\u00ff",
        "\u2028\u202e\ufeff emoji \U0001f600",
        " ~",
    ],
)
def test_everything_else_is_left_alone(text: str) -> None:
    assert visible(text) == text


def test_every_c0_and_c1_control_but_newline_and_tab_is_escaped() -> None:
    controls = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]

    for char in controls:
        shown = visible(char)
        if char in "\n\t":
            assert shown == char
        else:
            assert shown.startswith("\\") and shown.isascii() and shown.isprintable()
