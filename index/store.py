"""SQLite side store of the index: article records (metadata, text, spans),
their sentences and claims, and the fingerprints of the files they came from.

Derived data like the Whoosh index: it can always be rebuilt from the
articles. One connection, guarded by a lock, usable from worker threads.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from pathlib import Path
from typing import Any, Iterable

from .model import Article, ArticleMeta, Span

STORE_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, status TEXT, reason TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT, title TEXT, date TEXT, outlet TEXT, author TEXT, url TEXT,
    length INTEGER, spans TEXT, text BLOB, text_hash TEXT,
    sentences TEXT, claims TEXT
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
-- covering index for the article list: a scan of it skips the text pages (100k: 0.37 -> 0.12 s)
CREATE INDEX IF NOT EXISTS articles_meta ON articles(id, title, date, outlet, author, url, length);
"""


class StoreError(Exception):
    pass


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=5.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"article store {self.path} is damaged ({exc})") from None
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- meta -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
            return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- files ------------------------------------------------------------------------
    def files(self) -> dict[str, tuple[int, int, str, str]]:
        with self._lock:
            return {r[0]: (r[1], r[2], r[3], r[4]) for r in self._db.execute("SELECT * FROM files")}

    def set_file(self, path: str, mtime_ns: int, size: int, status: str, reason: str = "") -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                             (path, mtime_ns, size, status, reason))

    def delete_file(self, path: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM files WHERE path=?", (path,))

    def skipped(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(r[0], r[1]) for r in self._db.execute(
                "SELECT path, reason FROM files WHERE status='skipped' ORDER BY path")]

    # -- articles -----------------------------------------------------------------------
    def article_ids_for(self, path: str) -> dict[str, str]:
        """id -> text_hash of the articles read from ``path``."""
        with self._lock:
            return {r[0]: r[1] for r in self._db.execute(
                "SELECT id, text_hash FROM articles WHERE path=?", (path,))}

    def counts_by_path(self) -> dict[str, int]:
        with self._lock:
            return {r[0]: r[1] for r in self._db.execute("SELECT path, COUNT(*) FROM articles GROUP BY path")}

    def put_article(self, a: Article, text_hash: str, sentences: str | None, claims: str | None) -> None:
        """``sentences``/``claims`` already serialised to JSON (by ``read_and_analyse``,
        in a worker process for big batches, so the writing process only stores them)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a.id, a.path, a.title, a.date, a.outlet, a.author, a.url, len(a.text),
                 json.dumps([s.to_json() for s in a.spans]), _pack(a.text), text_hash,
                 sentences, claims))

    def delete_article(self, article_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM articles WHERE id=?", (article_id,))

    def commit(self) -> None:
        with self._lock:
            self._db.commit()

    def rollback(self) -> None:
        with self._lock:
            self._db.rollback()

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM articles")
            self._db.execute("DELETE FROM files")
            self._db.commit()

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def metas(self, spans: bool = True) -> list[ArticleMeta]:
        """All article records without text; ``spans=False`` skips decoding the
        boilerplate spans (the list of 100k articles does not need them)."""
        with self._lock:
            if spans:
                rows = self._db.execute(
                    "SELECT id, title, date, outlet, author, url, length, spans FROM articles").fetchall()
            else:
                rows = self._db.execute(
                    "SELECT id, title, date, outlet, author, url, length FROM articles INDEXED BY articles_meta"
                ).fetchall()
        if not spans:
            return [ArticleMeta(r[0], r[1] or "", r[2], r[3], r[4], r[5], r[6] or 0, []) for r in rows]
        return [ArticleMeta(r[0], r[1] or "", r[2], r[3], r[4], r[5], r[6] or 0,
                            [Span.from_json(s) for s in json.loads(r[7] or "[]")]) for r in rows]

    def meta(self, article_id: str) -> ArticleMeta | None:
        with self._lock:
            r = self._db.execute(
                "SELECT id, title, date, outlet, author, url, length, spans FROM articles WHERE id=?",
                (article_id,)).fetchone()
        if r is None:
            return None
        return ArticleMeta(r[0], r[1] or "", r[2], r[3], r[4], r[5], r[6] or 0,
                           [Span.from_json(s) for s in json.loads(r[7] or "[]")])

    def article(self, article_id: str) -> Article | None:
        with self._lock:
            r = self._db.execute(
                "SELECT id, title, date, outlet, author, url, spans, text, path FROM articles WHERE id=?",
                (article_id,)).fetchone()
        if r is None:
            return None
        return Article(id=r[0], title=r[1] or "", text=_unpack(r[7]), date=r[2], outlet=r[3],
                       author=r[4], url=r[5], path=r[8] or "",
                       spans=[Span.from_json(s) for s in json.loads(r[6] or "[]")])

    def text_hash(self, article_id: str) -> str | None:
        with self._lock:
            r = self._db.execute("SELECT text_hash FROM articles WHERE id=?", (article_id,)).fetchone()
        return r[0] if r else None

    def sentences(self, article_id: str) -> list[tuple[int, int]] | None:
        with self._lock:
            r = self._db.execute("SELECT sentences FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None or r[0] is None:
            return None
        return [tuple(x) for x in json.loads(r[0])]

    def claims(self, ids: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
        """The claim records (``Claim.to_json``) of the articles ``ids`` (all: None).
        They are stored without what the row holds anyway (``Claim.to_record``: no
        sentence text, id or article id), so the text is read for those with claims."""
        from .claims import full_record

        with self._lock:
            if ids is None:
                rows = self._db.execute("SELECT id, claims, text FROM articles").fetchall()
            else:
                ids = list(ids)
                rows = []
                for i in range(0, len(ids), 500):
                    chunk = ids[i:i + 500]
                    rows += self._db.execute(
                        f"SELECT id, claims, text FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                        chunk).fetchall()
        out: dict[str, list[dict[str, Any]]] = {}
        for aid, raw, blob in rows:
            records = json.loads(raw) if raw else []
            if records:
                text = _unpack(blob)
                records = [full_record(d, aid, text) for d in records]
            out[aid] = records
        return out
