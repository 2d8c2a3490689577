"""index/boilerplate.py: generic boilerplate and repeated-paragraph spans."""
import re

import pytest

from conftest_ingest_helpers import gnad_texts, seed_text
from index.boilerplate import find_boilerplate, line_reason, merge_spans
from index.model import Span

PROSE = ("Die Regierung hat am Dienstag ein neues Gesetz beschlossen, das die Förderung "
         "von Wärmepumpen neu regelt. Kritiker sprechen von einem Bürokratiemonster.")
PROSE2 = ("Nach Angaben des Ministeriums sollen rund 12.000 Haushalte profitieren. "
          "Die Opposition kündigte an, im Bundesrat dagegen zu stimmen.")


def marked(text):
    return [(s.kind, s.reason, text[s.start:s.end]) for s in find_boilerplate(text)]


def check_invariants(text, spans):
    last = 0
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= last, "spans overlap or are unsorted"
        assert s.kind in ("boilerplate", "duplicate") and s.reason
        last = s.end


# ----------------------------------------------------------------- seeds

def test_seed_000_repeated_caption_and_ad_label():
    t = seed_text("000")
    m = marked(t)
    dups = [x for x in m if x[0] == "duplicate"]
    assert len(dups) == 1 and dups[0][1] == "repeated paragraph"
    first = t.index("Eine 24-Stunden-Sendung")
    later = t.index("Eine 24-Stunden-Sendung", first + 10)
    sp = [s for s in find_boilerplate(t) if s.kind == "duplicate"][0]
    assert sp.start == later  # the LATER copy is the duplicate
    assert t[sp.start:sp.end].endswith("Foto: Kim Jae-Hwan/DPA")
    assert ("boilerplate", "advertisement label", "Anzeige") in m
    assert not any("Kiew (dpa)" in x[2] for x in m)


def test_seed_001_trailing_stubs():
    t = seed_text("001")
    m = marked(t)
    assert [x[2] for x in m] == ["Quellen:", "Weitere", "Artikel"]


def test_seed_003_cross_promotion_line():
    t = seed_text("003")
    m = marked(t)
    assert len(m) == 1 and m[0][2].startswith("Auch bei ")


def test_seed_004_related_headlines_and_login_prompts():
    t = seed_text("004")
    m = marked(t)
    reasons = [x[1] for x in m]
    assert reasons.count("related headlines") == 3
    assert reasons.count("login/comment prompt") == 3
    # nothing in the article body
    body_end = t.index("- Nach ")
    assert all(s.start >= body_end for s in find_boilerplate(t))


def test_seed_002_plain_article_untouched():
    assert find_boilerplate(seed_text("002")) == []


# ----------------------------------------------------------------- line rules (synthetic)

@pytest.mark.parametrize("line,reason", [
    ("Anzeige", "advertisement label"),
    ("ANZEIGE", "advertisement label"),
    ("- Anzeige -", "advertisement label"),
    ("Werbung", "advertisement label"),
    ("Advertisement", "advertisement label"),
    ("Sponsored", "advertisement label"),
    ("Sie müssen angemeldet sein, um kommentieren zu können.", "login/comment prompt"),
    ("Melden Sie sich an", "login/comment prompt"),
    ("Registrieren Sie sich kostenlos", "login/comment prompt"),
    ("Kommentare", "login/comment prompt"),
    ("12 Kommentare", "login/comment prompt"),
    ("Jetzt kommentieren", "login/comment prompt"),
    ("Newsletter abonnieren", "newsletter/share prompt"),
    ("Jetzt abonnieren", "newsletter/share prompt"),
    ("Teilen Sie diesen Artikel", "newsletter/share prompt"),
    ("Artikel teilen", "newsletter/share prompt"),
    ("Facebook Twitter WhatsApp E-Mail", "newsletter/share prompt"),
    ("Folgen Sie uns auf Instagram", "newsletter/share prompt"),
    ("Lesezeit: 4 Min.", "newsletter/share prompt"),
    ("Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.", "cookie/paywall note"),
    ("Dieser Artikel ist nur für Abonnenten verfügbar.", "cookie/paywall note"),
    ("Jetzt weiterlesen mit Plus", "cookie/paywall note"),
    ("Mehr zum Thema", "related headlines"),
    ("Lesen Sie auch: Wie die Inflation den Alltag verändert", "related headlines"),
    ("Das könnte Sie auch interessieren", "related headlines"),
    ("Auch bei Beispielblatt: Ein ganz anderer Artikel", "related headlines"),
    ("Startseite | Politik | Ausland", "navigation"),
    ("© Beispielverlag 2024", "copyright notice"),
    ("Foto: Max Muster/dpa", "photo credit"),
    ("Bild: picture alliance / AP", "photo credit"),
])
def test_line_rules(line, reason):
    assert line_reason(line) == reason


