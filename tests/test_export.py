"""Excerpt export: Markdown / JSON / CSV, markup and newlines survive intact."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from index.excerpts import Excerpt, ExcerptError, make_excerpt
from index.export import (
    CSV_FIELDS, ExportError, export_excerpts, md_unescape, write_export,
)

NASTY = [
    "[/]",
    "[@click=app.quit]x[/]",
    "Sterne *fett* und _kursiv_ und `code`",
    "# keine Überschrift",
    "> kein Zitat im Zitat\n- keine Liste\n+ auch nicht\n3. Oktober ist kein Listenpunkt",
    "erste Zeile\n\nnach Leerzeile „Zitat“ & Co. &amp; <b>html</b> \\ Ende",
    "=== \n---\n| a | b |",
]


def _text_with(quotes: list[str]) -> str:
    return "Vorspann. " + " Zwischen. ".join(quotes) + " Schluss."


def _excerpts(quotes=NASTY, article="a/1.txt", title="Titel # mit *Stern*") -> list[Excerpt]:
    text = _text_with(quotes)
    out = []
    pos = 0
    for i, q in enumerate(quotes):
        s = text.index(q, pos)
        pos = s + len(q)
        out.append(make_excerpt(article, title, "Der Beispiel-Kurier", "2024-10-03",
                                "https://example.org/a?x=1&y=2", text, s, s + len(q),
                                note=f"Notiz {i}\nzweite Zeile", tags=["zahl", f"t{i}"],
                                colour="green"))
    return out


def _md_blockquotes(md: str) -> list[str]:
    """Every block quote in the document, unescaped, lines joined by \\n."""
    quotes, cur = [], None
    for line in md.split("\n"):
        if line.startswith(">"):
            body = line[2:] if line.startswith("> ") else line[1:]
            assert not line.startswith(">>"), line
            cur = (cur or []) + [md_unescape(body)]
        else:
            if cur is not None:
                quotes.append("\n".join(cur))
            cur = None
    if cur is not None:
        quotes.append("\n".join(cur))
    return quotes


def _norm(q: str) -> str:
    # Markdown export drops leading/trailing blanks of quote lines (they would
    # make code blocks / hard breaks); nothing else may change.
    return "\n".join(line.strip() for line in q.split("\n"))


def test_markdown_quotes_intact_and_inside_blockquote():
    exs = _excerpts()
    md = export_excerpts(exs, "md")
    assert _md_blockquotes(md) == [_norm(q) for q in NASTY]
    # no line of a quote can escape the block or start another construct
    for line in md.split("\n"):
        if line.startswith("> "):
            body = line[2:]
            assert not re.match(r"(#|>|[-+*=]|\d+[.)]\s|\s)", body), line
    # structure: one heading, the meta line, notes and tags
    assert md.count("\n## ") + md.startswith("## ") == 1
    assert md.startswith("## Titel # mit \\*Stern\\*\n")
    assert "Der Beispiel-Kurier · 2024-10-03 · <https://example.org/a?x=1&y=2>" in md
    assert "Notiz 3\nzweite Zeile" in md and "#zahl #t3" in md
    assert "(orphaned)" not in md
    ex = _excerpts(["x"])[0]
    ex.tags = ["a_b*c"]
    assert "#a\\_b\\*c" in export_excerpts([ex], "md")


def test_markdown_groups_by_article_and_marks_orphans():
    a = _excerpts(["eins zwei drei", "vier fünf"], article="a.txt", title="Erster Artikel")
    b = _excerpts(["sechs sieben"], article="b.txt", title="Zweiter Artikel ##")
    mixed = [a[0], b[0], a[1]]
    md = export_excerpts(mixed, "md", anchors={a[1].id: "orphaned", a[0].id: "exact"})
    heads = [line for line in md.split("\n") if line.startswith("## ")]
    assert heads == ["## Erster Artikel", "## Zweiter Artikel \\##"]
    first, second = md.split("## Zweiter")
    assert "> eins zwei drei" in first and "> vier fünf" in first and "> sechs sieben" in second
    assert first.count("(orphaned)") == 1
    assert first.index("(orphaned)") > first.index("> vier fünf")
    assert export_excerpts([], "md") == ""


def test_json_has_every_field_and_roundtrips():
    exs = _excerpts()
    exs[0].extra["custom"] = 1
    out = json.loads(export_excerpts(exs, "json"))
    assert isinstance(out, list) and len(out) == len(NASTY)
    assert [d["quote"] for d in out] == NASTY
    for d, ex in zip(out, exs):
        assert set(CSV_FIELDS) <= set(d)
        assert Excerpt.from_json(d) == ex
    assert out[0]["custom"] == 1
    with_anchor = json.loads(export_excerpts(exs, "json", anchors={exs[1].id: "orphaned"}))
    assert with_anchor[1]["anchor"] == "orphaned" and with_anchor[0]["anchor"] is None


def test_csv_roundtrips_with_newlines_and_markup(tmp_path):
    exs = _excerpts()
    text = export_excerpts(exs, "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(CSV_FIELDS)
    # documented: cells a spreadsheet would run as a formula get a leading apostrophe
    expect = ["'" + q if q[0] in "=+-@" else q for q in NASTY]
    assert expect[-1].startswith("'=") and expect[:-1] == NASTY[:-1]
    assert [r["quote"] for r in rows] == expect
    assert rows[0]["tags"] == "zahl; t0" and rows[0]["note"] == "Notiz 0\nzweite Zeile"
    assert [int(r["start"]) for r in rows] == [e.start for e in exs]
    assert rows[0]["url"] == "https://example.org/a?x=1&y=2"

    p = write_export(text, tmp_path / "out.csv", "csv")
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so spreadsheets read umlauts
    with open(p, encoding="utf-8-sig", newline="") as f:
        back = list(csv.DictReader(f))
    assert [r["quote"] for r in back] == expect


def test_csv_neutralises_formulas():
    text = "Er rief =HYPERLINK(\"http://x\";\"klick\") und @SUM(1) und -5 Grad."
    s = text.index("=HYP")
    ex = make_excerpt("a", "t", None, None, None, text, s, s + 30)
    ex2 = make_excerpt("a", "t", None, None, None, text, text.index("@SUM"), text.index("@SUM") + 7)
    rows = list(csv.DictReader(io.StringIO(export_excerpts([ex, ex2], "csv"), newline="")))
    assert rows[0]["quote"] == "'" + ex.quote and rows[1]["quote"] == "'@SUM(1)"


def test_filter_by_tag_in_all_formats():
    exs = _excerpts()
    for fmt in ("md", "json", "csv"):
        out = export_excerpts(exs, fmt, tag="#T2")
        assert "Notiz 2" in out and "Notiz 1" not in out and "Notiz 3" not in out
        everything = export_excerpts(exs, fmt, tag="zahl")
        assert all(f"Notiz {i}" in everything for i in range(len(NASTY)))
        assert "Notiz" not in export_excerpts(exs, fmt, tag="gibtsnicht")


def test_write_export_markdown_and_json_are_plain_utf8(tmp_path):
    exs = _excerpts(["Grüße aus Köln"])
    for fmt in ("md", "json"):
        p = write_export(export_excerpts(exs, fmt), tmp_path / f"r.{fmt}", fmt)
        raw = p.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and "Grüße aus Köln".encode() in raw
    assert not list(tmp_path.glob("*.tmp"))


def test_bad_requests_are_one_line_errors(tmp_path):
    exs = _excerpts(["x y z"])
    for call in (lambda: export_excerpts(exs, "pdf"),
                 lambda: export_excerpts(["nope"], "md"),
                 lambda: export_excerpts(exs, "md", anchors=["x"]),
                 lambda: write_export("x", tmp_path, "md"),
                 lambda: write_export(b"x", tmp_path / "a.md", "md")):
        with pytest.raises(ExcerptError) as ei:
            call()
        assert isinstance(ei.value, ExportError) and "\n" not in str(ei.value)


def test_markdown_renders_quotes_literally():
    """Rendered by a real CommonMark parser, each quote is one block quote of
    plain paragraphs showing exactly the article's words."""
    markdown_it = pytest.importorskip("markdown_it")
    import html as htmlmod
    md = export_excerpts(_excerpts(), "md")
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    blocks = re.findall(r"<blockquote>\n(.*?)</blockquote>", html, re.S)
    assert len(blocks) == len(NASTY)
    for block, quote in zip(blocks, NASTY):
        tags = set(re.findall(r"</?([a-z0-9]+)", block))
        assert tags == {"p"}, (quote, block)  # no heading, list, code, table, link, emphasis
        paras = [htmlmod.unescape(p) for p in re.findall(r"<p>(.*?)</p>", block, re.S)]
        assert "\n\n".join(paras) == _norm(quote).strip()
    assert html.count("<h2>") == 1


