"""Pilot tests of the app on the seeds: startup, the list keys, panes, mouse, outlet filter,
help, command palette, quit, keymap overrides from config.yaml, theme."""
from __future__ import annotations

from textual.command import CommandPalette

from tui.app import CoverageApp
from tui.keymap import KEYMAP
from tui.screens.dialogs import HelpScreen, OutletPicker
from tui.widgets.article_list import ArticleList

from test_app_support import (  # noqa: F401  (fixtures)
    search, start,
    SEEDS, open_corpus, press, ready, screen_text, seeds_corpus, seeds_index, settled, wait_for,
)

SIZE = (140, 40)


_start, _search = start, search  # shared helpers from test_app_support


async def test_paints_at_once_then_fills_in(tmp_path):
    corpus = open_corpus([SEEDS], tmp_path / "fresh-index")   # no index yet
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = app.main_screen
        # the first frame is there before the index is
        assert s.article_list is not None and s.reader is not None
        assert s.indexing or s.index_ready
        took = await wait_for(pilot, lambda: ready(app), what="index")
        assert s.article_list.total == 5
        assert s.report is not None and s.report.added == 5
        assert "5 of 5 articles" in s.query_one("#status").message
        assert took < 30
    corpus.close()


async def test_existing_index_lists_articles_and_opens_the_first(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        lst = s.article_list
        assert lst.row_count == 5 and lst.sort_key == "date"
        dates = [r.date for r in lst.rows if r.date]
        assert dates == sorted(dates, reverse=True)
        assert s.reader.article_id == lst.current_id
        text = screen_text(app)
        assert "Articles" in text and "date" in text and "outlet" in text
        assert s.report.unchanged == 5 and s.report.added == 0


async def test_list_movement_keys_and_reader_follows(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        lst = s.article_list
        assert app.focused is lst
        ids = [r.id for r in lst.rows]
        for key, expect in [("j", 1), ("down", 2), ("k", 1), ("up", 0), ("G", 4), ("g", 0),
                            ("end", 4), ("home", 0), ("pagedown", 4), ("pageup", 0)]:
            await press(pilot, key)
            assert lst.cursor == expect, key
            await wait_for(pilot, lambda: ready(app), what=f"reader after {key}")
            assert s.reader.article_id == ids[expect], key
        await press(pilot, "k")              # at the top: stays
        assert lst.cursor == 0


async def test_enter_opens_in_reader_and_focuses_it_tab_cycles_panes(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        await press(pilot, "j", "j", "enter")
        await wait_for(pilot, lambda: ready(app) and app.focused is s.reader.body, what="reader focus")
        assert s.reader.article_id == s.article_list.rows[2].id
        # reader keys scroll the body
        body = s.reader.body
        await press(pilot, "G")
        assert body.scroll_y == body.max_scroll_y > 0
        await press(pilot, "g")
        assert body.scroll_y == 0
        await press(pilot, "j", "down", "space")
        assert body.scroll_y > 2
        await press(pilot, "pageup", "k")
        assert body.scroll_y == 0
        # tab: reader → search → list → reader (focus chain order)
        seen = []
        for _ in range(3):
            await press(pilot, "tab")
            seen.append(app.focused)
        assert s.search_bar.input in seen and s.article_list in seen and body in seen
        await press(pilot, "shift+tab")
        assert app.focused is seen[1]
        await press(pilot, "ctrl+l")
        assert app.focused is s.article_list
        await press(pilot, "ctrl+r")
        assert app.focused is body


async def test_mouse_click_selects_and_double_click_opens(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        lst = s.article_list
        await pilot.click(ArticleList, offset=(5, 3))     # border + header + rows 0,1 → row 1
        assert lst.cursor == 1
        await wait_for(pilot, lambda: ready(app), what="reader")
        assert s.reader.article_id == lst.rows[1].id
        await pilot.click(ArticleList, offset=(5, 4), times=2)
        await wait_for(pilot, lambda: ready(app) and app.focused is s.reader.body, what="open by double click")
        # a click on the header sorts by that column
        await pilot.click(ArticleList, offset=(15, 1))
        assert lst.sort_key == "outlet"


async def test_outlet_filter_picker(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        lst = s.article_list
        await press(pilot, "o")
        assert isinstance(app.screen, OutletPicker)
        outlets = app.screen.outlets
        assert sum(n for _, n in outlets) == 5
        await press(pilot, "j", "enter")              # the first outlet (after "all outlets")
        await wait_for(pilot, lambda: not isinstance(app.screen, OutletPicker), what="picker closed")
        chosen = outlets[0][0]
        assert lst.outlet == chosen
        assert lst.row_count == outlets[0][1]
        assert "outlet:" in s.query_one("#status").message
        await press(pilot, "o")
        await press(pilot, "g", "enter")              # "all outlets"
        await wait_for(pilot, lambda: not isinstance(app.screen, OutletPicker), what="picker closed")
        assert lst.outlet is None and lst.row_count == 5
        await press(pilot, "o", "escape")             # cancel keeps the filter
        assert lst.outlet is None and not isinstance(app.screen, OutletPicker)


async def test_help_lists_every_binding(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=(140, 60)) as pilot:
        await _start(app, pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for spec in KEYMAP:
            assert spec.description in text, spec.id
            assert f"[{spec.id}]" in text
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)
        await press(pilot, "question_mark")
        await press(pilot, "question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_every_action(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"filter")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OutletPicker), what="picker from the palette")
        await press(pilot, "escape")
        # every palette action runs on its node
        for spec in KEYMAP:
            if not spec.palette or spec.id in ("quit", "filter_outlet", "help", "skipped_files"):
                continue
            await app.run_keymap_action(spec.id)
            await pilot.pause()
            assert app.is_running, spec.id
        assert s.article_list.sort_key in ("date", "outlet", "title")


async def test_palette_provider_lists_every_palette_action(seeds_corpus):
    from tui.commands import KeymapCommands

    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        provider = KeymapCommands(app.screen)
        found = [h async for h in provider.discover()]
        wanted = [k for k in KEYMAP if k.palette]
        assert len(found) == len(wanted) > 15
        helps = " ".join(str(h.help) for h in found)
        for spec in wanted:
            assert spec.id in helps


async def test_q_quits(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0


async def test_q_in_search_box_types_a_q(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        await pilot.press("slash", "q")
        assert app.is_running and s.search_bar.value == "q"


async def test_rebinding_from_config_and_bad_entries_warn(seeds_index, tmp_path):
    import shutil

    shutil.copytree(seeds_index, tmp_path / "ix")
    corpus = open_corpus([SEEDS], tmp_path / "ix", keys={
        "next_hit": "ctrl+n", "sort": "ctrl+shift+nonsense", "no_such_binding": "x"})
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        msgs = [str(n.message) for n in app._notifications]
        assert any("no_such_binding" in m for m in msgs)
        assert any("sort" in m and "nonsense" in m for m in msgs)
        s = await _search(pilot, app, "Soldaten")
        await press(pilot, "enter")
        await press(pilot, "n")                      # rebound: n does nothing now
        assert s.reader.hit_index == -1
        await press(pilot, "ctrl+n")
        assert s.reader.hit_index == 0
        await press(pilot, "s")                      # the bad override keeps the default
        assert s.article_list.sort_key == "date"
        await press(pilot, "question_mark")
        text = str(app.screen.query_one("#help-text").render())
        assert "ctrl+n" in text.lower() or "^n" in text
    corpus.close()


async def test_theme_from_config_and_unknown_theme_warns(seeds_index, tmp_path):
    import shutil

    shutil.copytree(seeds_index, tmp_path / "ix")
    corpus = open_corpus([SEEDS], tmp_path / "ix", theme="textual-light")
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        assert app.theme == "textual-light"
    corpus.close()
    corpus = open_corpus([SEEDS], tmp_path / "ix", theme="no-such-theme")
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        assert any("no-such-theme" in str(n.message) for n in app._notifications)
    corpus.close()


async def test_every_default_key_reaches_its_action(seeds_corpus):
    """Mechanical check over the whole keymap: each default key, pressed where its scope
    has focus, runs the binding's action (recorded instead of run)."""
    from tui.screens.dialogs import HelpScreen as Help

    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        calls: list[str] = []

        def record(node, action: str) -> None:
            name = action.split(".")[-1]
            setattr(node, f"action_{name}", lambda *a, _n=name: calls.append(_n))

        targets = {"list": s.article_list, "reader": s.reader.body, "search": s.search_bar.input,
                   "main": s, "app": app}
        for spec in KEYMAP:
            for scope in spec.scopes:
                if scope == "dialog":
                    continue
                node = app if spec.action.startswith("app.") else targets[scope]
                focus = {"list": s.article_list, "reader": s.reader.body, "search": s.search_bar.input}.get(
                    scope, s.article_list)
                for key in spec.keys.split(","):
                    record(node, spec.action)
                    focus.focus()
                    await pilot.pause()
                    calls.clear()
                    await press(pilot, key)
                    assert calls == [spec.action.split(".")[-1]], (spec.id, scope, key, calls)
                    delattr(node, f"action_{spec.action.split('.')[-1]}")
        # dialogs: esc closes help
        s.article_list.focus()
        await press(pilot, "question_mark")
        assert isinstance(app.screen, Help)
        await press(pilot, "escape")
        assert not isinstance(app.screen, Help)
