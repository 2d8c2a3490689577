"""The status line above the footer: what the index is doing (with a progress bar while
indexing), how many articles are listed, the sort, the outlet filter, skipped files."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class StatusLine(Horizontal):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; }
    StatusLine > #status-text { width: 1fr; height: 1; padding: 0 1; }
    StatusLine > ProgressBar { width: 44; height: 1; display: none; }
    StatusLine.-indexing > ProgressBar { display: block; }
    """

    message = ""

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="status-text")
        yield ProgressBar(total=None, show_eta=False, id="status-progress")

    def set_text(self, message: str) -> None:
        if message == self.message:
            return
        self.message = message
        self.query_one("#status-text", Static).update(Text(message, no_wrap=True, overflow="ellipsis"),
                                                      layout=False)

    def progress(self, done: int | None, total: int | None) -> None:
        """``done=None`` hides the bar."""
        bar = self.query_one(ProgressBar)
        if done is None:
            self.remove_class("-indexing")
            return
        self.add_class("-indexing")
        bar.update(total=total or None, progress=done)
