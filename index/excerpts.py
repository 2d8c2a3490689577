"""The excerpt store: passages the user marked, with note, tags and colour.

Nothing the user saved may ever be lost, so this module is careful:

* **One human-readable JSON Lines file** (UTF-8, one excerpt per line, keys in
  a fixed order, ``ensure_ascii=False``).  Its path is chosen by the caller.
* **Atomic saves**: the new content goes to a temp file in the same directory,
  which is flushed, fsynced and moved over the old file with ``os.replace``;
  then the directory is fsynced.  A process killed at any moment leaves either the old
  or the new file, never a half-written one.
* **Locked merge-on-write**: every change takes an exclusive ``fcntl.flock`` on
  the sidecar ``<file>.lock`` (timeout -> :class:`ExcerptError` "excerpts file
  is busy ..."), RE-READS the file and applies *only this change* (add /
  update / delete / restore by id) onto what is on disk.  Two running
  instances therefore never overwrite each other's excerpts.  Conflicts:

  - delete vs. a concurrent update by another instance: the delete wins;
  - update of an excerpt another instance deleted: the edit is NOT lost - the
    excerpt is re-added with the edit applied, and :attr:`ExcerptStore.notice`
    says so (one line);
  - update vs. update: field-level merge - only the fields this call changes
    are written, the other instance's changes to other fields survive;
  - restore of an id that is (again) on disk: the on-disk version is kept.

* **Damaged files are never overwritten.**  A line that is not UTF-8, not
  JSON, not an excerpt record, or a duplicate id marks the file as damaged.
  :meth:`ExcerptStore.load` still returns every good excerpt and sets
  :attr:`ExcerptStore.warning` (one line naming the damaged file).  The next
  save writes to a NEW file beside it,
  ``<stem>.recovered-YYYYmmdd-HHMMSS[-N]<suffix>``, which starts with the
  good excerpts; the damaged file keeps its exact bytes.
  **Which file is read:** if recovered files exist, the newest one (by the
  timestamp in its name) is the live file, otherwise the given path.  So
  later loads find the recovered file again without any pointer file.  To go
  back to the original file after repairing it by hand, move the recovered
  file(s) away.  ``warning`` describes the last :meth:`~ExcerptStore.load`
  or save; once saves go to a clean recovered file, a later load has no
  warning (the damaged file stays beside it for the user to inspect).

Anchoring (:func:`anchor`) re-finds an excerpt in a possibly changed article
text, following the W3C Web Annotation TextQuoteSelector (quote + prefix +
suffix) and TextPositionSelector (start/end) model used by Hypothesis.  See
its docstring for the exact rules; the short version is that it never
silently attaches to a different passage: ambiguity means "orphaned".

Locking needs ``fcntl`` (Linux, macOS, BSD).  Where it is missing (Windows)
saves are still atomic and merge-on-write, but not protected against a second
instance saving in the very same instant.

This module uses only the standard library and imports nothing from
``tui/``, Textual or Rich.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
import threading
import time
import unicodedata
import uuid
from collections import Counter
from difflib import SequenceMatcher
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

try:  # pragma: no cover - platform dependent
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "COLOURS", "CONTEXT", "Anchor", "Excerpt", "ExcerptError", "ExcerptStore",
    "anchor", "atomic_write_bytes", "make_excerpt", "normalise_tags", "text_sha256",
]

COLOURS: tuple[str, ...] = ("yellow", "green", "blue", "red", "purple")
CONTEXT = 32  # characters of prefix / suffix stored with each excerpt
LOCK_TIMEOUT = 5.0  # seconds


class ExcerptError(Exception):
    """Any problem with excerpts; ``str(exc)`` is one line meant for the user."""


def _one_line(s: str, limit: int = 160) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _now() -> str:
    """ISO 8601 UTC timestamp with milliseconds, e.g. ``2024-10-31T12:00:00.123Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


_TAG_SPACE = re.compile(r"\s+")


