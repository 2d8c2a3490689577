"""German stemming and content terms for claims and text reuse.

Stems are the index's own terms: ``stem()`` is ``engine.normalise_term`` of the
lowercased word (german2 spelling, Snowball German stemmer, accents folded), so
a claim's key terms can be looked up in the index's document frequencies as they
are, and the indexer and the claim extractor share one cache of stems (each word
of an article is stemmed once at index time, not once per use).  No Whoosh
import here: the stemmer and the stop list come through ``engine``.
"""
from __future__ import annotations

import re

from index.engine import INDEX_STOP_WORDS as _INDEX_STOPS, normalise_term as _normalise_term


# Whoosh's default RegexTokenizer expression (close to the indexer's; only content words are kept).
_TOKEN_RE = re.compile(r"[\w*]+(?:\.[\w*]+)*")  # = [\w*]+(?:\.?[\w*]+)*, less backtracking

# The index's German stop list (what it drops) plus general German function
# words and reporting filler that carry no content for grouping claims.
STOP_WORDS: frozenset[str] = _INDEX_STOPS | frozenset(
    """
    dass davon darauf daran dabei dafür dagegen daher darin darum deshalb deswegen
    sei seien wäre wären wurde wurden worden wird werde werden hätte hätten habe
    bereits schon noch mehr weitere weiteren weiterer weiteres sowie zudem außerdem
    laut zufolge demnach etwa rund rd ca circa zirka knapp fast beinahe nahezu gut
    mindestens höchstens maximal ungefähr schätzungsweise insgesamt mehr weniger
    sagte sagt sagten erklärte erklärt erklärten berichtete berichtet berichteten
    hieß heißt teilte teilt mit betonte betont warnte warnt schrieb schreibt
    ab seit vergangenen vergangener vergangene letzten letzte ersten erste
    jahr jahre jahren tag tage tagen woche wochen monat monate monaten
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    januar februar märz april mai juni juli august september oktober november dezember
    uhr prozent euro dollar
    dies diese dieser dieses diesem diesen denen deren dessen wer wen wem
    kein keine sowie bzw bzw. usw etc u.a z.b d.h
    soll sollen sollte sollten könne könnten kann können muss müssen müsse dürfe dürfen
    ihm ihn ihnen ihr ihre sein seine er sie es wir man
    auch aber oder und denn sondern doch jedoch allerdings nun nur
    bei beim vom von zum zur im ins am an auf aus durch für gegen mit nach ohne
    über unter vor zwischen hinter neben seit bis um
    """.split()
)


def stem(word: str) -> str:
    """The indexed form of ``word``: lowercased, german2 spelling, Snowball German stem,
    umlauts, ß and accents folded ("Soldaten" → "soldat", "Straße" → "strass")."""
    return _normalise_term(word.lower())


def is_content_token(tok: str) -> bool:
    """True for a lowercased token that is a content word (not a stop word, no digits)."""
    if len(tok) < 2 or tok in STOP_WORDS:
        return False
    # Letters only (most words) hold no digit and no "*" (no character is both a letter
    # and a digit): decided without looking at each character in Python.
    return tok.isalpha() or (not any(ch.isdigit() for ch in tok) and "*" not in tok)


class _TermCache(dict):
    """token (lowercased) -> its stem, or "" when it is not a content word; computed on
    first lookup.  Bounded: cleared when full (a news corpus has a few hundred thousand
    distinct words)."""

    def __missing__(self, tok: str) -> str:
        st = _normalise_term(tok) if is_content_token(tok) else ""
        if len(self) >= _TERM_CACHE_MAX:
            self.clear()
        self[tok] = st
        return st


_TERM_CACHE_MAX = 300_000
_TERM_CACHE = _TermCache()
_term = _TERM_CACHE.__getitem__


def content_terms(text: str) -> list[str]:
    """Stems of the content words of ``text`` in order (stop words and numbers dropped)."""
    low = text.lower()
    # Lowercasing first and tokenising once is the same as tokenising and lowercasing
    # each token unless lowercasing changed the length ("İ" → "i̇"): then go token by token.
    toks = _TOKEN_RE.findall(low) if len(low) == len(text) else [t.lower() for t in _TOKEN_RE.findall(text)]
    return [st for st in map(_term, toks) if st]
