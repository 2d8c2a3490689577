from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from index.attribution import Source, find_source, find_sources_in
from index.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def src(sentence, context="", offset=0):
    s = find_source(sentence, context, offset)
    assert s is not None, sentence
    assert sentence[s.start:s.end] == s.text
    return s


@pytest.mark.parametrize("sentence,speaker", [
    ("Laut dem südkoreanischen Geheimdienst sind bereits 1.500 Soldaten angekommen.", "südkoreanische Geheimdienst"),
    ("Laut Polizei wurden 20 Menschen verletzt.", "Polizei"),
    ("Laut Schätzungen aus Seoul könnte Pjöngjang 12.000 Soldaten schicken.", "Seoul"),
    ("Laut einem Bericht der „Kyiv Post“ starben 20 Soldaten.", "Kyiv Post"),
    ("Der Gewerkschaft zufolge streikten 5.000 Beschäftigte.", "Gewerkschaft"),
    ("Anonyme Quellen zufolge könnte die Zahl steigen.", "Anonyme Quellen"),
    ("Dem Innenministerium zufolge kamen 300 Menschen.", "Innenministerium"),
    ("Nach Angaben des Roten Kreuzes sind 40 Menschen gestorben.", "Roten Kreuzes"),
    ("Nach Angaben von Amnesty International wurden 12 Journalisten festgenommen.", "Amnesty International"),
    ("Die Flut forderte nach Angaben der Behörden 40 Todesopfer.", "Behörden"),
    ("Nach Informationen des Spiegels plant die Regierung Kürzungen.", "Spiegel"),
    ("Das berichtete die Zeitung unter Berufung auf Regierungskreise.", "Regierungskreise"),
])
def test_according_to(sentence, speaker):
    s = src(sentence)
    assert s.kind == "according_to"
    assert s.speaker == speaker


@pytest.mark.parametrize("sentence,speaker", [
    ("Wie US-Außenminister Antony Blinken erklärte, befinden sich 10.000 Soldaten in Russland.",
     "US-Außenminister Antony Blinken"),
    ("Nordkorea entsendet Truppen, wie der südkoreanische Geheimdienst (NIS) mitteilte.",
     "südkoreanische Geheimdienst (NIS)"),
    ("Die Lage ist ernst, sagte der Bürgermeister.", "Bürgermeister"),
    ("Ein solcher Schritt würde die Lage verschärfen, so Blinken.", "Blinken"),
    ("Der Verband teilte mit, dass 3.000 Stellen wegfallen.", "Verband"),
    ("Die Polizei geht davon aus, dass 200 Menschen betroffen sind.", "Polizei"),
    ("Davon geht der südkoreanische Verteidigungsminister fest aus.", "südkoreanische Verteidigungsminister"),
    ("Kyrylo Budanov, der Chef des ukrainischen Militärgeheimdienstes, erklärte, dass 11.000 Soldaten trainieren.",
     "Kyrylo Budanov"),
    ("Bereits Ende vergangener Woche warnte der ukrainische Präsident Wolodymyr Selenskyj, dass Soldaten kommen könnten.",
     "ukrainische Präsident Wolodymyr Selenskyj"),
    ("Ursula von der Leyen sagte, man werde helfen.", "Ursula von der Leyen"),
    ("Südkoreas Geheimdienst hat mehrfach berichtet, dass Waffen geliefert werden.", "Südkoreas Geheimdienst"),
])
def test_speech_verbs(sentence, speaker):
    s = src(sentence)
    assert s.kind == "speech_verb"
    assert s.speaker == speaker


def test_quote_with_speaker():
    s = src("„Bilder sind eine ernstzunehmende Sache“, sagte Putin dazu in einem Kommentar.")
    assert s.kind == "quote" and s.speaker == "Putin"
    s = src("«Wir werden über Waffen reden», kündigte Selenskyj auf seinem Telegramkanal an.")
    assert s.kind == "quote" and s.speaker == "Selenskyj"


def test_bare_quote_continues_previous_speaker():
    context = "„Bilder sind eine ernstzunehmende Sache“, sagte Putin dazu. "
    s = src("„Wenn es sie gibt, sollten sie auch etwas zeigen.“", context + "„Wenn es sie gibt, sollten sie auch etwas zeigen.“",
            len(context))
    assert s.kind == "quote" and s.speaker == "Putin"
    assert find_source("„Wenn es sie gibt, sollten sie auch etwas zeigen.“") is None  # nobody to resolve to


