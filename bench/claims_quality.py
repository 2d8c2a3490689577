"""Quality and speed of claims, grouping, conflicts, reuse and compare.

Run:  .venv/bin/python bench/claims_quality.py [--quick]

Prints the groups and conflicts found on seeds/ and on the hand-labelled stories
in bench/labelled/, precision/recall of number reading (value+unit+hedge) and of
grouping (pairwise, cross-article), attribution accuracy, timings, and text reuse
on a 10k-article corpus built from 10kGNAD with planted near-duplicates.  The
Markdown section is printed last and written to bench/out/claims_quality.md.

--quick: 2,000 instead of 10,000 articles for the reuse benchmark.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from index.claims import extract_claims, group_claims  # noqa: E402
from index.compare import compare_articles  # noqa: E402
from index.numbers import unit_matches  # noqa: E402
from index.reuse import find_reuse, reuse_candidates  # noqa: E402

LABELLED = ROOT / "bench" / "labelled"
OUT = ROOT / "bench" / "out" / "claims_quality.md"
GNAD = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "10kgnad" / "test.csv"

try:  # boilerplate/duplicate spans, when that module is available
    from index.boilerplate import find_boilerplate
except Exception:  # pragma: no cover - optional
    find_boilerplate = None


_DF: Counter = Counter()
_N = [1]


def build_background() -> None:
    """Document frequencies like the index would give (service passes engine.doc_frequency):
    10kGNAD when present, plus the seeds and the labelled articles."""
    from index.stem import content_terms
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(LABELLED.glob("*/*.txt"))]
    if GNAD.exists():
        with GNAD.open(encoding="utf-8", newline="") as fh:
            texts += [r[1] for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) == 2]
    for t in texts:
        _DF.update(set(content_terms(t)))
    _N[0] = len(texts)


def group(claims):
    return group_claims(claims, doc_freq=lambda t: _DF.get(t, 0), n_docs=_N[0])


def spans_for(text: str):
    return find_boilerplate(text) if find_boilerplate else []


def fmt_value(v: dict) -> str:
    h = f"{v['hedge']} " if v.get("hedge") else ""
    return f"{h}{v['value']:g} ({v['text']!r}, {v['article']}, Quelle: {v.get('source') or '—'})"


def print_groups(title: str, groups) -> None:
    print(f"\n=== {title}: {len(groups)} groups")
    for g in groups:
        flag = "KONFLIKT" if g.conflict else "einig"
        print(f"- {g.label}  [{flag}, score {g.score:.2f}, {len(g.articles)} Artikel]")
        for v in g.values:
            print(f"    {fmt_value(v)}")
        for c in g.conflicts[:6]:
            print(f"    ≠ {c['a']['text']} ({c['a']['article']}) vs {c['b']['text']} ({c['b']['article']})")


# --------------------------------------------------------------------------- seeds

def bench_seeds() -> dict:
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
    t0 = time.perf_counter()
    claims = []
    for aid, text in texts.items():
        claims += extract_claims(aid, text, spans_for(text))
    t1 = time.perf_counter()
    groups = group(claims)
    t2 = time.perf_counter()
    print_groups("seeds", groups)
    return {"claims": len(claims), "extract_ms": (t1 - t0) * 1000, "group_ms": (t2 - t1) * 1000,
            "groups": groups, "texts": texts, "claim_list": claims}


# --------------------------------------------------------------------------- labelled

def load_labelled():
    labels = yaml.safe_load((LABELLED / "labels.yaml").read_text(encoding="utf-8"))["stories"]
    stories, held_out = {}, set()
    for story, arts in labels.items():
        stories[story] = {}
        if arts.pop("held_out", False):
            held_out.add(story)
        for name, qs in arts.items():
            text = (LABELLED / story / name).read_text(encoding="utf-8")
            aid = f"{story}/{name}"
            gold = []
            for i, q in enumerate(qs):
                pos = text.find(q["text"])
                assert pos >= 0, (aid, q["text"])
                gold.append(dict(q, id=f"{aid}#{i}", article=aid, start=pos, end=pos + len(q["text"]),
                                 group=(f"{story}:{q['group']}" if q.get("group") else None)))
            stories[story][aid] = (text, gold)
    return stories, held_out


def match_gold(gold, abs_start, abs_end):
    for g in gold:
        if g["start"] < abs_end and abs_start < g["end"]:
            return g
    return None


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def eval_labelled(stories) -> dict:
    res = {"tp": 0, "pred": 0, "gold": 0, "value_ok": 0, "unit_ok": 0, "hedge_ok": 0, "matched": 0,
           "src_ok": 0, "src_n": 0, "errors": []}
    pair_stats = {"story": [0, 0, 0], "pooled": [0, 0, 0]}  # tp, pred, gold
    all_claims, all_gold = [], {}
    for story, arts in stories.items():
        claims = []
        for aid, (text, gold) in arts.items():
            cl = extract_claims(aid, text, spans_for(text))
            claims += cl
            all_gold[aid] = gold
            res["gold"] += len(gold)
            seen = set()
            for c in cl:
                for q in c.numbers:
                    res["pred"] += 1
                    g = match_gold(gold, c.start + q.start, c.start + q.end)
                    if g is None:
                        res["errors"].append(f"{aid}: spurious {q.text!r} = {q.value:g}")
                        continue
                    if g["id"] in seen:
                        res["errors"].append(f"{aid}: twice {q.text!r}")
                        continue
                    seen.add(g["id"])
                    res["matched"] += 1
                    v = same_value(q.value, float(g["value"]))
                    u = (q.unit is None and g["unit"] is None) or (q.unit and g["unit"] and unit_matches(q.unit, g["unit"]))
                    h = (q.hedge or None) == (g["hedge"] or None)
                    res["value_ok"] += v
                    res["unit_ok"] += bool(u)
                    res["hedge_ok"] += h
                    if v and u and h:
                        res["tp"] += 1
                    else:
                        res["errors"].append(
                            f"{aid}: {q.text!r} read as {q.value:g}/{q.unit}/{q.hedge}, "
                            f"gold {g['value']:g}/{g['unit']}/{g['hedge']}")
                    if g.get("source"):
                        res["src_n"] += 1
                        ok = bool(c.source and g["source"].lower() in c.source.speaker.lower())
                        res["src_ok"] += ok
                        if not ok:
                            res["errors"].append(f"{aid}: source of {g['text']!r} = "
                                                 f"{c.source.speaker if c.source else None!r}, gold {g['source']!r}")
            for g in gold:
                if g["id"] not in seen:
                    res["errors"].append(f"{aid}: missed {g['text']!r}")
                    if g.get("source"):
                        res["src_n"] += 1
        all_claims += claims
        groups = group(claims)
        print_groups(f"labelled story {story}", groups)
        _pairs(groups, {a: g for a, (t, g) in arts.items()}, pair_stats["story"])
    pooled = group(all_claims)
    _pairs(pooled, all_gold, pair_stats["pooled"])
    res["pairs"] = pair_stats
    return res


def _pairs(groups, gold_by_article, acc) -> None:
    gold_pairs = set()
    all_gold = [g for gs in gold_by_article.values() for g in gs]
    for a, b in combinations(all_gold, 2):
        if a["group"] and a["group"] == b["group"] and a["article"] != b["article"]:
            gold_pairs.add(tuple(sorted((a["id"], b["id"]))))
    pred_pairs = set()
    for grp in groups:
        resolved = []
        for v in grp.values:
            g = match_gold(gold_by_article.get(v["article"], []), v["start"], v["end"])
            resolved.append((v["article"], g["id"] if g else f"{v['article']}@{v['start']}"))
        for (a1, i1), (a2, i2) in combinations(resolved, 2):
            if a1 != a2:
                pred_pairs.add(tuple(sorted((i1, i2))))
    acc[0] += len(pred_pairs & gold_pairs)
    acc[1] += len(pred_pairs)
    acc[2] += len(gold_pairs)


# --------------------------------------------------------------------------- extraction throughput

def bench_throughput() -> dict:
    """Claim extraction speed per article as indexing runs it (sentences + claims), on
    10kGNAD when present (else the seeds and labelled articles): one warm-up pass (the
    stem caches fill as they would over a large corpus), then three timed passes."""
    from index.attribution import _cached_candidates
    from index.sentences import split_sentences
    if GNAD.exists():
        with GNAD.open(encoding="utf-8", newline="") as fh:
            texts = [r[1] for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) == 2]
        name = "10kGNAD"
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        texts += [p.read_text(encoding="utf-8") for p in sorted(LABELLED.glob("*/*.txt"))]
        name = "seeds + labelled"
    spans = [spans_for(t) for t in texts]
    for i, t in enumerate(texts):
        extract_claims(f"w{i}", t, spans[i])
    times = [float("inf")] * len(texts)
    for _ in range(3):  # per article the fastest of 3 passes: other processes on the machine only add noise
        _cached_candidates.cache_clear()  # no help from having read the same sentences before
        for i, t in enumerate(texts):
            t0 = time.perf_counter()
            split_sentences(t)
            extract_claims(f"t{i}", t, spans[i])
            times[i] = min(times[i], time.perf_counter() - t0)
    total = sum(times)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.perf_counter()
    for t in texts:
        split_sentences(t + " ")  # a new string each time: no reuse of the previous split
    split_s = time.perf_counter() - t0
    return {"corpus": name, "articles": len(texts), "mb": mb, "mb_s": mb / total if total else 0.0,
            "split_mb_s": mb / split_s if split_s else 0.0,
            "ms_median": sorted(times)[len(times) // 2] * 1000, "ms_mean": total / len(times) * 1000,
            "kb_mean": mb * 1000 / len(texts)}


# --------------------------------------------------------------------------- compare timing

def bench_compare(texts) -> dict:
    a = (texts["003"] + "\n\n" + texts["000"])[:5000]
    b = (texts["004"] + "\n\n" + texts["001"])[:5000]
    ca = extract_claims("A", a, spans_for(a))
    cb = extract_claims("B", b, spans_for(b))
    runs = []
    for _ in range(20):
        t = time.perf_counter()
        pairs = compare_articles("A", a, ca, "B", b, cb)
        runs.append(time.perf_counter() - t)
    t = time.perf_counter()
    ca2 = extract_claims("A", a, spans_for(a))
    cb2 = extract_claims("B", b, spans_for(b))
    compare_articles("A", a, ca2, "B", b, cb2)
    with_extract = time.perf_counter() - t
    kinds = Counter(p.kind for p in pairs)
    conflicts = sum(len(p.conflicts) for p in pairs)
    return {"median_ms": sorted(runs)[len(runs) // 2] * 1000, "max_ms": max(runs) * 1000,
            "with_extract_ms": with_extract * 1000, "kinds": dict(kinds), "conflicts": conflicts}


# --------------------------------------------------------------------------- reuse on 10k

WORD = re.compile(r"\w+")


def build_corpus(n_docs: int, n_planted: int, seed: int = 7):
    """n_docs articles from 10kGNAD; copy k>0 of the 1,028 articles has its vocabulary
    permuted within frequency bands (same Zipf statistics, no n-grams shared across
    copies), then paragraphs are planted between random articles with light rewording."""
    with GNAD.open(encoding="utf-8", newline="") as fh:
        base = [r[1] for r in csv.reader(fh, delimiter=";", quotechar="'") if len(r) == 2]
    freq = Counter(w for t in base for w in WORD.findall(t))
    vocab = [w for w, _ in freq.most_common()]
    rng = random.Random(seed)
    docs = []
    band = 25
    for copy in range((n_docs + len(base) - 1) // len(base)):
        if copy == 0:
            mapping = None
        else:
            r = random.Random(seed * 1000 + copy)
            mapping = {}
            for i in range(0, len(vocab), band):
                chunk = vocab[i:i + band]
                perm = chunk[:]
                r.shuffle(perm)
                mapping.update(zip(chunk, perm))
        for t in base:
            if len(docs) >= n_docs:
                break
            docs.append(t if mapping is None else WORD.sub(lambda m: mapping.get(m.group(0), m.group(0)), t))
    planted = []
    for k in range(n_planted):
        x, y = rng.sample(range(len(docs)), 2)
        sents = re.split(r"(?<=[.!?])\s+", docs[x])
        if len(sents) < 5:
            continue
        i = rng.randrange(1, len(sents) - 3)
        passage = " ".join(sents[i:i + 3])
        words = passage.split(" ")
        if len(words) < 25:
            continue
        for _ in range(rng.choice([1, 2, 3])):  # light rewording
            j = rng.randrange(len(words))
            op = rng.choice(["swap", "inflect", "drop"])
            if op == "swap":
                words[j] = rng.choice(vocab[200:5000])
            elif op == "inflect" and words[j].isalpha():
                words[j] = words[j][:-1] if words[j].endswith(("e", "n", "s")) else words[j] + "en"
            elif op == "drop" and len(words) > 10:
                del words[j]
        passage = " ".join(words)
        ys = re.split(r"(?<=[.!?])\s+", docs[y])
        cut = rng.randrange(1, max(2, len(ys)))
        docs[y] = " ".join(ys[:cut] + [passage] + ys[cut:])
        planted.append((x, y, passage))
    return docs, planted


def reuse_child(n_docs: int) -> None:
    """Run in a child process so ru_maxrss is this workload's peak."""
    docs, planted = build_corpus(n_docs, 200)
    t = time.perf_counter()
    cands = reuse_candidates([(f"d{i}", d) for i, d in enumerate(docs)])
    dt = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = {(a, b) for a, b, _ in cands}
    hit = 0
    for x, y, _ in planted:
        a, b = f"d{min(x, y)}", f"d{max(x, y)}"
        hit += (a, b) in found
    planted_pairs = {(f"d{min(x, y)}", f"d{max(x, y)}") for x, y, _ in planted}
    # passages: align the planted pairs
    sims, located = [], 0
    t2 = time.perf_counter()
    for x, y, passage in planted[:100]:
        ps = find_reuse(docs[x], docs[y])
        start = docs[y].find(passage)
        best = [p for p in ps if p.b_start < start + len(passage) and start < p.b_end]
        if best:
            located += 1
            sims.append(max(p.similarity for p in best))
    dt2 = time.perf_counter() - t2
    print(json.dumps({
        "n_docs": len(docs), "mb": sum(len(d) for d in docs) / 1e6, "seconds": dt, "peak_rss_mb": rss,
        "candidates": len(cands), "planted": len(planted), "planted_found": hit,
        "other_candidates": len(found - planted_pairs),
        "aligned_checked": min(100, len(planted)), "aligned_located": located,
        "mean_similarity": sum(sims) / len(sims) if sims else 0.0, "align_ms_per_pair": dt2 / max(1, min(100, len(planted))) * 1000,
    }))


