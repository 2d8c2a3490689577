"""German sentence splitter for news text.

``split_sentences(text)`` returns ``(start, end)`` character spans, stripped of
surrounding whitespace, that together cover every non-whitespace character.

Rules (all generic German orthography, nothing story-specific):

* Line structure first: a blank line always ends a sentence; a single newline
  ends one too (headlines, captions, list items, datelines) unless the line
  clearly continues (it ends with a comma, an opening bracket or a word-break
  hyphen, or the next line starts with a lowercase letter).
* Inside a line block a boundary is ``.``/``!``/``?``/``…`` (possibly several,
  possibly followed by closing quotes or brackets), then whitespace, then a
  character that can start a sentence (uppercase letter, digit, opening quote
  or bracket, dash).  A lowercase continuation never splits.
* Vetoes for a ``.`` boundary: known abbreviations (``Dr.``, ``z. B.``, ``Mio.``
  ...; "number-only" ones like ``Nr.``/``Abs.`` only before a digit), single
  letters (initials ``Kim J. Un``, parts of ``u. a.``), ordinals (a 1–3 digit
  number before a month name, after an article/preposition/possessive or at the
  start of a sentence: ``am 3. Oktober``, ``der 2. Weltkrieg``, ``3. Liga``),
  Roman numerals after a name (``Johannes Paul II. besuchte``), and the
  bracketed omission ``(...)``/``[…]``.
* Direct speech: a full stop inside a quotation does not close the sentence;
  the sentence ends only together with the closing quote (``„… Sache.“ In …``
  splits after ``“``; ``«…», kündigte er an.`` stays whole).  Quote pairs are
  only trusted within one line block and up to ``_MAX_QUOTE`` characters, so an
  unbalanced quote mark can never swallow a paragraph.
"""
from __future__ import annotations

import re
from bisect import bisect_left

__all__ = ["split_sentences"]

_MAX_QUOTE = 1500

# Abbreviations that never end a sentence when followed by an uppercase word.
_ABBREV = frozenset(
    """
    dr prof hr hrn fr frl st sta jh jhd jhs mio mrd bio tsd ca bzw vgl ggf evtl inkl exkl zzgl
    bspw bzgl sog str gen lt hg hrsg dipl ing mag dkfm jun sen geb gest verh abb anm aufl ausg
    bsp chr dt engl franz fa ff gem ggü insb jg kath evang max min mind mr mrs ms nachf pkt pl rd
    röm spez staatl stellv std tägl usf vs zit zz zzt jan feb febr aug sept okt nov dez
    bundesl ehem eig eigtl einschl entspr erg gegr ggfs allg abt akad apl bd bde betr beil bes
    dgl dergl div do ebd entw erw hl hll kap kfm kfz lfd mwst nat nr o.ä orig phil pol rer
    tel univ urspr usw vors wiss wr nö oö ao a.o o.ö
    """.split()
) - {"usw"}  # "usw." ends sentences often; lowercase followers are handled anyway
# Abbreviations that only stay open before a number ("Nr. 5", "Abs. 2", "S. 13").
_ABBREV_NUM = frozenset("nr art abs s bd kap tel ziff lit hnr no nos".split())

_MONTHS = frozenset(
    "januar jänner februar feber märz april mai juni juli august september oktober november dezember "
    "jan feb mär apr jun jul aug sep sept okt nov dez".split()
)
# Words after which "<n>." is an ordinal, not a sentence end.
_ORDINAL_BEFORE = frozenset(
    """
    der die das dem den des am im vom zum zur beim ab bis seit ins
    ein eine einem einer eines jeder jede jedes jedem jeden
    sein seine seinem seinen seiner seines ihr ihre ihrem ihren ihrer ihres
    unser unsere unserem unseren unserer mein meine meinem meinen dein deine
    euer eure diese dieser diesem diesen dieses
    """.split()
)

_CLOSERS = "\"'“”„«»‚‘’)\\]"  # closing quotes / brackets (inside a character class)


def _not_after_abbreviation() -> str:
    """Lookbehinds, to follow a ".", that fail if the word before it is an abbreviation
    (in any case; a hyphenated one counted from its last hyphen, as _is_boundary does):
    one per word length, as a lookbehind must have a fixed width."""
    by_len: dict[int, list[str]] = {}
    for w in sorted(_ABBREV | _ABBREV_NUM):
        by_len.setdefault(len(w), []).append(re.escape(w))
    return "".join(rf"(?<!\b(?i:{'|'.join(ws)})\.)" for _, ws in sorted(by_len.items()))


