"""Text reuse between articles, in the manner of passim (Smith et al.).

1. Tokens are words, lowercased and Snowball-stemmed (so an inflection change
   does not break a match); a *shingle* is a run of ``n`` consecutive tokens,
   hashed to an int.
2. ``reuse_candidates`` (whole corpus): every article's distinct shingles are
   packed as ``(hash, doc)`` into one 64-bit int array and sorted, so equal
   shingles become neighbours without a Python dict per shingle.  Shingles
   held by more than ``max_df`` articles are boilerplate and dropped; every
   pair of articles sharing at least ``min_shared`` of the remaining rare
   shingles is a candidate.  Cost: O(total shingles · log) time, ~8 bytes per
   shingle during the sort plus the pair counts; no all-pairs comparison.
3. ``find_reuse`` (one pair): matching shingles are anchors ``(i, j)``
   (token positions in A and B); anchors are chained in order — both
   positions increasing, gaps of at most ``gap`` tokens, little drift off the
   diagonal — so a swapped word or two (which kill the shingles around them)
   only leave a gap inside one passage.  Each chain is a passage; its
   similarity is the word-level alignment ratio (difflib) of the two spans, so
   light rewording still matches, at lower similarity.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Any, Iterable

from index.stem import stem

__all__ = ["ReusePassage", "find_reuse", "reuse_candidates", "word_tokens"]

_WORD_RE = re.compile(r"\w+")


@dataclass
class ReusePassage:
    """A passage of A reused in B (character offsets) and its similarity in [0, 1]."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def word_tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised (lowercased, stemmed) word tokens and their character spans."""
    norm: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _WORD_RE.finditer(text):
        norm.append(stem(m.group(0)))
        spans.append(m.span())
    return norm, spans


def _norm_only(text: str) -> list[str]:
    return [stem(w) for w in _WORD_RE.findall(text)]


def _check_n(n: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")


# --------------------------------------------------------------------------- one pair

def find_reuse(
    text_a: str, text_b: str, *, n: int = 5, min_words: int = 8, gap: int = 20,
) -> list[ReusePassage]:
    """Passages of ``text_a`` reused in ``text_b``, sorted by position in A."""
    if not isinstance(text_a, str) or not isinstance(text_b, str):
        raise ValueError("find_reuse expects two strings")
    _check_n(n)
    ta, sa = word_tokens(text_a)
    tb, sb = word_tokens(text_b)
    if len(ta) < n or len(tb) < n:
        return []
    where_b: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(tb) - n + 1):
        where_b[tuple(tb[j:j + n])].append(j)
    anchors: list[tuple[int, int]] = []
    for i in range(len(ta) - n + 1):
        js = where_b.get(tuple(ta[i:i + n]))
        if js and len(js) <= 8:  # a shingle repeated everywhere says nothing
            anchors.extend((i, j) for j in js)
    if not anchors:
        return []
    chains: list[list[tuple[int, int]]] = []
    for i, j in anchors:  # anchors come sorted by i, then j
        best = None
        best_cost = None
        for c in chains:
            li, lj = c[-1]
            di, dj = i - li, j - lj
            if 0 < di <= gap and 0 < dj <= gap and abs(di - dj) <= max(3, gap // 3):
                cost = di + dj + abs(di - dj)
                if best_cost is None or cost < best_cost:
                    best, best_cost = c, cost
        if best is not None:
            best.append((i, j))
        else:
            chains.append([(i, j)])
    out: list[ReusePassage] = []
    for c in chains:
        i0, j0 = c[0]
        i1, j1 = c[-1][0] + n - 1, c[-1][1] + n - 1
        if i1 - i0 + 1 < min_words or j1 - j0 + 1 < min_words:
            continue
        sim = SequenceMatcher(None, ta[i0:i1 + 1], tb[j0:j1 + 1], autojunk=False).ratio()
        out.append(ReusePassage(sa[i0][0], sa[i1][1], sb[j0][0], sb[j1][1], round(sim, 4)))
    out.sort(key=lambda p: (p.a_start, p.b_start))
    return _drop_contained(out)


def _drop_contained(ps: list[ReusePassage]) -> list[ReusePassage]:
    keep: list[ReusePassage] = []
    for p in sorted(ps, key=lambda p: -(p.a_end - p.a_start)):
        if any(k.a_start <= p.a_start and p.a_end <= k.a_end and k.b_start <= p.b_start and p.b_end <= k.b_end
               for k in keep):
            continue
        keep.append(p)
    keep.sort(key=lambda p: (p.a_start, p.b_start))
    return keep


# --------------------------------------------------------------------------- corpus

def reuse_candidates(
    docs: Iterable[tuple[str, str]], *, n: int = 5, min_shared: int = 3, max_df: int = 100,
) -> list[tuple[str, str, int]]:
    """Pairs of documents sharing ≥ ``min_shared`` rare shingles: ``(id_a, id_b, shared)``.

    ``docs``: ``(id, text)`` pairs.  Shingles in more than ``max_df`` documents are
    ignored.  Sorted by shared count, descending; ``id_a`` precedes ``id_b`` in input order.
    """
    _check_n(n)
    if not isinstance(min_shared, int) or min_shared < 1:
        raise ValueError(f"min_shared must be a positive int, got {min_shared!r}")
    if not isinstance(max_df, int) or max_df < 2:
        raise ValueError(f"max_df must be an int >= 2, got {max_df!r}")
    ids: list[str] = []
    per_doc: list[array] = []
    for item in docs:
        try:
            doc_id, text = item
        except (TypeError, ValueError):
            raise ValueError("reuse_candidates expects (id, text) pairs") from None
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: text must be str")
        toks = _norm_only(text)
        hs = {hash(tuple(toks[i:i + n])) for i in range(len(toks) - n + 1)}
        per_doc.append(array("q", hs))
        ids.append(str(doc_id))
    if len(ids) < 2:
        return []
    bits = max(1, (len(ids) - 1).bit_length())
    hmask = (1 << (63 - bits)) - 1
    packed = array("q")
    for d, hs in enumerate(per_doc):
        packed.extend(((h & hmask) << bits) | d for h in hs)
    per_doc.clear()
    keys = sorted(packed)
    del packed
    dmask = (1 << bits) - 1
    pairs: Counter = Counter()
    run: list[int] = []
    prev = None
    n_keys = len(keys)
    idx = 0
    while idx < n_keys:
        k = keys[idx]
        h = k >> bits
        if h != prev:
            if 1 < len(run) <= max_df:
                _count_pairs(run, pairs, len(ids))
            run = []
            prev = h
        run.append(k & dmask)
        idx += 1
    if 1 < len(run) <= max_df:
        _count_pairs(run, pairs, len(ids))
    del keys
    out = []
    total = len(ids)
    for key, cnt in pairs.items():
        if cnt >= min_shared:
            a, b = divmod(key, total)
            out.append((ids[a], ids[b], cnt))
    out.sort(key=lambda t: (-t[2], t[0], t[1]))
    return out


def _count_pairs(run: list[int], pairs: Counter, total: int) -> None:
    run.sort()
    for x in range(len(run)):
        a = run[x] * total
        for y in range(x + 1, len(run)):
            pairs[a + run[y]] += 1