def bench_reuse(n_docs: int) -> dict | None:
    if not GNAD.exists():
        print("\n(10kGNAD not found: reuse benchmark skipped)")
        return None
    out = subprocess.run([sys.executable, __file__, "--reuse-child", str(n_docs)], capture_output=True, text=True,
                         cwd=str(ROOT))
    if out.returncode != 0:
        print(out.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report

def pct(a: float, b: float) -> str:
    return f"{100 * a / b:.0f} %" if b else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reuse-child", type=int)
    args = ap.parse_args()
    if args.reuse_child:
        reuse_child(args.reuse_child)
        return
    build_background()
    seeds = bench_seeds()
    all_stories, held_out = load_labelled()
    stories = {k: v for k, v in all_stories.items() if k not in held_out}
    lab = eval_labelled(stories)
    held = eval_labelled({k: v for k, v in all_stories.items() if k in held_out}) if held_out else None
    cmp = bench_compare(seeds["texts"])
    tput = bench_throughput()
    print(f"\nextraction throughput: {tput['mb_s']:.2f} MB/s, {tput['ms_median']:.2f} ms/article median "
          f"({tput['ms_mean']:.2f} mean; {tput['articles']} {tput['corpus']} articles, {tput['kb_mean']:.1f} KB each)")
    reuse = bench_reuse(2000 if args.quick else 10000)

    print("\n=== labelled: reading errors")
    for e in lab["errors"]:
        print("  ", e)
    if held:
        print("\n=== held-out: reading errors")
        for e in held["errors"]:
            print("  ", e)

    n_articles = sum(len(a) for a in stories.values())
    st, po = lab["pairs"]["story"], lab["pairs"]["pooled"]
    lines = [
        "## Claims quality (bench/claims_quality.py)",
        "",
        f"Labelled set: {len(stories)} invented stories, {n_articles} articles, {lab['gold']} gold quantities "
        "(bench/labelled/, written for this benchmark; vocabulary classes were tuned while looking at it, so "
        "treat these figures as optimistic).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| number reading precision (value+unit+hedge) | {pct(lab['tp'], lab['pred'])} ({lab['tp']}/{lab['pred']}) |",
        f"| number reading recall (value+unit+hedge) | {pct(lab['tp'], lab['gold'])} ({lab['tp']}/{lab['gold']}) |",
        f"| of matched quantities: value / unit / hedge right | {pct(lab['value_ok'], lab['matched'])} / "
        f"{pct(lab['unit_ok'], lab['matched'])} / {pct(lab['hedge_ok'], lab['matched'])} |",
        f"| grouping precision, pairwise, per story | {pct(st[0], st[1])} ({st[0]}/{st[1]}) |",
        f"| grouping recall, pairwise, per story | {pct(st[0], st[2])} ({st[0]}/{st[2]}) |",
        f"| grouping precision / recall, all stories pooled | {pct(po[0], po[1])} / {pct(po[0], po[2])} |",
        f"| attribution: expected speaker found | {pct(lab['src_ok'], lab['src_n'])} ({lab['src_ok']}/{lab['src_n']}) |",
        "",
        f"Seeds (5 articles): {seeds['claims']} claims in {seeds['extract_ms']:.0f} ms "
        f"(budget 1 s), grouping {seeds['group_ms']:.0f} ms; {len(seeds['groups'])} groups:",
        "",
    ]
    for g in seeds["groups"]:
        vals = "; ".join(f"{(v['hedge'] + ' ') if v['hedge'] else ''}{v['value']:g} ({v['article']}, "
                         f"{v.get('source') or '—'})" for v in g.values)
        lines.append(f"- {g.label} — {'**conflict**' if g.conflict else 'agree'}: {vals}")
    lines += [
        "",
        f"Claim extraction throughput (sentences + claims, as indexing runs it; {tput['articles']} "
        f"{tput['corpus']} articles of {tput['kb_mean']:.1f} KB on average): {tput['mb_s']:.2f} MB/s, "
        f"{tput['ms_median']:.2f} ms/article median ({tput['ms_mean']:.2f} ms mean). Budget: ≤ 30 % on top of "
        "indexing, ≈ 0.9 ms per 2.6 KB article (≥ 3 MB/s).",
    ]
    if held:
        hs = held["pairs"]["story"]
        n_held = sum(len(all_stories[k]) for k in held_out)
        lines += [
            "",
            f"Held-out story ({', '.join(sorted(held_out))}: {n_held} articles, {held['gold']} gold quantities, "
            "written after tuning; see the note in labels.yaml): number reading P/R "
            f"{pct(held['tp'], held['pred'])} / {pct(held['tp'], held['gold'])}; grouping P/R "
            f"{pct(hs[0], hs[1])} ({hs[0]}/{hs[1]}) / {pct(hs[0], hs[2])} ({hs[0]}/{hs[2]}); attribution "
            f"{held['src_ok']}/{held['src_n']}.",
        ]
    lines += [
        "",
        f"Compare two ~5 KB articles: median {cmp['median_ms']:.1f} ms, max {cmp['max_ms']:.1f} ms "
        f"(budget 200 ms; {cmp['with_extract_ms']:.0f} ms including claim extraction of both); "
        f"pairs {cmp['kinds']}, {cmp['conflicts']} conflicts.",
    ]
    if reuse:
        lines += [
            "",
            f"Reuse candidates on {reuse['n_docs']:,} articles ({reuse['mb']:.1f} MB; 10kGNAD, copies with "
            f"vocabulary permuted within frequency bands, {reuse['planted']} planted near-duplicate paragraphs "
            f"with 1–3 word edits): {reuse['seconds']:.1f} s (budget 60 s), peak RSS {reuse['peak_rss_mb']:.0f} MB "
            f"(budget 1 GB, whole child process incl. corpus); planted pairs found "
            f"{pct(reuse['planted_found'], reuse['planted'])} ({reuse['planted_found']}/{reuse['planted']}); "
            f"{reuse['other_candidates']} other candidate pairs (real overlaps inside 10kGNAD copies). "
            f"find_reuse located {reuse['aligned_located']}/{reuse['aligned_checked']} planted passages, mean "
            f"similarity {reuse['mean_similarity']:.2f}, {reuse['align_ms_per_pair']:.1f} ms per pair.",
        ]
    lines += [
        "",
        f"Grouping uses document frequencies over {_N[0]:,} documents (10kGNAD + seeds + labelled), as the "
        "service passes the index's doc_frequency.",
        "",
        f"Sentence splitter: {tput['split_mb_s']:.0f} MB/s on {tput['corpus']} (rule-based, index/sentences.py). "
        "Measured alternatives in a throw-away venv: pysbd 0.3.4 ≈ 0.01 MB/s, syntok 1.4.4 ≈ 1.6 MB/s.",
    ]
    md = "\n".join(lines) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(md, encoding="utf-8")
    print("\n" + md)


if __name__ == "__main__":
    main()
