"""One reader per file format → :class:`Article` records.

``read_file(path, root, …)`` reads .txt .md .markdown .html .htm .jsonl .csv
and returns a list of articles (one for a document, one per record for
jsonl/csv).  A file that cannot be used raises :class:`SkipFile` with a
one-line reason (empty, binary, too large, permission denied, undecodable, no
usable records …).  Bad jsonl/csv records are skipped one by one; pass a list
as ``skipped=`` to learn which and why.

Pipeline per article: bytes → ``decode_bytes`` → ``clean_text`` → metadata
(format metadata first: front matter, HTML metadata, record fields; then what
the text itself says) → boilerplate/duplicate spans → ``overrides`` last.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from index.boilerplate import find_boilerplate, merge_spans
from index.meta import Meta, clean_title, extract_metadata, parse_date
from index.model import Article, SkipFile
from index.text import clean_text, declared_charset, decode_bytes

__all__ = ["SUPPORTED", "FIELDS", "read_file", "SkipFile"]

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv"}
FIELDS = ("title", "text", "date", "outlet", "author", "url")

# Names feeds commonly use for the canonical fields (used when the canonical
# name itself is absent; an explicit field_map always wins).
_ALIASES = {
    "text": ("body", "content", "article", "article_text", "fulltext", "full_text", "maintext", "story", "inhalt", "artikel", "text_content"),
    "title": ("headline", "heading", "titel", "überschrift", "name"),
    "date": ("published", "published_at", "publish_date", "pubdate", "pub_date", "date_published", "datepublished", "datum", "created_at", "timestamp", "time", "datetime"),
    "outlet": ("source", "publisher", "site", "sitename", "site_name", "medium", "quelle", "newspaper", "source_name", "domain", "outlet_name"),
    "author": ("authors", "byline", "autor", "autorin", "creator", "writer"),
    "url": ("link", "href", "permalink", "source_url", "uri", "canonical", "canonical_url"),
}

for _name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


# --------------------------------------------------------------------------- file access


def _fmt_size(n: int) -> str:
    for unit, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= f:
            return f"{n / f:.1f} {unit}"
    return f"{n} bytes"


def _os_skip(e: OSError) -> SkipFile:
    """The one-line skip reason for an error opening or reading a file."""
    if isinstance(e, FileNotFoundError):
        return SkipFile("file not found")
    if isinstance(e, PermissionError):
        return SkipFile("permission denied")
    if isinstance(e, IsADirectoryError):
        return SkipFile("is a directory")
    return SkipFile(f"unreadable: {e.strerror or e.__class__.__name__}")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
    except OSError as e:
        raise _os_skip(e) from None
    if stat.S_ISDIR(st.st_mode):
        raise SkipFile("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise SkipFile("not a regular file")
    if st.st_size == 0:
        raise SkipFile("empty file")
    if st.st_size > max_bytes:
        raise SkipFile(f"too large: {_fmt_size(st.st_size)} ({st.st_size:,} bytes) exceeds the limit of {max_bytes:,} bytes")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise _os_skip(e) from None
    if not data:
        raise SkipFile("empty file")
    if len(data) > max_bytes:
        raise SkipFile(f"too large: more than {max_bytes:,} bytes (file grew while reading)")
    return data


def _rel_id(path: Path, root: Path) -> str:
    ap = Path(os.path.abspath(path))
    ar = Path(os.path.abspath(root))
    if ap == ar:
        return ap.name
    try:
        return ap.relative_to(ar).as_posix()
    except ValueError:
        return ap.name


# --------------------------------------------------------------------------- field helpers


def _one_line(v: Any) -> str | None:
    if v is None or isinstance(v, (dict, bool)):
        return None
    if isinstance(v, (list, tuple)):
        parts = [str(x).strip() for x in v if isinstance(x, (str, int, float)) and str(x).strip()]
        v = ", ".join(parts)
    s = clean_text(str(v))
    s = re.sub(r"\s+", " ", s).strip()
    return s or None


def _text_value(v: Any) -> str:
    if v is None or isinstance(v, (dict, bool)):
        return ""
    if isinstance(v, (list, tuple)):
        return "\n\n".join(str(x) for x in v if isinstance(x, (str, int, float)))
    return str(v)


def _canon_fields(rec: dict[str, Any], field_map: dict[str, str] | None) -> dict[str, Any]:
    """Map a record's keys to the canonical FIELDS (explicit map > canonical > alias)."""
    lower = {str(k).strip().lower(): v for k, v in rec.items()}
    out: dict[str, Any] = {}
    if field_map:
        for src, dst in field_map.items():
            key = str(src).strip().lower()
            if dst in FIELDS and key in lower and lower[key] not in (None, ""):
                out.setdefault(dst, lower[key])
    for f in FIELDS:
        if f in out:
            continue
        if f in lower and lower[f] not in (None, ""):
            out[f] = lower[f]
            continue
        for alias in _ALIASES[f]:
            if alias in lower and lower[alias] not in (None, ""):
                out[f] = lower[alias]
                break
    return out


