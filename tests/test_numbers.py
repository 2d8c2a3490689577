from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from index.numbers import (
    Quantity, hedge_class, parse_number_word, parse_quantities, parse_quantities_in, unit_key, unit_matches,
    value_range,
)
from index.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def one(sentence):
    qs = parse_quantities(sentence)
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    assert sentence[q.start:q.end] == q.text
    return q


# ---------------------------------------------------------------- German number words (test oracle)

_ONES = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
_TEENS = ["zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
          "neunzehn"]
_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]


def words_below_1000(n: int) -> str:
    """German words for 1..999 as a standalone number ("eins", "einhunderteins")."""
    h, rest = divmod(n, 100)
    out = (_ONES[h] + "hundert") if h else ""
    if rest == 0:
        return out
    if rest == 1:
        return out + "eins"
    if rest < 10:
        return out + _ONES[rest]
    if rest < 20:
        return out + _TEENS[rest - 10]
    t, o = divmod(rest, 10)
    return out + ((_ONES[o] + "und") if o else "") + _TENS[t]


def german_words(n: int) -> str:
    if n == 0:
        return "null"
    th, rest = divmod(n, 1000)
    out = ""
    if th:
        prefix = words_below_1000(th)
        out = (prefix[:-1] if prefix.endswith("eins") else prefix) + "tausend"
    if rest:
        out += words_below_1000(rest)
    return out


def test_oracle_examples():
    assert german_words(250) == "zweihundertfünfzig"
    assert german_words(12000) == "zwölftausend"
    assert german_words(21) == "einundzwanzig"
    assert german_words(1001) == "eintausendeins"
    assert german_words(101000) == "einhunderteintausend"


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_spelled_numbers_round_trip(n):
    w = german_words(n)
    assert parse_number_word(w) == n, w


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=999_999))
def test_spelled_number_in_sentence(n):
    w = german_words(n)
    if w.endswith("eins"):
        return  # "eins" is not used before a noun
    q = one(f"Es kamen {w} Besucher in die Halle.")
    assert q.value == n and q.unit == "Besucher" and q.kind == "count"


def group(n: int, sep: str) -> str:
    s = str(n)
    if not sep:
        return s
    parts = []
    while len(s) > 3:
        parts.insert(0, s[-3:])
        s = s[:-3]
    parts.insert(0, s)
    return sep.join(parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2101, max_value=10**12), st.sampled_from([".", " ", "\u00a0", "\u202f", "\u2009", ""]))
def test_thousands_separators_same_value(n, sep):
    q = one(f"Die Behörde zählte {group(n, sep)} Fahrzeuge auf den Straßen.")
    assert q.value == n
    assert q.unit == "Fahrzeuge"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=1, max_value=99))
def test_decimal_comma(whole, frac):
    text = f"{group(whole, '.')},{frac:02d}"
    q = one(f"Der Wert lag bei {text} Prozent im Schnitt.")
    assert q.value == pytest.approx(whole + frac / 100)
    assert q.kind == "percent"


# ---------------------------------------------------------------- values, scales, money, percent

