"""Claims: sentences with a quantity or an attribution, grouped across articles.

``extract_claims(article_id, text, spans)`` — pure function over one article's
text and its boilerplate/duplicate/meta spans.  A sentence mostly (> 50 %)
inside such a span is skipped; quantities inside a span are dropped.  A
count without a unit takes the unit of the previous sentence's count when the
sentence refers back to it ("Ihre Zahl werde bald auf 12.000 steigen").

``group_claims(claims, doc_freq=None, n_docs=None)`` — groups quantities of
claims from *different* articles that state the same fact:

* the same thing counted (:func:`index.numbers.unit_matches`), with people
  refined by what happened to them ("40 Menschen kamen ums Leben" ≈ "40 Tote");
* overlapping context: the clause around each number, as stemmed content
  terms weighted by rarity (idf from ``doc_freq``/``n_docs`` when given, else
  from the claims' own articles), cosine similarity;
* plus evidence from the numbers themselves: values within 20–35 % of each
  other support the match, values more than 3× apart count against it; and
  from aspect words: "bereits/derzeit/erste" (a current state) versus
  "insgesamt/bis zu/steigen/bald" (a total or a projection) — the same word
  family supports, opposite families count against.

Items are merged by group-average linkage (only cross-article pairs count) while
the average score is ≥ ``threshold``.  Only groups spanning ≥ 2 articles are
returned.

Conflict rule (what a fact-checker wants flagged), for two values from
different articles in one group — :func:`values_conflict`:

* a vague amount ("Tausende", "mehrere hundert") never conflicts;
* point-like values (plain ±0.5 %, "rund/etwa/ca./schätzungsweise" ±5 %,
  "fast/knapp" [95 %, 100 %], "gut" [100 %, 110 %]) conflict when their
  intervals are disjoint: "rund 12.000" vs "12.000" agree, "10.000" vs
  "12.000" conflict, "fast 11.000" vs "rund 12.000" conflict;
* a bound ("bis zu", "höchstens", "mindestens", "mehr als") conflicts with a
  point value outside it ("bis zu 10.000" vs "rund 12.000"), not with one
  inside it ("bis zu 12.000" vs "bereits 3.000" — both are shown in the group);
* two bounds of the same direction conflict when their values differ
  ("bis zu 10.000" vs "bis zu 12.000": the sources disagree on the ceiling);
  an upper and a lower bound conflict when the lower exceeds the upper.

Values of one article never make a conflict on their own.
"""
from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from index.attribution import Source, find_sources_in
from index.model import Span
from index.numbers import Quantity, hedge_class, parse_quantities_in, unit_key, unit_matches, value_range, _unit_class
from index.sentences import split_sentences
from index.stem import content_terms, stem, is_content_token

__all__ = [
    "Claim", "Group", "extract_claims", "full_record", "group_claims", "values_conflict", "pair_score",
    "SKIP_KINDS", "DEFAULT_THRESHOLD",
]

SKIP_KINDS = frozenset({"boilerplate", "duplicate", "meta"})
DEFAULT_THRESHOLD = 0.3
# Story relatedness of two articles (cosine of their claims' terms) that gives the
# evidence from numbers full weight; unrelated articles (cosine ≈ 0) get none.
DOC_FULL = 0.08
DOC_MIN = 0.02          # below this, item pairs are only compared when their clauses share a term
_TERM_CAP = 30          # a clause term held by more items of one bucket is not a candidate key
ANALYSIS_VERSION = "5"  # bump when extraction output or its stored form changes (the store keeps claims as JSON)


# --------------------------------------------------------------------------- records

