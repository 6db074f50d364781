"""Text from files and people, made safe to print on a terminal.

The ground floor: it imports nothing from the package, so every layer may use it.
"""

from __future__ import annotations

import unicodedata

# C0 controls but newline and tab, and DEL, as ``\x1b``; C1 controls (U+0080 to U+009F) as
# ``\u009b``, the way Python writes them, so a person can find them in the file.
_ESCAPES: dict[int, str] = {
    **{code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F) if chr(code) not in "\n\t"},
    **{code: f"\\u{code:04x}" for code in range(0x80, 0xA0)},
}


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab written as a visible escape.

    ESC becomes ``\\x1b``, DEL ``\\x7f``, the C1 CSI ``\\u009b``; everything else (newlines,
    tabs, backslashes, any other character) is left as it is. Terminal escape sequences in a
    routine or a note therefore show as text instead of clearing the screen or setting the title.
    """
    return text.translate(_ESCAPES)


# Typography with a plain equivalent; anything else is decomposed (é -> e) or becomes '?'.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2190": "<-",
        "\u2192": "->",
        "\u2022": "*",
        "\u00a0": " ",
        "\u00d7": "x",
    }
)


def to_ascii(text: str) -> str:
    """``text`` in plain ASCII, for a terminal that cannot show more (``LANG=C``,
    ``PYTHONIOENCODING=ascii``): curly quotes become straight, arrows ``->``, an ellipsis
    ``...``, accented letters lose their accents, and anything else becomes ``?``."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    kept = "".join(char for char in text if not unicodedata.combining(char))
    return kept.encode("ascii", "replace").decode("ascii")
