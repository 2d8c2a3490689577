"""The comparison view: c … c, the aligned pairs (] / [) with both sides scrolling, the
scroll sync, reuse / claim / conflict marks, choosing B from a list, annotating a side,
and ``index.views.compare_view`` on its own."""
from __future__ import annotations


import pytest

from index.views import compare_view, short_speaker, value_label
from tui.app import CoverageApp
from tui.screens.compare import CompareScreen
from tui.screens.dialogs import ArticlePicker
from tui.screens.main import MainScreen

from test_app_support import (  # noqa: F401  (fixtures)
    corpus, start,
    SEEDS, open_corpus, press, ready, screen_text, seeds_index, wait_for,
)

SMALL = (100, 26)        # small enough that the seed articles scroll
A_ID = "000_aa86ebe26a5638e5.txt"   # dpa, "rund 12.000 Soldaten"
B_ID = "003_02a9048fcc89feeb.txt"   # NIUS, "fast 11.000 … Infanteriesoldaten"


_start = start  # shared helper from test_app_support


async def _compare(app, pilot, a_id: str = A_ID, b_id: str = B_ID) -> CompareScreen:
    s = await _start(app, pilot)
    assert s.article_list.select_id(a_id)
    await press(pilot, "c")
    assert s.compare_a is not None and s.compare_a[0] == a_id
    status = s.query_one("#status").message
    assert status.startswith("A: ") and "press c on another article to compare" in status
    assert s.article_list.select_id(b_id)
    await press(pilot, "c")
    await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready, what="comparison")
    cs = app.screen
    assert cs.view is not None, cs.error
    assert s.compare_a is None
    return cs


def _visible(body, pos: int) -> bool:
    line = body.line_of(pos)
    top = int(body.scroll_y)
    return top <= line < top + body.scrollable_content_region.height


# -- data ------------------------------------------------------------------------------------

def test_compare_view_of_the_seeds_marks_the_conflicting_troop_numbers(corpus):
    corpus.update_index()
    v = compare_view(corpus, A_ID, B_ID)
    assert v.pairs and v.conflicts >= 1
    conflict = [p for p in v.pairs if p.conflict]
    assert all("CONFLICT" in p.description and "≠" in p.description for p in conflict)
    assert all(p.description.startswith(f"{p.kind} {p.index + 1} of {len(v.pairs)}") for p in v.pairs)
    # the marked numbers are numbers, inside their pair's sentence
    for side, art, marks in (("a", v.a, v.a_marks), ("b", v.b, v.b_marks)):
        cm = [m for m in marks if m.kind == "conflict"]
        assert cm
        for m in cm:
            assert any(ch.isdigit() for ch in art.text[m.start:m.end])
            s, e = getattr(v.pairs[m.pair], side)
            assert s <= m.start < m.end <= e
    with pytest.raises(ValueError):
        compare_view(corpus, A_ID, A_ID)
    with pytest.raises(KeyError):
        compare_view(corpus, A_ID, "no-such-article.txt")


@pytest.mark.parametrize("text,label", [
    ("rund 12.000 Soldaten", "rund 12.000"), ("fast 11.000 nordkoreanische Infanteriesoldaten", "fast 11.000"),
    ("acht Millionen Artilleriegranaten", "acht Millionen"), ("bis zu 10.000", "bis zu 10.000"),
    ("3,5 Prozent", "3,5 Prozent"), ("Tausende Menschen", "Tausende"), ("ohne Zahl", "ohne Zahl"),
])
def test_value_label(text, label):
    assert value_label(text) == label


def test_short_speaker():
    assert short_speaker("Kyrylo Budanov") == "Budanov"
    assert short_speaker("der Sprecher des Ministeriums") == "Ministeriums"
    assert short_speaker("Seoul, Washington und Kiew") == "Seoul"
    assert short_speaker(None) == "" and short_speaker("") == ""


# -- the view --------------------------------------------------------------------------------

async def test_c_then_c_opens_both_sides_and_brackets_walk_the_pairs(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SMALL) as pilot:
        cs = await _compare(app, pilot)
        a, b = cs.body_a, cs.body_b
        assert a.article.id == A_ID and b.article.id == B_ID
        assert "aligned pair" in str(cs.query_one("#compare-title").render())
        n = len(cs.view.pairs)
        assert n >= 3
        scrolled_a, scrolled_b = set(), set()
        for i in range(n):
            await press(pilot, "right_square_bracket")
            assert cs.current == i
            p = cs.view.pairs[i]
            assert a.located == p.a and b.located == p.b
            assert _visible(a, p.a[0]) and _visible(b, p.b[0]), i
            scrolled_a.add(int(a.scroll_y))
            scrolled_b.add(int(b.scroll_y))
            strip = str(cs.query_one("#compare-pair").render())
            assert strip.startswith(f"{p.kind} {i + 1} of {n}")
        assert len(scrolled_a) > 1 and len(scrolled_b) > 1, "both sides moved between pairs"
        await press(pilot, "right_square_bracket")          # wraps to the first pair
        assert cs.current == 0
        await press(pilot, "left_square_bracket")            # and back to the last
        assert cs.current == n - 1
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_a_conflict_is_marked_in_the_strip_and_the_gutter(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SMALL) as pilot:
        cs = await _compare(app, pilot)
        i = next(k for k, p in enumerate(cs.view.pairs) if p.conflict)
        cs.go_to_pair(i)
        await pilot.pause()
        strip = cs.query_one("#compare-pair")
        assert strip.has_class("-conflict")
        text = str(strip.render())
        assert "CONFLICT" in text and "≠" in text
        # the number is drawn in the conflict style, with ≠ in the gutter of its line
        for body, marks in ((cs.body_a, cs.view.a_marks), (cs.body_b, cs.view.b_marks)):
            m = next(m for m in marks if m.kind == "conflict" and m.pair == i)
            body.scroll_to_offset(m.start)
            await pilot.pause()
            y = body.line_of(m.start) - int(body.scroll_y)
            strip_ = body.render_line(y)
            assert strip_.text.startswith("≠ ")
            conflict_bg = body.style("conflict").bgcolor
            styled = [seg for seg in strip_ if seg.style is not None and seg.style.bgcolor == conflict_bg]
            assert styled and any(ch.isdigit() for ch in "".join(seg.text for seg in styled))


