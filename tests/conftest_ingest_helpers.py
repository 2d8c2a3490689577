"""Shared helpers for the ingestion tests (text, meta, boilerplate, formats).

Not a conftest: import it explicitly (``from conftest_ingest_helpers import …``).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from index.text import clean_text, decode_bytes

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GNAD = ROOT.parent / "shared" / "corpora" / "10kgnad" / "test.csv"
GNAD_CANDIDATES = [
    GNAD,
]


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` ("000" … "004")."""
    hits = sorted(SEEDS.glob(f"{prefix}*.txt"))
    assert hits, f"no seed {prefix}*"
    return hits[0]


def seed_text(prefix: str) -> str:
    return clean_text(decode_bytes(seed_path(prefix).read_bytes()))


def gnad_path() -> Path:
    for p in GNAD_CANDIDATES:
        if p.is_file():
            return p
    pytest.skip("10kGNAD corpus not available (shared/corpora/10kgnad/test.csv)")


def gnad_texts() -> list[str]:
    """The 1,028 10kGNAD test texts, cleaned (skips the test when absent)."""
    p = gnad_path()
    with open(p, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";", quotechar="'"))
    return [clean_text(r[1]) for r in rows if len(r) >= 2]
