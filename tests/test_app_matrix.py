"""The claims matrix: groups × articles by date, conflicts first and marked, Text cells,
enter opens the reader at the claim's sentence, the search as scope, a worker behind a
loading indicator (the app answers keys meanwhile), and ``index.views.claims_matrix``."""
from __future__ import annotations

import threading
import time

import pytest
from rich.text import Text

from index.views import claims_matrix
from tui.app import CoverageApp
from tui.screens.main import MainScreen
from tui.screens.matrix import MatrixScreen

from test_app_support import (  # noqa: F401  (fixtures)
    corpus, start,
    SEEDS, open_corpus, press, ready, screen_text, seeds_index, settled, wait_for,
)

SIZE = (140, 36)


_start = start  # shared helper from test_app_support


async def _matrix(app, pilot) -> MatrixScreen:
    await press(pilot, "m")
    await wait_for(pilot, lambda: isinstance(app.screen, MatrixScreen) and app.screen.ready, what="matrix")
    return app.screen


def test_claims_matrix_of_the_seeds(corpus):
    corpus.update_index()
    m = claims_matrix(corpus)
    assert m.scope == "whole corpus" and m.rows and m.columns
    # conflicting groups first
    flags = [r.conflict for r in m.rows]
    assert flags == sorted(flags, reverse=True) and flags[0]
    # columns: articles with claims in the groups, by date (undated last)
    used = {aid for r in m.rows for aid in r.cells}
    assert {c.id for c in m.columns} == used
    dated = [c.date for c in m.columns if c.date]
    assert dated == sorted(dated)
    assert all(c.date is None for c in m.columns[len(dated):])
    # cells: value with hedge · speaker, the sentence holds the number
    for r in m.rows:
        for aid, cell in r.cells.items():
            text = corpus.article(aid).text
            for v in cell.values:
                s, e = v.sentence
                assert s <= v.number[0] < v.number[1] <= e
                assert v.label in v.text and any(ch.isdigit() or ch.isalpha() for ch in v.label)
    conflicting = [v for r in m.rows for c in r.cells.values() for v in c.values if v.conflict]
    assert len({v.claim.split(":")[0] for v in conflicting}) >= 2, "a conflict is between two articles"
    # a search narrows the scope
    q = claims_matrix(corpus, "Budanov")
    assert q.scope == "search: Budanov" and q.n_claims < m.n_claims


async def test_m_opens_the_matrix_conflicts_stand_out_enter_opens_the_sentence(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        ms = await _matrix(app, pilot)
        m, t = ms.matrix, ms.table
        assert t.row_count == len(m.rows) >= 2 and len(t.columns) == len(m.columns) >= 3
        title = str(ms.query_one("#matrix-title").render())
        assert "whole corpus" in title and "conflicting" in title
        # cells and labels are Text objects built from plain strings (never markup)
        for row in t.rows:
            assert isinstance(row.label, Text)
            assert all(c is None or isinstance(c, Text) for c in row.cells)
        first = t.rows[0].label
        assert first.plain.startswith("≠ ") and first.style, "a conflicting group is marked and styled"
        # a conflicting value's cell is highlighted
        r0 = m.rows[0]
        cid, cell = next((c.id, r0.cells[c.id]) for c in m.columns if c.id in r0.cells and r0.cells[c.id].conflict)
        col = [c.id for c in m.columns].index(cid)
        assert t.cell(0, col).style
        plain = [c for c in m.columns if c.id not in r0.cells]
        if plain:
            assert t.cell(0, m.columns.index(plain[0])) is None
        # what the screen shows: the group label, a column header, the cell's value
        shown = screen_text(app)
        assert "≠ " + r0.label[:20] in shown and m.columns[0].head in shown
        # move to that cell with the keys and open it
        for _ in range(col):
            await press(pilot, "l")
        assert t.cursor == (0, col)
        detail = str(ms.query_one("#matrix-detail").render())
        assert cell.values[0].label in detail
        await press(pilot, "enter")
        v = cell.values[0]
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and ready(app)
                       and s.reader.article_id == cid and s.reader.body.located is not None, what="reader")
        body = s.reader.body
        assert body.located == v.sentence
        line = body.line_of(v.sentence[0])
        assert int(body.scroll_y) <= line < int(body.scroll_y) + body.scrollable_content_region.height
        assert app.focused is body
        # m again: the same matrix at once (cached), the cursor where it was
        await press(pilot, "m")
        await wait_for(pilot, lambda: isinstance(app.screen, MatrixScreen) and app.screen.ready, what="again")
        assert app.screen.matrix is m and app.screen.table.cursor == (0, col)
        await press(pilot, "q")
        assert isinstance(app.screen, MainScreen)