def _candidate_re(first: str) -> re.Pattern:
    """Boundary candidates: a run of terminal punctuation (incl. ellipsis), closing
    quotes or brackets, then whitespace and more text or the end of the block.

    Most candidates are plainly sentence ends.  The sure forms below find those in C,
    with the whitespace after them in group 1, so that the Python rules (_can_start,
    _is_boundary) only run for the rest.  Each sure form matches exactly what the last
    alternative would, and only where the rules would accept it.

    ``first`` matches the run's first character on its own, so that the engine skips
    straight to candidate characters (faster still for a lone "."); a candidate starts
    only where a run starts (inside a run that failed it would fail again, and long
    runs were quadratic)."""
    return re.compile(
        first + r"(?<![.!?…][.!?…])(?:(?:"
        r"(?<=[a-zäöüß]{2}\.)"                          # "." after a word ending in 2 lowercase letters
        + _not_after_abbreviation() +                   # that is no abbreviation
        r"|(?<=[^\w\n-]\.)"                             # "." after no word ("(dpa)."; for "\n" see _word_span_before)
        rf"|(?:(?<=[!?])|[.…]*[!?])[.!?…]*[{_CLOSERS}]*"  # a run with "!"/"?"
        rf"|(?<=\.)[{_CLOSERS}]+"                       # "." closed by a quote/bracket
        rf"|(?<=[^(\[][.…])(?:(?<=…)|[.…])[.…]*[{_CLOSERS}]*"  # an ellipsis that is no "(...)"
        r")(\s+)(?=[A-ZÄÖÜ0-9„“\"«»‚'(\[–—\-•*¿¡])"     # and then a sentence start
        rf"|[.!?…]*[{_CLOSERS}]*(?=\s+\S|\s*$))"         # any candidate
    )


