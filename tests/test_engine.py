"""The Whoosh boundary: German analysis, numbers, dates, hit offsets."""
from pathlib import Path

import pytest

from index.engine import Engine, IndexBusy, IndexDamaged, IndexMissing, analyze, term_offsets


def test_umlauts_and_ss_fold_and_german2_spelling():
    assert analyze("Südkorea")[0] == analyze("Sudkorea")[0] == analyze("Suedkorea")[0]
    assert analyze("Straße") == analyze("Strasse")
    # "ue" after q is not an umlaut
    assert analyze("Quelle")[0].startswith("quel")


def test_stemming_plural_and_genitive():
    assert analyze("Soldaten") == analyze("Soldat")
    assert analyze("Geheimdienstes") == analyze("Geheimdienst")


def test_numbers_stay_tokens_and_thousands_match():
    assert analyze("12.000") == analyze("12000") == ["12000"]
    assert analyze("3,4") == ["3,4"]
    assert "2024" in analyze("im Jahr 2024")


@pytest.fixture()
def eng(tmp_path):
    e = Engine(tmp_path / "ix")
    e.open(create=True)
    w = e.writer()
    w.put(id="a", title="Soldaten in Kursk", outlet="dpa", date="2024-10", body="Rund 12.000 Soldaten aus Nordkorea. Südkorea warnt.")
    w.put(id="b", title="Andere Sache", outlet="Zeit Online", date="2024-11-05", body="Die Straße ist gesperrt. Ein Soldat.")
    w.put(id="c", title="Alt", outlet="taz", date="2023", body="Nichts davon.")
    w.commit()
    yield e
    e.close()


def ids(e, q):
    return sorted(h.id for h in e.search(e.parse(q), None)[1])


def test_search_fields_and_ranges(eng):
    assert ids(eng, "Soldaten") == ["a", "b"]
    assert ids(eng, "Suedkorea") == ["a"]
    assert ids(eng, "12000") == ["a"]
    assert ids(eng, 'outlet:"zeit online"') == ["b"]
    assert ids(eng, "outlet:dpa") == ["a"]
    assert ids(eng, "date:2024-10") == ["a"]
    assert ids(eng, "date:[2024-10 to 2024-11]") == ["a", "b"]
    assert ids(eng, "date:[to 2023]") == ["c"]
    assert ids(eng, "title:kursk") == ["a"]
    assert ids(eng, "Soldat NOT Kursk") == ["b"]
    assert ids(eng, "Stra*") == ["b"]


def test_counts_come_from_postings(eng):
    q = eng.parse("Soldaten")
    total, hits = eng.search(q, None, eng.body_terms(q))
    assert total == 2 and all(h.count == 1 for h in hits)


def test_body_terms_expand_wildcards_and_skip_negations(eng):
    assert eng.body_terms(eng.parse("Stra*")) == {"strass"}
    assert eng.body_terms(eng.parse("Soldat NOT Kursk")) == {"soldat"}


def test_term_offsets_are_stemming_aware_and_cover_the_whole_text():
    filler = "Lorem ipsum dolor sit amet. " * 2000  # > 32,768 characters
    text = "Soldaten marschieren. " + filler + "Ein Soldat und 12.000 SOLDATEN."
    offs = term_offsets(text, set(analyze("Soldat")))
    assert [text[s:e] for s, e in offs] == ["Soldaten", "Soldat", "SOLDATEN"]
    assert offs[-1][0] > 32768
    assert [text[s:e] for s, e in term_offsets(text, {"12000"})] == ["12.000"]


def test_second_writer_is_busy(eng):
    w = eng.writer()
    try:
        with pytest.raises(IndexBusy):
            eng.writer()
    finally:
        w.cancel()


def test_missing_and_damaged(tmp_path):
    e = Engine(tmp_path / "none")
    with pytest.raises(IndexMissing):
        e.open()
    d = tmp_path / "bad"
    e2 = Engine(d)
    e2.open(create=True)
    w = e2.writer()
    w.put(id="x", title="t", outlet="", date="", body="text")
    w.commit()
    e2.close()
    for f in d.glob("*.toc"):
        f.write_bytes(b"garbage")
    with pytest.raises(IndexDamaged):
        Engine(d).open()


def test_fresh_searcher_after_commit(eng):
    assert ids(eng, "gesperrt") == ["b"]
    w = eng.writer()
    w.put(id="d", title="Neu", outlet="", date="", body="Auch hier gesperrt.")
    w.commit()
    assert ids(eng, "gesperrt") == ["b", "d"]  # no duplicates, sees the new commit