@pytest.mark.parametrize("sentence,value,unit,kind", [
    ("Insgesamt sollen bis zu acht Millionen Artilleriegranaten geliefert worden sein.", 8e6, "Artilleriegranaten", "count"),
    ("Exporte legen auf Rekordwert von 3,4 Billionen Euro zu.", 3.4e12, "Euro", "money"),
    ("Das Projekt kostet 1,5 Mio. Euro.", 1.5e6, "Euro", "money"),
    ("Der Konzern zahlt 2 Mrd. Dollar.", 2e9, "Dollar", "money"),
    ("Es fehlen 10 Mio. Dollar.", 1e7, "Dollar", "money"),
    ("Der Eintritt kostet € 12 pro Person.", 12, "Euro", "money"),
    ("Der Eintritt kostet 12 € pro Person.", 12, "Euro", "money"),
    ("Das Ticket kostet $15 im Vorverkauf.", 15, "Dollar", "money"),
    ("Damit hätten 18 Prozent der Arbeiter einen solchen Vertrag.", 18, "Prozent", "percent"),
    ("Damit hätten 18 % der Arbeiter einen solchen Vertrag.", 18, "Prozent", "percent"),
    ("Damit hätten 18% der Arbeiter einen solchen Vertrag.", 18, "Prozent", "percent"),
    ("Die Partei verlor 2,5 Prozentpunkte.", 2.5, "Prozentpunkte", "percent"),
    ("Es gab sechs Verletzte.", 6, "Verletzte", "count"),
    ("Zwölftausend Menschen kamen.", 12000, "Menschen", "count"),
    ("Es kamen zweihundertfünfzig Gäste.", 250, "Gäste", "count"),
    ("Es kamen eine Million Menschen.", 1e6, "Menschen", "count"),
    ("Es fehlen zweieinhalb Millionen Euro.", 2.5e6, "Euro", "money"),
    ("Seit August soll Nordkorea 13.000 Container mit Granaten geschickt haben.", 13000, "Container", "count"),
    ("Sie fuhren 100 km bis zur Grenze.", 100, "km", "measure"),
    ("Sie fuhren 100km bis zur Grenze.", 100, "km", "measure"),
    ("Das Lager ist seit 100 Jahren in Betrieb.", 100, "Jahren", "measure"),
    ("Rund 2000 Soldaten wurden verlegt.", 2000, "Soldaten", "count"),
    ("Es waren 2000 nordkoreanische Soldaten.", 2000, "Soldaten", "count"),
])
def test_values(sentence, value, unit, kind):
    q = one(sentence)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.kind == kind


def test_unit_skips_adjectives():
    q = one("Seinen Angaben nach sind bereits 3.000 nordkoreanische Soldaten in Lagern.")
    assert q.unit == "Soldaten" and q.value == 3000 and q.hedge is None


def test_unit_from_zahl_der():
    q = one("Die Gesamtzahl der Truppen könnte auf bis zu 12.000 ansteigen.")
    assert q.unit == "Truppen" and q.hedge == "bis zu"


def test_bare_count_inherits_unit_in_sentence():
    qs = parse_quantities("Es sind 10.000 Soldaten in Russland, von denen etwa 8.000 in Kursk stationiert sind.")
    assert [(q.value, q.unit, q.hedge) for q in qs] == [(10000, "Soldaten", None), (8000, "Soldaten", "etwa")]


def test_range_shares_unit_and_scale():
    qs = parse_quantities("Es kosten zwei bis drei Millionen Euro.")
    assert [(q.value, q.unit, q.kind) for q in qs] == [(2e6, "Euro", "money"), (3e6, "Euro", "money")]
    qs = parse_quantities("Zwischen 10.000 und 12.000 Soldaten sind im Land.")
    assert [q.unit for q in qs] == ["Soldaten", "Soldaten"]


# ---------------------------------------------------------------- hedges

@pytest.mark.parametrize("hedge,cls", [
    ("rund", "approx"), ("etwa", "approx"), ("ca.", "approx"), ("circa", "approx"),
    ("schätzungsweise", "approx"), ("ungefähr", "approx"), ("bis zu", "upper"), ("mindestens", "lower"),
    ("wenigstens", "lower"), ("mehr als", "lower"), ("über", "lower"), ("fast", "near_below"),
    ("knapp", "near_below"), ("beinahe", "near_below"), ("nahezu", "near_below"), ("gut", "near_above"),
    ("weniger als", "upper"), ("unter", "upper"), ("höchstens", "upper"), ("maximal", "upper"),
])
def test_hedges(hedge, cls):
    q = one(f"Es kamen {hedge} 12.000 Menschen in die Stadt.")
    assert q.hedge == hedge
    assert q.text.startswith(hedge)
    assert hedge_class(q.hedge) == cls


@pytest.mark.parametrize("word", ["insgesamt", "bereits", "schon"])
def test_not_hedges(word):
    q = one(f"Es kamen {word} 12.000 Menschen.")
    assert q.hedge is None


def test_hedge_through_insgesamt():
    q = one("Nordkorea entsendet insgesamt rund 12.000 Soldaten.")
    assert q.hedge == "rund" and q.value == 12000


