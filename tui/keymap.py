"""Every key binding of the app in one table: binding id → default keys → action → description.

The widgets build their ``BINDINGS`` from this table (``bindings_for(scope)``), the help
screen is generated from it, and the command palette offers every entry.  A user rebinds
a key in ``config.yaml``::

    keys:
      next_hit: ctrl+n
      sort: S

``resolve_keymap(config.keys)`` checks the overrides: an unknown id or a key Textual
cannot bind becomes a one-line warning (shown as a notification), never a crash.

The views pushed over the main screen (comparison, claims matrix, excerpts pane,
annotation form, export dialog) share the scope "dialog"; ``KeySpec.views`` says which of
them a binding belongs to (no views: every dialog), and ``bindings_for("dialog", view=…)``
gives one view its bindings.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys, _character_to_key, format_key

#: Keys kept free for views still to come (none: the comparison view, claims matrix and
#: excerpts pane took the keys that were reserved for them: c m e v a x [ ]).
RESERVED_KEYS: tuple[str, ...] = ()

#: Where a binding lives.  "app": everywhere; "main": the main screen; "list": the article
#: list has focus; "reader": the reader has focus; "search": the search box has focus;
#: "dialog": a dialog (help, outlet filter, skipped files) is open.
SCOPES = {
    "app": "Everywhere",
    "main": "Main screen",
    "list": "Article list",
    "reader": "Reader",
    "search": "Search box",
    "dialog": "Dialogs and views",
}

#: The views of the "dialog" scope (``KeySpec.views``), for the help screen.
VIEWS = {
    "compare": "comparison",
    "matrix": "claims matrix",
    "excerpts": "excerpts pane",
    "form": "annotation form / export dialog",
}


@dataclass(frozen=True)
class KeySpec:
    id: str
    keys: str                  # default key(s), comma-separated Textual key names
    action: str                # action name (run on the scope's node)
    description: str
    scopes: tuple[str, ...]
    show: bool = False         # shown in the footer
    priority: bool = False
    palette: bool = True       # offered in the command palette
    views: tuple[str, ...] = ()  # "dialog" scope: the views it belongs to (none: every dialog)


KEYMAP: tuple[KeySpec, ...] = (
    KeySpec("quit", "q", "quit", "Quit", ("app",), show=True),
    KeySpec("help", "question_mark", "help", "Help: every key binding", ("app",), show=True),
    KeySpec("command_palette", "ctrl+p", "command_palette", "Command palette", ("app",),
            priority=True, palette=False),
    KeySpec("search", "slash", "focus_search", "Search (query language of the index)", ("main",), show=True),
    KeySpec("next_hit", "n", "next_hit", "Next search hit in the reader", ("main",), show=True),
    KeySpec("prev_hit", "N", "prev_hit", "Previous search hit in the reader", ("main",), show=True),
    KeySpec("sort", "s", "cycle_sort", "Sort the list: date, outlet, title, relevance", ("main",), show=True),
    KeySpec("filter_outlet", "o", "filter_outlet", "Filter the list by outlet", ("main",), show=True),
    KeySpec("focus_next", "tab", "app.focus_next", "Next pane", ("main",)),
    KeySpec("focus_previous", "shift+tab", "app.focus_previous", "Previous pane", ("main",)),
    KeySpec("focus_list", "ctrl+l", "focus_list", "Go to the article list", ("main",)),
    KeySpec("focus_reader", "ctrl+r", "focus_reader", "Go to the reader", ("main",)),
    KeySpec("skipped_files", "i", "skipped_files", "Index report: files that were skipped", ("main",)),
    KeySpec("reindex", "ctrl+u", "reindex", "Update the index from the files now", ("main",)),
    KeySpec("compare", "c", "compare", "Compare: mark this article as A, then c on another opens both side by side",
            ("main",), show=True),
    KeySpec("compare_choose", "C", "compare_choose", "Compare this article with one chosen from a list",
            ("main",)),
    KeySpec("matrix", "m", "matrix", "Claims matrix: claim groups × articles (the search's articles when searching)",
            ("main",), show=True),
    KeySpec("excerpts", "e", "excerpts", "Excerpts pane: every saved excerpt", ("main",), show=True),
    KeySpec("export", "x", "export", "Export the excerpts (Markdown, JSON, CSV) to a file", ("main", "dialog"),
            show=True, views=("excerpts",)),
    KeySpec("cursor_down", "j,down", "cursor_down", "Down one line (while selecting: extend by a sentence)",
            ("list", "reader")),
    KeySpec("cursor_up", "k,up", "cursor_up", "Up one line (while selecting: shrink by a sentence)",
            ("list", "reader")),
    KeySpec("cursor_first", "g,home", "cursor_first", "To the top", ("list", "reader")),
    KeySpec("cursor_last", "G,end", "cursor_last", "To the bottom", ("list", "reader")),
    KeySpec("page_down", "pagedown,space", "page_down", "Page down", ("list", "reader")),
    KeySpec("page_up", "pageup,b", "page_up", "Page up (while selecting: shrink the end by a word)",
            ("list", "reader")),
    KeySpec("open", "enter", "open", "Open the article in the reader", ("list",)),
    KeySpec("select", "v", "select", "Select: start at the sentence in view or at the current hit (again: clear)",
            ("reader",)),
    KeySpec("select_word", "w", "select_word", "Selection: extend the end by a word", ("reader",)),
    KeySpec("select_move_down", "J", "select_move_down", "Selection: start one sentence later (shrink from the top)", ("reader",)),
    KeySpec("select_move_up", "K", "select_move_up", "Selection: start one sentence earlier (extend upwards)", ("reader",)),
    KeySpec("select_clear", "escape", "select_clear", "Selection: clear it", ("reader",), palette=False),
    KeySpec("annotate", "a", "annotate", "Annotate the selection (or edit the excerpt under it)", ("reader",)),
    KeySpec("search_done", "enter", "search_done", "Keep the results, go to the list", ("search",), palette=False),
    KeySpec("search_escape", "escape", "search_escape", "Clear the search (again: leave the box)",
            ("search",), palette=False),
    KeySpec("close", "escape", "close", "Close the dialog or view (a form: cancel)", ("dialog",), palette=False),
    KeySpec("back", "q", "close", "Close the view, back to the articles", ("dialog",), palette=False, show=True,
            views=("compare", "matrix", "excerpts")),
    KeySpec("next_pair", "right_square_bracket", "next_pair", "Comparison: next aligned pair (both sides scroll)",
            ("dialog",), show=True, views=("compare",)),
    KeySpec("prev_pair", "left_square_bracket", "prev_pair", "Comparison: previous aligned pair",
            ("dialog",), show=True, views=("compare",)),
    KeySpec("switch_side", "tab", "switch_side", "Comparison: switch between the two sides", ("dialog",),
            views=("compare",)),
    KeySpec("open_in_reader", "enter", "open_in_reader", "Open the reader at this claim or excerpt",
            ("dialog",), show=True, views=("matrix", "excerpts")),
    KeySpec("table_down", "j,down", "table_down", "Down a row (matrix, excerpts)", ("dialog",),
            views=("matrix", "excerpts")),
    KeySpec("table_up", "k,up", "table_up", "Up a row", ("dialog",), views=("matrix", "excerpts")),
    KeySpec("table_left", "h,left", "table_left", "Left a column (matrix)", ("dialog",), views=("matrix",)),
    KeySpec("table_right", "l,right", "table_right", "Right a column (matrix)", ("dialog",), views=("matrix",)),
    KeySpec("table_page_down", "pagedown", "table_page_down", "Page down (matrix, excerpts)", ("dialog",),
            views=("matrix", "excerpts")),
    KeySpec("table_page_up", "pageup", "table_page_up", "Page up (matrix, excerpts)", ("dialog",),
            views=("matrix", "excerpts")),
    KeySpec("edit_excerpt", "a", "edit_excerpt", "Excerpts: edit note, tags and colour", ("dialog",), show=True,
            views=("excerpts",)),
    KeySpec("delete_excerpt", "d", "delete_excerpt", "Excerpts: delete (u undoes)", ("dialog",), show=True,
            views=("excerpts",)),
    KeySpec("undo_delete", "u", "undo_delete", "Excerpts: undo the last delete", ("dialog",), show=True,
            views=("excerpts",)),
    KeySpec("filter_excerpts", "slash", "focus_filter", "Excerpts: filter (#tag, @article, words)",
            ("dialog",), show=True, views=("excerpts",)),
    KeySpec("save", "ctrl+s", "save", "Save the annotation / write the export", ("dialog",), show=True,
            priority=True, palette=False, views=("form",)),
)

BY_ID: dict[str, KeySpec] = {k.id: k for k in KEYMAP}
assert len(BY_ID) == len(KEYMAP), "binding ids must be unique"

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED_KEYS = {k.value.rpartition("+")[2] for k in Keys} | {
    "enter", "space", "tab", "escape", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right",
} | {f"f{i}" for i in range(1, 25)} | set(KEY_NAME_REPLACEMENTS.values())


class KeyError_(ValueError):
    """A key string Textual cannot bind; ``str(exc)`` is one line."""


def normalise_key(key: str) -> str:
    """One key ("?", "ctrl+n", "question_mark", "G") → Textual's key name; raises KeyError_."""
    k = key.strip()
    if not k:
        raise KeyError_("empty key")
    if len(k) == 1:
        if not k.isprintable() or k.isspace():
            raise KeyError_(f"{k!r} is not a key")
        return _character_to_key(k)
    parts = k.split("+")
    if k.endswith("+"):  # "ctrl++"
        parts = k[:-2].split("+") + ["+"]
    *mods, base = parts
    bad = [m for m in mods if m.lower() not in _MODIFIERS]
    if bad:
        raise KeyError_(f"{bad[0]!r} is not a modifier (use ctrl, shift, alt, meta, super)")
    mods = [m.lower() for m in mods]
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            raise KeyError_(f"{key!r} is not a key")
        base_name = _character_to_key(base)
    else:
        base_name = base.lower()
        if base_name not in _NAMED_KEYS and base_name not in KEY_TO_UNICODE_NAME:
            try:
                ch = unicodedata.lookup(base_name.replace("_", " "))
            except KeyError:
                raise KeyError_(f"{key!r} is not a key name Textual knows (e.g. ctrl+n, f5, pageup, question_mark)") from None
            if len(ch) != 1 or not ch.isprintable():
                raise KeyError_(f"{key!r} is not a key")
    return "+".join(mods + [base_name])