@pytest.mark.parametrize("line", [
    "Die Anzeige wurde am Montag bei der Polizei erstattet.",
    "Er erstattete Anzeige gegen den Nachbarn.",
    "Werbung für Zigaretten ist an Schulen seit Jahren verboten, sagte die Ministerin.",
    "Kommentare von Nutzern seien oft unsachlich, so die Studie.",
    "Weitere Informationen gibt es am Dienstag in einer Pressekonferenz des Ministeriums.",
    "Mehr von diesen Geräten sollen bis zum Sommer an die Schulen geliefert werden.",
    "Foto: Die Polizei sperrte die Straße am Abend komplett ab, weil ein Verdächtiger floh.",
    "Teilen wollte er die Beute nicht, berichtete die Staatsanwaltschaft am Mittwoch.",
    "Das Wichtigste in Kürze",
    "Zum Thema Klimaschutz äußerte sich der Minister am Abend ausführlich im Fernsehen.",
])
def test_prose_and_mid_sentence_words_are_not_boilerplate(line):
    assert line_reason(line) is None
    assert find_boilerplate(f"{PROSE}\n\n{line}\n\n{PROSE2}") == []


def test_photo_credit_at_paragraph_end_only_the_credit():
    t = f"{PROSE} Foto: Max Muster/dpa\n\n{PROSE2}"
    spans = find_boilerplate(t)
    assert [(s.reason, t[s.start:s.end]) for s in spans] == [("photo credit", "Foto: Max Muster/dpa")]
    t2 = f"Das Bild zeigt den Minister. © Beispielagentur\n\n{PROSE2}"
    assert [t2[s.start:s.end] for s in find_boilerplate(t2)] == ["© Beispielagentur"]


def test_related_headline_lists_with_dates():
    t = (f"{PROSE}\n\n- Erste Meldung über etwas - 13. Januar 2025.\n"
         f"- Zweite Meldung über anderes - 13. Januar 2025.\n"
         f"- Dritte Meldung (12.01.2025)\n\n{PROSE2}")
    spans = find_boilerplate(t)
    assert [s.reason for s in spans] == ["related headlines"] * 3
    # one dated bullet alone is content, not a list
    t1 = f"{PROSE}\n\n- Eine Meldung über etwas - 13. Januar 2025.\n\n{PROSE2}"
    assert find_boilerplate(t1) == []


def test_teaser_heading_takes_the_headlines_below_it_but_not_prose():
    t = (f"{PROSE}\n\nMehr zum Thema\n\n- Wärmepumpen: Was Eigentümer wissen müssen\n"
         f"- Förderung: Die wichtigsten Fragen\n\n{PROSE2}")
    spans = find_boilerplate(t)
    got = [t[s.start:s.end] for s in spans]
    assert got == ["Mehr zum Thema", "- Wärmepumpen: Was Eigentümer wissen müssen", "- Förderung: Die wichtigsten Fragen"]
    assert PROSE2 not in "".join(got)


def test_trailing_stub_needs_two_lines_or_a_colon():
    assert [s.reason for s in find_boilerplate(f"{PROSE}\n\nWeitere\nArtikel")] == ["trailing stub"] * 2
    assert [s.reason for s in find_boilerplate(f"{PROSE}\n\nQuellen:")] == ["trailing stub"]
    assert find_boilerplate(f"{PROSE}\n\nAnna Keller") == []


# ----------------------------------------------------------------- duplicates

def test_exact_duplicate_paragraph_later_copy_marked():
    t = f"{PROSE}\n\n{PROSE2}\n\n{PROSE}"
    spans = find_boilerplate(t)
    assert len(spans) == 1
    s = spans[0]
    assert (s.kind, s.reason) == ("duplicate", "repeated paragraph")
    assert s.start == t.rindex(PROSE) and s.end == len(t)


