"""The comparison of two articles side by side (``c`` on one article, ``c`` on another).

Both sides are reader bodies (line API) showing reused wording, linked claims and the
numbers that conflict ("≠" in the gutter).  ``]`` / ``[`` walk the aligned pairs and
scroll both sides to the pair; scrolling one side scrolls the other to the partner of
the nearest aligned passage.  The strip under the sides describes the current pair.
Data: ``index.views.compare_view`` (computed in a thread worker).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from index.views import CompareView, compare_view

from ..keymap import bindings_for
from ..widgets.reader import ReaderBody, excerpt_legend
from ..widgets.safe import one_line
from ..widgets.status import StatusLine
from .annotate import AnnotationHost


@dataclass
class CompareReady(Message):
    view: CompareView | None
    sentences: tuple[list | None, list | None] = (None, None)
    excerpts: tuple[list, list] = ([], [])
    error: str | None = None


class CompareBody(ReaderBody):
    """One side: a reader body whose ``esc`` (with nothing selected) closes the view."""

    DEFAULT_CSS = """
    CompareBody { height: 1fr; }
    """

    def __init__(self, side: str, **kwargs):
        super().__init__((), **kwargs)
        self.side = side

    def action_select_clear(self) -> None:
        """esc: clears the selection; with none, goes back (the current pair stays marked)."""
        if self.selection is not None:
            self.set_selection(None)
            return
        from textual.actions import SkipAction

        raise SkipAction()


class SideHeader(Static):
    DEFAULT_CSS = """
    SideHeader { height: 2; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    """


class CompareScreen(AnnotationHost, Screen):
    DEFAULT_CSS = """
    CompareScreen #compare-title { height: 1; padding: 0 1; background: $panel; color: $text; text-style: bold; }
    CompareScreen #compare-sides { height: 1fr; }
    CompareScreen .compare-side { width: 1fr; border: round $foreground 30%; }
    CompareScreen .compare-side:focus-within { border: round $border; }
    CompareScreen #compare-pair { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    CompareScreen #compare-pair.-conflict { background: $error-muted; color: $text; }
    CompareScreen #compare-legend { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = bindings_for("dialog", view="compare")

    def __init__(self, corpus, a_id: str, b_id: str):
        super().__init__()
        self.corpus = corpus
        self.a_id = a_id
        self.b_id = b_id
        self.view: CompareView | None = None
        self.current = -1
        self._syncing = 0
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Compare · loading…"), id="compare-title")
        with Horizontal(id="compare-sides"):
            with Vertical(classes="compare-side", id="side-a"):
                yield SideHeader(Text("A"), id="head-a")
                yield CompareBody("a", id="body-a")
            with Vertical(classes="compare-side", id="side-b"):
                yield SideHeader(Text("B"), id="head-b")
                yield CompareBody("b", id="body-b")
        yield Static(Text("comparing…"), id="compare-pair")
        yield Static(Text(""), id="compare-legend")
        yield StatusLine(id="compare-status")
        yield Footer()

    @property
    def body_a(self) -> CompareBody:
        return self.query_one("#body-a", CompareBody)

    @property
    def body_b(self) -> CompareBody:
        return self.query_one("#body-b", CompareBody)

    @property
    def ready(self) -> bool:
        return self.view is not None or self.error is not None

    def on_mount(self) -> None:
        self.body_a.placeholder = self.body_b.placeholder = "comparing…"
        self.body_a.focus()
        self.watch(self.body_a, "scroll_y", partial(self._scrolled, "a"), init=False)
        self.watch(self.body_b, "scroll_y", partial(self._scrolled, "b"), init=False)
        self.run_worker(self._work, thread=True, group="compare", name="compare", exit_on_error=False)

    # -- data -------------------------------------------------------------------------
    def _work(self) -> None:
        worker = get_current_worker()
        try:
            view = compare_view(self.corpus, self.a_id, self.b_id)
            sents = []
            exs = []
            for aid in (self.a_id, self.b_id):
                try:
                    sents.append(self.corpus.sentences(aid))
                except Exception:
                    sents.append(None)
                try:
                    exs.append(self.corpus.anchored_excerpts(aid))
                except Exception:
                    exs.append([])
        except KeyError as exc:
            msg = exc.args[0] if exc.args else str(exc)
            self.post_message(CompareReady(None, error=f"cannot compare: {msg}"))
            return
        except Exception as exc:
            self.post_message(CompareReady(None, error=f"cannot compare: {' '.join(str(exc).split()) or exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(CompareReady(view, (sents[0], sents[1]), (exs[0], exs[1])))

    def on_compare_ready(self, msg: CompareReady) -> None:
        if msg.error:
            self.error = msg.error
            self.query_one("#compare-title", Static).update(Text("Compare · " + one_line(msg.error)))
            self.query_one("#compare-pair", Static).update(Text(one_line(msg.error)))
            self.body_a.placeholder = self.body_b.placeholder = one_line(msg.error)
            self.body_a.refresh()
            self.body_b.refresh()
            return
        v = msg.view
        self.view = v
        for side, body, art, marks, sents, exs in (
                ("A", self.body_a, v.a, v.a_marks, msg.sentences[0], msg.excerpts[0]),
                ("B", self.body_b, v.b, v.b_marks, msg.sentences[1], msg.excerpts[1])):
            self._syncing += 1
            try:
                body.set_article(art, sentences=sents, excerpts=exs)
                body.set_marks([(m.start, m.end, m.kind) for m in marks])
            finally:
                self._syncing -= 1
            head = self.query_one(f"#head-{side.lower()}", SideHeader)
            meta = " · ".join(one_line(x) for x in (art.outlet, art.date) if x) or "no outlet or date"
            head.update(Text.assemble((f"{side}  ", "bold reverse"), (" " + one_line(art.title), "bold"), "\n",
                                      (f"{meta} · {one_line(art.id)}", "dim"), no_wrap=True, overflow="ellipsis"))
        n = len(v.pairs)
        reuse = sum(1 for p in v.pairs if p.kind == "reuse")
        title = (f"Compare · {n} aligned pair{'s' if n != 1 else ''}: {reuse} reused passage"
                 f"{'s' if reuse != 1 else ''}, {n - reuse} linked claim{'s' if n - reuse != 1 else ''}"
                 f" · {v.conflicts} conflict{'s' if v.conflicts != 1 else ''}")
        self.query_one("#compare-title", Static).update(Text(title))
        self._describe()
        self._legend()
        self._hint()

    def _hint(self) -> None:
        self.query_one(StatusLine).set_text(
            "v: select a sentence · j/k, w/b: extend · a: annotate · tab: other side · esc/q: back")

    # -- pairs ------------------------------------------------------------------------
    def _describe(self) -> None:
        strip = self.query_one("#compare-pair", Static)
        v = self.view
        if v is None:
            return
        if not v.pairs:
            strip.update(Text("no aligned passages: these articles share no wording and no claim about the "
                              "same thing"))
            strip.remove_class("-conflict")
            return
        if self.current < 0:
            keys = f"{self.app.key_for('next_pair')} / {self.app.key_for('prev_pair')}" \
                if hasattr(self.app, "key_for") else "] / ["
            strip.update(Text(f"{len(v.pairs)} aligned pairs · {keys}: go from pair to pair (both sides scroll)"))
            strip.remove_class("-conflict")
            return
        p = v.pairs[self.current]
        t = Text(one_line(p.description))
        if p.conflict:
            at = t.plain.find("CONFLICT")
            if at >= 0:
                t.stylize("bold reverse", at, at + len("CONFLICT"))
        strip.update(t)
        strip.set_class(p.conflict, "-conflict")

    def _legend(self) -> None:
        b = self.body_a
        parts = [(" reused wording ", b.style("reuse")), " ", (" linked claim ", b.style("claim")), " ",
                 (" ≠ conflicting number ", b.style("conflict")), " ", (" current pair ", b.style("located")),
                 "  "]
        focused = self.focused if isinstance(self.focused, ReaderBody) else None
        if focused is not None:
            parts.extend(excerpt_legend(focused))
        self.query_one("#compare-legend", Static).update(Text.assemble(*parts, no_wrap=True, overflow="ellipsis"))

    def go_to_pair(self, index: int) -> None:
        v = self.view
        if v is None or not v.pairs:
            self.app.bell()
            return
        self.current = index % len(v.pairs)
        p = v.pairs[self.current]
        self._syncing += 1
        try:
            self.body_a.locate(*p.a)
            self.body_b.locate(*p.b)
        finally:
            self._syncing -= 1
        self._describe()

    def action_next_pair(self) -> None:
        self.go_to_pair(self.current + 1 if self.current >= 0 else 0)

    def action_prev_pair(self) -> None:
        self.go_to_pair(self.current - 1 if self.current >= 0 else -1)

    def action_switch_side(self) -> None:
        (self.body_b if self.focused is self.body_a else self.body_a).focus()
        self._legend()

    def action_close(self) -> None:
        self.app.pop_screen()

    # -- scroll sync ------------------------------------------------------------------
    def _scrolled(self, side: str, _old: float, _new: float) -> None:
        """The user scrolled one side: the other follows to the partner of the aligned
        passage nearest to a third of the way down the view."""
        v = self.view
        if self._syncing or v is None or not v.pairs:
            return
        body, other = (self.body_a, self.body_b) if side == "a" else (self.body_b, self.body_a)
        if not body._lines or not other._lines:
            return
        h = max(1, body.scrollable_content_region.height)
        line = min(len(body._lines) - 1, int(body.scroll_y) + h // 3)
        pos = body._lines[line][0]

        def dist(p) -> int:
            s, e = p.a if side == "a" else p.b
            return 0 if s <= pos < max(e, s + 1) else min(abs(s - pos), abs(e - pos))

        best = min(range(len(v.pairs)), key=lambda i: (dist(v.pairs[i]), i))
        p = v.pairs[best]
        mine, theirs = (p.a, p.b) if side == "a" else (p.b, p.a)
        row = body.line_of(mine[0]) - int(body.scroll_y)
        y = max(0, other.line_of(theirs[0]) - row)
        self._syncing += 1
        try:
            other.scroll_to(y=min(y, other.max_scroll_y), animate=False, immediate=True)
            if best != self.current:
                self.current = best
                body.located = mine
                other.located = theirs
                body._changed()
                other._changed()
                self._describe()
        finally:
            self._syncing -= 1

    # -- notes, selection -------------------------------------------------------------
    def on_reader_body_point_changed(self, event: ReaderBody.PointChanged) -> None:
        event.stop()
        ex = event.excerpt
        status = self.query_one(StatusLine)
        if ex is None:
            self._hint()
        else:
            note = " ".join(ex.note.split()) if ex.note else "(no note)"
            tags = " ".join("#" + t for t in ex.tags)
            status.set_text(f"✎ {note}" + (f"  {tags}" if tags else ""))

    def on_reader_body_selection_changed(self, event: ReaderBody.SelectionChanged) -> None:
        event.stop()
        self._legend()

    def on_reader_body_excerpts_changed(self, event: ReaderBody.ExcerptsChanged) -> None:
        event.stop()
        self._legend()

    def on_descendant_focus(self, _event) -> None:
        if self.view is not None:
            self._legend()

    def excerpts_changed(self) -> None:
        main = getattr(self.app, "main_screen", None)
        if main is not None and hasattr(main, "refresh_excerpts"):
            main.refresh_excerpts()
