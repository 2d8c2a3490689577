import json
from pathlib import Path

import pytest

from index.claims import Claim, Group, extract_claims, group_claims, values_conflict
from index.model import Span
from index.numbers import Quantity, unit_matches

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}


def q(value, hedge=None, unit="Soldaten"):
    return Quantity(f"{hedge or ''} {value}".strip(), 0, 1, float(value), hedge, unit, "count")


# ---------------------------------------------------------------- extraction

def test_claim_json_shape_and_round_trip():
    text = "Laut Polizei kamen rund 12.000 Menschen. Das Wetter war schön."
    claims = extract_claims("a.txt", text, [])
    assert len(claims) == 1
    c = claims[0]
    d = c.to_json()
    assert set(d) == {"id", "article", "sentence", "start", "end", "numbers", "source", "terms"}
    assert d["id"] == "a.txt:0"
    assert d["numbers"] == [{"text": "rund 12.000 Menschen", "value": 12000.0, "hedge": "rund",
                             "unit": "Menschen", "kind": "count"}]
    assert d["source"] == {"text": "Laut Polizei", "speaker": "Polizei", "kind": "according_to"}
    json.dumps(d)  # serialisable
    back = Claim.from_json(d)
    assert back == c
    with pytest.raises(ValueError):
        Claim.from_json({"id": "x"})
    with pytest.raises(ValueError):
        Claim.from_json("not a dict")  # type: ignore[arg-type]


def test_ids_are_stable_offsets():
    text = "Erster Satz ohne Zahl. Es kamen 300 Menschen. Dann kamen 20 Polizisten."
    ids = [c.id for c in extract_claims("x", text, [])]
    assert ids == [f"x:{text.index('Es kamen')}", f"x:{text.index('Dann kamen')}"]
    assert ids == [c.id for c in extract_claims("x", text, [])]


def test_sentences_in_skip_spans_are_dropped():
    text = "Es kamen 300 Menschen.\n\nAnzeige: 50 Prozent Rabatt!\n\nEs kamen 300 Menschen."
    ad = text.index("Anzeige")
    dup = text.rindex("Es kamen")
    spans = [Span(ad, ad + len("Anzeige: 50 Prozent Rabatt!"), "boilerplate", "ad"),
             Span(dup, len(text), "duplicate", "repeat")]
    claims = extract_claims("x", text, spans)
    assert [c.start for c in claims] == [0]
    # spans as dicts are accepted too
    assert [c.start for c in extract_claims("x", text, [s.to_json() for s in spans])] == [0]
    # a sentence kept but with a metadata prefix: numbers inside the span are dropped
    text2 = "date 2024-10 Es kamen 300 Menschen in die Stadt am Fluss."
    claims = extract_claims("y", text2, [Span(0, 12, "meta", "date line")])
    assert [n.value for n in claims[0].numbers] == [300]


def test_attribution_only_sentence_is_a_claim():
    claims = extract_claims("x", "Die Lage sei ernst, sagte der Bürgermeister.", [])
    assert len(claims) == 1 and claims[0].numbers == [] and claims[0].source.speaker == "Bürgermeister"


def test_compound_sources_reporting_verbs_and_durations_in_claims():
    text = ("Bei dem Zusammenstoß sind nach Polizeiangaben mindestens sieben Menschen getötet worden. "
            "Die Bahn beziffert den Sachschaden auf rund 15 Millionen Euro. "
            "Die Arbeitgeber boten 4 Prozent über 24 Monate an. "
            "Der TSV 1860 München gewann das Spiel.")
    claims = {c.sentence[:12]: c for c in extract_claims("x", text, [])}
    police = claims["Bei dem Zusa"]
    assert police.source.speaker == "Polizei" and [n.value for n in police.numbers] == [7]
    rail = claims["Die Bahn bez"]
    assert rail.source.speaker == "Bahn" and rail.numbers[0].value == 15_000_000
    offer = claims["Die Arbeitge"]
    assert [(n.text, n.hedge) for n in offer.numbers] == [("4 Prozent", None), ("24 Monate", None)]
    assert "Der TSV 1860" not in claims


