"""Pilot tests of search → list → reader → next hit on the seeds: debounce, inline errors,
notices, esc, re-ranking, the reader's hits and collapsed repeats."""
from __future__ import annotations

import asyncio

import pytest

from tui.app import CoverageApp
from tui.widgets.reader import DUPLICATE_MARKER

from test_app_support import (  # noqa: F401  (fixtures)
    search, start,
    press, ready, screen_text, seeds_corpus, seeds_index, settled, wait_for,
)

SIZE = (140, 40)


_start, _search = start, search  # shared helpers from test_app_support


async def test_search_list_reader_next_hit(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        s = await _search(pilot, app, "Soldaten")
        lst = s.article_list
        assert lst.searching and lst.sort_key == "relevance"
        assert 1 <= lst.row_count <= 5
        assert all(r.hits > 0 for r in lst.rows)
        assert "matching article" in s.search_bar.status_message
        assert s.search_bar.status_kind == "info"
        assert "hits" in screen_text(app)
        await press(pilot, "enter")                     # leave the box, keep the results
        assert app.focused is lst and s.search_bar.value == "Soldaten"
        reader = s.reader
        n = reader.hit_count
        assert n > 0 and reader.hit_index == -1
        body = reader.body
        text = body.article.text
        assert all(text[a:b].lower().startswith("soldat") for a, b in body.hits)
        await press(pilot, "n")
        assert reader.hit_index == 0
        assert f"hit 1 of {n}" in reader.hit_label()
        await press(pilot, "n")
        assert reader.hit_index == 1
        # the current hit is on screen
        line = body.line_of(body.hits[1][0])
        assert body.scroll_y <= line < body.scroll_y + body.scrollable_content_region.height
        await press(pilot, "N")
        assert reader.hit_index == 0
        await press(pilot, "N")
        assert reader.hit_index == n - 1          # wraps around
        assert f"hit {n} of {n}" in screen_text(app)
        # moving in the list re-highlights the next article with the same query
        await press(pilot, "j")
        await wait_for(pilot, lambda: ready(app), what="next article")
        assert reader.article_id == lst.rows[1].id and reader.hit_count == lst.rows[1].hits or reader.hit_count > 0


async def test_search_is_debounced(seeds_corpus):
    seeds_corpus.config.search_debounce_ms = 400
    app = CoverageApp(seeds_corpus)
    calls = []
    real = seeds_corpus.search

    def counting(q, **kw):
        calls.append(q)
        return real(q, **kw)

    seeds_corpus.search = counting
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        await press(pilot, "slash")
        inp = app.main_screen.search_bar.input
        for i in range(1, 7):                           # six keystrokes, 10 ms apart
            inp.value = "Soldat"[:i]
            await asyncio.sleep(0.01)
        assert calls == []                              # nothing searched while typing
        await wait_for(pilot, lambda: settled(app) and app.main_screen.query_active == "Soldat", what="search")
        assert calls[-1] == "Soldat"
        assert calls == ["Soldat"]                      # one search for six keys
        inp.cursor_position = len(inp.value)
        await press(pilot, "e", "n")
        await wait_for(pilot, lambda: settled(app) and app.main_screen.query_active == "Soldaten", what="search 2")
        assert calls[-1] == "Soldaten"


async def test_bad_query_shows_error_inline_and_keeps_last_results(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        s = await _search(pilot, app, "Soldaten")
        before = [r.id for r in s.article_list.rows]
        s.search_bar.input.value = "Soldaten AND ("
        await wait_for(pilot, lambda: settled(app) and s.search_bar.status_kind == "error", what="error")
        msg = s.search_bar.status_message
        assert "\n" not in msg and len(msg) > 10
        assert "last good results" in msg
        assert [r.id for r in s.article_list.rows] == before
        assert s.query_active == "Soldaten"
        assert msg.lstrip("⚠ ").split(" · ")[0] in screen_text(app).replace("\n", " ")
        assert app.is_running
        # fixing the query clears the error
        s.search_bar.input.cursor_position = len(s.search_bar.value)
        await press(pilot, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
        await wait_for(pilot, lambda: settled(app) and s.search_bar.status_kind != "error", what="fixed")


async def test_stop_word_query_shows_the_notice(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        s = await _search(pilot, app, "der die")
        assert s.search_bar.status_kind == "notice"
        assert "stop word" in s.search_bar.status_message


async def test_escape_clears_then_leaves_the_search(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        s = await _search(pilot, app, "Nordkorea")
        await press(pilot, "escape")
        await wait_for(pilot, lambda: settled(app), what="cleared")
        assert s.search_bar.value == "" and not s.article_list.searching
        assert s.article_list.row_count == 5 and s.query_active is None
        assert s.article_list.sort_key == "date"
        assert app.focused is s.search_bar.input
        await press(pilot, "escape")
        assert app.focused is s.article_list
        await press(pilot, "n")                        # no search: a hint, no crash
        assert any("no search" in str(n.message) for n in app._notifications)


async def test_sort_cycles_date_outlet_title_and_relevance_while_searching(seeds_corpus):
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        lst = s.article_list
        seen = []
        for _ in range(3):
            await press(pilot, "s")
            seen.append(lst.sort_key)
        assert seen == ["outlet", "title", "date"]
        await press(pilot, "s", "s")
        titles = [r.title.casefold() for r in lst.rows]
        assert titles == sorted(titles)
        await _search(pilot, app, "Soldaten")
        assert lst.sort_key == "relevance"
        await press(pilot, "enter")
        order = []
        for _ in range(4):
            await press(pilot, "s")
            order.append(lst.sort_key)
        assert order == ["date", "outlet", "title", "relevance"]


async def test_repeated_paragraph_is_shown_once_with_a_marker(seeds_corpus):
    dup_ids = [m.id for m in seeds_corpus.articles() if any(sp.kind == "duplicate" for sp in m.spans)]
    if not dup_ids:
        pytest.skip("the ingestion marked no repeated paragraph in the seeds")
    app = CoverageApp(seeds_corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        s.article_list.select_id(dup_ids[0])
        await wait_for(pilot, lambda: ready(app) and s.reader.article_id == dup_ids[0], what="dup article")
        body = s.reader.body
        lines = [body.render_line(y).text for y in range(body.scrollable_content_region.height)]
        assert any(DUPLICATE_MARKER in ln for ln in lines)
        text = body.article.text
        dup = next(sp for sp in body.article.spans if sp.kind == "duplicate")
        repeated = " ".join(text[dup.start:dup.end].split())[:60]
        shown = " ".join(" ".join(body.render_line(y).text.split()) for y in range(body.line_count))
        assert shown.count(repeated[:40]) == 1


async def test_initial_query_from_the_command_line(seeds_corpus):
    app = CoverageApp(seeds_corpus, initial_query="Nordkorea")
    async with app.run_test(size=SIZE) as pilot:
        s = app.main_screen
        await wait_for(pilot, lambda: settled(app) and s.query_active == "Nordkorea", what="initial search")
        assert s.search_bar.value == "Nordkorea"
        assert s.article_list.searching and s.article_list.row_count >= 1
        assert s.reader.hit_count > 0
