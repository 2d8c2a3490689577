"""The main screen: search box on top, article list (left) and reader (right), a
bottom pane (free for later views), the status line, the footer.

From here: ``c`` … ``c`` opens the comparison of two articles (``tui.screens.compare``),
``m`` the claims matrix (``tui.screens.matrix``), ``e`` the excerpts pane and ``x`` the
export dialog (``tui.screens.excerpts``); ``a`` in the reader annotates the selection
(``tui.screens.annotate``).  Those views come back here through ``open_at`` (the reader
at a claim's sentence or an excerpt).

Everything slow (indexing, loading the article list, searching, loading an article
with its hit offsets and keyword spans) runs in thread workers that post small
messages back (``tui.messages``); the screen paints at once and fills in.
"""
from __future__ import annotations

import threading
import time
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from index.querycheck import QueryError

from ..keymap import bindings_for
from ..messages import (
    ArticleLoaded, ArticleLoadFailed, ArticlesLoaded, ExcerptsReloaded, IndexFinished, IndexProgress,
    SearchFailed, SearchFinished,
)
from ..widgets.article_list import NO_OUTLET, SORT_LABELS, ArticleList, rows_from_metas
from ..widgets.reader import ReaderView
from ..widgets.safe import one_line
from ..widgets.search_bar import SearchBar, SearchInput
from ..widgets.status import StatusLine
from .annotate import AnnotationHost
from .dialogs import ArticlePicker, OutletPicker, SkippedScreen