def normalise_keys(keys: str) -> str:
    """A comma-separated key list → Textual key names; raises KeyError_ (one line)."""
    if not isinstance(keys, str):
        raise KeyError_("expected a key such as ctrl+n")
    if keys.strip() == ",":
        return _character_to_key(",")
    out = []
    for part in keys.split(","):
        out.append(normalise_key(part))
    return ",".join(out)


def resolve_keymap(overrides: dict[str, str] | None) -> tuple[dict[str, str], list[str]]:
    """(keymap for ``App.set_keymap``: id → keys, warnings: one line each)."""
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for bid, keys in (overrides or {}).items():
        if bid not in BY_ID:
            close = [k for k in BY_ID if k.startswith(str(bid)[:3])]
            hint = f" (did you mean {close[0]}?)" if close else ""
            warnings.append(f"keys: unknown binding id {bid!r}{hint}; known ids are listed by ?")
            continue
        try:
            keymap[bid] = normalise_keys(keys)
        except KeyError_ as exc:
            warnings.append(f"keys: {bid}: {exc}; keeping {display_keys(BY_ID[bid].keys)}")
    # two overrides landing on one key in the same scope: the later one would silently win
    seen: dict[tuple[str, str], str] = {}
    for spec in KEYMAP:
        for key in effective_keys(spec, keymap).split(","):
            for scope in spec.scopes:
                other = seen.get((scope, key))
                if other and other != spec.id and (spec.id in keymap or other in keymap):
                    warnings.append(f"keys: {display_keys(key)} is bound to both {other} and {spec.id}")
                seen[(scope, key)] = spec.id
    return keymap, warnings


