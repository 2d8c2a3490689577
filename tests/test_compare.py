import json
import time
from pathlib import Path

import pytest

from index.claims import extract_claims
from index.compare import AlignedPair, compare_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}

SHARED = ("Die Feuerwehr war mit einem Großaufgebot im Einsatz und konnte den Brand in der alten "
          "Lagerhalle am Hafen erst nach mehreren Stunden vollständig unter Kontrolle bringen.")


def pair(a_text, b_text):
    ca = extract_claims("A", a_text, [])
    cb = extract_claims("B", b_text, [])
    return compare_articles("A", a_text, ca, "B", b_text, cb)


def test_reuse_and_claim_pairs_with_conflict():
    a = ("Bei dem Brand im Hafen wurden nach Angaben der Polizei 12 Menschen verletzt. " + SHARED +
         " Der Schaden liegt bei rund 2 Millionen Euro.")
    b = ("Im Hafen hat es gebrannt. " + SHARED + " Bei dem Brand im Hafen wurden 15 Menschen verletzt, "
         "sagte ein Sprecher. Den Schaden schätzt die Versicherung auf rund zwei Millionen Euro.")
    ps = pair(a, b)
    kinds = [p.kind for p in ps]
    assert "reuse" in kinds and kinds.count("claim") >= 2
    assert [p.a[0] for p in ps] == sorted(p.a[0] for p in ps)
    reuse = next(p for p in ps if p.kind == "reuse")
    assert "Lagerhalle am Hafen" in a[reuse.a[0]:reuse.a[1]] and "Lagerhalle am Hafen" in b[reuse.b[0]:reuse.b[1]]
    injured = next(p for p in ps if p.kind == "claim" and "verletzt" in a[p.a[0]:p.a[1]])
    assert "15 Menschen" in b[injured.b[0]:injured.b[1]]
    assert injured.conflicts and injured.conflicts[0]["a"]["value"] == 12 and injured.conflicts[0]["b"]["value"] == 15
    assert injured.conflicts[0]["a"]["source"] == "Polizei"
    money = next(p for p in ps if p.kind == "claim" and "Schaden" in a[p.a[0]:p.a[1]])
    assert money.conflicts == []  # rund 2 Millionen = rund zwei Millionen
    d = injured.to_json()
    assert set(d) == {"a", "b", "kind", "similarity", "conflicts"}
    assert set(d["conflicts"][0]) == {"unit", "a", "b"}
    assert set(d["conflicts"][0]["a"]) == {"value", "hedge", "text", "source"}
    assert 0.0 <= d["similarity"] <= 1.0
    json.dumps([p.to_json() for p in ps])


def test_claims_as_json_dicts_are_accepted():
    a = "Bei dem Brand wurden 12 Menschen verletzt. Der Brand im Hafen dauerte lange."
    b = "Bei dem Brand im Hafen wurden 15 Menschen verletzt."
    ca = [c.to_json() for c in extract_claims("A", a, [])]
    cb = [c.to_json() for c in extract_claims("B", b, [])]
    ps = compare_articles("A", a, ca, "B", b, cb)
    assert [p.kind for p in ps] == ["claim"]
    assert ps[0].conflicts


def test_nothing_in_common():
    ps = pair("Der Zoo hat 12 Elefanten und drei Giraffen.", "Die Börse schloss mit einem Plus von 2 Prozent.")
    assert ps == []


def test_bad_input():
    with pytest.raises(ValueError):
        compare_articles("A", "x", [], "A", "y", [])
    with pytest.raises(ValueError):
        compare_articles("A", None, [], "B", "y", [])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        compare_articles("A", "x", [42], "B", "y", [])  # type: ignore[list-item]


def test_seeds_000_vs_003_conflicting_totals():
    a, b = SEEDS["000"], SEEDS["003"]
    ps = compare_articles("000", a, extract_claims("000", a, []), "003", b, extract_claims("003", b, []))
    claim_pairs = [p for p in ps if p.kind == "claim"]
    assert claim_pairs
    assert any(c["a"]["value"] == 3000 and c["b"]["value"] == 1500 for p in claim_pairs for c in p.conflicts)


def test_two_5kb_articles_under_200ms():
    a = (SEEDS["003"] + "\n\n" + SEEDS["000"])[:5000]
    b = (SEEDS["004"] + "\n\n" + SEEDS["001"])[:5000]
    ca, cb = extract_claims("A", a, []), extract_claims("B", b, [])
    compare_articles("A", a, ca, "B", b, cb)  # warm caches
    t = time.perf_counter()
    ps = compare_articles("A", a, ca, "B", b, cb)
    assert time.perf_counter() - t < 0.2
    assert any(p.kind == "claim" for p in ps)
    assert isinstance(ps[0], AlignedPair)
