"""The app on a generated corpus of 10,000 articles (index built once per session)."""
from __future__ import annotations

import time

import pytest

from tui.app import CoverageApp
from tui.screens.dialogs import OutletPicker

from test_app_support import build_index, generate_corpus, open_corpus, press, ready, settled, wait_for

pytestmark = pytest.mark.slow

N = 10_000


@pytest.fixture(scope="session")
def corpus_10k(tmp_path_factory):
    root = tmp_path_factory.mktemp("gen10k")
    generate_corpus(root / "corpus", N)
    t0 = time.perf_counter()
    build_index([root / "corpus"], root / "ix").close()
    print(f"10k index built in {time.perf_counter() - t0:.1f} s")
    return root


async def test_10k_search_list_reader_next_hit(corpus_10k):
    corpus = open_corpus([corpus_10k / "corpus"], corpus_10k / "ix")
    app = CoverageApp(corpus)
    async with app.run_test(size=(160, 45)) as pilot:
        t0 = time.perf_counter()
        await wait_for(pilot, lambda: ready(app), what="10k list")
        print(f"10k: first usable screen after {time.perf_counter() - t0:.2f} s")
        s = app.main_screen
        lst = s.article_list
        assert lst.total == N and lst.row_count == N
        assert s.report.unchanged == N
        # list keys on 10k rows
        await press(pilot, "G")
        assert lst.cursor == N - 1
        await press(pilot, "pageup", "pageup")
        assert lst.cursor < N - 1 - 2 * 30
        await press(pilot, "g", "pagedown")
        assert 0 < lst.cursor < 60
        await wait_for(pilot, lambda: ready(app), what="reader")
        # search as you type: every prefix re-ranks the list, the last one wins
        await press(pilot, "slash", *"Haushal")
        await wait_for(pilot, lambda: settled(app) and s.query_active == "Haushal", what="prefix search")
        await press(pilot, "t")
        await wait_for(pilot, lambda: settled(app) and s.query_active == "Haushalt", what="search")
        assert lst.searching and 0 < lst.row_count <= corpus.config.search_limit
        scores = [r.rank for r in lst.rows]
        assert scores == sorted(scores)
        assert "matching articles" in s.search_bar.status_message
        await press(pilot, "enter", "enter")
        await wait_for(pilot, lambda: ready(app) and app.focused is s.reader.body, what="open")
        assert s.reader.hit_count >= 1
        await press(pilot, "n")
        assert s.reader.hit_label().startswith("hit 1 of")
        # a date-restricted, outlet-restricted query
        await press(pilot, "slash")
        s.search_bar.input.value = "Haushalt AND date:[2024-03 to 2024-04]"
        await wait_for(pilot, lambda: settled(app) and s.query_active.endswith("2024-04]"), what="date search")
        assert lst.row_count > 0
        assert all(r.date[:7] in ("2024-03", "2024-04") for r in lst.rows)
        # outlet filter on top of the search
        await press(pilot, "enter", "o")           # enter leaves the box, keeps the results
        assert isinstance(app.screen, OutletPicker) and len(app.screen.outlets) == 10
        await press(pilot, "j", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, OutletPicker), what="filter")
        assert lst.row_count > 0 and all(r.outlet == lst.outlet for r in lst.rows)
        # sort by title over the filtered hits
        await press(pilot, "s", "s", "s")
        assert lst.sort_key == "title"
        titles = [r.title.casefold() for r in lst.rows]
        assert titles == sorted(titles)
    corpus.close()
