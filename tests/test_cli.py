"""The command line: JSON contracts, exit codes, one-line errors, no tracebacks."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "seeds")


@pytest.fixture()
def ix(tmp_path):
    return str(tmp_path / "ix")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_json_then_noop(capsys, ix):
    code, out, err = run(capsys, "index", SEEDS, "--index-dir", ix, "--json")
    d = json.loads(out)
    assert code == 0 and d["added"] == 5 and d["articles"] == 5
    code, out, _ = run(capsys, "--index-dir", ix, "index", SEEDS, "--json")
    d = json.loads(out)
    assert (d["added"], d["updated"], d["removed"], d["unchanged"]) == (0, 0, 0, 5)


def test_articles_json(capsys, ix):
    code, out, _ = run(capsys, "articles", SEEDS, "--index-dir", ix, "--json")
    arts = json.loads(out)["articles"]
    assert code == 0 and len(arts) == 5
    for a in arts:
        assert set(a) >= {"id", "title", "date", "outlet", "author", "url", "length", "boilerplate"}
        assert a["title"]


def test_search_json_contract(capsys, ix):
    code, out, _ = run(capsys, "search", "Soldaten", "--corpus", SEEDS, "--index-dir", ix, "--json", "--limit", "2")
    d = json.loads(out)
    assert code == 0 and d["query"] == "Soldaten" and d["total"] == 5 and len(d["hits"]) == 2
    assert all(h["highlights"] for h in d["hits"])


def test_search_nothing_found_exit_1(capsys, ix):
    code, out, _ = run(capsys, "search", "Zebrastreifenquadrat", "--corpus", SEEDS, "--index-dir", ix, "--json")
    assert code == 1 and json.loads(out)["total"] == 0


@pytest.mark.parametrize("argv,needle", [
    (["search", "(Kursk OR"], "never closed"),
    (["search", "foo:bar"], "unknown field"),
    (["search", "x", "--limit", "0"], "--limit"),
    (["articles", "/no/such/folder"], "not found"),
    (["index", "--config", "/no/such/config.yaml"], "config file not found"),
    (["frobnicate-option", "--nope"], "unrecognized"),
])
def test_bad_input_exit_2_one_line(capsys, ix, argv, needle):
    if argv[0] == "search":
        argv = argv + ["--corpus", SEEDS]
    code, out, err = run(capsys, *argv, "--index-dir", ix)
    assert code == 2, err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_show_unknown_article(capsys, ix):
    code, out, err = run(capsys, "show", "nope.txt", "--corpus", SEEDS, "--index-dir", ix)
    assert code == 1 and "nope.txt" in err


def test_app_without_terminal_says_so(capsys, ix):
    code, out, err = run(capsys, SEEDS, "--index-dir", ix)
    assert code == 2 and "terminal" in err


def test_installed_entry_point_has_no_traceback(tmp_path):
    exe = Path(sys.executable).parent / "coverage-tui"
    if not exe.exists():
        pytest.skip("coverage-tui is not installed in this environment")
    bad = tmp_path / "bad.yaml"
    bad.write_text("corpus: [\n", encoding="utf-8")
    p = subprocess.run([str(exe), "search", "x", "--config", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "not valid YAML" in p.stderr


def test_claims_json_contract(capsys, ix):
    code, out, _ = run(capsys, "claims", "--corpus", SEEDS, "--index-dir", ix, "--json")
    d = json.loads(out)
    assert code == 0 and d["claims"] and d["groups"]
    c = d["claims"][0]
    assert set(c) >= {"id", "article", "sentence", "start", "end", "numbers", "source"}
    ids = {c["id"] for c in d["claims"]}
    for g in d["groups"]:
        assert set(g) >= {"id", "label", "claims", "conflict"} and set(g["claims"]) <= ids
    # a group with conflicting values exists in the seeds (outlets disagree on troop numbers)
    assert any(g["conflict"] for g in d["groups"])
    # the sentence offsets point into the article text
    code, out, _ = run(capsys, "show", c["article"], "--corpus", SEEDS, "--index-dir", ix, "--json")
    text = json.loads(out)["text"]
    assert text[c["start"]:c["end"]] == c["sentence"]


def test_claims_query_restricts_articles(capsys, ix):
    code, out, _ = run(capsys, "claims", "--query", "Budanov", "--corpus", SEEDS, "--index-dir", ix, "--json")
    d = json.loads(out)
    assert code == 0 and len({c["article"] for c in d["claims"]}) == 1


def test_compare_json_contract(capsys, ix):
    code, out, _ = run(capsys, "articles", SEEDS, "--index-dir", ix, "--json")
    ids = [a["id"] for a in json.loads(out)["articles"]]
    code, out, _ = run(capsys, "compare", ids[0], ids[3], "--corpus", SEEDS, "--index-dir", ix, "--json")
    d = json.loads(out)
    assert code == 0 and d["a"] == ids[0] and d["pairs"]
    for p in d["pairs"]:
        assert set(p) >= {"a", "b", "kind", "similarity", "conflicts"} and p["kind"] in ("reuse", "claim")
        assert p["a"][0] < p["a"][1] and p["b"][0] < p["b"][1]
    code, out, err = run(capsys, "compare", ids[0], "nope", "--corpus", SEEDS, "--index-dir", ix)
    assert code == 1 and "nope" in err


def test_excerpts_add_list_export_roundtrip(capsys, ix, tmp_path, monkeypatch):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"corpus: [{SEEDS}]\nexcerpts_file: {tmp_path / 'ex.jsonl'}\n", encoding="utf-8")
    base = ["--config", str(cfg), "--index-dir", ix]
    code, out, _ = run(capsys, "articles", *base, "--json")
    aid = json.loads(out)["articles"][0]["id"]
    code, out, err = run(capsys, "excerpts", "add", aid, "--start", "5", "--end", "60",
                         "--note", "Zeile 1\n[/] [@click=app.quit]x[/]", "--tag", "t1", "--tag", "#t2", *base, "--json")
    assert code == 0, err
    ex = json.loads(out)
    assert ex["tags"] == ["t1", "t2"] and ex["start"] == 5
    code, out, _ = run(capsys, "excerpts", *base, "--json")
    lst = json.loads(out)["excerpts"]
    assert len(lst) == 1 and lst[0]["anchor"]["status"] == "exact"
    code, out, _ = run(capsys, "export", "--format", "json", *base)
    assert json.loads(out)[0]["note"] == "Zeile 1\n[/] [@click=app.quit]x[/]"
    code, out, _ = run(capsys, "export", "--format", "md", "--tag", "t2", *base)
    assert "> " in out and "#t1" in out
    dest = tmp_path / "out.csv"
    code, out, err = run(capsys, "export", "-f", "csv", "-o", str(dest), *base)
    assert code == 0 and dest.read_bytes().startswith(b"\xef\xbb\xbf")
    code, out, err = run(capsys, "excerpts", "add", aid, "--start", "50", "--end", "10", *base)
    assert code == 2 and err.count("\n") == 1
    code, out, err = run(capsys, "excerpts", "add", aid, "--start", "1", "--end", "10", "--colour", "plaid", *base)
    assert code == 2 and "colour" in err.lower() or "color" in err.lower()


def test_show_json_is_what_the_reader_shows(capsys, ix):
    code, out, _ = run(capsys, "articles", SEEDS, "--index-dir", ix, "--json")
    aid = json.loads(out)["articles"][3]["id"]
    code, out, _ = run(capsys, "show", aid, "--query", "Soldat", "--corpus", SEEDS, "--index-dir", ix, "--json")
    d = json.loads(out)
    assert code == 0 and d["highlights"] and d["sentences"] and "keywords" in d and "excerpts" in d
    assert {d["text"][s:e].lower() for s, e in d["highlights"]} <= {"soldat", "soldaten"}
    assert all(d["text"][s:e] for s, e in d["sentences"])


def test_keys_lists_every_binding_with_ids(capsys, tmp_path, monkeypatch):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("keys: {next_hit: ctrl+n, nonsense: x}\n", encoding="utf-8")
    code, out, err = run(capsys, "keys", "--config", str(cfg), "--json")
    d = json.loads(out)
    ids = {b["id"] for b in d["bindings"]}
    assert code == 0 and {"quit", "help", "search", "next_hit", "prev_hit", "sort", "filter_outlet"} <= ids
    assert next(b for b in d["bindings"] if b["id"] == "next_hit")["keys"] == "ctrl+n"
    assert any("nonsense" in w for w in d["warnings"]) and "nonsense" in err