def normalise_tags(tags: Iterable[str] | str | None) -> list[str]:
    """Clean a tag list: strip, drop a leading ``#``, inner whitespace -> ``-``,
    drop empties and (case-insensitive) duplicates, keep first-seen order.

    A single string is accepted and split on commas/whitespace.
    """
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags)
    out: list[str] = []
    seen: set[str] = set()
    try:
        items = list(tags)
    except TypeError:
        raise ExcerptError(f"tags must be a list of strings, not {type(tags).__name__}") from None
    for t in items:
        if not isinstance(t, str):
            raise ExcerptError(f"tags must be strings, got {type(t).__name__}")
        t = _TAG_SPACE.sub("-", t.strip().lstrip("#").strip())
        if not t or t.casefold() in seen:
            continue
        seen.add(t.casefold())
        out.append(t)
    return out


def _check_colour(colour: Any) -> str:
    if not isinstance(colour, str) or colour.strip().lower() not in COLOURS:
        raise ExcerptError(f"unknown colour {colour!r} (use one of: {', '.join(COLOURS)})")
    return colour.strip().lower()


def _opt_str(name: str, v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    raise ExcerptError(f"excerpt field {name!r} must be a string, got {type(v).__name__}")


def _req_str(name: str, v: Any) -> str:
    if isinstance(v, str):
        return v
    raise ExcerptError(f"excerpt field {name!r} must be a string, got {type(v).__name__}")


def _int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ExcerptError(f"excerpt field {name!r} must be an integer, got {v!r}")
    return v


# --------------------------------------------------------------------------- record

_FIELD_ORDER = ("id", "article", "title", "outlet", "date", "url", "quote", "prefix", "suffix",
                "start", "end", "text_hash", "note", "tags", "colour", "created", "updated")
# fields a caller may change through ExcerptStore.update()
_UPDATABLE = frozenset(_FIELD_ORDER) - {"id", "created", "updated"}


@dataclass
class Excerpt:
    """One saved passage.

    ``start``/``end`` are character offsets into the article text at save time,
    ``quote == text[start:end]``; ``prefix``/``suffix`` are up to :data:`CONTEXT`
    characters before/after it; ``text_hash`` is the sha256 of the whole text.
    ``extra`` keeps unknown keys read from the file so they survive a rewrite.
    """

    id: str
    article: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    text_hash: str
    note: str = ""
    tags: list[str] = field(default_factory=list)
    colour: str = "yellow"
    created: str = ""
    updated: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: getattr(self, k) for k in _FIELD_ORDER}
        d["tags"] = list(self.tags)
        for k, v in self.extra.items():
            if k not in d:
                d[k] = v
        return d

    @classmethod
    def from_json(cls, d: Any) -> "Excerpt":
        """Build from a JSON object; raises :class:`ExcerptError` (one line) if it
        is not a valid excerpt record.  Unknown keys are kept in ``extra``."""
        if not isinstance(d, dict):
            raise ExcerptError(f"excerpt record must be a JSON object, got {type(d).__name__}")
        for k in ("id", "article", "quote", "start", "end"):
            if k not in d:
                raise ExcerptError(f"excerpt record lacks {k!r}")
        ex = cls(
            id=_req_str("id", d["id"]),
            article=_req_str("article", d["article"]),
            title=_opt_str("title", d.get("title")),
            outlet=_opt_str("outlet", d.get("outlet")),
            date=_opt_str("date", d.get("date")),
            url=_opt_str("url", d.get("url")),
            quote=_req_str("quote", d["quote"]),
            prefix=_req_str("prefix", d.get("prefix", "")),
            suffix=_req_str("suffix", d.get("suffix", "")),
            start=_int("start", d["start"]),
            end=_int("end", d["end"]),
            text_hash=_req_str("text_hash", d.get("text_hash", "")),
            note=_req_str("note", d.get("note", "")),
            tags=normalise_tags(d.get("tags") or []),
            colour=_check_colour(d.get("colour", "yellow")),
            created=_req_str("created", d.get("created", "")),
            updated=_req_str("updated", d.get("updated", "")),
            extra={k: v for k, v in d.items() if k not in _FIELD_ORDER},
        )
        if not ex.id.strip():
            raise ExcerptError("excerpt record has an empty id")
        if not (0 <= ex.start < ex.end):
            raise ExcerptError(f"excerpt {ex.id}: bad offsets start={ex.start} end={ex.end}")
        return ex

    def to_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(", ", ": "))

    def copy(self, **changes: Any) -> "Excerpt":
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["tags"] = list(self.tags)
        d["extra"] = dict(self.extra)
        d.update(changes)
        return Excerpt(**d)


