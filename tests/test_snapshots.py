"""SVG snapshots of the main screen, search results, help and a hostile article.

Regenerate after an intended change:  .venv/bin/pytest tests/test_snapshots.py --snapshot-update
"""
from __future__ import annotations

import shutil

import pytest

from tui.app import CoverageApp

from test_app_support import (  # noqa: F401  (fixtures)
    SEEDS, open_corpus, press, ready, seeds_index, settled, wait_for, write_hostile_corpus,
)

SIZE = (140, 40)


@pytest.fixture
def seeds_app(seeds_index, tmp_path):
    shutil.copytree(seeds_index, tmp_path / "ix")
    # an excerpts file of its own: the reader draws saved excerpts, the user's must not show up here
    corpus = open_corpus([SEEDS], tmp_path / "ix", excerpts_file=str(tmp_path / "excerpts.jsonl"))
    yield CoverageApp(corpus)
    corpus.close()


async def _ready(pilot):
    await wait_for(pilot, lambda: ready(pilot.app), what="ready")


def test_main_screen(snap_compare, seeds_app):
    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=_ready)


def test_search_results(snap_compare, seeds_app):
    async def run(pilot):
        await _ready(pilot)
        await press(pilot, "slash", *"Soldaten")
        await wait_for(pilot, lambda: settled(pilot.app) and pilot.app.main_screen.query_active == "Soldaten")
        await press(pilot, "enter", "n", "n")

    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=run)


def test_bad_query_error(snap_compare, seeds_app):
    async def run(pilot):
        await _ready(pilot)
        await press(pilot, "slash", *"Soldaten")
        await wait_for(pilot, lambda: settled(pilot.app) and pilot.app.main_screen.query_active == "Soldaten")
        await press(pilot, "space", "A", "N", "D", "space", "left_parenthesis")
        await wait_for(pilot, lambda: settled(pilot.app) and pilot.app.main_screen.search_bar.status_kind == "error")

    assert snap_compare(seeds_app, terminal_size=SIZE, run_before=run)


def test_help(snap_compare, seeds_app):
    async def run(pilot):
        await _ready(pilot)
        await press(pilot, "question_mark")

    assert snap_compare(seeds_app, terminal_size=(140, 50), run_before=run)


def test_hostile_article(snap_compare, tmp_path):
    corpus = open_corpus([write_hostile_corpus(tmp_path / "c")], tmp_path / "ix",
                         excerpts_file=str(tmp_path / "excerpts.jsonl"))
    app = CoverageApp(corpus)

    async def run(pilot):
        await _ready(pilot)
        s = pilot.app.main_screen
        assert s.article_list.select_id("hostile.txt")
        await wait_for(pilot, lambda: ready(pilot.app) and s.reader.article_id == "hostile.txt")
        await press(pilot, "enter")

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=run)
    finally:
        corpus.close()


# -- comparison, claims matrix, excerpts pane, annotation form ------------------------------

@pytest.fixture
def excerpts_app(seeds_index, tmp_path):
    """The seeds with an excerpts file of their own (never the user's)."""
    shutil.copytree(seeds_index, tmp_path / "ix")
    corpus = open_corpus([SEEDS], tmp_path / "ix", excerpts_file=str(tmp_path / "excerpts.jsonl"))
    yield CoverageApp(corpus)
    corpus.close()


def test_compare_screen(snap_compare, excerpts_app):
    from tui.screens.compare import CompareScreen

    async def run(pilot):
        await _ready(pilot)
        s = pilot.app.main_screen
        s.article_list.select_id("000_aa86ebe26a5638e5.txt")
        await press(pilot, "c")
        s.article_list.select_id("003_02a9048fcc89feeb.txt")
        await press(pilot, "c")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CompareScreen) and pilot.app.screen.ready)
        await press(pilot, "right_square_bracket", "right_square_bracket", "right_square_bracket")

    assert snap_compare(excerpts_app, terminal_size=SIZE, run_before=run)


def test_claims_matrix(snap_compare, excerpts_app):
    from tui.screens.matrix import MatrixScreen

    async def run(pilot):
        await _ready(pilot)
        await press(pilot, "m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MatrixScreen) and pilot.app.screen.ready)
        await press(pilot, "l", "l")

    assert snap_compare(excerpts_app, terminal_size=SIZE, run_before=run)


def _add_excerpts(app):
    c = app.corpus
    c.add_excerpt("003_02a9048fcc89feeb.txt", 270, 464, note="Selenskyj: bis zu 10.000\n[@click=app.quit]x[/]",
                  tags=["zahlen", "quelle"], colour="green")
    c.add_excerpt("000_aa86ebe26a5638e5.txt", 554, 737, note="NIS: rund 12.000", tags=["zahlen"], colour="red")


def test_excerpts_pane(snap_compare, excerpts_app):
    from tui.screens.excerpts import ExcerptsScreen

    async def run(pilot):
        await _ready(pilot)
        _add_excerpts(pilot.app)
        await press(pilot, "e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExcerptsScreen) and pilot.app.screen.loaded)

    assert snap_compare(excerpts_app, terminal_size=SIZE, run_before=run)


def test_annotation_form(snap_compare, excerpts_app):
    from tui.screens.annotate import AnnotationForm

    async def run(pilot):
        await _ready(pilot)
        _add_excerpts(pilot.app)
        s = pilot.app.main_screen
        s.article_list.select_id("004_877e01af3c7ff7d7.txt")
        await wait_for(pilot, lambda: ready(pilot.app) and s.reader.article_id == "004_877e01af3c7ff7d7.txt")
        await press(pilot, "enter", "v", "j", "a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, AnnotationForm))
        await press(pilot, *"Quelle", "space", *"fehlt", "tab", "z", "a")
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#form-tags")._suggestion == "zahlen")

    assert snap_compare(excerpts_app, terminal_size=SIZE, run_before=run)
