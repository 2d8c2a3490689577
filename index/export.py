"""Excerpts -> Markdown / JSON / CSV report text.

``export_excerpts`` returns a ``str``; ``write_export`` writes it atomically
with the right encoding (CSV gets a UTF-8 BOM so spreadsheet programs such as
Excel read umlauts correctly; Markdown and JSON are plain UTF-8).

Markdown: one ``##`` section per article (in order of first appearance), a line
``outlet · date · url``, then per excerpt a block quote (every line of the
quote prefixed with ``> ``, empty lines as ``>``), an "(orphaned)" marker when
``anchors`` says so, the note (verbatim - it is the user's own Markdown) and the
tags as ``#tag``.  Inside quotes and titles, characters that Markdown would
interpret (``* _ [ ] ` < \\ ~ |``, entity-like ``&x;``, and at line start
``# > - + = 1.`` etc.) are backslash-escaped (CommonMark escapes), so the
rendered report shows the article's words literally and nothing can end the
block quote.

CSV: header row, one row per excerpt, every field (tags joined with ``"; "``),
newlines kept inside quoted cells.  A cell starting with ``= + - @``, tab or CR
gets a leading apostrophe so a spreadsheet does not run it as a formula (OWASP
"CSV injection"); that is the only change made to any value.

This module imports nothing from ``tui/``, Textual or Rich.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from .excerpts import Excerpt, ExcerptError, atomic_write_bytes

__all__ = ["FORMATS", "ExportError", "export_excerpts", "write_export", "filter_by_tag",
           "md_escape", "md_unescape"]

FORMATS = ("md", "json", "csv")

CSV_FIELDS = ("id", "article", "title", "outlet", "date", "url", "quote", "prefix", "suffix",
              "start", "end", "text_hash", "note", "tags", "colour", "created", "updated")


class ExportError(ExcerptError):
    """Bad export request; ``str(exc)`` is one line."""


def _check_fmt(fmt: Any) -> str:
    f = str(fmt).strip().lower().lstrip(".") if isinstance(fmt, str) else None
    if f == "markdown":
        f = "md"
    if f not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
    return f


def filter_by_tag(excerpts: Iterable[Excerpt], tag: str | None) -> list[Excerpt]:
    """Excerpts carrying ``tag`` (case-insensitive, a leading ``#`` ignored)."""
    exs = list(excerpts)
    if tag is None:
        return exs
    if not isinstance(tag, str):
        raise ExportError(f"tag must be a string, got {type(tag).__name__}")
    want = re.sub(r"\s+", "-", tag.strip().lstrip("#").strip()).casefold()
    if not want:
        return exs
    return [ex for ex in exs if any(t.casefold() == want for t in ex.tags)]


# --------------------------------------------------------------------------- Markdown

_INLINE = re.compile(r"([\\`*_\[\]<~|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# things that open a block construct when they start a line
_LINE_START = re.compile(
    r"^(?P<ws>[ \t]*)(?:"
    r"(?P<mark>[#>+=\-])"          # heading, quote, list, setext underline
    r"|(?P<num>\d{1,9})(?P<dot>[.)])(?=\s|$)"  # ordered list "3. Oktober"
    r")"
)


def md_escape(line: str) -> str:
    """Escape one line of plain text for literal display in CommonMark."""
    s = _INLINE.sub(r"\\\1", line)
    s = _ENTITY.sub(r"\\&", s)
    # leading whitespace would make an indented code block; it carries no meaning here
    s = s.lstrip(" \t")
    m = _LINE_START.match(s)
    if m:
        if m.group("mark"):
            s = "\\" + s
        elif m.group("num"):
            k = len(m.group("num"))
            s = s[:k] + "\\" + s[k:]
    return s


_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_unescape(s: str) -> str:
    """Inverse of the backslash escapes (CommonMark: a backslash before ASCII punctuation)."""
    return _UNESCAPE.sub(r"\1", s)


def _blockquote(text: str) -> list[str]:
    lines = [md_escape(line.rstrip())
             for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while len(lines) > 1 and not lines[-1]:  # selection ran into a paragraph break
        lines.pop()
    while len(lines) > 1 and not lines[0]:
        lines.pop(0)
    return ["> " + esc if esc else ">" for esc in lines]


def _one_line(s: str | None) -> str:
    return " ".join((s or "").split())


def _md(excerpts: list[Excerpt], anchors: dict[str, str] | None) -> str:
    groups: dict[str, list[Excerpt]] = {}
    for ex in excerpts:
        groups.setdefault(ex.article, []).append(ex)
    out: list[str] = []
    for art, exs in groups.items():
        first = exs[0]
        title = _one_line(first.title) or _one_line(art)
        if out:
            out.append("")
        # a trailing "#" run would be taken as the heading's closing sequence
        out.append("## " + re.sub(r"(\s)(#+)$", r"\1\\\2", md_escape(title)))
        meta = [md_escape(_one_line(v)) for v in (first.outlet, first.date) if _one_line(v)]
        if _one_line(first.url):
            meta.append("<" + _one_line(first.url).replace(">", "%3E") + ">")
        if meta:
            out.append("")
            out.append(" · ".join(meta))
        for ex in exs:
            out.append("")
            out.extend(_blockquote(ex.quote))
            if anchors and anchors.get(ex.id) == "orphaned":
                out.append("")
                out.append("*(orphaned)*")
            note = ex.note.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
            if note.strip():
                out.append("")
                out.extend(note.split("\n"))
            if ex.tags:
                out.append("")
                out.append(" ".join("#" + _INLINE.sub(r"\\\1", t) for t in ex.tags))
    return "\n".join(out) + ("\n" if out else "")


# --------------------------------------------------------------------------- JSON / CSV

def _record(ex: Excerpt, anchors: dict[str, str] | None) -> dict[str, Any]:
    d = ex.to_json()
    if anchors is not None:
        d["anchor"] = anchors.get(ex.id)
    return d


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    s = str(v)
    if s.startswith(_FORMULA):
        s = "'" + s
    return s


def _csv(excerpts: list[Excerpt], anchors: dict[str, str] | None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    cols = list(CSV_FIELDS) + (["anchor"] if anchors is not None else [])
    w.writerow(cols)
    for ex in excerpts:
        d = _record(ex, anchors)
        row = []
        for c in cols:
            v = d.get(c)
            if c == "tags":
                v = "; ".join(v or [])
            row.append(v if isinstance(v, int) and not isinstance(v, bool) else _cell(v))
        w.writerow(row)
    return buf.getvalue()


def export_excerpts(excerpts: list[Excerpt], fmt: str, *, tag: str | None = None,
                    anchors: dict[str, str] | None = None) -> str:
    """Render ``excerpts`` (optionally only those tagged ``tag``) as ``fmt``.

    ``anchors`` maps excerpt id -> anchor status ("exact", "moved", "fuzzy",
    "orphaned"); Markdown marks orphaned excerpts, JSON/CSV add an ``anchor``
    column when it is given.
    """
    f = _check_fmt(fmt)
    exs = list(excerpts or [])
    for ex in exs:
        if not isinstance(ex, Excerpt):
            raise ExportError(f"can only export Excerpt records, got {type(ex).__name__}")
    if anchors is not None and not isinstance(anchors, dict):
        raise ExportError("anchors must be a dict of excerpt id -> status")
    exs = filter_by_tag(exs, tag)
    if f == "md":
        return _md(exs, anchors)
    if f == "json":
        return json.dumps([_record(ex, anchors) for ex in exs], ensure_ascii=False, indent=2) + "\n"
    return _csv(exs, anchors)


def write_export(text: str, path: str | os.PathLike[str], fmt: str) -> Path:
    """Write an export atomically: CSV as UTF-8 with BOM (``utf-8-sig``),
    Markdown/JSON as UTF-8.  Returns the path written."""
    f = _check_fmt(fmt)
    if not isinstance(text, str):
        raise ExportError(f"export text must be a string, got {type(text).__name__}")
    p = Path(path).expanduser()
    # lone surrogates cannot be written as UTF-8: JSON gets its \uXXXX escape
    # (reads back identical), Markdown/CSV the replacement character
    data = text.encode("utf-8-sig" if f == "csv" else "utf-8",
                       "backslashreplace" if f == "json" else "replace")
    try:
        atomic_write_bytes(p, data)
    except ExcerptError as e:
        raise ExportError(str(e)) from None
    return p