def test_pronoun_resolution():
    context = ("«Wir werden über Waffen reden», kündigte Selenskyj auf seinem Telegramkanal an. "
               "Die Ukraine sei stark an der Hilfe interessiert. ")
    s = src("Seinen Angaben nach sind bereits 3.000 Soldaten in Lagern.", context)
    assert s.kind == "pronoun" and s.speaker == "Selenskyj" and s.text == "Seinen Angaben nach"
    s = src("Es gebe keine Alternative, sagte er.", "Der Kanzler Olaf Scholz trat vor die Presse. ")
    assert s.kind == "pronoun" and s.speaker == "Kanzler Olaf Scholz"


def test_context_offset_limits_lookback():
    text = "Laut Polizei ist alles ruhig. Den Angaben zufolge kamen 200 Menschen. Laut Feuerwehr brannte es."
    sent = "Den Angaben zufolge kamen 200 Menschen."
    s = src(sent, text, text.index(sent))
    assert s.speaker == "Polizei"


def test_eigene_angaben_is_the_subject():
    context = "Die ukrainische Armee hatte im August eine Offensive begonnen. "
    s = src("Sie hält laut eigenen Angaben mehrere hundert Quadratkilometer besetzt.", context)
    assert s.kind == "pronoun" and s.speaker == "ukrainische Armee"


@pytest.mark.parametrize("sentence", [
    "Die Lage bleibt angespannt.",
    "Nordkorea hat 12.000 Soldaten geschickt.",
    "Der Laut war sehr laut.",
    "Zudem verhandelten Moskau und Pjöngjang über die Entsendung.",
    "Kämpfen bald Truppen an der Seite Russlands?",
    "Dem Minister wurde mitgeteilt, dass 500 Stellen wegfallen.",  # a participle without auxiliary
    "Er kam nach Hause, so wie immer.",                             # only "nach" and "so"
    "",
])
def test_no_source(sentence):
    assert find_source(sentence) is None


# ---------------------------------------------------------------- compound information nouns

@pytest.mark.parametrize("sentence,speaker,text", [
    ("Bei dem Unfall sind nach Polizeiangaben mindestens sieben Menschen getötet worden.", "Polizei",
     "nach Polizeiangaben"),
    ("Nach Regierungsangaben wurden 300 Häuser zerstört.", "Regierung", "Nach Regierungsangaben"),
    ("Laut Polizeiangaben wurden 20 Menschen verletzt.", "Polizei", "Laut Polizeiangaben"),
    ("Polizeiangaben zufolge wurden 20 Menschen verletzt.", "Polizei", "Polizeiangaben zufolge"),
    ("Nach ersten Behördenangaben gab es keine Toten.", "Behörden", "Nach ersten Behördenangaben"),
    ("Nach UN-Angaben sind 2000 Menschen geflohen.", "UN", "Nach UN-Angaben"),
    ("Nach Ministeriumsangaben kamen 20 Menschen.", "Ministerium", "Nach Ministeriumsangaben"),
    ("Geheimdiensterkenntnissen zufolge sind 3.000 Soldaten dort.", "Geheimdienst",
     "Geheimdiensterkenntnissen zufolge"),
])
def test_compound_information_nouns(sentence, speaker, text):
    s = src(sentence)
    assert (s.kind, s.speaker, s.text) == ("according_to", speaker, text)


@pytest.mark.parametrize("sentence", [
    "Die Polizeiangaben waren widersprüchlich.",      # no "nach"/"laut"/"zufolge"
    "Er verglich die Regierungsangaben mit den Zahlen.",
])
def test_compound_information_noun_alone_is_no_source(sentence):
    assert find_source(sentence) is None


# ---------------------------------------------------------------- reporting verbs

@pytest.mark.parametrize("sentence,speaker", [
    ("Die Bahn beziffert den Sachschaden auf rund 15 Millionen Euro.", "Bahn"),
    ("Den Schaden bezifferte die Versicherung auf 3 Millionen Euro.", "Versicherung"),
    ("Die Polizei bestätigte 14 Todesopfer.", "Polizei"),
    ("Ein Sprecher der Polizei bestätigte den Tod von drei Menschen.", "Sprecher der Polizei"),
    ("Die Feuerwehr meldete am Abend 30 Verletzte.", "Feuerwehr"),
    ("Die Polizei gab die Zahl der Toten mit 14 an.", "Polizei"),
    ("Das Ministerium teilte die Zahl der Opfer am Abend mit.", "Ministerium"),
    ("Die Stadt hat am Montag mitgeteilt, dass 500 Menschen evakuiert wurden.", "Stadt"),
    ("Ein südkoreanischer Regierungsvertreter sagte, 1.500 Soldaten seien angekommen.",
     "südkoreanische Regierungsvertreter"),
])
def test_more_reporting_verbs(sentence, speaker):
    s = src(sentence)
    assert s.kind == "speech_verb" and s.speaker == speaker