def _apply_fields(meta: dict[str, Any], fields: dict[str, Any]) -> None:
    """Overlay explicit metadata values (front matter, record fields, overrides)."""
    for k in ("title", "outlet", "author", "url"):
        if k in fields:
            v = _one_line(fields[k])
            if v:
                meta[k] = clean_title(v) if k == "title" else v
    if "date" in fields:
        d = parse_date(fields["date"])
        if d:
            meta["date"] = d


def _build(aid: str, path: Path, text: str, explicit: list[dict[str, Any]], fallback_title: str,
           overrides: dict[str, dict] | None, override_keys: tuple[str, ...]) -> Article:
    """Text (already clean) + layers of explicit metadata → Article."""
    m: Meta = extract_metadata(text)
    values: dict[str, Any] = {"title": m.title, "date": m.date, "outlet": m.outlet, "author": m.author, "url": m.url}
    for layer in explicit:
        _apply_fields(values, layer)
    if overrides:
        for key in override_keys:
            ov = overrides.get(key)
            if isinstance(ov, dict):
                _apply_fields(values, {str(k).lower(): v for k, v in ov.items()})
    spans = merge_spans(list(m.spans) + find_boilerplate(text))
    return Article(
        id=aid,
        title=values["title"] or fallback_title,
        text=text,
        date=values["date"],
        outlet=values["outlet"],
        author=values["author"],
        url=values["url"],
        path=os.path.abspath(path),
        spans=spans,
    )


# --------------------------------------------------------------------------- formats


def _read_txt(path: Path, rel: str, data: bytes, overrides) -> list[Article]:
    text = clean_text(decode_bytes(data))
    if not text:
        raise SkipFile("empty file (only whitespace)")
    return [_build(rel, path, text, [], path.stem, overrides, (rel,))]


_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front-matter dict, body).  Invalid YAML → ({}, body): the block is still
    removed from the text, its values are ignored."""
    if not text.startswith("---\n"):
        return {}, text
    m = _FRONT_END.search(text, 4)
    if not m or text.count("\n", 0, m.start()) > 200:
        return {}, text
    block = text[4:m.start()]
    body = text[m.end():].lstrip("\n")
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except Exception:  # yaml.YAMLError and anything odd the parser raises
        return {}, body
    if not isinstance(data, dict):
        return {}, body
    return {str(k).strip().lower(): v for k, v in data.items()}, body


def _read_md(path: Path, rel: str, data: bytes, overrides) -> list[Article]:
    text = clean_text(decode_bytes(data))
    front, body = split_front_matter(text)
    body = body.strip()
    if not body:
        raise SkipFile("empty file (no text after front matter)" if front or text else "empty file (only whitespace)")
    fields = _canon_fields(front, None) if front else {}
    return [_build(rel, path, body, [fields], path.stem, overrides, (rel,))]


# ---- HTML

_SKIP_TAGS = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg", "iframe",
              "template", "button", "select", "option", "canvas", "object", "embed", "menu", "dialog"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
               "blockquote", "pre", "table", "tr", "figure", "figcaption", "dl", "dt", "dd", "address", "hr", "body"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "source", "track", "wbr", "param"}


class _DumpParser(HTMLParser):
    """Stdlib fallback: visible text with paragraph breaks, plus <title>/<meta>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
            return
        if tag in _VOID:
            if tag == "br" and not self.skip_depth:
                self.parts.append("\n")
            return
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK_TAGS and not self.skip_depth:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK_TAGS and not self.skip_depth:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        raw = "".join(self.parts)
        paras = [re.sub(r"[ \t\r\f\v]+", " ", p).strip() for p in re.split(r"\n\s*\n", raw)]
        paras = ["\n".join(x.strip() for x in p.split("\n") if x.strip()) for p in paras]
        return "\n\n".join(p for p in paras if p)