async def test_the_matrix_follows_the_search(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s = await _start(app, pilot)
        await press(pilot, "slash", *"Kursk", "enter")
        await wait_for(pilot, lambda: settled(app) and s.query_active == "Kursk", what="search")
        searched = {r.id for r in s.article_list.rows}
        assert 2 <= len(searched) < 5
        ms = await _matrix(app, pilot)
        title = str(ms.query_one("#matrix-title").render())
        assert "search: Kursk" in title
        assert ms.matrix.query == "Kursk" and ms.table.row_count > 0
        assert {c.id for c in ms.matrix.columns} <= searched
        await press(pilot, "escape")
        # a search of one article: nothing to compare across articles
        await press(pilot, "slash", "ctrl+a")
        s.search_bar.input.value = "Budanov"
        await wait_for(pilot, lambda: settled(app) and s.query_active == "Budanov", what="search 2")
        await press(pilot, "enter")
        ms = await _matrix(app, pilot)
        assert ms.table.row_count == 0 and "search: Budanov" in str(ms.query_one("#matrix-title").render())
        assert "clear the search" in str(ms.query_one("#matrix-detail").render())


async def test_an_empty_matrix_says_why_and_markup_in_labels_stays_literal(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("[b]Eins[/b]\n\nDer Verein [@click=app.quit]x[/] zählt 120 Mitglieder.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Zwei\n\nIm Zoo leben 40 Pinguine und ein Eisbär.\n", encoding="utf-8")
    corpus = open_corpus([folder], tmp_path / "ix", excerpts_file=str(tmp_path / "ex.jsonl"))
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        ms = await _matrix(app, pilot)
        assert ms.table.row_count == 0
        assert "no claim groups" in str(ms.query_one("#matrix-detail").render())
        await press(pilot, "enter", "escape")
        assert app.is_running and isinstance(app.screen, MainScreen)
    corpus.close()


async def test_the_matrix_is_computed_in_a_worker_and_keys_are_answered_meanwhile(corpus):
    real = corpus.claims
    release = threading.Event()

    def slow(*a, **kw):
        release.wait(10)
        return real(*a, **kw)

    corpus.claims = slow
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        await press(pilot, "m")
        ms = app.screen
        assert isinstance(ms, MatrixScreen) and ms.table.loading and not ms.ready
        assert "computing" in str(ms.query_one("#matrix-title").render())
        t0 = time.perf_counter()
        await press(pilot, "question_mark")              # the app answers while the worker waits
        assert app.screen.__class__.__name__ == "HelpScreen"
        await press(pilot, "escape")
        assert time.perf_counter() - t0 < 2
        release.set()
        await wait_for(pilot, lambda: ms.ready, what="matrix after the worker")
        assert ms.table.row_count > 0 and not ms.table.loading
        # closing while computing is fine too
        await press(pilot, "q")
        release.clear()
        corpus._claims_cache.clear()
        await press(pilot, "slash", *"Soldaten", "enter")
        await wait_for(pilot, lambda: settled(app) and app.main_screen.query_active == "Soldaten", what="search")
        await press(pilot, "m")
        assert isinstance(app.screen, MatrixScreen)
        await press(pilot, "escape")
        release.set()
        await pilot.pause(0.2)
        assert app.is_running and isinstance(app.screen, MainScreen)