def test_vague_amounts_marked():
    for s, v, unit in [
        ("Es sind Tausende nordkoreanischer Soldaten verlegt worden.", 2000, "Soldaten"),
        ("Luftaufnahmen zeigen Hunderte von nordkoreanischen Soldaten.", 200, "Soldaten"),
        ("Nordkorea hat mehrere tausend Soldaten entsandt.", 2000, "Soldaten"),
        ("Sie hält mehrere hundert Quadratkilometer besetzt.", 200, "Quadratkilometer"),
        ("Dutzende Menschen warteten.", 24, "Menschen"),
    ]:
        q = one(s)
        assert q.hedge == "vage" and q.value == v and q.unit == unit
        assert hedge_class(q.hedge) == "vague"


# ---------------------------------------------------------------- not quantities

@pytest.mark.parametrize("sentence", [
    "Das war im Jahr 1990 so.",
    "Seit 2014 ist das anders.",
    "Exporte legen 2024 auf Rekordwert zu.",
    "Der Anschlag geschah am 3. Oktober.",
    "Ab dem 1. November sind sie bereit.",
    "Der Brief kam am 1.11.2024 an.",
    "Die Sitzung beginnt um 14.30 Uhr.",
    "Die Sitzung beginnt um 14:30 Uhr.",
    "Das Spiel endete 3:1 für die Gäste.",
    "Nach dem 2. Weltkrieg war alles anders.",
    "Eine 24-Stunden-Sendung lief im Fernsehen.",
    "Sie bauen Panzer vom Typ K2 nach.",
    "Der G7-Gipfel beginnt, G7 berät.",
    "Die Covid-19-Pandemie und Covid-19 trafen alle.",
    "Rufen Sie +49 30 1234567 an.",
    "Rufen Sie 030/1234567 an.",
    "Max Müller (45) wurde festgenommen.",
    "Das regelt Artikel 5 des Vertrags.",
    "Er landete auf Platz 3 der Liste.",
    "Die 90er Jahre waren wild.",
    "Mehr unter www.beispiel24.de im Netz.",
    "Er kam am Montag (7. Oktober) an.",
    "Die Elf spielte gut, er ließ es außer Acht.",
    "Einer der Soldaten kam zurück.",
    "Er nahm die Version 2.1.3 in Betrieb.",
])
def test_not_quantities(sentence):
    assert parse_quantities(sentence) == [], [q.text for q in parse_quantities(sentence)]


# ---------------------------------------------------------------- "über" before a time span

@pytest.mark.parametrize("sentence,text,value,unit", [
    ("Die Arbeitgeber haben 4 Prozent über 24 Monate angeboten.", "24 Monate", 24, "Monate"),
    ("Der Vertrag soll über zwei Jahre laufen.", "zwei Jahre", 2, "Jahre"),
    ("Die Erhöhung wird über 18 Wochen verteilt.", "18 Wochen", 18, "Wochen"),
])
def test_over_a_time_span_is_a_duration(sentence, text, value, unit):
    qs = [q for q in parse_quantities(sentence) if q.unit == unit]
    assert len(qs) == 1
    q = qs[0]
    assert (q.text, q.value, q.hedge, q.kind) == (text, value, None, "measure")
    assert sentence[q.start:q.end] == q.text


@pytest.mark.parametrize("sentence", [
    "Seit über zwei Jahren wird verhandelt.",          # dative: "über" is an adverb
    "Vor über 20 Jahren begann der Bau.",
    "Die Laufzeit wurde auf über 36 Monate verlängert.",  # preposition before "über"
    "Das Opfer war über 80 Jahre alt.",
    "Über 7000 Jahre alte Wachsreste wurden gefunden.",
    "Es kamen über 12.000 Menschen.",                   # not a time span at all
])
def test_over_still_means_more_than(sentence):
    q = one(sentence)
    assert q.hedge == "über" and q.text.lower().startswith("über")


# ---------------------------------------------------------------- year-like numbers in names

@pytest.mark.parametrize("sentence", [
    "Der TSV 1860 München verlor das Derby.",
    "Rubin Okotie (1860 München) traf zweimal.",
    "Zuvor letzter Sieger war 1966 Wilhelm Bungert gewesen.",
    "Mit Ed Clancy (Olympia-Bronze 2012 Omnium) gibt es einen Kandidaten.",
    "Damit schrieb das Forschungszentrum Cern 2012 Wissenschaftsgeschichte.",
])
def test_year_like_number_in_a_name_is_not_a_count(sentence):
    assert [q.text for q in parse_quantities(sentence) if q.value >= 1000] == []