@dataclass
class Claim:
    """A sentence of an article that states a quantity or carries an attribution.

    ``start``/``end`` are offsets of the sentence in the article text; the
    offsets inside ``numbers`` and ``source`` are relative to the sentence.
    """

    id: str
    article: str
    sentence: str
    start: int
    end: int
    numbers: list[Quantity] = field(default_factory=list)
    source: Source | None = None
    terms: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "article": self.article, "sentence": self.sentence, **self.to_record()}

    def to_record(self) -> dict[str, Any]:
        """The stored form: :meth:`to_json` without what the article row already holds
        (``id``, ``article``, ``sentence`` = the text between ``start`` and ``end``);
        :func:`full_record` puts them back."""
        return {
            "start": self.start,
            "end": self.end,
            "numbers": [
                {"text": q.text, "value": q.value, "hedge": q.hedge, "unit": q.unit, "kind": q.kind}
                for q in self.numbers
            ],
            "source": (
                {"text": self.source.text, "speaker": self.source.speaker, "kind": self.source.kind}
                if self.source else None
            ),
            "terms": list(self.terms),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Claim":
        """Inverse of :meth:`to_json`; offsets inside the sentence are recovered by search."""
        if not isinstance(d, dict):
            raise ValueError(f"claim record must be an object, got {type(d).__name__}")
        try:
            sentence = str(d["sentence"])
            numbers = []
            pos = 0
            for q in d.get("numbers") or []:
                text = str(q["text"])
                at = sentence.find(text, pos)
                if at < 0:
                    at = max(sentence.find(text), 0)
                numbers.append(Quantity(text, at, at + len(text), float(q["value"]), q.get("hedge"),
                                        q.get("unit"), str(q.get("kind", "count"))))
                pos = at + len(text)
            src = d.get("source")
            source = None
            if src:
                stext = str(src["text"])
                at = max(sentence.find(stext), 0)
                source = Source(stext, at, at + len(stext), str(src["kind"]), str(src["speaker"]))
            terms = [str(t) for t in d.get("terms") or []] or _unique(content_terms(sentence))
            return cls(str(d["id"]), str(d["article"]), sentence, int(d["start"]), int(d["end"]),
                       numbers, source, terms)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad claim record: {exc!r}") from None


@dataclass
class Group:
    """Claims of different articles stating the same fact.

    ``values``: one entry per quantity: {claim, article, start, end, value, hedge, unit,
    kind, text, source}; start/end are the quantity's offsets in the article text.
    ``conflicts``: pairs of those entries whose values disagree (see module docstring).
    """

    id: str
    label: str
    claims: list[str]
    conflict: bool
    unit: str = ""
    kind: str = "count"
    values: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "claims": list(self.claims), "conflict": self.conflict,
            "unit": self.unit, "kind": self.kind, "articles": list(self.articles),
            "score": round(self.score, 3), "values": list(self.values), "conflicts": list(self.conflicts),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Group":
        try:
            return cls(str(d["id"]), str(d["label"]), [str(c) for c in d["claims"]], bool(d["conflict"]),
                       str(d.get("unit", "")), str(d.get("kind", "count")), list(d.get("values", [])),
                       list(d.get("conflicts", [])), list(d.get("articles", [])), float(d.get("score", 0.0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad group record: {exc!r}") from None


def full_record(record: dict[str, Any], article_id: str, text: str) -> dict[str, Any]:
    """A stored claim record (:meth:`Claim.to_record`) of article ``article_id`` with
    text ``text`` made whole again (:meth:`Claim.to_json`)."""
    start, end = record["start"], record["end"]
    return {"id": f"{article_id}:{start}", "article": article_id, "sentence": text[start:end], **record}


def _unique(seq: Iterable[str]) -> list[str]:
    """The items of ``seq`` without repeats, in order."""
    return list(dict.fromkeys(seq))


# --------------------------------------------------------------------------- extraction

_BACKREF_RE = re.compile(
    r"\b(?:[Ii]hre|[Dd]eren|[Ss]eine|[Dd]ie|[Dd]iese|[Ii]hrer)\s+(?:Gesamt)?[Zz]ahl\b|\b[Dd]avon\b|\b[Dd]arunter\b"
)


def _coerce_spans(spans: Iterable[Any]) -> list[Span]:
    out = []
    for s in spans or []:
        if isinstance(s, Span):
            out.append(s)
        elif isinstance(s, dict):
            out.append(Span.from_json(s))
        else:
            raise ValueError(f"span must be a Span or a dict, got {type(s).__name__}")
    return out


def extract_claims(article_id: str, text: str, spans: list[Span] | None = None,
                   sentences: list[tuple[int, int]] | None = None) -> list[Claim]:
    """Claims of one article: sentences with a quantity or an attribution.
    ``sentences``: the article's ``split_sentences(text)`` when the caller has it."""
    if not isinstance(article_id, str) or not article_id:
        raise ValueError("extract_claims: article_id must be a non-empty string")
    if not isinstance(text, str):
        raise ValueError(f"extract_claims: text must be str, got {type(text).__name__}")
    skip = sorted((s.start, s.end) for s in _coerce_spans(spans) if s.kind in SKIP_KINDS and s.end > s.start)
    sents = split_sentences(text) if sentences is None else sentences
    # Sentences mostly inside boilerplate are not read (and break a back-reference chain).
    covers = [_covered(skip, s, e) for s, e in sents] if skip else [0] * len(sents)
    kept = [se for se, cov in zip(sents, covers) if cov <= 0.5 * (se[1] - se[0])]
    # Whole-article passes: numbers and sources for every kept sentence at once.
    numbers = iter(parse_quantities_in(text, kept))
    sources = iter(find_sources_in(text, kept))
    claims: list[Claim] = []
    prev_unit: str | None = None
    for (s, e), covered in zip(sents, covers):
        if covered > 0.5 * (e - s):
            prev_unit = None
            continue
        nums = next(numbers)
        src = next(sources)
        if covered and nums:
            nums = [q for q in nums if not _inside(skip, s + q.start, s + q.end)]
        if not nums and src is None:
            prev_unit = None
            continue
        sent = text[s:e]
        if prev_unit and any(q.kind == "count" and q.unit is None for q in nums) and _BACKREF_RE.search(sent):
            for q in nums:
                if q.kind == "count" and q.unit is None:
                    q.unit = prev_unit
        counts = [q.unit for q in nums if q.kind == "count" and q.unit and q.hedge != "vage"]
        prev_unit = counts[-1] if counts else None
        claims.append(Claim(f"{article_id}:{s}", article_id, sent, s, e, nums, src, _unique(content_terms(sent))))
    return claims


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> int:
    total = 0
    for a, b in spans:
        if a >= e:
            break
        if b > s:
            total += min(b, e) - max(a, s)
    return total


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


# --------------------------------------------------------------------------- conflicts

_POINT = {"exact", "approx", "near_below", "near_above"}


def values_conflict(a: Quantity, b: Quantity) -> bool:
    """Do two statements of the same thing counted disagree?  (rule: module docstring)"""
    ca, cb = hedge_class(a.hedge), hedge_class(b.hedge)
    if "vague" in (ca, cb):
        return False
    if ca in _POINT and cb in _POINT:
        (alo, ahi), (blo, bhi) = value_range(a), value_range(b)
        return ahi < blo or bhi < alo
    if ca in _POINT or cb in _POINT:
        point, bound = (a, b) if ca in _POINT else (b, a)
        plo, phi = value_range(point)
        if hedge_class(bound.hedge) == "upper":
            return plo > bound.value
        return phi < bound.value
    if ca == cb:  # two ceilings or two floors
        hi = max(a.value, b.value)
        return hi > 0 and abs(a.value - b.value) / hi > 0.02
    lower, upper = (a, b) if ca == "lower" else (b, a)
    return lower.value > upper.value


# --------------------------------------------------------------------------- grouping

_DEATH_RE = re.compile(
    r"ums\s+Leben|starben|sterben|gestorben|getötet|tödlich|\btot\b|\bTote[n]?\b|Todesopfer|verstorben|"
    r"umgekommen|ertrunken|Leichen|Opfer\s+(?:zu\s+beklagen|gefordert)", re.IGNORECASE)
_INJURY_RE = re.compile(r"verletzt|Verletzte|verwundet|Verwundete", re.IGNORECASE)
_PARTICIPATE_RE = re.compile(
    r"[Ss]treik|beteiligt|nahmen?\b.*\bteil\b|teilgenommen|legten\b.*\bnieder|niedergelegt|demonstrier|"
    r"protestier|Kundgebung|Demonstration|Teilnehmer")
_MISSING_RE = re.compile(r"vermisst|Vermisste|gilt als verschollen|werden noch gesucht", re.IGNORECASE)
_CURRENT_RE = re.compile(
    r"\b(?:bereits|schon|derzeit|aktuell|inzwischen|mittlerweile|bislang|bisher|zurzeit|momentan|"
    r"jetzt|gegenwärtig|angekommen|eingetroffen)\b", re.IGNORECASE)
_TOTAL_RE = re.compile(
    r"\b(?:insgesamt|gesamt\w*|Gesamtzahl|bis\s+zu|steigen|ansteigen|anwachsen|erhöhen|künftig|bald|"
    r"schicken|entsenden|entsendet|planen|geplant|soll(?:en)?\s+noch)\b", re.IGNORECASE)
_PERSON_CLASSES: set[int] = set()
_CLAUSE_SPLIT_RE = re.compile(r"[,;:–—()]|\s-\s|\bund\s+(?:die|der|das)\b")


def _init_person_classes() -> None:
    for w in ("Menschen", "Soldaten", "Teilnehmer", "Beschäftigte", "Flüchtlinge", "Tote", "Verletzte", "Vermisste"):
        c = _unit_class(stem(w))
        if c is not None:
            _PERSON_CLASSES.add(c)


_init_person_classes()
_DEAD, _INJURED, _MISSING, _PARTICIPANTS = (
    _unit_class(stem(w)) for w in ("Tote", "Verletzte", "Vermisste", "Teilnehmer"))


@dataclass
class _Item:
    idx: int
    claim: Claim
    q: Quantity
    article: str
    fact: str            # blocking key: unit class or unit stem (refined for people)
    ukey: str
    clause: Counter       # stemmed clause terms
    sent_terms: Counter   # stemmed sentence terms
    aspect: str | None
    surface: dict[str, str]
    clause_w: dict[str, float] = field(default_factory=dict)   # idf-weighted, unit length
    sent_w: dict[str, float] = field(default_factory=dict)


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    cuts = [m.start() for m in _CLAUSE_SPLIT_RE.finditer(sentence)]
    lo = max([c for c in cuts if c < start] or [0])
    hi = min([c for c in cuts if c >= end] or [len(sentence)])
    # keep at least ~6 words on either side
    words = list(re.finditer(r"\S+", sentence))
    before = [w for w in words if w.end() <= start]
    after = [w for w in words if w.start() >= end]
    if len([w for w in before if w.start() >= lo]) < 3 and before:
        lo = min(lo, before[max(0, len(before) - 5)].start())
    if len([w for w in after if w.end() <= hi]) < 3 and after:
        hi = max(hi, after[min(len(after) - 1, 4)].end())
    return lo, hi


def _fact_key(q: Quantity, clause: str) -> str:
    key = unit_key(q.unit)
    cls = _unit_class(key)
    if cls is not None and cls in _PERSON_CLASSES:
        if _DEATH_RE.search(clause):
            cls = _DEAD
        elif _MISSING_RE.search(clause):
            cls = _MISSING
        elif _INJURY_RE.search(clause):
            cls = _INJURED
        elif _PARTICIPATE_RE.search(clause):
            cls = _PARTICIPANTS
    if cls is not None:
        return f"class:{cls}"
    # compounds ("Schiffscontainer"/"Container") share their last letters
    return f"{q.kind}:{key[-4:]}"


def _aspect(clause: str, q: Quantity) -> str | None:
    cur = bool(_CURRENT_RE.search(clause))
    tot = bool(_TOTAL_RE.search(clause)) or hedge_class(q.hedge) == "upper"
    if cur and not tot:
        return "current"
    if tot and not cur:
        return "total"
    return None


def _items(claims: list[Claim]) -> list[_Item]:
    items: list[_Item] = []
    for c in claims:
        if not any(q.unit for q in c.numbers):
            continue
        sent_terms = Counter(c.terms) if c.terms else Counter(content_terms(c.sentence))
        for q in c.numbers:
            if not q.unit:
                continue
            lo, hi = _clause_bounds(c.sentence, q.start, q.end)
            clause = c.sentence[lo:hi]
            if c.source and c.source.kind != "quote" and lo <= c.source.start and c.source.end <= hi:
                # the attribution phrase says who, not what: keep it out of the context
                a, b = c.source.start - lo, c.source.end - lo
                clause = clause[:a] + " " + clause[b:]
            ukey = unit_key(q.unit)
            surface: dict[str, str] = {}
            terms: Counter = Counter()
            for t in re.findall(r"\w+(?:-\w+)*", clause):
                low = t.lower()
                if is_content_token(low):
                    st = stem(low)
                    if st != ukey:
                        terms[st] += 1
                        surface.setdefault(st, t)
            items.append(_Item(len(items), c, q, c.article, _fact_key(q, clause), ukey, terms,
                               sent_terms, _aspect(clause, q), surface))
    return items


def _idf_fn(claims: list[Claim], doc_freq: Callable[[str], int] | None, n_docs: int | None) -> Callable[[str], float]:
    if doc_freq is not None:
        if not n_docs or n_docs <= 0:
            raise ValueError("group_claims: n_docs must be a positive int when doc_freq is given")
        cache: dict[str, float] = {}

        def idf(t: str) -> float:
            v = cache.get(t)
            if v is None:
                df = max(int(doc_freq(t) or 0), 0)
                v = cache[t] = math.log(1 + n_docs / (df + 1))
            return v
        return idf
    per_article: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        per_article[c.article].update(c.terms or content_terms(c.sentence))
    df: Counter = Counter()
    for terms in per_article.values():
        df.update(terms)
    n = max(len(per_article), 1)

    cache_local: dict[str, float] = {}

    def idf_local(t: str) -> float:
        v = cache_local.get(t)
        if v is None:
            v = cache_local[t] = math.log(1 + n / (df.get(t, 0) or 1))
        return v
    return idf_local


def _unit_vector(terms: Counter, idf: Callable[[str], float]) -> dict[str, float]:
    w = {t: (1 + math.log(c)) * idf(t) for t, c in terms.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in w.values()))
    return {t: v / norm for t, v in w.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def pair_score(x: _Item, y: _Item, idf: Callable[[str], float], docsim: float = 1.0) -> float:
    """How likely two quantities (same thing counted) state the same fact; ~0..1.3.

    Text similarity of the clauses counts in full; the evidence from the numbers
    and the aspect words counts only as far as the two articles are about the
    same story (``docsim``, scaled so that ≥ ``DOC_FULL`` gives full weight).
    """
    if not x.clause_w and x.clause:
        x.clause_w = _unit_vector(x.clause, idf)
    if not y.clause_w and y.clause:
        y.clause_w = _unit_vector(y.clause, idf)
    if not x.sent_w and x.sent_terms:
        x.sent_w = _unit_vector(x.sent_terms, idf)
    if not y.sent_w and y.sent_terms:
        y.sent_w = _unit_vector(y.sent_terms, idf)
    tsim = 0.7 * _dot(x.clause_w, y.clause_w) + 0.3 * _dot(x.sent_w, y.sent_w)
    bonus = 0.0
    vx, vy = abs(x.q.value), abs(y.q.value)
    if vx and vy:
        r = min(vx, vy) / max(vx, vy)
        vague = "vague" in (hedge_class(x.q.hedge), hedge_class(y.q.hedge))
        if not vague:
            # close values support the match; tiny counts (≤ 10) coincide too often
            weight = 1.0 if max(vx, vy) > 10 else 0.5
            if r >= 0.8:
                bonus += 0.3 * weight
            elif r >= 0.65:
                bonus += 0.2 * weight
            elif r < 0.34:
                bonus -= 0.3
    if x.aspect and y.aspect:
        bonus += 0.15 if x.aspect == y.aspect else -0.3
    if x.ukey == y.ukey:
        bonus += 0.05
    gate = min(1.0, max(0.0, docsim) / DOC_FULL)
    return tsim + (bonus * gate if bonus > 0 else bonus)


def group_claims(
    claims: list[Claim],
    doc_freq: Callable[[str], int] | None = None,
    n_docs: int | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Group]:
    """Group quantities of claims from different articles that state the same fact."""
    if not isinstance(claims, list):
        claims = list(claims)
    for c in claims:
        if not isinstance(c, Claim):
            raise ValueError(f"group_claims expects Claim records, got {type(c).__name__}")
    idf = _idf_fn(claims, doc_freq, n_docs)
    items = _items(claims)
    buckets: dict[str, list[_Item]] = defaultdict(list)
    for it in items:
        buckets[it.fact].append(it)
    docsim = _article_similarity(claims, idf, {it.article for it in items})
    groups: list[Group] = []
    for fact in sorted(buckets):
        bucket = buckets[fact]
        if len({it.article for it in bucket}) < 2:
            continue
        for cluster, score in _cluster(bucket, idf, threshold, docsim):
            groups.append(_make_group(cluster, score, idf))
    groups.sort(key=lambda g: (-len(g.articles), -g.score, g.id))
    return groups


def _article_similarity(claims: list[Claim], idf: Callable[[str], float],
                        only: set[str] | None = None) -> dict[tuple[str, str], float]:
    """Cosine similarity (idf-weighted claim terms) of article pairs, kept when ≥ ``DOC_MIN``.

    Accumulated one article at a time over an inverted index, so unrelated articles
    are never compared and memory stays proportional to the related pairs; terms held
    by very many articles are skipped as keys (they would pair everything).
    ``only``: restrict to these articles (those that have countable quantities)."""
    vecs: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        if only is None or c.article in only:
            vecs[c.article].update(c.terms or content_terms(c.sentence))
    weights = {art: _unit_vector(vec, idf) for art, vec in vecs.items()}
    postings: dict[str, list[str]] = defaultdict(list)
    for art, w in weights.items():
        for t in w:
            postings[t].append(art)
    cap = max(50, len(vecs) // 50)
    out: dict[tuple[str, str], float] = {}
    for a in sorted(weights):
        acc: dict[str, float] = defaultdict(float)
        for t, wa in weights[a].items():
            arts = postings[t]
            if len(arts) < 2 or len(arts) > cap:
                continue
            for b in arts:
                if b > a:
                    acc[b] += wa * weights[b][t]
        for b, sim in acc.items():
            if sim >= DOC_MIN:
                out[(a, b)] = sim
    return out


def _candidate_pairs(bucket: list[_Item], docsim: dict[tuple[str, str], float]):
    """Item index pairs worth scoring: related articles, or clauses sharing a term."""
    n = len(bucket)
    if n <= 120:
        return ((i, j) for i in range(n) for j in range(i + 1, n) if bucket[i].article != bucket[j].article)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(bucket):
        by_article[it.article].append(i)
    out: set[tuple[int, int]] = set()
    arts = sorted(by_article)
    present = set(arts)
    for (a, b), sim in docsim.items():
        if sim >= DOC_MIN and a in present and b in present:
            for i in by_article[a]:
                for j in by_article[b]:
                    out.add((i, j) if i < j else (j, i))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(bucket):
        for t in it.clause:
            postings[t].append(i)
    for t, idxs in postings.items():
        if 1 < len(idxs) <= _TERM_CAP:
            for x in range(len(idxs)):
                for y in range(x + 1, len(idxs)):
                    i, j = idxs[x], idxs[y]
                    if bucket[i].article != bucket[j].article:
                        out.add((i, j))
    return sorted(out)


def _cluster(bucket: list[_Item], idf: Callable[[str], float], threshold: float,
             docsim: dict[tuple[str, str], float] | None = None) -> list[tuple[list[_Item], float]]:
    """Group-average agglomerative clustering counting cross-article pairs only."""
    n = len(bucket)
    docsim = docsim or {}
    sims: dict[tuple[int, int], float] = {}
    # pair_score reads only these features of an item (and the articles' similarity):
    # items that agree on all of them (wire copy, repeated sentences) are scored once
    # per partner; the same features in the same order give the very same floats.
    features: dict[tuple, int] = {}
    sig = [features.setdefault((tuple(it.clause.items()), tuple(it.sent_terms.items()), abs(it.q.value),
                                hedge_class(it.q.hedge), it.aspect, it.ukey), len(features)) for it in bucket]
    scored: dict[tuple[int, int, float], float] = {}
    for i, j in _candidate_pairs(bucket, docsim):
        x, y = bucket[i], bucket[j]
        if not x.fact.startswith("class:") and not unit_matches(x.q.unit, y.q.unit):
            continue
        key = (x.article, y.article) if x.article < y.article else (y.article, x.article)
        ds = docsim.get(key, 0.0)
        s = scored.get((sig[i], sig[j], ds))
        if s is None:
            s = scored[(sig[i], sig[j], ds)] = pair_score(x, y, idf, ds)
        if s > 0:
            sims[(i, j)] = s
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    arts: dict[int, Counter] = {i: Counter([bucket[i].article]) for i in range(n)}
    # adjacency: cluster -> {neighbour cluster: sum of item-pair similarities}
    adj: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), sc in sims.items():
        adj[i][j] = sc
        adj[j][i] = sc

    def cross(a: int, b: int) -> int:
        total = len(members[a]) * len(members[b])
        same = sum(cnt * arts[b].get(art, 0) for art, cnt in arts[a].items())
        return total - same

    heap = []
    for (a, b), sc in sims.items():
        c = cross(a, b)
        if c and sc / c >= threshold:
            heapq.heappush(heap, (-sc / c, a, b))
    next_id = n
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # stale: one side was merged already
        new = next_id
        next_id += 1
        members[new] = members.pop(a) + members.pop(b)
        arts[new] = arts.pop(a) + arts.pop(b)
        merged: dict[int, float] = defaultdict(float)
        for side in (a, b):
            for other, sc in adj.pop(side, {}).items():
                if other in (a, b):
                    continue
                merged[other] += sc
                adj[other].pop(side, None)
        adj[new] = dict(merged)
        for other, sc in merged.items():
            adj[other][new] = sc
            c2 = cross(other, new)
            if c2 and sc / c2 >= threshold:
                heapq.heappush(heap, (-sc / c2, other, new))
    out = []
    for cid, idxs in members.items():
        its = [bucket[i] for i in idxs]
        if len({it.article for it in its}) < 2:
            continue
        pair_sum = sum(sims.get((min(i, j), max(i, j)), 0.0) for i in idxs for j in idxs if i < j)
        c = sum(1 for i in idxs for j in idxs if i < j and bucket[i].article != bucket[j].article)
        out.append((sorted(its, key=lambda it: (it.article, it.claim.start, it.q.start)), pair_sum / c if c else 0.0))
    return out


def _value_entry(it: _Item) -> dict[str, Any]:
    src = it.claim.source
    return {
        "claim": it.claim.id, "article": it.article,
        "start": it.claim.start + it.q.start, "end": it.claim.start + it.q.end,  # in the article text
        "value": it.q.value, "hedge": it.q.hedge,
        "unit": it.q.unit, "kind": it.q.kind, "text": it.q.text,
        "source": src.speaker if src else None,
    }


_NUMBERISH = re.compile(r"^[\d.,\u202f ]+$")


def _noun_phrase(q: Quantity) -> str:
    """The words of the quantity after the figure: "rund 12.000 nordkoreanische Soldaten"
    → "nordkoreanische Soldaten" (what is counted, as written)."""
    if not q.unit:
        return ""
    words = q.text.split()
    for i, w in enumerate(words):
        if w == q.unit or w.rstrip(".,;:") == q.unit:
            j = i
            while j > 0 and words[j - 1][:1].islower() and not _NUMBERISH.match(words[j - 1]) \
                    and words[j - 1].lower() not in _SCALE_WORDS and len(words[j - 1]) > 3:
                j -= 1
            return " ".join(words[j:i + 1])
    return q.unit


_SCALE_WORDS = {"tausend", "millionen", "milliarden", "billionen", "mio.", "mrd.", "hundert", "prozent"}
_ASPECT_WORD = {"current": "bereits", "total": "insgesamt"}


def _label(its: list[_Item], unit: str, idf: Callable[[str], float]) -> str:
    """A short readable label: the counted thing as the articles write it, the aspect
    (bereits / insgesamt) when the group agrees on it, and up to two context nouns
    shared by several of the group's articles ("nordkoreanische Soldaten · insgesamt ·
    Russland, Unterstützung")."""
    phrases = Counter(p for p in (_noun_phrase(it.q) for it in its) if p)
    head = max(phrases.items(), key=lambda kv: (kv[1], len(kv[0])))[0] if phrases else unit
    head_terms = {stem(w.lower()) for w in re.findall(r"\w+", head)}
    for it in its:  # the figures themselves ("Tausende", "zwölftausend") are not context
        head_terms.update(stem(w.lower()) for w in re.findall(r"\w+", it.q.text))
    aspects = Counter(it.aspect for it in its if it.aspect)
    aspect = ""
    if aspects:
        a, n = aspects.most_common(1)[0]
        if n * 2 > len(its):
            aspect = _ASPECT_WORD.get(a, "")
    by_art: dict[str, set[str]] = {}
    surface: dict[str, str] = {}
    speakers: set[str] = set()
    for it in its:
        by_art.setdefault(it.article, set()).update(it.clause)
        for t, w in it.surface.items():
            surface.setdefault(t, w)
        if it.claim.source:
            speakers.update(content_terms(it.claim.source.speaker))
    n_arts = len(by_art)
    spread = Counter(t for terms in by_art.values() for t in terms)

    def rank(t: str) -> tuple:
        w = surface.get(t, t)
        return (-spread[t], not w[:1].isupper(), -idf(t), t)

    ctx = [t for t in spread if t not in head_terms and t not in speakers and t != it.ukey
           and (spread[t] >= 2 or n_arts == 1) and not surface.get(t, t)[:1].isdigit()]
    ctx.sort(key=rank)
    nouns = [surface.get(t, t) for t in ctx if surface.get(t, t)[:1].isupper()][:2]
    parts = [head] + ([aspect] if aspect else []) + ([", ".join(nouns)] if nouns else [])
    return " · ".join(parts)


def _make_group(its: list[_Item], score: float, idf: Callable[[str], float]) -> Group:
    conflicts = []
    for i, x in enumerate(its):
        for y in its[i + 1:]:
            if x.article != y.article and values_conflict(x.q, y.q):
                conflicts.append({"a": _value_entry(x), "b": _value_entry(y)})
    units = Counter(it.q.unit for it in its)
    unit = sorted(units.items(), key=lambda kv: (-kv[1], len(kv[0] or ""), kv[0] or ""))[0][0] or ""
    label = _label(its, unit, idf)
    ids = _unique(it.claim.id for it in its)
    gid = "g" + hashlib.sha1("|".join(sorted(f"{it.claim.id}#{it.q.start}" for it in its)).encode()).hexdigest()[:10]
    kinds = Counter(it.q.kind for it in its)
    return Group(
        id=gid, label=label, claims=ids, conflict=bool(conflicts), unit=unit,
        kind=kinds.most_common(1)[0][0], values=[_value_entry(it) for it in its], conflicts=conflicts,
        articles=sorted({it.article for it in its}), score=score,
    )
