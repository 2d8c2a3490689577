import csv
import random
import re
import time
from pathlib import Path

import pytest

from index.reuse import ReusePassage, find_reuse, reuse_candidates

ROOT = Path(__file__).resolve().parent.parent
GNAD = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "10kgnad" / "test.csv"

PASSAGE = ("Der ukrainische Präsident Wolodymyr Selenskyj hofft im Abwehrkampf gegen Russland auf "
           "Militärhilfe aus Südkorea nach dem Bekanntwerden der Entsendung nordkoreanischer Soldaten "
           "ins Kriegsgebiet, speziell an Artillerie und Flugabwehr sei die Ukraine interessiert.")
FILLER_A = "Am Morgen regnete es in der ganzen Stadt, die Straßen waren leer und die Läden geschlossen. "
FILLER_B = "Die Börse schloss am Freitag mit leichten Gewinnen, Anleger blieben vorsichtig gestimmt. "


def test_exact_copy_found_with_offsets():
    a = FILLER_A + PASSAGE + " " + FILLER_A
    b = FILLER_B * 2 + PASSAGE + " Ende."
    ps = find_reuse(a, b)
    assert len(ps) == 1
    p = ps[0]
    assert a[p.a_start:p.a_end] == PASSAGE.rstrip(".")
    assert b[p.b_start:p.b_end] == PASSAGE.rstrip(".")
    assert p.similarity == 1.0
    assert p.to_json() == {"a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start, "b_end": p.b_end,
                           "similarity": 1.0}


def test_light_rewording_still_matches_at_lower_similarity():
    reworded = (PASSAGE.replace("hofft", "setzt")
                .replace("auf Militärhilfe", "auf militärische Hilfe")
                .replace("nordkoreanischer Soldaten", "nordkoreanischen Soldaten"))  # inflection change
    ps = find_reuse(FILLER_A + PASSAGE, FILLER_B + reworded)
    assert len(ps) == 1
    assert 0.6 < ps[0].similarity < 1.0
    covered = ps[0].a_end - ps[0].a_start
    assert covered > 0.8 * len(PASSAGE)


def test_unrelated_texts_and_short_overlaps_do_not_match():
    assert find_reuse(FILLER_A * 3, FILLER_B * 3) == []
    # a shared 6-word phrase is below min_words=8
    a = "Er sagte am Montag in Berlin vor Journalisten etwas ganz anderes als erwartet."
    b = "Sie sagte am Montag in Berlin vor Journalisten, dass alles gut sei."
    assert find_reuse(a, b) == []
    assert find_reuse(a, b, min_words=5)  # but it is there


def test_bad_input():
    with pytest.raises(ValueError):
        find_reuse("a", None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        find_reuse("a", "b", n=0)
    with pytest.raises(ValueError):
        reuse_candidates([("a", "x")], max_df=1)
    with pytest.raises(ValueError):
        reuse_candidates(["not a pair"])  # type: ignore[list-item]
    assert find_reuse("", "") == []
    assert reuse_candidates([]) == []


def test_candidates_find_planted_pair_and_skip_common_shingles():
    rng = random.Random(1)
    words = [f"wort{i}" for i in range(3000)]
    docs = [(f"d{i}", " ".join(rng.choice(words) for _ in range(120))) for i in range(60)]
    boiler = " Alle Rechte vorbehalten, Nachdruck nur mit Genehmigung des Verlags erlaubt."
    docs = [(i, t + boiler) for i, t in docs]  # in every document: dropped by max_df
    docs[10] = ("d10", docs[10][1] + " " + PASSAGE)
    docs[42] = ("d42", PASSAGE + " " + docs[42][1])
    cands = reuse_candidates(docs, max_df=20)
    assert cands and cands[0][:2] == ("d10", "d42") and cands[0][2] >= 3
    assert all({a, b} == {"d10", "d42"} for a, b, _ in cands)
    # without the df cut the boilerplate links everything
    assert len(reuse_candidates(docs, max_df=100)) > 1000


def test_seeds_shared_passages():
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
    cands = reuse_candidates(texts.items())
    assert cands[0][:2] == ("000", "001")  # 001 paraphrases the dpa text of 000
    ps = find_reuse(texts["000"], texts["001"])
    assert any("Putin bestreitet die Anwesenheit der" in texts["000"][p.a_start:p.a_end] for p in ps)


def test_gnad_planted_recall_and_speed():
    if not GNAD.exists():
        pytest.skip("10kGNAD corpus not available")
    with GNAD.open(encoding="utf-8", newline="") as fh:
        base = [r[1] for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) == 2]
    rng = random.Random(5)
    docs = list(base)
    planted = []
    for _ in range(40):
        x, y = rng.sample(range(len(docs)), 2)
        sents = re.split(r"(?<=[.!?])\s+", base[x])
        if len(sents) < 4:
            continue
        i = rng.randrange(0, len(sents) - 2)
        words = " ".join(sents[i:i + 2]).split()
        if len(words) < 20:
            continue
        words[rng.randrange(len(words))] = "verändert"
        docs[y] = docs[y] + " " + " ".join(words)
        planted.append((min(x, y), max(x, y)))
    t = time.perf_counter()
    cands = reuse_candidates([(str(i), d) for i, d in enumerate(docs)])
    assert time.perf_counter() - t < 10
    found = {(int(a), int(b)) for a, b, _ in cands}
    recall = sum(p in found or (p[1], p[0]) in found for p in planted) / len(planted)
    assert recall >= 0.95
