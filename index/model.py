"""Plain data records shared by every part of ``index/`` (and read by ``tui/``).

Nothing here knows about Whoosh, SQLite or Textual.  Offsets are always
character offsets (Python ``str`` indices) into ``Article.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A marked region of an article's text.

    kind:   "boilerplate" (ads, login prompts, related headlines, captions),
            "duplicate"   (a paragraph that repeats an earlier one),
            "meta"        (a metadata line such as ``date 2024-10``).
    reason: a short human-readable why, e.g. "advertisement label".
    """

    start: int
    end: int
    kind: str
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind, "reason": self.reason}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Span":
        return cls(int(d["start"]), int(d["end"]), str(d["kind"]), str(d.get("reason", "")))


@dataclass
class Article:
    """One article as read from the corpus, after text hygiene.

    id:     stable id: path relative to the corpus root (``a/b.txt``); for
            jsonl/csv one record per line: ``feed.jsonl#12`` (1-based record number).
    date:   ISO date, partial allowed ("2024", "2024-10", "2024-10-31") or None.
    text:   the full cleaned text, boilerplate included (it is marked by ``spans``).
    path:   the absolute source path (for jsonl/csv the file holding the record).
    """

    id: str
    title: str
    text: str
    date: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    path: str = ""
    spans: list[Span] = field(default_factory=list)

    @property
    def length(self) -> int:
        return len(self.text)

    def meta_json(self) -> dict[str, Any]:
        """Everything but the text (the `articles --json` record)."""
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "outlet": self.outlet,
            "author": self.author,
            "url": self.url,
            "length": self.length,
            "boilerplate": [s.to_json() for s in self.spans],
        }

    def to_json(self) -> dict[str, Any]:
        d = self.meta_json()
        d["path"] = self.path
        d["text"] = self.text
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Article":
        return cls(
            id=d["id"], title=d.get("title") or "", text=d.get("text") or "",
            date=d.get("date"), outlet=d.get("outlet"), author=d.get("author"),
            url=d.get("url"), path=d.get("path") or "",
            spans=[Span.from_json(s) for s in d.get("boilerplate", [])],
        )


class SkipFile(Exception):
    """Raised by a reader when a file cannot be used; ``str(exc)`` is the one-line reason."""


@dataclass
class ArticleMeta:
    """An article without its text: what the article list shows (fast to load for 100k)."""

    id: str
    title: str
    date: str | None
    outlet: str | None
    author: str | None
    url: str | None
    length: int
    spans: list[Span] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "date": self.date, "outlet": self.outlet,
            "author": self.author, "url": self.url, "length": self.length,
            "boilerplate": [s.to_json() for s in self.spans],
        }


@dataclass
class Hit:
    id: str
    title: str
    date: str | None
    outlet: str | None
    score: float
    count: int = 0                       # occurrences of the query's terms in the body
    snippet: str = ""
    highlights: list[tuple[int, int]] | None = None   # filled when asked for (CLI, reader)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "date": self.date, "outlet": self.outlet,
            "score": round(self.score, 4), "count": self.count, "snippet": self.snippet,
            "highlights": [[s, e] for s, e in (self.highlights or [])],
        }


@dataclass
class SearchResult:
    """query: what the user typed; searched: what was actually searched (differs when repaired);
    notice: one line telling the user about a repair, else None."""

    query: str
    searched: str
    total: int
    hits: list[Hit]
    notice: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}
        if self.searched != self.query:
            d["searched"] = self.searched
        if self.notice:
            d["notice"] = self.notice
        return d


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    rebuilt: bool = False
    seconds: float = 0.0
    notice: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged, "rebuilt": self.rebuilt, "seconds": round(self.seconds, 3),
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "notice": self.notice,
        }
