"""How much claim extraction adds to indexing time (budget: ≤ 30 %).

Indexes the same corpus (default: the 1,028 10kGNAD articles as .txt files, else the
seeds ×200) in this process, serially, alternately with and without sentence and claim
extraction, three times each, and reports the medians and their ratio: one run, one
machine, so the ratio is meaningful even on a noisy machine.  Then the same as shipped
(worker processes), on that corpus and on four copies of it: on ~1,000 files the
workers' fixed start-up (imports, final flush) is a large share of the time without
claims and flatters the ratio; on ~4,000 it is amortised.  The copies are 1,028
articles apart, further than any per-sentence cache reaches (attribution keeps 4,096
sentences), so they cost what new articles would.

    .venv/bin/python bench/claims_overhead.py
"""
from __future__ import annotations

import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import index.service as svc  # noqa: E402
from index.config import Config  # noqa: E402

GNAD = ROOT.parent / "shared" / "corpora" / "10kgnad" / "test.csv"


def make_corpus(dest: Path, copies: int = 1) -> int:
    if GNAD.is_file():
        with GNAD.open(encoding="utf-8", newline="") as f:
            texts = [r[1] for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))] * 200
    for k in range(copies):
        for i, t in enumerate(texts):
            (dest / f"c{k}a{i:05d}.txt").write_text(t, encoding="utf-8")
    return len(texts) * copies


def run(corpus: Path, with_claims: bool, parallel: bool) -> float:
    idx = Path(tempfile.mkdtemp(prefix="ovh-"))
    os.environ.pop("COVERAGE_TUI_NO_CLAIMS", None)
    os.environ.pop("COVERAGE_TUI_NO_POOL", None)
    if not with_claims:
        os.environ["COVERAGE_TUI_NO_CLAIMS"] = "1"  # also seen by the spawned workers
    if not parallel:
        os.environ["COVERAGE_TUI_NO_POOL"] = "1"
    try:
        c = svc.Corpus.open([str(corpus)], index_dir=str(idx), config=Config())
        t = time.perf_counter()
        c.update_index()
        dt = time.perf_counter() - t
        c.close()
    finally:
        shutil.rmtree(idx, ignore_errors=True)
    return dt


def main() -> None:  # spawned workers re-import this file: keep work under the main guard
    work = Path(tempfile.mkdtemp(prefix="ovh-corpus-"))
    work4 = Path(tempfile.mkdtemp(prefix="ovh-corpus4-"))
    n = make_corpus(work)
    n4 = make_corpus(work4, copies=4)
    lines = []
    for corpus, size, parallel, mode in (
        (work, n, False, "serial, one process (the CPU work)"),
        (work, n, True, f"as shipped (worker processes for batches ≥ 400 files, {os.cpu_count()} cores)"),
        (work4, n4, True, f"as shipped, {n4} files (the same articles 4×: worker start-up amortised)"),
    ):
        with_c, without = [], []
        for _ in range(3):
            without.append(run(corpus, False, parallel))
            with_c.append(run(corpus, True, parallel))
        a, b = statistics.median(without), statistics.median(with_c)
        lines.append(f"- {mode}: without claims {a:.2f} s ({size / a:.0f}/s), with sentences + claims {b:.2f} s "
                     f"({size / b:.0f}/s): **+{(b / a - 1) * 100:.0f} %**")
    text = (f"Claim extraction overhead on indexing ({n} articles, median of 3 alternating runs each; "
            f"budget ≤ 30 %):\n\n" + "\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(work4, ignore_errors=True)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "claims_overhead.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
