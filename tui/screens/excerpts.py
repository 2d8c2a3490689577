"""The excerpts pane (``e``) and the export dialog (``x``).

The pane lists every saved excerpt: status (exact / moved / fuzzy / orphaned — an
orphaned one could not be found in the current article text and is shown with its
quote, never attached to another passage), article, outlet, date, quote, tags, note.
A filter narrows it (words; ``#tag``; ``@article-id``).  ``enter`` opens the reader at
the passage, ``a`` edits, ``d`` deletes (``u`` undoes), ``x`` exports.

The export dialog asks for the format and the file (default ``excerpts-YYYYmmdd.<ext>``
in the current folder), writes atomically (``index.export.write_export``) and says where.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, RadioButton, RadioSet, Static
from textual.worker import get_current_worker

from index.excerpts import ExcerptError
from index.export import FORMATS
from index.views import (
    ExcerptRow, canonical_tags, default_export_path, excerpt_rows, export_to_file, filter_excerpt_rows,
)

from ..keymap import bindings_for
from ..widgets.reader import PALETTE
from ..widgets.safe import fit, one_line, visible
from .annotate import AnnotationForm, ChoiceSet, FormResult, ViewTable
from .dialogs import DIALOG_CSS

STATUS_LABEL = {"exact": "exact", "moved": "moved", "fuzzy": "fuzzy", "orphaned": "ORPHANED"}
FORMAT_LABEL = {"md": "Markdown (.md)", "json": "JSON (.json)", "csv": "CSV (.csv, for spreadsheets)"}


def _err(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__


@dataclass
class ExcerptsLoaded(Message):
    rows: list
    warning: str | None
    path: str
    error: str | None = None


@dataclass
class ExcerptChanged(Message):
    """A delete / restore / edit finished (``error`` set: it failed)."""

    action: str
    excerpt: object | None
    error: str | None = None
    notice: str | None = None


class ExcerptsScreen(Screen):
    DEFAULT_CSS = """
    ExcerptsScreen #excerpts-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    ExcerptsScreen #excerpts-warning { height: auto; padding: 0 1; background: $error-muted; color: $text;
                                       display: none; }
    ExcerptsScreen #excerpts-warning.-visible { display: block; }
    ExcerptsScreen #excerpts-filter { border: tall $border-blurred; height: 3; }
    ExcerptsScreen #excerpts-filter:focus { border: tall $accent; }
    ExcerptsScreen #excerpts-table { height: 1fr; }
    ExcerptsScreen #excerpts-detail { height: 8; padding: 0 1; background: $boost; }
    """
    BINDINGS = bindings_for("dialog", view="excerpts")

    def __init__(self, corpus):
        super().__init__()
        self.corpus = corpus
        self.rows: list[ExcerptRow] = []
        self.shown: list[ExcerptRow] = []
        self.deleted: list = []          # undo stack of deleted Excerpts
        self.loaded = False
        self.warning: str | None = None
        self._keep_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Excerpts · loading…"), id="excerpts-title")
        yield Static(Text(""), id="excerpts-warning")
        yield Input(placeholder="filter: words in quote/note/title · #tag · @article-id   (/ to focus)",
                    id="excerpts-filter")
        yield ViewTable(id="excerpts-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(""), id="excerpts-detail")
        yield Footer()

    @property
    def table(self) -> DataTable:
        return self.query_one("#excerpts-table", DataTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#excerpts-filter", Input)

    def on_mount(self) -> None:
        t = self.table
        for label, key in (("status", "status"), ("quote", "quote"), ("note", "note"), ("tags", "tags"),
                           ("article", "title"), ("outlet", "outlet"), ("date", "date")):
            t.add_column(Text(label, style="bold"), key=key)
        t.focus()
        self.reload()

    # -- loading ----------------------------------------------------------------------
    def reload(self, keep_id: str | None = None) -> None:
        self._keep_id = keep_id
        self.run_worker(self._load_work, thread=True, exclusive=True, group="excerpts-load",
                        name="excerpts-load", exit_on_error=False)

    def _load_work(self) -> None:
        worker = get_current_worker()
        try:
            store = self.corpus.excerpts
            rows = excerpt_rows(self.corpus)
            msg = ExcerptsLoaded(rows, store.warning, str(store.active_path))
        except Exception as exc:
            msg = ExcerptsLoaded([], None, "", _err(exc))
        if not worker.is_cancelled:
            self.post_message(msg)

    def on_excerpts_loaded(self, msg: ExcerptsLoaded) -> None:
        self.loaded = True
        warn = self.query_one("#excerpts-warning", Static)
        problem = f"excerpts could not be read: {msg.error}" if msg.error else msg.warning
        self.warning = problem
        if problem:
            warn.update(Text("⚠ " + one_line(problem)))
            warn.add_class("-visible")
            if not getattr(self, "_warned", None) == problem:
                self._warned = problem
                self.notify(one_line(problem), severity="error", markup=False, timeout=30)
        else:
            warn.remove_class("-visible")
        self.rows = msg.rows
        self.path = msg.path
        self._refill(self._keep_id)

    def _refill(self, keep_id: str | None = None) -> None:
        t = self.table
        if keep_id is None and 0 <= t.cursor_row < len(self.shown):
            keep_id = self.shown[t.cursor_row].id
        self.shown = filter_excerpt_rows(self.rows, self.filter_input.value)
        t.clear()
        for r in self.shown:
            ex = r.excerpt
            status = Text(STATUS_LABEL.get(r.status, r.status))
            if r.status == "orphaned":
                status.stylize("bold reverse")
            elif r.status != "exact":
                status.stylize("italic")
            quote = Text("▌", style=PALETTE.get(ex.colour, ""))
            quote.append(fit(one_line(r.quote_line), 48).rstrip())
            t.add_row(status, quote, Text(fit(one_line(ex.note), 30).rstrip(), style="italic"),
                      Text(fit(" ".join("#" + x for x in ex.tags), 20).rstrip(), style="bold"),
                      Text(fit(one_line(ex.title or ex.article), 28).rstrip()),
                      Text(fit(one_line(ex.outlet), 14).rstrip()), Text(one_line(ex.date)), key=ex.id)
        if keep_id is not None:
            for i, r in enumerate(self.shown):
                if r.id == keep_id:
                    t.move_cursor(row=i, animate=False)
                    break
        n, k = len(self.rows), len(self.shown)
        orphaned = sum(1 for r in self.rows if r.status == "orphaned")
        name = Path(self.path).name if getattr(self, "path", "") else ""
        title = f"Excerpts · {n} saved" + (f" · {k} shown" if k != n else "")
        if orphaned:
            title += f" · {orphaned} orphaned (not found in the current text)"
        if name:
            title += f" · {name}"
        self.query_one("#excerpts-title", Static).update(Text(title))
        self._detail()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "excerpts-filter":
            event.stop()
            self._refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "excerpts-filter":
            event.stop()
            self.table.focus()

    # -- detail -----------------------------------------------------------------------
    def current(self) -> ExcerptRow | None:
        i = self.table.cursor_row
        return self.shown[i] if 0 <= i < len(self.shown) else None

    def _detail(self) -> None:
        r = self.current()
        out = Text()
        if r is None:
            if self.loaded:
                out.append("no excerpts yet: in the reader, v selects a sentence, a annotates it"
                           if not self.rows else "no excerpt matches the filter", style="italic")
            self.query_one("#excerpts-detail", Static).update(out)
            return
        ex = r.excerpt
        meta = " · ".join(one_line(x) for x in (ex.outlet, ex.date, ex.article) if x)
        out.append(one_line(ex.title or ex.article), style="bold")
        out.append(f"   {meta}\n", style="dim")
        if r.status == "orphaned":
            out.append("ORPHANED: this quote is no longer found in the article text; it is kept as it was saved:\n",
                       style="bold")
        quote = visible(ex.quote)
        out.append("“" + (quote if len(quote) <= 600 else quote[:599] + "…") + "”\n")
        if ex.note:
            out.append("note: ", style="bold")
            out.append(visible(ex.note) + "\n", style="italic")
        if ex.tags:
            out.append(" ".join("#" + t for t in ex.tags), style="bold")
        self.query_one("#excerpts-detail", Static).update(out)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_in_reader()

    # -- actions ----------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_table_down(self) -> None:
        self.table.action_cursor_down()

    def action_table_up(self) -> None:
        self.table.action_cursor_up()

    def action_table_page_down(self) -> None:
        self.table.action_page_down()

    def action_table_page_up(self) -> None:
        self.table.action_page_up()

    def action_close(self) -> None:
        if self.focused is self.filter_input:
            self.table.focus()
            return
        self.app.pop_screen()

    def action_open_in_reader(self) -> None:
        r = self.current()
        if r is None:
            return
        main = getattr(self.app, "main_screen", None)
        if main is None:
            return
        if r.status == "orphaned" or r.start is None:
            try:
                self.corpus.meta(r.excerpt.article)
            except KeyError:
                self.notify("the article of this excerpt is no longer in the corpus", severity="warning",
                            markup=False, timeout=5)
                return
            main.open_at(r.excerpt.article)
            self.notify("orphaned excerpt: its quote is not in the current text; the article opens at the top",
                        severity="warning", markup=False, timeout=6)
            return
        main.open_at(r.excerpt.article, r.start, r.end)

    def action_edit_excerpt(self) -> None:
        r = self.current()
        if r is None:
            return
        ex = r.excerpt
        try:
            known = self.corpus.excerpts.tags()
        except ExcerptError as exc:
            self.notify(_err(exc), severity="error", markup=False)
            return

        def done(res: FormResult | None) -> None:
            if res is not None:
                self.run_worker(partial(self._edit_work, ex.id, res), thread=True, group="excerpts-edit",
                                name="excerpts-edit", exit_on_error=False)

        self.app.push_screen(AnnotationForm(ex.quote, ex.title or ex.article, note=ex.note, tags=ex.tags,
                                            colour=ex.colour, existing_tags=known, editing=True), done)

    def _edit_work(self, ex_id: str, res: FormResult) -> None:
        store = self.corpus.excerpts
        try:
            ex = store.update(ex_id, note=res.note, tags=canonical_tags(res.tags, store.tags()), colour=res.colour)
            self.post_message(ExcerptChanged("edit", ex, None, store.notice))
        except (ExcerptError, OSError) as exc:
            self.post_message(ExcerptChanged("edit", None, _err(exc)))

    def action_delete_excerpt(self) -> None:
        r = self.current()
        if r is None:
            return
        self.run_worker(partial(self._delete_work, r.excerpt.id), thread=True, group="excerpts-edit",
                        name="excerpts-delete", exit_on_error=False)

    def _delete_work(self, ex_id: str) -> None:
        store = self.corpus.excerpts
        try:
            ex = store.delete(ex_id)
            self.post_message(ExcerptChanged("delete", ex, None, store.notice))
        except (ExcerptError, OSError) as exc:
            self.post_message(ExcerptChanged("delete", None, _err(exc)))

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("nothing to undo", markup=False, timeout=2)
            return
        ex = self.deleted.pop()
        self.run_worker(partial(self._restore_work, ex), thread=True, group="excerpts-edit",
                        name="excerpts-restore", exit_on_error=False)

    def _restore_work(self, ex) -> None:
        store = self.corpus.excerpts
        try:
            back = store.restore(ex)
            self.post_message(ExcerptChanged("restore", back, None, store.notice))
        except (ExcerptError, OSError) as exc:
            self.deleted.append(ex)
            self.post_message(ExcerptChanged("restore", None, _err(exc)))

    def on_excerpt_changed(self, msg: ExcerptChanged) -> None:
        if msg.error:
            self.notify(f"{msg.action} failed: {msg.error}", severity="error", markup=False, timeout=10)
            return
        if msg.notice:
            self.notify(one_line(msg.notice), severity="warning", markup=False, timeout=10)
        keep = None
        if msg.action == "delete":
            self.deleted.append(msg.excerpt)
            key = self.app.key_for("undo_delete") if hasattr(self.app, "key_for") else "u"
            quote = one_line(msg.excerpt.quote)
            self.notify(f"deleted “{quote[:50]}{'…' if len(quote) > 50 else ''}” — {key}: undo",
                        markup=False, timeout=6)
        else:
            keep = msg.excerpt.id
            self.notify("excerpt restored" if msg.action == "restore" else "excerpt updated", markup=False,
                        timeout=3)
        main = getattr(self.app, "main_screen", None)
        if main is not None and hasattr(main, "refresh_excerpts"):
            main.refresh_excerpts()
        self.reload(keep)

    def action_export(self) -> None:
        tag = next((w[1:] for w in self.filter_input.value.split() if w.startswith("#") and len(w) > 1), None)
        open_export_dialog(self, tag=tag)


# --------------------------------------------------------------------------- export

@dataclass
class ExportDone(Message):
    path: str | None
    count: int = 0
    error: str | None = None


class ExportDialog(ModalScreen[tuple[str, int] | None]):
    """Format, file and (optional) tag; writes in a worker, dismisses with (path, count)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ExportDialog") + """
    ExportDialog > Vertical { height: auto; width: 90%; max-width: 100; }
    ExportDialog Label { color: $text-muted; padding: 0 0 0 1; }
    ExportDialog #export-format { layout: horizontal; height: auto; width: 1fr; }
    ExportDialog #export-format RadioButton { width: auto; margin: 0 2 0 0; }
    ExportDialog #export-error { color: $text-error; height: auto; }
    """
    BINDINGS = bindings_for("dialog", view="form")

    def __init__(self, corpus, *, tag: str | None = None, directory: str | Path | None = None,
                 count: int | None = None):
        super().__init__()
        self.corpus = corpus
        self.tag = tag or ""
        self.directory = directory
        self.count = count
        self.fmt = "md"
        self._default = str(default_export_path("md", directory))
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            n = f" ({self.count} saved)" if self.count is not None else ""
            yield Static(Text(f"Export excerpts{n}"), classes="dialog-title")
            yield Label(Text("Format"))
            with ChoiceSet(id="export-format"):
                for f in FORMATS:
                    yield RadioButton(Text(FORMAT_LABEL.get(f, f)), value=(f == self.fmt), name=f)
            yield Label(Text("File (written atomically; missing folders are created)"))
            yield Input(self._default, id="export-path")
            yield Label(Text("Only excerpts with this tag (empty: all)"))
            yield Input(self.tag, id="export-tag", placeholder="tag")
            yield Static(Text(""), id="export-error")
            yield Static(Text("enter or ctrl+s: write   ·   esc: cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        fmt = event.pressed.name or "md"
        path = self.query_one("#export-path", Input)
        if path.value == self._default:     # still the default: follow the format
            self._default = str(default_export_path(fmt, self.directory))
            path.value = self._default
        elif path.value.endswith("." + self.fmt):
            path.value = path.value[: -len(self.fmt)] + fmt
        self.fmt = fmt

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        path = self.query_one("#export-path", Input).value
        tag = self.query_one("#export-tag", Input).value.strip().lstrip("#") or None
        self.query_one("#export-error", Static).update(Text("writing…"))
        self.run_worker(partial(self._work, self.fmt, path, tag), thread=True, group="export", name="export",
                        exit_on_error=False)

    def _work(self, fmt: str, path: str, tag: str | None) -> None:
        try:
            written, n = export_to_file(self.corpus, fmt, path, tag)
        except (ExcerptError, OSError) as exc:
            self.post_message(ExportDone(None, 0, _err(exc)))
            return
        self.post_message(ExportDone(str(written), n))

    def on_export_done(self, msg: ExportDone) -> None:
        self.busy = False
        if msg.error:
            self.query_one("#export-error", Static).update(Text("⚠ " + one_line(msg.error)))
            return
        self.dismiss((msg.path, msg.count))

    def action_close(self) -> None:
        self.dismiss(None)


def open_export_dialog(screen, tag: str | None = None) -> None:
    """Open the export dialog over ``screen``; when written, say where."""
    app = screen.app
    corpus = app.corpus
    try:
        count = len(corpus.excerpts)
    except ExcerptError as exc:
        screen.notify(_err(exc), severity="error", markup=False, timeout=10)
        return
    if count == 0:
        screen.notify("no excerpts to export yet: in the reader, v selects, a annotates", markup=False, timeout=4)
        return

    def done(res) -> None:
        if res is None:
            return
        path, n = res
        screen.notify(f"wrote {n} excerpt{'s' if n != 1 else ''} to {path}", markup=False, timeout=12)
        app.last_export = path

    app.push_screen(ExportDialog(corpus, tag=tag, count=count), done)
