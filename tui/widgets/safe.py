"""Untrusted text → something safe to put on the screen.

Article text and metadata never reach Textual or Rich as markup: widgets build
``rich.text.Text`` / ``Segment`` objects from plain strings.  On top of that, control
characters (ESC, BEL, backspace, C1 controls …) are replaced by visible symbols, one
character for one character, so character offsets into the article stay valid and a
terminal never receives an escape sequence from an article.
"""
from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.text import Text

# C0 controls (except newline) → Unicode control pictures (U+2400…), DEL → ␡,
# C1 controls and a few invisible/bidi formatting characters → U+FFFD.
_TABLE = {c: 0x2400 + c for c in range(0x20) if c != 0x0A}
_TABLE[0x09] = 0x20          # tab → one space (keeps offsets; wrapping stays simple)
_TABLE[0x7F] = 0x2421
for _c in range(0x80, 0xA0):
    _TABLE[_c] = 0xFFFD
for _c in (0x200B, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
           0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF):
    _TABLE[_c] = 0xFFFD

_ONE_LINE = dict(_TABLE)
_ONE_LINE[0x0A] = 0x20

# characters that may not be one terminal cell wide
_NOT_NARROW = re.compile(r"[^\x20-\x7e\xa0-\u02ff\u0370-\u0482\u048a-\u058f\u1e00-\u1fff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2122\u2190-\u2199\ufffd]")


def visible(s: str) -> str:
    """Same length as ``s``; control characters made visible, newlines kept."""
    return s.translate(_TABLE)


_NEEDS_TRANSLATION = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ONE_LINE)) + "]")


def one_line(s: str | None) -> str:
    """For list cells and titles: controls made visible, newlines → spaces."""
    if not s:
        return ""
    return s.translate(_ONE_LINE) if _NEEDS_TRANSLATION.search(s) else s


def is_narrow(s: str) -> bool:
    """True when every character of ``s`` is surely one cell wide (fast path)."""
    return _NOT_NARROW.search(s) is None


def fit(s: str, width: int, *, align: str = "left") -> str:
    """Pad or cut ``s`` to exactly ``width`` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    n = len(s) if is_narrow(s) else cell_len(s)
    if n > width:
        if width == 1:
            return "…"
        return set_cell_size(s, width - 1) + "…"
    if align == "right":
        return " " * (width - n) + s
    return s + " " * (width - n)


def plain(s: str | None, style: str = "") -> Text:
    """A Text that shows ``s`` literally (never parsed as markup)."""
    return Text(one_line(s), style=style)
