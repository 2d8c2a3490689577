from pathlib import Path

import pytest

from index.attribution import Source, find_source
from index.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def src(sentence, context="", offset=0):
    s = find_source(sentence, context, offset)
    assert s is not None, sentence
    assert sentence[s.start:s.end] == s.text
    return s


@pytest.mark.parametrize("sentence,speaker", [
    ("Laut dem südkoreanischen Geheimdienst sind bereits 1.500 Soldaten angekommen.", "südkoreanischen Geheimdienst"),
    ("Laut Polizei wurden 20 Menschen verletzt.", "Polizei"),
    ("Laut Schätzungen aus Seoul könnte Pjöngjang 12.000 Soldaten schicken.", "Seoul"),
    ("Laut einem Bericht der „Kyiv Post“ starben 20 Soldaten.", "Kyiv Post"),
    ("Der Gewerkschaft zufolge streikten 5.000 Beschäftigte.", "Gewerkschaft"),
    ("Anonyme Quellen zufolge könnte die Zahl steigen.", "Anonyme Quellen"),
    ("Dem Innenministerium zufolge kamen 300 Menschen.", "Innenministerium"),
    ("Nach Angaben des Roten Kreuzes sind 40 Menschen gestorben.", "Roten Kreuzes"),
    ("Nach Angaben von Amnesty International wurden 12 Journalisten festgenommen.", "Amnesty International"),
    ("Die Flut forderte nach Angaben der Behörden 40 Todesopfer.", "Behörden"),
    ("Nach Informationen des Spiegels plant die Regierung Kürzungen.", "Spiegels"),
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
     "der südkoreanische Geheimdienst (NIS)"),
    ("Die Lage ist ernst, sagte der Bürgermeister.", "der Bürgermeister"),
    ("Ein solcher Schritt würde die Lage verschärfen, so Blinken.", "Blinken"),
    ("Der Verband teilte mit, dass 3.000 Stellen wegfallen.", "der Verband"),
    ("Die Polizei geht davon aus, dass 200 Menschen betroffen sind.", "die Polizei"),
    ("Davon geht der südkoreanische Verteidigungsminister fest aus.", "der südkoreanische Verteidigungsminister"),
    ("Kyrylo Budanov, der Chef des ukrainischen Militärgeheimdienstes, erklärte, dass 11.000 Soldaten trainieren.",
     "Kyrylo Budanov"),
    ("Bereits Ende vergangener Woche warnte der ukrainische Präsident Wolodymyr Selenskyj, dass Soldaten kommen könnten.",
     "der ukrainische Präsident Wolodymyr Selenskyj"),
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
    assert s.kind == "pronoun" and s.speaker == "der Kanzler Olaf Scholz"


def test_context_offset_limits_lookback():
    text = "Laut Polizei ist alles ruhig. Den Angaben zufolge kamen 200 Menschen. Laut Feuerwehr brannte es."
    sent = "Den Angaben zufolge kamen 200 Menschen."
    s = src(sent, text, text.index(sent))
    assert s.speaker == "Polizei"


def test_eigene_angaben_is_the_subject():
    context = "Die ukrainische Armee hatte im August eine Offensive begonnen. "
    s = src("Sie hält laut eigenen Angaben mehrere hundert Quadratkilometer besetzt.", context)
    assert s.kind == "pronoun" and s.speaker == "die ukrainische Armee"


@pytest.mark.parametrize("sentence", [
    "Die Lage bleibt angespannt.",
    "Nordkorea hat 12.000 Soldaten geschickt.",
    "Der Laut war sehr laut.",
    "Zudem verhandelten Moskau und Pjöngjang über die Entsendung.",
    "Kämpfen bald Truppen an der Seite Russlands?",
    "",
])
def test_no_source(sentence):
    assert find_source(sentence) is None


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
