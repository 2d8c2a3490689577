"""The only module that talks to Whoosh.

Everything Whoosh-specific (schema, German analysis, writers, searchers, the
query parser, term statistics) lives here behind a small API, so the engine
could be swapped for another one without touching the rest of ``index/``.

Known Whoosh 2.7.5 behaviours handled here:
- ``Searcher.refresh()`` returns duplicate hits after a merge and fails on an
  empty index: we open a fresh ``ix.searcher()`` whenever ``up_to_date()`` is False.
- a second writer raises ``LockError`` at once: reported as ``IndexBusy``.
- the index is not crash-safe: any failure to open is ``IndexDamaged`` and the
  caller rebuilds from the articles.
- highlighter fragmenters stop at 32,768 characters: we never use them; hit
  offsets are computed by re-tokenising the stored body with the same analyzer.
"""
from __future__ import annotations

import pickle
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from whoosh import fields, index as whoosh_index, query as wq
from whoosh.analysis import (
    CharsetFilter, Filter, LowercaseFilter, RegexTokenizer,
)
from whoosh.lang import stopwords_for_language
from whoosh.qparser import AndGroup, GtLtPlugin, MultifieldParser
from whoosh.support.charset import accent_map
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.compat import dumps as _dumps
from whoosh.system import pack_uint as _pack_uint
from whoosh.util.text import rcompile
from whoosh.writing import PostingPool

SCHEMA_VERSION = 5

# Tokens: words, numbers with inner dots/commas ("12.000", "3,4"), hyphenated words stay split.
TOKEN_PATTERN = r"\w+(?:[.,]\d+)*(?:\.?\w+)*"
_TOKEN_RE = rcompile(TOKEN_PATTERN)
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


class EngineError(Exception):
    """Base class; ``str(exc)`` is a one-line message."""


class IndexBusy(EngineError):
    pass


class IndexDamaged(EngineError):
    pass


class IndexMissing(EngineError):
    pass


class SchemaChanged(EngineError):
    pass


_GERMAN2_RE = re.compile(r"(?<!q)(ae|oe|ue)")
_GERMAN2_MAP = {"ae": "ä", "oe": "ö", "ue": "ü"}
_STOPS = frozenset(stopwords_for_language("de"))
INDEX_STOP_WORDS = _STOPS  # the words the indexer drops (index.stem builds on them)


def _make_stemmer():
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language("de")


_STEM = _make_stemmer()


@lru_cache(maxsize=500_000)
def normalise_term(word: str) -> str:
    """A lowercased token → its indexed form:
    - "12.000" → "12000" (thousands separators dropped: the same number),
    - Snowball's "german2" spelling: ae/oe/ue for ä/ö/ü (unless after q), so that
      "Suedkorea" meets "Südkorea",
    - the Snowball German stemmer (which also folds ä/ö/ü/ß),
    - remaining accents folded, after the stemmer (never before it)."""
    if word[:1].isdigit():
        if _THOUSANDS_RE.match(word):
            return word.replace(".", "")
        return word
    if "e" in word:
        word = _GERMAN2_RE.sub(lambda mo: _GERMAN2_MAP[mo.group(1)], word)
    return _STEM(word).translate(accent_map)


class GermanFilter(Filter):
    """Lowercase, drop stop words (positions renumbered), normalise_term(): one
    fused filter instead of five chained generators (indexing speed)."""

    def __call__(self, tokens):
        stops = _STOPS
        norm = normalise_term
        pos = 0
        for t in tokens:
            text = t.text.lower()
            if text in stops:
                continue
            if t.positions:
                t.pos = pos
                pos += 1
            t.text = norm(text)
            yield t


def german_analyzer():
    """Tokenise, then lowercase, drop stop words, german2 spelling, Snowball stem,
    accent fold (see normalise_term)."""
    return RegexTokenizer(TOKEN_PATTERN) | GermanFilter()


