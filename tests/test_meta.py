"""index/meta.py: metadata read from the text as a reader would."""
import datetime as dt

import pytest

from conftest_ingest_helpers import gnad_texts, seed_text
from index.meta import extract_metadata, find_date, first_sentence, parse_date


def spans_text(text, meta, kind="meta"):
    return [text[s.start:s.end] for s in meta.spans if s.kind == kind]


# ----------------------------------------------------------------- seeds

def test_seed_000_date_token_and_dpa_dateline():
    t = seed_text("000")
    m = extract_metadata(t)
    assert m.date == "2024-10"
    assert m.outlet == "dpa"
    assert m.title.startswith("Weil nordkoreanische Soldaten in Russland")
    assert m.title.endswith("um Hilfe")
    assert "date 2024-10" not in m.title
    st = spans_text(t, m)
    assert st[0].strip() == "date 2024-10"
    assert any(x.startswith("Kiew (dpa).") for x in st)


def test_seed_001_lone_date_line_and_short_title_line():
    t = seed_text("001")
    m = extract_metadata(t)
    assert m.date == "2024-11-01"
    assert m.title == "Nordkoreanische Soldaten in Russland Selenskyjs Appell an Südkorea"
    assert "1.11.2024" in spans_text(t, m)
    # inline source notes are metadata, not the outlet of the article
    assert any(x.startswith("(Quelle: dpa") for x in spans_text(t, m))


def test_seed_002_date_and_first_sentence_title():
    m = extract_metadata(seed_text("002"))
    assert m.date == "2024-10"
    assert m.title == "Kürzlich sollen mehrere nordkoreanische Soldaten in der Ostukraine ums Leben gekommen sein"


def test_seed_003_outlet_from_cross_promotion_line():
    m = extract_metadata(seed_text("003"))
    assert m.outlet == "NIUS"
    assert m.title.startswith("Nordkorea hat damit begonnen, Truppen nach Russland zu entsenden")
    assert len(m.title) <= 200
    assert m.date is None  # the "1. November" in the prose is no publication date


def test_seed_004_kicker_stripped_and_teaser_dates_ignored():
    m = extract_metadata(seed_text("004"))
    assert m.title == "Nordkoreanische Soldaten in russischer Region Kursk eingetroffen – kein Dementi von Putin"
    assert m.date is None  # dates of related headlines are not the article's date


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_has_a_sensible_title(prefix):
    m = extract_metadata(seed_text(prefix))
    assert m.title and 20 <= len(m.title) <= 200
    assert "\n" not in m.title


# ----------------------------------------------------------------- dates

@pytest.mark.parametrize("value,iso", [
    ("2024-11-01", "2024-11-01"),
    ("2024-10", "2024-10"),
    ("2024", "2024"),
    ("1.11.2024", "2024-11-01"),
    ("01.11.2024", "2024-11-01"),
    ("12. 3. 2016", "2016-03-12"),
    ("1. November 2024", "2024-11-01"),
    ("3. Okt. 2024", "2024-10-03"),
    ("15. Jänner 2025", "2025-01-15"),
    ("März 2023", "2023-03"),
    ("Freitag, 1. November 2024, 14:30 Uhr", "2024-11-01"),
    ("2024-11-01T10:00:00+01:00", "2024-11-01"),
    ("Fri, 01 Nov 2024 10:00:00 +0100", "2024-11-01"),
    ("November 1, 2024", "2024-11-01"),
    (dt.date(2024, 11, 1), "2024-11-01"),
    (dt.datetime(2024, 11, 1, 9, 30), "2024-11-01"),
    (1730419200, "2024-11-01"),
    (2024, "2024"),
])
def test_parse_date(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["31.02.2024", "2024-13", "gestern", "", None, "12.000 Soldaten", True, "3. Oktober"])
def test_parse_date_rejects_non_dates(value):
    assert parse_date(value) is None


def test_find_date_skips_invalid_candidates():
    assert find_date("am 31.02.2024 oder am 1.3.2024") == "2024-03-01"


