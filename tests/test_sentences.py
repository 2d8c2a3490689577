import csv
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from index import sentences as S
from index.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
GNAD = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "10kgnad" / "test.csv"


def sents(text):
    return [text[s:e] for s, e in split_sentences(text)]


def assert_covers(text, spans):
    prev_end = 0
    covered = set()
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        prev_end = e
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert i in covered, (i, ch)


@pytest.mark.parametrize("text", [
    "Der Anschlag geschah am 3. Oktober in der Stadt.",
    "Die Regel gilt ab dem 1. November für alle.",
    "Kim schickte am Montag (7. Oktober) Grüße.",
    "Der 2. Weltkrieg endete 1945 in Europa.",
    "Die 3. Liga spielt am Wochenende.",
    "Er hat seinen 80. Geburtstag gefeiert.",
    "Dr. Müller und Prof. Schmidt kamen.",
    "Es gibt viele Beispiele, z. B. Äpfel und Birnen.",
    "Dazu gehören u. a. Frankreich und Polen.",
    "Das ist, d. h. im Kern, richtig.",
    "Er verdient ca. 3.000 Euro im Monat.",
    "Die Kosten liegen bei 1,5 Mio. Euro pro Jahr.",
    "Das kostet 2 Mrd. Dollar insgesamt.",
    "Er wohnt in der Nr. 5 am Markt.",
    "Er wohnt in St. Pölten seit Jahren.",
    "Im 19. Jh. war das anders.",
    "Um 500 v. Chr. gab es die Stadt schon.",
    "Äpfel, Birnen usw. sind gesund.",
    "Nordkoreas Machthaber Kim J. Un reiste ab.",
    "Mehr unter www.beispiel.de. oder info@beispiel.de im Netz.",
    "Es waren 12.000 Menschen und 3,4 Prozent mehr.",
    "«Wir werden über Waffen reden», kündigte er an.",
    "„Das ist gut!“ sagte sie leise.",
    "Papst Johannes Paul II. besuchte die Stadt.",
    "Er sagte: „Wir kommen. Wir bleiben.“",
    "Der Fall (...) wurde eingestellt.",
    "Sie zitierte den Satz […] Dann war Ruhe.",
])
def test_no_split(text):
    # "[…] Dann" is an omission in a quotation, the only case here where the text
    # after a terminal mark starts uppercase; it stays one sentence too
    assert sents(text) == [text], sents(text)


@pytest.mark.parametrize("text,expected", [
    ("„Was wir tun, ist unsere Sache.“ In Moskau billigte das Parlament.",
     ["„Was wir tun, ist unsere Sache.“", "In Moskau billigte das Parlament."]),
    ("Er kam. Sie ging.", ["Er kam.", "Sie ging."]),
    ("Wirklich? Ja! Gut.", ["Wirklich?", "Ja!", "Gut."]),
    ("Die Zahl stieg auf 12.000. Das ist viel.", ["Die Zahl stieg auf 12.000.", "Das ist viel."]),
    ("Das war im Jahr 2014. Danach kam es anders.", ["Das war im Jahr 2014.", "Danach kam es anders."]),
    ("Die Preise stiegen um 20. Dann fielen sie.", ["Die Preise stiegen um 20.", "Dann fielen sie."]),
    ("Kiew (dpa). Der Präsident sprach.", ["Kiew (dpa).", "Der Präsident sprach."]),
    ("Er sagte etc. Dann ging er.", ["Er sagte etc.", "Dann ging er."]),
    ("Ich weiß nicht … Vielleicht morgen.", ["Ich weiß nicht …", "Vielleicht morgen."]),
    ("Mehr auf www.beispiel.de. Dort steht alles.", ["Mehr auf www.beispiel.de.", "Dort steht alles."]),
    ("„Bilder sind eine Sache“, sagte Putin. „Wenn es sie gibt, sollten sie etwas zeigen.“",
     ["„Bilder sind eine Sache“, sagte Putin.", "„Wenn es sie gibt, sollten sie etwas zeigen.“"]),
])
def test_split(text, expected):
    assert sents(text) == expected


