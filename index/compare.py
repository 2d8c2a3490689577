"""Side-by-side comparison of two articles: reused passages and matching claims.

``compare_articles(a_id, a_text, a_claims, b_id, b_text, b_claims)`` returns
:class:`AlignedPair` records sorted by position in A:

* ``kind="reuse"``: a passage of A found again in B (``index.reuse.find_reuse``),
  ``similarity`` = word-level alignment ratio;
* ``kind="claim"``: a claim sentence of A and one of B whose quantities
  ``index.claims.group_claims`` puts in one group (same thing counted, same
  fact); ``similarity`` = the group's average pair score clipped to [0, 1];
  ``conflicts`` lists the values that disagree under the rule in
  ``index.claims``.  Each A claim is paired with its best B claim and each B
  claim with its best A claim (so no claim is left out, and no full cross
  product is produced).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from index.claims import Claim, Group, group_claims, values_conflict
from index.numbers import Quantity
from index.reuse import find_reuse

__all__ = ["AlignedPair", "compare_articles"]


@dataclass
class AlignedPair:
    a: tuple[int, int]
    b: tuple[int, int]
    kind: str                      # "reuse" | "claim"
    similarity: float
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    a_claim: str | None = None     # claim ids for kind="claim"
    b_claim: str | None = None
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "a": [self.a[0], self.a[1]], "b": [self.b[0], self.b[1]], "kind": self.kind,
            "similarity": round(float(self.similarity), 4), "conflicts": list(self.conflicts),
        }


def _as_claims(claims: Iterable[Any], article: str) -> list[Claim]:
    out = []
    for c in claims or []:
        if isinstance(c, Claim):
            out.append(c)
        elif isinstance(c, dict):
            out.append(Claim.from_json(c))
        else:
            raise ValueError(f"claims of {article!r} must be Claim records or dicts, got {type(c).__name__}")
    return out


def compare_articles(
    a_id: str, a_text: str, a_claims: Iterable[Any],
    b_id: str, b_text: str, b_claims: Iterable[Any],
    *,
    doc_freq: Callable[[str], int] | None = None,
    n_docs: int | None = None,
    min_words: int = 8,
) -> list[AlignedPair]:
    """Aligned reuse passages and claim pairs of articles A and B, sorted by position in A."""
    if not isinstance(a_text, str) or not isinstance(b_text, str):
        raise ValueError("compare_articles: texts must be strings")
    if a_id == b_id:
        raise ValueError(f"compare_articles: cannot compare article {a_id!r} with itself")
    ac = [c for c in _as_claims(a_claims, a_id) if c.article == a_id or not c.article]
    bc = [c for c in _as_claims(b_claims, b_id) if c.article == b_id or not c.article]
    pairs: list[AlignedPair] = [
        AlignedPair((p.a_start, p.a_end), (p.b_start, p.b_end), "reuse", p.similarity)
        for p in find_reuse(a_text, b_text, min_words=min_words)
    ]
    if ac and bc:
        by_id = {c.id: c for c in ac + bc}
        for g in group_claims(ac + bc, doc_freq, n_docs):
            pairs.extend(_claim_pairs(g, by_id, a_id, b_id))
    pairs.sort(key=lambda p: (p.a[0], p.b[0], p.kind))
    return pairs


def _q(v: dict[str, Any]) -> Quantity:
    return Quantity(v["text"], 0, len(v["text"]), float(v["value"]), v.get("hedge"), v.get("unit"), v.get("kind", "count"))


def _side(v: dict[str, Any]) -> dict[str, Any]:
    return {"value": v["value"], "hedge": v.get("hedge"), "text": v["text"], "source": v.get("source")}


def _claim_pairs(g: Group, by_id: dict[str, Claim], a_id: str, b_id: str) -> list[AlignedPair]:
    av = [v for v in g.values if v["article"] == a_id]
    bv = [v for v in g.values if v["article"] == b_id]
    if not av or not bv:
        return []

    def closeness(x: dict[str, Any], y: dict[str, Any]) -> float:
        vx, vy = abs(x["value"]), abs(y["value"])
        return min(vx, vy) / max(vx, vy) if vx and vy else 0.0

    chosen: set[tuple[str, str]] = set()
    for x in av:
        y = max(bv, key=lambda y: closeness(x, y))
        chosen.add((x["claim"], y["claim"]))
    for y in bv:
        x = max(av, key=lambda x: closeness(x, y))
        chosen.add((x["claim"], y["claim"]))
    out = []
    for ca, cb in sorted(chosen):
        conflicts = []
        for x in (v for v in av if v["claim"] == ca):
            for y in (v for v in bv if v["claim"] == cb):
                if values_conflict(_q(x), _q(y)):
                    conflicts.append({"unit": g.unit, "a": _side(x), "b": _side(y)})
        A, B = by_id[ca], by_id[cb]
        out.append(AlignedPair((A.start, A.end), (B.start, B.end), "claim", max(0.0, min(1.0, g.score)),
                               conflicts, ca, cb, g.label))
    return out