@pytest.mark.parametrize("sentence", [
    "Die Flut forderte 40 Todesopfer.",
    "Der Konzern meldete Insolvenz an.",
    "Der Verdacht bestätigte sich am Montag.",
    "Das Gericht bestätigte das Urteil.",
])
def test_reporting_verbs_need_a_figure_or_clause(sentence):
    assert find_source(sentence) is None


# ---------------------------------------------------------------- speaker form

@pytest.mark.parametrize("sentences,speaker", [
    (["Laut dem südkoreanischen Geheimdienst sind 1.500 Soldaten angekommen.",
      "Nach Angaben des südkoreanischen Geheimdienstes sind 1.500 Soldaten angekommen.",
      "Der südkoreanische Geheimdienst sagte, 1.500 Soldaten seien angekommen.",
      "Dem südkoreanischen Geheimdienst zufolge sind 1.500 Soldaten angekommen."],
     "südkoreanische Geheimdienst"),
    (["Laut der ukrainischen Regierung sind 1.500 Soldaten angekommen.",
      "Die ukrainische Regierung erklärte, 1.500 Soldaten seien angekommen."],
     "ukrainische Regierung"),
    (["Laut den ukrainischen Behörden sind 1.500 Soldaten angekommen.",
      "Nach Angaben der ukrainischen Behörden sind 1.500 Soldaten angekommen.",
      "Die ukrainischen Behörden erklärten, 1.500 Soldaten seien angekommen."],
     "ukrainischen Behörden"),
    (["Laut Polizei wurden 20 Menschen verletzt.",
      "Die Polizei sagte, 20 Menschen seien verletzt worden.",
      "Nach Polizeiangaben wurden 20 Menschen verletzt.",
      "Wie die Polizei mitteilte, wurden 20 Menschen verletzt."],
     "Polizei"),
    (["Laut dem ukrainischen Präsidenten Wolodymyr Selenskyj sind 1.500 Soldaten angekommen.",
      "Der ukrainische Präsident Wolodymyr Selenskyj sagte, 1.500 Soldaten seien angekommen."],
     "ukrainische Präsident Wolodymyr Selenskyj"),
    (["Laut einem südkoreanischen Regierungsvertreter sind 1.500 Soldaten angekommen.",
      "Ein südkoreanischer Regierungsvertreter sagte, 1.500 Soldaten seien angekommen."],
     "südkoreanische Regierungsvertreter"),
    (["Wie die dpa berichtete, sind 1.500 Soldaten angekommen.",
      "Wie dpa berichtete, sind 1.500 Soldaten angekommen."],
     "dpa"),
])
def test_same_source_reads_the_same_in_every_case(sentences, speaker):
    for sentence in sentences:
        assert src(sentence).speaker == speaker, sentence


def test_genitive_attribute_after_the_head_stays():
    s = src("Kyrylo Budanov, der Chef des ukrainischen Militärgeheimdienstes, erklärte, dass 11.000 Soldaten trainieren.")
    assert s.speaker == "Kyrylo Budanov"
    s = src("Der Chef des ukrainischen Militärgeheimdienstes erklärte, dass 11.000 Soldaten trainieren.")
    assert s.speaker == "Chef des ukrainischen Militärgeheimdienstes"


def test_outer_speaker_wins_over_inner_laut():
    s = src("Selenskyj warnte, dass laut Geheimdienstinformationen bis zu 10.000 Soldaten kommen könnten.")
    assert s.speaker == "Selenskyj"
    s = src('"Das ist sehr wahrscheinlich", sagte Kim Yong Hyun nach Angaben der Nachrichtenagentur Yonhap.')
    assert s.speaker == "Kim Yong Hyun" and s.kind == "quote"