def effective_keys(spec: KeySpec, keymap: dict[str, str] | None) -> str:
    return (keymap or {}).get(spec.id) or spec.keys


def display_keys(keys: str) -> str:
    """"j,down" → "j / ↓"."""
    return " / ".join(format_key(k) for k in keys.split(",") if k)


def bindings_for(scope: str, view: str | None = None) -> list[Binding]:
    """The Textual bindings (with ids, so the app keymap can rebind them) of one scope;
    for "dialog", of one view (the bindings of every dialog plus the view's own)."""
    out = []
    for spec in KEYMAP:
        if scope in spec.scopes:
            if scope == "dialog" and spec.views and view not in spec.views:
                continue
            out.append(Binding(spec.keys, spec.action, _short(spec), show=spec.show,
                               priority=spec.priority, id=spec.id, tooltip=spec.description))
    return out


_SHORT = {
    "quit": "Quit", "help": "Help", "search": "Search", "next_hit": "Next hit", "prev_hit": "Prev hit",
    "sort": "Sort", "filter_outlet": "Outlet", "command_palette": "Commands",
    "compare": "Compare", "matrix": "Matrix", "excerpts": "Excerpts", "export": "Export",
    "next_pair": "Next pair", "prev_pair": "Prev pair", "open_in_reader": "Open", "edit_excerpt": "Edit",
    "delete_excerpt": "Delete", "undo_delete": "Undo", "filter_excerpts": "Filter", "save": "Save",
    "annotate": "Annotate", "select": "Select", "back": "Back", "switch_side": "Other side",
}


def _short(spec: KeySpec) -> str:
    return _SHORT.get(spec.id, spec.description)


def help_rows(keymap: dict[str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """(scope title, keys for display, description, id) for every binding, scope by scope."""
    rows = []
    for scope, title in SCOPES.items():
        for spec in KEYMAP:
            if spec.scopes[0] == scope:
                where = " · ".join(SCOPES[s] for s in spec.scopes)
                if spec.views:
                    where += " (" + ", ".join(VIEWS[v] for v in spec.views) + ")"
                rows.append((where, display_keys(effective_keys(spec, keymap)), spec.description, spec.id))
    return rows