_CANDIDATE_RE = _candidate_re("[.!?…]")
_DOT_CANDIDATE_RE = _candidate_re(r"\.")  # for a block without "!", "?" and "…"
_SPACE_RE = re.compile(r"\s*")
_ROMAN_RE = re.compile(r"^[IVX]{1,5}$")
_QUOTE_CHARS = "„“”«»\""
_QUOTE_CHAR_RE = re.compile("[" + _QUOTE_CHARS + "]")
_CLOSING_QUOTES = {"„": "“”\"", "«": "»", "»": "«", "“": "”\"", "\"": "\"“”"}  # by opening quote
_LINE_END_PUNCT = ".!?…:;\"'“”«»)]"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split German ``text`` into sentence spans ``(start, end)``.

    Spans are in order, non-overlapping, stripped of surrounding whitespace and
    together cover every non-whitespace character of ``text``.
    """
    global _LAST
    if not isinstance(text, str):
        raise TypeError(f"split_sentences expects str, got {type(text).__name__}")
    last = _LAST
    if last is not None and last[0] is text:
        return list(last[1])  # the same text object again (indexing splits, then extracts claims)
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        _split_block(text, b_start, b_end, spans)
    _LAST = (text, tuple(spans))
    return spans


# The last text split and its spans (a str is immutable, and holding it here keeps the
# identity test sound).
_LAST: tuple[str, tuple[tuple[int, int], ...]] | None = None


# --------------------------------------------------------------------------- lines

def _blocks(text: str):
    """Yield (start, end) of line blocks: runs of lines that form running text."""
    n = len(text)
    pos = 0
    block_start = None
    prev_line_end_char = ""
    while pos <= n:
        nl = text.find("\n", pos)
        if nl == -1:
            nl = n
        line = text[pos:nl]
        stripped = line.strip()
        if not stripped:
            if block_start is not None:
                yield block_start, _rstrip_end(text, pos)
                block_start = None
        else:
            lead = pos + (len(line) - len(line.lstrip()))
            if block_start is None:
                block_start = lead
            elif not _continues(prev_line_end_char, stripped):
                yield block_start, _rstrip_end(text, pos)
                block_start = lead
            prev_line_end_char = stripped[-1] if len(stripped) == 1 else stripped[-2:]
        pos = nl + 1
    if block_start is not None:
        yield block_start, _rstrip_end(text, n)


def _rstrip_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _continues(prev_end: str, next_line: str) -> bool:
    """Does a line ending in ``prev_end`` continue onto ``next_line``?"""
    last = prev_end[-1]
    if last in ",(„«‚":
        return True
    if last in "-" and len(prev_end) > 1 and prev_end[-2].isalpha() and next_line[:1].islower():
        return True  # word broken by a hyphen at the line end
    if last in _LINE_END_PUNCT:
        return False
    first = next_line[0]
    return first.islower()


# --------------------------------------------------------------------------- blocks

def _split_block(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    block = text[start:end]
    n = len(block)
    q_starts, q_ends = _quote_regions(block)
    sent_start = 0  # at the sentence's first non-space (the rules read the spaces before it alike)
    cands = _CANDIDATE_RE if "!" in block or "?" in block or "…" in block else _DOT_CANDIDATE_RE
    for m in cands.finditer(block):
        cut, nxt = m.span(1)
        if cut < 0:  # not a sure boundary: apply the full rules
            cut = m.end()
            if cut >= n:
                break
            nxt = _SPACE_RE.match(block, cut).end()
            if not _can_start(block[nxt]) or not _is_boundary(block, sent_start, m.start(), m.group(), cut):
                continue
        if q_starts:  # a full stop inside a quotation: the last one opened before it
            i = bisect_left(q_starts, m.start())
            if i and cut < q_ends[i - 1]:
                continue
        out.append((start + sent_start, start + cut))
        sent_start = nxt
    out.append((start + sent_start, end))


def _can_start(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in "„“\"«»‚'([–—-•*¿¡" or (ch.isalpha() and not ch.islower())


def _is_boundary(block: str, sent_start: int, punct_start: int, punct: str, cut: int) -> bool:
    core = punct.rstrip("\"'“”„«»‚‘’)]")
    tail = punct[len(core):]
    if "!" in core or "?" in core:
        return True
    if core != ".":  # ellipsis: a boundary unless it is a bracketed omission "(...)"
        before = block[punct_start - 1] if punct_start else ""
        return not (before in "([" and tail[:1] in ")]")
    if tail:
        return True  # ". + closing quote/bracket": the quote closes the sentence
    w_start, w_end = _word_span_before(block, sent_start, punct_start)
    if w_start == w_end:
        return True
    word = block[w_start:w_end]
    if "-" in word.strip("-"):
        word = word.rsplit("-", 1)[1] or word  # "ATP-Nr." → "Nr."
    low = word.lower()
    nxt_word = _next_word(block, cut)
    if len(word) == 1 and word.isalpha():
        return False  # an initial or a part of "z. B.", "u. a."
    if low in _ABBREV:
        return False
    if low in _ABBREV_NUM and nxt_word[:1].isdigit():
        return False
    if word.isdigit() and len(word) <= 3:
        if nxt_word.lower().rstrip(".,") in _MONTHS:
            return False
        prev = _word_before(block, sent_start, w_start)
        if prev is None:  # the sentence (or an enumeration item) starts with the ordinal
            return False
        if prev.lower() in _ORDINAL_BEFORE or prev in "(–-/":
            return False
        # "seinem bereits 150. Spiel": an article/possessive two words back
        i = w_start - 1
        while i > sent_start and block[i].isspace():
            i -= 1
        j = block.rfind(" ", sent_start, i)
        prev2 = _word_before(block, sent_start, j) if j > sent_start else None
        return not (prev2 is not None and prev2.lower() in _ORDINAL_BEFORE and prev.islower())
    if _ROMAN_RE.match(word):
        prev = _word_before(block, sent_start, w_start)
        if prev and prev[:1].isupper() and prev.isalpha():
            return False
    return True


_NEXT_WORD_RE = re.compile(r"\s*(\S+)")


def _word_span_before(block: str, lo: int, pos: int) -> tuple[int, int]:
    """Span of the run of word characters and hyphens that ends at ``pos`` (or at a
    newline just before it), not reaching before ``lo``; empty (pos, pos) if none.

    The same as ``re.compile(r"([\\w\\-]+)$").search(block, lo, pos)`` (``$`` also
    matches before a final newline) without rescanning the sentence from ``lo``
    for every full stop in it."""
    end = pos
    if end > lo and block[end - 1] == "\n":
        end -= 1
    j = end
    while j > lo:
        ch = block[j - 1]
        if ch.isalnum() or ch == "_" or ch == "-":
            j -= 1
        else:
            break
    return (j, end) if j < end else (pos, pos)


def _next_word(block: str, pos: int) -> str:
    m = _NEXT_WORD_RE.match(block, pos)
    return m.group(1) if m else ""


def _word_before(block: str, lo: int, pos: int) -> str | None:
    """The token before ``pos`` within the current sentence, or None at its start."""
    i = pos
    while i > lo and block[i - 1].isspace():
        i -= 1
    if i <= lo:
        return None
    j = i
    while j > lo and not block[j - 1].isspace():
        j -= 1
    tok = block[j:i]
    if tok and not tok[-1].isalnum():
        return tok[-1]
    return tok


# --------------------------------------------------------------------------- quotes

def _quote_regions(block: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the spans (open, close + 1) of balanced double-quote pairs in
    a line block, in order and disjoint."""
    starts: list[int] = []
    ends: list[int] = []
    if not any(q in block for q in _QUOTE_CHARS):
        return starts, ends
    open_pos = -1
    open_ch = ""
    n = len(block)
    for m in _QUOTE_CHAR_RE.finditer(block):
        i = m.start()
        ch = block[i]
        before = block[i - 1] if i else " "
        after = block[i + 1] if i + 1 < n else " "
        if open_pos < 0:
            if ch == "„" or ((ch in "«»“\"") and (before.isspace() or before in "([–—-/:") and not after.isspace()):
                open_pos, open_ch = i, ch
            continue
        if ch in _CLOSING_QUOTES[open_ch] and not before.isspace():
            if i - open_pos <= _MAX_QUOTE:
                starts.append(open_pos)
                ends.append(i + 1)
            open_pos = -1
        elif ch == "„" or (ch == open_ch and (before.isspace() or before in "([")):
            open_pos, open_ch = i, ch  # unbalanced: restart from the newer opener
    return starts, ends
