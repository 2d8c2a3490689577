"""Service level: incremental indexing, rebuilds, damage, locks, search contract."""
import json
import os
import shutil
from pathlib import Path

import pytest

from index.config import Config
from index.querycheck import QueryError
from index.service import Corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def open_corpus(corpus_dir, index_dir, **cfg):
    return Corpus.open([str(corpus_dir)], index_dir=str(index_dir), config=Config(**cfg))


@pytest.fixture()
def small(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    for p in SEEDS.iterdir():
        shutil.copy(p, d / p.name)
    return d


def test_first_index_then_noop(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    r = c.update_index()
    assert (r.added, r.updated, r.removed) == (5, 0, 0) and r.rebuilt
    assert c.index_state() == "ready"
    c.close()
    c2 = open_corpus(small, tmp_path / "ix")
    r2 = c2.update_index()
    assert (r2.added, r2.updated, r2.removed, r2.unchanged) == (0, 0, 0, 5) and not r2.rebuilt


def test_changed_added_removed_files(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    files = sorted(small.iterdir())
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n\nEin ganz neuer Absatz über Zebrastreifen.\n", encoding="utf-8")
    files[1].unlink()
    (small / "neu.txt").write_text("Neuer Artikel\n\nDer Text erwähnt Zebrastreifen ebenfalls.\n", encoding="utf-8")
    r = c.update_index()
    assert (r.added, r.updated, r.removed, r.unchanged) == (1, 1, 1, 3)
    res = c.search("Zebrastreifen")
    assert res.total == 2
    assert files[1].name not in {m.id for m in c.articles()}
    assert c.search(c.article(files[2].name).title.split()[0]).total >= 1


def test_touch_without_change_reads_but_does_not_reindex(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    p = sorted(small.iterdir())[0]
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
    r = c.update_index()
    assert (r.added, r.updated, r.removed, r.unchanged) == (0, 0, 0, 5)


def test_schema_version_change_rebuilds(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    c.store.set_meta("version", "old")
    c.store.commit()
    r = c.update_index()
    assert r.rebuilt and r.added == 5 and "format changed" in (r.notice or "")


def test_damaged_whoosh_index_is_rebuilt_with_a_notice(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    c.close()
    for f in (tmp_path / "ix" / "whoosh").glob("*.toc"):
        f.write_bytes(b"\x00garbage")
    c2 = open_corpus(small, tmp_path / "ix")
    r = c2.update_index()
    assert r.rebuilt and r.added == 5 and "damaged" in r.notice
    assert c2.search("Soldaten").total == 5


def test_deleted_index_dir_is_rebuilt(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    c.close()
    shutil.rmtree(tmp_path / "ix" / "whoosh")
    c2 = open_corpus(small, tmp_path / "ix")
    r = c2.update_index()
    assert r.rebuilt and r.added == 5


def test_damaged_store_is_rebuilt(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    c.close()
    for name in ("store.sqlite-wal", "store.sqlite-shm"):
        (tmp_path / "ix" / name).unlink(missing_ok=True)
    (tmp_path / "ix" / "store.sqlite").write_bytes(b"this is not a database" * 100)
    c2 = open_corpus(small, tmp_path / "ix")
    r = c2.update_index()
    assert r.rebuilt and r.added == 5


def test_locked_index_opens_read_only(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    w = c.engine.writer()  # another instance is writing
    try:
        c2 = open_corpus(small, tmp_path / "ix")
        (sorted(small.iterdir())[0]).write_text("geändert\n", encoding="utf-8")
        r = c2.update_index()
        assert c2.read_only and "read-only" in r.notice
        assert c2.search("Soldaten").total >= 1  # still searchable
    finally:
        w.cancel()


def test_read_only_corpus_folder_works(small, tmp_path):
    os.chmod(small, 0o555)
    try:
        c = open_corpus(small, tmp_path / "ix")
        assert c.update_index().added == 5
    finally:
        os.chmod(small, 0o755)


def test_search_contract_and_highlights(tmp_path):
    c = open_corpus(SEEDS, tmp_path / "ix")
    c.update_index()
    res = c.search("Soldat", limit=3)
    d = res.to_json()
    assert set(d) >= {"query", "total", "hits"} and d["total"] == 5 and len(d["hits"]) == 3
    h = d["hits"][0]
    assert set(h) >= {"id", "title", "date", "outlet", "score", "snippet", "highlights"}
    text = c.article(h["id"]).text
    words = {text[s:e].lower() for s, e in h["highlights"]}
    assert words <= {"soldat", "soldaten"} and "soldaten" in words
    json.dumps(d)


def test_search_umlaut_variants_find_the_same(tmp_path):
    c = open_corpus(SEEDS, tmp_path / "ix")
    c.update_index()
    a = {h.id for h in c.search("Südkorea", limit=None, highlights=False).hits}
    assert a and a == {h.id for h in c.search("Sudkorea", limit=None, highlights=False).hits} \
        == {h.id for h in c.search("Suedkorea", limit=None, highlights=False).hits}
    assert {h.id for h in c.search("12000", limit=None).hits} == {h.id for h in c.search('"12.000"', limit=None).hits}


def test_bad_query_raises_one_line(tmp_path):
    c = open_corpus(SEEDS, tmp_path / "ix")
    c.update_index()
    with pytest.raises(QueryError):
        c.search("(Kursk OR")


def test_stop_words_only_query_explains(tmp_path):
    c = open_corpus(SEEDS, tmp_path / "ix")
    c.update_index()
    r = c.search("die der und")
    assert r.total == 0 and "stop word" in r.notice


def test_overrides_from_config(small, tmp_path):
    name = sorted(p.name for p in small.iterdir())[0]
    c = open_corpus(small, tmp_path / "ix", articles={name: {"outlet": "Beispielblatt", "date": "2024-10-30"}})
    c.update_index()
    m = c.meta(name)
    assert (m.outlet, m.date) == ("Beispielblatt", "2024-10-30")
    assert c.search("outlet:beispielblatt").total == 1


def test_hostile_folder_is_reported_not_fatal(tmp_path):
    d = tmp_path / "hostile"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (d / "cp1252.txt").write_bytes("Grüße aus Köln\n\nDie Straße ist schön, sagte der Bürgermeister.".encode("cp1252"))
    (d / "esc.txt").write_text("Titel \x1b[31mrot\x1b[0m\n\n[/] [@click=app.quit]x[/] [bold red]laut[/] \x1b]0;evil\x07 Text.\n", encoding="utf-8")
    (d / "big.txt").write_bytes(b"a" * 6_000_001)
    (d / "photo.pdf").write_bytes(b"%PDF-1.4")
    (d / "ok.txt").write_text("Ein normaler Artikel\n\nMit Text.\n", encoding="utf-8")
    c = open_corpus(d, tmp_path / "ix")
    r = c.update_index()
    skipped = dict((Path(p).name, why) for p, why in r.skipped)
    assert set(skipped) >= {"empty.txt", "binary.txt", "big.txt", "photo.pdf"}
    assert "MB" in skipped["big.txt"] or "bytes" in skipped["big.txt"]
    ids = {m.id for m in c.articles()}
    assert {"cp1252.txt", "esc.txt", "ok.txt"} <= ids
    assert "Grüße" in c.article("cp1252.txt").text
    t = c.article("esc.txt").text
    assert "\x1b" not in t and "[@click=app.quit]x[/]" in t and "\x07" not in t


def test_unchanged_corpus_needs_no_writer_even_when_locked(small, tmp_path):
    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    w = c.engine.writer()  # another instance holds the write lock
    try:
        c2 = open_corpus(small, tmp_path / "ix")
        r = c2.update_index()
        assert not c2.read_only and r.notice is None and r.unchanged == 5
    finally:
        w.cancel()


def _many(tmp_path, n=60):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(n):
        (d / f"a{i:03d}.txt").write_text(
            f"Artikel {i}\n\nLaut Polizei wurden {i + 10} Menschen verletzt, sagte ein Sprecher. Wort{i}.\n",
            encoding="utf-8")
    return d


def test_big_batch_uses_worker_processes_and_matches_serial(tmp_path, monkeypatch):
    import index.service as svc

    d = _many(tmp_path)
    monkeypatch.setattr(svc, "PARALLEL_MIN_FILES", 20)
    import io
    import sys

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # as inside the Textual app: no real fileno
    par = open_corpus(d, tmp_path / "ix1")
    assert par.update_index().added == 60
    monkeypatch.setenv("COVERAGE_TUI_NO_POOL", "1")
    ser = open_corpus(d, tmp_path / "ix2")
    assert ser.update_index().added == 60
    assert par.engine.doc_count() == ser.engine.doc_count() == 60
    assert par.search("Wort7", limit=None).total == 1
    assert par.store.claims() == ser.store.claims()
    assert par.claims_json()["claims"] == ser.claims_json()["claims"]


def test_parallel_build_gives_at_most_one_segment_per_worker(tmp_path, monkeypatch):
    import index.service as svc
    from whoosh import index as wi

    monkeypatch.setattr(svc, "PARALLEL_MIN_FILES", 20)
    monkeypatch.setattr(svc.os, "cpu_count", lambda: 2)
    c = open_corpus(_many(tmp_path), tmp_path / "ix")
    assert c.update_index().added == 60
    segs = wi.open_dir(str(c.engine.directory))._segments()
    # Two workers; on a loaded machine one may take every task before the other has
    # started (it then has no segment).  The writer itself adds no segment.
    assert 1 <= len(segs) <= 2 and sum(s.doc_count_all() for s in segs) == 60
    assert not [p for p in c.engine.directory.iterdir() if p.name.endswith(".tmp")]  # no run files left
    assert c.search("Wort59", limit=None).total == 1


def test_cancelled_parallel_build_keeps_index_and_store_in_step(tmp_path, monkeypatch):
    import index.service as svc

    monkeypatch.setattr(svc, "PARALLEL_MIN_FILES", 20)
    shown = []  # cancel as soon as the first file has come back from a worker
    c = open_corpus(_many(tmp_path, 400), tmp_path / "ix")
    rep = c.update_index(progress=lambda i, n, name: shown.append(i), should_cancel=lambda: bool(shown))
    assert rep.notice and "cancelled" in rep.notice
    assert 0 < rep.added < 400
    assert c.engine.doc_count() == c.store.count() == rep.added
    # the next run adds the rest (incrementally, in this process)
    rep2 = c.update_index()
    assert rep2.added == 400 - rep.added and c.engine.doc_count() == 400 == c.store.count()


def test_worker_that_dies_falls_back_to_indexing_in_process(tmp_path, monkeypatch):
    import index.service as svc

    from parallel_worker_child import dying_worker

    monkeypatch.setattr(svc, "PARALLEL_MIN_FILES", 20)
    monkeypatch.setattr(svc, "_build_worker", dying_worker)
    c = open_corpus(_many(tmp_path), tmp_path / "ix")
    rep = c.update_index()
    assert rep.added == 60 and rep.notice and "exit code 3" in rep.notice
    assert c.engine.doc_count() == c.store.count() == 60
    assert c.search("Wort7", limit=None).total == 1


def test_stored_claims_leave_out_the_sentence_and_come_back_whole(small, tmp_path):
    """The store keeps claims without what the article row holds (sentence text, ids);
    reading them gives exactly the records extract_claims makes."""
    import sqlite3

    from index.claims import extract_claims

    c = open_corpus(small, tmp_path / "ix")
    c.update_index()
    stored = c.store.claims()
    n = 0
    for m in c.articles():
        a = c.article(m.id)
        want = [cl.to_json() for cl in extract_claims(a.id, a.text, a.spans)]
        assert stored[m.id] == want
        n += len(want)
    assert n > 20
    c.close()
    db = sqlite3.connect(str(tmp_path / "ix" / "store.sqlite"))
    raw = [json.loads(r[0]) for r in db.execute("SELECT claims FROM articles")]
    db.close()
    records = [d for rs in raw for d in rs]
    assert len(records) == n
    assert all(not {"sentence", "id", "article"} & d.keys() for d in records)
