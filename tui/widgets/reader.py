"""The reader: one article with its metadata header, a legend, and a body that is a
line-API ``ScrollView`` (the text is wrapped to the width here, lines are rendered only
when visible and cached), so a 1 MB article opens at once.

Highlights in the body:
- every hit of the current search (offsets from the index: stemming-aware),
  the current hit stronger than the others;
- keyword groups from ``config.yaml``, each group in its own colour (a background tint
  blended with the theme background, text in the contrasting colour: legible on dark
  and light themes);
- boilerplate and metadata spans dimmed;
- a paragraph printed twice (span kind "duplicate") shown once: the repeat collapses
  to a one-line marker.

Public API: ``ReaderView.show(article, hits, keyword_spans)``, ``scroll_to_offset(pos)``,
``next_hit()`` / ``prev_hit()``, ``article_id``, ``hit_index`` / ``hit_count``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from typing import Iterable, Sequence

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from index.model import Article

from ..keymap import bindings_for
from .safe import is_narrow, one_line, visible

# Named colours of config.yaml (index.config.COLOURS) → base colour of the tint.
PALETTE = {
    "red": "#e5484d", "green": "#30a46c", "blue": "#0090ff", "yellow": "#f5d90a",
    "magenta": "#d6409f", "cyan": "#05a2c2", "orange": "#f76b15", "purple": "#8e4ec6",
    "pink": "#e93d82", "teal": "#12a594",
}

DUPLICATE_MARKER = "⟲ repeated paragraph (hidden)"
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

TEXT, MARKER, BLANK = 0, 1, 2
GUTTER = 2  # columns left of the text: "▶" marks the line of the current hit


def _merge(spans: Iterable[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted((max(0, s), min(n, e)) for s, e in spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _disjoint(spans: Iterable[tuple], n: int) -> list[tuple]:
    """Sorted, clipped, overlaps dropped (first wins)."""
    out = []
    end = -1
    for sp in sorted(spans, key=lambda t: (t[0], -t[1])):
        s, e = max(0, sp[0]), min(n, sp[1])
        if e <= s or s < end:
            continue
        out.append((s, e) + tuple(sp[2:]))
        end = e
    return out


def wrap_offsets(text: str, a: int, b: int, width: int, out: list[tuple[int, int, int]]) -> None:
    """Greedy word wrap of ``text[a:b]`` (no newlines) to ``width`` cells; appends
    (start, end, TEXT) lines.  Fast path with ``str.rfind`` when every char is one cell."""
    width = max(1, width)
    if b - a <= width and (b - a <= 0 or is_narrow(text[a:b])):
        out.append((a, b, TEXT))
        return
    if is_narrow(text[a:b]):
        pos = a
        rfind = text.rfind
        while b - pos > width:
            limit = pos + width
            sp = rfind(" ", pos + 1, limit + 1)
            if sp == -1:
                out.append((pos, limit, TEXT))
                pos = limit
            else:
                out.append((pos, sp, TEXT))
                pos = sp + 1
        out.append((pos, b, TEXT))
        return
    # cell-aware path (wide or zero-width characters)
    pos = a
    while pos < b:
        cells = 0
        i = pos
        last_space = -1
        while i < b:
            w = get_character_cell_size(text[i])
            if cells + w > width:
                break
            if text[i] == " ":
                last_space = i
            cells += w
            i += 1
        if i >= b:
            out.append((pos, b, TEXT))
            return
        if last_space > pos:
            out.append((pos, last_space, TEXT))
            pos = last_space + 1
        else:
            i = max(i, pos + 1)
            out.append((pos, i, TEXT))
            pos = i


def layout(text: str, width: int, hidden: Sequence[tuple[int, int]], para_gap: bool) -> list[tuple[int, int, int]]:
    """Visual lines (start, end, kind) of the whole text: TEXT lines wrapped to ``width``,
    one MARKER line per hidden range, BLANK lines between paragraphs (at most one in a row)."""
    lines: list[tuple[int, int, int]] = []

    def piece(a: int, b: int) -> None:
        pos = a
        while pos <= b:
            nl = text.find("\n", pos, b)
            end = b if nl == -1 else nl
            if end > pos:
                wrap_offsets(text, pos, end, width, lines)
                if para_gap:
                    lines.append((end, end, BLANK))
            elif lines and lines[-1][2] != BLANK:
                lines.append((pos, pos, BLANK))
            if nl == -1:
                break
            pos = nl + 1

    pos = 0
    for hs, he in hidden:
        piece(pos, hs)
        if lines and lines[-1][2] == BLANK:
            lines.pop()
        if lines:
            lines.append((hs, hs, BLANK))
        lines.append((hs, he, MARKER))
        lines.append((he, he, BLANK))
        pos = he
    piece(pos, len(text))
    # collapse runs of blank lines, drop leading/trailing ones
    out: list[tuple[int, int, int]] = []
    for ln in lines:
        if ln[2] == BLANK and (not out or out[-1][2] == BLANK):
            continue
        out.append(ln)
    while out and out[-1][2] == BLANK:
        out.pop()
    return out


class ReaderBody(ScrollView, can_focus=True):
    """The wrapped, highlighted article text (line API)."""

    BINDINGS = bindings_for("reader")

    COMPONENT_CLASSES = {
        "reader--hit",
        "reader--current-hit",
        "reader--boilerplate",
        "reader--duplicate",
        "reader--placeholder",
        "reader--gutter",
    }

    DEFAULT_CSS = """
    ReaderBody {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        padding: 0 1 0 0;
    }
    ReaderBody > .reader--hit { background: $accent 40%; color: $text; text-style: underline; }
    ReaderBody > .reader--current-hit { background: $accent; color: $text; text-style: bold underline; }
    ReaderBody > .reader--gutter { color: $accent; text-style: bold; }
    ReaderBody > .reader--boilerplate { color: $text-disabled; text-style: italic; }
    ReaderBody > .reader--duplicate { color: $text-muted; text-style: italic; background: $boost; }
    ReaderBody > .reader--placeholder { color: $text-muted; text-style: italic; }
    """

    class HitChanged(Message):
        def __init__(self, index: int, count: int) -> None:
            super().__init__()
            self.index = index
            self.count = count

    def __init__(self, groups: Sequence = (), **kwargs):
        super().__init__(**kwargs)
        self.groups = list(groups)
        self.article: Article | None = None
        self._text = ""
        self._dim: list[tuple[int, int]] = []
        self._dim_ends: list[int] = []
        self._hidden: list[tuple[int, int]] = []
        self._kw: list[tuple[int, int, str]] = []
        self._kw_ends: list[int] = []
        self._hits: list[tuple[int, int]] = []
        self._hit_ends: list[int] = []
        self.hit_index = -1
        self.hidden_hits = 0
        self._para_gap = False
        self._lines: list[tuple[int, int, int]] = []
        self._line_starts: list[int] = []
        self._layout_width = -1
        self._cache: OrderedDict[int, Strip] = OrderedDict()
        self._group_styles: dict[str, Style] = {}
        self._style_cache: dict[str, Style] | None = None
        self._pending_offset: int | None = None
        self.placeholder = "no article selected"

    # -- content ----------------------------------------------------------------------
    def set_article(self, article: Article | None, hits: Sequence[tuple[int, int]] = (),
                    keyword_spans: Sequence[tuple[int, int, str]] = ()) -> None:
        self.article = article
        text = article.text if article is not None else ""
        if article is not None and not text.strip():
            self.placeholder = "(this article has no text)"
        self._text = visible(text) if _CONTROL.search(text) else text
        n = len(self._text)
        spans = article.spans if article is not None else []
        self._dim = _merge(((s.start, s.end) for s in spans if s.kind != "duplicate"), n)
        self._dim_ends = [e for _, e in self._dim]
        self._hidden = _merge(((s.start, s.end) for s in spans if s.kind == "duplicate"), n)
        self._kw = _disjoint(keyword_spans, n)
        self._kw_ends = [e for _, e, _ in self._kw]
        self._para_gap = "\n\n" not in self._text and "\n" in self._text
        self._set_hits(hits)
        self._layout_width = -1
        self._pending_offset = None
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._relayout()

    def set_hits(self, hits: Sequence[tuple[int, int]]) -> None:
        self._set_hits(hits)
        self._cache.clear()
        self.refresh()

    def _set_hits(self, hits: Sequence[tuple[int, int]]) -> None:
        """Hits inside a hidden repeat are not navigable (they are counted in ``hidden_hits``)."""
        allhits = [(s, e) for s, e in _disjoint(hits, len(self._text))]
        if self._hidden:
            starts = [a for a, _ in self._hidden]

            def hidden(s: int) -> bool:
                j = bisect_right(starts, s) - 1
                return j >= 0 and s < self._hidden[j][1]

            self._hits = [h for h in allhits if not hidden(h[0])]
        else:
            self._hits = allhits
        self.hidden_hits = len(allhits) - len(self._hits)
        self._hit_ends = [e for _, e in self._hits]
        self.hit_index = -1
        self.post_message(self.HitChanged(self.hit_index, len(self._hits)))

    @property
    def hits(self) -> list[tuple[int, int]]:
        return list(self._hits)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width - GUTTER
        if width <= 0:
            return
        keep: int | None = None
        if width != self._layout_width:
            top = int(self.scroll_y)
            if self._layout_width > 0 and 0 < top < len(self._lines):
                keep = self._lines[top][0]          # re-wrapped: keep the same text at the top
            self._layout_width = width
            self._lines = layout(self._text, width, self._hidden, self._para_gap)
            self._line_starts = [ln[0] for ln in self._lines]
        self._cache.clear()
        self._set_virtual_size(Size(width, len(self._lines)))
        self.refresh()
        if self._pending_offset is not None:
            pos, self._pending_offset = self._pending_offset, None
            self.scroll_to_offset(pos)
        elif keep is not None:
            self.scroll_to_offset(keep, top_fraction=0)

    def _set_virtual_size(self, size: Size) -> None:
        """The vertical scrollbar is always there (overflow-y: scroll), so a new article of
        another length needs no layout pass: update the scrollbar and repaint only."""
        if size == self.virtual_size:
            return
        if size.width == self.virtual_size.width and self.show_vertical_scrollbar:
            try:
                self.set_reactive(ScrollView.virtual_size, size)
                self._scroll_update(size)
                return
            except Exception:  # private Textual API changed: fall back to a layout pass
                pass
        self.virtual_size = size

    def on_resize(self) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._group_styles = {}
        self._style_cache = None
        self._cache.clear()

    # -- navigation -------------------------------------------------------------------
    def line_of(self, pos: int) -> int:
        """The visual line showing character offset ``pos`` (a hidden offset → its marker)."""
        if not self._lines:
            return 0
        i = bisect_right(self._line_starts, pos) - 1
        i = max(0, i)
        # prefer the TEXT/MARKER line that contains pos over a blank at the same start
        while i > 0 and self._lines[i][2] == BLANK and self._lines[i - 1][0] == self._lines[i][0]:
            i -= 1
        while i + 1 < len(self._lines) and self._lines[i][2] == BLANK:
            i += 1
        return i

    def scroll_to_offset(self, pos: int, *, top_fraction: float = 1 / 3) -> None:
        """Scroll so that character offset ``pos`` of the article is visible (a third from the top)."""
        if self._layout_width <= 0:
            self._pending_offset = pos
            return
        line = self.line_of(pos)
        h = self.scrollable_content_region.height
        y = max(0, line - int(h * top_fraction))
        self.scroll_to(y=y, animate=False, immediate=True)

    def goto_hit(self, index: int) -> tuple[int, int]:
        if not self._hits:
            return -1, 0
        self.hit_index = index % len(self._hits)
        self._cache.clear()
        self.refresh()
        self.scroll_to_offset(self._hits[self.hit_index][0])
        self.post_message(self.HitChanged(self.hit_index, len(self._hits)))
        return self.hit_index, len(self._hits)

    def next_hit(self) -> tuple[int, int]:
        if self.hit_index < 0:
            # the first hit at or below the top of the view
            top = int(self.scroll_y)
            start = self._lines[top][0] if 0 <= top < len(self._lines) and top > 0 else 0
            i = bisect_left([s for s, _ in self._hits], start) if self._hits else 0
            return self.goto_hit(i if i < len(self._hits) else 0)
        return self.goto_hit(self.hit_index + 1)

    def prev_hit(self) -> tuple[int, int]:
        if self.hit_index < 0:
            return self.goto_hit(len(self._hits) - 1)
        return self.goto_hit(self.hit_index - 1)

    def action_cursor_down(self) -> None:
        self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.scroll_to(y=max(0, self.scroll_y - 1), animate=False, immediate=True)

    def action_cursor_first(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_cursor_last(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_page_down(self) -> None:
        h = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=min(self.max_scroll_y, self.scroll_y + h), animate=False, immediate=True)

    def action_page_up(self) -> None:
        h = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(0, self.scroll_y - h), animate=False, immediate=True)

    # -- rendering --------------------------------------------------------------------
    _COMPONENTS = {"hit": "reader--hit", "cur": "reader--current-hit", "dim": "reader--boilerplate",
                   "dup": "reader--duplicate", "placeholder": "reader--placeholder", "gutter": "reader--gutter"}

    def style(self, key: str) -> Style:
        """Resolved styles, cached until the CSS or the theme changes (``rich_style`` walks
        the DOM on every call: too slow for every rendered line)."""
        cache = self._style_cache
        if cache is None:
            cache = {"base": self.rich_style}
            for k, name in self._COMPONENTS.items():
                cache[k] = self.get_component_rich_style(name)
            self._style_cache = cache
        return cache[key]

    def group_style(self, name: str) -> Style:
        st = self._group_styles.get(name)
        if st is None:
            st = self._make_group_style(name)
            self._group_styles[name] = st
        return st

    def _make_group_style(self, name: str) -> Style:
        colour = next((g.colour for g in self.groups if g.name == name), "yellow")
        base = Color.parse(PALETTE.get(colour, PALETTE["yellow"]))
        bg_rich = self.style("base").bgcolor
        bg = Color.from_rich_color(bg_rich) if bg_rich is not None else Color(0, 0, 0)
        dark = bg.brightness < 0.5
        tint = bg.blend(base, 0.55 if dark else 0.40)
        fg = Color(255, 255, 255) if tint.brightness < 0.55 else Color(0, 0, 0)
        return Style(bgcolor=tint.rich_color, color=fg.rich_color)

    def render_line(self, y: int) -> Strip:
        full = self.scrollable_content_region.width
        width = full - GUTTER
        if self._layout_width != width and width > 0:
            self._relayout()
        i = int(self.scroll_y) + y
        if not self._lines:
            if y == 0:
                st = self.style("placeholder")
                return Strip([Segment(" " * GUTTER + self.placeholder[:width], st)]).adjust_cell_length(full, self.style("base"))
            return Strip.blank(full, self.style("base"))
        if i >= len(self._lines):
            return Strip.blank(full, self.style("base"))
        strip = self._cache.get(i)
        if strip is None:
            strip = Strip.join([self._gutter(i), self._render(i, max(1, width))])
            self._cache[i] = strip
            if len(self._cache) > 1000:
                self._cache.popitem(last=False)
        return strip

    def _gutter(self, i: int) -> Strip:
        """▶ on the line of the current hit."""
        if 0 <= self.hit_index < len(self._hits):
            s, e, kind = self._lines[i]
            hs = self._hits[self.hit_index][0]
            if kind != BLANK and s <= hs < max(e, s + 1):
                return Strip([Segment("▶ ", self.style("gutter"))], GUTTER)
        return Strip.blank(GUTTER, self.style("base"))

    def _render(self, i: int, width: int) -> Strip:
        s, e, kind = self._lines[i]
        base = self.style("base")
        if kind == BLANK:
            return Strip.blank(width, base)
        if kind == MARKER:
            st = self.style("dup")
            n = e - s
            label = f"{DUPLICATE_MARKER} · {n} characters"
            return Strip([Segment(label[:width], st)]).adjust_cell_length(width, st)
        layers: list[tuple[int, int, Style]] = []
        dim = self.style("dim")
        for a, b in self._overlapping(self._dim, self._dim_ends, s, e):
            layers.append((a, b, dim))
        for a, b, g in self._overlapping(self._kw, self._kw_ends, s, e):
            layers.append((a, b, self.group_style(g)))
        if self._hits:
            hit = self.style("hit")
            cur = self.style("cur")
            j = bisect_right(self._hit_ends, s)
            while j < len(self._hits) and self._hits[j][0] < e:
                a, b = self._hits[j]
                layers.append((max(a, s), min(b, e), cur if j == self.hit_index else hit))
                j += 1
        text = self._text
        if not layers:
            return Strip([Segment(text[s:e], base)]).adjust_cell_length(width, base)
        cuts = sorted({s, e, *(a for a, _, _ in layers), *(b for _, b, _ in layers)})
        segs = []
        for a, b in zip(cuts, cuts[1:]):
            if b <= a:
                continue
            st = base
            for la, lb, ls in layers:
                if la <= a and b <= lb:
                    st = st + ls
            segs.append(Segment(text[a:b], st))
        return Strip(segs).adjust_cell_length(width, base)

    @staticmethod
    def _overlapping(spans: list, ends: list[int], s: int, e: int):
        j = bisect_right(ends, s)
        while j < len(spans) and spans[j][0] < e:
            sp = spans[j]
            yield (max(sp[0], s), min(sp[1], e)) + tuple(sp[2:])
            j += 1


class ReaderHeader(Widget):
    """Title (at most two lines), outlet · date · author · url, then id and length.

    A fixed height, so moving from article to article never re-lays-out the screen
    (and the text below does not jump).  Plain ``Text``, never markup."""

    DEFAULT_CSS = """
    ReaderHeader { padding: 0 1; background: $boost; height: 4; }
    """
    TITLE_LINES = 2

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._article: Article | None = None
        self._title_hits: Sequence[tuple[int, int]] = ()
        self._hit_style: Style | None = None
        self._message = "no article selected"

    def set_article(self, article: Article | None, title_hits: Sequence[tuple[int, int]] = (),
                    hit_style: Style | None = None) -> None:
        self._article, self._title_hits, self._hit_style = article, title_hits, hit_style
        self.refresh()

    def set_message(self, message: str) -> None:
        self._article = None
        self._message = message
        self.refresh()

    @property
    def text(self) -> Text:
        """What the header shows (for tests and screen readers of the code)."""
        return self.render()

    def render(self) -> Text:
        if self._article is None:
            return Text(self._message, style="italic")
        width = max(10, self.content_region.width or 80)
        title, meta = header_parts(self._article, self._title_hits, self._hit_style)
        lines = title.wrap(self.app.console, width, overflow="fold")
        if len(lines) > self.TITLE_LINES:
            lines = lines[: self.TITLE_LINES]
            last = lines[-1]
            last.truncate(width - 1)
            last.append("…")
        out = Text("\n").join(list(lines))
        for _ in range(self.TITLE_LINES - len(lines)):
            meta.append("\n")
        out.append("\n")
        out.append_text(meta)
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out


class ReaderLegend(Static):
    DEFAULT_CSS = """
    ReaderLegend { padding: 0 1; height: 1; background: $boost; color: $text-muted; }
    """


class ReaderView(Vertical):
    """Header + legend + body.  ``show(article, hits, keyword_spans)`` fills it."""

    DEFAULT_CSS = """
    ReaderView { height: 1fr; }
    ReaderView > ReaderBody { height: 1fr; }
    """

    def __init__(self, groups: Sequence = (), **kwargs):
        super().__init__(**kwargs)
        self.groups = list(groups)
        self.query_text: str | None = None
        self._legend: Text | None = None

    def compose(self) -> ComposeResult:
        yield ReaderHeader(id="reader-header")
        yield ReaderLegend(Text(""), id="reader-legend")
        yield ReaderBody(self.groups, id="reader-body")

    @property
    def body(self) -> ReaderBody:
        return self.query_one(ReaderBody)

    @property
    def article_id(self) -> str | None:
        a = self.body.article
        return a.id if a is not None else None

    @property
    def hit_index(self) -> int:
        return self.body.hit_index

    @property
    def hit_count(self) -> int:
        return len(self.body._hits)

    def show(self, article: Article | None, hits: Sequence[tuple[int, int]] = (),
             keyword_spans: Sequence[tuple[int, int, str]] = (), *, query: str | None = None,
             title_hits: Sequence[tuple[int, int]] = ()) -> None:
        """Show ``article`` with the search ``hits`` (offsets into its text), the keyword
        group spans (start, end, group name) and, optionally, hits in its title."""
        self.query_text = query
        hit_style = self.body.style("hit") if title_hits else None
        self.query_one(ReaderHeader).set_article(article, title_hits, hit_style)
        self.body.set_article(article, hits, keyword_spans)
        self._update_legend()

    def set_hits(self, hits: Sequence[tuple[int, int]], *, query: str | None = None) -> None:
        self.query_text = query
        self.body.set_hits(hits)
        self._update_legend()

    def clear(self, message: str = "no article selected") -> None:
        self.body.placeholder = message
        self.show(None)
        self.query_one(ReaderHeader).set_message(message)

    def scroll_to_offset(self, pos: int) -> None:
        self.body.scroll_to_offset(pos)

    def next_hit(self) -> tuple[int, int]:
        r = self.body.next_hit()
        self._update_legend()
        return r

    def prev_hit(self) -> tuple[int, int]:
        r = self.body.prev_hit()
        self._update_legend()
        return r

    def hit_label(self) -> str:
        n = self.hit_count
        if self.query_text is None:
            return ""
        if n == 0:
            return "no hits in this article" + (" (only in hidden repeats)" if self.body.hidden_hits else "")
        extra = f" (+{self.body.hidden_hits} in hidden repeats)" if self.body.hidden_hits else ""
        if self.hit_index < 0:
            return f"{n} hit{'s' if n != 1 else ''}{extra} · n: next"
        return f"hit {self.hit_index + 1} of {n}{extra}"

    def on_reader_body_hit_changed(self, event: ReaderBody.HitChanged) -> None:
        event.stop()
        self._update_legend()

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme: str) -> None:
        self.body.notify_style_update()
        self.body.refresh()
        self.call_after_refresh(self._update_legend)

    def _update_legend(self) -> None:
        body = self.body
        parts: list[tuple[str, Style | str] | str] = []
        label = self.hit_label()
        if label:
            parts.append((label, body.style("hit") if self.hit_index >= 0 else "bold"))
            parts.append(("  │ ", "dim"))
        for g in self.groups:
            parts.append((" " + one_line(g.name) + " ", body.group_style(g.name)))
            parts.append(" ")
        if body.article is not None and body._dim:
            parts.append((" boilerplate ", body.style("dim")))
            parts.append(" ")
        if body._hidden:
            parts.append((" ⟲ repeat hidden ", body.style("dup")))
        legend = Text.assemble(*parts, no_wrap=True, overflow="ellipsis")
        if legend != self._legend:
            self._legend = legend
            self.query_one(ReaderLegend).update(legend, layout=False)


def header_parts(article: Article, title_hits: Sequence[tuple[int, int]] = (),
                 hit_style: Style | None = None) -> tuple[Text, Text]:
    """(title, the two metadata lines) as Text built from plain strings."""
    title_s = one_line(article.title)
    title = Text(title_s or "(untitled)", style="bold")
    if title_s and hit_style is not None:
        for a, b in title_hits:
            if 0 <= a < b <= len(title_s):
                title.stylize(hit_style, a, b)
    meta = Text()
    fields = [one_line(x) for x in (article.outlet, article.date, article.author, article.url) if x]
    meta.append(" · ".join(fields) if fields else "no outlet, date or author found", style="dim")
    meta.append("\n")
    spans = [s for s in article.spans if s.kind != "duplicate"]
    dups = [s for s in article.spans if s.kind == "duplicate"]
    info = f"{one_line(article.id)} · {article.length:,} characters"
    if spans:
        info += f" · {len(spans)} boilerplate span{'s' if len(spans) != 1 else ''}"
    if dups:
        info += f" · {len(dups)} repeat{'s' if len(dups) != 1 else ''} hidden"
    meta.append(info, style="dim italic")
    return title, meta


def header_text(article: Article | None, title_hits: Sequence[tuple[int, int]] = (),
                hit_style: Style | None = None) -> Text:
    """The whole header as one Text (unwrapped)."""
    if article is None:
        return Text("no article selected", style="italic")
    title, meta = header_parts(article, title_hits, hit_style)
    return Text("\n").join([title, meta])