def test_same_source_groups_under_one_name():
    """Two articles naming the source in different cases show it the same way."""
    a = extract_claims("a", "Laut dem südkoreanischen Geheimdienst sind 1.500 Soldaten angekommen.", [])
    b = extract_claims("b", "Der südkoreanische Geheimdienst sagte, 1.500 Soldaten seien angekommen.", [])
    assert a[0].source.speaker == b[0].source.speaker == "südkoreanische Geheimdienst"


def test_unit_inherited_from_previous_sentence():
    text = "Seinen Angaben nach sind bereits 3.000 Soldaten in Lagern. Ihre Zahl werde bald auf 12.000 steigen."
    claims = extract_claims("x", text, [])
    assert claims[1].numbers[0].unit == "Soldaten"
    # without a back reference the unit is not guessed
    text = "Es sind 3.000 Soldaten in Lagern. Der Preis werde auf 12.000 steigen."
    assert extract_claims("x", text, [])[1].numbers[0].unit is None


def test_bad_input():
    with pytest.raises(ValueError):
        extract_claims("", "text", [])
    with pytest.raises(ValueError):
        extract_claims("x", None, [])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        extract_claims("x", "Es kamen 3 Leute.", ["nonsense"])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        group_claims(["nonsense"])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        group_claims([], doc_freq=lambda t: 1)


def test_seed_003_quantities_and_sources():
    claims = extract_claims("003", SEEDS["003"], [])
    nums = [(n, c) for c in claims for n in c.numbers]
    assert any(n.value == 12000 and n.hedge == "bis zu" and unit_matches(n.unit, "Soldaten") for n, _ in nums)
    laut = next(c for c in claims if c.sentence.startswith("Laut dem südkoreanischen Geheimdienst"))
    assert "Geheimdienst" in laut.source.speaker
    assert laut.numbers[0].value == 1500


def test_extraction_is_fast():
    import time
    t = time.perf_counter()
    for aid, text in SEEDS.items():
        extract_claims(aid, text, [])
    assert time.perf_counter() - t < 1.0


# ---------------------------------------------------------------- conflicts

@pytest.mark.parametrize("a,b,conflict", [
    (q(12000, "rund"), q(12000), False),
    (q(10000), q(12000), True),
    (q(12000, "rund"), q(10000, "schätzungsweise"), True),
    (q(11000, "fast"), q(12000, "rund"), True),
    (q(12000, "bis zu"), q(12000, "rund"), False),
    (q(10000, "bis zu"), q(12000, "rund"), True),
    (q(12000, "bis zu"), q(3000), False),
    (q(10000, "bis zu"), q(12000, "bis zu"), True),
    (q(3000, "mindestens"), q(3000), False),
    (q(3000, "mindestens"), q(1500), True),
    (q(3000, "mindestens"), q(2000, "bis zu"), True),
    (q(2000, "mindestens"), q(3000, "bis zu"), False),
    (q(2000, "vage"), q(12000), False),
    (q(175), q(180), True),
    (q(1.2e9, "rund"), q(1.25e9), False),
])
def test_values_conflict(a, b, conflict):
    assert values_conflict(a, b) is conflict
    assert values_conflict(b, a) is conflict


# ---------------------------------------------------------------- grouping

def _articles(texts):
    claims = []
    for aid, text in texts.items():
        claims += extract_claims(aid, text, [])
    return claims


def test_groups_same_fact_across_articles_and_flags_conflict():
    texts = {
        "a": "Bei dem Hochwasser sind nach Angaben der Polizei 17 Menschen ums Leben gekommen. "
             "Die Stadt hat 40.000 Einwohner.",
        "b": "Bei der Flut im Landkreis kamen zwölf Menschen ums Leben, teilte das Landratsamt mit. "
             "Das Museum zeigt 300 Bilder.",
        "c": "Im Landkreis starben 17 Menschen bei der Flut. Der Neubau kostet 2 Millionen Euro.",
    }
    groups = group_claims(_articles(texts))
    dead = [g for g in groups if any(v["value"] == 17 for v in g.values)]
    assert len(dead) == 1
    g = dead[0]
    assert set(g.articles) == {"a", "b", "c"}
    assert g.conflict  # 12 vs 17
    assert any({c["a"]["value"], c["b"]["value"]} == {12.0, 17.0} for c in g.conflicts)
    assert not any(v["value"] in (40000, 300, 2e6) for v in g.values)
    d = g.to_json()
    assert {"id", "label", "claims", "conflict"} <= set(d)
    assert Group.from_json(json.loads(json.dumps(d))).claims == g.claims
    assert g.label


