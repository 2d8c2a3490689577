"""Messages posted by the worker threads back to the UI: small dataclasses.

Workers never touch widgets; they post one of these (``post_message`` is thread-safe)
and the screen applies it on the event loop.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from index.model import Article, IndexReport, SearchResult


@dataclass
class IndexProgress(Message):
    done: int
    total: int
    name: str


@dataclass
class IndexFinished(Message):
    report: IndexReport | None
    error: str | None = None


@dataclass
class ArticlesLoaded(Message):
    rows: list  # list[tui.widgets.article_list.Row], built in the worker
    index_ready: bool


@dataclass
class SearchFinished(Message):
    seq: int
    query: str
    result: SearchResult
    seconds: float


@dataclass
class SearchFailed(Message):
    seq: int
    query: str
    error: str


@dataclass
class ArticleLoaded(Message):
    seq: int
    article: Article
    hits: list[tuple[int, int]]
    keyword_spans: list[tuple[int, int, str]]
    query: str | None
    focus: bool = False
    error: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class ArticleLoadFailed(Message):
    seq: int
    article_id: str
    error: str


@dataclass
class ExcerptsReloaded(Message):
    """The excerpts of an article, anchored again (after a change in another view)."""

    article_id: str
    pairs: list
    error: str | None = None