def test_lines_and_paragraphs():
    text = ("Seoul erwägt Änderung der Politik\nDer Präsident sagte am Donnerstag etwas.\n\n"
            "Anzeige\n\nZweiter Absatz ohne Punkt\n\n- Punkt eins\n- Punkt zwei\n"
            "Ein Satz, der über\nzwei Zeilen läuft.")
    assert sents(text) == [
        "Seoul erwägt Änderung der Politik",
        "Der Präsident sagte am Donnerstag etwas.",
        "Anzeige",
        "Zweiter Absatz ohne Punkt",
        "- Punkt eins",
        "- Punkt zwei",
        "Ein Satz, der über\nzwei Zeilen läuft.",
    ]


def test_unbalanced_quote_does_not_swallow_paragraph():
    text = "Er sprach von „Frieden. Dann ging er. Danach kam sie."
    assert len(sents(text)) == 3


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences("  \n\n \t ") == []


def test_bad_input():
    with pytest.raises(TypeError):
        split_sentences(None)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc ABC.!?…\n„“«»\"()0123456789,:;-")), max_size=200))
def test_spans_cover_text(text):
    assert_covers(text, split_sentences(text))


def test_seeds_cover_and_known_sentences():
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert_covers(text, split_sentences(text))
    t = (ROOT / "seeds" / "003_02a9048fcc89feeb.txt").read_text(encoding="utf-8")
    ss = sents(t)
    assert any(s.startswith("Kyrylo Budanov") and s.endswith("bereit seien, in der Ukraine zu kämpfen.") for s in ss)
    t = (ROOT / "seeds" / "004_877e01af3c7ff7d7.txt").read_text(encoding="utf-8")
    assert "„Wenn es sie gibt, sollten sie auch etwas zeigen.“" in sents(t)


def test_speed_at_least_1mb_per_second():
    base = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = (base + "\n\n") * (1_000_000 // len(base) + 1)
    t = time.perf_counter()
    spans = split_sentences(text)
    dt = time.perf_counter() - t
    assert spans
    assert len(text) / dt >= 1_000_000, f"{len(text) / dt / 1e6:.2f} MB/s"


def test_10kgnad_robust():
    if not GNAD.exists():
        pytest.skip("10kGNAD corpus not available")
    with GNAD.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) == 2][:300]
    n = 0
    for _, text in rows:
        spans = split_sentences(text)
        assert_covers(text, spans)
        n += len(spans)
        for s, e in spans:  # no sentence ends right after an ordinal before a month
            assert not text[s:e].rstrip().endswith((" am 1.", " am 2.", " am 3."))
    assert n > 300 * 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aB-_ \n.1ü€\t", max_size=12), st.data())
def test_word_before_full_stop_matches_its_regex(block, data):
    import re
    from index.sentences import _word_span_before
    lo = data.draw(st.integers(min_value=0, max_value=len(block)))
    pos = data.draw(st.integers(min_value=lo, max_value=len(block)))
    m = re.compile(r"([\w\-]+)$").search(block, lo, pos)
    got = _word_span_before(block, lo, pos)
    assert (m.span(1) if m else None) == (got if got[0] < got[1] else None)


def test_same_text_twice_is_split_once_and_results_are_independent():
    text = "Erster Satz. Zweiter Satz."
    a = split_sentences(text)
    a.append((99, 100))                       # the caller owns its list
    b = split_sentences(text)
    assert b == [(0, 12), (13, 26)]
    assert split_sentences("Erster Satz. Zweiter Satz!") == [(0, 12), (13, 26)]


