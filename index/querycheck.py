"""Catch the query mistakes Whoosh's lenient parser would silently turn into
an empty or different query, and say what is wrong in one line.

Whoosh turns ``(Kursk OR`` and ``a AND`` into an empty query and
``date:[2024 to`` into two plain terms; we refuse those with a message that
points at the problem, so the user never sees an unexplained empty result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE"}

_FIELD_RE = re.compile(r"([A-Za-z_][\w]*):")


class QueryError(ValueError):
    """A query the tool will not run; ``str(exc)`` is the one-line message."""


@dataclass
class _Tok:
    kind: str  # "word" | "op" | "(" | ")" | "phrase" | "range"
    text: str
    pos: int


def _tokenize(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                raise QueryError(f'unclosed quote " at position {i + 1}: add the closing "')
            toks.append(_Tok("phrase", q[i:j + 1], i))
            i = j + 1
            continue
        if c in "()":
            toks.append(_Tok(c, c, i))
            i += 1
            continue
        # a word, possibly field:value, field:[a to b], field:"phrase", field:(group)
        j = i
        while j < n and not q[j].isspace() and q[j] not in '()"':
            if q[j] in "[{":
                k = _find_range_close(q, j)
                if k < 0:
                    raise QueryError(
                        f"unclosed range {q[j]} at position {j + 1}: write e.g. date:[2024-10 to 2024-11]")
                j = k + 1
                continue
            if q[j] in "]}":
                raise QueryError(f"{q[j]} at position {j + 1} closes a range that was never opened")
            j += 1
        if j < n and q[j] == '"' and j > i and q[j - 1] == ":":
            k = q.find('"', j + 1)
            if k < 0:
                raise QueryError(f'unclosed quote " at position {j + 1}: add the closing "')
            j = k + 1
        word = q[i:j]
        if word:
            kind = "op" if word in OPERATORS else "word"
            toks.append(_Tok(kind, word, i))
        i = j if j > i else i + 1
    return toks


def _find_range_close(q: str, j: int) -> int:
    for k in range(j + 1, len(q)):
        if q[k] in "]}":
            return k
        if q[k] in "[{":
            return -1
    return -1


def check_query(q: str, fields: tuple[str, ...] | list[str]) -> None:
    """Raise QueryError when ``q`` is malformed; return None when it is fine."""
    if not q or not q.strip():
        raise QueryError("empty query: type some words, or a field like outlet:dpa")
    toks = _tokenize(q)
    depth = 0
    prev: _Tok | None = None
    opens: list[int] = []
    for t in toks:
        if t.kind == "(":
            depth += 1
            opens.append(t.pos)
        elif t.kind == ")":
            if depth == 0:
                raise QueryError(f") at position {t.pos + 1} has no matching (")
            if prev is not None and prev.kind == "(":
                raise QueryError(f"empty parentheses at position {prev.pos + 1}")
            if prev is not None and prev.kind == "op":
                raise QueryError(f"{prev.text} at position {prev.pos + 1} has nothing after it")
            depth -= 1
            opens.pop()
        elif t.kind == "op":
            if t.text in BINARY and (prev is None or prev.kind in ("op", "(")):
                if prev is not None and prev.kind == "op" and prev.text == "NOT":
                    raise QueryError(f"NOT at position {prev.pos + 1} must be followed by a word, not {t.text}")
                where = "at the start" if prev is None else f"after {prev.text}"
                raise QueryError(f"{t.text} at position {t.pos + 1} has nothing before it ({where})")
        elif t.kind in ("word", "phrase"):
            if t.kind == "word":
                _check_fields(t, fields)
        prev = t
    if depth:
        raise QueryError(f"( at position {opens[-1] + 1} is never closed: add )")
    if prev is not None and prev.kind == "op":
        raise QueryError(f"{prev.text} at position {prev.pos + 1} has nothing after it")


def _check_fields(t: _Tok, fields) -> None:
    m = _FIELD_RE.match(t.text)
    if not m:
        return
    name = m.group(1)
    if name not in fields:
        raise QueryError(
            f"unknown field {name!r} at position {t.pos + 1}: use one of {', '.join(fields)}"
            f' (or put the words in quotes: "{t.text}")')
    rest = t.text[m.end():]
    if rest == "":
        raise QueryError(f"{name}: at position {t.pos + 1} has no value after the colon")
    if rest[:1] in "[{":
        inner = rest[1:-1]
        parts = re.split(r"\s+to\s+|\s+TO\s+", inner.strip())
        if len(parts) != 2 and not inner.strip().startswith("to") and not inner.strip().endswith("to"):
            raise QueryError(
                f"range {rest} at position {t.pos + 1} needs the word 'to': e.g. {name}:[2024-10 to 2024-11]")
