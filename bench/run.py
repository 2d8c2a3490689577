"""Index and search benchmark.

Builds corpora of 1k, 10k and 100k articles (from ../shared/corpora/10kgnad when
present — outlets and dates assigned in rotation, sentences reshuffled so each
article is distinct — else generated German-like text) and measures:

- first index throughput (articles/s), with peak memory (RSS of a child process),
- no-op re-index time,
- search latency p50/p95 over a fixed set of 1–3 term and phrase queries.

Each size is indexed in a fresh child process so peak memory is per size.
Writes a Markdown section to bench/out/index_bench.md and prints it.

    .venv/bin/python bench/run.py [--sizes 1000,10000,100000] [--workdir DIR]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GNAD = ROOT.parent / "shared" / "corpora" / "10kgnad" / "test.csv"
OUTLETS = ["dpa", "Reuters", "AFP", "Der Standard", "Zeit Online", "Spiegel", "FAZ", "taz", "NZZ", "ORF",
           "BR24", "MDR", "n-tv", "Tagesschau", "Welt", "Stern"]
QUERIES = ["Regierung", "Polizei Wien", "Prozent", "Euro Millionen", "Fußball", "\"Europäische Union\"",
           "Klimawandel", "Bundeskanzler Österreich", "Flüchtlinge AND Grenze", "\"Milliarden Euro\"",
           "Wahl OR Abstimmung", "Spieler Trainer Saison", "Studie Forscher", "Internet", "Gericht Urteil"]


def base_texts() -> list[str]:
    if GNAD.is_file():
        with GNAD.open(encoding="utf-8", newline="") as f:
            return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) >= 2]
    rng = random.Random(1)
    words = ("Regierung Polizei Wien Prozent Euro Millionen Fußball Europäische Union Klimawandel Bundeskanzler "
             "Österreich Flüchtlinge Grenze Milliarden Wahl Abstimmung Spieler Trainer Saison Studie Forscher "
             "Internet Gericht Urteil sagte erklärte rund etwa Soldaten Stadt Land Jahr Woche").split()
    return [" ".join(rng.choice(words) for _ in range(400)) + "." for _ in range(1000)]


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def build_corpus(n: int, dest: Path) -> None:
    marker = dest / ".complete"
    if marker.exists():
        return
    dest.mkdir(parents=True, exist_ok=True)
    texts = base_texts()
    rng = random.Random(n)
    for i in range(n):
        base = texts[i % len(texts)]
        if i >= len(texts):
            sents = _SENT.split(base)
            head, tail = sents[:1], sents[1:]
            rng.shuffle(tail)
            base = " ".join(head + tail)
        outlet = OUTLETS[i % len(OUTLETS)]
        d = date(2015, 1, 1).toordinal() + (i * 7919) % 3650
        iso = date.fromordinal(d).isoformat()
        sub = dest / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        title = base.split(". ")[0][:120]
        (sub / f"a{i:06d}.md").write_text(
            f"---\noutlet: {outlet}\ndate: {iso}\n---\n# {title}\n\n{base}\n", encoding="utf-8")
    marker.write_text("ok")


CHILD = r"""
import json, os, resource, sys, threading, time, statistics
sys.path.insert(0, sys.argv[1])

def tree_rss_mb():
    # RSS of this process and all its descendants (the worker processes of a parallel build)
    me = os.getpid(); kids = {}; rss = {}
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open(f'/proc/{d}/stat') as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            # PSS: shared pages (fork copy-on-write, shared libraries) split between the
            # processes that share them, so the sum is the tree's real footprint
            with open(f'/proc/{d}/smaps_rollup') as f:
                for line in f:
                    if line.startswith('Pss:'):
                        rss[int(d)] = int(line.split()[1]) * 1024
                        break
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    total, todo = 0, [me]
    while todo:
        p = todo.pop(); total += rss.get(p, 0); todo += kids.get(p, [])
    return total / 2**20

peak_tree = [0.0]; stop = threading.Event()
def sample():
    while not stop.is_set():
        peak_tree[0] = max(peak_tree[0], tree_rss_mb()); stop.wait(0.25)
sampler = threading.Thread(target=sample, daemon=True)
from index.service import Corpus
from index.config import Config
corpus_dir, index_dir, queries = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
c = Corpus.open([corpus_dir], index_dir=index_dir, config=Config())
sampler.start()
t = time.perf_counter(); rep = c.update_index(); first = time.perf_counter() - t
stop.set(); sampler.join()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
noop = []
for _ in range(3):
    c2 = Corpus.open([corpus_dir], index_dir=index_dir, config=Config())
    t = time.perf_counter(); r2 = c2.update_index(); noop.append(time.perf_counter() - t)
    assert r2.added == r2.updated == r2.removed == 0, r2
    c2.close()
lat = []
for _ in range(5):
    for q in queries:
        t = time.perf_counter(); c.search(q, limit=50, highlights=False); lat.append((time.perf_counter() - t) * 1000)
lat.sort()
print(json.dumps({"n": rep.added, "first_s": first, "peak_mb": peak, "peak_tree_mb": peak_tree[0], "noop_s": statistics.median(noop),
                  "p50_ms": lat[len(lat) // 2], "p95_ms": lat[int(len(lat) * 0.95) - 1]}))
"""


def run_size(n: int, work: Path) -> dict:
    cdir = work / f"corpus_{n}"
    build_corpus(n, cdir)
    idir = work / f"index_{n}"
    if idir.exists():
        import shutil

        shutil.rmtree(idir)
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(cdir), str(idir), json.dumps(QUERIES)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--workdir", default=str(HERE / "out" / "work"))
    args = ap.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        print(f"size {n}: building and indexing …", file=sys.stderr)
        r = run_size(n, work)
        r["size"] = n
        rows.append(r)
        print(f"  {r}", file=sys.stderr)
    src = "10kgnad (1,028 real derStandard articles, sentences reshuffled beyond 1,028)" if GNAD.is_file() else "generated text"
    lines = [
        f"## Index and search ({date.today().isoformat()})",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Corpus: {src}; .md files with front matter. "
        "Each size indexed in a fresh process; latencies are over 5 rounds of "
        f"{len(QUERIES)} queries (1–3 terms, phrases, AND/OR), limit 50, no highlights.",
        "",
        "| articles | first index (s) | articles/s | peak RSS main (MB) | peak PSS all processes (MB) | no-op re-index (s, median of 3) | search p50 (ms) | search p95 (ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['first_s']:.1f} | {r['size'] / r['first_s']:.0f} | {r['peak_mb']:.0f} | {r['peak_tree_mb']:.0f} | "
                     f"{r['noop_s']:.2f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |")
    lines += ["", "Budgets: first index ≥ 500 articles/s; no-op re-index of 10k ≤ 2 s; search p95 ≤ 50 ms at 10k, "
              "≤ 150 ms at 100k; peak memory while indexing 100k ≤ 500 MB.", ""]
    text = "\n".join(lines)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "index_bench.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
