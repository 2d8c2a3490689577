"""``Corpus``: the one facade the command line and the TUI call.

Every screen of the app is built from these functions, and every CLI
``--json`` output too, so what the user sees can be scripted and tested.
All methods are safe to call from worker threads.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

from . import engine as eng
from .config import Config, ConfigError, load_config
from .corpus import CorpusError, check_roots, discover
from .formats import read_file
from .keywords import keyword_spans
from .model import Article, ArticleMeta, Hit, IndexReport, SearchResult, SkipFile
from .querycheck import QueryError, check_query
from .store import STORE_VERSION, Store, StoreError

__all__ = ["Corpus", "ConfigError", "CorpusError", "QueryError", "IndexReport"]

def _analysis_version() -> str:
    from . import claims

    return str(getattr(claims, "ANALYSIS_VERSION", "1"))


# a change of any part re-indexes (stored sentences and claims are derived data too)
VERSION = f"engine{eng.SCHEMA_VERSION}-store{STORE_VERSION}-analysis{_analysis_version()}"

Progress = Callable[[int, int, str], None]


def analyse(article: Article) -> tuple[list[tuple[int, int]], list[dict[str, Any]]]:
    """Sentences and claims of one article, computed at index time; the claims in
    their stored form (``Claim.to_record``)."""
    from .claims import extract_claims
    from .sentences import split_sentences

    sents = split_sentences(article.text)
    claims = [c.to_record() for c in extract_claims(article.id, article.text, article.spans, sents)]
    return sents, claims


PARALLEL_MIN_FILES = 400


def _overrides_for(articles_map, prefix: str):
    if not articles_map:
        return None
    if not prefix:
        return articles_map
    return {k[len(prefix):]: v for k, v in articles_map.items() if k.startswith(prefix)}


def read_and_analyse(sf, opts) -> str | list[tuple[Article, str, list, list]]:
    """One file → its articles with hash, sentences and claims, or a one-line skip reason.
    Runs in a worker process for big batches, so it takes and returns plain data."""
    max_bytes, field_map, articles_map = opts
    try:
        articles = read_file(sf.path, sf.root, max_bytes=max_bytes, field_map=field_map,
                             overrides=_overrides_for(articles_map, sf.prefix))
    except SkipFile as exc:
        return str(exc) or "skipped"
    except Exception as exc:  # a reader bug must not stop the rest
        return f"could not be read ({exc.__class__.__name__}: {str(exc)[:120]})"
    out = []
    skip_claims = bool(os.environ.get("COVERAGE_TUI_NO_CLAIMS"))  # benchmarks only
    for a in articles:
        if sf.prefix:
            a.id = sf.prefix + a.id
        try:
            sents, claims = ([], []) if skip_claims else analyse(a)
        except Exception:  # claims are an extra: the article is still indexed
            sents, claims = [], []
        out.append((a, article_hash(a), json.dumps(sents), json.dumps(claims, ensure_ascii=False)))
    return out


def _parallel_ok() -> bool:
    """Big fresh builds use worker processes (each reads, analyses and indexes its share
    into a Whoosh segment of its own) when there is more than one core;
    COVERAGE_TUI_NO_POOL=1 turns it off."""
    return (os.cpu_count() or 1) >= 2 and not os.environ.get("COVERAGE_TUI_NO_POOL")


CHUNK_FILES = 8  # files per task sent to a worker


class _ParallelFailed(Exception):
    """A worker process could not start or stopped: the batch is redone in-process."""


class _Feed:
    """The files of a batch read and analysed, as ``(SourceFile, outcome, indexed)``
    in the order of ``todo``; ``indexed`` is True when a worker process has already
    added the articles to a segment of its own (``segments``, committed with the
    writer). ``should_cancel`` stops it early: ``cancelled`` is then True, and
    everything a worker already indexed is still delivered, so the index and the
    article store stay in step."""

    def __init__(self, todo, opts, should_cancel=None, index_dir: Path | None = None):
        self.todo, self.opts, self.should_cancel = todo, opts, should_cancel
        self.index_dir = index_dir
        self.cancelled = False
        self.segments: list = []

    def _cancel_now(self) -> bool:
        if not self.cancelled and self.should_cancel is not None and self.should_cancel():
            self.cancelled = True
        return self.cancelled

    def __iter__(self):
        if self.index_dir is None:
            for sf in self.todo:
                if self._cancel_now():
                    return
                yield sf, read_and_analyse(sf, self.opts), False
            return
        yield from self._parallel()

    def _parallel(self):
        import multiprocessing as mp
        import queue
        import sys

        ctx = mp.get_context("spawn")  # safe from a thread (the app indexes in a worker thread)
        chunks = [self.todo[i:i + CHUNK_FILES] for i in range(0, len(self.todo), CHUNK_FILES)]
        n = max(1, min(4, os.cpu_count() or 1, len(chunks)))
        saved = sys.stderr
        procs = []
        try:
            # A host that captured stderr (the Textual app does) gives fileno() == -1, which
            # multiprocessing's resource tracker passes on and spawning fails: use the real one.
            try:
                ok = saved is not None and saved.fileno() >= 0
            except Exception:
                ok = False
            if not ok and sys.__stderr__ is not None:
                sys.stderr = sys.__stderr__
            tasks, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
            for k, chunk in enumerate(chunks):
                tasks.put((k, chunk))
            for _ in range(n):
                tasks.put(None)
            for wid in range(n):
                p = ctx.Process(target=_build_worker, daemon=True,
                                args=(str(self.index_dir), self.opts, tasks, results, stop, wid))
                p.start()
                procs.append(p)
        except Exception as exc:
            for p in procs:
                p.kill()
            raise _ParallelFailed(f"cannot start worker processes ({exc.__class__.__name__})") from None
        finally:
            sys.stderr = saved
        pending: dict[int, list | None] = {}
        next_k = 0
        done: set[int] = set()
        quiet = 0.0
        try:
            while len(done) < n:
                if self._cancel_now():
                    stop.set()
                try:
                    msg = results.get(timeout=0.2)
                except queue.Empty:
                    quiet += 0.2
                    for wid, p in enumerate(procs):
                        # exit code 0 without "done" can only be a message still in the pipe
                        if wid not in done and p.exitcode is not None and (p.exitcode != 0 or quiet > 10):
                            raise _ParallelFailed(f"worker process stopped (exit code {p.exitcode})")
                    continue
                quiet = 0.0
                kind, key, payload = msg
                if kind == "chunk":
                    pending[key] = payload
                    while next_k in pending:
                        for sf, outcome in pending.pop(next_k) or ():
                            yield sf, outcome, True
                        next_k += 1
                elif kind == "done":
                    done.add(key)
                    self.segments.append(payload)  # None from a worker that indexed nothing
                else:
                    raise _ParallelFailed(f"worker process failed ({payload})")
            if next_k != len(chunks):  # every worker said done: nothing can be missing
                raise _ParallelFailed("worker results incomplete")
        except BaseException:
            stop.set()
            for p in procs:
                p.kill()
            raise
        finally:
            for p in procs:
                p.join(timeout=5)
                if p.is_alive():
                    p.kill()


def _build_worker(index_dir: str, opts, tasks, results, stop, wid: int) -> None:
    """A worker process of a parallel build: read, analyse and index the files of
    each task into a segment of its own; send back the articles of each task (for the
    article store) and, at the end, the segment."""
    try:
        builder = eng.SegmentBuilder(Path(index_dir))
    except BaseException as exc:
        results.put(("failed", wid, f"{exc.__class__.__name__}: {str(exc)[:200]}"))
        return
    try:
        while True:
            job = tasks.get()
            if job is None:
                break
            k, files = job
            if stop.is_set():
                results.put(("chunk", k, None))
                continue
            out = []
            for sf in files:
                outcome = read_and_analyse(sf, opts)
                if not isinstance(outcome, str):
                    for a, _h, _s, _c in outcome:
                        builder.add(id=a.id, title=a.title, outlet=a.outlet, date=a.date, body=a.text)
                out.append((sf, outcome))
            results.put(("chunk", k, out))
        results.put(("done", wid, builder.finish()))
    except BaseException as exc:
        builder.cancel()
        results.put(("failed", wid, f"{exc.__class__.__name__}: {str(exc)[:200]}"))


def article_hash(a: Article) -> str:
    h = hashlib.sha1()
    for part in (a.title, a.date or "", a.outlet or "", a.author or "", a.url or "", a.text,
                 repr([(s.start, s.end, s.kind, s.reason) for s in a.spans])):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Corpus:
    """An opened corpus: its roots, its index directory, its config."""

    def __init__(self, config: Config, roots: list[Path], index_dir: Path):
        self.config = config
        self.roots = roots
        self.index_dir = index_dir
        self.read_only = False
        self.notice: str | None = None
        self._store: Store | None = None
        self._engine: eng.Engine | None = None
        self._write_lock = threading.Lock()
        self._generation = 0
        self._claims_cache: dict = {}
        self._excerpts = None

    # -- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, paths: list[str] | None = None, *, config_path: str | None = None,
             index_dir: str | None = None, config: Config | None = None) -> "Corpus":
        cfg = config if config is not None else load_config(config_path)
        roots = cfg.corpus_paths(paths)
        check_roots(roots)
        idx = cfg.index_path(roots, index_dir)
        return cls(cfg, roots, idx)

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = Store(self.index_dir / "store.sqlite")
            except StoreError as exc:
                self._reset_files(str(exc))
                self._store = Store(self.index_dir / "store.sqlite")
        return self._store

    @property
    def engine(self) -> eng.Engine:
        if self._engine is None:
            self._engine = eng.Engine(self.index_dir / "whoosh")
        return self._engine

    def _reset_files(self, why: str) -> None:
        import shutil

        self.notice = f"{why}; rebuilding the index from the articles"
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        for name in ("store.sqlite", "store.sqlite-wal", "store.sqlite-shm"):
            try:
                (self.index_dir / name).unlink()
            except FileNotFoundError:
                pass
        shutil.rmtree(self.index_dir / "whoosh", ignore_errors=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
        if self._store is not None:
            self._store.close()

    def index_state(self) -> str:
        """"missing" (no usable index: must build), or "ready" (may still be stale)."""
        # Cheap on purpose (the app calls it before painting the list): the Whoosh
        # index is not opened here (~1 s at 100k articles); update_index() checks it.
        try:
            if self.store.get_meta("version") != VERSION or not self.engine.exists():
                return "missing"
            if self.store.get_meta("docs") != str(self.store.count()):
                return "missing"
        except (eng.EngineError, StoreError):
            return "missing"
        return "ready"

    # -- indexing ---------------------------------------------------------------------
    def update_index(self, *, rebuild: bool = False, progress: Progress | None = None,
                     should_cancel: Callable[[], bool] | None = None) -> IndexReport:
        """Bring the index up to date with the files: only changed, added and removed
        files are read. Never raises for a bad file; a locked index makes the corpus
        read-only with a notice."""
        with self._write_lock:
            return self._update(rebuild, progress, should_cancel)

    def _update(self, rebuild, progress, should_cancel) -> IndexReport:
        t0 = time.perf_counter()
        rep = IndexReport()
        store = self.store
        reasons = []
        if rebuild:
            reasons.append("rebuild asked for")
        elif store.get_meta("version") != VERSION:
            reasons.append("first index" if store.get_meta("version") is None else "index format changed")
        if not rebuild and not reasons:
            try:
                self.engine.open()
                if self.engine.doc_count() != store.count():
                    reasons.append("index out of step with the article store")
            except eng.IndexMissing:
                reasons.append("index missing")
            except eng.SchemaChanged:
                reasons.append("index format changed")
            except eng.IndexDamaged as exc:
                reasons.append(str(exc))
        if reasons:
            self.engine.close()
            import shutil

            try:
                w = None
                if self.engine.exists():
                    # refuse to wipe an index another instance is writing right now
                    try:
                        self.engine.open()
                        w = self.engine.writer()
                        w.cancel()
                    except eng.IndexBusy as exc:
                        self.read_only = True
                        rep.notice = self.notice = f"{exc}; showing it read-only"
                        return rep
                    except eng.EngineError:
                        pass
                    self.engine.close()
                shutil.rmtree(self.engine.directory, ignore_errors=True)
            except OSError as exc:
                raise StoreError(f"cannot clear {self.engine.directory}: {exc.strerror}") from None
            store.clear()
            self.engine.open(create=True)
            rep.rebuilt = True
            if reasons[0] not in ("first index", "rebuild asked for"):
                rep.notice = self.notice = f"{reasons[0]}: rebuilding the index from the articles"
        try:
            writer = self._walk(store, rep, progress, should_cancel)
        except eng.IndexBusy as exc:
            self.read_only = True
            rep.notice = self.notice = f"{exc}; showing it read-only"
            store.rollback()
            return rep
        if writer is not None:
            writer.commit()
        store.set_meta("docs", str(store.count()))  # what index_state() compares against
        self.read_only = False
        if rep.added or rep.updated or rep.removed or rep.rebuilt:
            self._generation += 1
        store.set_meta("version", VERSION)
        store.commit()
        rep.skipped = store.skipped()
        rep.seconds = time.perf_counter() - t0
        return rep

    def _walk(self, store: Store, rep: IndexReport, progress, should_cancel) -> eng.EngineWriter | None:
        """Classify the files (stat only), then read, analyse and write what changed.
        Returns the writer to commit, or None when nothing changed (no lock taken)."""
        known = store.files()
        per_path = store.counts_by_path()
        reading = self.config.reading_hash()
        reread_all = store.get_meta("reading") != reading
        fresh = rep.rebuilt or not known
        seen: set[str] = set()
        todo: list = []
        unusable: list[tuple[str, str]] = []
        # 1. classify: stat only, nothing is read for an unchanged file
        for sf, path, reason in discover(self.roots):
            key = str(path if sf is None else sf.path)
            seen.add(key)
            if sf is None:
                old = known.get(key)
                if not old or old[2] != "skipped" or old[3] != reason:
                    unusable.append((key, reason or "skipped"))
                continue
            old = known.get(key)
            if old and not reread_all and old[0] == sf.mtime_ns and old[1] == sf.size and old[2] in ("ok", "skipped"):
                if old[2] == "ok":
                    rep.unchanged += per_path.get(key, 0)
                continue
            todo.append(sf)
        gone_files = set(known) - seen
        if not (todo or unusable or gone_files or fresh or reread_all):
            return None
        # a big fresh build: worker processes read, analyse and index (segments of their own)
        parallel = len(todo) >= PARALLEL_MIN_FILES and fresh and _parallel_ok()
        writer = self.engine.writer()
        counts = (rep.added, rep.updated, rep.removed, rep.unchanged)
        try:
            try:
                self._write(store, writer, rep, todo, unusable, gone_files, fresh, reading, progress,
                            should_cancel, parallel)
            except _ParallelFailed as exc:
                writer.cancel()
                store.rollback()
                rep.added, rep.updated, rep.removed, rep.unchanged = counts
                writer = self.engine.writer()
                self._write(store, writer, rep, todo, unusable, gone_files, fresh, reading, progress,
                            should_cancel, False)
                rep.notice = self.notice = f"{exc}: indexed in this process instead"
        except BaseException:
            writer.cancel()
            raise
        return writer

    def _write(self, store, writer, rep, todo, unusable, gone_files, fresh, reading, progress, should_cancel,
               parallel=False) -> None:
        for key, reason in unusable:
            self._drop_file(store, writer, key, rep)
            store.set_file(key, 0, 0, "skipped", reason)
        # 2. read + analyse (+ index, in worker processes for a big fresh build), 3. store in order
        total = len(todo)
        opts = (self.config.max_file_size, self.config.fields or None, self.config.articles or None)
        feed = _Feed(todo, opts, should_cancel, self.engine.directory if parallel else None)
        for i, (sf, outcome, indexed) in enumerate(feed):
            if progress is not None and (i % 25 == 0 or i == total - 1):
                progress(i + 1, total, sf.path.name)
            key = str(sf.path)
            if isinstance(outcome, str):
                self._drop_file(store, writer, key, rep)
                store.set_file(key, sf.mtime_ns, sf.size, "skipped", outcome)
                continue
            old_ids = {} if fresh else store.article_ids_for(key)
            new_ids = set()
            for a, h, sents, claims in outcome:
                a.path = key
                new_ids.add(a.id)
                if old_ids.get(a.id) == h:
                    rep.unchanged += 1
                    continue
                if not indexed:  # else a worker process has added it to its segment
                    add = writer.add if fresh else writer.put
                    add(id=a.id, title=a.title, outlet=a.outlet, date=a.date, body=a.text)
                store.put_article(a, h, sents, claims)
                if a.id in old_ids:
                    rep.updated += 1
                else:
                    rep.added += 1
            for gone in set(old_ids) - new_ids:
                writer.delete(gone)
                store.delete_article(gone)
                rep.removed += 1
            store.set_file(key, sf.mtime_ns, sf.size, "ok", "")
        writer.add_segments(feed.segments)
        if feed.cancelled:
            rep.notice = "indexing cancelled: the index holds what was done so far"
        else:
            for key in gone_files:
                self._drop_file(store, writer, key, rep)
                store.delete_file(key)
            store.set_meta("reading", reading)

    def _drop_file(self, store: Store, writer: eng.EngineWriter, key: str, rep: IndexReport) -> None:
        for aid in store.article_ids_for(key):
            writer.delete(aid)
            store.delete_article(aid)
            rep.removed += 1

    # -- reading ----------------------------------------------------------------------
    def articles(self, *, spans: bool = True) -> list[ArticleMeta]:
        """Every article without its text. ``spans=False`` leaves the boilerplate
        spans out (faster for the list of a big corpus)."""
        return self.store.metas(spans)

    def article(self, article_id: str) -> Article:
        a = self.store.article(article_id)
        if a is None:
            raise KeyError(f"no article with id {article_id!r}")
        return a

    def meta(self, article_id: str) -> ArticleMeta:
        m = self.store.meta(article_id)
        if m is None:
            raise KeyError(f"no article with id {article_id!r}")
        return m

    def sentences(self, article_id: str) -> list[tuple[int, int]]:
        s = self.store.sentences(article_id)
        if s is None:
            s, _ = analyse(self.article(article_id))
        return [tuple(x) for x in s]

    def keyword_spans(self, article_id: str, text: str | None = None) -> list[tuple[int, int, str]]:
        if text is None:
            text = self.article(article_id).text
        return keyword_spans(text, self.config.highlight_groups)

    # -- search -----------------------------------------------------------------------
    def parse(self, query: str):
        """Validate and parse; raises QueryError with a one-line message."""
        check_query(query, eng.QUERY_FIELDS)
        try:
            return self.engine.parse(query)
        except Exception as exc:  # whoosh parser internals
            raise QueryError(f"cannot parse the query ({exc.__class__.__name__})") from None

    def search(self, query: str, *, limit: int | None = 20, highlights: bool = True) -> SearchResult:
        q = self.parse(query)
        if eng.is_empty(q):
            return SearchResult(query, query, 0, [],
                                notice="nothing left to search for: every word is a stop word (der, die, und …)")
        terms = self.engine.body_terms(q)
        total, ehits = self.engine.search(q, limit, terms)
        hits: list[Hit] = []
        for eh in ehits:
            # one store read per hit: the whole article when its text is needed
            m = self.store.article(eh.id) if highlights else self.store.meta(eh.id)
            if m is None:
                continue
            hit = Hit(eh.id, m.title, m.date, m.outlet, eh.score, eh.count)
            if highlights:
                text = m.text
                offs = eng.term_offsets(text, terms)
                hit.highlights = offs
                hit.count = len(offs)
                hit.snippet = make_snippet(text, offs)
            hits.append(hit)
        return SearchResult(query, query, total, hits)

    def hit_offsets(self, article_id: str, query: str, text: str | None = None) -> list[tuple[int, int]]:
        """Offsets of every hit of ``query`` in the article (stemming-aware, whole text)."""
        q = self.parse(query)
        terms = self.engine.body_terms(q)
        if text is None:
            text = self.article(article_id).text
        return eng.term_offsets(text, terms)

    def doc_frequency(self, term: str) -> int:
        return self.engine.doc_frequency(term)

    # -- claims -----------------------------------------------------------------------
    def claims(self, query: str | None = None, *, article_ids: list[str] | None = None):
        """Claims of the whole corpus, of the articles matching ``query``, or of
        ``article_ids``, and the groups they form across articles.

        Returns (claims, groups) as records from ``index.claims``; ``claims_json``
        gives the CLI contract."""
        from .claims import Claim, group_claims

        ids: list[str] | None = article_ids
        if query:
            res = self.search(query, limit=None, highlights=False)
            ids = [h.id for h in res.hits]
        key = (self._generation, tuple(ids) if ids is not None else None)
        cached = self._claims_cache.get(key)
        if cached is not None:
            return cached
        raw = self.store.claims(ids)
        order = {m.id: (m.date or "9999", m.id) for m in self.store.metas(False)} if ids is None else None
        claims: list[Claim] = []
        for aid in (ids if ids is not None else sorted(raw, key=lambda i: order.get(i, ("", i)))):
            for d in raw.get(aid, []):
                claims.append(Claim.from_json(d))
        n_docs = max(1, self.store.count())
        # The claims' terms are (nearly) all the terms grouping weighs: read their
        # frequencies at once; any other term is looked up when asked for.
        known = self.engine.doc_frequencies(t for c in claims for t in c.terms)

        def doc_frequency(term: str) -> int:
            df = known.get(term)
            return self.engine.doc_frequency(term) if df is None else df

        groups = group_claims(claims, doc_frequency, n_docs)
        out = (claims, groups)
        self._claims_cache = {key: out}
        return out

    def claims_json(self, query: str | None = None) -> dict[str, Any]:
        claims, groups = self.claims(query)
        return {"claims": [c.to_json() for c in claims], "groups": [g.to_json() for g in groups]}

    def article_claims(self, article_id: str):
        from .claims import Claim

        return [Claim.from_json(d) for d in self.store.claims([article_id]).get(article_id, [])]

    def compare(self, a_id: str, b_id: str):
        """Aligned pairs (reuse passages and linked claims) of two articles."""
        from .compare import compare_articles

        a, b = self.article(a_id), self.article(b_id)
        return compare_articles(a.id, a.text, self.article_claims(a.id), b.id, b.text, self.article_claims(b.id),
                                doc_freq=self.doc_frequency, n_docs=max(1, self.store.count()))

    # -- excerpts ---------------------------------------------------------------------
    @property
    def excerpts(self):
        """The excerpt store (``index.excerpts.ExcerptStore``), opened on first use."""
        if self._excerpts is None:
            from .excerpts import ExcerptStore

            self._excerpts = ExcerptStore(self.config.excerpts_path())
            self._excerpts.load()
        return self._excerpts

    def add_excerpt(self, article_id: str, start: int, end: int, *, note: str = "", tags=(), colour: str = "yellow"):
        from .excerpts import ExcerptError, make_excerpt

        a = self.article(article_id)
        if not (0 <= start < end <= len(a.text)):
            raise ExcerptError(f"offsets {start}-{end} are outside article {article_id!r} (length {len(a.text)})")
        ex = make_excerpt(a.id, a.title, a.outlet, a.date, a.url, a.text, start, end,
                          note=note, tags=tags, colour=colour)
        return self.excerpts.add(ex)

    def anchored_excerpts(self, article_id: str | None = None):
        """[(excerpt, Anchor)] with each excerpt found again in the current article text
        (status exact / moved / fuzzy / orphaned; a missing article orphans it)."""
        from .excerpts import Anchor, anchor

        exs = self.excerpts.for_article(article_id) if article_id else self.excerpts.all()
        texts: dict[str, str | None] = {}
        out = []
        for ex in exs:
            if ex.article not in texts:
                a = self.store.article(ex.article)
                texts[ex.article] = a.text if a else None
            t = texts[ex.article]
            out.append((ex, anchor(ex, t) if t is not None else Anchor(None, None, "orphaned")))
        return out

    def export_excerpts(self, fmt: str, *, tag: str | None = None) -> str:
        from .export import export_excerpts

        pairs = self.anchored_excerpts()
        anchors = {ex.id: a.status for ex, a in pairs}
        return export_excerpts([ex for ex, _ in pairs], fmt, tag=tag, anchors=anchors)


def make_snippet(text: str, offsets: list[tuple[int, int]], width: int = 160) -> str:
    """One line of context around the first hit (or the start), whitespace folded."""
    if offsets:
        s, e = offsets[0]
        a = max(0, s - width // 3)
        b = min(len(text), a + width)
    else:
        a, b = 0, min(len(text), width)
    if a > 0:
        sp = text.rfind(" ", 0, a + 1)
        a = sp + 1 if sp >= 0 and a - sp < 20 else a
    piece = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + piece + ("…" if b < len(text) else "")