@pytest.mark.parametrize("sentence,value,unit", [
    ("Derzeit leben 1549 Asylwerberinnen in Vorarlberg.", 1549, "Asylwerberinnen"),
    ("Außerdem hätten Polizisten 2000 Frauen dazu angehalten.", 2000, "Frauen"),
    ("2000 Flüchtlinge sitzen an der Grenze fest.", 2000, "Flüchtlinge"),
    ("Im Fahrzeugbau fielen 2000 Stellen weg.", 2000, "Stellen"),
    ("Am Samstag kamen 1500 Fans.", 1500, "Fans"),
])
def test_year_like_number_before_a_noun_is_a_count(sentence, value, unit):
    q = one(sentence)
    assert q.value == value and q.unit == unit


def test_sentence_final_number_is_cardinal():
    q = one("Die Zahl der Toten stieg auf 300.")
    assert q.value == 300


def test_bad_input():
    with pytest.raises(TypeError):
        parse_quantities(None)  # type: ignore[arg-type]
    assert parse_quantities("") == []


# ---------------------------------------------------------------- units

def test_unit_key_and_matches():
    assert unit_key("Soldaten") == unit_key("Soldat")
    assert unit_matches("Soldaten", "Infanteriesoldaten")
    assert unit_matches("Soldaten", "Truppen")
    assert unit_matches("Menschen", "Personen")
    assert unit_matches("US-Dollar", "Dollar")
    assert not unit_matches("Soldaten", "Container")
    assert not unit_matches("Euro", "Dollar")
    assert not unit_matches("Land", "Rat")
    assert not unit_matches(None, "Soldaten")


def test_value_range():
    q = Quantity("rund 12.000", 0, 11, 12000.0, "rund", "Soldaten", "count")
    assert value_range(q) == pytest.approx((11400, 12600))
    q.hedge = "bis zu"
    assert value_range(q) == (0.0, 12000.0)


def test_json_round_trip():
    q = one("Es kamen rund 12.000 Menschen.")
    assert Quantity.from_json(q.to_json()) == q
    with pytest.raises(ValueError):
        Quantity.from_json({"text": "x"})


def test_seed_003_numbers():
    text = (ROOT / "seeds" / "003_02a9048fcc89feeb.txt").read_text(encoding="utf-8")
    found = [q for line in text.splitlines() for q in parse_quantities(line)]
    assert any(q.value == 12000 and q.hedge == "bis zu" for q in found)
    assert any(q.value == 11000 and q.hedge == "fast" and unit_matches(q.unit, "Soldaten") for q in found)
    assert any(q.value == 8e6 and q.hedge == "bis zu" for q in found)
    assert not any(q.value in (1.0, 2024.0) for q in found)  # "1. November" is a date


# ---------------------------------------------------------------- fast paths equal their definitions

_PIECES = ["rund", "bis zu", "mehr als", "nur", "mittlerweile", "weit", "über", "knapp unter", "insgesamt",
           "Rund", "ÜBER", "x", "5", "-", "§", ".", "(", " ", "  ", "\n", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.data())
def test_hedge_and_previous_word_lookups_match_their_regexes(pieces, data):
    import re
    from index import numbers as N
    s = "".join(pieces)
    pos = data.draw(st.integers(min_value=0, max_value=len(s)))
    a, b = N._HEDGE_RE.search(s[:pos]), N._hedge_before(s, pos)
    assert (a and a.span()) == (b and b.span())
    m = re.search(r"([\w.§\-]+)[\s\u00a0]*$", s[:pos])
    assert N._prev_word(s, pos) == (m.group(1) if m else "")


def test_masks_scanned_from_the_first_digit_match_a_full_scan():
    from index import numbers as N
    for s in ["Am 1.11.2024 um 14.30 Uhr (45) rief er +49 30 1234567 an, v1.2.3, 3:1.",
              "Version v2.0.1 und 030/123456 sowie 2024-10-31 und 10/31/2024."]:
        first = next(i for i, ch in enumerate(s) if ch.isdigit())
        assert N._masked_ranges(s, True, max(0, first - 5)) == N._masked_ranges(s, True, 0)


# ---------------------------------------------------------------- batch: parse_quantities_in

def per_sentence(text, spans):
    return repr([parse_quantities(text[s:e]) for s, e in spans])