def make_excerpt(article_id: str, title: str | None, outlet: str | None, date: str | None,
                 url: str | None, text: str, start: int, end: int, note: str = "",
                 tags: Iterable[str] = (), colour: str = "yellow") -> Excerpt:
    """A new excerpt of ``text[start:end]`` with context, hash, id and timestamps."""
    if not isinstance(text, str):
        raise ExcerptError(f"article text must be a string, got {type(text).__name__}")
    if not isinstance(article_id, str) or not article_id.strip():
        raise ExcerptError("an excerpt needs an article id")
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) \
            or not isinstance(end, int):
        raise ExcerptError(f"selection offsets must be integers, got {start!r}..{end!r}")
    if not (0 <= start < end <= len(text)):
        raise ExcerptError(f"empty or out-of-range selection {start}..{end} "
                           f"(article has {len(text)} characters)")
    for name, v in (("title", title), ("outlet", outlet), ("date", date), ("url", url)):
        _opt_str(name, v)
    if not isinstance(note, str):
        raise ExcerptError("note must be a string")
    now = _now()
    return Excerpt(
        id=_new_id(), article=article_id, title=title, outlet=outlet, date=date, url=url,
        quote=text[start:end], prefix=text[max(0, start - CONTEXT):start],
        suffix=text[end:end + CONTEXT], start=start, end=end, text_hash=text_sha256(text),
        note=note, tags=normalise_tags(tags), colour=_check_colour(colour),
        created=now, updated=now,
    )


# --------------------------------------------------------------------------- anchoring

@dataclass(frozen=True)
class Anchor:
    """Where an excerpt sits in the current text.

    status: "exact"    - same offsets, quote unchanged there;
            "moved"    - the quote was found at other offsets;
            "fuzzy"    - found only after normalising whitespace, quote marks,
                         dashes and invisible characters (offsets cover the
                         changed passage in the current text);
            "orphaned" - not found, or found several times without a unique
                         best context (start/end are None).
    """

    start: int | None
    end: int | None
    status: str


# How much of the stored context must still surround an occurrence, as the
# share of prefix+suffix characters that difflib can match (tolerates small
# edits right next to the quote).  Unrelated German contexts typically share
# well under half of their characters.
_MIN_SIM = 0.75
# With several occurrences the best must beat the runner-up by this much.
_MIN_MARGIN = 0.15
# A quote with this many letters/digits that occurs exactly once is accepted
# even when its context was rewritten.
_LONG_QUOTE = 24
_MAX_CANDIDATES = 50
# ... and the stored context must continue unchanged on at least one side for
# this many characters (or all of that side when it is shorter).
_MIN_RUN = 8


def _runs(text: str, s: int, e: int, prefix: str, suffix: str) -> tuple[int, int]:
    """Lengths of the exact context runs right before and right after ``text[s:e]``."""
    i, j = s - 1, len(prefix) - 1
    while i >= 0 and j >= 0 and text[i] == prefix[j]:
        i -= 1
        j -= 1
    before = len(prefix) - 1 - j
    i, j = e, 0
    while i < len(text) and j < len(suffix) and text[i] == suffix[j]:
        i += 1
        j += 1
    return before, j


def _abuts(text: str, s: int, e: int, prefix: str, suffix: str) -> bool:
    """The stored context continues unchanged for a while on at least one side
    of the occurrence (a difflib match on shifted text alone is not enough)."""
    b, a = _runs(text, s, e, prefix, suffix)
    return (bool(prefix) and b >= min(_MIN_RUN, len(prefix))) or \
        (bool(suffix) and a >= min(_MIN_RUN, len(suffix)))


