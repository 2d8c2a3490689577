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
    corpus = open_corpus([SEEDS], tmp_path / "ix")
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
    corpus = open_corpus([write_hostile_corpus(tmp_path / "c")], tmp_path / "ix")
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