def test_bad_input():
    with pytest.raises(TypeError):
        find_source(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        find_source("Er sagte das.", "", -1)


def test_json_round_trip():
    s = src("Laut Polizei wurden 20 Menschen verletzt.")
    assert Source.from_json(s.to_json()) == s
    with pytest.raises(ValueError):
        Source.from_json({"text": "x"})


def test_seed_attributions():
    text = (ROOT / "seeds" / "003_02a9048fcc89feeb.txt").read_text(encoding="utf-8")
    found = {}
    for s, e in split_sentences(text):
        r = find_source(text[s:e], text, s)
        if r:
            found[text[s:e][:40]] = r
    laut = next(v for k, v in found.items() if k.startswith("Laut dem südkoreanischen"))
    assert "Geheimdienst" in laut.speaker
    budanov = next(v for k, v in found.items() if k.startswith("Kyrylo Budanov"))
    assert budanov.speaker == "Kyrylo Budanov"
    text = (ROOT / "seeds" / "000_aa86ebe26a5638e5.txt").read_text(encoding="utf-8")
    sents = {text[s:e][:25]: find_source(text[s:e], text, s) for s, e in split_sentences(text)}
    assert sents["Seinen Angaben nach sind "].speaker == "Selenskyj"
    assert sents["Ihre Zahl werde bald auf "].speaker == "Selenskyj"


# ---------------------------------------------------------------- pre-checks are exact

_GNAD = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "10kgnad" / "test.csv"


def _corpus_sentences(limit=4000):
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "labelled").glob("*/*.txt"))]
    if _GNAD.exists():
        import csv
        with _GNAD.open(encoding="utf-8", newline="") as fh:
            texts += [r[1] for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) == 2][:250]
    out = [t[s:e] for t in texts for s, e in split_sentences(t)]
    return out[:limit]


def test_precheck_never_hides_a_source():
    """The cheap word pre-check and the per-rule word guards only skip work: with every
    guard forced open the rules find exactly the same candidates."""
    from index import attribution as A
    force = A._TRIGGER_WORDS | A._INFO_PARTNERS | {"wie", "davon", "dass", "quelle", "quellen"}
    generated = [
        "Nach Polizeiangaben kamen 20 Menschen, sagte der Sprecher.",
        "„Das ist viel“, so die Ministerin am Abend.",
        "Den Angaben zufolge bezifferte die Stadt den Schaden auf 3 Mio. Euro.",
        "Demnach gab die Polizei die Zahl mit 14 an.",
        "Wie die Regierung mitteilte, sind laut UN-Angaben 2000 Menschen geflohen.",
        "Quelle: Statistik Austria",
        "Er hat gesagt, dass 500 Stellen wegfallen.",
        "Mir wurde gesagt, dass 500 Stellen wegfallen.",
        "Die Stadt hatte am Montag gemeldet, dass 5 Menschen starben.",
    ]
    for s in _corpus_sentences() + generated:
        A._cached_candidates.cache_clear()
        got = [Source(*c).to_json() for c in A._cached_candidates(s)]
        full = [c.to_json() for c in A._compute_candidates(s, A._words(s) | force)]
        assert got == full, s


# ---------------------------------------------------------------- a whole article at once

def _one_by_one(text, spans):
    """What find_sources_in must equal: reprs, or the error raised."""
    try:
        return [repr(find_source(text[s:e], text, s)) for s, e in spans]
    except Exception as exc:  # noqa: BLE001 - the same error is expected
        return (type(exc), str(exc))


def _batch(text, spans):
    try:
        return [repr(x) for x in find_sources_in(text, spans)]
    except Exception as exc:  # noqa: BLE001
        return (type(exc), str(exc))


def test_batch_equals_one_by_one_on_seeds_and_labelled_articles():
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "labelled").glob("*/*.txt"))]
    found = 0
    for text in texts:
        spans = split_sentences(text)
        want = _one_by_one(text, spans)
        assert _batch(text, spans) == want
        found += sum(w != "None" for w in want)
    assert found > 20


def test_batch_resolves_pronouns_from_earlier_sentences():
    text = ("«Wir werden über Waffen reden», kündigte Selenskyj auf seinem Telegramkanal an. "
            "Die Ukraine sei stark an der Hilfe interessiert. "
            "Seinen Angaben nach sind bereits 3.000 Soldaten in Lagern. Es gebe keine Alternative, sagte er.")
    got = find_sources_in(text, split_sentences(text))
    assert [(s.kind, s.speaker) if s else None for s in got] == [
        ("quote", "Selenskyj"), None, ("pronoun", "Selenskyj"), ("pronoun", "Selenskyj")]
    # only the text before a span is looked back into, whatever the order of the spans
    spans = split_sentences(text)[::-1]
    assert _batch(text, spans) == _one_by_one(text, spans)