def _tei_text(body) -> str:
    """Paragraphs of trafilatura's TEI-like body, separated by blank lines."""
    blocks: list[str] = []

    def inline(el) -> str:
        out: list[str] = [el.text or ""]
        for ch in el:
            if ch.tag == "lb":
                out.append("\n")
            else:
                out.append(inline(ch))
            out.append(ch.tail or "")
        return "".join(out)

    for el in body:
        tag = el.tag
        if tag == "list":
            items = [re.sub(r"\s+", " ", inline(it)).strip() for it in el.iter("item")]
            items = [f"- {x}" for x in items if x]
            if items:
                blocks.append("\n".join(items))
        elif tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [re.sub(r"\s+", " ", inline(c)).strip() for c in row.iter("cell")]
                if any(cells):
                    rows.append(" | ".join(cells))
            if rows:
                blocks.append("\n".join(rows))
        else:
            t = inline(el)
            t = "\n".join(re.sub(r"[ \t]+", " ", x).strip() for x in t.split("\n"))
            t = t.strip()
            if t:
                blocks.append(t)
    return "\n\n".join(blocks)


def _html_extract(html: str) -> tuple[str, dict[str, Any]]:
    """(text, metadata) via trafilatura; ("", {}) when it finds nothing."""
    try:
        import trafilatura  # imported lazily: it is only needed for HTML
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
            deduplicate=False, date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        return "", {}
    if doc is None:
        return "", {}
    body = getattr(doc, "body", None)
    text = _tei_text(body) if body is not None and len(body) else (getattr(doc, "text", "") or "")
    meta = {
        "title": getattr(doc, "title", None),
        "date": getattr(doc, "date", None),
        "outlet": getattr(doc, "sitename", None),
        "author": getattr(doc, "author", None),
        "url": getattr(doc, "url", None),
    }
    return text, {k: v for k, v in meta.items() if v}


def _html_fallback(html: str) -> tuple[str, dict[str, Any]]:
    p = _DumpParser()
    try:
        p.feed(html)
        p.close()
    except Exception:  # HTMLParser is lenient, but be safe on pathological input
        pass
    m = p.meta
    meta = {
        "title": m.get("og:title") or m.get("twitter:title") or p.title.strip() or None,
        "date": m.get("article:published_time") or m.get("date") or m.get("datepublished") or m.get("pubdate")
        or m.get("dc.date") or m.get("dcterms.date"),
        "outlet": m.get("og:site_name") or m.get("application-name") or m.get("publisher"),
        "author": m.get("author") or m.get("article:author"),
        "url": m.get("og:url") or m.get("canonical"),
    }
    return p.text(), {k: v for k, v in meta.items() if v}


def _read_html(path: Path, rel: str, data: bytes, overrides) -> list[Article]:
    html = decode_bytes(data, declared=declared_charset(data))
    text, meta = _html_extract(html)
    text = clean_text(text)
    if not text:
        text, fb_meta = _html_fallback(html)
        text = clean_text(text)
        meta = {**fb_meta, **meta}
    if not text:
        raise SkipFile("no text found in HTML")
    return [_build(rel, path, text, [meta], path.stem, overrides, (rel,))]


# ---- record formats


_LOOKS_HTML = re.compile(r"</(?:p|div|h[1-6]|li|ul|ol|blockquote|span|a)>|<br\s*/?>|<p[\s>]", re.I)


