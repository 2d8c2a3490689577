"""The keymap table: ids, defaults, user overrides from config.yaml, help rows."""
from __future__ import annotations

import pytest

from tui.keymap import (
    BY_ID, KEYMAP, RESERVED_KEYS, SCOPES, KeyError_, bindings_for, display_keys, help_rows,
    normalise_key, normalise_keys, resolve_keymap,
)


def test_the_bindings_the_issue_asks_for_exist_with_their_default_keys():
    want = {
        "cursor_down": "j,down", "cursor_up": "k,up", "cursor_first": "g,home", "cursor_last": "G,end",
        "next_hit": "n", "prev_hit": "N", "search": "slash", "sort": "s", "filter_outlet": "o",
        "help": "question_mark", "quit": "q", "focus_next": "tab", "open": "enter",
        "command_palette": "ctrl+p",
    }
    for bid, keys in want.items():
        assert BY_ID[bid].keys == keys, bid
    assert "pagedown" in BY_ID["page_down"].keys and "pageup" in BY_ID["page_up"].keys


def test_ids_are_unique_and_every_scope_is_known():
    assert len({k.id for k in KEYMAP}) == len(KEYMAP)
    for k in KEYMAP:
        assert k.scopes and all(s in SCOPES for s in k.scopes), k.id
        assert k.description and k.action


def test_default_keys_are_valid_and_leave_the_reserved_keys_free():
    for spec in KEYMAP:
        assert normalise_keys(spec.keys) == spec.keys, spec.id
        for key in spec.keys.split(","):
            assert key not in RESERVED_KEYS, (spec.id, key)


def test_no_two_bindings_share_a_key_in_one_scope():
    seen = {}
    for spec in KEYMAP:
        for scope in spec.scopes:
            for key in spec.keys.split(","):
                assert (scope, key) not in seen, (spec.id, seen.get((scope, key)))
                seen[(scope, key)] = spec.id


def test_bindings_carry_their_ids():
    for scope in SCOPES:
        for b in bindings_for(scope):
            assert b.id in BY_ID and scope in BY_ID[b.id].scopes
    assert {b.id for b in bindings_for("list")} >= {"cursor_down", "cursor_up", "page_down", "open"}


@pytest.mark.parametrize("key,expect", [
    ("?", "question_mark"), ("/", "slash"), ("ctrl+n", "ctrl+n"), ("G", "G"), ("f5", "f5"),
    ("pageup", "pageup"), ("Ctrl+Shift+x", "ctrl+shift+x"), ("question_mark", "question_mark"),
    ("[", "left_square_bracket"), ("alt+enter", "alt+enter"), ("ä", "ä"),
])
def test_normalise_key(key, expect):
    assert normalise_key(key) == expect


@pytest.mark.parametrize("bad", ["", "ctrl+", "hyper+", "foo+x", "nonsense", "ctrl+nonsense", " ", "\x1b", "shift+\t"])
def test_bad_keys_are_one_line_errors(bad):
    with pytest.raises(KeyError_) as ei:
        normalise_key(bad)
    assert "\n" not in str(ei.value) and str(ei.value)


def test_overrides_apply_and_bad_entries_become_warnings():
    keymap, warnings = resolve_keymap({
        "next_hit": "ctrl+n", "prev_hit": "?", "sort": "ctrl+gibberish", "nope": "x", "quit": "q,ctrl+q",
    })
    assert keymap == {"next_hit": "ctrl+n", "prev_hit": "question_mark", "quit": "q,ctrl+q"}
    assert len([w for w in warnings if "nope" in w]) == 1
    assert any("sort" in w and "keeping" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_an_override_that_collides_with_another_binding_warns():
    keymap, warnings = resolve_keymap({"next_hit": "s"})
    assert keymap == {"next_hit": "s"}
    assert any("both" in w and "sort" in w and "next_hit" in w for w in warnings)
    # a non-string value is a warning, not a crash
    keymap, warnings = resolve_keymap({"next_hit": 5})
    assert keymap == {} and warnings


def test_help_rows_list_every_binding_with_effective_keys():
    rows = help_rows({"next_hit": "ctrl+n"})
    assert {r[3] for r in rows} == set(BY_ID)
    row = next(r for r in rows if r[3] == "next_hit")
    assert row[1] == display_keys("ctrl+n")
    assert display_keys("j,down") == "j / ↓"