# The splitter without its regex shortcuts, as it was before them: every candidate run
# of terminal punctuation goes through the Python rules.
_RUN_RE = re.compile(r"(?:\.{2,}|[.!?…]+)[\"'“”„«»‚‘’)\]]*(?=\s+\S|\s*$)")


def split_by_rules(text):
    spans = []

    def emit(s, e):
        seg = text[s:e]
        s, e = s + len(seg) - len(seg.lstrip()), s + len(seg.rstrip())
        if s < e:
            spans.append((s, e))

    for start, end in S._blocks(text):
        block = text[start:end]
        quotes = list(zip(*S._quote_regions(block)))
        sent_start = 0
        for m in _RUN_RE.finditer(block):
            cut = m.end()
            if cut >= len(block):
                break
            if any(qs < m.start() and cut < qe for qs, qe in quotes):
                continue
            nxt = block[cut:].lstrip()[:1]
            if not nxt or not S._can_start(nxt) or not S._is_boundary(block, sent_start, m.start(), m.group(), cut):
                continue
            emit(start + sent_start, start + cut)
            sent_start = cut
        emit(start + sent_start, end)
    return spans


_WORDS = sorted(S._ABBREV | S._ABBREV_NUM | S._MONTHS | S._ORDINAL_BEFORE) + [
    "Dr", "DR", "Prof", "z", "B", "u", "a", "Kim", "Un", "Paul", "II", "IV", "X", "Berlin", "Welt", "USA", "ist",
    "ATP-Nr", "Nord-Süd", "-dr", "x-", "x_y", "Über", "ärger", "İ", "ſt", "ẞ", "Σ", "٣", "²", "_", "3", "12", "150",
    "2014", "12.000", "3,4", "(...)", "[…]", "(dpa)", "",
]
_news_token = st.tuples(
    st.sampled_from(["", "", "", "", "„", "“", "\"", "«", "»", "‚", "'", "(", "[", "–", "-", "•", "*", "¿"]),
    st.one_of(st.sampled_from(_WORDS), st.sampled_from(_WORDS).map(str.upper), st.sampled_from(_WORDS).map(str.title),
              st.text(max_size=3)),
    st.sampled_from(["", "", "", ".", ".", ".", "!", "?", "…", "...", "?!", ". .", ",", ":"]),
    st.sampled_from(["", "", "", "", "\"", "“", "”", "«", "»", "‘", "’", ")", "]", "“)"]),
    st.sampled_from([" ", " ", " ", " ", "", "\n", "\n\n", "  ", "\t", "\xa0", "\x0b", "\x1c", "\x85",
                     "\u2028", "\r\n"]),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_news_token, max_size=40).map("".join))
def test_regex_shortcuts_change_nothing(text):
    # the sure boundaries found in C must be exactly those the Python rules accept
    spans = split_sentences(text)
    assert spans == split_by_rules(text)
    assert_covers(text, spans)


@pytest.mark.parametrize("before", ["", "Er kam am ", "Papst Johannes Paul ", "mit seinem bereits "])
def test_regex_shortcuts_change_nothing_after_listed_words(before):
    words = sorted(S._ABBREV | S._ABBREV_NUM | S._MONTHS | S._ORDINAL_BEFORE) + [
        "3", "12", "150", "2014", "II", "Un", "x-Dr", "-dr", "Nord-Süd", "(dpa)", "ist", "Welt"]
    for w in words:
        for word in (w, w.title(), w.upper()):
            for punct in (".", "...", ".“", "?"):
                for after in ("Der", "5", "„Wir", "oktober", "Oktober"):
                    text = f"{before}{word}{punct} {after} ging."
                    assert split_sentences(text) == split_by_rules(text), text


def test_long_punctuation_run_is_linear():
    first = "Wort" + ".!…" * 20_000 + "x endet."
    t = time.perf_counter()
    assert sents(first + " Noch ein Satz.") == [first, "Noch ein Satz."]
    assert time.perf_counter() - t < 1.0  # each run is scanned once, not from each of its characters
