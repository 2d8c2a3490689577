"""The search box: an ``Input`` and a status line under it (the query's error in the
warning colour, a repair notice, or the number of matches)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..keymap import bindings_for

PLACEHOLDER = 'search: Soldaten AND outlet:dpa, "12.000 Soldaten", date:[2024-10 to 2024-11]   (/ to focus)'


class SearchInput(Input):
    BINDINGS = bindings_for("search")

    class Escaped(Message):
        """esc in the box: ``cleared`` is True when it emptied the box."""

        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    class Done(Message):
        pass

    def action_search_escape(self) -> None:
        if self.value:
            self.value = ""
            self.post_message(self.Escaped(True))
        else:
            self.post_message(self.Escaped(False))

    def action_search_done(self) -> None:
        self.post_message(self.Done())


class SearchStatus(Static):
    DEFAULT_CSS = """
    SearchStatus { height: 1; padding: 0 1; color: $text-muted; }
    SearchStatus.-error { color: $text-warning; background: $warning-muted; text-style: bold; }
    SearchStatus.-notice { color: $text-warning; }
    """


class SearchBar(Vertical):
    DEFAULT_CSS = """
    SearchBar { height: auto; }
    SearchBar > SearchInput { border: tall $border-blurred; height: 3; }
    SearchBar > SearchInput:focus { border: tall $accent; }
    """

    status_message = ""
    status_kind = "info"

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False)
        yield SearchStatus(Text(""), id="search-status")

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def value(self) -> str:
        return self.input.value

    def set_status(self, message: str, kind: str = "info") -> None:
        """kind: "info", "notice" (a repaired query) or "error" (the query is not valid)."""
        if (message, kind) == (self.status_message, self.status_kind):
            return
        self.status_message = message
        self.status_kind = kind
        st = self.query_one(SearchStatus)
        st.set_class(kind == "error", "-error")
        st.set_class(kind == "notice", "-notice")
        st.update(Text(message, no_wrap=True, overflow="ellipsis"), layout=False)