def test_real_articles_export_roundtrip_in_all_formats():
    """Selections from real German articles (dashes, quotes, '3. ' dates,
    numbers) survive Markdown, JSON and CSV unchanged."""
    from pathlib import Path
    import random
    gnad = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "10kgnad" / "test.csv"
    if not gnad.is_file():
        pytest.skip("10kGNAD corpus not available")
    with open(gnad, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) == 2][:300]
    rnd = random.Random(5)
    exs = []
    for i, (label, text) in enumerate(rows):
        s = rnd.randrange(0, len(text) - 10)
        e = min(len(text), s + rnd.randrange(5, 400))
        # a paragraph break inside some quotes, like a multi-paragraph selection
        t = text[:e] + "\n\n" + text[e:] if i % 3 == 0 else text
        exs.append(make_excerpt(f"gnad#{i}", text[:60], "derStandard", None, None, t, s,
                                min(len(t), e + 30), tags=[label]))
    md = export_excerpts(exs, "md")
    # Markdown drops blank lines at the very start/end of a quote, nothing else
    assert _md_blockquotes(md) == [_norm(ex.quote).strip("\n") for ex in exs]
    assert any(ex.quote.endswith("\n") for ex in exs) and any("\n\n" in ex.quote.strip() for ex in exs)
    try:
        import markdown_it
    except ImportError:
        markdown_it = None
    if markdown_it is not None:
        html = markdown_it.MarkdownIt("commonmark").render(md)
        blocks = re.findall(r"<blockquote>\n(.*?)</blockquote>", html, re.S)
        assert len(blocks) == len(exs)
        assert all(set(re.findall(r"</?([a-z0-9]+)", b)) == {"p"} for b in blocks)
    back = json.loads(export_excerpts(exs, "json"))
    assert [Excerpt.from_json(d) for d in back] == exs
    rows_back = list(csv.DictReader(io.StringIO(export_excerpts(exs, "csv"), newline="")))
    assert [r["quote"] for r in rows_back] == [("'" if ex.quote[0] in "=+-@" else "") + ex.quote for ex in exs]
    sport = export_excerpts(exs, "json", tag="Sport")
    assert {tuple(d["tags"]) for d in json.loads(sport)} == {("Sport",)}
