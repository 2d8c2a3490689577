"""The article list: a virtualised line-API list (only the visible rows are rendered),
smooth with 100k articles.

Columns: date, outlet, (hits while a search is active), title.  Sortable by date,
outlet, title and — while searching — relevance; filterable by outlet.  Every cell is
built from plain strings as ``Segment``s: article metadata is never parsed as markup.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.model import ArticleMeta, Hit

from ..keymap import bindings_for
from .safe import fit, one_line

SORTS = ("date", "outlet", "title", "relevance")
SORT_LABELS = {"date": "date (newest first)", "outlet": "outlet", "title": "title", "relevance": "relevance"}
NO_OUTLET = "(no outlet)"


class Row:
    """One list row: display strings (safe, one line) and sort keys, computed once."""

    __slots__ = ("id", "date", "outlet", "title", "hits", "score", "rank", "okey", "tkey")

    def __init__(self, id: str, date: str | None, outlet: str | None, title: str,
                 hits: int = 0, score: float = 0.0, rank: int = 0):
        self.id = id
        self.date = one_line(date)
        self.outlet = one_line(outlet)
        self.title = one_line(title) or one_line(id)
        self.hits = hits
        self.score = score
        self.rank = rank
        self.tkey = self.title.casefold()
        self.okey = (self.outlet == "", self.outlet.casefold(), self.tkey)


def rows_from_metas(metas: list[ArticleMeta]) -> list[Row]:
    """Rows for ``ArticleList.set_rows`` (cheap to build in a worker thread)."""
    return [Row(m.id, m.date, m.outlet, m.title) for m in metas]


@dataclass
class _Cols:
    date: int
    outlet: int
    hits: int
    title: int


class ArticleList(ScrollView, can_focus=True):
    """Rows of articles.  ``set_articles`` gives all of them, ``set_search`` narrows them to
    search hits (or ``None`` to end the search), ``set_outlet`` filters, ``cycle_sort`` sorts."""

    BINDINGS = bindings_for("list")

    COMPONENT_CLASSES = {
        "article-list--header",
        "article-list--cursor",
        "article-list--date",
        "article-list--outlet",
        "article-list--hits",
        "article-list--empty",
    }

    DEFAULT_CSS = """
    ArticleList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    ArticleList > .article-list--header { color: $text-muted; text-style: bold; background: $surface; }
    ArticleList > .article-list--cursor { background: $panel-lighten-1; color: $text; }
    ArticleList:focus > .article-list--cursor { background: $primary; color: $text; text-style: bold; }
    ArticleList > .article-list--date { color: $text-muted; }
    ArticleList > .article-list--outlet { color: $secondary; }
    ArticleList > .article-list--hits { color: $accent; text-style: bold; }
    ArticleList > .article-list--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)

    class CursorMoved(Message):
        """The row under the cursor changed (the reader should follow, debounced)."""

        def __init__(self, article_id: str | None) -> None:
            super().__init__()
            self.article_id = article_id

    class Opened(Message):
        """``enter`` on a row (or a double click): open and focus the reader."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._all: list[Row] = []
        self._search: list[Row] | None = None
        self._view: list[Row] = []
        self.sort_key = "date"
        self._sort_before_search = "date"
        self.outlet: str | None = None
        self._cache: OrderedDict[tuple, Strip] = OrderedDict()
        self._style_cache: dict[str, Style] | None = None
        self._gen = 0
        self._last_posted: str | None = "\0"
        self.empty_text = "no articles yet"

    # -- data -------------------------------------------------------------------------
    @property
    def searching(self) -> bool:
        return self._search is not None

    @property
    def row_count(self) -> int:
        return len(self._view)

    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def rows(self) -> list[Row]:
        return self._view

    @property
    def current_id(self) -> str | None:
        if 0 <= self.cursor < len(self._view):
            return self._view[self.cursor].id
        return None

    def outlets(self) -> list[tuple[str, int]]:
        """(outlet, number of articles) over all articles, most articles first."""
        counts: dict[str, int] = {}
        for r in self._all:
            k = r.outlet or NO_OUTLET
            counts[k] = counts.get(k, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    def set_articles(self, metas: list[ArticleMeta]) -> None:
        self.set_rows(rows_from_metas(metas))

    def set_rows(self, rows: list[Row]) -> None:
        self._all = rows
        if self._search is None:
            self._rebuild()

    def set_search(self, hits: list[Hit] | None) -> None:
        """Show only these hits (ranked), or everything again with ``None``."""
        if hits is None:
            if self._search is not None:
                self._search = None
                if self.sort_key == "relevance":
                    self.sort_key = self._sort_before_search
                self._rebuild(keep=True)
            return
        if self._search is None and self.sort_key != "relevance":
            self._sort_before_search = self.sort_key
        self._search = [Row(h.id, h.date, h.outlet, h.title, h.count, h.score, i) for i, h in enumerate(hits)]
        self.sort_key = "relevance"
        self._rebuild(keep=False)

    def set_outlet(self, outlet: str | None) -> None:
        self.outlet = outlet
        self._rebuild(keep=True)

    def sorts(self) -> tuple[str, ...]:
        return SORTS if self.searching else SORTS[:3]

    def cycle_sort(self) -> str:
        options = self.sorts()
        i = options.index(self.sort_key) if self.sort_key in options else -1
        self.set_sort(options[(i + 1) % len(options)])
        return self.sort_key

    def set_sort(self, key: str) -> None:
        if key not in self.sorts():
            raise ValueError(f"cannot sort by {key!r} now (choose from {', '.join(self.sorts())})")
        self.sort_key = key
        self._rebuild(keep=True)

    def _rebuild(self, keep: bool = True) -> None:
        current = self.current_id if keep else None
        rows = self._search if self._search is not None else self._all
        if self.outlet is not None:
            want = "" if self.outlet == NO_OUTLET else self.outlet
            rows = [r for r in rows if r.outlet == want]
        else:
            rows = list(rows)
        key = self.sort_key
        if key == "date":
            # newest first; undated last, then by title
            rows.sort(key=lambda r: r.tkey)
            rows.sort(key=lambda r: r.date, reverse=True)
            dated = [r for r in rows if r.date]
            rows = dated + [r for r in rows if not r.date]
        elif key == "outlet":
            rows.sort(key=lambda r: r.okey)
        elif key == "title":
            rows.sort(key=lambda r: r.tkey)
        else:
            rows.sort(key=lambda r: r.rank)
        self._view = rows
        self._gen += 1
        self._cache.clear()
        cursor = 0
        if current is not None:
            for i, r in enumerate(rows):
                if r.id == current:
                    cursor = i
                    break
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.set_reactive(ArticleList.cursor, min(cursor, max(0, len(rows) - 1)))
        self._scroll_cursor_into_view(center=True)
        self.refresh()
        self._post_cursor()

    # -- cursor -----------------------------------------------------------------------
    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        if not self._view:
            return
        row = max(0, min(len(self._view) - 1, row))
        if row != self.cursor:
            self.cursor = row

    def watch_cursor(self, old: int, new: int) -> None:
        self._cache.pop((old, self._gen), None)
        self._cache.pop((new, self._gen), None)
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_cursor()

    def _post_cursor(self) -> None:
        cid = self.current_id
        if cid != self._last_posted:
            self._last_posted = cid
            self.post_message(self.CursorMoved(cid))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        h = self._body_height
        top = int(self.scroll_y)
        c = self.cursor
        if center and not (top <= c < top + h):
            self.scroll_to(y=max(0, c - h // 2), animate=False, immediate=True)
        elif c < top:
            self.scroll_to(y=c, animate=False, immediate=True)
        elif c >= top + h:
            self.scroll_to(y=c - h + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self._view) - 1)

    def action_page_down(self) -> None:
        h = self._body_height
        self.move_cursor(self.cursor + h)
        self.scroll_to(y=min(self.cursor, max(0, len(self._view) - h)), animate=False, immediate=True)

    def action_page_up(self) -> None:
        h = self._body_height
        self.move_cursor(self.cursor - h)
        self.scroll_to(y=max(0, self.cursor - h + 1) if self.cursor < self.scroll_y else self.cursor,
                       animate=False, immediate=True)

    def action_open(self) -> None:
        cid = self.current_id
        if cid is not None:
            self.post_message(self.Opened(cid))

    def all_rows(self) -> list[Row]:
        """Every article's row: the listed ones first (in the list's order), then the rest."""
        listed = {r.id for r in self._view}
        return list(self._view) + [r for r in self._all if r.id not in listed]

    def select_id(self, article_id: str) -> bool:
        for i, r in enumerate(self._view):
            if r.id == article_id:
                self.move_cursor(i)
                return True
        return False

    # -- mouse ------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset
        if y <= 0:
            self._click_header(x)
            return
        row = int(self.scroll_y) + y - 1
        if 0 <= row < len(self._view):
            self.move_cursor(row)
            if event.chain >= 2:
                self.action_open()

    def _click_header(self, x: int) -> None:
        c = self._columns(self.scrollable_content_region.width)
        edges = [("date", c.date + 1), ("outlet", c.outlet + 1)]
        if c.hits:
            edges.append(("relevance", c.hits + 1))
        pos = 0
        for key, w in edges:
            if pos <= x < pos + w:
                self.set_sort(key)
                return
            pos += w
        self.set_sort("title")

    # -- rendering --------------------------------------------------------------------
    def _columns(self, width: int) -> _Cols:
        date = 10
        outlet = max(6, min(18, width // 5))
        hits = 5 if self.searching else 0
        gaps = 2 + (1 if hits else 0)
        title = max(1, width - date - outlet - hits - gaps)
        return _Cols(date, outlet, hits, title)

    _COMPONENTS = {"header": "article-list--header", "cursor": "article-list--cursor", "date": "article-list--date",
                   "outlet": "article-list--outlet", "hits": "article-list--hits", "empty": "article-list--empty"}

    def style(self, key: str) -> Style:
        """Resolved styles, cached until the CSS, the theme or the focus changes."""
        cache = self._style_cache
        if cache is None:
            base = self.rich_style
            cache = {"base": base}
            for k, name in self._COMPONENTS.items():
                cache[k] = self.get_component_rich_style(name)
            for k in ("date", "outlet", "hits"):
                cache[k] = base + cache[k]
            cache["cursor"] = base + cache["cursor"]
            self._style_cache = cache
        return cache[key]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None
        self._cache.clear()

    def on_focus(self) -> None:
        self._style_cache = None
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._style_cache = None
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self._view) + 1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        row = int(self.scroll_y) + y - 1
        if row >= len(self._view):
            if row == 0 and not self._view:
                st = self.style("empty")
                return Strip([Segment(fit(" " + self.empty_text, width), st)], width)
            return Strip.blank(width, self.style("base"))
        key = (row, self._gen)
        strip = self._cache.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(self._view[row], row == self.cursor, width)
            self._cache[key] = strip
            if len(self._cache) > 500:
                self._cache.popitem(last=False)
        return strip

    def _header(self, width: int) -> Strip:
        c = self._columns(width)
        st = self.style("header")
        arrow = {"date": "▼", "outlet": "▲", "title": "▲", "relevance": "▼"}[self.sort_key]

        def h(label: str, key: str, w: int, align: str = "left") -> str:
            return fit(label + (arrow if self.sort_key == key else ""), w, align=align)

        parts = [h("date", "date", c.date), " ", h("outlet", "outlet", c.outlet), " "]
        if c.hits:
            parts += [h("hits", "relevance", c.hits, "right"), " "]
        parts.append(h("title", "title", c.title))
        return Strip([Segment(fit("".join(parts), width), st)], width)

    def _render_row(self, r: Row, is_cursor: bool, width: int) -> Strip:
        c = self._columns(width)
        base = self.style("base")
        if is_cursor:
            segs = [Segment(fit(" ".join(self._cells(r, c)), width), self.style("cursor"))]
            return Strip(segs, width)
        date_st = self.style("date")
        outlet_st = self.style("outlet")
        hits_st = self.style("hits")
        cells = self._cells(r, c)
        segs = [Segment(cells[0], date_st), Segment(" ", base), Segment(cells[1], outlet_st), Segment(" ", base)]
        if c.hits:
            segs += [Segment(cells[2], hits_st), Segment(" ", base)]
        segs.append(Segment(cells[-1], base))
        return Strip(segs, width).adjust_cell_length(width, base)

    def _cells(self, r: Row, c: _Cols) -> list[str]:
        cells = [fit(r.date, c.date), fit(r.outlet, c.outlet)]
        if c.hits:
            cells.append(fit(str(r.hits) if r.hits else "", c.hits, align="right"))
        cells.append(fit(r.title, c.title))
        return cells


__all__ = ["ArticleList", "Row", "rows_from_metas", "SORTS", "SORT_LABELS", "NO_OUTLET"]