@pytest.mark.parametrize("text,iso", [
    ("Datum: 12.03.2024\n\nDie Regierung hat beschlossen.", "2024-03-12"),
    ("date 2024-10 Die Regierung hat beschlossen.", "2024-10"),
    ("Veröffentlicht am 5. Mai 2023\nText hier.", "2023-05-05"),
    ("Titel der Meldung\n2024-11-01\n\nText hier.", "2024-11-01"),
    ("Titel der Meldung\nVon Anna Keller, 16. Juni 2025\n\nText.", "2025-06-16"),
    ("Titel der Meldung\n\nText hier.\n\nStand: 12.03.2024, 10:15 Uhr", "2024-03-12"),
    ("Titel\n\nDer Minister sagte das. (Quelle: dpa, 1. November 2024)\n\nMehr Text.", "2024-11-01"),
    ("Titel\n\nText über den Streit am 3. Oktober 2020.\n\nEnde.", None),
])
def test_date_rules(text, iso):
    assert extract_metadata(text).date == iso


def test_published_date_beats_update_and_source_note():
    t = "Stand: 13.03.2024\nDatum: 12.03.2024\n\nText. (Quelle: dpa, 1. März 2024)"
    assert extract_metadata(t).date == "2024-03-12"


def test_date_line_is_a_meta_span():
    t = "Titel der Meldung\n01.11.2024\n\nText."
    m = extract_metadata(t)
    assert spans_text(t, m) == ["01.11.2024"]


# ----------------------------------------------------------------- outlet

@pytest.mark.parametrize("text,outlet", [
    ("Titel\n\nKiew (dpa). Der Präsident sagte etwas.", "dpa"),
    ("Titel\n\nTalheim (Reuters). Ein Feuer brach aus.", "Reuters"),
    ("Titel\n\nBerlin (AFP) - Die Regierung plant etwas.", "AFP"),
    ("Titel\n\nFrankfurt/Main (dpa-AFX) – Die Börse schloss.", "dpa-AFX"),
    ("Der Teaser steht vorn. Berlin (dpa) – Die Regierung plant etwas.", "dpa"),
    ("Titel\n\nText.\n\nAuch bei Morgenblatt: Ein anderer Artikel", "Morgenblatt"),
    ("Titel\n\nText.\n\nMehr von Abendpost", "Abendpost"),
    ("Titel\n\nText.\n\n© Wochenschau 2024", "Wochenschau"),
    ("Titel\n\nText.\n\nQuelle: Tagespost", "Tagespost"),
    ("Titel\n\nText.\nhttps://www.example-zeitung.de/politik/artikel-1", "example-zeitung.de"),
])
def test_outlet_rules(text, outlet):
    assert extract_metadata(text).outlet == outlet


def test_explicit_outlet_beats_dateline_agency():
    t = "Titel\n\nKiew (dpa). Der Präsident sagte etwas.\n\nAuch bei Morgenblatt: Noch ein Artikel"
    assert extract_metadata(t).outlet == "Morgenblatt"


@pytest.mark.parametrize("text", [
    "Titel\n\nSalt Lake City (Utah) – Die Mannschaft gewann.",
    "Titel\n\nDer Geheimdienst (NIS) teilte mit, dass Truppen unterwegs sind.",
    "Titel\n\nWien – Die Gewerkschaft fordert mehr.",
    "Titel\n\nDer Minister sagte das. (Quelle: dpa, 1. November 2024)",
])
def test_no_outlet_from_regions_acronyms_or_inline_source_notes(text):
    assert extract_metadata(text).outlet is None


# ----------------------------------------------------------------- author

@pytest.mark.parametrize("text,author", [
    ("Titel\nVon Anna Keller, 16. Juni 2025\n\nText.", "Anna Keller"),
    ("Titel\nVon Anna Keller\n\nText.", "Anna Keller"),
    ("Titel\nVon Hans-Peter von der Heide und Eva Roth\n\nText.", "Hans-Peter von der Heide und Eva Roth"),
    ("Titel\nAutor: Max Muster\n\nText.", "Max Muster"),
    ("Titel\nAutorin: Erika Beispiel | 3.4.2024\n\nText.", "Erika Beispiel"),
])
def test_author_rules(text, author):
    assert extract_metadata(text).author == author


