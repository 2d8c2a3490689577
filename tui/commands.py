"""Command palette (ctrl+p): every action of the keymap, found by its description or id.

Textual parses a hit's ``help`` as markup: it is built from our own key names and ids
only, and escaped."""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from .keymap import KEYMAP, display_keys, effective_keys


class KeymapCommands(Provider):
    """Offers every keymap entry (with its current key) as a command."""

    def _entries(self):
        keymap = getattr(self.app, "keymap_ids", {})
        for spec in KEYMAP:
            if spec.palette:
                yield spec, display_keys(effective_keys(spec, keymap))

    async def discover(self) -> Hits:
        for spec, keys in self._entries():
            yield DiscoveryHit(Text(spec.description), partial(self.app.run_keymap_action, spec.id),
                               help=escape(f"{keys}  ·  {spec.id}"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec, keys in self._entries():
            score = max(matcher.match(spec.description), matcher.match(spec.id) * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(spec.description),
                          partial(self.app.run_keymap_action, spec.id),
                          help=escape(f"{keys}  ·  {spec.id}"))
