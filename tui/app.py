"""``CoverageApp``: the keyboard-driven Textual app over an opened ``index.service.Corpus``.

``CoverageApp(corpus, initial_query=None).run()``.  The app paints at once; indexing,
searching and loading articles run in thread workers (see ``tui.screens.main``).
Presentation only: every piece of data comes from the ``Corpus`` facade.
"""
from __future__ import annotations

from textual.app import App
from textual.widget import Widget

from .commands import KeymapCommands
from .keymap import BY_ID, bindings_for, display_keys, effective_keys, resolve_keymap
from .screens.dialogs import HelpScreen
from .screens.main import MainScreen


class CoverageApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "coverage-tui"
    BINDINGS = bindings_for("app")
    COMMANDS = App.COMMANDS | {KeymapCommands}

    def __init__(self, corpus, *, initial_query: str | None = None):
        super().__init__()
        self.corpus = corpus
        self.initial_query = initial_query
        self.keymap_ids, self.keymap_warnings = resolve_keymap(getattr(corpus.config, "keys", None) or {})
        self.main_screen = MainScreen(corpus, initial_query=initial_query)
        self.last_export: str | None = None     # where the last export was written

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    def on_mount(self) -> None:
        self.set_keymap(self.keymap_ids)
        theme = getattr(self.corpus.config, "theme", None)
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                names = ", ".join(sorted(self.available_themes))
                self.notify(f"theme {theme!r} is not known; using the default (known: {names})",
                            severity="warning", markup=False, timeout=10)
        for w in self.keymap_warnings:
            self.notify(w, severity="warning", markup=False, timeout=10)

    def key_for(self, binding_id: str) -> str:
        """The key(s) a binding has now (after the user's overrides), for messages."""
        return display_keys(effective_keys(BY_ID[binding_id], self.keymap_ids))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def run_keymap_action(self, binding_id: str) -> None:
        """Run the action of a keymap entry on the node it belongs to (command palette)."""
        spec = BY_ID[binding_id]
        target = self._target_for(spec.scopes, spec.action)
        await self.run_action(spec.action, target)

    def _target_for(self, scopes: tuple[str, ...], action: str = ""):
        main = self.main_screen
        if "app" in scopes:
            return self
        name = action.rpartition(".")[2]
        screen = self.screen
        if screen is not main and name:
            # a view is open (comparison, matrix, excerpts): its focused widget or the view
            node = screen.focused
            while node is not None and node is not screen:
                if hasattr(node, f"action_{name}"):
                    return node
                node = node.parent
            if hasattr(screen, f"action_{name}"):
                return screen
        if "main" in scopes:
            return main
        focused: Widget | None = main.focused
        lst = main.article_list
        body = main.reader.body
        if "reader" in scopes and focused is body:
            return body
        if "list" in scopes:
            return lst
        if "reader" in scopes:
            return body
        return main
