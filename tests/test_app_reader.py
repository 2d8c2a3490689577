"""The reader widget on its own: wrapping, collapsed repeats, highlight layers, hit
navigation, scroll_to_offset, untrusted text, a 1 MB article, dark and light themes."""
from __future__ import annotations

import random
import re
import time

from hypothesis import given, settings, strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.color import Color

from index.model import Article, Span
from tui.widgets.reader import (
    BLANK, DUPLICATE_MARKER, MARKER, TEXT, ReaderView, header_text, layout, wrap_offsets,
)

from test_app_support import generated_record, make_config

GROUPS = make_config().highlight_groups


class ReaderApp(App):
    def __init__(self, theme: str | None = None):
        super().__init__()
        self._theme_name = theme

    def compose(self) -> ComposeResult:
        yield ReaderView(GROUPS)

    def on_mount(self) -> None:
        if self._theme_name:
            self.theme = self._theme_name


def lines_text(body) -> list[str]:
    return [body.render_line(y).text for y in range(body.scrollable_content_region.height)]


# -- wrapping (pure functions) --------------------------------------------------------------

def _check_wrap(text: str, width: int) -> None:
    out: list[tuple[int, int, int]] = []
    wrap_offsets(text, 0, len(text), width, out)
    pos = 0
    for s, e, kind in out:
        assert kind == TEXT
        assert s >= pos and e >= s
        assert text[pos:s].strip(" ") == "", "only spaces are dropped between lines"
        assert cell_len(text[s:e]) <= width or e - s == 1   # one wide char in a 1-cell column
        pos = e
    assert text[pos:].strip(" ") == ""


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab cdé ü- 12.000,«»") + ["中", "文", "\u0301"]), max_size=300),
       st.integers(min_value=1, max_value=40))
def test_wrap_covers_the_text_and_fits_the_width(text, width):
    _check_wrap(text, width)


def test_wrap_breaks_at_spaces_and_hard_breaks_long_words():
    text = "Nordkoreanische Soldaten in Russland " + "x" * 25
    out: list = []
    wrap_offsets(text, 0, len(text), 20, out)
    got = [text[s:e] for s, e, _ in out]
    assert got[0] == "Nordkoreanische" and got[1] == "Soldaten in Russland"
    assert "".join(got[2:]) == "x" * 25 and all(len(g) <= 20 for g in got)


def test_layout_collapses_hidden_ranges_and_blank_runs():
    para = "Ein Absatz, der zweimal gedruckt wurde."
    text = f"Titel\n\n{para}\n\n{para}\n\n\n\nSchluss."
    start = text.index(para, text.index(para) + 1)
    lines = layout(text, 80, [(start, start + len(para))], para_gap=False)
    kinds = [k for _, _, k in lines]
    assert kinds.count(MARKER) == 1
    assert [text[s:e] for s, e, k in lines if k == TEXT] == ["Titel", para, "Schluss."]
    assert all(not (a == b == BLANK) for a, b in zip(kinds, kinds[1:]))
    assert kinds[0] != BLANK and kinds[-1] != BLANK


def test_single_newline_paragraphs_get_a_gap():
    text = "Erster Absatz.\nZweiter Absatz.\nDritter."
    lines = layout(text, 80, [], para_gap=True)
    assert [k for *_, k in lines] == [TEXT, BLANK, TEXT, BLANK, TEXT]


# -- the widget -----------------------------------------------------------------------------

def _article(text: str, spans=(), **kw) -> Article:
    return Article(id=kw.pop("id", "a.txt"), title=kw.pop("title", "Titel"), text=text, spans=list(spans), **kw)


async def test_hits_keywords_boilerplate_are_styled_and_n_walks_the_hits():
    text = ("Anzeige\n\nLaut Polizei kamen rund 12.000 Menschen. Die Menschen blieben.\n\n"
            "Später gingen die Menschen nach Hause.")
    ad = (0, len("Anzeige"))
    hits = [(m.start(), m.end()) for m in re.finditer("Menschen", text)]
    from index.keywords import keyword_spans

    kws = keyword_spans(text, GROUPS)
    assert {g for *_, g in kws} == {"numbers", "sources", "hedges"}
    app = ReaderApp()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(ReaderView)
        view.show(_article(text, [Span(*ad, "boilerplate", "advertisement label")]), hits, kws, query="Menschen")
        await pilot.pause()
        body = view.body
        base = body.rich_style
        line = body.render_line(2)
        styles = {seg.text: seg.style for seg in line if seg.text.strip()}
        assert styles["Menschen"].bgcolor != base.bgcolor and styles["Menschen"].underline
        assert styles["12.000"].bgcolor not in (None, base.bgcolor, styles["Menschen"].bgcolor)
        assert styles["Laut"].bgcolor != styles["12.000"].bgcolor
        ad_seg = next(seg for seg in body.render_line(0) if "Anzeige" in seg.text)
        assert ad_seg.style.color != base.color
        # legend: every group named; hit indicator
        legend = str(view.query_one("#reader-legend").render())
        for g in GROUPS:
            assert g.name in legend
        assert "3 hits" in view.hit_label()
        assert view.next_hit() == (0, 3)
        assert view.hit_label() == "hit 1 of 3"
        assert view.next_hit() == (1, 3) and view.next_hit() == (2, 3) and view.next_hit() == (0, 3)
        assert view.prev_hit() == (2, 3)
        await pilot.pause()
        assert any(ln.startswith("▶") for ln in lines_text(body))