def test_one_article_alone_never_groups_or_conflicts():
    texts = {"a": "Es kamen 300 Demonstranten. Später waren es 500 Demonstranten.",
             "b": "Der Zoo hat 12 Elefanten."}
    assert group_claims(_articles(texts)) == []


def test_different_things_counted_do_not_group():
    texts = {"a": "Die Polizei zählte 3.000 Demonstranten in der Stadt.",
             "b": "Die Polizei zählte 3.000 Fahrzeuge in der Stadt."}
    assert group_claims(_articles(texts)) == []


def test_doc_freq_is_used_when_given():
    texts = {"a": "Der Streik der Lokführer betraf 3.000 Pendler im Norden.",
             "b": "Der Streik der Lokführer betraf 3.100 Pendler im Norden."}
    claims = _articles(texts)
    calls = []

    def df(term):
        calls.append(term)
        return 1
    groups = group_claims(claims, doc_freq=df, n_docs=1000)
    assert calls and len(groups) == 1


def test_seed_groups():
    claims = []
    from index.boilerplate import find_boilerplate
    for aid, text in SEEDS.items():
        claims += extract_claims(aid, text, find_boilerplate(text))
    groups = group_claims(claims)
    soldier = [g for g in groups if unit_matches(g.unit, "Soldaten")]
    total = next(g for g in soldier if any(v["value"] == 12000 and v["hedge"] == "bis zu" for v in g.values))
    vals = {(v["value"], v["hedge"]) for v in total.values}
    assert {(12000.0, "rund"), (10000.0, "schätzungsweise"), (10000.0, "bis zu"), (11000.0, "fast")} <= vals
    assert len(total.articles) >= 4 and total.conflict
    present = next(g for g in soldier if any(v["value"] == 1500 for v in g.values))
    assert present is not total
    assert {(3000.0, None), (3000.0, "mindestens")} <= {(v["value"], v["hedge"]) for v in present.values}
    assert not any(v["value"] == 1500 for v in total.values)
    assert present.conflict  # 1.500 vs 3.000
    blinken = next(v for v in total.values if v["value"] == 10000 and v["hedge"] == "schätzungsweise")
    assert "Blinken" in blinken["source"]


def test_group_label_reads_like_the_articles():
    a = extract_claims("a.txt", "Insgesamt sollen rund 400 freiwillige Helfer im Hochwassergebiet arbeiten, sagte der Landrat.", [])
    b = extract_claims("b.txt", "Im Hochwassergebiet arbeiten insgesamt 450 freiwillige Helfer, teilte die Feuerwehr mit.", [])
    groups = group_claims(a + b)
    assert groups, "the two statements of the same fact should group"
    label = groups[0].label
    assert label.startswith("freiwillige Helfer"), label
    assert "insgesamt" in label and "Hochwassergebiet" in label
    assert "400" not in label and "Landrat" not in label  # no figures, no speakers


def test_wire_copies_are_scored_once_and_group_like_their_originals(monkeypatch):
    """A copy of an article (wire copy) adds no new pair scoring once every pair of its
    figures' features has been scored, and its figures land in the same groups as the
    original's."""
    import index.claims as claims_mod
    from index.boilerplate import find_boilerplate

    calls = []
    real = claims_mod.pair_score
    monkeypatch.setattr(claims_mod, "pair_score", lambda *a, **k: calls.append(1) or real(*a, **k))

    def run(copies):
        claims = []
        for k in range(copies):
            for aid, text in SEEDS.items():
                claims += extract_claims(f"{aid}-{k}", text, find_boilerplate(text))
        calls.clear()
        return group_claims(claims), len(calls)

    groups, scored2 = run(2)
    _, scored3 = run(3)
    assert scored2 > 0 and scored3 == scored2
    for g in groups:
        spots = {(v["article"], v["start"], v["end"]) for v in g.values}
        for art, s, e in spots:
            base, k = art.rsplit("-", 1)
            assert (f"{base}-{1 - int(k)}", s, e) in spots, (g.label, art, s)
