"""The claims matrix (``m``): rows are claim groups, columns the articles with claims in
them (ordered by date); a cell shows value, hedge and who said it.  Conflicting groups
come first, marked "≠" in the error colour, with the disagreeing values highlighted.
``enter`` on a cell opens the reader at that claim's sentence.  The grid
(``tui.widgets.matrix_grid``) draws only the visible cells, so hundreds of article
columns stay fast.

Scope: the whole corpus, or the articles of the current search (the title says which).
``index.views.claims_matrix`` runs in a thread worker behind a loading indicator.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from index.views import ClaimsMatrix, claims_matrix

from ..keymap import bindings_for
from ..widgets.matrix_grid import GridColumn, GridRow, MatrixGrid
from ..widgets.safe import one_line

CELL_WIDTH = 22
LABEL_WIDTH = 38


@dataclass
class MatrixReady(Message):
    matrix: ClaimsMatrix | None
    seconds: float = 0.0
    error: str | None = None


class MatrixScreen(Screen):
    DEFAULT_CSS = """
    MatrixScreen #matrix-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    MatrixScreen #matrix-grid { height: 1fr; }
    MatrixScreen #matrix-detail { height: 6; padding: 0 1; background: $boost; text-wrap: nowrap;
                                  text-overflow: ellipsis; }
    """
    BINDINGS = bindings_for("dialog", view="matrix")

    def __init__(self, corpus, query: str | None = None, *, matrix: ClaimsMatrix | None = None,
                 cursor=None):
        super().__init__()
        self.cursor = cursor
        self.corpus = corpus
        self.query_text = query or None
        self.matrix: ClaimsMatrix | None = matrix
        self.error: str | None = None
        self._cols: list = []
        self._rows: list = []

    def compose(self) -> ComposeResult:
        scope = f"search: {one_line(self.query_text)}" if self.query_text else "whole corpus"
        yield Static(Text(f"Claims matrix · {scope} · computing…"), id="matrix-title")
        yield MatrixGrid(id="matrix-grid", cell_width=CELL_WIDTH, label_width=LABEL_WIDTH)
        yield Static(Text(""), id="matrix-detail")
        yield Footer()

    @property
    def table(self) -> MatrixGrid:
        return self.query_one("#matrix-grid", MatrixGrid)

    @property
    def ready(self) -> bool:
        return self.error is not None or (self.matrix is not None and not self.table.loading)

    def on_mount(self) -> None:
        self.table.focus()
        if self.matrix is not None:
            self._fill(self.matrix)
            return
        self.table.loading = True
        self.run_worker(self._work, thread=True, exclusive=True, group="matrix", name="matrix",
                        exit_on_error=False)

    def _work(self) -> None:
        import time

        worker = get_current_worker()
        t0 = time.perf_counter()
        try:
            m = claims_matrix(self.corpus, self.query_text)
        except Exception as exc:
            msg = " ".join(str(exc).split()) or exc.__class__.__name__
            self.post_message(MatrixReady(None, error=msg))
            return
        if not worker.is_cancelled:
            self.post_message(MatrixReady(m, time.perf_counter() - t0))

    def on_matrix_ready(self, msg: MatrixReady) -> None:
        self.table.loading = False
        if msg.error:
            self.error = msg.error
            self.query_one("#matrix-title", Static).update(Text(f"Claims matrix · cannot compute: {one_line(msg.error)}"))
            return
        self.matrix = msg.matrix
        main = getattr(self.app, "main_screen", None)
        if main is not None:
            main.matrix_cache = (self.query_text, getattr(self.corpus, "_generation", 0), msg.matrix)
        self._fill(msg.matrix)

    # -- table ------------------------------------------------------------------------
    def _styles(self) -> tuple[Style, Style]:
        tv = self.app.theme_variables
        err = Color.parse(tv.get("error", "#e5484d"))
        bg = Color.parse(tv.get("background", "#000000"))
        tint = bg.blend(err, 0.45 if bg.brightness < 0.5 else 0.30)
        fg = Color(255, 255, 255) if tint.brightness < 0.55 else Color(0, 0, 0)
        label = Style(color=(err if bg.brightness < 0.5 else err.darken(0.1)).rich_color, bold=True)
        return label, Style(bgcolor=tint.rich_color, color=fg.rich_color, bold=True)

    def _fill(self, m: ClaimsMatrix) -> None:
        t = self.table
        label_style, conflict_style = self._styles()
        self._cols = m.columns
        self._rows = m.rows
        columns = [GridColumn(c.id, Text(one_line(c.head), style="bold"), Text(one_line(c.sub), style="dim"))
                   for c in m.columns]
        rows = []
        for r in m.rows:
            if r.conflict:
                label = Text("≠ " + one_line(r.label), style=label_style)
            else:
                label = Text("  " + one_line(r.label))
            cells: list[Text | None] = []
            for c in m.columns:
                cell = r.cells.get(c.id)
                if cell is None:
                    cells.append(None)
                    continue
                cells.append(Text(one_line(cell.text), style=conflict_style if cell.conflict else ""))
            rows.append(GridRow(r.id, label, cells))
        t.empty_text = ("no claim groups: no two articles state a number about the same thing"
                        + (" (try the whole corpus: clear the search)" if m.query else ""))
        t.set_data(columns, rows)
        shown = f"{m.shown_groups} of {m.n_groups} groups" if m.shown_groups < m.n_groups else \
            f"{m.n_groups} group{'s' if m.n_groups != 1 else ''}"
        conflicts = sum(1 for r in m.rows if r.conflict)
        scope = f"search: {one_line(m.query)}" if m.query else "whole corpus"
        self.query_one("#matrix-title", Static).update(Text(
            f"Claims matrix · {scope} · {shown} × {len(m.columns)} articles (by date) · "
            f"{conflicts} with conflicting numbers · {m.n_claims} claims"))
        if self.cursor is not None:
            t.cursor = tuple(self.cursor)
        if not m.rows:
            self.query_one("#matrix-detail", Static).update(Text(t.empty_text))
        else:
            self._detail()

    def _cell_at(self, row: int, col: int):
        if not (0 <= row < len(self._rows) and 0 <= col < len(self._cols)):
            return None, None, None
        r, c = self._rows[row], self._cols[col]
        return r, c, r.cells.get(c.id)

    def _detail(self) -> None:
        row, col = self.table.cursor
        r, c, cell = self._cell_at(row, col)
        out = Text(no_wrap=True, overflow="ellipsis")
        if r is None:
            self.query_one("#matrix-detail", Static).update(out)
            return
        out.append(("≠ " if r.conflict else "") + one_line(r.label), style="bold")
        out.append(f"   ·   {one_line(c.title)}  ({one_line(c.head)}, {one_line(c.sub)})\n", style="dim")
        if cell is None:
            out.append("no claim of this group in this article", style="italic")
        else:
            for v in cell.values[:3]:
                who = one_line(v.speaker) if v.speaker else "no source named"
                mark = "≠ " if v.conflict else "  "
                out.append(f"{mark}{one_line(v.label)} — {who}\n", style="bold" if v.conflict else "")
            out.append("enter: open the reader at this sentence", style="dim italic")
        self.query_one("#matrix-detail", Static).update(out)

    def on_matrix_grid_cell_highlighted(self, event: MatrixGrid.CellHighlighted) -> None:
        event.stop()
        if self.matrix is not None and self.matrix.rows:
            self._detail()

    def on_matrix_grid_cell_selected(self, event: MatrixGrid.CellSelected) -> None:
        event.stop()
        self.action_open_in_reader()

    def action_open_in_reader(self) -> None:
        row, col = self.table.cursor
        r, c, cell = self._cell_at(row, col)
        if cell is None or not cell.values:
            self.notify("no claim of this group in this article", markup=False, timeout=2)
            return
        v = cell.values[0]
        main = getattr(self.app, "main_screen", None)
        if main is None:
            return
        main.matrix_cursor = (row, col)
        main.open_at(c.id, v.sentence[0], v.sentence[1])

    def action_table_down(self) -> None:
        self.table.move(1, 0)

    def action_table_up(self) -> None:
        self.table.move(-1, 0)

    def action_table_left(self) -> None:
        self.table.move(0, -1)

    def action_table_right(self) -> None:
        self.table.move(0, 1)

    def action_table_page_down(self) -> None:
        self.table.move(self.table.visible_rows(), 0)

    def action_table_page_up(self) -> None:
        self.table.move(-self.table.visible_rows(), 0)

    def action_close(self) -> None:
        self.app.pop_screen()