def _one_line_error(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    return f"{exc.__class__.__name__}: {msg}" if msg else exc.__class__.__name__


class MainScreen(AnnotationHost, Screen):
    BINDINGS = bindings_for("main")

    def __init__(self, corpus, *, initial_query: str | None = None):
        super().__init__()
        self.corpus = corpus
        self.initial_query = initial_query
        self.query_active: str | None = None     # the last query that searched fine
        self.indexing = False
        # set once the first article is on screen: the background check of the files
        # waits for it, so it does not compete with the first paint (100k articles)
        self._first_shown = threading.Event()
        self.index_ready = False
        self.index_error: str | None = None
        self.report = None
        self.last_search_seconds: float | None = None
        self._search_seq = 0
        self._search_timer: Timer | None = None
        self._load_seq = 0
        self._loading = False
        self._wanted: str | None = None
        self._want_focus = False
        self._shown_key: tuple[str, str | None] | None = None
        self._progress_at = 0.0
        self._progress_text = "indexing…"
        self.compare_a: tuple[str, str] | None = None      # (id, title) marked by c
        self._point_note: str | None = None               # the note of the excerpt at the reader's point
        self._pending_locate: tuple[str, int, int] | None = None
        self._excerpts_warned: str | None = None
        self.matrix_cache = None          # (query, corpus generation, ClaimsMatrix) of the last matrix
        self.matrix_cursor = None         # where its cursor was when a cell was opened

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBar(id="search-bar")
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list")
            yield ReaderView(self.corpus.config.highlight_groups, id="reader")
        yield Container(id="bottom-pane")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> ReaderView:
        return self.query_one(ReaderView)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def show_bottom(self, widget: Widget | None) -> None:
        """Put ``widget`` in the bottom pane (the excerpts / comparison views), or hide it."""
        pane = self.query_one("#bottom-pane", Container)
        pane.remove_children()
        if widget is None:
            pane.remove_class("-visible")
        else:
            pane.mount(widget)
            pane.add_class("-visible")

    def on_unmount(self) -> None:
        self._first_shown.set()  # never keep the index worker waiting on a closed screen

    def on_mount(self) -> None:
        self.article_list.empty_text = "opening the index…"
        self.article_list.border_title = "Articles"
        self.reader.border_title = "Reader"
        self.reader.clear("no article selected yet")
        self._status()
        self.article_list.focus()
        if self.initial_query:
            self.search_bar.input.value = self.initial_query
        self.start_indexing()

    # -- indexing ---------------------------------------------------------------------
    def start_indexing(self, rebuild: bool = False) -> None:
        if self.indexing:
            return
        self.indexing = True
        # the bar appears with the first real progress: an idle animation would only
        # take the interpreter away from the worker loading the index
        self._progress_text = "checking the index…"
        self._status()
        self.run_worker(partial(self._index_work, rebuild), thread=True, group="index",
                        name="index", exit_on_error=False)

    def _index_work(self, rebuild: bool) -> None:
        worker = get_current_worker()
        corpus = self.corpus
        try:
            state = corpus.index_state()
            if state == "ready" and not rebuild:
                rows = rows_from_metas(corpus.articles(spans=False))
                self.post_message(ArticlesLoaded(rows, True))
                if rows:
                    self._first_shown.wait(timeout=3.0)

            def progress(done: int, total: int, name: str) -> None:
                now = time.monotonic()
                if now - self._progress_at > 0.05 or done >= total:
                    self._progress_at = now
                    self.post_message(IndexProgress(done, total, name))

            report = corpus.update_index(rebuild=rebuild, progress=progress,
                                         should_cancel=lambda: worker.is_cancelled)
            if worker.is_cancelled:
                return
            changed = report.added or report.updated or report.removed or report.rebuilt or state != "ready"
            if changed:
                self.post_message(ArticlesLoaded(rows_from_metas(corpus.articles(spans=False)), True))
            self.post_message(IndexFinished(report))
        except Exception as exc:  # the app must keep running: show it, one line
            if not worker.is_cancelled:
                self.post_message(IndexFinished(None, _one_line_error(exc)))

    def on_index_progress(self, msg: IndexProgress) -> None:
        self.query_one(StatusLine).progress(msg.done, msg.total)
        self._progress_text = f"indexing {msg.done:,} of {msg.total:,} files · {one_line(msg.name)}"
        self._status()

    def on_articles_loaded(self, msg: ArticlesLoaded) -> None:
        lst = self.article_list
        lst.empty_text = "indexing…" if self.indexing else "no articles in this corpus"
        lst.set_rows(msg.rows)
        self.index_ready = msg.index_ready
        if self.query_active is not None or (self.search_bar.value.strip() and not self._search_timer):
            self._start_search(self.search_bar.value)
        self._status()

    def on_index_finished(self, msg: IndexFinished) -> None:
        self.indexing = False
        self.query_one(StatusLine).progress(None, None)
        self.article_list.empty_text = "no articles in this corpus"
        self.article_list.refresh()
        if msg.error:
            self.index_error = msg.error
            self.notify(f"indexing failed: {msg.error}", severity="error", markup=False, timeout=10)
            self._status(f"indexing failed: {msg.error}")
            if self.search_bar.value.strip() and not self.index_ready:
                self.search_bar.set_status(f"no index to search: {msg.error}", "error")
            return
        self.index_error = None
        rep = msg.report
        self.report = rep
        self.index_ready = True
        notice = rep.notice or self.corpus.notice
        if notice:
            self.notify(one_line(notice), severity="warning", markup=False, timeout=10)
        if rep.skipped:
            n = len(rep.skipped)
            key = self.app.key_for("skipped_files") if hasattr(self.app, "key_for") else "i"
            self.notify(f"{n} file{'s' if n != 1 else ''} skipped — press {key} to see which and why",
                        severity="warning", markup=False)
        if self.search_bar.value.strip() and self.query_active is None:
            self._start_search(self.search_bar.value)
        self._status()

    # -- status -----------------------------------------------------------------------
    def _status(self, override: str | None = None) -> None:
        if override is not None:
            self.query_one(StatusLine).set_text(override)
            return
        lst = self.article_list
        parts = []
        if self._point_note:
            parts.append(self._point_note)
        if self.compare_a is not None:
            key = self.app.key_for("compare") if hasattr(self.app, "key_for") else "c"
            parts.append(f"A: {one_line(self.compare_a[1])[:60]} — press {key} on another article to compare")
        if lst.searching:
            parts.append(f"{lst.row_count:,} hits listed of {lst.total:,} articles")
        else:
            parts.append(f"{lst.row_count:,} of {lst.total:,} articles")
        parts.append(f"sorted by {SORT_LABELS[lst.sort_key]}")
        parts.append(f"outlet: {lst.outlet}" if lst.outlet is not None else "all outlets")
        if self.indexing:
            parts.append(self._progress_text)
        elif self.corpus.read_only:
            parts.append("read-only index")
        if self.report is not None and self.report.skipped:
            key = self.app.key_for("skipped_files") if hasattr(self.app, "key_for") else "i"
            parts.append(f"{len(self.report.skipped)} files skipped ({key}: list)")
        self.query_one(StatusLine).set_text(" · ".join(parts))
        title = Text("Articles")
        if lst.outlet is not None:
            title.append(" · " + one_line(lst.outlet))
        lst.border_title = title

    # -- search -----------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _search_changed(self, event: Input.Changed) -> None:
        self._schedule_search(event.value)

    def _schedule_search(self, value: str) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if not value.strip():
            self.clear_search()
            return
        delay = max(0, self.corpus.config.search_debounce_ms) / 1000
        self._search_timer = self.set_timer(delay, partial(self._start_search, value))

    def _start_search(self, value: str) -> None:
        self._search_timer = None
        if not value.strip():
            self.clear_search()
            return
        if not self.index_ready:
            self._search_seq += 1
            if self.indexing:
                self.search_bar.set_status("the index is being built: the search runs as soon as it is ready",
                                           "notice")
            else:
                self.search_bar.set_status(f"no index to search: {self.index_error or 'not built'}", "error")
            return
        self._search_seq += 1
        self.run_worker(partial(self._search_work, self._search_seq, value), thread=True,
                        exclusive=True, group="search", name="search", exit_on_error=False)

    def _search_work(self, seq: int, query: str) -> None:
        t0 = time.perf_counter()
        try:
            res = self.corpus.search(query, limit=self.corpus.config.search_limit, highlights=False)
        except QueryError as exc:
            self.post_message(SearchFailed(seq, query, one_line(str(exc))))
            return
        except Exception as exc:
            self.post_message(SearchFailed(seq, query, _one_line_error(exc)))
            return
        self.post_message(SearchFinished(seq, query, res, time.perf_counter() - t0))

    def on_search_finished(self, msg: SearchFinished) -> None:
        if msg.seq != self._search_seq:
            return  # a newer search is on its way
        res = msg.result
        self.query_active = msg.query
        self.last_search_seconds = msg.seconds
        self.article_list.empty_text = "no article matches"
        self.article_list.set_search(res.hits)
        shown = len(res.hits)
        text = f"{res.total:,} matching article{'s' if res.total != 1 else ''}"
        if res.total > shown:
            text += f" (the best {shown:,} listed)"
        if res.notice:
            self.search_bar.set_status(f"{text} · {one_line(res.notice)}", "notice")
        else:
            self.search_bar.set_status(text, "info")
        self._reload_hits()
        self._status()

    def on_search_failed(self, msg: SearchFailed) -> None:
        if msg.seq != self._search_seq:
            return
        kept = " · showing the last good results" if self.query_active else ""
        self.search_bar.set_status(f"⚠ {msg.error}{kept}", "error")

    def clear_search(self) -> None:
        self._search_seq += 1
        self.query_active = None
        self.last_search_seconds = None
        self.search_bar.set_status("", "info")
        self.article_list.empty_text = "no articles in this corpus"
        self.article_list.set_search(None)
        self._reload_hits()
        self._status()

    def _reload_hits(self) -> None:
        """The reader's article stays; its hits follow the new query."""
        cid = self.article_list.current_id
        if cid is not None:
            self.request_article(cid)

    @on(SearchInput.Done)
    def _search_done(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._start_search(self.search_bar.value)
        self.article_list.focus()

    @on(SearchInput.Escaped)
    def _search_escaped(self, event: SearchInput.Escaped) -> None:
        if not event.cleared:
            self.article_list.focus()

    # -- reader -----------------------------------------------------------------------
    @on(ArticleList.CursorMoved)
    def _cursor_moved(self, event: ArticleList.CursorMoved) -> None:
        if event.article_id is None:
            self._wanted = None
            self._want_focus = False
            self._shown_key = None
            self.reader.clear("no article matches" if self.article_list.searching else "no articles yet")
        else:
            self.request_article(event.article_id)
        self._status()

    @on(ArticleList.Opened)
    def _opened(self, event: ArticleList.Opened) -> None:
        self.request_article(event.article_id, focus=True)

    def request_article(self, article_id: str, focus: bool = False) -> None:
        """Show ``article_id`` in the reader.  One load at a time; when it ends, the
        latest wish is loaded next (rapid key presses coalesce; no key ever waits)."""
        self._wanted = article_id
        self._want_focus = self._want_focus or focus
        if self._loading:
            return
        if (article_id, self.query_active) == self._shown_key:
            if self._want_focus:
                self._want_focus = False
                self.reader.body.focus()
            return
        self._loading = True
        self._load_seq += 1
        self.run_worker(partial(self._load_work, self._load_seq, article_id, self.query_active),
                        thread=True, group="reader", name="reader", exit_on_error=False)

    def _load_work(self, seq: int, article_id: str, query: str | None) -> None:
        corpus = self.corpus
        try:
            art = corpus.article(article_id)
            kw = corpus.keyword_spans(article_id, art.text)
            hits: list[tuple[int, int]] = []
            title_hits: list[tuple[int, int]] = []
            if query:
                try:
                    hits = corpus.hit_offsets(article_id, query, art.text)
                    title_hits = corpus.hit_offsets(article_id, query, art.title) if art.title else []
                except QueryError:
                    hits = []
            try:
                sentences = corpus.sentences(article_id)
            except Exception:
                sentences = None
            excerpts, excerpt_error = [], None
            try:
                excerpts = corpus.anchored_excerpts(article_id)
            except Exception as exc:  # a broken excerpts file must not hide the article
                excerpt_error = _one_line_error(exc)
        except KeyError:
            self.post_message(ArticleLoadFailed(seq, article_id, "this article is no longer in the index"))
            return
        except Exception as exc:
            self.post_message(ArticleLoadFailed(seq, article_id, _one_line_error(exc)))
            return
        self.post_message(ArticleLoaded(seq, art, hits, kw, query, extra={
            "title_hits": title_hits, "sentences": sentences, "excerpts": excerpts,
            "excerpt_error": excerpt_error}))

    def on_article_loaded(self, msg: ArticleLoaded) -> None:
        self._loading = False
        if msg.article.id == self._wanted and msg.query == self.query_active:
            self.reader.show(msg.article, msg.hits, msg.keyword_spans, query=msg.query,
                             title_hits=msg.extra.get("title_hits", ()), sentences=msg.extra.get("sentences"),
                             excerpts=msg.extra.get("excerpts") or ())
            self._shown_key = (msg.article.id, msg.query)
            self._first_shown.set()
            self._excerpt_problems(msg.extra.get("excerpt_error"))
            self._apply_locate()
        self._next_load()

    def on_article_load_failed(self, msg: ArticleLoadFailed) -> None:
        self._loading = False
        self._first_shown.set()
        if msg.article_id == self._wanted:
            self._shown_key = None
            self._wanted = None
            self.reader.clear(f"cannot show {one_line(msg.article_id)}: {msg.error}")
        self._next_load()

    def _next_load(self) -> None:
        if self._wanted is not None:
            self.request_article(self._wanted)
        else:
            self._want_focus = False

    # -- actions ----------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.search_bar.input.focus()

    def action_focus_list(self) -> None:
        self.article_list.focus()

    def action_focus_reader(self) -> None:
        self.reader.body.focus()

    def _hit_step(self, forward: bool) -> None:
        reader = self.reader
        if self.query_active is None:
            self.notify("no search yet: press / and type a query", markup=False)
            return
        if self._shown_key != (reader.article_id, self.query_active):
            self.notify("the article is still loading", markup=False, timeout=2)
            return
        if reader.hit_count == 0:
            self.notify("no hits in this article", markup=False, timeout=2)
            return
        reader.next_hit() if forward else reader.prev_hit()
        self._status()

    def action_next_hit(self) -> None:
        self._hit_step(True)

    def action_prev_hit(self) -> None:
        self._hit_step(False)

    def action_cycle_sort(self) -> None:
        key = self.article_list.cycle_sort()
        self.notify(f"sorted by {SORT_LABELS[key]}", markup=False, timeout=1.5)
        self._status()

    def action_filter_outlet(self) -> None:
        lst = self.article_list
        if not lst.total:
            self.notify("no articles yet", markup=False, timeout=2)
            return

        def chosen(value: str | None) -> None:
            if value is None:
                return
            lst.set_outlet(None if value == OutletPicker.ALL else value)
            self._status()

        self.app.push_screen(OutletPicker(lst.outlets(), lst.outlet, lst.total), chosen)

    def action_skipped_files(self) -> None:
        if self.report is None:
            self.notify("the index is still being checked", markup=False, timeout=2)
            return
        self.app.push_screen(SkippedScreen(list(self.report.skipped)))

    def action_reindex(self) -> None:
        if self.indexing:
            self.notify("already indexing", markup=False, timeout=2)
            return
        self.start_indexing()


    # -- comparison, claims matrix, excerpts ------------------------------------------
    def _current_article(self) -> tuple[str, str] | None:
        """(id, title) of the article the list cursor (or the reader) is on."""
        lst = self.article_list
        cid = lst.current_id
        if cid is not None:
            row = lst.rows[lst.cursor] if 0 <= lst.cursor < lst.row_count else None
            return cid, (row.title if row is not None and row.id == cid else cid)
        if self.reader.body.article is not None:
            a = self.reader.body.article
            return a.id, a.title or a.id
        return None

    def action_compare(self) -> None:
        cur = self._current_article()
        if cur is None:
            self.notify("no article to compare yet", markup=False, timeout=2)
            return
        if self.compare_a is None:
            self.compare_a = cur
            self._status()
            return
        if self.compare_a[0] == cur[0]:
            self.compare_a = None
            self.notify("comparison cancelled", markup=False, timeout=2)
            self._status()
            return
        a = self.compare_a[0]
        self.compare_a = None
        self._status()
        self.open_compare(a, cur[0])

    def open_compare(self, a_id: str, b_id: str) -> None:
        from .compare import CompareScreen

        self.app.push_screen(CompareScreen(self.corpus, a_id, b_id))

    def action_compare_choose(self) -> None:
        cur = self._current_article()
        lst = self.article_list
        if cur is None or lst.total < 2:
            self.notify("there is nothing to compare with yet", markup=False, timeout=2)
            return
        rows = [r for r in lst.all_rows() if r.id != cur[0]]

        def chosen(b_id: str | None) -> None:
            if b_id is not None:
                self.compare_a = None
                self._status()
                self.open_compare(cur[0], b_id)

        self.app.push_screen(ArticlePicker(rows, f"Compare “{one_line(cur[1])[:70]}” (A) with …"), chosen)

    def action_matrix(self) -> None:
        from .matrix import MatrixScreen

        if not self.index_ready:
            self.notify("the index is still being built", markup=False, timeout=2)
            return
        cached = None
        if self.matrix_cache is not None:
            q, gen, m = self.matrix_cache
            if q == self.query_active and gen == getattr(self.corpus, "_generation", 0):
                cached = m
        if cached is None:
            self.matrix_cursor = None
        self.app.push_screen(MatrixScreen(self.corpus, self.query_active, matrix=cached,
                                          cursor=self.matrix_cursor))

    def action_excerpts(self) -> None:
        from .excerpts import ExcerptsScreen

        self.app.push_screen(ExcerptsScreen(self.corpus))

    def action_export(self) -> None:
        from .excerpts import open_export_dialog

        open_export_dialog(self)

    def open_at(self, article_id: str, start: int | None = None, end: int | None = None) -> None:
        """Show ``article_id`` in the reader (focused), at ``start..end`` highlighted."""
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        if start is not None and end is not None:
            self._pending_locate = (article_id, start, end)
        self.article_list.select_id(article_id)      # when it is listed: the list follows
        self.request_article(article_id, focus=True)
        self._apply_locate()

    def _apply_locate(self) -> None:
        loc = self._pending_locate
        if loc is None or self.reader.article_id != loc[0] or self._loading:
            return
        self._pending_locate = None
        self.reader.locate(loc[1], loc[2])
        self.reader.body.focus()

    def on_reader_body_point_changed(self, event) -> None:
        ex = event.excerpt
        if ex is None:
            self._point_note = None
        else:
            note = " ".join(ex.note.split()) if ex.note else "(no note)"
            tags = " ".join("#" + t for t in ex.tags)
            self._point_note = f"✎ {note}" + (f"  {tags}" if tags else "")
        self._status()

    def _excerpt_problems(self, error: str | None) -> None:
        """A damaged or unreadable excerpts file: say so once, and keep saying it in the pane."""
        msg = None
        if error:
            msg = f"excerpts could not be read: {error}"
        else:
            try:
                msg = self.corpus.excerpts.warning if self.corpus._excerpts is not None else None
            except Exception:
                msg = None
        if msg and msg != self._excerpts_warned:
            self._excerpts_warned = msg
            self.notify(one_line(msg), severity="error", markup=False, timeout=30)

    def excerpts_changed(self) -> None:
        self._status()

    def refresh_excerpts(self) -> None:
        """Anchor the shown article's excerpts again (they changed in another view)."""
        aid = self.reader.article_id
        if aid is None:
            return
        self.run_worker(partial(self._excerpts_work, aid), thread=True, group="excerpts-reload",
                        exclusive=True, name="excerpts-reload", exit_on_error=False)

    def _excerpts_work(self, article_id: str) -> None:
        try:
            pairs = self.corpus.anchored_excerpts(article_id)
        except Exception as exc:
            self.post_message(ExcerptsReloaded(article_id, [], _one_line_error(exc)))
            return
        self.post_message(ExcerptsReloaded(article_id, pairs))

    def on_excerpts_reloaded(self, msg: ExcerptsReloaded) -> None:
        if msg.error:
            self._excerpt_problems(msg.error)
            return
        if self.reader.article_id == msg.article_id:
            self.reader.set_excerpts(msg.pairs)


__all__ = ["MainScreen", "NO_OUTLET"]
