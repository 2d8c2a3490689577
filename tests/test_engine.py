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


def test_doc_frequencies_of_many_terms_are_those_of_one(eng):
    terms = ["soldat", "strass", "nichts", "12000", "kursk", "fehlt", "soldat"]
    got = eng.doc_frequencies(iter(terms))
    assert got == {t: eng.doc_frequency(t) for t in terms}
    assert got["soldat"] == 2 and got["strass"] == 1 and got["fehlt"] == 0


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


def _stock_schema():
    """The schema as stock Whoosh builds it (TEXT + Positions.word_values over the
    analyzer): the reference the fast indexing path must match posting for posting."""
    from whoosh import fields

    from index.engine import german_analyzer, make_schema, name_analyzer

    de = german_analyzer()
    ours = make_schema()
    stock = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=fields.TEXT(analyzer=de, stored=False, field_boost=2.0),
        outlet=fields.TEXT(analyzer=name_analyzer(), stored=False),
        date=fields.ID(stored=False),
        body=fields.TEXT(analyzer=de, stored=True, chars=False),
    )
    assert stock.names() == ours.names()
    return stock


def _docs():
    import random

    rng = random.Random(7)
    seeds = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*"))
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in seeds]
    words = ("Soldaten Soldat Südkorea Suedkorea Straße Strasse der die das und 12.000 3,4 "
             "acht Millionen Quelle über Über z.B. Kiew laut Geheimdienstes a b").split()
    for i in range(300):  # long lists (several 128-posting blocks) and short (inlined) ones
        n = rng.randint(0, 60)
        docs.append((f"g{i}", " ".join(rng.choice(words) for _ in range(n)) + f" einmalig{i}"))
    docs.append(("empty", ""))
    docs.append(("hostile", "[/] [@click=app.quit]x[/] \u00e9t\u00e9 ß" * 3))
    return docs


def _dump(ix):
    out = {}
    with ix.searcher() as s:
        r = s.reader()
        for field in ("title", "body", "outlet", "id"):
            fmt = s.schema[field].format
            for term in r.lexicon(field):
                m = r.postings(field, term)
                rows = []
                while m.is_active():
                    pos = fmt.decode_positions(m.value()) if field in ("title", "body") else None
                    rows.append((m.id(), m.weight(), pos))
                    m.next()
                ti = r.term_info(field, term)
                stats = (ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(), ti.max_weight(),
                         ti.min_id(), ti.max_id())
                out[(field, term)] = (rows, stats)
            out[("length", field)] = [r.doc_field_length(d, field) for d in range(r.doc_count_all())]
    return out


def test_fast_indexing_path_writes_what_stock_whoosh_writes(tmp_path):
    """GermanText.index() and the codec's writers (field lengths looked up once,
    short lists inlined) must give the same postings, positions and lengths."""
    from whoosh import index as wi
    from whoosh.codec.whoosh3 import W3Codec

    docs = _docs()
    (tmp_path / "ref").mkdir()
    ref = wi.create_in(str(tmp_path / "ref"), _stock_schema())
    w = ref.writer(codec=W3Codec(compression=0))
    for i, (name, text) in enumerate(docs):
        w.add_document(id=name, title=text[:80], outlet="Zeit Online" if i % 2 else "dpa", date="2024-10", body=text)
    w.commit()
    e = Engine(tmp_path / "fast")
    e.open(create=True)
    fw = e.writer()
    for i, (name, text) in enumerate(docs):
        fw.add(id=name, title=text[:80], outlet="Zeit Online" if i % 2 else "dpa", date="2024-10", body=text)
    fw.commit()
    a, b = _dump(ref), _dump(e.ix)
    assert a.keys() == b.keys()
    assert a == b
    assert any(len(v[0]) > 128 for v in b.values() if isinstance(v, tuple))  # block-written lists were compared too
    # phrases work on inlined (short) and on block-written (long) posting lists
    def having(phrase):
        pair = analyze(phrase)
        return sorted(name for name, text in docs
                      if any(t[i:i + 2] == pair for t in [analyze(text)] for i in range(len(t))))

    short = next(f"{text.split()[-2]} {text.split()[-1]}" for name, text in docs
                 if name.startswith("g") and len(text.split()) > 1)
    assert len(having(short)) == 1 and ids(e, f'"{short}"') == having(short)
    assert len(having("Soldaten Südkorea")) > 10
    assert ids(e, '"Soldaten Südkorea"') == having("Soldaten Südkorea")
    e.close()
