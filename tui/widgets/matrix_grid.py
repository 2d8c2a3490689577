"""A grid for the claims matrix: a fixed column of row labels, a two-line header, a cell
cursor — rendered with the line API, only the visible cells (a DataTable renders every
cell of a visible row: 500 article columns took seconds per frame).

Cells are ``rich.text.Text`` objects built from plain strings (never markup); each is
drawn in its width, cut with an ellipsis.  ``set_data(columns, rows)``; ``cursor`` is
(row, column); ``CellHighlighted`` / ``CellSelected`` messages (enter is left to the
view's keymap entry, a click on the cursor cell selects it).
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from .safe import fit

HEADER = 2


@dataclass
class GridColumn:
    key: str
    head: Text
    sub: Text


@dataclass
class GridRow:
    key: str
    label: Text
    cells: list[Text | None]


class MatrixGrid(Widget, can_focus=True):
    COMPONENT_CLASSES = {"matrix-grid--header", "matrix-grid--label", "matrix-grid--cursor",
                         "matrix-grid--cursor-row", "matrix-grid--empty"}
    DEFAULT_CSS = """
    MatrixGrid { height: 1fr; background: $surface; }
    MatrixGrid > .matrix-grid--header { background: $panel; color: $text; text-style: bold; }
    MatrixGrid > .matrix-grid--label { background: $panel; color: $text; }
    MatrixGrid > .matrix-grid--cursor { background: $block-cursor-blurred-background; color: $text; }
    MatrixGrid:focus > .matrix-grid--cursor { background: $block-cursor-background;
                                              color: $block-cursor-foreground; text-style: bold; }
    MatrixGrid > .matrix-grid--cursor-row { background: $boost; }
    MatrixGrid > .matrix-grid--empty { color: $text-muted; text-style: italic; }
    """

    cursor = reactive((0, 0), always_update=True, layout=False)

    class CellHighlighted(Message):
        def __init__(self, row: int, column: int) -> None:
            super().__init__()
            self.row = row
            self.column = column

    class CellSelected(Message):
        def __init__(self, row: int, column: int) -> None:
            super().__init__()
            self.row = row
            self.column = column

    def __init__(self, *, cell_width: int = 22, label_width: int = 40, **kwargs):
        super().__init__(**kwargs)
        self.cell_width = cell_width
        self.label_width = label_width
        self.columns: list[GridColumn] = []
        self.rows: list[GridRow] = []
        self.top = 0
        self.left = 0
        self.empty_text = ""
        self._styles: dict[str, Style] | None = None

    # -- data -------------------------------------------------------------------------
    def set_data(self, columns: list[GridColumn], rows: list[GridRow]) -> None:
        self.columns = columns
        self.rows = rows
        self.top = self.left = 0
        lw = max((r.label.cell_len for r in rows), default=0)
        self._label_w = min(self.label_width, max(8, lw)) + 2
        self.cursor = (0, 0)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def cell(self, row: int, column: int) -> Text | None:
        if 0 <= row < len(self.rows) and 0 <= column < len(self.columns):
            return self.rows[row].cells[column]
        return None

    # -- geometry ---------------------------------------------------------------------
    @property
    def _col_w(self) -> int:
        return self.cell_width + 2

    def visible_columns(self) -> int:
        width = self.size.width - getattr(self, "_label_w", 0)
        return max(1, width // self._col_w)

    def visible_rows(self) -> int:
        return max(1, self.size.height - HEADER)

    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        r, c = new
        if self.rows:
            r = max(0, min(r, len(self.rows) - 1))
            c = max(0, min(c, len(self.columns) - 1)) if self.columns else 0
            if (r, c) != new:
                self.cursor = (r, c)
                return
        vr, vc = self.visible_rows(), self.visible_columns()
        if r < self.top:
            self.top = r
        elif r >= self.top + vr:
            self.top = r - vr + 1
        if c < self.left:
            self.left = c
        elif c >= self.left + vc:
            self.left = c - vc + 1
        self.refresh()
        self.post_message(self.CellHighlighted(r, c))

    def move(self, dr: int, dc: int) -> None:
        r, c = self.cursor
        self.cursor = (r + dr, c + dc)

    def on_resize(self) -> None:
        self.cursor = self.cursor

    # -- styles -----------------------------------------------------------------------
    def _style(self, key: str) -> Style:
        if self._styles is None:
            self._styles = {"base": self.rich_style}
            for k in ("header", "label", "cursor", "cursor-row", "empty"):
                self._styles[k] = self.get_component_rich_style(f"matrix-grid--{k}")
        return self._styles[key]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def on_focus(self) -> None:
        self._styles = None
        self.refresh()

    def on_blur(self) -> None:
        self._styles = None
        self.refresh()

    # -- rendering --------------------------------------------------------------------
    def _cell_segments(self, text: Text | None, width: int, extra: Style | None, base: Style) -> list[Segment]:
        if text is None or not text.plain:
            return [Segment(" " * width, base + extra if extra else base)]
        plain = fit(text.plain, width)
        style = base + text.style if isinstance(text.style, Style) else base
        if text.spans:
            for sp in text.spans:
                if isinstance(sp.style, Style):
                    style = style + sp.style
        if extra is not None:
            style = style + extra
        return [Segment(plain, style)]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._style("base")
        if not self.rows and y == HEADER:
            return Strip([Segment(fit(" " + self.empty_text, width), self._style("empty"))])
        lw = getattr(self, "_label_w", 2)
        cw = self._col_w
        vc = self.visible_columns()
        cols = range(self.left, min(len(self.columns), self.left + vc))
        segs: list[Segment] = []
        if y < HEADER:
            hs = self._style("header")
            segs.append(Segment(" " * lw, hs))
            for c in cols:
                col = self.columns[c]
                t = col.head if y == 0 else col.sub
                segs.append(Segment(" ", hs))
                segs.extend(self._cell_segments(t, cw - 2, None, hs))
                segs.append(Segment(" ", hs))
            return Strip(segs).adjust_cell_length(width, hs)
        r = self.top + y - HEADER
        if r >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[r]
        cr, cc = self.cursor
        on_row = r == cr
        ls = self._style("label") + (self._style("cursor-row") if on_row else Style())
        segs.append(Segment(" ", ls))
        segs.extend(self._cell_segments(row.label, lw - 2, None, ls))
        segs.append(Segment(" ", ls))
        row_base = base + self._style("cursor-row") if on_row else base
        for c in cols:
            extra = self._style("cursor") if on_row and c == cc else None
            segs.append(Segment(" ", row_base))
            segs.extend(self._cell_segments(row.cells[c], cw - 2, extra, row_base))
            segs.append(Segment(" ", row_base))
        return Strip(segs).adjust_cell_length(width, row_base)

    # -- mouse ------------------------------------------------------------------------
    def _cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        lw = getattr(self, "_label_w", 2)
        if y < HEADER or x < lw:
            return None
        r = self.top + y - HEADER
        c = self.left + (x - lw) // self._col_w
        if r < len(self.rows) and c < len(self.columns):
            return r, c
        return None

    def on_click(self, event: events.Click) -> None:
        at = self._cell_at(event.x, event.y)
        if at is None:
            return
        if at == self.cursor or event.chain >= 2:
            self.cursor = at
            self.post_message(self.CellSelected(*at))
        else:
            self.cursor = at

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        if event.shift:
            self.left = min(max(0, len(self.columns) - self.visible_columns()), self.left + 1)
        else:
            self.top = min(max(0, len(self.rows) - self.visible_rows()), self.top + 1)
        self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        if event.shift:
            self.left = max(0, self.left - 1)
        else:
            self.top = max(0, self.top - 1)
        self.refresh()