def name_analyzer():
    """For outlet names: lowercase words, accents folded, no stemming."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


_ANALYZER = german_analyzer()
_FOLD_RE = re.compile(r"(?<!q)(ae|oe|ue)")


def analyze(text: str) -> list[str]:
    """The indexed terms of ``text`` (for tests and for term statistics)."""
    return [t.text for t in _ANALYZER(text)]


def _term_of(word: str) -> str | None:
    w = word.lower()
    if w in _STOPS:
        return None
    return normalise_term(w)


def _fold(word: str) -> str:
    w = word.lower()
    w = _FOLD_RE.sub(lambda m: m.group(1)[0], w)
    return w.replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")


def _encode_positions(plist: list[int]) -> bytes:
    """Exactly ``formats.Positions.encode`` (count, then pickled position deltas)."""
    if len(plist) == 1:
        return _pack_uint(1) + _dumps(plist, 2)
    deltas = [plist[0]]
    prev = plist[0]
    for p in plist[1:]:
        deltas.append(p - prev)
        prev = p
    return _pack_uint(len(deltas)) + _dumps(deltas, 2)


class GermanText(fields.TEXT):
    """TEXT with the German analyzer whose ``index()`` runs tokenise → stop words →
    normalise_term → positions in one loop.  It yields exactly what
    ``Positions.word_values`` over ``german_analyzer()`` yields (a test compares the
    postings of both), at about half the cost; queries still use the analyzer."""

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        stops = _STOPS
        norm = normalise_term
        poses: dict[str, list[int]] = {}
        pos = 0
        for word in _TOKEN_RE.findall(value):
            low = word.lower()
            if low in stops:
                continue
            term = norm(low)
            plist = poses.get(term)
            if plist is None:
                poses[term] = [pos]
            else:
                plist.append(pos)
            pos += 1
        fb = self.format.field_boost
        for term, plist in poses.items():
            n = len(plist)
            yield term.encode("utf-8"), n, float(n) * fb, _encode_positions(plist)


def make_schema() -> fields.Schema:
    de = german_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=GermanText(analyzer=de, stored=False, field_boost=2.0),
        outlet=fields.TEXT(analyzer=name_analyzer(), stored=False),
        date=fields.ID(stored=False),
        body=GermanText(analyzer=de, stored=True, chars=False),
    )


SEARCH_FIELDS = ("title", "body")
QUERY_FIELDS = ("id", "title", "outlet", "date", "body")


@dataclass
class EngineHit:
    id: str
    score: float
    count: int = 0


class Engine:
    """A Whoosh index in ``directory``. Thread-safe for the calls below."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._ix = None
        self._searcher = None
        self._lock = threading.RLock()

    # -- opening -----------------------------------------------------------------------
    def exists(self) -> bool:
        try:
            return whoosh_index.exists_in(str(self.directory))
        except Exception:
            return False

    def open(self, create: bool = False) -> None:
        """Open (or create) the index; raises IndexMissing / IndexDamaged with one-line messages."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            if create:
                self._close_searcher()
                self._ix = whoosh_index.create_in(str(self.directory), make_schema())
                return
            if not self.exists():
                if any(self.directory.glob("*.toc")) or any(self.directory.glob("*.seg")):
                    raise IndexDamaged(f"index in {self.directory} is damaged (unreadable table of contents)")
                raise IndexMissing(f"no index in {self.directory}")
            try:
                ix = whoosh_index.open_dir(str(self.directory))
                ix.doc_count()  # touches the TOC and segments
            except Exception as exc:  # whoosh raises many kinds on a damaged dir
                raise IndexDamaged(f"index in {self.directory} is damaged ({type(exc).__name__})") from None
            if set(ix.schema.names()) != set(make_schema().names()):
                raise SchemaChanged("index schema differs")
            self._ix = ix

    @property
    def ix(self):
        if self._ix is None:
            self.open()
        return self._ix

    def close(self) -> None:
        with self._lock:
            self._close_searcher()
            if self._ix is not None:
                try:
                    self._ix.close()
                except Exception:
                    pass
                self._ix = None

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:
                pass
            self._searcher = None

    def searcher(self):
        """A searcher that sees the latest commit (fresh one when the index changed)."""
        with self._lock:
            if self._searcher is None or not self._searcher.up_to_date():
                self._close_searcher()
                self._searcher = self.ix.searcher()
            return self._searcher

    def doc_count(self) -> int:
        with self._lock:
            return self.searcher().doc_count()

    # -- writing -----------------------------------------------------------------------
    def writer(self) -> "EngineWriter":
        """The one writer (holds the index lock). A parallel build adds the segments
        that ``SegmentBuilder``s made in worker processes at commit."""
        from whoosh.index import LockError
        from whoosh.writing import SegmentWriter

        try:
            w = SegmentWriter(self.ix, limitmb=WRITER_MB, codec=_codec())
        except LockError:
            raise IndexBusy("the index is being updated by another coverage-tui (locked)") from None
        _install_pool(w, WRITER_MB)
        return EngineWriter(w)

    # -- reading -----------------------------------------------------------------------
    def parse(self, text: str):
        parser = MultifieldParser(list(SEARCH_FIELDS), schema=self.ix.schema, group=AndGroup)
        parser.add_plugin(GtLtPlugin())
        return _fix_dates(parser.parse(text))

    def search(self, q, limit: int | None, count_terms: set[str] | None = None) -> tuple[int, list[EngineHit]]:
        """Ranked hits; ``count`` per hit = occurrences of ``count_terms`` in the body,
        read from the postings (no stored fields are loaded)."""
        with self._lock:
            s = self.searcher()
            results = s.search(q, limit=limit)
            total = len(results)
            reader = s.reader()
            ids = reader.column_reader("id")
            pairs = [(r.docnum, float(r.score or 0.0)) for r in results]
            counts: dict[int, int] = {}
            if count_terms and pairs:
                docnums = sorted(d for d, _ in pairs)
                for term in count_terms:
                    try:
                        m = reader.postings("body", term)
                    except Exception:  # term not in the index
                        continue
                    for d in docnums:
                        if not m.is_active():
                            break
                        if m.id() < d:
                            m.skip_to(d)
                            if not m.is_active():
                                break
                        if m.id() == d:
                            counts[d] = counts.get(d, 0) + int(m.weight())
            hits = []
            for d, score in pairs:
                v = ids[d]
                hits.append(EngineHit(v.decode("utf-8") if isinstance(v, bytes) else v, score, counts.get(d, 0)))
            return total, hits

    def body_terms(self, q) -> set[str]:
        """Indexed body/title terms the query asks for (wildcards and prefixes expanded)."""
        with self._lock:
            s = self.searcher()
            terms: set[str] = set()
            reader = s.reader()
            # Query.existing_terms() in 2.7.5 reuses its `fieldname` argument as a loop
            # variable and skips every leaf after the first: walk the leaves ourselves.
            for leaf in q.leaves():
                try:
                    pairs = leaf.expanded_terms(reader, phrases=True)
                except Exception:
                    pairs = leaf.terms(phrases=True)
                for fieldname, text in pairs:
                    if fieldname in ("body", "title"):
                        terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
            # NOT-ed terms should not be highlighted
            for sub in _negated(q):
                for fieldname, text in sub.iter_all_terms():
                    terms.discard(text.decode("utf-8") if isinstance(text, bytes) else text)
            return terms

    def doc_frequency(self, term: str, field: str = "body") -> int:
        with self._lock:
            return self.searcher().doc_frequency(field, term)

    def doc_frequencies(self, terms: Iterable[str], field: str = "body") -> dict[str, int]:
        """``{term: doc_frequency(term)}`` for many terms, read from one searcher: one
        look at whether the index changed instead of one per term (each lists the
        index directory)."""
        with self._lock:
            s = self.searcher()
            return {t: s.doc_frequency(field, t) for t in set(terms)}


class _PostingsWriter(W3PostingsWriter):
    """W3's postings writer with two fixes: ``add_posting`` without per-posting type
    assertions (the callers below pass the right types), and inlining of short posting
    lists into the term table, which 2.7.5 advertises (``inlinelimit``) but breaks
    (``finish_postings`` calls ``set_inline``, the term info has ``set_inlined``).
    The bytes written are the standard W3 format: any W3 reader reads them."""

    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
        else:
            if self._ids:
                self._write_block(last=True)
            terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
        self._terminfo = None
        return terminfo


class _FieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """``base.FieldWriter.add_postings`` with the field length of each document
        looked up once per field (Whoosh reads it from the length column for every
        posting: a quarter of the commit) and the posting added directly."""
        lastfn = None
        lasttext = None
        pw = None
        cache: dict[int, int] = {}
        dfl = lengths.doc_field_length if lengths else None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lastfn is not None and fieldname < lastfn:
                    raise ValueError(f"postings out of order: field {lastfn!r} .. {fieldname!r}")
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                pw = self._postwriter
                lastfn = fieldname
                lasttext = None
                cache = {}
            if docnum == -1:  # spelling words: not used by this schema
                continue
            if btext != lasttext:
                if lasttext is not None:
                    if btext < lasttext:
                        raise ValueError(f"postings out of order: {fieldname}:{lasttext!r} .. {btext!r}")
                    self.finish_term()
                self.start_term(btext)
                pw = self._postwriter
                lasttext = btext
            length = cache.get(docnum)
            if length is None:
                length = cache[docnum] = (dfl(docnum, fieldname) or 0) if dfl else 0
            pw.add_posting(docnum, weight, value or b"", length)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class _Codec(W3Codec):
    """W3, with posting blocks uncompressed (~18 % faster indexing for ~30 % more disk,
    measured on 1,000 10kGNAD articles; the index is a cache) and the faster writers
    above.  Posting lists shorter than 4 are inlined into the term table."""

    def __init__(self):
        super().__init__(compression=0, inlinelimit=4)

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


def _codec():
    return _Codec()


# Memory for postings before a sorted run goes to disk (Whoosh's own estimate; the
# real size is ~1.5x). A parallel build has one pool per worker process.
WRITER_MB = 128
BUILDER_MB = 64


class _Pool(PostingPool):
    """Whoosh's posting pool with cheap sorted runs: Whoosh pickles every posting
    by itself into a run file and reads it back the same way, a third of the time of
    indexing 10k articles; we pickle lists of 4,096.  Same order, same postings."""

    CHUNK = 4096

    def add(self, item):
        self.fieldnames.add(item[0])
        # the same size estimate as PostingPool.add, without its per-posting asserts
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items):
        it = iter(items)
        while True:
            chunk = list(islice(it, self.CHUNK))
            if not chunk:
                break
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def _install_pool(w, limitmb: int) -> None:
    # SegmentWriter takes a ``poolclass`` argument but ignores it: swap the (empty) pool
    w.pool = _Pool(w.pool.tempstore, w.pool.segment, limitmb=limitmb)


class SegmentBuilder:
    """Indexes documents into a segment of its own, in a worker process, without the
    index lock (what Whoosh's MpWriter sub-writers do, minus its extra processes and
    temporary document files).  ``finish()`` returns the segment for
    ``EngineWriter.add_segments()`` in the process that holds the lock."""

    def __init__(self, directory: Path):
        from whoosh.writing import SegmentWriter

        ix = whoosh_index.open_dir(str(directory))
        self._w = SegmentWriter(ix, _lk=False, limitmb=BUILDER_MB, codec=_codec())
        _install_pool(self._w, BUILDER_MB)
        self.count = 0

    def add(self, *, id: str, title: str, outlet: str | None, date: str | None, body: str) -> None:
        self._w.add_document(id=id, title=title or "", outlet=outlet or "", date=date or "", body=body)
        self.count += 1

    def finish(self):
        """The finished segment (picklable), or None when nothing was added."""
        if not self.count:
            self._w._close_segment()
            return None
        return self._w._finalize_segment()

    def cancel(self) -> None:
        try:
            self._w._close_segment()
        except Exception:
            pass


class EngineWriter:
    def __init__(self, w):
        self._w = w
        self._segments: list = []

    def add_segments(self, segments: Iterable) -> None:
        """Segments from ``SegmentBuilder.finish()``: they join the index at commit."""
        self._segments.extend(s for s in segments if s is not None)

    def put(self, *, id: str, title: str, outlet: str | None, date: str | None, body: str) -> None:
        self._w.update_document(id=id, title=title or "", outlet=outlet or "", date=date or "", body=body)

    def add(self, *, id: str, title: str, outlet: str | None, date: str | None, body: str) -> None:
        self._w.add_document(id=id, title=title or "", outlet=outlet or "", date=date or "", body=body)

    def delete(self, doc_id: str) -> None:
        self._w.delete_by_term("id", doc_id)

    def commit(self) -> None:
        """Commit. Added segments join the index as they are (no merge: a parallel
        build with N workers gives N segments, N+1 if this writer added documents)."""
        segments = self._segments
        if not segments:
            self._w.commit()
            return
        from whoosh.writing import NO_MERGE

        w = self._w
        final = w._merge_segments(NO_MERGE, False, False) + segments
        if w._added:
            final.append(w._finalize_segment())
        else:
            w._close_segment()
        w._commit_toc(final)
        w._finish()

    def cancel(self) -> None:
        try:
            self._w.cancel()
        except Exception:
            pass


def is_empty(q) -> bool:
    """True for a parsed query with nothing left to search (e.g. only stop words)."""
    return q is wq.NullQuery or isinstance(q, type(wq.NullQuery))


def _fix_dates(q):
    """Dates are ISO strings, partial allowed: ``date:2024-10`` means the whole month
    and ``date:[2024-10 to 2024-11]`` includes every day of November."""
    if isinstance(q, wq.Term) and q.fieldname == "date":
        return wq.Prefix("date", q.text)
    if isinstance(q, wq.TermRange) and q.fieldname == "date":
        end = q.end + "~" if q.end else q.end
        return wq.TermRange("date", q.start, end, q.startexcl, q.endexcl)
    if hasattr(q, "subqueries") and isinstance(getattr(q, "subqueries", None), list):
        q.subqueries = [_fix_dates(c) for c in q.subqueries]
    elif hasattr(q, "child"):
        q.child = _fix_dates(q.child)
    elif isinstance(q, wq.Not):
        q.query = _fix_dates(q.query)
    return q


def _negated(q) -> Iterator:
    if isinstance(q, wq.Not):
        yield q.query
    elif isinstance(q, wq.AndNot):
        yield q.b
        yield from _negated(q.a)
    for child in getattr(q, "subqueries", ()) or ():
        yield from _negated(child)


def term_offsets(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character offsets of every token of ``text`` whose indexed form is in ``terms``.

    Works on the whole text (no 32k limit). A cheap prefix test on the folded word
    avoids running the analyzer on most tokens: a Snowball German stem, after
    folding, is a prefix of the folded word.
    """
    terms = {t for t in terms if t}
    if not terms or not text:
        return []
    prefixes = {t[:3] for t in terms}
    plens = {len(p) for p in prefixes}
    out: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group()
        f = _fold(word)
        if _THOUSANDS_RE.match(word):
            f = word.replace(".", "")
        if not any(f[:n] in prefixes for n in plens):
            continue
        if _term_of(word) in terms:
            out.append((m.start(), m.end()))
    return out
