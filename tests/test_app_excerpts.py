"""Excerpts in the app: the selection (keys and mouse), the annotation form (tags
completion, colour, save / cancel), excerpts drawn in the reader with their note in the
status line, the excerpts pane (filter, open, edit, delete + undo), export (file written,
contents checked), hostile quotes and notes, orphaned excerpts after a re-index."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from index.views import complete_tag, default_export_path, filter_excerpt_rows, excerpt_rows
from tui.app import CoverageApp
from tui.screens.annotate import AnnotationForm
from tui.screens.excerpts import ExcerptsScreen, ExportDialog
from tui.screens.main import MainScreen

from test_app_support import (  # noqa: F401  (fixtures)
    corpus,
    SEEDS, open_corpus, press, ready, screen_text, seeds_index, settled, wait_for,
)

SIZE = (140, 40)
ARTICLE = "003_02a9048fcc89feeb.txt"


async def _reader(app, pilot, article_id: str = ARTICLE):
    await wait_for(pilot, lambda: ready(app), what="the app")
    s = app.main_screen
    assert s.article_list.select_id(article_id)
    await wait_for(pilot, lambda: ready(app) and s.reader.article_id == article_id, what="article")
    await press(pilot, "enter")
    assert app.focused is s.reader.body
    return s, s.reader.body


async def _form(app, pilot) -> AnnotationForm:
    await wait_for(pilot, lambda: isinstance(app.screen, AnnotationForm), what="annotation form")
    return app.screen


async def _pane(app, pilot) -> ExcerptsScreen:
    await press(pilot, "e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExcerptsScreen) and app.screen.loaded, what="pane")
    return app.screen


# -- selection --------------------------------------------------------------------------

async def test_sentence_and_word_selection_keys(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s, body = await _reader(app, pilot)
        sents = body.sentences
        text = body.article.text
        await press(pilot, "v")
        a, b = body.selection
        assert (a, b) in sents
        first = sents.index((a, b))
        await press(pilot, "j", "j")                         # extend by two sentences
        assert body.selection == (a, sents[first + 2][1])
        await press(pilot, "k")                              # shrink by one
        assert body.selection == (a, sents[first + 1][1])
        await press(pilot, "b")                              # shrink the end by a word
        end = body.selection[1]
        assert a < end < sents[first + 1][1] and text[end - 1].isalnum()
        await press(pilot, "w")                              # and extend it again by a word
        assert body.selection[1] > end and text[body.selection[1] - 1].isalnum()
        end = body.selection[1]
        await press(pilot, "J")                              # the start gives up a sentence
        assert body.selection == (sents[first + 1][0], end)
        await press(pilot, "J")                              # one sentence left: no change
        assert body.selection == (sents[first + 1][0], end)
        await press(pilot, "K")                              # the start takes one back
        assert body.selection == (sents[first][0], end)
        if first > 0:
            await press(pilot, "K")                          # and extends upwards
            assert body.selection == (sents[first - 1][0], end)
            await press(pilot, "J")
        assert "selection:" in str(s.reader.query_one("#reader-legend").render())
        await press(pilot, "escape")
        assert body.selection is None
        # without a selection j scrolls again
        y = body.scroll_y
        await press(pilot, "j")
        assert body.scroll_y == y + 1 and body.selection is None
        # a without a selection says what to do, opens nothing
        await press(pilot, "a")
        assert not isinstance(app.screen, AnnotationForm)
        assert any("select a passage" in str(n.message) for n in app._notifications)
        # v at the current hit
        await press(pilot, "slash", *"Budanov")
        await wait_for(pilot, lambda: settled(app) and s.query_active == "Budanov", what="search")
        await press(pilot, "enter", "enter")
        await wait_for(pilot, lambda: ready(app) and app.focused is body and body.hits, what="hits")
        await press(pilot, "n", "v")
        hs = body.hits[body.hit_index][0]
        assert body.selection[0] <= hs < body.selection[1]


async def test_mouse_click_selects_a_sentence_shift_click_extends_drag_selects_words(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s, body = await _reader(app, pilot)
        sents = body.sentences
        # the first text line of the view
        y = next(i for i, ln in enumerate(body._lines) if ln[2] == 0 and ln[1] - ln[0] > 30)
        pos = body.offset_at(10, y)
        await pilot.click(body, offset=(10, y))
        sel = body.selection
        assert sel is not None and sel in sents and sel[0] <= pos < sel[1]
        later = next(i for i in range(y + 3, len(body._lines)) if body._lines[i][2] == 0
                     and body._lines[i][0] >= sel[1] + 1)
        await pilot.click(body, offset=(10, later), shift=True)
        assert body.selection[0] == sel[0] and body.selection[1] > sel[1]
        # drag: from a word to a word on the same line
        await press(pilot, "escape")
        line = body._lines[y]
        await pilot.mouse_down(body, offset=(GUT := 2, y))
        await pilot.hover(body, offset=(GUT + 20, y))
        await pilot.mouse_up(body, offset=(GUT + 20, y))
        a, b = body.selection
        assert a == line[0] and a < b <= line[1] + 20
        assert body.article.text[b - 1].isalnum()


# -- annotate, pane, export --------------------------------------------------------------

async def test_select_annotate_save_appears_in_pane_then_export(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s, body = await _reader(app, pilot)
        await press(pilot, "v", "j")
        start, end = body.selection
        await press(pilot, "a")
        form = await _form(app, pilot)
        assert "New excerpt" in screen_text(app)
        await press(pilot, *"Zahl", "enter", *"zweite Zeile")          # the note is multi-line
        await press(pilot, "tab", *"zahlen, quelle", "tab", "right", "right")   # colour: blue
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: len(corpus.excerpts) == 1 and body.excerpts, what="saved")
        assert isinstance(app.screen, MainScreen)
        ex = corpus.excerpts.all()[0]
        assert (ex.article, ex.start, ex.end) == (ARTICLE, start, end)
        assert ex.quote == body.article.text[start:end]
        assert ex.note == "Zahl\nzweite Zeile" and ex.tags == ["zahlen", "quelle"] and ex.colour == "blue"
        # drawn in the reader in its colour, its note in the status line when on it
        y = body.line_of(start) - int(body.scroll_y)
        line = body.render_line(y)
        assert line.text.startswith("✎ ")
        tint = body.excerpt_style("blue").bgcolor
        assert any(seg.style is not None and seg.style.bgcolor == tint for seg in line)
        await press(pilot, "v")
        assert "✎ Zahl zweite Zeile  #zahlen #quelle" in s.query_one("#status").message
        await press(pilot, "escape")
        # the pane
        pane = await _pane(app, pilot)
        assert [r.id for r in pane.shown] == [ex.id]
        text = screen_text(app)
        assert "exact" in text and "#zahlen #quelle" in text and "Zahl zweite Zeile" in text
        # export: x, default file in the current folder, markdown
        await press(pilot, "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        path_in = app.screen.query_one("#export-path").value
        assert path_in == str(tmp_path / f"excerpts-{date.today():%Y%m%d}.md")
        await press(pilot, "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="written")
        written = Path(path_in)
        md = written.read_text(encoding="utf-8")
        assert "> " in md and "#zahlen" in md and "Zahl\nzweite Zeile" in md
        assert any(f"wrote 1 excerpt to {written}" in str(n.message) for n in app._notifications)
        assert app.last_export == str(written)
        # JSON, chosen with the format buttons (the file name follows the format)
        await press(pilot, "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog 2")
        dlg = app.screen
        dlg.query_one("#export-format").focus()
        await press(pilot, "right")
        assert dlg.fmt == "json"
        assert dlg.query_one("#export-path").value.endswith(".json")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="json written")
        data = json.loads(Path(app.last_export).read_text(encoding="utf-8"))
        assert data[0]["quote"] == ex.quote and data[0]["note"] == ex.note and data[0]["tags"] == ex.tags


async def test_edit_delete_undo_and_open_from_the_pane(corpus):
    for k, (s_, e_) in enumerate([(270, 464), (1680, 1893)]):
        corpus.add_excerpt(ARTICLE, s_, e_, note=("Notiz Alpha", "Notiz Beta")[k], tags=[("eins", "zwei")[k]])
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app), what="app")
        pane = await _pane(app, pilot)
        assert len(pane.shown) == 2
        # filter by tag, by text, by article
        await press(pilot, "slash", *"#zwei")
        assert [r.excerpt.note for r in pane.shown] == ["Notiz Beta"]
        pane.filter_input.value = "@003_02a9"
        await pilot.pause()
        assert len(pane.shown) == 2
        pane.filter_input.value = "notiz alpha"
        await pilot.pause()
        assert [r.excerpt.note for r in pane.shown] == ["Notiz Alpha"]
        pane.filter_input.value = ""
        await press(pilot, "enter")                      # leaves the filter for the table
        assert app.focused is pane.table
        # edit
        await press(pilot, "a")
        form = await _form(app, pilot)
        assert "Edit excerpt" in screen_text(app)
        assert form.query_one("#form-note").text == "Notiz Alpha"
        form.query_one("#form-note").text = "geändert"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExcerptsScreen) and pane.rows
                       and pane.rows[0].excerpt.note == "geändert", what="edited")
        assert corpus.excerpts.all()[0].note == "geändert"
        # delete, undo
        first = pane.current().id
        await press(pilot, "d")
        await wait_for(pilot, lambda: len(pane.rows) == 1, what="deleted")
        assert len(corpus.excerpts) == 1 and first not in [e.id for e in corpus.excerpts.all()]
        await press(pilot, "u")
        await wait_for(pilot, lambda: len(pane.rows) == 2, what="restored")
        assert [e.id for e in corpus.excerpts.all()][0] == first
        await press(pilot, "u")                           # nothing left to undo
        assert any("nothing to undo" in str(n.message) for n in app._notifications)
        # open the reader at the passage; a there edits the same excerpt
        pane.table.move_cursor(row=1)
        ex = pane.current()
        await press(pilot, "enter")
        s = app.main_screen
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and s.reader.article_id == ARTICLE
                       and s.reader.body.located == (ex.start, ex.end), what="reader at the excerpt")
        assert "Notiz Beta" in s.query_one("#status").message
        await press(pilot, "a")
        form = await _form(app, pilot)
        assert form.editing and form.query_one("#form-note").text == "Notiz Beta"
        await press(pilot, "escape")                       # cancel: nothing changes
        assert isinstance(app.screen, MainScreen) and len(corpus.excerpts) == 2


async def test_tags_complete_from_the_tags_in_use(corpus):
    corpus.add_excerpt(ARTICLE, 270, 464, tags=["Nordkorea", "zahlen"])
    corpus.add_excerpt(ARTICLE, 465, 570, tags=["zahlen"])
    assert complete_tag("quelle, za", ["zahlen", "Nordkorea"]) == "quelle, zahlen"
    assert complete_tag("zahlen, z", ["zahlen"]) is None      # not twice
    assert complete_tag("", ["zahlen"]) is None
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s, body = await _reader(app, pilot)
        await press(pilot, "G", "v", "a")
        form = await _form(app, pilot)
        tags = form.query_one("#form-tags")
        await press(pilot, "tab", *"no")
        await wait_for(pilot, lambda: tags._suggestion == "nordkorea", what="suggestion")
        await press(pilot, "right", *", za")
        await wait_for(pilot, lambda: tags._suggestion == "nordkorea, zahlen", what="second suggestion")
        await press(pilot, "right")
        assert tags.value == "nordkorea, zahlen"
        await press(pilot, "enter")                        # enter in the tags field saves
        await wait_for(pilot, lambda: len(corpus.excerpts) == 3, what="saved")
        newest = corpus.excerpts.all()[-1]
        assert newest.tags == ["Nordkorea", "zahlen"], "spelled like the tag in use"


HOSTILE_NOTE = "[bold red]laut[/] [@click=app.quit]x[/]\nzweite [/] Zeile & <b>"


async def test_hostile_quote_and_note_show_literally_and_export_intact(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    body_text = ("Markup im Text\n\nEin Satz mit [bold]Klammern[/bold] und [@click=app.quit]Klick[/] darin.\n"
                 "Zweite Zeile mit | Pipe, *Stern* und `Code` und > Zitat.\n\nNoch ein Absatz.\n")
    (folder / "m.txt").write_text(body_text, encoding="utf-8")
    corpus = open_corpus([folder], tmp_path / "ix", excerpts_file=str(tmp_path / "ex.jsonl"))
    corpus.update_index()
    text = corpus.article("m.txt").text
    start = text.index("Ein Satz")
    end = text.index("Zitat.") + len("Zitat.")
    ex = corpus.add_excerpt("m.txt", start, end, note=HOSTILE_NOTE, tags=["[b]tag[/b]"])
    assert "\n" in ex.quote and "[@click=app.quit]" in ex.quote
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app), what="app")
        pane = await _pane(app, pilot)
        shown = screen_text(app)
        assert "[@click=app.quit]Klick[/]" in shown and "[bold red]laut[/] [@click=app.quit]x[/]" in shown
        assert "#[b]tag[/b]" in shown
        # clicking on the would-be links runs nothing
        for y in range(4, 12):
            await pilot.click("#excerpts-table", offset=(60, y))
        await pilot.click("#excerpts-detail", offset=(10, 2))
        assert app.is_running
        for fmt in ("json", "csv", "md"):
            out = tmp_path / f"out.{fmt}"
            app.screen.app.push_screen(ExportDialog(corpus))
            await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="dialog")
            dlg = app.screen
            dlg.fmt = fmt
            dlg.query_one("#export-path").value = str(out)
            await press(pilot, "ctrl+s")
            await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what=f"{fmt} written")
        data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
        assert data[0]["quote"] == ex.quote and data[0]["note"] == HOSTILE_NOTE
        import csv as csv_

        rows = list(csv_.DictReader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines(True)))
        assert rows[0]["quote"] == ex.quote and rows[0]["note"] == HOSTILE_NOTE
        md = (tmp_path / "out.md").read_text(encoding="utf-8")
        assert "\\[@click=app.quit\\]Klick\\[/\\]" in md and HOSTILE_NOTE in md
        assert app.is_running
        # in the reader: the excerpt drawn over the literal text, its note in the status line
        await press(pilot, "enter")
        s = app.main_screen
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and s.reader.body.located is not None,
                       what="reader")
        assert "[bold red]laut[/] [@click=app.quit]x[/] zweite [/] Zeile & <b>" in s.query_one("#status").message
        assert "[@click=app.quit]Klick[/]" in screen_text(app)
    corpus.close()


async def test_an_excerpt_whose_text_changed_is_shown_orphaned_with_its_quote(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(SEEDS, folder)
    for p in folder.iterdir():
        p.chmod(0o644)
    corpus = open_corpus([folder], tmp_path / "ix", excerpts_file=str(tmp_path / "ex.jsonl"))
    corpus.update_index()
    text = corpus.article(ARTICLE).text
    gone = "Kyrylo Budanov, der Chef des ukrainischen Militärgeheimdienstes"
    kept = "Zudem veröffentlichte der Geheimdienst Fotos des Hafens von Chongjin in Nordkorea"
    a = corpus.add_excerpt(ARTICLE, text.index(gone), text.index(gone) + len(gone), note="weg")
    b = corpus.add_excerpt(ARTICLE, text.index(kept), text.index(kept) + len(kept), note="bleibt")
    raw = (folder / ARTICLE).read_text(encoding="utf-8")
    (folder / ARTICLE).write_text("Ein neuer erster Absatz verschiebt alles.\n\n"
                                  + raw.replace(gone, "Ein anderer Geheimdienstchef"), encoding="utf-8")
    app = CoverageApp(corpus)                  # the app re-indexes the changed file on start
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app) and app.main_screen.report is not None, what="re-index")
        assert app.main_screen.report.updated == 1
        pane = await _pane(app, pilot)
        status = {r.id: r.status for r in pane.rows}
        assert status == {a.id: "orphaned", b.id: "moved"}
        shown = screen_text(app)
        assert "ORPHANED" in shown and "orphaned (not found in the current text)" in shown
        pane.table.move_cursor(row=[r.id for r in pane.shown].index(a.id))
        await pilot.pause()
        detail = str(pane.query_one("#excerpts-detail").render())
        assert "ORPHANED" in detail and gone in detail, "shown with its quote"
        # the moved one opens at its new place; the orphaned one is not attached anywhere
        await press(pilot, "enter")
        s = app.main_screen
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and ready(app)
                       and s.reader.article_id == ARTICLE, what="reader")
        body = s.reader.body
        assert [x.id for x in body.excerpts] == [b.id] and [x.id for x in body.orphaned] == [a.id]
        new_text = body.article.text
        x = body.excerpts[0]
        assert new_text[x.start:x.end] == kept
        assert "1 orphaned" in str(s.reader.query_one("#reader-legend").render())
        assert body.located is None
    corpus.close()


async def test_damaged_excerpts_file_is_a_persistent_warning_and_export_errors_stay_in_the_dialog(
        seeds_index, tmp_path):
    shutil.copytree(seeds_index, tmp_path / "ix")
    good = open_corpus([SEEDS], tmp_path / "ix", excerpts_file=str(tmp_path / "ex.jsonl"))
    good.add_excerpt(ARTICLE, 270, 464, note="gut")
    good.close()
    with open(tmp_path / "ex.jsonl", "a", encoding="utf-8") as f:
        f.write("{kaputt\n")
    corpus = open_corpus([SEEDS], tmp_path / "ix", excerpts_file=str(tmp_path / "ex.jsonl"))
    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app), what="app")
        pane = await _pane(app, pilot)
        warn = pane.query_one("#excerpts-warning")
        assert warn.has_class("-visible") and "damaged" in str(warn.render())
        assert len(pane.rows) == 1
        assert any("damaged" in str(n.message) and n.severity == "error" for n in app._notifications)
        await press(pilot, "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="dialog")
        dlg = app.screen
        dlg.query_one("#export-path").value = str(tmp_path / "ex.jsonl" / "x.md")   # under a file
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "⚠" in str(dlg.query_one("#export-error").render()), what="error")
        err = str(dlg.query_one("#export-error").render())
        assert "\n" not in err and isinstance(app.screen, ExportDialog)
        dlg.query_one("#export-path").value = str(tmp_path)          # a folder
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "folder" in str(dlg.query_one("#export-error").render()), what="folder")
        await press(pilot, "escape")
        assert isinstance(app.screen, ExcerptsScreen)
    corpus.close()


def test_pane_filter_and_default_export_path(corpus, tmp_path):
    corpus.update_index()
    corpus.add_excerpt(ARTICLE, 270, 464, note="Erste Notiz", tags=["zahlen"])
    corpus.add_excerpt("000_aa86ebe26a5638e5.txt", 554, 737, note="Zweite", tags=["quelle"])
    rows = excerpt_rows(corpus)
    assert len(filter_excerpt_rows(rows, "#zah")) == 1
    assert len(filter_excerpt_rows(rows, "@000_")) == 1
    assert len(filter_excerpt_rows(rows, "zweite")) == 1
    assert len(filter_excerpt_rows(rows, "#zahlen zweite")) == 0
    assert len(filter_excerpt_rows(rows, "")) == 2
    d = date(2024, 10, 31)
    p = default_export_path("md", tmp_path, d)
    assert p == tmp_path / "excerpts-20241031.md"
    p.write_text("x")
    assert default_export_path("md", tmp_path, d) == tmp_path / "excerpts-20241031-2.md"
    assert default_export_path("csv", tmp_path, d).suffix == ".csv"


def _contrast(fg, bg) -> float:
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        r, g, b = c.triplet
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


async def test_excerpt_colours_and_the_selection_stay_legible_on_dark_and_light_themes(corpus):
    from index.excerpts import COLOURS

    app = CoverageApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        s, body = await _reader(app, pilot)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            body.notify_style_update()
            for colour in COLOURS:
                st = body.excerpt_style(colour)
                assert _contrast(st.color, st.bgcolor) >= 4.5, (theme, colour)
            # the tint is visible against the page
            page = body.style("base").bgcolor
            assert all(body.excerpt_style(c).bgcolor != page for c in COLOURS)
