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
  to a one-line marker;
- saved excerpts in their colour (a lighter tint), "✎" in the gutter where one starts;
- the selection (a sentence cursor: ``v`` starts it, ``j``/``k`` extend/shrink it by a
  sentence, ``w``/``b`` by a word, ``J``/``K`` move it, ``esc`` clears it; a click selects
  a sentence, shift+click extends, a drag selects words) and a "located" range (the
  sentence a claim or excerpt was opened at);
- marks of the comparison view (reused wording, linked claims, conflicting numbers with
  "≠" in the gutter), see ``set_marks``.

Public API: ``ReaderView.show(article, hits, keyword_spans, sentences=, excerpts=)``,
``scroll_to_offset(pos)``, ``locate(start, end)``, ``set_excerpts(pairs)``,
``next_hit()`` / ``prev_hit()``, ``article_id``, ``hit_index`` / ``hit_count``;
``ReaderBody.selection`` and the messages ``SelectionChanged``, ``PointChanged``,
``AnnotateRequested``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from typing import Iterable, Sequence

from dataclasses import dataclass

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.actions import SkipAction
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
from index.views import fallback_sentences, next_word_end, prev_word_end, sentence_index

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


@dataclass(frozen=True)
class ExcerptSpan:
    """A saved excerpt where it sits in the shown text."""

    id: str
    start: int
    end: int
    colour: str
    note: str
    tags: tuple[str, ...] = ()
    status: str = "exact"


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
        "reader--selection",
        "reader--located",
        "reader--reuse",
        "reader--claim",
        "reader--conflict",
        "reader--gutter-conflict",
    }
    ALLOW_SELECT = False  # the reader has its own selection (sentences, words, mouse drag)

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
    ReaderBody > .reader--selection { background: $primary 70%; color: $text; }
    ReaderBody > .reader--located { background: $secondary 35%; color: $text; text-style: bold; }
    ReaderBody > .reader--reuse { background: $success 30%; color: $text; }
    ReaderBody > .reader--claim { color: $text; text-style: underline; }
    ReaderBody > .reader--conflict { background: $error; color: $text; text-style: bold; }
    ReaderBody > .reader--gutter-conflict { color: $text-error; text-style: bold; }
    """

    class SelectionChanged(Message):
        def __init__(self, body: "ReaderBody", selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.body = body
            self.selection = selection

    class PointChanged(Message):
        """The selection / current hit / located range moved onto (or off) an excerpt."""

        def __init__(self, body: "ReaderBody", excerpt: ExcerptSpan | None) -> None:
            super().__init__()
            self.body = body
            self.excerpt = excerpt

    class AnnotateRequested(Message):
        """``a``: annotate ``start..end`` (``excerpt`` set: edit that excerpt)."""

        def __init__(self, body: "ReaderBody", article: Article, start: int, end: int,
                     excerpt: ExcerptSpan | None) -> None:
            super().__init__()
            self.body = body
            self.article = article
            self.start = start
            self.end = end
            self.excerpt = excerpt

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
        self._sentences: list[tuple[int, int]] = []
        self._sentences_given = False
        self.selection: tuple[int, int] | None = None
        self.located: tuple[int, int] | None = None
        self._excerpts: list[ExcerptSpan] = []
        self.orphaned: list[ExcerptSpan] = []
        self._marks: list[tuple[int, int, str]] = []
        self._gutter_marks: dict[str, list[int]] = {}
        self._point_excerpt: str | None = None
        self._drag: tuple[int, bool] | None = None
        self._dragged = False

    # -- content ----------------------------------------------------------------------
    def set_article(self, article: Article | None, hits: Sequence[tuple[int, int]] = (),
                    keyword_spans: Sequence[tuple[int, int, str]] = (), *,
                    sentences: Sequence[tuple[int, int]] | None = None,
                    excerpts: Sequence | None = None) -> None:
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
        self.selection = None
        self.located = None
        self._marks = []
        self._gutter_marks = {}
        self._set_sentences(sentences)
        self._set_excerpts(excerpts or ())
        self._point_excerpt = None
        self._layout_width = -1
        self._pending_offset = None
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._relayout()
        self.post_message(self.SelectionChanged(self, None))
        self._point_moved()

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

    @property
    def text(self) -> str:
        return self._text

    # -- sentences, excerpts, marks ---------------------------------------------------
    def _set_sentences(self, sentences: Sequence[tuple[int, int]] | None) -> None:
        """Sentences for the selection cursor; those inside a hidden repeat are left out."""
        self._sentences_given = sentences is not None
        n = len(self._text)
        sents = [(max(0, int(a)), min(n, int(b))) for a, b in (sentences or ()) if int(b) > int(a)]
        if self._hidden:
            starts = [a for a, _ in self._hidden]

            def hidden(pos: int) -> bool:
                j = bisect_right(starts, pos) - 1
                return j >= 0 and pos < self._hidden[j][1]

            sents = [x for x in sents if not hidden(x[0])]
        self._sentences = sorted(sents)

    def _ensure_sentences(self) -> list[tuple[int, int]]:
        if not self._sentences and not self._sentences_given and self._text.strip():
            self._set_sentences(fallback_sentences(self._text))
            self._sentences_given = True
        return self._sentences

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return list(self._ensure_sentences())

    def _set_excerpts(self, pairs: Sequence) -> None:
        """``pairs``: [(Excerpt, Anchor)] (``Corpus.anchored_excerpts``) or ExcerptSpans."""
        spans: list[ExcerptSpan] = []
        orphaned: list[ExcerptSpan] = []
        n = len(self._text)
        for item in pairs:
            if isinstance(item, ExcerptSpan):
                spans.append(item)
                continue
            ex, an = item
            sp = ExcerptSpan(ex.id, an.start if an.start is not None else -1,
                             an.end if an.end is not None else -1, ex.colour, ex.note, tuple(ex.tags), an.status)
            if an.start is None or an.end is None or not (0 <= an.start < an.end <= n):
                orphaned.append(sp)
            else:
                spans.append(sp)
        self._excerpts = sorted(spans, key=lambda x: (x.start, x.end))
        self.orphaned = orphaned

    class ExcerptsChanged(Message):
        pass

    def set_excerpts(self, pairs: Sequence) -> None:
        self._set_excerpts(pairs)
        self._changed()
        self.post_message(self.ExcerptsChanged())
        self._point_excerpt = "\0"   # re-announce the excerpt at the point (its note may have changed)
        self._point_moved()

    @property
    def excerpts(self) -> list[ExcerptSpan]:
        return list(self._excerpts)

    def set_marks(self, marks: Sequence[tuple[int, int, str]]) -> None:
        """Comparison marks: (start, end, kind) with kind "reuse", "claim" or "conflict"."""
        n = len(self._text)
        self._marks = sorted((max(0, a), min(n, b), k) for a, b, k in marks if min(n, b) > max(0, a))
        self._gutter_marks = {"conflict": sorted(a for a, _, k in self._marks if k == "conflict")}
        self._changed()

    def locate(self, start: int, end: int, *, top_fraction: float = 1 / 3) -> None:
        """Highlight ``start..end`` (the sentence a claim or excerpt was opened at) and scroll to it."""
        n = len(self._text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        self.located = (start, end) if end > start else None
        self._changed()
        self.scroll_to_offset(start, top_fraction=top_fraction)
        self._point_moved()

    def _changed(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- the point: what the note in the status line is about --------------------------
    def point(self) -> int | None:
        if self.selection is not None:
            return self.selection[0]
        if self.located is not None:
            return self.located[0]
        if 0 <= self.hit_index < len(self._hits):
            return self._hits[self.hit_index][0]
        return None

    def excerpt_at_point(self) -> ExcerptSpan | None:
        if self.selection is not None:
            exact = [x for x in self._excerpts if (x.start, x.end) == self.selection]
            if exact:
                return exact[0]
        p = self.point()
        if p is None:
            return None
        inside = [x for x in self._excerpts if x.start <= p < x.end]
        return min(inside, key=lambda x: x.end - x.start) if inside else None

    def _point_moved(self) -> None:
        ex = self.excerpt_at_point()
        key = ex.id if ex is not None else None
        if key != self._point_excerpt or ex is not None:
            self._point_excerpt = key
            self.post_message(self.PointChanged(self, ex))

    # -- selection --------------------------------------------------------------------
    def set_selection(self, start: int | None, end: int | None = None, *, scroll: bool = True) -> None:
        if start is None or end is None or end <= start:
            new = None
        else:
            n = len(self._text)
            new = (max(0, start), min(n, end))
            if new[1] <= new[0]:
                new = None
        if new == self.selection:
            return
        self.selection = new
        self._changed()
        if new is not None and scroll:
            self._keep_visible(new[1] - 1 if new[1] > new[0] else new[0])
        self.post_message(self.SelectionChanged(self, new))
        self._point_moved()

    def _keep_visible(self, pos: int) -> None:
        if self._layout_width <= 0:
            return
        line = self.line_of(pos)
        h = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + h:
            self.scroll_to(y=line - h + 1, animate=False, immediate=True)

    def _top_offset(self) -> int:
        top = int(self.scroll_y)
        for ln in self._lines[top:top + 50]:
            if ln[2] == TEXT:
                return ln[0]
        return self._lines[top][0] if 0 <= top < len(self._lines) else 0

    def _start_sentence(self) -> tuple[int, int] | None:
        """The sentence a new selection starts at: the located range, the current hit,
        or the first sentence beginning in view."""
        sents = self._ensure_sentences()
        if not sents:
            return (0, len(self._text)) if self._text.strip() else None
        if self.located is not None:
            pos = self.located[0]
        elif 0 <= self.hit_index < len(self._hits):
            pos = self._hits[self.hit_index][0]
        else:
            pos = self._top_offset()
            i = sentence_index(sents, pos)
            if sents[i][0] < pos and i + 1 < len(sents):
                h = max(1, self.scrollable_content_region.height)
                if self.line_of(sents[i + 1][0]) < int(self.scroll_y) + h:
                    return sents[i + 1]
            return sents[i]
        return sents[sentence_index(sents, pos)]

    def _sentence_span(self) -> tuple[int, int]:
        """Indexes of the first and last sentence the selection touches."""
        sents = self._ensure_sentences()
        a, b = self.selection or (0, 0)
        return sentence_index(sents, a), sentence_index(sents, max(a, b - 1))

    def _need_text(self) -> bool:
        if self.article is None or not self._text.strip():
            self.app.bell()
            return False
        return True

    def action_select(self) -> None:
        if self.selection is not None:
            self.set_selection(None)
            return
        if not self._need_text():
            return
        sent = self._start_sentence()
        if sent is not None:
            self.set_selection(*sent)

    def action_select_clear(self) -> None:
        if self.selection is not None:
            self.set_selection(None)
        elif self.located is not None:
            self.located = None
            self._changed()
            self._point_moved()
        else:
            raise SkipAction()

    def action_select_word(self) -> None:
        if not self._need_text():
            return
        if self.selection is None:
            sent = self._start_sentence()
            if sent is None:
                return
            end = next_word_end(self._text, sent[0], sent[1]) or sent[1]
            self.set_selection(sent[0], end)
            return
        a, b = self.selection
        end = next_word_end(self._text, b)
        if end is None:
            self.app.bell()
            return
        self.set_selection(a, end)

    def _shrink_word(self) -> None:
        a, b = self.selection
        end = prev_word_end(self._text, a, b)
        if end is None:
            self.app.bell()
            return
        self.set_selection(a, end)

    def _extend_sentence(self, forward: bool) -> None:
        sents = self._ensure_sentences()
        if not sents:
            return
        a, b = self.selection
        first, last = self._sentence_span()
        if forward:
            nxt = last + 1 if sents[last][1] <= b else last
            if nxt >= len(sents):
                self.app.bell()
                return
            self.set_selection(a, sents[nxt][1])
        else:
            if last <= first or sents[last - 1][1] <= a:
                self.app.bell()
                return
            self.set_selection(a, sents[last - 1][1])

    def _extend_start(self, up: bool) -> None:
        """J/K work on the start of the selection as j/k work on its end:
        K takes in the sentence before, J gives up the first sentence."""
        if not self._need_text():
            return
        if self.selection is None:
            self.action_select()
            return
        sents = self._ensure_sentences()
        a, b = self.selection
        first, last = self._sentence_span()
        if up:
            if a > sents[first][0]:
                self.set_selection(sents[first][0], b)
            elif first > 0:
                self.set_selection(sents[first - 1][0], b)
            else:
                self.app.bell()
        else:
            if first >= last:
                self.app.bell()
                return
            self.set_selection(sents[first + 1][0], b)

    def action_select_move_down(self) -> None:
        self._extend_start(up=False)

    def action_select_move_up(self) -> None:
        self._extend_start(up=True)

    def action_annotate(self) -> None:
        if self.article is None:
            self.app.bell()
            return
        ex = self.excerpt_at_point()
        if self.selection is not None:
            if ex is not None and (ex.start, ex.end) == self.selection:
                self.post_message(self.AnnotateRequested(self, self.article, ex.start, ex.end, ex))
            else:
                self.post_message(self.AnnotateRequested(self, self.article, *self.selection, None))
            return
        if ex is not None:
            self.post_message(self.AnnotateRequested(self, self.article, ex.start, ex.end, ex))
            return
        self.notify("select a passage first: v (then j/k, w/b), or click a sentence", markup=False, timeout=3)

    # -- mouse ------------------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> int | None:
        """Character offset at content cell (x, y) of the view (None outside the text)."""
        i = int(self.scroll_y) + y
        if not (0 <= i < len(self._lines)):
            return None
        s, e, kind = self._lines[i]
        if kind != TEXT:
            return s
        col = x - GUTTER
        if col <= 0:
            return s
        cells = 0
        text = self._text
        for k in range(s, e):
            cells += get_character_cell_size(text[k])
            if cells > col:
                return k
        return e

    def _event_offset(self, event: events.MouseEvent) -> int | None:
        o = event.get_content_offset(self)
        if o is None:
            return None
        return self.offset_at(o.x, o.y)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or self.article is None:
            return
        pos = self._event_offset(event)
        if pos is None:
            return
        self._drag = (pos, bool(event.shift))
        self._dragged = False
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag is None or not event.button:
            return
        pos = self._event_offset(event)
        if pos is None:
            return
        a = self._drag[0]
        if pos == a and not self._dragged:
            return
        self._dragged = True
        s, e = sorted((a, pos))
        text = self._text
        while s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-.,") and text[s].isalnum():
            s -= 1
        while e < len(text) and text[e].isalnum():
            e += 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        self.set_selection(s, e, scroll=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag is None:
            return
        pos, shift = self._drag
        self._drag = None
        self.release_mouse()
        if self._dragged:
            return
        sents = self._ensure_sentences()
        if not sents:
            return
        sent = sents[sentence_index(sents, pos)]
        if shift and self.selection is not None:
            a, b = self.selection
            self.set_selection(min(a, sent[0]), max(b, sent[1]), scroll=False)
        else:
            self.set_selection(*sent, scroll=False)

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
        self._point_moved()
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
        if self.selection is not None:
            self._extend_sentence(True)
            return
        self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        if self.selection is not None:
            self._extend_sentence(False)
            return
        self.scroll_to(y=max(0, self.scroll_y - 1), animate=False, immediate=True)

    def action_cursor_first(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_cursor_last(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_page_down(self) -> None:
        h = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=min(self.max_scroll_y, self.scroll_y + h), animate=False, immediate=True)

    def action_page_up(self) -> None:
        if self.selection is not None:
            self._shrink_word()
            return
        h = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(0, self.scroll_y - h), animate=False, immediate=True)

    # -- rendering --------------------------------------------------------------------
    _COMPONENTS = {"hit": "reader--hit", "cur": "reader--current-hit", "dim": "reader--boilerplate",
                   "dup": "reader--duplicate", "placeholder": "reader--placeholder", "gutter": "reader--gutter",
                   "selection": "reader--selection", "located": "reader--located", "reuse": "reader--reuse",
                   "claim": "reader--claim", "conflict": "reader--conflict",
                   "gutter-conflict": "reader--gutter-conflict"}

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
        return self._tint(colour, 0.55, 0.40)

    def _tint(self, colour: str, dark_amount: float, light_amount: float) -> Style:
        """A background tint of a named colour blended with the theme background, text in
        the contrasting colour: legible on dark and light themes."""
        base = Color.parse(PALETTE.get(colour, PALETTE["yellow"]))
        bg_rich = self.style("base").bgcolor
        bg = Color.from_rich_color(bg_rich) if bg_rich is not None else Color(0, 0, 0)
        dark = bg.brightness < 0.5
        tint = bg.blend(base, dark_amount if dark else light_amount)
        fg = Color(255, 255, 255) if tint.brightness < 0.55 else Color(0, 0, 0)
        return Style(bgcolor=tint.rich_color, color=fg.rich_color)

    def excerpt_style(self, colour: str) -> Style:
        key = "\0excerpt:" + colour
        st = self._group_styles.get(key)
        if st is None:
            st = self._tint(colour, 0.40, 0.30)
            self._group_styles[key] = st
        return st

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
        """▶ on the line of the current hit (or of the located range), ≠ on a line with a
        conflicting number, ✎ where an excerpt starts."""
        s, e, kind = self._lines[i]
        if kind == BLANK:
            return Strip.blank(GUTTER, self.style("base"))
        e1 = max(e, s + 1)
        if 0 <= self.hit_index < len(self._hits):
            hs = self._hits[self.hit_index][0]
            if s <= hs < e1:
                return Strip([Segment("▶ ", self.style("gutter"))], GUTTER)
        if self.located is not None and s <= self.located[0] < e1:
            return Strip([Segment("▶ ", self.style("gutter"))], GUTTER)
        conf = self._gutter_marks.get("conflict")
        if conf:
            j = bisect_left(conf, s)
            if j < len(conf) and conf[j] < e1:
                return Strip([Segment("≠ ", self.style("gutter-conflict"))], GUTTER)
        for x in self._excerpts:
            if x.start >= e1:
                break
            if s <= x.start:
                return Strip([Segment("✎ ", self.excerpt_style(x.colour))], GUTTER)
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
        for x in self._excerpts:
            if x.start >= e:
                break
            if x.end > s:
                layers.append((max(x.start, s), min(x.end, e), self.excerpt_style(x.colour)))
        for a, b, g in self._overlapping(self._kw, self._kw_ends, s, e):
            layers.append((a, b, self.group_style(g)))
        if self._marks:
            order = {"claim": 0, "reuse": 1, "conflict": 2}
            found = []
            for a, b, k in self._marks:
                if a >= e:
                    break
                if b > s:
                    found.append((order.get(k, 0), max(a, s), min(b, e), k))
            found.sort()
            for _, a, b, k in found:
                if k != "conflict":
                    layers.append((a, b, self.style(k)))
        if self.located is not None and self.located[0] < e and self.located[1] > s:
            layers.append((max(self.located[0], s), min(self.located[1], e), self.style("located")))
        if self._marks:
            for _, a, b, k in found:
                if k == "conflict":
                    layers.append((a, b, self.style(k)))
        if self._hits:
            hit = self.style("hit")
            cur = self.style("cur")
            j = bisect_right(self._hit_ends, s)
            while j < len(self._hits) and self._hits[j][0] < e:
                a, b = self._hits[j]
                layers.append((max(a, s), min(b, e), cur if j == self.hit_index else hit))
                j += 1
        sel = self.selection
        if sel is not None and sel[0] < e and sel[1] > s:
            layers.append((max(sel[0], s), min(sel[1], e), self.style("selection")))
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
             title_hits: Sequence[tuple[int, int]] = (), sentences: Sequence[tuple[int, int]] | None = None,
             excerpts: Sequence | None = None) -> None:
        """Show ``article`` with the search ``hits`` (offsets into its text), the keyword
        group spans (start, end, group name), optionally hits in its title, its sentences
        (for the selection) and its excerpts ([(Excerpt, Anchor)])."""
        self.query_text = query
        hit_style = self.body.style("hit") if title_hits else None
        self.query_one(ReaderHeader).set_article(article, title_hits, hit_style)
        self.body.set_article(article, hits, keyword_spans, sentences=sentences, excerpts=excerpts)
        self._update_legend()

    def set_excerpts(self, pairs: Sequence) -> None:
        self.body.set_excerpts(pairs)
        self._update_legend()

    def locate(self, start: int, end: int) -> None:
        """Scroll to ``start..end`` and highlight it (a claim's sentence, an excerpt)."""
        self.body.locate(start, end)

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

    def on_reader_body_selection_changed(self, event: ReaderBody.SelectionChanged) -> None:
        self._update_legend()

    def on_reader_body_excerpts_changed(self, event: ReaderBody.ExcerptsChanged) -> None:
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
            parts.append(" ")
        parts.extend(excerpt_legend(body))
        legend = Text.assemble(*parts, no_wrap=True, overflow="ellipsis")
        if legend != self._legend:
            self._legend = legend
            self.query_one(ReaderLegend).update(legend, layout=False)


def excerpt_legend(body: ReaderBody) -> list:
    """Legend parts for excerpts and the selection (empty when there is neither)."""
    parts: list = []
    n = len(body._excerpts)
    if n:
        colour = body._excerpts[0].colour
        parts.append((f" ✎ {n} excerpt{'s' if n != 1 else ''} ", body.excerpt_style(colour)))
        parts.append(" ")
    if body.orphaned:
        k = len(body.orphaned)
        parts.append((f" {k} orphaned (e: list) ", "bold"))
        parts.append(" ")
    if body.selection is not None:
        a, b = body.selection
        parts.append((f" selection: {b - a} characters · a: annotate · esc: clear ", body.style("selection")))
    return parts


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