def _records_to_articles(path: Path, rel: str, records, field_map, overrides, skipped) -> list[Article]:
    """records: iterable of (n, dict | None, error-reason | None)."""
    out: list[Article] = []
    bad: list[tuple[str, str]] = []
    for n, rec, err in records:
        aid = f"{rel}#{n}"
        if err:
            bad.append((aid, err))
            continue
        fields = _canon_fields(rec, field_map)
        raw = _text_value(fields.pop("text", None))
        if _LOOKS_HTML.search(raw[:5000]):
            raw = _html_fallback(raw)[0]  # feeds often carry the body as HTML
        text = clean_text(raw)
        if not text:
            bad.append((aid, "record has no text"))
            continue
        out.append(_build(aid, path, text, [fields], f"{path.stem} #{n}", overrides, (rel, aid)))
    if skipped is not None:
        skipped.extend(bad)
    if not out:
        first = bad[0][1] if bad else "no records"
        raise SkipFile(f"no usable records ({len(bad)} bad; first: {first})" if bad else "no records")
    return out


def _jsonl_records(text: str):
    n = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as e:
            msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
            yield n, None, f"malformed JSON ({msg})"
            continue
        if not isinstance(rec, dict):
            yield n, None, f"record is a JSON {type(rec).__name__}, not an object"
            continue
        yield n, rec, None


def _read_jsonl(path: Path, rel: str, data: bytes, field_map, overrides, skipped) -> list[Article]:
    text = decode_bytes(data)
    if not text.strip():
        raise SkipFile("empty file (only whitespace)")
    return _records_to_articles(path, rel, _jsonl_records(text), field_map, overrides, skipped)


def _raise_csv_limit(n: int) -> None:
    """Let one field be as large as the whole file (the default is 128 KiB)."""
    want = min(n + 1, 2**31 - 1)
    if csv.field_size_limit() < want:
        csv.field_size_limit(want)


def _consistency(sample: str, delim: str, quote: str) -> tuple[float, int]:
    try:
        rows = list(csv.reader(io.StringIO(sample), delimiter=delim, quotechar=quote))
    except csv.Error:
        return 0.0, 0
    rows = [r for r in rows if r][:200]
    if len(rows) > 2:
        rows = rows[:-1]  # the sample may end inside a record
    if not rows:
        return 0.0, 0
    counts: dict[int, int] = {}
    for r in rows:
        counts[len(r)] = counts.get(len(r), 0) + 1
    width, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if width < 2:
        return 0.0, width
    return freq / len(rows), width


def _csv_dialect(text: str) -> tuple[str, str]:
    """(delimiter, quotechar): csv.Sniffer's answer if it parses consistently,
    else the best-scoring of , ; TAB × " '."""
    sample = text[:65536]
    cut = sample.rfind("\n")
    if cut > 0 and len(text) > len(sample):
        sample = sample[:cut]
    sniffed = None
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        pass
    cands = []
    for delim in (",", ";", "\t"):
        for quote in ('"', "'"):
            score, width = _consistency(sample, delim, quote)
            # most consistent column count, then more columns, then Sniffer's choice, then '"'
            cands.append((round(score, 2), width, delim == sniffed, quote == '"', delim, quote))
    best = max(cands)
    if best[0] < 0.5:
        raise SkipFile("not a delimited file: no consistent , ; or TAB columns")
    return best[4], best[5]


def _known_name(cell: str, field_map: dict[str, str] | None) -> str | None:
    c = cell.strip().lower()
    if field_map:
        for src, dst in field_map.items():
            if str(src).strip().lower() == c and dst in FIELDS:
                return dst
    if c in FIELDS:
        return c
    for f, aliases in _ALIASES.items():
        if c in aliases:
            return f
    return None


def _guess_columns(rows: list[list[str]]) -> dict[int, str]:
    """Headerless CSV: the longest column is the text; a column of dates is the
    date, a column of http(s) links the url."""
    width = max(len(r) for r in rows)
    total = [0] * width
    for r in rows:
        for i, c in enumerate(r):
            total[i] += len(c)
    cols: dict[int, str] = {max(range(width), key=lambda i: total[i]): "text"}
    for i in range(width):
        if i in cols:
            continue
        vals = [r[i].strip() for r in rows if i < len(r) and r[i].strip()]
        if not vals:
            continue
        if all(len(v) <= 40 for v in vals) and sum(parse_date(v) is not None for v in vals) >= 0.8 * len(vals):
            cols.setdefault(i, "date")
        elif sum(v.startswith(("http://", "https://")) for v in vals) >= 0.8 * len(vals) and "url" not in cols.values():
            cols[i] = "url"
    return cols