def test_near_duplicate_after_whitespace_and_credit_normalisation():
    variant = PROSE.replace(" ", "  ").replace("Dienstag", "Dienstag") + " Foto: Max Muster/dpa"
    t = f"{PROSE}\n\n{PROSE2}\n\n{variant}"
    spans = find_boilerplate(t)
    assert [(s.kind, t[s.start:s.end]) for s in spans] == [("duplicate", variant)]


def test_near_duplicate_with_one_word_changed():
    variant = PROSE.replace("Kritiker", "Gegner")
    t = f"{PROSE}\n\n{PROSE2}\n\n{variant}"
    assert [s.kind for s in find_boilerplate(t)] == ["duplicate"]


def test_duplicates_on_single_newline_paragraphs():
    t = f"{PROSE}\n{PROSE2}\n{PROSE}"
    spans = find_boilerplate(t)
    assert [(s.kind, s.start) for s in spans] == [("duplicate", t.rindex(PROSE))]


def test_different_paragraphs_and_short_repeats_are_not_duplicates():
    t = f"Zwischentitel\n\n{PROSE}\n\nZwischentitel\n\n{PROSE2}"
    assert find_boilerplate(t) == []


# ----------------------------------------------------------------- merge

def test_merge_spans_priority_and_order():
    spans = [Span(0, 10, "meta", "a"), Span(5, 20, "boilerplate", "b"), Span(15, 40, "duplicate", "c"),
             Span(40, 45, "meta", "d"), Span(3, 3, "meta", "empty")]
    out = merge_spans(spans)
    assert [(s.start, s.end, s.kind) for s in out] == [(0, 10, "meta"), (15, 40, "duplicate"), (40, 45, "meta")]


def test_empty_text():
    assert find_boilerplate("") == []


# ----------------------------------------------------------------- real corpus

def test_gnad_marks_only_a_small_fraction(capsys):
    """The 10kGNAD texts are single lines; put every sentence on its own line so
    that the line rules really see prose, then check that almost nothing is marked."""
    texts = gnad_texts()
    total = marked_chars = marked_articles = 0
    sample = []
    for t in texts:
        t = "\n".join(re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", t))
        spans = find_boilerplate(t)
        check_invariants(t, spans)
        total += len(t)
        if spans:
            marked_articles += 1
            sample.extend((s.reason, t[s.start:s.end][:60]) for s in spans[:1])
        marked_chars += sum(s.end - s.start for s in spans)
    with capsys.disabled():
        print(f"\n10kGNAD (one sentence per line): {marked_articles}/{len(texts)} articles with spans, "
              f"{marked_chars / total:.3%} of characters marked; sample: {sample[:4]}")
    assert marked_chars / total < 0.005
    assert marked_articles <= 0.03 * len(texts)
    # what is marked is mostly sentences the article really prints twice
    assert sum(r == "repeated paragraph" for r, _ in sample) >= 0.6 * len(sample)


# ----------------------------------------------------------------- robustness

from hypothesis import given, settings, strategies as st  # noqa: E402

from index.meta import extract_metadata  # noqa: E402

_PIECES = st.sampled_from([
    "Anzeige", "Foto: A/B", "© X", "Mehr zum Thema", "- Titel - 1. März 2024.", "Von Anna Keller",
    "Kiew (dpa). ", "date 2024-10 ", "1.11.2024", "Quellen:", "Weitere", "Artikel", PROSE, PROSE2,
    "Auch bei X: y", "(Quelle: dpa, 1. November 2024)", "https://x.example/a", "# Kopf", "---",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=25),
       st.lists(st.sampled_from(["\n", "\n\n", " ", ""]), min_size=25, max_size=25))
def test_random_documents_never_crash_and_keep_invariants(pieces, seps):
    text = "".join(p + s for p, s in zip(pieces, seps))
    check_invariants(text, find_boilerplate(text))
    m = extract_metadata(text)
    for s in m.spans:
        assert 0 <= s.start < s.end <= len(text) and s.kind == "meta"
    assert m.title is None or (0 < len(m.title) <= 200 and "\n" not in m.title)
    assert m.date is None or len(m.date) in (4, 7, 10)


def test_large_repetitive_input_stays_linear():
    import time
    text = "\n\n".join([PROSE] * 8000)  # ~1.2 MB of the same paragraph
    t0 = time.perf_counter()
    spans = find_boilerplate(text)
    extract_metadata(text)
    assert time.perf_counter() - t0 < 4.0
    assert len(spans) == 7999 and all(s.kind == "duplicate" for s in spans)
