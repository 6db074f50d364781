"""The block font: digits and a few capitals drawn in '█', big enough to read from the floor.

Plain strings only, so the screen decides colour and placement; no Rich here.
"""

from __future__ import annotations

GLYPH_ROWS = 5

# 5-row glyphs; every row of a glyph has the same width so blocks stay aligned when centred.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("█████", "█   █", "█   █", "█   █", "█████"),
    "1": ("  █  ", " ██  ", "  █  ", "  █  ", " ███ "),
    "2": ("█████", "    █", "█████", "█    ", "█████"),
    "3": ("█████", "    █", " ████", "    █", "█████"),
    "4": ("█   █", "█   █", "█████", "    █", "    █"),
    "5": ("█████", "█    ", "█████", "    █", "█████"),
    "6": ("█████", "█    ", "█████", "█   █", "█████"),
    "7": ("█████", "    █", "   █ ", "  █  ", "  █  "),
    "8": ("█████", "█   █", "█████", "█   █", "█████"),
    "9": ("█████", "█   █", "█████", "    █", "█████"),
    ":": (" ", "█", " ", "█", " "),
    " ": ("   ", "   ", "   ", "   ", "   "),
    "A": (" ███ ", "█   █", "█████", "█   █", "█   █"),
    "D": ("████ ", "█   █", "█   █", "█   █", "████ "),
    "E": ("█████", "█    ", "████ ", "█    ", "█████"),
    "F": ("█████", "█    ", "████ ", "█    ", "█    "),
    "G": (" ████", "█    ", "█  ██", "█   █", " ████"),
    "H": ("█   █", "█   █", "█████", "█   █", "█   █"),
    "I": ("███", " █ ", " █ ", " █ ", "███"),
    "L": ("█    ", "█    ", "█    ", "█    ", "█████"),
    "P": ("████ ", "█   █", "████ ", "█    ", "█    "),
    "R": ("████ ", "█   █", "████ ", "█  █ ", "█   █"),
    "S": (" ████", "█    ", " ███ ", "    █", "████ "),
    "T": ("█████", "  █  ", "  █  ", "  █  ", "  █  "),
    "U": ("█   █", "█   █", "█   █", "█   █", " ███ "),
}


def big_text(text: str) -> list[str]:
    """``text`` as 5 rows of '█' glyphs, 1 column apart; every row has the same width.

    Supports the digits, ':', space and the letters of LEFT, RIGHT and PAUSED (lower case is
    upper-cased); any other character raises ValueError.
    """
    glyphs = []
    for char in text.upper():
        if char not in _GLYPHS:
            raise ValueError(f"big_text cannot draw {char!r}")
        glyphs.append(_GLYPHS[char])
    return [" ".join(glyph[row] for glyph in glyphs) for row in range(GLYPH_ROWS)]
