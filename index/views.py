"""What the app's views show, as plain records: the comparison of two articles, the
claims matrix, the excerpts list with its filter, export paths, and the small text
helpers the reader's selection needs (sentence and word steps).

Everything here is built from :class:`index.service.Corpus` calls; nothing imports
``tui/``, Textual or Rich, so every view can be tested without a terminal.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any, Iterable, Sequence

from .claims import _unique
from .numbers import parse_number_word, unit_matches

__all__ = [
    "Mark", "PairView", "CompareView", "compare_view",
    "MatrixColumn", "MatrixValue", "MatrixCell", "MatrixRow", "ClaimsMatrix", "claims_matrix",
    "ExcerptRow", "excerpt_rows", "filter_excerpt_rows", "canonical_tags", "complete_tag",
    "default_export_path", "export_to_file",
    "value_label", "short_speaker", "article_tag", "short_id",
    "sentence_index", "next_word_end", "prev_word_end", "fallback_sentences",
]


# --------------------------------------------------------------------------- small labels

# tokens that belong to a number: digits, spelled numbers, scale words, vague amounts
_SCALE_RE = re.compile(
    r"(?i)^(?:millionen|million|milliarden|milliarde|billionen|billion|mio\.?|mrd\.?|tsd\.?|"
    r"tausende?|hunderte?|dutzende?|zehntausende?|hunderttausende?|prozent|%|halbe?n?|eine[nmrs]?|"
    r"prozentpunkte?|drittel|viertel|fünftel|zehntel|hälfte|euro|dollar|franken|€|\$)$")


def _is_number_token(tok: str) -> bool:
    t = tok.strip("()[],;:«»„“”\"'")
    if not t:
        return False
    if any(ch.isdigit() for ch in t):
        return True
    if _SCALE_RE.match(t):
        return True
    return parse_number_word(t) is not None


def value_label(text: str | None) -> str:
    """The number part of a quantity as written: "rund 12.000 Soldaten" -> "rund 12.000",
    "acht Millionen Artilleriegranaten" -> "acht Millionen"; the hedge is kept."""
    s = " ".join(str(text or "").split())
    toks = s.split(" ")
    last = -1
    for i, t in enumerate(toks):
        if _is_number_token(t):
            last = i
    if last < 0:
        return s
    return " ".join(toks[: last + 1])


def short_speaker(speaker: str | None) -> str:
    """A short name for who said it: the last capitalised word of the phrase
    ("der südkoreanische Geheimdienst NIS" -> "NIS", "Kyrylo Budanov" -> "Budanov")."""
    if not speaker:
        return ""
    # the first of several ("Seoul, Washington und Kiew" -> "Seoul")
    speaker = re.split(r",|\s(?:und|sowie|oder)\s", str(speaker), maxsplit=1)[0]
    words = [w.strip(",.;:()«»„“”\"'") for w in str(speaker).split()]
    words = [w for w in words if w]
    caps = [w for w in words if w[:1].isupper()]
    if not caps:
        return words[-1] if words else ""
    return caps[-1]


def short_id(article_id: str, n: int = 12) -> str:
    stem = str(article_id).rsplit("/", 1)[-1]
    if "." in stem and "#" not in stem:
        stem = stem.rsplit(".", 1)[0]
    return stem if len(stem) <= n else stem[: n - 1] + "…"


def article_tag(meta: Any) -> str:
    """"dpa 2024-10", "NIUS", "2024-11-01", or a short id when neither is known."""
    parts = [p for p in (getattr(meta, "outlet", None), getattr(meta, "date", None)) if p]
    if parts:
        return " ".join(" ".join(str(p).split()) for p in parts)
    return short_id(getattr(meta, "id", "") or "?")


# --------------------------------------------------------------------------- compare

@dataclass
class Mark:
    """A highlighted range of one side: kind "reuse", "claim" or "conflict" (the number
    that disagrees, inside its claim sentence); ``pair`` is the index of its pair."""

    start: int
    end: int
    kind: str
    pair: int


@dataclass
class PairView:
    index: int
    kind: str                      # "reuse" | "claim"
    a: tuple[int, int]
    b: tuple[int, int]
    conflict: bool
    label: str
    description: str
    similarity: float


@dataclass
class CompareView:
    a: Any                         # index.model.Article
    b: Any
    pairs: list[PairView]
    a_marks: list[Mark]
    b_marks: list[Mark]

    @property
    def conflicts(self) -> int:
        return sum(1 for p in self.pairs if p.conflict)


def _find_number(text: str, claim: Any, value_text: str) -> tuple[int, int] | None:
    """Offsets (in the article text) of the quantity ``value_text`` in ``claim``."""
    if claim is None:
        return None
    for q in claim.numbers:
        if q.text == value_text:
            return claim.start + q.start, claim.start + q.end
    at = claim.sentence.find(value_text)
    if at >= 0:
        return claim.start + at, claim.start + at + len(value_text)
    return None


def _side_label(entry: dict[str, Any], tag: str) -> str:
    src = entry.get("source")
    who = " ".join(str(src).split()) if src else "no source named"
    return f"{value_label(entry.get('text'))} ({who}, {tag})"


def _matching_numbers(ca: Any, cb: Any) -> tuple[Any, Any] | None:
    """The quantities of two linked claims that count the same thing, closest in value."""
    if ca is None or cb is None:
        return None
    best = None
    for x in ca.numbers:
        for y in cb.numbers:
            if not (x.unit and y.unit and unit_matches(x.unit, y.unit)):
                continue
            hi = max(abs(x.value), abs(y.value)) or 1.0
            d = abs(x.value - y.value) / hi
            if best is None or d < best[0]:
                best = (d, x, y)
    return (best[1], best[2]) if best else None


def compare_view(corpus: Any, a_id: str, b_id: str) -> CompareView:
    """The aligned pairs of two articles with one line describing each, and the ranges to
    mark on each side.  Raises KeyError (unknown id) or ValueError (same article)."""
    if a_id == b_id:
        raise ValueError("choose two different articles to compare")
    a, b = corpus.article(a_id), corpus.article(b_id)
    pairs = corpus.compare(a_id, b_id)
    a_claims = {c.id: c for c in corpus.article_claims(a_id)}
    b_claims = {c.id: c for c in corpus.article_claims(b_id)}
    a_tag, b_tag = article_tag(a), article_tag(b)
    n = len(pairs)
    views: list[PairView] = []
    a_marks: list[Mark] = []
    b_marks: list[Mark] = []
    for i, p in enumerate(pairs):
        head = f"{p.kind} {i + 1} of {n}"
        if p.kind == "reuse":
            words = len(a.text[p.a[0]:p.a[1]].split())
            desc = f"{head} · shared wording: {words} words, {p.similarity:.0%} alike"
            a_marks.append(Mark(p.a[0], p.a[1], "reuse", i))
            b_marks.append(Mark(p.b[0], p.b[1], "reuse", i))
        else:
            ca, cb = a_claims.get(p.a_claim or ""), b_claims.get(p.b_claim or "")
            a_marks.append(Mark(p.a[0], p.a[1], "claim", i))
            b_marks.append(Mark(p.b[0], p.b[1], "claim", i))
            if p.conflicts:
                sides = []
                for c in p.conflicts:
                    sides.append(f"{_side_label(c['a'], a_tag)} ≠ {_side_label(c['b'], b_tag)}")
                    for mark_list, claim, entry in ((a_marks, ca, c["a"]), (b_marks, cb, c["b"])):
                        at = _find_number(a.text if claim is ca else b.text, claim, entry["text"])
                        if at and not any(m.kind == "conflict" and (m.start, m.end) == at for m in mark_list):
                            mark_list.append(Mark(at[0], at[1], "conflict", i))
                desc = f"{head} · CONFLICT: " + "; ".join(_unique(sides))
            else:
                both = _matching_numbers(ca, cb)
                if both:
                    qa, qb = both
                    la = _side_label({"text": qa.text, "source": ca.source.speaker if ca.source else None}, a_tag)
                    lb = _side_label({"text": qb.text, "source": cb.source.speaker if cb.source else None}, b_tag)
                    desc = f"{head} · agree: {la} ≈ {lb}"
                else:
                    desc = f"{head} · same fact: {p.label}"
            if p.label:
                desc += f" · {p.label}"
        views.append(PairView(i, p.kind, tuple(p.a), tuple(p.b), bool(p.conflicts), p.label, desc,
                              float(p.similarity)))
    a_marks.sort(key=lambda m: (m.start, m.end))
    b_marks.sort(key=lambda m: (m.start, m.end))
    return CompareView(a, b, views, a_marks, b_marks)


# --------------------------------------------------------------------------- claims matrix

@dataclass
class MatrixColumn:
    id: str
    title: str
    outlet: str | None
    date: str | None
    head: str          # first header line: outlet, else a short id
    sub: str           # second header line: date, else "no date"


@dataclass
class MatrixValue:
    text: str          # "rund 12.000 · Geheimdienst"
    label: str         # "rund 12.000"
    speaker: str | None
    hedge: str | None
    value: float
    conflict: bool     # this value disagrees with a value of another article
    claim: str
    sentence: tuple[int, int]     # the claim sentence in the article text
    number: tuple[int, int]       # the quantity in the article text


@dataclass
class MatrixCell:
    values: list[MatrixValue]

    @property
    def conflict(self) -> bool:
        return any(v.conflict for v in self.values)

    @property
    def text(self) -> str:
        return " / ".join(v.text for v in self.values)


@dataclass
class MatrixRow:
    id: str
    label: str
    unit: str
    conflict: bool
    cells: dict[str, MatrixCell]


@dataclass
class ClaimsMatrix:
    query: str | None
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    n_groups: int
    n_claims: int
    n_articles: int = 0
    shown_groups: int = 0

    @property
    def scope(self) -> str:
        return f"search: {self.query}" if self.query else "whole corpus"


def _date_key(d: str | None, ident: str) -> tuple:
    return (d is None, d or "", ident)


def claims_matrix(corpus: Any, query: str | None = None, *, max_rows: int = 400) -> ClaimsMatrix:
    """Claim groups (rows) × articles (columns, by date) for the whole corpus or a search.
    Conflicting groups come first, then the groups spanning more articles."""
    claims, groups = corpus.claims(query or None)
    sentence = {c.id: (c.start, c.end) for c in claims}
    ordered = sorted(groups, key=lambda g: (not g.conflict, -len(g.articles), g.label, g.id))
    shown = ordered[:max_rows]
    rows: list[MatrixRow] = []
    used: set[str] = set()
    for g in shown:
        bad = set()
        for c in g.conflicts:
            for side in ("a", "b"):
                e = c[side]
                bad.add((e.get("claim"), e.get("start")))
        cells: dict[str, MatrixCell] = {}
        for v in g.values:
            speaker = v.get("source")
            label = value_label(v.get("text"))
            short = short_speaker(speaker)
            mv = MatrixValue(
                text=f"{label} · {short}" if short else label, label=label, speaker=speaker,
                hedge=v.get("hedge"), value=float(v.get("value") or 0.0),
                conflict=(v.get("claim"), v.get("start")) in bad, claim=str(v.get("claim")),
                sentence=sentence.get(v.get("claim"), (int(v["start"]), int(v["end"]))),
                number=(int(v["start"]), int(v["end"])),
            )
            cells.setdefault(v["article"], MatrixCell([])).values.append(mv)
            used.add(v["article"])
        for cell in cells.values():
            cell.values.sort(key=lambda x: x.number)
        rows.append(MatrixRow(g.id, g.label, g.unit, bool(g.conflict), cells))
    columns = []
    for aid in used:
        try:
            m = corpus.meta(aid)
        except KeyError:
            continue
        outlet = " ".join(m.outlet.split()) if m.outlet else None
        columns.append(MatrixColumn(aid, m.title or "", outlet, m.date,
                                    outlet or short_id(aid), m.date or "no date"))
    columns.sort(key=lambda c: _date_key(c.date, c.id))
    n_articles = len({c.article for c in claims})
    return ClaimsMatrix(query or None, columns, rows, len(groups), len(claims), n_articles, len(shown))


# --------------------------------------------------------------------------- excerpts

@dataclass
class ExcerptRow:
    excerpt: Any                  # index.excerpts.Excerpt
    status: str                   # exact / moved / fuzzy / orphaned
    start: int | None
    end: int | None

    @property
    def id(self) -> str:
        return self.excerpt.id

    @property
    def quote_line(self) -> str:
        return " ".join(self.excerpt.quote.split())

    @property
    def tags(self) -> list[str]:
        return list(self.excerpt.tags)


def excerpt_rows(corpus: Any, article_id: str | None = None) -> list[ExcerptRow]:
    """Every excerpt (or one article's) with where it sits in the current text."""
    return [ExcerptRow(ex, an.status, an.start, an.end) for ex, an in corpus.anchored_excerpts(article_id)]


def filter_excerpt_rows(rows: Sequence[ExcerptRow], query: str) -> list[ExcerptRow]:
    """``#tag`` keeps excerpts with that tag (prefix, case-insensitive), ``@id`` those of
    articles whose id starts with / contains it, other words must all occur in the quote,
    note, title or outlet (case-insensitive)."""
    tags, ids, words = [], [], []
    for tok in str(query or "").split():
        if tok.startswith("#") and len(tok) > 1:
            tags.append(tok[1:].casefold())
        elif tok.startswith("@") and len(tok) > 1:
            ids.append(tok[1:].casefold())
        else:
            words.append(tok.casefold())
    out = []
    for r in rows:
        ex = r.excerpt
        if tags and not all(any(t.casefold().startswith(w) for t in ex.tags) for w in tags):
            continue
        if ids and not all(w in ex.article.casefold() for w in ids):
            continue
        if words:
            hay = " ".join(x for x in (ex.quote, ex.note, ex.title or "", ex.outlet or "") if x).casefold()
            hay = " ".join(hay.split())
            if not all(w in hay for w in words):
                continue
        out.append(r)
    return out


def canonical_tags(tags: Iterable[str], existing: Iterable[str]) -> list[str]:
    """Tags spelled like an existing tag when they differ only in case."""
    known = {t.casefold(): t for t in existing}
    return [known.get(t.casefold(), t) for t in tags]


def complete_tag(value: str, existing: Sequence[str]) -> str | None:
    """Completion of the last tag being typed in "a, b, par" (existing tags, most used
    first); returns the whole completed value, or None."""
    m = re.search(r"[^,\s#]*$", value)
    part = m.group(0) if m else ""
    if not part:
        return None
    typed = {t.casefold() for t in re.split(r"[,\s]+", value[: m.start()]) if t}
    for t in existing:
        if t.casefold().startswith(part.casefold()) and len(t) > len(part) and t.casefold() not in typed:
            return value + t[len(part):]
    return None


def default_export_path(fmt: str, directory: str | Path | None = None, today: _date | None = None) -> Path:
    """``excerpts-YYYYmmdd.<fmt>`` in ``directory`` (default: the current one); a name
    not taken yet (``-2``, ``-3`` … appended)."""
    ext = {"markdown": "md"}.get(fmt, fmt)
    d = Path(directory) if directory is not None else Path.cwd()
    stamp = (today or _date.today()).strftime("%Y%m%d")
    p = d / f"excerpts-{stamp}.{ext}"
    n = 2
    while p.exists():
        p = d / f"excerpts-{stamp}-{n}.{ext}"
        n += 1
    return p


def export_to_file(corpus: Any, fmt: str, path: str | Path, tag: str | None = None) -> tuple[Path, int]:
    """Export the excerpts (optionally one tag) and write them atomically.
    Returns (absolute path written, number of excerpts).  Raises ExportError (one line)."""
    from .export import ExportError, filter_by_tag, write_export

    p = Path(str(path).strip()).expanduser() if str(path).strip() else None
    if p is None:
        raise ExportError("no file name given")
    if p.is_dir():
        raise ExportError(f"{p} is a folder: give a file name")
    tag = (tag or "").strip() or None
    text = corpus.export_excerpts(fmt, tag=tag)
    n = len(filter_by_tag(corpus.excerpts.all(), tag))
    written = write_export(text, p, fmt)
    return written.resolve(), n


# --------------------------------------------------------------------------- selection helpers

_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")


def sentence_index(sentences: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the sentence containing ``pos`` (or the last one starting before it; 0)."""
    if not sentences:
        return -1
    starts = [s for s, _ in sentences]
    i = bisect_right(starts, pos) - 1
    return max(0, i)


def next_word_end(text: str, pos: int, limit: int | None = None) -> int | None:
    """End of the first word ending after ``pos`` (before ``limit``), else None."""
    m = _WORD.search(text, pos, len(text) if limit is None else limit)
    while m is not None and m.end() <= pos:
        m = _WORD.search(text, m.end(), len(text) if limit is None else limit)
    return m.end() if m else None


def prev_word_end(text: str, start: int, end: int) -> int | None:
    """The selection ``start..end`` without its last word: the end of the word before
    the last one inside it, or None when only one word is left."""
    ends = [m.end() for m in _WORD.finditer(text, start, end)]
    if len(ends) < 2:
        return None
    # the last word is the one ending at or before ``end``; keep up to the one before it
    return ends[-2]


def fallback_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of a text the index has none stored for."""
    from .sentences import split_sentences

    return [(int(s), int(e)) for s, e in split_sentences(text)]
