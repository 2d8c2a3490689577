"""Pilot tests of what must not break the app: hostile article text and metadata, skipped
files, a locked index, re-indexing, slow or failing indexing."""
from __future__ import annotations

import asyncio
import time

from index.model import Hit
from tui.app import CoverageApp
from tui.screens.dialogs import HelpScreen, SkippedScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ReaderBody

from test_app_support import (  # noqa: F401  (fixtures)
    search, start,
    SEEDS, open_corpus, press, ready, screen_text, seeds_corpus, seeds_index, settled, wait_for,
    write_hostile_corpus,
)

SIZE = (140, 40)


_start, _search = start, search  # shared helpers from test_app_support


async def test_skipped_files_are_listed(tmp_path):
    corpus_dir = tmp_path / "c"
    corpus_dir.mkdir()
    (corpus_dir / "a.txt").write_text("Ein Titel\n\nEin Text über Soldaten.\n", encoding="utf-8")
    (corpus_dir / "bin.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    (corpus_dir / "pic.png").write_bytes(b"\x89PNG....")
    corpus = open_corpus([corpus_dir], tmp_path / "ix")
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        assert len(s.report.skipped) == 2
        assert any("2 files skipped" in str(n.message) for n in app._notifications)
        assert "2 files skipped" in s.query_one("#status").message
        await press(pilot, "i")
        assert isinstance(app.screen, SkippedScreen)
        shown = "\n".join(str(o.prompt) for o in app.screen.query_one("#skipped-options").options)
        assert "bin.txt" in shown and "pic.png" in shown and "binary" in shown
        await press(pilot, "escape")
        assert not isinstance(app.screen, SkippedScreen)
    corpus.close()


async def test_reindex_picks_up_a_new_file(tmp_path):
    import shutil

    corpus_dir = tmp_path / "c"
    shutil.copytree(SEEDS, corpus_dir)
    corpus = open_corpus([corpus_dir], tmp_path / "ix")
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        assert s.article_list.total == 5
        (corpus_dir / "new.txt").write_text("Neuer Artikel\n\nÜber Soldaten und mehr.\n", encoding="utf-8")
        await press(pilot, "ctrl+u")
        await wait_for(pilot, lambda: ready(app) and s.article_list.total == 6, what="re-index")
        assert s.report.added == 1
    corpus.close()


async def test_locked_index_is_read_only_with_a_notice(seeds_index, tmp_path):
    import shutil

    corpus_dir = tmp_path / "c"
    shutil.copytree(SEEDS, corpus_dir)
    shutil.copytree(seeds_index, tmp_path / "ix")
    other = open_corpus([corpus_dir], tmp_path / "ix")
    other.update_index()
    (corpus_dir / "new.txt").write_text("Neu\n\nText.\n", encoding="utf-8")
    w = other.engine.writer()              # another instance is writing
    try:
        corpus = open_corpus([corpus_dir], tmp_path / "ix")
        app = CoverageApp(corpus)
        async with app.run_test(size=SIZE) as pilot:
            s = app.main_screen
            await wait_for(pilot, lambda: s.report is not None, what="index report")
            assert corpus.read_only
            assert any("read-only" in str(n.message) for n in app._notifications)
            assert s.article_list.total == 5           # what the index holds is still shown
        corpus.close()
    finally:
        w.cancel()
        other.close()


async def test_hostile_article_shows_markup_literally_and_runs_nothing(tmp_path):
    corpus = open_corpus([write_hostile_corpus(tmp_path / "c")], tmp_path / "ix")
    app = CoverageApp(corpus)
    async with app.run_test(size=(150, 40)) as pilot:
        s = await _start(app, pilot)
        assert s.article_list.select_id("hostile.txt")
        await press(pilot, "enter")
        await wait_for(pilot, lambda: ready(app) and s.reader.article_id == "hostile.txt", what="hostile")
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text
        assert "[bold red]" in text and "[/]" in text
        assert "\x1b" not in text and "\x07" not in text
        # clicking on the would-be link runs nothing
        body = s.reader.body
        for y in range(6):
            await pilot.click(ReaderBody, offset=(12, y))
        await pilot.pause()
        assert app.is_running
        # search hits in a hostile article
        await _search(pilot, app, "Soldaten")
        assert app.is_running and s.article_list.row_count >= 1
        await press(pilot, "enter", "n")
        assert s.reader.hit_index == 0
    corpus.close()


async def test_hostile_search_hits_in_list_cells_are_literal(seeds_corpus):
    """List rows built from hostile metadata (as a search would return them)."""
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=(240, 30)) as pilot:
        s = await _start(app, pilot)
        s.article_list.set_search([Hit("x", "[@click=app.quit]Klick[/] \x1b[31mrot", "2024",
                                       "[bold]Outlet[/]", 1.0, 3)])
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]Klick[/]" in text and "[bold]Outlet[/]" in text
        assert "\x1b" not in text and "␛[31mrot" in text
        await pilot.click(ArticleList, offset=(40, 2))
        await pilot.pause()
        assert app.is_running


async def test_no_keypress_waits_on_indexing(tmp_path):
    """While a (slow) index is being built, keys are answered at once."""
    import shutil

    corpus_dir = tmp_path / "c"
    shutil.copytree(SEEDS, corpus_dir)
    corpus = open_corpus([corpus_dir], tmp_path / "ix")
    real = corpus.update_index

    def slow_update(**kw):
        time.sleep(2.0)
        return real(**kw)

    corpus.update_index = slow_update
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = app.main_screen
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape", "s", "slash", "x")
        assert s.article_list.sort_key == "outlet" and s.search_bar.value == "x"
        assert s.indexing, "every key was answered while the index was still being built"
        await _start(app, pilot)
    corpus.close()


async def test_app_survives_unexpected_index_errors(seeds_corpus):
    def broken(*a, **kw):
        raise RuntimeError("disk on fire\nsecond line")

    seeds_corpus.update_index = broken
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = app.main_screen
        await wait_for(pilot, lambda: not s.indexing and s.index_ready, what="index attempt")
        msgs = [str(n.message) for n in app._notifications]
        assert any("disk on fire second line" in m for m in msgs)
        assert app.is_running
        await asyncio.sleep(0)


async def test_no_index_at_all_says_so_inline(tmp_path):
    corpus = open_corpus([SEEDS], tmp_path / "ix")

    def broken(*a, **kw):
        raise PermissionError("index folder is read-only")

    corpus.update_index = broken
    app = CoverageApp(corpus, initial_query="Soldaten")
    async with app.run_test(size=SIZE) as pilot:
        s = app.main_screen
        await wait_for(pilot, lambda: not s.indexing and s.index_error is not None, what="index failure")
        assert s.search_bar.status_kind == "error"
        assert "read-only" in s.search_bar.status_message and "no index" in s.search_bar.status_message
        await press(pilot, "slash", "x")
        await wait_for(pilot, lambda: s._search_timer is None and s.search_bar.value.endswith("x"), what="status")
        assert "no index" in s.search_bar.status_message
        assert app.is_running and s.article_list.total == 0
    corpus.close()
