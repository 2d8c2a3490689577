"""The annotation form (note, tags with completion, colour) and the code that saves what
it returns, shared by every screen holding a reader body (main screen, comparison).

``a`` on a selection posts ``ReaderBody.AnnotateRequested``; a screen mixing in
``AnnotationHost`` opens ``AnnotationForm`` and saves in a thread worker through
``Corpus.add_excerpt`` / ``ExcerptStore.update`` (the store locks and writes the file).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DataTable, Input, Label, RadioButton, RadioSet, Static, TextArea

from index.excerpts import COLOURS, ExcerptError, normalise_tags
from index.views import canonical_tags, complete_tag

from ..keymap import bindings_for
from ..widgets.reader import PALETTE, ReaderBody
from ..widgets.safe import one_line, visible
from .dialogs import DIALOG_CSS


class ViewTable(DataTable, inherit_bindings=False):
    """A DataTable whose ``enter`` is left to the view (its keymap entry ``open_in_reader``,
    which shows in the footer and can be rebound); a click still selects."""

    BINDINGS = [b for b in DataTable.BINDINGS if "enter" not in getattr(b, "key", "").split(",")]


class ChoiceSet(RadioSet):
    """A RadioSet whose arrow keys choose at once (no enter needed), starting at the
    button that is on."""

    _ready = False

    def on_mount(self) -> None:
        self.call_after_refresh(self._sync)

    def _sync(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
        self._ready = True

    def _choose(self) -> None:
        if self._ready and self._selected is not None:
            node = self._nodes[self._selected]
            if isinstance(node, RadioButton) and node is not self.pressed_button:
                self.action_toggle_button()

    def action_next_button(self) -> None:
        super().action_next_button()
        self._choose()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._choose()


class TagSuggester(Suggester):
    """Completes the tag being typed ("krieg, nor" → "krieg, nordkorea") from the tags in use."""

    def __init__(self, tags: list[str]):
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_tag(value, self.tags)


@dataclass
class FormResult:
    note: str
    tags: list[str]
    colour: str


class AnnotationForm(ModalScreen[FormResult | None]):
    """New excerpt or edit of one: the quote (read-only), note, tags, colour.
    ``ctrl+s`` (or enter in the tags field) saves, ``esc`` cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AnnotationForm") + """
    AnnotationForm > Vertical { height: auto; max-height: 95%; width: 90%; max-width: 100; }
    AnnotationForm #form-quote { height: auto; max-height: 6; color: $text-muted; border-left: thick $accent;
                                 padding: 0 1; margin: 0 0 1 0; }
    AnnotationForm Label { color: $text-muted; padding: 0 0 0 1; }
    AnnotationForm #form-note { height: 7; }
    AnnotationForm #form-colour { layout: horizontal; height: auto; width: 1fr; }
    AnnotationForm #form-colour RadioButton { width: auto; margin: 0 2 0 0; }
    AnnotationForm #form-error { color: $text-error; height: auto; }
    """
    BINDINGS = bindings_for("dialog", view="form")

    def __init__(self, quote: str, title: str | None, *, note: str = "", tags: list[str] | None = None,
                 colour: str = "yellow", existing_tags: list[str] | None = None, editing: bool = False):
        super().__init__()
        self.quote = quote
        self.article_title = title or ""
        self.note = note
        self.tags = list(tags or [])
        self.colour = colour if colour in COLOURS else COLOURS[0]
        self.existing_tags = list(existing_tags or [])
        self.editing = editing

    def compose(self) -> ComposeResult:
        q = " ".join(visible(self.quote).split())
        if len(q) > 400:
            q = q[:399] + "…"
        with Vertical():
            head = "Edit excerpt" if self.editing else "New excerpt"
            yield Static(Text.assemble(head, (f"  ·  {one_line(self.article_title)}", "dim")),
                         classes="dialog-title")
            yield Static(Text(q), id="form-quote")
            yield Label(Text("Note"))
            yield TextArea(self.note, id="form-note", soft_wrap=True, show_line_numbers=False)
            yield Label(Text("Tags (comma-separated; → takes the suggestion)"))
            yield Input(", ".join(self.tags), id="form-tags", placeholder="e.g. zahlen, quelle",
                        suggester=TagSuggester(self.existing_tags))
            yield Label(Text("Colour"))
            with ChoiceSet(id="form-colour"):
                for c in COLOURS:
                    yield RadioButton(Text.assemble(("■ ", PALETTE.get(c, "")), c), value=(c == self.colour), name=c)
            yield Static(Text(""), id="form-error")
            yield Static(Text("ctrl+s or enter in Tags: save   ·   esc: cancel   ·   tab: next field"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#form-note", TextArea).focus()

    def result(self) -> FormResult:
        note = self.query_one("#form-note", TextArea).text
        tags = normalise_tags(self.query_one("#form-tags", Input).value)
        rs = self.query_one("#form-colour", RadioSet)
        btn = rs.pressed_button
        colour = (btn.name if btn is not None and btn.name in COLOURS else self.colour)
        return FormResult(note, tags, colour)

    def action_save(self) -> None:
        try:
            res = self.result()
        except ExcerptError as exc:
            self.query_one("#form-error", Static).update(Text(one_line(str(exc))))
            return
        self.dismiss(res)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass
class ExcerptSaved(Message):
    body: ReaderBody | None
    article_id: str
    excerpt_id: str | None
    pairs: list
    error: str | None = None
    notice: str | None = None
    warning: str | None = None
    editing: bool = False


class AnnotationHost:
    """Mixin for screens that hold reader bodies: ``a`` → form → saved excerpt, redrawn."""

    def on_reader_body_annotate_requested(self, event: ReaderBody.AnnotateRequested) -> None:
        event.stop()
        corpus = self.app.corpus
        existing = None
        try:
            if event.excerpt is not None:
                existing = corpus.excerpts.get(event.excerpt.id)
            known = corpus.excerpts.tags()
        except ExcerptError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False, timeout=8)
            return
        quote = event.article.text[event.start:event.end]
        if existing is not None:
            form = AnnotationForm(existing.quote, event.article.title, note=existing.note, tags=existing.tags,
                                  colour=existing.colour, existing_tags=known, editing=True)
        else:
            form = AnnotationForm(quote, event.article.title, existing_tags=known)

        def done(res: FormResult | None) -> None:
            if res is None:
                return
            self.run_worker(partial(self._save_excerpt_work, event.body, event.article.id, event.start,
                                    event.end, existing.id if existing is not None else None, res),
                            thread=True, group="excerpts", name="save-excerpt", exit_on_error=False)

        self.app.push_screen(form, done)

    def _save_excerpt_work(self, body, article_id: str, start: int, end: int, excerpt_id: str | None,
                           res: FormResult) -> None:
        corpus = self.app.corpus
        try:
            store = corpus.excerpts
            tags = canonical_tags(res.tags, store.tags())
            if excerpt_id is not None:
                ex = store.update(excerpt_id, note=res.note, tags=tags, colour=res.colour)
            else:
                ex = corpus.add_excerpt(article_id, start, end, note=res.note, tags=tags, colour=res.colour)
            pairs = corpus.anchored_excerpts(article_id)
            self.post_message(ExcerptSaved(body, article_id, ex.id, pairs, None, store.notice, store.warning,
                                           excerpt_id is not None))
        except (ExcerptError, KeyError, OSError) as exc:
            msg = " ".join(str(exc).split()) or exc.__class__.__name__
            self.post_message(ExcerptSaved(body, article_id, None, [], msg))

    def on_excerpt_saved(self, msg: ExcerptSaved) -> None:
        if msg.error:
            self.notify(f"excerpt not saved: {msg.error}", severity="error", markup=False, timeout=10)
            return
        for body in self.query(ReaderBody):
            if body.article is not None and body.article.id == msg.article_id:
                body.set_selection(None)
                body.set_excerpts(msg.pairs)
        if msg.warning:
            self.notify(one_line(msg.warning), severity="warning", markup=False, timeout=15)
        if msg.notice:
            self.notify(one_line(msg.notice), severity="warning", markup=False, timeout=10)
        self.notify("excerpt updated" if msg.editing else "excerpt saved (e: excerpts pane)", markup=False,
                    timeout=3)
        self.excerpts_changed()

    def excerpts_changed(self) -> None:
        """Hook: the screen refreshes whatever shows excerpts."""