def _read_csv(path: Path, rel: str, data: bytes, field_map, overrides, skipped) -> list[Article]:
    text = decode_bytes(data)
    if not text.strip():
        raise SkipFile("empty file (only whitespace)")
    _raise_csv_limit(len(data))
    delim, quote = _csv_dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar=quote)

    def rows():
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield None, str(e).split("\n")[0]
                continue
            if row and any(c.strip() for c in row):
                yield row, None

    it = rows()
    first = next(it, None)
    if first is None:
        raise SkipFile("no records")
    head_row, err = first
    header: list[str | None] | None = None
    if head_row is not None:
        names = [_known_name(c, field_map) for c in head_row]
        if "text" in names or sum(x is not None for x in names) >= 2:
            header = names
    pending = [] if header is not None else [first]
    if header is None:
        peek: list[list[str]] = [r for r, e in pending if r is not None]
        buffered = list(pending)
        for item in it:
            buffered.append(item)
            if item[0] is not None:
                peek.append(item[0])
            if len(peek) >= 50:
                break
        if not peek:
            raise SkipFile("no usable records")
        cols = _guess_columns(peek)
        # a first row of short labels above long texts is a header we cannot name
        text_col = next(i for i, f in cols.items() if f == "text")
        r0 = peek[0]
        if len(peek) > 1 and text_col < len(r0) and len(r0[text_col]) <= 40 and \
                sum(len(r[text_col]) for r in peek[1:] if text_col < len(r)) / (len(peek) - 1) > 4 * max(1, len(r0[text_col])):
            buffered = buffered[1:]
        source = buffered + [x for x in it]
        header_cols = cols
    else:
        source = list(it)
        header_cols = {i: f for i, f in enumerate(header) if f}
        if "text" not in header_cols.values():
            raise SkipFile("CSV header has no text column (map one with field_map)")

    def gen():
        n = 0
        for row, err in source:
            n += 1
            if err:
                yield n, None, f"malformed CSV record ({err})"
                continue
            rec = {f: row[i] for i, f in header_cols.items() if i < len(row) and row[i].strip()}
            yield n, rec, None

    return _records_to_articles(path, rel, gen(), None, overrides, skipped)


# --------------------------------------------------------------------------- entry point


def read_file(
    path: Path,
    root: Path,
    *,
    max_bytes: int = 5_000_000,
    field_map: dict[str, str] | None = None,
    overrides: dict[str, dict] | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> list[Article]:
    """Read one corpus file into articles.

    ``path``       the file; ``root`` the corpus root (ids are relative to it).
    ``max_bytes``  larger files raise SkipFile naming the size and the limit.
    ``field_map``  jsonl/csv field renames, e.g. ``{"body": "text", "source": "outlet"}``.
    ``overrides``  ``{article_id: {title|date|outlet|author|url: value}}`` applied last
                   (for jsonl/csv a file-level entry ``{"feed.jsonl": {...}}`` applies to
                   every record, a record entry ``{"feed.jsonl#3": {...}}`` after it).
    ``skipped``    if given, receives ``(record_id, reason)`` for bad jsonl/csv records.

    Raises SkipFile(reason) when the file as a whole cannot be used.
    """
    path = Path(path)
    root = Path(root)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise SkipFile(f"unsupported file type {ext or '(no extension)'}")
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise SkipFile(f"invalid max_bytes {max_bytes!r}")
    if field_map is not None and not isinstance(field_map, dict):
        raise SkipFile("field_map must be a mapping of source field → canonical field")
    if overrides is not None and not isinstance(overrides, dict):
        overrides = None
    rel = _rel_id(path, root)
    data = _read_bytes(path, max_bytes)
    try:
        if ext == ".txt":
            return _read_txt(path, rel, data, overrides)
        if ext in (".md", ".markdown"):
            return _read_md(path, rel, data, overrides)
        if ext in (".html", ".htm"):
            return _read_html(path, rel, data, overrides)
        if ext == ".jsonl":
            return _read_jsonl(path, rel, data, field_map, overrides, skipped)
        return _read_csv(path, rel, data, field_map, overrides, skipped)
    except SkipFile:
        raise
    except UnicodeError as e:
        raise SkipFile(f"undecodable: {e.__class__.__name__}") from None
    except RecursionError:
        raise SkipFile("undecodable: structure nested too deeply") from None
