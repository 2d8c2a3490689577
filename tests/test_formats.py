"""index/formats.py: one reader per format, skip reasons, overrides, speed."""
import builtins
import json
import os
import shutil
import statistics
import time
from pathlib import Path

import pytest

from conftest_ingest_helpers import SEEDS, gnad_path, gnad_texts, seed_path
from index import formats
from index.formats import SUPPORTED, read_file, split_front_matter
from index.model import Article, SkipFile

BODY = ("Die Regierung hat am Dienstag ein neues Gesetz beschlossen. Kritiker sprechen "
        "von einem Bürokratiemonster.\n\nNach Angaben des Ministeriums sollen rund 12.000 "
        "Haushalte profitieren.")


def write(tmp_path, name, content):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    p.write_bytes(content)
    return p


def one(path, root, **kw):
    arts = read_file(path, root, **kw)
    assert len(arts) == 1
    return arts[0]


def skip_reason(path, root, **kw):
    with pytest.raises(SkipFile) as exc:
        read_file(path, root, **kw)
    msg = str(exc.value)
    assert msg and "\n" not in msg
    return msg


def test_supported_extensions():
    assert SUPPORTED == {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv"}


# ----------------------------------------------------------------- .txt (seeds)

def test_seeds_read_with_ids_titles_metadata_and_spans(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root / "sub")
    arts = {}
    for p in sorted((root / "sub").glob("*.txt")):
        a = one(p, root)
        assert isinstance(a, Article)
        assert a.id == f"sub/{p.name}"
        assert a.path == str(p.resolve()) or a.path == os.path.abspath(p)
        assert a.title and len(a.title) <= 200
        last = 0
        for s in a.spans:
            assert last <= s.start < s.end <= len(a.text)
            last = s.end
        arts[p.name[:3]] = a
    assert (arts["000"].date, arts["000"].outlet) == ("2024-10", "dpa")
    assert arts["001"].date == "2024-11-01"
    assert arts["002"].date == "2024-10"
    assert arts["003"].outlet == "NIUS"
    kinds = {(s.kind, s.reason) for s in arts["000"].spans}
    assert ("duplicate", "repeated paragraph") in kinds and ("meta", "date token") in kinds
    assert ("boilerplate", "advertisement label") in kinds


def test_cp1252_file_with_umlauts(tmp_path):
    p = write(tmp_path, "alt.txt", "Überschrift mit Umlauten\n\nGrüße aus Köln – „Straße“ für 5 €.".encode("cp1252"))
    a = one(p, tmp_path)
    assert a.title == "Überschrift mit Umlauten"
    assert "Grüße aus Köln – „Straße“ für 5 €." in a.text


def test_escape_sequences_removed_rich_markup_kept(tmp_path):
    raw = ("\x1b[1;31mTitel mit Farbe\x1b[0m\n\n\x1b]0;fenster\x07Text [/] und [@click=app.quit]x[/] "
           "sowie [bold red]rot[/bold red].\x1b[K\r\n")
    a = one(write(tmp_path, "esc.txt", raw), tmp_path)
    assert a.title == "Titel mit Farbe"
    assert "\x1b" not in a.text and "[0m" not in a.text and "fenster" not in a.text
    assert "Text [/] und [@click=app.quit]x[/] sowie [bold red]rot[/bold red]." in a.text


def test_title_falls_back_to_file_name(tmp_path):
    a = one(write(tmp_path, "notiz-7.txt", "...\n\n!!!"), tmp_path)
    assert a.title == "notiz-7"


# ----------------------------------------------------------------- skip reasons

def test_empty_and_whitespace_files(tmp_path):
    assert skip_reason(write(tmp_path, "e.txt", b""), tmp_path) == "empty file"
    assert "empty" in skip_reason(write(tmp_path, "w.txt", b" \n\t\r\n "), tmp_path)
    assert "empty" in skip_reason(write(tmp_path, "ctl.md", b"\x1b[0m\n\n"), tmp_path)


def test_binary_file(tmp_path):
    assert skip_reason(write(tmp_path, "b.txt", b"\x00\x01\x02PK\x03\x04" * 100), tmp_path) == "binary file"
    assert skip_reason(write(tmp_path, "b.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00"), tmp_path) == "binary file"


def test_too_large_names_size_and_limit(tmp_path):
    p = write(tmp_path, "big.txt", b"Wort " * (6 * 1024 * 1024 // 5))
    msg = skip_reason(p, tmp_path)
    assert msg.startswith("too large")
    assert f"{p.stat().st_size:,}" in msg and "5,000,000" in msg and "6.3 MB" in msg
    assert one(p, tmp_path, max_bytes=7_000_000).text.startswith("Wort")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read chmod 000 files")
def test_unreadable_file_chmod(tmp_path):
    p = write(tmp_path, "secret.txt", BODY)
    p.chmod(0)
    try:
        assert skip_reason(p, tmp_path) == "permission denied"
    finally:
        p.chmod(0o644)


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    p = write(tmp_path, "secret.txt", BODY)
    real_open = builtins.open

    def fake_open(file, *a, **k):
        if Path(file) == p:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    assert skip_reason(p, tmp_path) == "permission denied"


def test_directory_named_like_a_file_missing_file_fifo_and_unsupported(tmp_path):
    d = tmp_path / "ordner.txt"
    d.mkdir()
    assert skip_reason(d, tmp_path) == "is a directory"
    assert skip_reason(tmp_path / "fehlt.txt", tmp_path) == "file not found"
    assert "unsupported" in skip_reason(write(tmp_path, "x.pdf", b"%PDF"), tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        assert skip_reason(tmp_path / "pipe.txt", tmp_path) == "not a regular file"


# ----------------------------------------------------------------- .md

def test_markdown_front_matter_wins_over_text(tmp_path):
    md = ("---\ntitle: \"Titel aus Front Matter\"\ndate: 2024-11-01\noutlet: Beispielblatt\n"
          "authors: [Anna Keller, Bob Berg]\nurl: https://example.org/a\n---\n"
          "# Überschrift im Text\n\nDatum: 3.4.2020\n\n" + BODY)
    a = one(write(tmp_path, "a.md", md), tmp_path)
    assert a.title == "Titel aus Front Matter"
    assert a.date == "2024-11-01"
    assert a.outlet == "Beispielblatt"
    assert a.author == "Anna Keller, Bob Berg"
    assert a.url == "https://example.org/a"
    assert a.text.startswith("# Überschrift im Text")
    assert "title:" not in a.text


def test_markdown_heading_title_and_invalid_front_matter(tmp_path):
    md = "---\ntitle: [nicht geschlossen\n  : : :\n---\n# Die Überschrift\n\n" + BODY
    a = one(write(tmp_path, "b.markdown", md), tmp_path)
    assert a.title == "Die Überschrift"
    assert not a.text.startswith("---")
    a2 = one(write(tmp_path, "c.md", "# Nur Überschrift\n\n" + BODY), tmp_path)
    assert a2.title == "Nur Überschrift" and a2.date is None


def test_front_matter_that_is_not_a_mapping_is_ignored():
    assert split_front_matter("---\n- a\n- b\n---\nText") == ({}, "Text")
    assert split_front_matter("Text\n---\nmehr") == ({}, "Text\n---\nmehr")
    front, body = split_front_matter("---\ndate: 2024-01-02\n---\n\nText")
    assert body == "Text" and str(front["date"]) == "2024-01-02"


# ----------------------------------------------------------------- .html

HTML = """<!doctype html><html><head><title>Nordkorea schickt Truppen | Beispielblatt</title>
<meta property="og:site_name" content="Beispielblatt"><meta name="author" content="Anna Keller">
<meta property="article:published_time" content="2024-11-01T10:00:00+01:00">
<link rel="canonical" href="https://example.org/politik/1"></head>
<body><nav><a href="/">Startseite</a> <a href="/politik">Politik</a> <a href="/sport">Sport</a></nav>
<article><h1>Nordkorea schickt Truppen</h1>
<p>Nordkorea hat nach Angaben aus Seoul mehrere tausend Soldaten nach Russland verlegt. Die Regierung in Kiew reagierte besorgt.</p>
<p>Anzeige</p>
<p>Nach Angaben des Geheimdienstes könnten es bis zu 12.000 Soldaten werden. Eine Bestätigung aus Moskau gab es nicht.</p>
<script>var tracking = "GEHEIM";</script>
</article><footer>Impressum Datenschutz Kontakt</footer></body></html>"""


def test_html_with_trafilatura(tmp_path):
    a = one(write(tmp_path, "seite.html", HTML), tmp_path)
    assert a.title == "Nordkorea schickt Truppen"
    assert a.date == "2024-11-01"
    assert a.outlet == "Beispielblatt"
    assert a.author == "Anna Keller"
    assert a.url == "https://example.org/politik/1"
    assert "GEHEIM" not in a.text and "Impressum" not in a.text and "Startseite" not in a.text
    assert "Soldaten nach Russland verlegt. Die Regierung in Kiew reagierte besorgt.\n\n" in a.text
    assert any(a.text[s.start:s.end] == "Anzeige" for s in a.spans)


def test_html_fallback_parser_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "_html_extract", lambda html: ("", {}))
    a = one(write(tmp_path, "seite.htm", HTML), tmp_path)
    assert a.outlet == "Beispielblatt" and a.date == "2024-11-01"
    assert "GEHEIM" not in a.text and "Impressum" not in a.text and "Startseite" not in a.text
    assert "Nordkorea schickt Truppen\n\nNordkorea hat nach Angaben" in a.text


def test_html_latin1_declared_and_broken_markup(tmp_path):
    html = ('<html><head><meta charset="iso-8859-1"><title>Grüße</title></head><body><p>Über die Straße '
            'ging er. <b>Fett <i>kursiv</p><div>Noch ein Absatz mit Text.').encode("latin-1")
    a = one(write(tmp_path, "alt.html", html), tmp_path)
    assert "Über die Straße" in a.text


def test_html_without_text_is_skipped(tmp_path):
    assert "no text" in skip_reason(write(tmp_path, "leer.html", "<html><head><script>x=1</script></head><body></body></html>"), tmp_path)


# ----------------------------------------------------------------- .jsonl

def test_jsonl_records_ids_field_map_and_bad_records(tmp_path):
    lines = [
        json.dumps({"title": "Eins", "text": "Erster Text. Mit Inhalt.", "date": "01.11.2024", "outlet": "Blatt A"}),
        "{kaputt",
        json.dumps({"body": "Zweiter Text ohne Titel. Mit Satz.", "source": "Blatt B",
                    "published": "Fri, 01 Nov 2024 10:00:00 +0100", "link": "https://b.example/2"}),
        "[1, 2]",
        "",
        json.dumps({"title": "Leer", "text": "   "}),
    ]
    p = write(tmp_path, "feeds/f.jsonl", "\n".join(lines) + "\n")
    skipped = []
    arts = read_file(p, tmp_path, field_map={"body": "text", "source": "outlet"}, skipped=skipped)
    assert [a.id for a in arts] == ["feeds/f.jsonl#1", "feeds/f.jsonl#3"]
    a1, a3 = arts
    assert (a1.title, a1.date, a1.outlet) == ("Eins", "2024-11-01", "Blatt A")
    assert (a3.title, a3.date, a3.outlet, a3.url) == ("Zweiter Text ohne Titel", "2024-11-01", "Blatt B", "https://b.example/2")
    assert [s[0] for s in skipped] == ["feeds/f.jsonl#2", "feeds/f.jsonl#4", "feeds/f.jsonl#5"]
    assert "malformed JSON" in skipped[0][1]
    assert all("\n" not in r for _, r in skipped)


def test_jsonl_all_bad_is_skipped(tmp_path):
    p = write(tmp_path, "bad.jsonl", "{nope\n[1]\n\"x\"\n")
    msg = skip_reason(p, tmp_path)
    assert "no usable records" in msg and "3 bad" in msg


# ----------------------------------------------------------------- .csv

def test_csv_semicolon_with_header_and_field_map(tmp_path):
    csv_text = ('titel;inhalt;datum;quelle\n'
                'Erster;"Text eins; mit Semikolon. Und Satz.";2024-10-03;Blatt A\n'
                'Zweiter;Text zwei.;3. Oktober 2024;Blatt B\n')
    p = write(tmp_path, "d.csv", csv_text)
    arts = read_file(p, tmp_path, field_map={"inhalt": "text"})
    assert [a.id for a in arts] == ["d.csv#1", "d.csv#2"]
    assert arts[0].text == "Text eins; mit Semikolon. Und Satz."
    assert [(a.title, a.date, a.outlet) for a in arts] == [("Erster", "2024-10-03", "Blatt A"), ("Zweiter", "2024-10-03", "Blatt B")]


def test_csv_comma_and_tab(tmp_path):
    p = write(tmp_path, "c.csv", 'title,text,url\n"A, B","Text, mit Komma.",https://x.example/1\n')
    a = one(p, tmp_path)
    assert (a.title, a.text, a.url) == ("A, B", "Text, mit Komma.", "https://x.example/1")
    p2 = write(tmp_path, "t.csv", "title\ttext\nT1\tErster Text.\nT2\tZweiter Text.\n")
    assert [a.title for a in read_file(p2, tmp_path)] == ["T1", "T2"]


def test_csv_without_header_guesses_text_column_and_quotechar(tmp_path):
    rows = ["Inland;'Die Regierung plant viel; sagt sie. Der Satz ist lang genug für einen Text.'",
            "Sport;'Der Verein gewann das Spiel. Trainer: \"Wir sind zufrieden\" – und es gibt noch mehr Text.'",
            "Kultur;'Ein Museum eröffnet. Die Ausstellung zeigt Werke; viele davon erstmals.'"]
    p = write(tmp_path, "nohead.csv", "\n".join(rows) + "\n")
    arts = read_file(p, tmp_path)
    assert len(arts) == 3
    assert arts[0].text == "Die Regierung plant viel; sagt sie. Der Satz ist lang genug für einen Text."
    assert arts[0].title == "Die Regierung plant viel; sagt sie"


def test_csv_bad_records_and_header_without_text(tmp_path):
    p = write(tmp_path, "h.csv", "title;date\nA;2024\nB;2023\n")
    assert "no text column" in skip_reason(p, tmp_path)
    p2 = write(tmp_path, "r.csv", "title;text\nA;\nB;Guter Text.\n")
    skipped = []
    arts = read_file(p2, tmp_path, skipped=skipped)
    assert [a.id for a in arts] == ["r.csv#2"] and skipped == [("r.csv#1", "record has no text")]
    p3 = write(tmp_path, "x.csv", "nur ein wort\n")
    assert skip_reason(p3, tmp_path)


def test_gnad_csv_reads_every_record(tmp_path):
    src = gnad_path()
    texts = gnad_texts()
    arts = read_file(src, src.parent)
    assert len(arts) == len(texts) == 1028
    assert arts[0].id == "test.csv#1" and arts[-1].id == "test.csv#1028"
    assert [a.text for a in arts[:50]] == texts[:50]
    assert all(a.title for a in arts)


# ----------------------------------------------------------------- overrides

def test_overrides_applied_last(tmp_path):
    p = write(tmp_path, "a/x.txt", "Datum: 1.2.2020\n\nTitel aus Text\n\n" + BODY)
    a = one(p, tmp_path, overrides={"a/x.txt": {"title": "Neuer Titel", "date": "3. März 2021", "outlet": "Blatt", "Author": "Eva Roth"},
                                    "a/y.txt": {"title": "nicht dieser"}})
    assert (a.title, a.date, a.outlet, a.author) == ("Neuer Titel", "2021-03-03", "Blatt", "Eva Roth")
    b = one(p, tmp_path, overrides={"a/x.txt": {"date": "kein Datum", "url": None}})
    assert b.date == "2020-02-01"  # an unparseable override does not wipe a good date


def test_overrides_for_records_file_then_record(tmp_path):
    p = write(tmp_path, "f.jsonl", json.dumps({"text": "Eins. Text."}) + "\n" + json.dumps({"text": "Zwei. Text."}) + "\n")
    arts = read_file(p, tmp_path, overrides={"f.jsonl": {"outlet": "Feed"}, "f.jsonl#2": {"outlet": "Anders", "title": "T2"}})
    assert [(a.outlet, a.title) for a in arts] == [("Feed", "Eins"), ("Anders", "T2")]


def test_article_json_roundtrip(tmp_path):
    a = one(seed_path("000"), SEEDS)
    b = Article.from_json(json.loads(json.dumps(a.to_json())))
    assert b == a


# ----------------------------------------------------------------- speed

def test_read_file_speed_on_real_articles(tmp_path, capsys):
    texts = gnad_texts()[:300]
    paths = []
    for i, t in enumerate(texts):
        paths.append(write(tmp_path, f"g{i:04d}.txt", t))
    read_file(paths[0], tmp_path)  # warm-up (regex compilation)
    times = []
    for p in paths:
        t0 = time.perf_counter()
        read_file(p, tmp_path)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    avg_len = sum(map(len, texts)) / len(texts)
    with capsys.disabled():
        print(f"\nread_file median {med * 1000:.3f} ms, p95 {sorted(times)[int(0.95 * len(times))] * 1000:.3f} ms "
              f"on {len(texts)} 10kGNAD articles (avg {avg_len:.0f} chars)")
    assert med < 0.002


# ----------------------------------------------------------------- robustness

import tempfile  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

_FRAGMENTS = st.sampled_from([
    b"---\n", b"title: x\n", b"{\"text\": \"Hallo Welt.\"}\n", b"{bad\n", b"a;b;c\n", b"\"x,y\",z\n", b"'q';r\n",
    b"<p>Absatz.</p>", b"<script>", b"</div>", "Grüße".encode("cp1252"), "Grüße".encode(), b"\x1b[31m",
    b"\r\n", b"\n\n", b"\x00", b"\xff\xfe", b"# Titel\n", b"Anzeige\n",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.binary(max_size=20)), max_size=20),
       st.sampled_from(sorted(SUPPORTED)))
def test_any_bytes_give_articles_or_skipfile(chunks, ext):
    data = b"".join(chunks)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"f{ext}"
        p.write_bytes(data)
        try:
            arts = read_file(p, Path(d))
        except SkipFile as e:
            assert str(e) and "\n" not in str(e)
            return
        assert arts
        for a in arts:
            assert a.title and a.text and "\x1b" not in a.text and "\x00" not in a.text
            assert a.date is None or len(a.date) in (4, 7, 10)
            last = 0
            for s in a.spans:
                assert last <= s.start < s.end <= len(a.text)
                last = s.end


def test_record_text_given_as_html_is_converted(tmp_path):
    rec = {"title": "T", "text": "<p>Erster Absatz.</p><p>Zweiter <b>Absatz</b>.</p><script>x()</script>"}
    p = write(tmp_path, "h.jsonl", json.dumps(rec) + "\n")
    a = one(p, tmp_path)
    assert a.text == "Erster Absatz.\n\nZweiter Absatz."


def test_csv_field_larger_than_default_limit(tmp_path):
    big = "Wort " * 60_000  # 300 kB in one field (csv's default limit is 128 KiB)
    p = write(tmp_path, "big.csv", f"title;text\nA;{big}\n")
    assert one(p, tmp_path).text.startswith("Wort Wort")
