"""Run every benchmark and write bench/RESULTS.md (date, machine, corpus sizes, budgets).

    make bench                      # everything (100k articles: ~10 minutes)
    .venv/bin/python bench/all.py --sizes 1000,10000   # quicker

Each part also writes its own section to bench/out/*.md. The machine is noisy: each
part compares ratios within one run and quotes medians.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def run(args: list[str]) -> None:
    print("$", " ".join(args), file=sys.stderr)
    subprocess.run([sys.executable, *args], check=True, cwd=HERE.parent)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: index,overhead,claims,app")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    OUT.mkdir(exist_ok=True)
    work = OUT / "work"
    if "index" not in skip:
        run(["bench/run.py", "--sizes", a.sizes, "--workdir", str(work)])
    if "overhead" not in skip:
        run(["bench/claims_overhead.py"])
    if "claims" not in skip:
        run(["bench/claims_quality.py"])
    if "app" not in skip:
        big = max(int(s) for s in a.sizes.split(","))
        cdir, idir = work / f"corpus_{big}", work / f"index_{big}"
        if cdir.is_dir() and idir.is_dir():  # reuse what bench/run.py built
            run(["bench/app_bench.py", "--workdir", str(work / "app"), "--big", str(cdir), str(idir)])
        else:
            run(["bench/app_bench.py", "--workdir", str(work / "app"), "--make-big", str(big)])
    parts = [p for p in ("index_bench.md", "claims_overhead.md", "claims_quality.md", "app_bench.md")
             if (OUT / p).exists()]
    load = os.getloadavg()
    head = [
        "# Benchmark results",
        "",
        f"Written by `bench/all.py` on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, load average at the end {load[0]:.1f}. "
        f"Corpus sizes: {a.sizes}. The machine is shared and noisy: compare ratios within a "
        "section, and read medians.",
        "",
    ]
    body = [(OUT / p).read_text(encoding="utf-8").strip() + "\n" for p in parts]
    if (HERE / "BUDGETS.md").exists():
        body.insert(0, (HERE / "BUDGETS.md").read_text(encoding="utf-8").strip() + "\n")
    (HERE / "RESULTS.md").write_text("\n".join(head) + "\n" + "\n".join(body), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
