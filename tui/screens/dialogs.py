"""Small dialogs: help (generated from the keymap), the outlet filter picker and the
list of skipped files.  Every label is a ``Text`` built from plain strings."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..keymap import KEYMAP, SCOPES, VIEWS, bindings_for, display_keys, effective_keys
from ..widgets.safe import one_line

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 110; height: 85%; border: thick $accent; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; color: $accent; height: auto; padding: 0 0 1 0; }}
{name} .dialog-hint {{ color: $text-muted; height: 1; }}
"""


class PickerList(OptionList):
    """An OptionList that answers to the same movement keys as the article list."""

    BINDINGS = bindings_for("list")

    def action_cursor_first(self) -> None:
        self.action_first()

    def action_cursor_last(self) -> None:
        self.action_last()

    def action_open(self) -> None:
        self.action_select()


class HelpScreen(ModalScreen[None]):
    """Every binding, generated from ``tui.keymap.KEYMAP`` with the user's overrides."""

    DEFAULT_CSS = DIALOG_CSS.format(name="HelpScreen") + """
    HelpScreen #help-body { height: 1fr; }
    """
    BINDINGS = bindings_for("dialog") + [
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
        Binding("j,down", "scroll_down", show=False),
        Binding("k,up", "scroll_up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Keys  ·  every binding (rebind by id in config.yaml → keys:)"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_text(getattr(self.app, "keymap_ids", {})), id="help-text")
            yield Static(Text("esc / q / ?: close   ·   ctrl+p: command palette   ·   the mouse works too"),
                         classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one("#help-body").scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body").scroll_up(animate=False)


def help_text(keymap: dict[str, str]) -> Text:
    t = Text()
    first = True
    for scope, title in SCOPES.items():
        specs = [s for s in KEYMAP if s.scopes[0] == scope]
        if not specs:
            continue
        if not first:
            t.append("\n")
        first = False
        t.append(title + "\n", style="bold underline")
        for s in specs:
            keys = display_keys(effective_keys(s, keymap))
            where = ""
            if len(s.scopes) > 1:
                where = "  (" + ", ".join(SCOPES[x].lower() for x in s.scopes) + ")"
            if s.views:
                where += "  (" + ", ".join(VIEWS[v] for v in s.views) + ")"
            t.append(f"  {keys:<18}", style="bold")
            t.append(f" {s.description}{where}")
            t.append(f"  [{s.id}]\n", style="dim")
    return t


class OutletPicker(ModalScreen[str | None]):
    """Choose one outlet (or all of them).  Dismisses with the outlet, "" for all, or None."""

    ALL = ""
    DEFAULT_CSS = DIALOG_CSS.format(name="OutletPicker") + """
    OutletPicker > Vertical { height: auto; max-height: 85%; width: 70; }
    OutletPicker PickerList { height: auto; max-height: 30; }
    """
    BINDINGS = bindings_for("dialog")

    def __init__(self, outlets: list[tuple[str, int]], current: str | None, total: int):
        super().__init__()
        self.outlets = outlets
        self.current = current
        self.total = total

    def compose(self) -> ComposeResult:
        options = [Option(Text.assemble(("all outlets", "bold"), f"  ({self.total})"), id="\0all")]
        for i, (name, n) in enumerate(self.outlets):
            options.append(Option(Text.assemble(one_line(name), (f"  ({n})", "dim")), id=f"o{i}"))
        with Vertical():
            yield Static(Text("Filter by outlet"), classes="dialog-title")
            yield PickerList(*options, id="outlet-options")
            yield Static(Text("enter: choose   esc: cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        ol = self.query_one(PickerList)
        idx = 0
        if self.current is not None:
            for i, (name, _) in enumerate(self.outlets):
                if name == self.current:
                    idx = i + 1
        ol.highlighted = idx
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid == "\0all":
            self.dismiss(self.ALL)
        else:
            self.dismiss(self.outlets[int(oid[1:])][0])

    def action_close(self) -> None:
        self.dismiss(None)


class SkippedScreen(ModalScreen[None]):
    """The files the index could not use, with the reason for each."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SkippedScreen") + """
    SkippedScreen PickerList { height: 1fr; }
    """
    BINDINGS = bindings_for("dialog") + [Binding("q", "close", "Close", show=False)]

    def __init__(self, skipped: list[tuple[str, str]]):
        super().__init__()
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        n = len(self.skipped)
        with Vertical():
            yield Static(Text(f"{n} file{'s' if n != 1 else ''} skipped by the index"), classes="dialog-title")
            options = [Option(Text.assemble((one_line(p), "bold"), "\n   ", (one_line(r), "italic")))
                       for p, r in self.skipped] or [Option(Text("no file was skipped"), disabled=True)]
            yield PickerList(*options, id="skipped-options")
            yield Static(Text("esc / q: close"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(PickerList).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ArticlePicker(ModalScreen[str | None]):
    """Choose one article (type to filter by title, outlet, date or id).  Dismisses with
    its id, or None."""

    LIMIT = 500
    DEFAULT_CSS = DIALOG_CSS.format(name="ArticlePicker") + """
    ArticlePicker #picker-filter { margin: 0 0 1 0; }
    ArticlePicker PickerList { height: 1fr; }
    """
    BINDINGS = bindings_for("dialog") + [Binding("down", "to_list", show=False)]

    def __init__(self, rows: list, title: str):
        super().__init__()
        self.rows = rows
        self.title_text = title
        self.shown: list = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Input(placeholder="type to filter: title, outlet, date, id", id="picker-filter")
            yield PickerList(id="picker-options")
            yield Static(Text("enter: choose   ↓: to the list   esc: cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, needle: str) -> None:
        n = needle.casefold().strip()
        out = []
        for r in self.rows:
            if not n or n in r.tkey or n in r.outlet.casefold() or n in r.date or n in r.id.casefold():
                out.append(r)
                if len(out) >= self.LIMIT:
                    break
        self.shown = out
        ol = self.query_one(PickerList)
        ol.clear_options()
        ol.add_options([Option(Text.assemble((f"{r.date or '—':<10} ", "dim"), (f"{r.outlet[:16]:<16} ", "bold"),
                                             r.title)) for r in out]
                       or [Option(Text("no article matches"), disabled=True)])
        if out:
            ol.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.shown:
            self.dismiss(self.shown[self.query_one(PickerList).highlighted or 0].id)

    def action_to_list(self) -> None:
        self.query_one(PickerList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.dismiss(self.shown[event.option_index].id)

    def action_close(self) -> None:
        self.dismiss(None)