async def test_scrolling_one_side_brings_the_partner_into_view(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=SMALL) as pilot:
        cs = await _compare(app, pilot)
        a, b = cs.body_a, cs.body_b
        assert app.focused is a
        last = cs.view.pairs[-1]
        # scroll A by hand (page down until the last pair's A passage is at the top third)
        for _ in range(40):
            if a.line_of(last.a[0]) <= int(a.scroll_y) + a.scrollable_content_region.height // 3:
                break
            await press(pilot, "j")
        await pilot.pause()
        p = cs.view.pairs[cs.current]
        assert cs.current >= 0 and _visible(b, p.b[0]), "B follows to the partner of the nearest passage"
        assert b.located == p.b
        # tab: the other side; scrolling B moves A
        await press(pilot, "tab")
        assert app.focused is b
        await press(pilot, "g")
        await pilot.pause()
        first = cs.view.pairs[cs.current]
        assert _visible(a, first.a[0])


async def test_reuse_is_highlighted_on_both_sides(tmp_path):
    shared = ("Die Feuerwehr rückte am Dienstagabend mit mehr als vierzig Einsatzkräften aus, weil aus dem "
              "Dachstuhl des alten Lagerhauses am Hafen dichter Rauch aufstieg und Anwohner die Fenster "
              "schließen sollten.")
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Brand am Hafen\n\nEin erster Absatz über das Wetter am Morgen.\n\n{shared}\n\n"
                                  "Die Ursache ist noch unklar.\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Feuer im Lagerhaus\n\n{shared}\n\nVerletzt wurde nach ersten Angaben "
                                  "niemand, sagte ein Sprecher.\n", encoding="utf-8")
    corpus = open_corpus([folder], tmp_path / "ix", excerpts_file=str(tmp_path / "ex.jsonl"))
    app = CoverageApp(corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        cs = await _compare(app, pilot, "a.txt", "b.txt")
        reuse = [p for p in cs.view.pairs if p.kind == "reuse"]
        assert reuse, cs.view.pairs
        p = reuse[0]
        assert shared[:40] in cs.body_a.article.text[p.a[0]:p.a[1]]
        assert shared[:40] in cs.body_b.article.text[p.b[0]:p.b[1]]
        for body, (s, e) in ((cs.body_a, p.a), (cs.body_b, p.b)):
            y = body.line_of(s + 5) - int(body.scroll_y)
            line = body.render_line(y)
            bg = body.style("reuse").bgcolor
            assert any(seg.style is not None and seg.style.bgcolor == bg and seg.text.strip() for seg in line)
        for _ in range(p.index + 1):
            await press(pilot, "right_square_bracket")
        assert cs.current == p.index
        assert "shared wording" in str(cs.query_one("#compare-pair").render())
    corpus.close()


async def test_choose_b_from_a_list_and_bad_ids_are_one_line_errors(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        s = await _start(app, pilot)
        assert s.article_list.select_id(A_ID)
        await app.run_keymap_action("compare_choose")        # as the command palette runs it
        await wait_for(pilot, lambda: isinstance(app.screen, ArticlePicker), what="picker")
        picker = app.screen
        assert A_ID not in [r.id for r in picker.shown] and len(picker.shown) == 4
        await press(pilot, *"NIUS")                          # filters the list by outlet
        assert [r.id for r in picker.shown] == [B_ID]
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready, what="compare")
        assert app.screen.body_b.article.id == B_ID
        await press(pilot, "q")
        assert isinstance(app.screen, MainScreen)
        # an article that is gone: one line in the view, no crash
        app.push_screen(CompareScreen(corpus, A_ID, "gone.txt"))
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready, what="error")
        err = app.screen.error
        assert err and "\n" not in err and "gone.txt" in err
        await press(pilot, "escape")
        assert app.is_running and isinstance(app.screen, MainScreen)
        # c twice on the same article cancels
        await press(pilot, "c", "c")
        assert s.compare_a is None and not isinstance(app.screen, CompareScreen)


async def test_a_passage_of_side_b_can_be_annotated(corpus):
    app = CoverageApp(corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        cs = await _compare(app, pilot)
        await press(pilot, "tab", "right_square_bracket", "v")
        b = cs.body_b
        assert app.focused is b and b.selection is not None
        sel = b.selection
        await press(pilot, "a")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "AnnotationForm", what="form")
        await press(pilot, *"Zahl", "ctrl+s")
        await wait_for(pilot, lambda: len(corpus.excerpts) == 1 and b.excerpts, what="saved")
        ex = corpus.excerpts.all()[0]
        assert ex.article == B_ID and (ex.start, ex.end) == sel and ex.note == "Zahl"
        assert b.selection is None
        assert "✎" in screen_text(app)