def _matched(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a == b:
        return len(a)
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def _ctx_sim(text: str, s: int, e: int, prefix: str, suffix: str) -> float:
    """Share (0..1) of the stored prefix+suffix characters found around ``text[s:e]``."""
    total = len(prefix) + len(suffix)
    if total == 0:
        return 0.0
    before = text[max(0, s - len(prefix)):s]
    after = text[e:e + len(suffix)]
    return (_matched(prefix, before) + _matched(suffix, after)) / total


def _occurrences(hay: str, needle: str) -> list[int]:
    out, i = [], hay.find(needle)
    while i != -1:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def _choose(text: str, quote: str, prefix: str, suffix: str, old_start: int) -> int | None:
    """Start of the occurrence of ``quote`` in ``text`` that is the stored
    passage, or None when there is none or no safe choice (see :func:`anchor`)."""
    occ = _occurrences(text, quote)
    if not occ:
        return None
    if len(occ) > _MAX_CANDIDATES:
        keep = sorted(occ, key=lambda s: -sum(_runs(text, s, s + len(quote), prefix, suffix)))
        occ = sorted(set(keep[:_MAX_CANDIDATES]) | ({old_start} & set(occ)))
    sims = {s: _ctx_sim(text, s, s + len(quote), prefix, suffix)
            if _abuts(text, s, s + len(quote), prefix, suffix) else 0.0 for s in occ}
    ranked = sorted(occ, key=lambda s: -sims[s])
    best = ranked[0]
    runner = sims[ranked[1]] if len(ranked) > 1 else None
    # the quote is still at the stored offsets, with its context about as well
    # preserved as anywhere else: it has not moved
    if old_start in sims and sims[old_start] >= _MIN_SIM and sims[old_start] > sims[best] - _MIN_MARGIN:
        return old_start
    long_unique = runner is None and sum(ch.isalnum() for ch in quote) >= _LONG_QUOTE
    if sims[best] < _MIN_SIM and not long_unique:
        return None
    if runner is not None and sims[best] - runner < _MIN_MARGIN:
        return None
    return best


_FOLD = {
    "\u201e": '"', "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'",
    "\u203a": "'", "\u2032": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2212": "-",
}
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def _fold(s: str) -> tuple[str, list[int]]:
    """Normalise for fuzzy matching; returns the folded string and, for every
    folded character, the index of the original character it came from.
    Whitespace runs become one space, quote marks/dashes are unified,
    invisible characters are dropped, NFC is applied per character."""
    out: list[str] = []
    idx: list[int] = []
    prev_space = False
    for i, ch in enumerate(s):
        if ch in _INVISIBLE:
            continue
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                idx.append(i)
            prev_space = True
            continue
        prev_space = False
        ch = _FOLD.get(ch, ch)
        ch = unicodedata.normalize("NFC", ch)
        for c in ch:
            out.append(c)
            idx.append(i)
    return "".join(out), idx


def anchor(ex: Excerpt, text: str) -> Anchor:
    """Re-find ``ex`` in ``text``.

    1. Same text hash and ``text[start:end] == quote``, or quote unchanged at
       the stored offsets with the stored prefix and suffix intact -> "exact".
    2. Otherwise every occurrence of the quote is scored by the share of the
       stored prefix+suffix characters that still surround it (difflib
       matching, so an edit right next to the quote costs only a few points);
       an occurrence scores 0 unless the stored context continues unchanged
       for >= 8 characters (or the whole stored side) on at least one side.
       - the stored offsets win ("exact") if they still hold the quote with
         score >= 0.75 and no other occurrence scores 0.15 higher;
       - else the best occurrence wins ("moved") if its score is >= 0.75 (or
         it is the only occurrence of a quote with >= 24 letters/digits) and
         it beats the runner-up by >= 0.15;
       - else "orphaned": a repeated quote whose contexts are alike (e.g. a
         paragraph printed twice) is never guessed.
    3. Failing that, the same search on texts normalised for whitespace,
       quote marks, dashes and invisible characters -> "fuzzy".
    4. Else "orphaned".
    """
    if not isinstance(text, str):
        raise ExcerptError(f"article text must be a string, got {type(text).__name__}")
    q, s0, e0 = ex.quote, ex.start, ex.end
    if not q:
        return Anchor(None, None, "orphaned")
    if 0 <= s0 < e0 <= len(text) and text[s0:e0] == q:
        if ex.text_hash and ex.text_hash == text_sha256(text):
            return Anchor(s0, e0, "exact")
        if text[max(0, s0 - len(ex.prefix)):s0] == ex.prefix and text[e0:e0 + len(ex.suffix)] == ex.suffix:
            return Anchor(s0, e0, "exact")
    s = _choose(text, q, ex.prefix, ex.suffix, s0)
    if s is not None:
        return Anchor(s, s + len(q), "exact" if s == s0 else "moved")
    fq, _ = _fold(q)
    fq = fq.strip()
    if fq:
        ft, idx = _fold(text)
        fp, _ = _fold(ex.prefix)
        fs, _ = _fold(ex.suffix)
        fs_ = _choose(ft, fq, fp, fs, -1)
        if fs_ is not None:
            start = idx[fs_]
            end = idx[fs_ + len(fq) - 1] + 1
            return Anchor(start, end, "exact" if (start, end) == (s0, e0) else "fuzzy")
    return Anchor(None, None, "orphaned")


# --------------------------------------------------------------------------- files

def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(str(d), os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, tmp_prefix: str | None = None) -> None:
    """Replace ``path`` by ``data`` atomically (temp file in the same directory,
    flush + fsync, ``os.replace``, fsync of the directory).  Keeps the old
    file's permission bits.  Raises :class:`ExcerptError` on failure."""
    p = Path(path)
    d = p.parent
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExcerptError(f"cannot create directory {d}: {e.strerror or e}") from None
    if p.is_dir():
        raise ExcerptError(f"cannot write {p}: it is a directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=str(d), prefix=tmp_prefix or f".{p.name}.", suffix=".tmp")
    except OSError as e:
        raise ExcerptError(f"cannot write in {d}: {e.strerror or e}") from None
    try:
        try:
            mode = os.stat(p).st_mode & 0o777
            os.fchmod(fd, mode)
        except (OSError, AttributeError):
            pass
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise ExcerptError(f"cannot save {p}: {e.strerror or e}") from None
        raise
    _fsync_dir(d)


@dataclass
class _Parsed:
    path: Path
    excerpts: list[Excerpt]
    damage: list[str]  # one short description per bad line
    exists: bool


def _parse_file(path: Path) -> _Parsed:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _Parsed(path, [], [], False)
    except IsADirectoryError:
        raise ExcerptError(f"excerpts path {path} is a directory") from None
    except OSError as e:
        raise ExcerptError(f"cannot read excerpts file {path}: {e.strerror or e}") from None
    out: list[Excerpt] = []
    damage: list[str] = []
    seen: set[str] = set()
    lines = data.split(b"\n")
    for no, raw in enumerate(lines, 1):
        if no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            damage.append(f"line {no}: not UTF-8")
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            last = no == len(lines)
            damage.append(f"line {no}: {'truncated' if last else 'invalid JSON'}")
            continue
        try:
            ex = Excerpt.from_json(obj)
        except ExcerptError as e:
            damage.append(f"line {no}: {e}")
            continue
        if ex.id in seen:
            damage.append(f"line {no}: duplicate id {ex.id}")
            continue
        seen.add(ex.id)
        out.append(ex)
    return _Parsed(path, out, damage, True)


def _serialise(excerpts: list[Excerpt]) -> bytes:
    # A lone surrogate (from badly decoded input) can only sit inside a JSON
    # string; "backslashreplace" writes it as the JSON escape \udcxx, which
    # is valid UTF-8 and reads back as the same character.
    return "".join(ex.to_line() + "\n" for ex in excerpts).encode("utf-8", "backslashreplace")


_REC_RE = r"\.recovered-(\d{8}-\d{6})(?:-(\d+))?"


class ExcerptStore:
    """The excerpts of one JSON Lines file (see the module docstring).

    ``warning``: one line when the file was found damaged, else None.
    ``notice``:  one line about the last operation when a conflict with another
                 instance was resolved (e.g. an edited excerpt re-added), else None.
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        if not str(path).strip():
            raise ExcerptError("excerpts file path is empty")
        self.path = Path(path).expanduser()
        # write through symlinks (e.g. a file linked into a synced folder)
        self._base = Path(os.path.realpath(self.path))
        self.lock_timeout = float(lock_timeout)
        self.warning: str | None = None
        self.notice: str | None = None
        self._items: list[Excerpt] = []
        self._loaded = False
        self._tlock = threading.RLock()
        self.active_path: Path = self._base

    # ---- file resolution -------------------------------------------------
    def _recovered_files(self) -> list[Path]:
        b = self._base
        pat = re.compile(re.escape(b.stem) + _REC_RE + re.escape(b.suffix) + r"\Z")
        found = []
        try:
            names = os.listdir(b.parent)
        except OSError:
            return []
        for n in names:
            m = pat.match(n)
            if m:
                found.append(((m.group(1), int(m.group(2) or 0)), b.parent / n))
        return [p for _, p in sorted(found)]

    def _resolve_active(self) -> Path:
        rec = self._recovered_files()
        return rec[-1] if rec else self._base

    def _new_recovered_path(self) -> Path:
        b = self._base
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        n = 0
        while True:
            name = f"{b.stem}.recovered-{stamp}{'' if n == 0 else f'-{n}'}{b.suffix}"
            p = b.parent / name
            if not p.exists():
                return p
            n += 1

    def _damage_warning(self, parsed: _Parsed, target: Path | None) -> str:
        first = parsed.damage[0]
        more = f" and {len(parsed.damage) - 1} more" if len(parsed.damage) > 1 else ""
        where = f"saves go to {target.name}" if target else "it will not be overwritten"
        return _one_line(f"excerpts file {parsed.path} is damaged ({first}{more}); "
                         f"kept untouched, {len(parsed.excerpts)} good excerpts loaded, {where}", 300)

    # ---- locking -----------------------------------------------------------
    def _lock(self):
        return _FileLock(Path(str(self._base) + ".lock"), self.lock_timeout)

    def _clean_stale_temps(self) -> None:
        # Only called while holding the lock: no other writer can be mid-save,
        # so temp files left by a killed process are garbage.
        prefix = f".{self._base.name}."
        try:
            for n in os.listdir(self._base.parent):
                if n.startswith(prefix) and n.endswith(".tmp"):
                    try:
                        os.unlink(self._base.parent / n)
                    except OSError:
                        pass
        except OSError:
            pass

    # ---- reading -----------------------------------------------------------
    def load(self) -> list[Excerpt]:
        """Read the live file (no lock needed: saves are atomic).  Damaged
        lines are skipped, ``warning`` is set; the file is never written here."""
        with self._tlock:
            active = self._resolve_active()
            parsed = _parse_file(active)
            self.active_path = active
            self.warning = self._damage_warning(parsed, None) if parsed.damage else None
            self._items = parsed.excerpts
            self._loaded = True
            return [ex.copy() for ex in self._items]

    def _ensure(self) -> None:
        if not self._loaded:
            self.load()

    def all(self) -> list[Excerpt]:
        with self._tlock:
            self._ensure()
            return [ex.copy() for ex in self._items]

    def get(self, id: str) -> Excerpt | None:
        with self._tlock:
            self._ensure()
            for ex in self._items:
                if ex.id == id:
                    return ex.copy()
            return None

    def for_article(self, article_id: str) -> list[Excerpt]:
        with self._tlock:
            self._ensure()
            return sorted((ex.copy() for ex in self._items if ex.article == article_id),
                          key=lambda e: (e.start, e.end))

    def tags(self) -> list[str]:
        """Every tag in use, most used first (ties alphabetical, case-insensitive)."""
        with self._tlock:
            self._ensure()
            c: Counter[str] = Counter()
            for ex in self._items:
                c.update(ex.tags)
            return sorted(c, key=lambda t: (-c[t], t.casefold(), t))

    def __len__(self) -> int:
        with self._tlock:
            self._ensure()
            return len(self._items)

    # ---- writing -----------------------------------------------------------
    def _mutate(self, op):
        """Lock, re-read the live file, apply ``op(list) -> result`` onto it,
        save atomically (to a new recovered file if the live one is damaged)."""
        with self._tlock, self._lock():
            self._clean_stale_temps()
            active = self._resolve_active()
            parsed = _parse_file(active)
            items = list(parsed.excerpts)
            result = op(items)
            target = active
            if parsed.damage:
                target = self._new_recovered_path()
                self.warning = self._damage_warning(parsed, target)
            atomic_write_bytes(target, _serialise(items), tmp_prefix=f".{self._base.name}.")
            self.active_path = target
            self._items = items
            self._loaded = True
            return result

    def add(self, ex: Excerpt) -> Excerpt:
        """Save a new excerpt.  Raises if its id is already in the file."""
        if not isinstance(ex, Excerpt):
            raise ExcerptError(f"can only add an Excerpt, got {type(ex).__name__}")
        ex = Excerpt.from_json(ex.to_json())  # validate + detach from the caller's object
        if not ex.created:
            ex.created = _now()
        if not ex.updated:
            ex.updated = ex.created
        self.notice = None

        def op(items: list[Excerpt]) -> Excerpt:
            if any(e.id == ex.id for e in items):
                raise ExcerptError(f"an excerpt with id {ex.id} already exists")
            items.append(ex)
            return ex.copy()
        return self._mutate(op)

    def update(self, id: str, /, **fields_: Any) -> Excerpt:
        """Change some fields (note, tags, colour, ... - not id/created) and bump
        ``updated``.  Only these fields are written over the on-disk record.
        If another instance deleted the excerpt meanwhile, it is re-added with
        this edit applied and ``notice`` says so."""
        bad = set(fields_) - _UPDATABLE
        if bad:
            raise ExcerptError(f"cannot update excerpt field(s): {', '.join(sorted(bad))}")
        self.notice = None
        with self._tlock:
            self._ensure()
            mine = next((e for e in self._items if e.id == id), None)

        def apply(base: Excerpt) -> Excerpt:
            d = base.to_json()
            d.update(fields_)
            if "tags" in fields_:
                d["tags"] = normalise_tags(fields_["tags"])
            d["updated"] = _now()
            new = Excerpt.from_json(d)  # validates colour, types, offsets
            new.extra = dict(base.extra)
            return new

        def op(items: list[Excerpt]) -> Excerpt:
            for i, e in enumerate(items):
                if e.id == id:
                    items[i] = apply(e)
                    return items[i].copy()
            if mine is None:
                raise ExcerptError(f"no excerpt with id {id}")
            new = apply(mine)
            items.append(new)
            self.notice = (f"excerpt {id} had been deleted by another coverage-tui; "
                           f"your edit re-added it")
            return new.copy()
        return self._mutate(op)

    def delete(self, id: str) -> Excerpt:
        """Remove an excerpt and return it (pass it to :meth:`restore` to undo).
        If another instance already deleted it, the last known copy is returned."""
        self.notice = None
        with self._tlock:
            self._ensure()
            mine = next((e for e in self._items if e.id == id), None)

        def op(items: list[Excerpt]) -> Excerpt:
            for i, e in enumerate(items):
                if e.id == id:
                    return items.pop(i).copy()
            if mine is None:
                raise ExcerptError(f"no excerpt with id {id}")
            return mine.copy()
        return self._mutate(op)

    def restore(self, ex: Excerpt) -> Excerpt:
        """Put a deleted excerpt back, at its place in creation order.  If the id
        is on disk again (re-added elsewhere), the on-disk version is kept."""
        if not isinstance(ex, Excerpt):
            raise ExcerptError(f"can only restore an Excerpt, got {type(ex).__name__}")
        ex = Excerpt.from_json(ex.to_json())
        self.notice = None

        def op(items: list[Excerpt]) -> Excerpt:
            for e in items:
                if e.id == ex.id:
                    return e.copy()
            pos = next((i for i, e in enumerate(items) if e.created > ex.created), len(items))
            items.insert(pos, ex)
            return ex.copy()
        return self._mutate(op)


class _FileLock:
    """Exclusive ``flock`` on a sidecar file, polled until ``timeout``."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> "_FileLock":
        if fcntl is None:  # pragma: no cover
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(str(self.path), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise ExcerptError(f"cannot open lock file {self.path}: {e.strerror or e}") from None
        deadline = time.monotonic() + max(0.0, self.timeout)
        delay = 0.005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(self.fd)
                    self.fd = None
                    raise ExcerptError(f"cannot lock {self.path}: {e.strerror or e}") from None
            if time.monotonic() >= deadline:
                os.close(self.fd)
                self.fd = None
                raise ExcerptError("excerpts file is busy (another coverage-tui is saving)")
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def __exit__(self, *exc: Any) -> None:
        if self.fd is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None
