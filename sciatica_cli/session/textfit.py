"""Plain-text fitting for the session screen: lines are wrapped here, by terminal cells, so
every block's height is known before it is drawn."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text


def chop(word: str, width: int) -> tuple[str, str]:
    """The longest head of ``word`` that fits in ``width`` cells, and the rest."""
    used = 0
    for position, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return word[: max(position, 1)], word[max(position, 1) :]
    return word, ""


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to ``width`` cells; single newlines reflow, blank lines split paragraphs."""
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        line = ""
        for word in paragraph.split():
            while cell_len(word) > width:  # a word longer than a line is folded
                if line:
                    lines.append(line)
                    line = ""
                head, word = chop(word, width)
                lines.append(head)
            if not word:
                continue
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
    return lines


def trim(lines: list[str], count: int | None, width: int) -> list[str]:
    """At most ``count`` lines, the last ending in '…' when some were left out."""
    if count is None or len(lines) <= count:
        return lines
    if count <= 0:
        return []
    kept = lines[:count]
    last = kept[-1]
    while last and cell_len(last + " …") > width:
        last = last[:-1]
    kept[-1] = f"{last.rstrip()} …"
    return kept


def centred(rows: list[str], width: int) -> list[str]:
    # Centre the block as a whole: Rich's own centring strips each row, skewing glyphs.
    pad = " " * max(0, (width - max((cell_len(r) for r in rows), default=0)) // 2)
    return [pad + row for row in rows]


def lines(rows: list[str], style: str = "") -> Text:
    return Text("\n".join(rows), style=style, no_wrap=True, overflow="ellipsis")


def fits(rows: list[str], width: int) -> bool:
    return all(cell_len(row) <= width for row in rows)