@pytest.mark.parametrize("text", [
    "Titel\nVon Montag an gilt die neue Regel.\n\nText.",
    "Titel\nVon Berlin aus flog die Delegation weiter nach Paris.",
    "Titel\n\nEr bekam Post von Anna Keller.",
])
def test_prose_starting_with_von_is_no_byline(text):
    assert extract_metadata(text).author is None


# ----------------------------------------------------------------- title

def test_markdown_heading_is_title():
    assert extract_metadata("Vorspann\n\n# Die Überschrift\n\nText.").title == "Die Überschrift"


def test_title_key_line():
    t = "Titel: Eine Überschrift\nDatum: 1.2.2024\n\nText."
    m = extract_metadata(t)
    assert m.title == "Eine Überschrift" and m.date == "2024-02-01"


def test_first_sentence_not_cut_at_ordinals_abbreviations_or_initials():
    s = ("Am 3. Oktober traf Dr. Anna Keller in St. Gallen den Minister J. Müller, "
         "u.a. wegen z. B. Zöllen. Danach reiste sie ab.")
    assert first_sentence(s).endswith("wegen z. B. Zöllen.")
    t = "Kürzlich sind am 3. Oktober 20 Soldaten ums Leben gekommen. Zweiter Satz folgt hier."
    assert extract_metadata(t).title == "Kürzlich sind am 3. Oktober 20 Soldaten ums Leben gekommen"


def test_title_skips_ad_label_and_meta_lines():
    t = "Anzeige\n01.02.2024\nDie echte Überschrift\n\nText folgt."
    m = extract_metadata(t)
    assert m.title == "Die echte Überschrift"


def test_long_title_capped():
    t = ("Wort " * 120).strip() + "."
    m = extract_metadata(t)
    assert len(m.title) <= 200 and m.title.endswith("…")


def test_kicker_with_slash_only_when_short():
    assert extract_metadata("Wahl / Partei gewinnt knapp die Mehrheit\n\nText.").title == "Partei gewinnt knapp die Mehrheit"
    long_left = "Die lange Vorgeschichte des ganzen Streits / Partei gewinnt\n\nText."
    assert extract_metadata(long_left).title.startswith("Die lange Vorgeschichte")


# ----------------------------------------------------------------- url

def test_url_lines():
    t = "Titel\nhttps://example.org/a/1\n\nText."
    m = extract_metadata(t)
    assert m.url == "https://example.org/a/1"
    assert spans_text(t, m) == ["https://example.org/a/1"]
    t2 = "Titel\n\nText.\n\nQuelle: https://news.example.com/x?id=3."
    m2 = extract_metadata(t2)
    assert m2.url == "https://news.example.com/x?id=3"
    assert m2.outlet == "news.example.com"


def test_empty_text():
    m = extract_metadata("")
    assert m.title is None and m.spans == []


# ----------------------------------------------------------------- real corpus

def test_gnad_titles_dates_and_no_bogus_outlets():
    texts = gnad_texts()
    metas = [extract_metadata(t) for t in texts]
    assert all(m.title and len(m.title) <= 200 for m in metas)
    # derStandard texts start with a teaser sentence: that must be the title, whole
    assert sum(texts[i].startswith(m.title) for i, m in enumerate(metas)) >= 0.95 * len(texts)
    # closing notes like "(APA, 12.3.2016)" give dates for some articles
    dated = [m.date for m in metas if m.date]
    assert len(dated) >= 30
    assert all(d[:2] in ("19", "20") for d in dated)
    # region names in parentheses ("Salt Lake City (Utah) –") are never outlets
    outlets = {m.outlet for m in metas if m.outlet}
    assert len(outlets) <= 5, outlets