async def test_scroll_to_offset_shows_the_line_and_works_before_layout():
    text = "\n\n".join(f"Absatz {i} " + "Wort " * 30 for i in range(200))
    app = ReaderApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ReaderView)
        view.show(_article(text))
        target = text.index("Absatz 150 ")
        view.scroll_to_offset(target)
        await pilot.pause()
        body = view.body
        assert any("Absatz 150 " in ln for ln in lines_text(body))
        view.scroll_to_offset(len(text) - 1)
        await pilot.pause()
        assert any("Absatz 199" in ln or "Wort" in ln for ln in lines_text(body))
        assert body.scroll_y == body.max_scroll_y or body.line_of(len(text) - 1) < body.scroll_y + 20


async def test_repeats_are_hidden_and_their_hits_not_navigable():
    para = "Die Soldaten kamen am Montag an, sagte ein Sprecher."
    text = f"{para}\n\n{para}\n\nDanach kamen weitere Soldaten."
    second = text.index(para, 1)
    hits = [(m.start(), m.end()) for m in re.finditer("Soldaten", text)]
    app = ReaderApp()
    async with app.run_test(size=(100, 15)) as pilot:
        view = app.query_one(ReaderView)
        view.show(_article(text, [Span(second, second + len(para), "duplicate", "repeats paragraph 1")]),
                  hits, [], query="Soldaten")
        await pilot.pause()
        shown = "\n".join(lines_text(view.body))
        assert shown.count("Die Soldaten kamen") == 1
        assert DUPLICATE_MARKER in shown
        assert view.hit_count == 2 and view.body.hidden_hits == 1
        assert "+1 in hidden repeats" in view.hit_label()


async def test_untrusted_text_is_shown_literally():
    text = "[bold red]rot[/] [@click=app.quit]x[/] \x1b[31mESC\x1b[0m bell\x07 tab\tend"
    art = _article(text, title="[@click=app.quit]Titel[/] \x1b[2J", outlet="[b]Blatt[/b]", url="[link=x]u[/link]")
    app = ReaderApp()
    async with app.run_test(size=(100, 15)) as pilot:
        view = app.query_one(ReaderView)
        view.show(art)
        await pilot.pause()
        first = lines_text(view.body)[0]
        assert "[bold red]rot[/] [@click=app.quit]x[/]" in first
        assert "␛[31mESC␛[0m" in first and "bell␇" in first and "tab end" in first
        assert "\x1b" not in first and "\x07" not in first
        head = header_text(art).plain
        assert "[@click=app.quit]Titel[/]" in head and "[b]Blatt[/b]" in head and "\x1b" not in head
        assert app.is_running


async def test_a_one_megabyte_article_opens():
    rng = random.Random(3)
    paras = []
    size = 0
    while size < 1_000_000:
        p = generated_record(len(paras), rng)["text"].replace("\n\n", " ")
        paras.append(p)
        size += len(p) + 2
    text = "\n\n".join(paras)[:1_000_000]
    hits = [(m.start(), m.end()) for m in re.finditer("Regierung", text)]
    from index.keywords import keyword_spans

    kws = keyword_spans(text, GROUPS)
    app = ReaderApp()
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.query_one(ReaderView)
        t0 = time.perf_counter()
        view.show(_article(text), hits, kws, query="Regierung")
        await pilot.pause()
        took = time.perf_counter() - t0
        print(f"1 MB article: shown in {took * 1000:.0f} ms, {view.body.line_count} lines")  # timed by bench/
        assert view.body.line_count > 5000
        view.prev_hit()
        await pilot.pause()
        assert any("Regierung" in ln for ln in lines_text(view.body))


async def test_keyword_colours_stay_legible_on_dark_and_light_themes():
    text = "Laut Polizei kamen rund 12.000 Menschen."
    from index.keywords import keyword_spans

    kws = keyword_spans(text, GROUPS)

    def contrast(a: Color, b: Color) -> float:
        def lum(c: Color) -> float:
            def ch(v: float) -> float:
                v /= 255
                return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
            return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
        hi, lo = sorted((lum(a), lum(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    bgs = {}
    for theme in ("textual-dark", "textual-light"):
        app = ReaderApp(theme)
        async with app.run_test(size=(80, 10)) as pilot:
            view = app.query_one(ReaderView)
            view.show(_article(text), [], kws)
            await pilot.pause()
            for g in GROUPS:
                st_ = view.body.group_style(g.name)
                fg, bg = Color.from_rich_color(st_.color), Color.from_rich_color(st_.bgcolor)
                assert contrast(fg, bg) >= 4.5, (theme, g.name)
                bgs[(theme, g.name)] = bg
            # switching theme at run time re-derives the colours
            other = "textual-light" if theme == "textual-dark" else "textual-dark"
            before = view.body.group_style(GROUPS[0].name)
            app.theme = other
            await pilot.pause()
            assert view.body.group_style(GROUPS[0].name) != before
    assert bgs[("textual-dark", "numbers")] != bgs[("textual-light", "numbers")]


async def test_resizing_rewraps_and_keeps_the_text_at_the_top():
    text = "\n\n".join(f"Absatz {i} " + "Wort " * 40 for i in range(100))
    app = ReaderApp()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(ReaderView)
        view.show(_article(text))
        await pilot.pause()
        view.scroll_to_offset(text.index("Absatz 60 "), )
        await pilot.pause()
        body = view.body
        top_before = body._lines[int(body.scroll_y)][0]
        lines_before = body.line_count
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert body.line_count > lines_before
        top_after = body._lines[int(body.scroll_y)][0]
        assert abs(top_after - top_before) < 60


async def test_an_empty_article_says_so():
    app = ReaderApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(ReaderView)
        view.show(_article("", title=""))
        await pilot.pause()
        assert "no text" in lines_text(view.body)[0]
        assert "(untitled)" in view.query_one("#reader-header").text.plain
        assert view.next_hit() == (-1, 0)