def test_batch_on_seed_articles_equals_per_sentence():
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        spans = split_sentences(text)
        assert repr(parse_quantities_in(text, spans)) == per_sentence(text, spans), f.name


_ARTICLE = ("Rund 12.000 Soldaten sollen verlegt worden sein. Am 1.11.2024 um 14.30 Uhr sprach er. "
            "Es kamen zweihundertfünfzig Gäste und eine Million Menschen. Tausende protestierten. "
            "Das kostet 3,4 Mrd. Euro (Stand 2024). Nichts zu zählen hier.")


@pytest.mark.parametrize("text,spans", [
    (_ARTICLE, split_sentences(_ARTICLE)),
    (_ARTICLE, []),                                                      # no spans
    (_ARTICLE, [(5, 5), (30, 10), (0, 0), (len(_ARTICLE), len(_ARTICLE) + 5)]),  # empty, reversed, past the end
    (_ARTICLE, [(0, len(_ARTICLE)), (0, 60), (40, 120), (5, 9)]),         # overlapping, "12.000" cut to "2.00"
    (_ARTICLE, [(-60, -1), (-3, 400), (100, -20)]),                      # negative: as slicing reads them
    ("Es kamen fünfzehn Leute.", [(10, 24), (11, 24), (9, 13), (13, 24)]),  # starts and ends inside words
    ("dreizehn Tausende", [(3, 17), (4, 17), (9, 14)]),                  # "Tausende" cut to "Tause"
    ("sechs acht einhalb", [(1, 18), (2, 18), (7, 18), (12, 18), (14, 18)]),  # a number word's match
    # starts after where the sentence does, the word itself before: "echs", "cht", "nhalb"
    ("İstanbul: 3 Millionen Menschen, zwei Tage.", [(0, 10), (8, 31), (31, 42)]),  # lower() lengthens "İ"
    ("ΣΑΣ 5 Euro, ΟΔΟΣ zwei Tage.", [(0, 11), (3, 11), (12, 27)]),        # Σ lowercases by context
    ("", [(0, 0), (0, 3)]),
])
def test_batch_equals_per_sentence(text, spans):
    assert repr(parse_quantities_in(text, spans)) == per_sentence(text, spans)


def test_batch_offsets_are_relative_to_each_sentence():
    text = "Vorweg. Rund 2000 Soldaten wurden verlegt."
    [first, second] = parse_quantities_in(text, [(0, 7), (8, len(text))])
    assert first == []
    q = second[0]
    assert (q.text, q.start, q.end, q.value, q.hedge) == ("Rund 2000 Soldaten", 0, 18, 2000, "rund")


def test_batch_bad_input():
    with pytest.raises(TypeError):
        parse_quantities_in(None, [(0, 1)])  # type: ignore[arg-type]


_BATCH_PIECES = [
    "Rund", "rund", "bis zu", "über", "etwa", "insgesamt", "Soldaten", "Euro", "Prozent", "Jahre", "Uhr", "km",
    "12", "2024", "1.000", "3,4", "0049", "+49", "1.11.", "14.30", "3:1", "(45)", "v1.2.3", "030/1234",
    "zwei", "Zwei", "fünf", "fünfzehn", "achtundzwanzig", "hundert", "tausend", "Tausende", "mehrere",
    "eine", "halbe", "Million", "Millionen", "Mio.", "Mrd.", "Dutzend", "eineinhalb", "anderthalb",
    "achtausend", "dutzendrei", "macht", "Zahl der", "www.x.de", "@", "İ", "Σ", "ſ", "ı", "K", "٣",
    " ", " ", "  ", "\n", "\u00a0", ".", ",", "-", "–", "„", "“", "(", ")", "%", "€", "$",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BATCH_PIECES), max_size=30), st.data())
def test_batch_equals_per_sentence_for_random_text_and_spans(pieces, data):
    text = "".join(pieces)
    bound = st.integers(min_value=-3, max_value=len(text) + 3)
    spans = data.draw(st.lists(st.tuples(bound, bound), max_size=6))
    cuts = sorted(data.draw(st.sets(st.integers(min_value=0, max_value=len(text)), max_size=5)))
    spans += list(zip([0, *cuts], [*cuts, len(text)]))  # a partition, as sentences are
    assert repr(parse_quantities_in(text, spans)) == per_sentence(text, spans)