@pytest.mark.parametrize("text,spans", [
    ("Laut Polizei ist alles ruhig.", []),                                   # no spans
    ("Laut Polizei ist alles ruhig.", [(5, 5), (9, 3)]),                     # empty, reversed
    ("Plaut Polizei wurden 20 Menschen verletzt.", [(1, 42), (0, 42)]),      # a cut word: "laut"
    ("Er kam also Laut Polizei zu spät.", [(9, 33), (10, 33), (0, 33)]),     # "so", "o"
    ("Laut Polizei ist alles ruhig. Er sagte das.", [(0, 100), (30, 43), (0, 29), (3, 35)]),  # past the end, overlapping
    ("Laut Polizei ist alles ruhig.", [(-5, -1)]),                           # find_source's ValueError
    ("Laut Polizei ist alles ruhig.", [(0, None), (True, 12)]),              # slicing allows these
    # characters outside Latin-1 that lowercase into it, or are letters
    ("Der Minister ver\u212aündete, dass 500 Stellen wegfallen.", [(0, 55)]),
    ("Die Polizei hie\u1e9e es. \u0130stanbul meldete 3 Tote.", [(0, 23), (24, 52)]),
    ("Wałęsa sagte, es sei „sehr ernst“ – so der Sprecher.", [(0, 52), (7, 52)]),
    ("Nach Polizeiłangaben kamen 20 Menschen.", [(0, 39)]),                # a word that is no word of the mask
    # sentences holding only "nach"/"so", and pronouns resolved from sentences that start
    # with a function word, a pronoun or a name
    ("Er kam nach Hause. Nach Polizeiangaben kamen 20. Es ging so, so Müller. Am Montag kam sie. "
     "Das sei ernst, sagte er.", None),
    ("Olaf Scholz kam spät. Es sei ernst, sagte er. Am Montag kam sie. Es sei ernst, sagte sie.", None),
])
def test_batch_edge_cases(text, spans):
    if spans is None:
        spans = split_sentences(text)
    assert _batch(text, spans) == _one_by_one(text, spans)


def test_batch_rejects_what_find_source_rejects():
    with pytest.raises(TypeError):
        find_sources_in(b"Laut Polizei", [(0, 4)])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        find_sources_in("Laut Polizei", [(-1, 4)])


# Phrases that the rules react to, words around them, letters that lowercase oddly and
# marks that split words, to be joined by separators.
_PHRASES = [
    "Laut Polizei", "laut dem Ministerium", "Nach Angaben der Behörden", "nach Polizeiangaben",
    "Seinen Angaben nach", "den Angaben zufolge", "Der Gewerkschaft zufolge", "unter Berufung auf Kreise",
    "Quelle: Statistik Austria", "sagte er", "sagte der Minister", "Die Stadt hat mitgeteilt, dass",
    "Der Verband teilte mit, dass", "wie die Polizei mitteilte", "so Blinken", "hieß es", "Demnach",
    "Die Polizei bestätigte 14 Tote", "forderte, dass", "„Das ist ernst“", "«Wir reden»", '"Das ist sehr ernst"',
    "Selenskyj", "Wałęsa", "er", "Er", "also", "Laut", "nach", "so", "wie", "gab", "an", "es", "eigenen",
    "Die Lage bleibt angespannt", "kamen 200 Menschen", "Olaf Scholz trat vor die Presse",
    "\u0130", "\u212a", "\u1e9e", "\u0178", "\u212b", "ß", "Σ", "ł", "\u0307", "\xa0", "_", "\ud800", "–",
]
_SEPARATORS = [" ", " ", " ", ", ", ". ", ".", "! ", "? ", ": ", "\n", "\n\n", "  ", " – ", "„", "“", "-", ""]


@st.composite
def _article_and_spans(draw):
    pieces = draw(st.lists(st.sampled_from(_PHRASES) | st.text(max_size=3), max_size=25))
    text = "".join(p + draw(st.sampled_from(_SEPARATORS)) for p in pieces)
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(-2, n + 3), st.integers(-2, n + 3)), max_size=12))
    if draw(st.booleans()):
        spans += split_sentences(text)
    return text, draw(st.permutations(spans))


@settings(max_examples=400, deadline=None)
@given(_article_and_spans())
def test_batch_equals_one_by_one(case):
    text, spans = case
    assert _batch(text, spans) == _one_by_one(text, spans)
