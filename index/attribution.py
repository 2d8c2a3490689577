"""Who a German news sentence says its statement comes from.

``find_source(sentence, context="", context_offset=0)`` returns a
:class:`Source` (or None) with the attribution phrase's offsets in the
sentence, its kind and a readable speaker:

* ``according_to`` — "laut X", "X zufolge", "nach Angaben (von) X",
  "nach Informationen X", "unter Berufung auf X", "Schätzungen aus X",
  compounds "nach Polizeiangaben", "Regierungsangaben zufolge", "nach UN-Angaben";
* ``speech_verb`` — "wie X mitteilte", "X sagte/erklärte/…", "…, sagte X",
  "…, so X.", "X geht davon aus", "X teilte … mit", "X gab … an", "X hat … mitgeteilt",
  "X bestätigte/meldete/bezifferte" with a figure or a clause after it;
* ``quote`` — a sentence carrying a direct quotation („…“, «…», »…«, "…")
  with its speaker ("„…“, sagte Putin"), or a bare quotation continuing the
  previous sentence's speaker;
* ``pronoun`` — "seinen/ihren/eigenen Angaben nach", "den Angaben zufolge",
  "sagte er", "hieß es", "Demnach …": the speaker is resolved from the text
  before the sentence (the nearest preceding attributed speaker, else the
  subject at the start of the previous sentence).

``context`` is text around the sentence (typically the whole article) and
``context_offset`` the position where the sentence starts in it; only
``context[:context_offset]`` is consulted.  With ``context_offset=0`` the whole
``context`` is taken to precede the sentence.  ``find_sources_in(text, spans)`` gives
the same as ``find_source(text[s:e], text, s)`` for each span, for a whole article at
once and faster.

Everything here is general German: reporting verbs, prepositions, articles.
Names come from the text.  Speakers are shown without article, in the form they
have after a nominative definite article, so one source reads the same whatever
case a sentence puts it in: "laut dem südkoreanischen Geheimdienst", "nach Angaben
des südkoreanischen Geheimdienstes" and "der südkoreanische Geheimdienst sagte"
all give "südkoreanische Geheimdienst"; "die Polizei" and "laut Polizei" give
"Polizei"; plurals keep -en ("ukrainischen Behörden").  See :func:`_normalise_np`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import accumulate, compress, islice
from operator import attrgetter, itemgetter
from typing import Any

__all__ = ["Source", "find_source", "find_sources_in", "KINDS"]

KINDS = ("according_to", "speech_verb", "quote", "pronoun")


@dataclass
class Source:
    """An attribution.  ``start``/``end`` are offsets of ``text`` in the sentence."""

    text: str
    start: int
    end: int
    kind: str
    speaker: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Source":
        try:
            return cls(str(d["text"]), int(d.get("start", 0)), int(d.get("end", 0)),
                       str(d["kind"]), str(d["speaker"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad source record: {exc!r}") from None


# --------------------------------------------------------------------------- vocabulary

_NOM_DET = {"der", "die", "das", "ein", "eine"}
_OBL_DET = {"dem", "den", "des", "einem", "einer", "eines", "einen"}
_POSS = {
    "sein", "seine", "seinem", "seinen", "seiner", "seines", "ihr", "ihre", "ihrem", "ihren", "ihrer",
    "ihres", "unser", "unsere", "unserem", "unseren", "unserer", "dessen", "deren",
}
_DETS = _NOM_DET | _OBL_DET
# Capitalised at the start of a sentence but never the head of a speaker noun phrase.
_FUNCTION = frozenset(
    """
    am im in an auf aus bei beim mit nach seit von vom vor zu zum zur über unter für gegen ohne um durch
    bereits zudem auch dann nun dabei damit daher deshalb deswegen doch jedoch allerdings außerdem ferner
    zuvor später gestern heute morgen bislang bisher inzwischen mittlerweile unterdessen währenddessen
    demnach so wie als wenn weil dass ob obwohl da dort hier davon darauf dazu darüber insgesamt kürzlich
    zuletzt erst schon noch nur ebenfalls vielmehr stattdessen trotzdem dennoch ende anfang mitte
    seitdem seither nachdem bevor während laut zufolge und oder aber sondern denn es man wer was
    ein eine einer eines einem einen kein keine dies diese dieser dieses diesem diesen jene jener
    zunächst schließlich letztlich offenbar angeblich vermutlich womöglich möglicherweise wohl
    immerhin jedenfalls außerdem ebenso gleichzeitig zugleich indes indessen derweil nachher vorher
    anschließend danach davor damals jetzt nunmehr einst zuerst erstmals wieder weiterhin
    montag dienstag mittwoch donnerstag freitag samstag sonntag nicht nichts
    dagegen hingegen daraufhin draußen drinnen sinngemäß wörtlich ebenso genauso zumindest somit darunter
    """.split()
)
# Quantifiers: a speaker only with a noun ("Einige Militärexperten glauben, …"), not alone
# ("Manche sagen, …", "Viele haben gesagt, …").
_QUANTIFIERS = frozenset("viele einige manche alle beide andere mehrere wenige etliche".split())
_PRONOUNS = {"er", "sie", "ihm", "ihr"}
_FIRST_PERSON = {"ich", "wir", "du", "mein", "meine", "meinem", "meinen", "meiner", "unser", "unsere",
                 "unserem", "unseren", "unserer", "dein", "deine", "euer", "eure"}
_AUX = {"hat", "haben", "hatte", "hatten", "habe", "ist", "sind", "war", "waren"}
_INFO_NOUNS = frozenset(
    """
    angaben angabe informationen information erkenntnissen erkenntnisse schätzungen schätzung bericht
    berichten berichte berichts daten zahlen aussagen aussage worten einschätzung einschätzungen
    recherchen darstellung auffassung ansicht meinung mitteilung mitteilungen erklärung erklärungen
    statistik statistiken berechnungen umfrage analyse studie prognose prognosen hochrechnung
    """.split()
)
_INFO_RE = (
    r"(?:Angaben|Informationen|Erkenntnissen|Schätzungen|Berechnungen|Darstellung|Einschätzung"
    r"|Auffassung|Ansicht|Worten|Aussagen|Daten|Zahlen|Berichten|Recherchen|Mitteilung|Hochrechnungen)"
)
_INFO_ADJ = (
    r"(?:(?:eigenen|offiziellen|ersten|vorläufigen|übereinstimmenden|bisherigen|jüngsten|neuen|neuesten"
    r"|aktuellen|weiteren|unbestätigten|inoffiziellen|amtlichen|verschiedenen|mehreren|westlichen"
    r"|[a-zäöü]+ischen)\s+)*"
)
# Anaphoric attributions: the speaker is named earlier.
_ANAPHOR_RE = re.compile(
    r"\b(?:(?:[Ss]einen|[Ii]hren|[Ee]igenen|[Dd]en|[Dd]iesen|[Ss]einer|[Ii]hrer)\s+" + _INFO_RE
    + r"\s+(?:nach|zufolge)"
    r"|(?:[Nn]ach|[Ll]aut)\s+(?:seinen|ihren|eigenen|diesen|den|dessen|deren)\s+" + _INFO_RE
    + r"|[Ll]aut\s+(?:eigener|seiner|ihrer)\s+(?:Darstellung|Aussage|Einschätzung|Mitteilung))\b"
)
_DEMNACH_RE = re.compile(r"^(?:Demnach|Dem(?:zufolge)?\s+zufolge|Diesen Angaben zufolge)\b")
_EIGENE_RE = re.compile(r"[Ee]igene[nr]?\b")
_VON_END_RE = re.compile(r"(?:von|aus|vom)\s+$")
_LAUT_RE = re.compile(r"(?<![\w-])[Ll]aut\s+(?=\S)")
_NACH_INFO_RE = re.compile(
    r"(?<![\w-])(?:[Nn]ach|[Gg]emäß)\s+" + _INFO_ADJ + _INFO_RE + r"\s+(?:(?:von|aus|vom)\s+)?(?=\S)"
)
# Compound information nouns: "nach Polizeiangaben", "laut Regierungsangaben", "nach
# ersten UN-Angaben", "Geheimdiensterkenntnissen zufolge": the first part names the source.
_COMPOUND_INFO = ("angaben", "informationen", "schätzungen", "berechnungen", "erkenntnissen")
_COMPOUND_INFO_RE = re.compile(
    r"(?<![\w-])(?:(?P<prep>[Nn]ach|[Ll]aut|[Gg]emäß)\s+" + _INFO_ADJ + r")?"
    r"(?P<who>[A-ZÄÖÜ]\w*?)(?P<hyphen>-)?(?P<info>(?i:" + "|".join(_COMPOUND_INFO) + r"))\b"
    r"(?P<post>\s+zufolge\b)?"
)
_BERUFUNG_RE = re.compile(r"(?<![\w-])unter\s+Berufung\s+auf\s+(?=\S)")
_ZUFOLGE_RE = re.compile(r"\s+zufolge\b")
_QUELLE_RE = re.compile(r"(?<![\w-])Quellen?:\s+(?=\S)")

_SPEECH_FINITE = (
    "sagte sagten sagt sagen erklärte erklärten erklärt erklären berichtete berichteten berichtet berichten "
    "schrieb schrieben schreibt betonte betonten betont warnte warnten warnt warnen meldete meldeten meldet "
    "bestätigte bestätigten bestätigt ergänzte ergänzt unterstrich unterstreicht versicherte versichert "
    "behauptete behauptet behaupten meinte meint äußerte äußert verkündete verkündet bekräftigte bekräftigt "
    "twitterte twittert zitierte zitiert erwartet erwartete schätzt schätzte vermutet vermutete "
    "befürchtet befürchtete glaubt glaubte glauben kritisierte kritisiert forderte fordert "
    "teilte teilten teilt kündigte kündigten kündigt räumte räumt gab gibt fügte fügt wies weist "
    "geht gehen ging gingen hieß heißt verlautete deutete deutet stritt streitet bestritt bestreitet "
    "dementierte dementiert beziffert bezifferte bezifferten beziffern "
    # participles of the perfect ("Die Polizei hat am Abend mitgeteilt, dass …")
    "mitgeteilt gemeldet gesagt angegeben bekanntgegeben geschrieben gewarnt betont"
).split()
# Forms that are only participles: they report only in the perfect, with the subject
# before the auxiliary ("Die Stadt hat mitgeteilt, …"), never on their own
# ("… würden am 9. Dezember der Öffentlichkeit bekanntgegeben").
_PARTICIPLES = frozenset("mitgeteilt gemeldet gesagt angegeben bekanntgegeben geschrieben gewarnt".split())
# Finite verbs that need a particle later in the sentence to be reporting verbs.
_PARTICLE = {
    "teilte": ("mit",), "teilten": ("mit",), "teilt": ("mit",),
    "kündigte": ("an",), "kündigten": ("an",), "kündigt": ("an",),
    "räumte": ("ein",), "räumt": ("ein",),
    "gab": ("an", "bekannt", "zu", "wieder"), "gibt": ("an", "bekannt", "zu", "wieder"),
    "fügte": ("hinzu",), "fügt": ("hinzu",), "wies": ("hin",), "weist": ("hin",),
    "geht": ("aus",), "gehen": ("aus",), "ging": ("aus",), "gingen": ("aus",),
    "deutete": ("an",), "deutet": ("an",), "stritt": ("ab",), "streitet": ("ab",),
    "hieß": ("es",), "heißt": ("es",),
}
_SPEECH_SET = frozenset(_SPEECH_FINITE)
# Verbs that report only when a clause or a quotation follows ("forderte, dass …"
# but not "die Flut forderte 40 Todesopfer").
_NEEDS_CLAUSE = frozenset(
    "forderte fordert kritisierte kritisiert erwartet erwartete glaubt glaubte glauben schätzt schätzte "
    "vermutet vermutete befürchtet befürchtete wies weist".split()
)
_CLAUSE_AFTER_RE = re.compile(r"[,:]|[„«»\"“]|\bdass\b")
# Verbs that report a clause or a figure ("Die Polizei bestätigte 14 Todesopfer", "Die
# Bahn beziffert den Schaden auf 15 Millionen Euro") but not on their own ("Das Gericht
# bestätigte das Urteil"), and never reflexively ("Der Verdacht bestätigte sich") or as
# "anmelden/abmelden" ("Der Konzern meldete Insolvenz an").
_NEEDS_CLAUSE_OR_FIGURE = frozenset(
    "bestätigte bestätigt bestätigten meldete meldet meldeten gemeldet beziffert bezifferte bezifferten "
    "beziffern".split()
)
_FIGURE_AFTER_RE = re.compile(
    r"\d|(?<![\w-])(?i:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig"
    r"|fünfzig|hundert|tausend|dutzend|million|milliard|halbe)"
)
_SUBCLAUSE_VERBS = (
    "mitteilte|mitteilten|mitteilt|erklärte|erklärten|erklärt|berichtete|berichteten|berichtet|berichten"
    "|sagte|sagten|sagt|betonte|betont|schrieb|schreibt|meldete|meldeten|meldet|bestätigte|bestätigt"
    "|angab|angaben|bekanntgab|bekanntgaben|warnte|warnt|twitterte|ankündigte|hinzufügte|ausführte"
    "|einräumte|unterstrich|verlautete|zitierte|zitiert|schätzt|schätzte|vermutet|annimmt|weiß"
)
_WIE_RE = re.compile(r"(?<![\w-])[Ww]ie\s+(?P<np>[^,.;:!?]{2,160}?)\s+(?P<verb>" + _SUBCLAUSE_VERBS + r")\b")
_SO_RE = re.compile(r",\s+so\s+(?P<np>[^,;:!?]{2,120}?)(?:\s+(?:weiter|zuletzt|gegenüber\s.*|am\s.*|im\s.*|in\s.*|bei\s.*))?\s*[.!]?[“\"»«]?$")
_QUOTE_RE = re.compile(r"„[^“”\"]{3,}[“”\"]|«[^»]{3,}»|»[^«]{3,}«|\"[^\"]{3,}\"|“[^”]{3,}”")

_TOKEN_RE = re.compile(r"\w+(?:[-'’.&]\w+)*-?|[„“”«»\"‚‘()\[\],;:.!?–—-]")

# Pre-check: a sentence can carry an attribution only if it holds a double quote mark,
# the word "so" (", so X.") or one of these words, each with what its rules need besides
# it: a reporting verb (with its particle: "teilte … mit"; with a clause after it:
# "forderte, dass"); a verb of the "wie X mitteilte" rule (with "wie"); an information
# noun (with "nach"/"gemäß"/"laut"/"zufolge": "nach Angaben", "den Angaben zufolge");
# "laut", "zufolge", "Berufung"; "Quelle" (with a colon); "Demnach" (at the start).  Most
# sentences hold none and skip the tokenisation and the noun-phrase rules.  A sentence
# with a quote mark but none of these can only be a bare quotation (see _bare_quote).
_SUBCLAUSE_SET = frozenset(_SUBCLAUSE_VERBS.split("|"))
_INFO_WORDS = frozenset(w.lower() for w in re.findall(r"\w+", _INFO_RE)) | {"aussage"}
_TRIGGER_WORDS = frozenset(
    _SPEECH_SET | _SUBCLAUSE_SET | _INFO_WORDS | {"laut", "zufolge", "berufung", "quelle", "quellen", "demnach"}
)
_INFO_PARTNERS = frozenset({"nach", "gemäß", "laut", "zufolge"})
_PRECHECK_WORDS = _TRIGGER_WORDS | _INFO_PARTNERS | {"so"}
# Words without one of which no according-to rule can match (see _according_to).
_ACCORDING_WORDS = _INFO_PARTNERS | {"berufung", "quelle", "quellen"}
_WORD_RE = re.compile(r"\w+")
_TRIGGER_CHARS = "„«»\"“"


def _words(sentence: str) -> set[str]:
    """The sentence's lowercased words (runs of word characters)."""
    return set(_lower_words(sentence))


# Each Latin-1 character as a byte: lowercased if it is a word character, else a space.
# (Latin-1 characters lowercase one to one and stay in Latin-1.)
_LATIN1_LOWER_WORD_BYTES = bytes(
    ord(chr(c).lower()) if _WORD_RE.fullmatch(chr(c)) else 0x20 for c in range(256)
)


def _lower_words(sentence: str) -> list[str]:
    """``_WORD_RE.findall(sentence.lower())``, for a sentence in Latin-1 (most are)
    without the regular expression, which takes several times as long: as bytes, a
    table lowercases the word characters and turns the others into spaces, and split()
    gives the words."""
    try:
        latin1 = sentence.encode("latin-1")
    except UnicodeEncodeError:
        try:  # most often for a dash, which is no word character either
            latin1 = sentence.replace("–", " ").encode("latin-1")
        except UnicodeEncodeError:
            return _WORD_RE.findall(sentence.lower())
    return latin1.translate(_LATIN1_LOWER_WORD_BYTES).decode("latin-1").split()


def _has_quote_mark(sentence: str) -> bool:
    """Does the sentence hold one of ``_TRIGGER_CHARS``?  (Spelled out: five ``in`` tests
    cost a fraction of a loop over them.)"""
    return "„" in sentence or "“" in sentence or '"' in sentence or "«" in sentence or "»" in sentence


def _word_rules_may_match(sentence: str, words: set[str], quoted: bool) -> bool:
    """False only when no rule but the bare quotation can match ``sentence`` (cheap; see
    above).  ``words``: its lowercased words; ``quoted``: it holds a quote mark, which
    also opens a clause after a verb like "forderte" (see _CLAUSE_AFTER_RE)."""
    hits = words & _TRIGGER_WORDS
    for w in hits:
        if w in ("laut", "zufolge", "berufung"):
            return True
        if w in _SUBCLAUSE_SET and "wie" in words:
            return True
        if w in _SPEECH_SET:
            if w in _NEEDS_CLAUSE:
                ok = "," in sentence or ":" in sentence or "dass" in words or quoted
            elif w in _NEEDS_CLAUSE_OR_FIGURE:
                # (_speech_verb searches after the verb: what it finds, a search from the start finds)
                ok = _CLAUSE_AFTER_RE.search(sentence) is not None or _FIGURE_AFTER_RE.search(sentence) is not None
            elif w in _PARTICIPLES:
                # only in the perfect: every rule that takes a participle wants an auxiliary
                # (see _pre_np), so without one it is no reporting verb
                ok = not words.isdisjoint(_AUX)
            else:
                ok = True
            parts = _PARTICLE.get(w)
            if ok and parts:
                ok = any(p in words for p in parts) and _particle_anywhere(sentence, parts)
            if ok:
                return True
        if w in _INFO_WORDS and not words.isdisjoint(_INFO_PARTNERS):
            return True
        if w in ("quelle", "quellen") and ":" in sentence:
            return True
        if w == "demnach" and sentence.startswith("Demnach"):
            return True
    if not words.isdisjoint(_INFO_PARTNERS) and _has_compound_info(words):
        return True  # "nach Polizeiangaben", "Regierungsangaben zufolge"
    return "so" in words and _SO_RE.search(sentence) is not None  # "…, so X."


# The token pattern as a group: split() gives gap, token, gap, token, …, gap.  For text
# in Latin-1 (most sentences) the same with \w spelled out as the Latin-1 word characters,
# which the regular expression engine tests faster than the Unicode category.
_TOKEN_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
_LATIN1_WORD_CLASS = "[" + "".join(re.escape(chr(c)) for c in range(256) if _WORD_RE.fullmatch(chr(c))) + "]"
_LATIN1_TOKEN_SPLIT_RE = re.compile("(" + _TOKEN_RE.pattern.replace(r"\w", _LATIN1_WORD_CLASS) + ")")


class _Tokens:
    """The tokens of a sentence (the matches of ``_TOKEN_RE``) as parallel lists: token
    ``k`` is ``text[k]``, lowercased ``low[k]``, at ``start[k]:end[k]`` in the sentence.

    Built without a Python step per token (split() yields the texts and the gaps between
    them, running lengths the offsets): building a record per token used to cost as much
    as all the rules together, which mostly look at a few tokens only."""

    __slots__ = ("text", "low", "start", "end")

    def __init__(self, sentence: str):
        try:
            sentence.encode("latin-1")  # then its word characters are those of the class
            parts = _LATIN1_TOKEN_SPLIT_RE.split(sentence)
        except UnicodeEncodeError:
            parts = _TOKEN_SPLIT_RE.split(sentence)
        self.text = parts[1::2]
        self.low = list(map(str.lower, self.text))
        bounds = list(accumulate(map(len, parts)))   # where each part ends
        self.start = bounds[0:-1:2]
        self.end = bounds[1::2]

    def index_at(self, pos: int) -> int | None:
        """The index of the token starting at offset ``pos``, if one does."""
        k = bisect_left(self.start, pos)
        return k if k < len(self.start) and self.start[k] == pos else None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return " ".join(f"<{t}@{s}>" for t, s in zip(self.text, self.start))


def _is_word(tok: str) -> bool:
    return tok[0].isalnum()


def _is_cap_word(tok: str) -> bool:
    """A word starting with a capital letter (a noun or a name)."""
    return tok[0].isalnum() and tok[0].isupper()


# --------------------------------------------------------------------------- noun phrases

# Inflection endings of adjectives, r"(?:e|en|er|es|em|n)$" as a str.endswith argument (words
# and tokens hold no line break), which tests them several times as fast.
_ADJ_END = ("e", "n", "er", "es", "em")
_OPEN_Q = "„«»\"“‚"
_CLOSE_Q = "“”»«\"‘"


def _np_forward(toks: _Tokens, i: int, *, coord: bool = False, depth: int = 0) -> int:
    """End index (exclusive) of a noun phrase starting at token ``i`` (``i`` if none)."""
    text, low = toks.text, toks.low
    n = len(text)
    j = i
    if j < n and (low[j] in _DETS or low[j] in _POSS):
        j += 1
    # adjectives: lowercase words that lead to a capitalised head
    k = j
    while k < n and text[k][0].isalnum() and text[k][0].islower() and low[k].endswith(_ADJ_END) \
            and low[k] not in _DETS and low[k] not in ("sind", "haben", "werden", "wollen", "sollen", "können", "müssen"):
        k += 1
    head_start = k
    k = _np_head(toks, k)
    if k == head_start:
        return i
    j = k
    # "Schätzungen aus Seoul", "Bericht von Human Rights Watch"
    if depth < 2 and low[k - 1] in _INFO_NOUNS and j + 1 < n and low[j] in ("aus", "von", "vom"):
        g = _np_forward(toks, j + 1, depth=depth + 1)
        if g > j + 1:
            j = g
    # "(NIS)"
    if j + 2 < n and text[j] == "(" and text[j + 2] == ")" and text[j + 1][:1].isupper():
        j += 3
    # genitive attribute "des ukrainischen Militärgeheimdienstes"
    if depth < 2 and j < n and low[j] in ("des", "der") and j + 1 < n:
        g = _np_forward(toks, j, depth=depth + 1)
        if g > j + 1:
            j = g
    if coord:
        while j + 1 < n and (text[j] == "," or low[j] in ("und", "sowie")):
            g = _np_forward(toks, j + 1, depth=depth + 1)
            if g <= j + 1:
                break
            j = g
    return j


def _np_head(toks: _Tokens, k: int) -> int:
    """Consume capitalised words (nouns, names, acronyms, quoted names) from ``k``."""
    text, low = toks.text, toks.low
    n = len(text)
    start = k
    while k < n:
        t = text[k]
        if t in _OPEN_Q:
            # a quoted name: „Kyiv Post“
            m = k + 1
            while m < n and m - k <= 6 and text[m][0].isalnum() and text[m][0].isupper():
                m += 1
            if m > k + 1 and m < n and text[m] in _CLOSE_Q:
                k = m + 1
                continue
            break
        if t[0].isalnum() and t[0].isupper():
            if low[k] in _FUNCTION:
                break
            k += 1
            continue
        # name particles between capitalised words: "Ursula von der Leyen", "Abu al Bakr"
        if k > start and low[k] in ("von", "van", "de", "al", "bin", "di", "da", "zu") and k + 1 < n:
            m = k + 1
            if low[m] in ("der", "den", "dem"):
                m += 1
            if m > k + 1 or low[k] != "von":
                if m < n and _is_cap_word(text[m]) and low[m] not in _FUNCTION:
                    k = m + 1
                    continue
        break
    return k


def _np_backward(toks: _Tokens, end: int) -> int:
    """Start index of a noun phrase ending just before token ``end`` (``end`` if none)."""
    text, low = toks.text, toks.low
    k = end
    while k > 0 and (text[k - 1][0].isalnum() and text[k - 1][0].isupper() and low[k - 1] not in _FUNCTION
                     or text[k - 1] in _CLOSE_Q + ")"):
        if text[k - 1] in _CLOSE_Q + ")":
            # skip back over a quoted name or a bracket
            m = k - 2
            while m >= 0 and text[m] not in _OPEN_Q + "(":
                m -= 1
            if m < 0 or k - m > 8:
                break
            k = m
            continue
        k -= 1
    head_start = k
    if head_start == end:
        # "Anonyme Quellen" at sentence start: the adjective is capitalised
        if end > 0 and _is_cap_word(text[end - 1]):
            return end - 1
        return end
    # genitive attribute before: "Angaben des Ministeriums" is handled forward; here
    # take adjectives and a determiner
    while k > 0 and text[k - 1][0].isalnum() and text[k - 1][0].islower() and low[k - 1].endswith(_ADJ_END) \
            and low[k - 1] not in _DETS:
        k -= 1
    if k > 0 and (low[k - 1] in _DETS or low[k - 1] in _POSS):
        k -= 1
    elif k < head_start and k > 0:
        k = head_start  # "Viele schwenkten Bildern zufolge": no article, so no adjective
    # a genitive chain "Angaben des Ministeriums zufolge": extend over "des/der X"
    if k > 0 and low[k] in ("des", "der") and k >= 1:
        prev_start = _np_backward(toks, k)
        if prev_start < k:
            k = prev_start
    # a capitalised adjective that starts the sentence: "Anonyme Quellen", "Ukrainischen Angaben"
    if k == head_start and k > 0 and k - 1 == 0 and _is_word(text[0]) and low[0] not in _FUNCTION:
        k = 0
    return k


def _clean_speaker(toks: _Tokens, i: int, j: int, sentence: str, genitive: bool = False) -> str:
    """Readable speaker for tokens [i, j): drop oblique articles, unwrap info nouns.

    ``genitive``: the phrase follows a noun ("Angaben der Nachrichtenagentur"), so a
    leading der/des is a genitive article and is dropped too.
    """
    text, low = toks.text, toks.low
    while i < j and low[i] in ("laut", "nach", "von", "aus", "vom"):
        i += 1
    if i >= j:
        return ""
    det = low[i] if low[i] in _DETS else None
    if genitive and low[i] in ("der", "des") and i + 1 < j:
        i += 1
    # "einem Bericht der „Kyiv Post“" / "Angaben des Ministeriums" / "Schätzungen aus Seoul"
    k = i
    if low[k] in _DETS or low[k] in _POSS:
        k += 1
    while k < j and text[k][0].isalnum() and text[k][0].islower():
        k += 1
    if k < j and low[k] in _INFO_NOUNS and k + 1 < j:
        inner = k + 1
        gen = low[inner] in ("der", "des")
        if low[inner] in ("aus", "von", "vom"):
            inner += 1
        if inner < j:
            sub = _clean_speaker(toks, inner, j, sentence, genitive=gen)
            if sub:
                if inner == k + 1 and low[inner] not in _DETS and inner + 1 == j:
                    sub = _strip_genitive_s(sub)
                return sub
    if low[i] in _DETS or low[i] in _POSS and low[i] not in ("sein", "ihr"):
        i += 1
    phrase = sentence[toks.start[i]: toks.end[j - 1]] if i < j else ""
    phrase = phrase.strip(" ,;:–-„“”\"«»")
    if not phrase.isprintable() or "  " in phrase:  # (every space but " " is unprintable)
        phrase = _SPACES_RE.sub(" ", phrase)
    return _normalise_np(phrase, det)


# --------------------------------------------------------------------------- speaker form
#
# A speaker is shown without its article and in the form it has after a nominative
# definite article, whatever case the sentence put it in, so one source reads the
# same in every article: "laut dem südkoreanischen Geheimdienst", "Angaben des
# südkoreanischen Geheimdienstes" and "der südkoreanische Geheimdienst sagte" all give
# "südkoreanische Geheimdienst"; "die Polizei sagte" and "laut Polizei" give "Polizei";
# plurals keep their -en ("laut den ukrainischen Behörden" = "die ukrainischen
# Behörden" → "ukrainischen Behörden").  Only the adjectives before the head noun and
# the head noun itself change; genitive attributes after it stay as written.

_SPACES_RE = re.compile(r"\s+")
_SINGULAR_OBLIQUE = frozenset({"dem", "einem", "des", "eines", "einer", "einen"})
_NAME_ADJ_END = ("ischen", "schen", "alen", "ellen", "iven", "ären", "lichen", "igen")
_WEAK_NOUN_EN = ("enten", "anten", "isten", "aten", "oten", "grafen")   # Präsident-en, Soldat-en
_WEAK_NOUN_N = ("ogen",)                                                 # Biologe-n


def _is_adjective(word: str) -> bool:
    """A lowercase inflected word before the head ("südkoreanischen", "US-amerikanische")."""
    last = word.rsplit("-", 1)[-1]
    return bool(last) and last.isalpha() and last[0].islower() and last.endswith(_ADJ_END)


def _looks_plural(noun: str) -> bool:
    return noun.lower().endswith(("en", "rn", "ln"))


def _genitive_base(noun: str) -> str:
    """'Geheimdienstes' → 'Geheimdienst', 'Ministeriums' → 'Ministerium', 'Spiegels' → 'Spiegel'."""
    if len(noun) < 4 or noun.isupper() or not noun.isalpha():
        return noun
    low = noun.lower()
    if low.endswith("es") and len(noun) >= 6 and low[-3] not in "aeiouäöüy":
        return noun[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is", "as")):
        return noun[:-1]
    return noun


def _weak_noun_base(noun: str) -> str:
    """'Präsidenten' → 'Präsident', 'Soldaten' → 'Soldat' (singular after dem/des/einem)."""
    low = noun.lower()
    if len(noun) >= 7 and noun.isalpha():
        if low.endswith(_WEAK_NOUN_EN):
            return noun[:-2]
        if low.endswith(_WEAK_NOUN_N):
            return noun[:-1]
    return noun


def _normalise_np(text: str, det: str | None) -> str:
    """``text``: the speaker without its determiner ``det`` (lowercased, or None)."""
    if not det or not text:
        return text
    words = text.split(" ")
    k = 0
    while k < len(words) - 1 and _is_adjective(words[k]):
        k += 1
    # capitalised adjectives of names: "des Nationalen Nachrichtendienstes", "dem Europäischen Parlament"
    while k < len(words) - 1 and words[k].endswith(_NAME_ADJ_END) and words[k][:1].isupper() \
            and words[k + 1][:1].isupper():
        k += 1
    head = words[k]
    if not head[:1].isupper():
        return text
    singular_oblique = det in _SINGULAR_OBLIQUE or (det == "der" and not _looks_plural(head))
    for a in range(k):
        w = words[a]
        if singular_oblique and w.endswith("en"):
            words[a] = w[:-1]                      # südkoreanischen → südkoreanische
        elif det == "ein" and w.endswith(("er", "es")):
            words[a] = w[:-1]                      # ein südkoreanischer → südkoreanische
    if det in ("des", "eines"):
        head = _genitive_base(head)
    if det in ("dem", "des", "einem", "eines"):
        head = _weak_noun_base(head)
    words[k] = head
    return " ".join(words)


def _strip_genitive_s(name: str) -> str:
    if " " not in name and len(name) > 4 and name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _apposition_name(toks: _Tokens, i: int, j: int) -> int:
    """For "Kyrylo Budanov, der Chef des …" keep the name: end at the first comma."""
    for k in range(i, j):
        if toks.text[k] == ",":
            return k
    return j


# --------------------------------------------------------------------------- main entry

def find_source(sentence: str, context: str = "", context_offset: int = 0) -> Source | None:
    """The attribution of ``sentence`` or None (see module docstring)."""
    if not isinstance(sentence, str) or not isinstance(context, str):
        raise TypeError("find_source expects str arguments")
    if not isinstance(context_offset, int) or context_offset < 0:
        raise ValueError(f"context_offset must be a non-negative int, got {context_offset!r}")
    return _source(_cached_candidates(sentence), sentence, context, context_offset)


def find_sources_in(text: str, spans: Iterable[tuple[int, int]]) -> list[Source | None]:
    """``[find_source(text[s:e], text, s) for s, e in spans]``, faster (``text``: an
    article, ``spans``: its sentences).

    Most sentences fail the pre-check of :func:`_cached_candidates`.  Here they fail it
    on one word mask of the whole article (see :func:`_word_mask`) and the offsets of its
    quote marks, without a slice or a call; the others pass their words on to the rules,
    and their candidates to the pronoun resolution of the sentences after them."""
    if type(text) is not str or any(map(text.__contains__, _LOWERS_INTO_LATIN1)):  # (rare)
        return [find_source(text[s:e], text, s) for s, e in spans]
    mask, exact = _word_mask(text)
    quotes = _quote_offsets(text)
    n = len(text)
    known: dict[str, tuple] = {}   # the candidates of the sentences read
    out: list[Source | None] = []
    for s, e in spans:
        if not (type(s) is int and type(e) is int and 0 <= s <= e <= n):
            out.append(find_source(text[s:e], text, s))  # (what slicing does with these, or the error)
            continue
        quoted = quotes[bisect_left(quotes, s)] < e
        found = mask[s:e].split()
        if not quoted and _PRECHECK_WORDS.isdisjoint(found):
            out.append(None)
            continue
        sentence = text[s:e]
        cands = known.get(sentence)
        if cands is None:
            words = set(found) if exact else _words(sentence)
            cands = known[sentence] = _checked_candidates(sentence, words, quoted)
        out.append(_source(cands, sentence, text, s, known))
    return out


# Characters outside Latin-1 that lowercase into it ("K" Kelvin sign → "k", "İ" → "i̇").
_LOWERS_INTO_LATIN1 = "\u0130\u0178\u1e9e\u212a\u212b"


def _word_mask(text: str) -> tuple[str, bool]:
    """``text`` with each Latin-1 word character lowercased and every other character a
    space (one for one, so offsets agree), and whether it is exact: whether the words of
    any span of it are the ``_lower_words`` of the same span of ``text``.

    They are when the only characters outside Latin-1 are dashes.  Otherwise a word
    holding a letter outside Latin-1 ("Wałęsa") falls apart into pieces; but as long as
    ``text`` holds none of ``_LOWERS_INTO_LATIN1``, each pre-check word of a span (all
    are Latin-1 words) is still a word of its mask, so a span whose mask shows none has
    none."""
    latin1 = text.encode("latin-1", "replace")   # every other character becomes "?"
    exact = latin1.count(b"?") == text.count("?") + text.count("–")
    return latin1.translate(_LATIN1_LOWER_WORD_BYTES).decode("latin-1"), exact


def _quote_offsets(text: str) -> list[int]:
    """The offsets of ``_TRIGGER_CHARS`` in ``text``, sorted, and then ``len(text)`` (so
    that a search always finds one).  (A few str.find loops: a regular expression for a
    set of characters steps through the text several times as slowly.)"""
    out = []
    for c in _TRIGGER_CHARS:
        i = text.find(c)
        while i >= 0:
            out.append(i)
            i = text.find(c, i + 1)
    out.sort()
    out.append(len(text))
    return out


def _source(cands: tuple, sentence: str, context: str, context_offset: int,
            known: dict[str, tuple] | None = None) -> Source | None:
    """The attribution of ``sentence`` from its candidates (see find_source).  ``known``:
    candidates of sentences read before, for :func:`_resolve`."""
    if not cands:
        return None
    src = Source(*cands[0])
    if src.kind == "self":
        # "eigenen Angaben": the sentence's own subject, else the previous one's
        src.kind = "pronoun"
        own = _leading_subject(sentence) if src.start > 0 else ""
        src.speaker = own or _resolve(_before(context, context_offset), subject_only=True, known=known)
        return src if src.speaker else None
    if src.kind == "pronoun" or (src.kind == "quote" and not src.speaker) or src.speaker.lower() in _PRONOUNS:
        speaker = _resolve(_before(context, context_offset), known=known)
        if not speaker:
            return None
        if src.kind != "quote":
            src.kind = "pronoun"
        src.speaker = speaker
    return src


def _before(context: str, context_offset: int) -> str:
    return context[:context_offset] if context_offset else context


@lru_cache(maxsize=4096)
def _cached_candidates(sentence: str) -> tuple[tuple[str, int, int, str, str], ...]:
    """Attributions of the sentence, best first, as plain tuples of the fields of
    :class:`Source`.

    A reporting verb whose phrase starts before an according-to phrase is the
    outer attribution ("„…“, sagte X nach Angaben von Y" → X; "X warnte, dass
    laut Y …" → X); otherwise the according-to phrase wins.

    Cached because resolving a pronoun ("sagte er") re-reads the sentences before it,
    which the article pass has just read."""
    quoted = _has_quote_mark(sentence)
    found = _lower_words(sentence)
    if not quoted and _PRECHECK_WORDS.isdisjoint(found):
        return ()  # the common case, decided without building the word set
    return _checked_candidates(sentence, set(found), quoted)


def _checked_candidates(sentence: str, words: set[str], quoted: bool) -> tuple[tuple[str, int, int, str, str], ...]:
    """:func:`_cached_candidates` for a sentence that has passed the first pre-check:
    ``words`` are its lowercased words, ``quoted`` whether it holds a quote mark."""
    if _word_rules_may_match(sentence, words, quoted):
        cands = _compute_candidates(sentence, words)
    elif quoted:
        cands = _bare_quote(sentence, _long_quote(sentence))  # the only rule that may match
    else:
        return ()
    return tuple(map(_SOURCE_FIELDS, cands))


_SOURCE_FIELDS = attrgetter("text", "start", "end", "kind", "speaker")


def _long_quote(sentence: str) -> re.Match | None:
    """The first quotation in the sentence if it has at least four words."""
    quote = _QUOTE_RE.search(sentence)
    return quote if quote and len(quote.group(0).split()) >= 4 else None


def _bare_quote(sentence: str, quote: re.Match | None) -> list[Source]:
    """A sentence that is mostly a (long) quotation and starts with it: its speaker is
    the previous sentence's."""
    if quote and sentence.lstrip()[:1] in _OPEN_Q and len(quote.group(0)) >= 0.6 * len(sentence.strip()):
        return [Source(quote.group(0), quote.start(), quote.end(), "quote", "")]
    return []


def _compute_candidates(sentence: str, words: set[str]) -> list[Source]:
    """``words``: the sentence's lowercased words; a rule whose words are absent is skipped."""
    toks = _Tokens(sentence)
    if not toks.text:
        return []
    according = _according_to(sentence, toks, words)
    quote = _long_quote(sentence) if _has_quote_mark(sentence) else None
    verb = (_wie(sentence, toks) if "wie" in words and not words.isdisjoint(_SUBCLAUSE_SET) else None) \
        or (_speech_verb(sentence, toks) if not words.isdisjoint(_SPEECH_SET) else None) \
        or (_so(sentence, toks) if "so" in words else None)
    if verb and quote:
        verb.kind = "quote"
    out: list[Source] = []
    if verb and (not according or verb.start < according[0].start):
        out.append(verb)
        out.extend(according)
    else:
        out.extend(according)
        if verb:
            out.append(verb)
    if not out:
        m = _DEMNACH_RE.match(sentence)
        if m:
            out.append(Source(m.group(0), m.start(), m.end(), "pronoun", ""))
        else:
            out.extend(_bare_quote(sentence, quote))
    return out


def _according_to(sentence: str, toks: _Tokens, words: set[str]) -> list[Source]:
    """All according-to attributions in the sentence, in order of position."""
    out: list[Source] = []
    if words.isdisjoint(_ACCORDING_WORDS):
        return out  # every rule below needs one of these words
    info = not words.isdisjoint(_INFO_WORDS)
    if info and not words.isdisjoint(_INFO_PARTNERS):
        for m in _ANAPHOR_RE.finditer(sentence):
            kind = "self" if _EIGENE_RE.search(m.group(0)) else "pronoun"
            out.append(Source(m.group(0), m.start(), m.end(), kind, ""))
    if not words.isdisjoint(_INFO_PARTNERS) and (
            _has_compound_info(words) or ("-" in sentence and not words.isdisjoint(_COMPOUND_INFO))):
        for m in _COMPOUND_INFO_RE.finditer(sentence):
            speaker = _compound_speaker(m)
            if speaker and not any(o.start <= m.start() < o.end for o in out):
                out.append(Source(m.group(0), m.start(), m.end(), "according_to", speaker))
    rules = []
    if info and ("nach" in words or "gemäß" in words):
        rules.append(_NACH_INFO_RE)
    if "berufung" in words:
        rules.append(_BERUFUNG_RE)
    if "laut" in words:
        rules.append(_LAUT_RE)
    if "quelle" in words or "quellen" in words:
        rules.append(_QUELLE_RE)
    for rx in rules:
        for m in rx.finditer(sentence):
            if any(o.start <= m.start() < o.end for o in out):
                continue
            i = toks.index_at(m.end())
            if i is None:
                continue
            j = _np_forward(toks, i, coord=True)
            if j > i:
                speaker = _clean_speaker(toks, i, j, sentence, genitive=rx is _NACH_INFO_RE)
                if rx is _NACH_INFO_RE and j == i + 1 and not _VON_END_RE.search(m.group(0)):
                    speaker = _strip_genitive_s(speaker)  # "nach Angaben Seouls"
                if speaker:
                    end = toks.end[j - 1]
                    out.append(Source(sentence[m.start(): end], m.start(), end, "according_to", speaker))
    for m in (_ZUFOLGE_RE.finditer(sentence) if "zufolge" in words else ()):
        end_idx = bisect_left(toks.start, m.start())   # the first token at or after the match
        i = _np_backward(toks, end_idx)
        if i < end_idx:
            # "zufolge" governs the dative: "der Gewerkschaft zufolge" drops its article
            speaker = _clean_speaker(toks, i, end_idx, sentence, genitive=True)
            start = toks.start[i]
            if speaker and not any(o.start <= start < o.end for o in out):
                out.append(Source(sentence[start: m.end()], start, m.end(), "according_to", speaker))
    out.sort(key=lambda x: x.start)
    return out


def _has_compound_info(words: set[str]) -> bool:
    """Does a word end like a compound information noun ("polizeiangaben")?"""
    joined = " ".join(words)
    if not any(map(joined.__contains__, _COMPOUND_INFO)):
        return False  # the usual answer, found without a Python step per word
    return any(len(w) > 8 and w.endswith(_COMPOUND_INFO) and w not in _INFO_WORDS for w in words)


def _compound_speaker(m: re.Match) -> str:
    """The source named by "nach Polizeiangaben" / "Regierungsangaben zufolge" / "nach UN-Angaben"."""
    if not (m.group("prep") or m.group("post")):
        return ""
    who, info = m.group("who"), m.group("info")
    if m.group("hyphen"):
        return who if info[0].isupper() and len(who) >= 2 else ""
    if info[0].isupper() or len(who) < 3:
        return ""
    low = who.lower()
    if low.endswith("es") and len(who) > 4 and low[-3] not in "aeiouäöü":
        return who[:-2]        # Fugen-es: "Landesangaben" → "Land"
    if low.endswith("s") and not low.endswith("ss") and low[-2] not in "aeiouäöü":
        return who[:-1]        # Fugen-s: "Regierungsangaben" → "Regierung"
    return who


def _wie(sentence: str, toks: _Tokens) -> Source | None:
    for m in _WIE_RE.finditer(sentence):
        i = toks.index_at(m.start("np"))
        if i is None:
            continue
        j = _np_forward(toks, i, coord=True)
        if j == i:
            raw = m.group("np").split()
            # lowercase agency names ("die dpa"), never adverbs ("wie ausführlich berichtet")
            if 1 <= len(raw) <= 3 and not any(w.lower() in _FUNCTION for w in raw) \
                    and all(w[:1].isupper() or w.lower() in _DETS or (w.isalpha() and len(w) <= 4) for w in raw):
                det = raw[0].lower() if raw[0].lower() in _DETS and len(raw) > 1 else None
                speaker = _normalise_np(" ".join(raw[1:] if det else raw), det)
                return Source(m.group(0), m.start(), m.end(), "speech_verb", speaker)
            continue
        if toks.end[j - 1] != m.end("np"):
            # the np must reach the verb (allow a short adverbial after it)
            tail = sentence[toks.end[j - 1]: m.start("verb")].split()
            if len(tail) > 3:
                continue
        speaker = _clean_speaker(toks, i, j, sentence)
        if speaker:
            return Source(m.group(0), m.start(), m.end(), "speech_verb", speaker)
    return None


def _so(sentence: str, toks: _Tokens) -> Source | None:
    m = _SO_RE.search(sentence)
    if not m:
        return None
    i = toks.index_at(m.start("np"))
    if i is None:
        return None
    j = _np_forward(toks, i)
    if j == i:
        if toks.low[i] in _PRONOUNS:
            end = toks.end[i]
            return Source(sentence[m.start() + 1: end].strip(), m.start() + 1, end, "pronoun", "")
        return None
    speaker = _clean_speaker(toks, i, j, sentence)
    end = toks.end[j - 1]
    return Source(sentence[m.start() + 1: end].strip(), m.start() + 2, end,
                  "speech_verb", speaker) if speaker else None


def _speech_verb(sentence: str, toks: _Tokens) -> Source | None:
    low = toks.low
    n = len(low)
    # the reporting verbs among the tokens, in order (picked out without a Python step per token)
    for v in compress(range(n), map(_SPEECH_SET.__contains__, low)):
        verb = low[v]
        if v > 0 and low[v - 1] in ("zu", "wie", "die", "der", "das"):
            continue
        end = toks.end[v]
        if verb in _NEEDS_CLAUSE and not _CLAUSE_AFTER_RE.search(sentence, end):
            continue
        if v + 1 < n and low[v + 1] == "sich" and not verb.startswith("äußer"):
            continue  # reflexive: "Der Verdacht bestätigte sich", "Der Rest erklärt sich durch …"
        if verb in _NEEDS_CLAUSE_OR_FIGURE:
            if verb.startswith("meld") and _has_particle(sentence, end, ("an", "ab")):
                continue
            if not (_CLAUSE_AFTER_RE.search(sentence, end) or _FIGURE_AFTER_RE.search(sentence, end)):
                continue
        parts = _PARTICLE.get(verb)
        if parts and not _has_particle(sentence, end, parts):
            continue
        if verb in ("hieß", "heißt"):
            start, stop = toks.start[v], toks.end[v + 1]
            return Source(sentence[start: stop], start, stop, "pronoun", "")
        src = _subject_of(sentence, toks, v)
        if src:
            return src
    return None


_ES_AFTER_RE = re.compile(r"\s+es\b")
_DAVON_RE = re.compile(r"\b[Dd]avon\b")
# r"\bmit\b(?=…)", written to start with the particle, which a search then looks for
# quickly: "mit(?<!\wmit)" is "\bmit" (the letter before the particle is no word character).
_PARTICLE_RE = {
    p: re.compile(p + r"(?<!\w" + p + r")\b(?=\s*[,.:;!?“\"»«]|\s*$|\s+(?:und|dass|sei|seien|es|die|der|das|er|sie)\b)")
    for p in {p for parts in _PARTICLE.values() for p in parts} | {"an", "ab"}
}


def _has_particle(sentence: str, pos: int, parts: tuple[str, ...]) -> bool:
    tail = sentence[pos:]
    for p in parts:
        if p == "es":
            if _ES_AFTER_RE.match(tail):
                return True
            continue
        if p == "aus" and not _DAVON_RE.search(sentence):
            continue  # "geht davon aus"
        if _PARTICLE_RE[p].search(tail):
            return True
    return False


def _particle_anywhere(sentence: str, parts: tuple[str, ...]) -> bool:
    """False only if ``_has_particle(sentence, pos, parts)`` is False for every reporting
    verb ending at ``pos``.  There the tail starts with a character that is no word
    character, so what a search of the tail finds, a search of the whole sentence finds
    (the lookbehind of ``_PARTICLE_RE`` sees the same characters)."""
    for p in parts:
        if p == "es":
            if _ES_AFTER_RE.search(sentence):
                return True
        elif (p != "aus" or _DAVON_RE.search(sentence)) and _PARTICLE_RE[p].search(sentence):
            return True
    return False


def _post_np(sentence: str, toks: _Tokens, v: int) -> Source | None:
    low = toks.low
    n = len(low)
    i = v + 1
    if i < n and low[i] in _PRONOUNS:
        start, end = toks.start[v], toks.end[i]
        return Source(sentence[start: end], start, end, "pronoun", toks.text[i])
    if i < n and low[i] in ("dem", "einem", "den", "ihm", "ihr", "ihnen"):
        return None  # "sagte dem Sender ABC": the addressee, not the speaker
    j = _np_forward(toks, i)
    if j > i:
        speaker = _clean_speaker(toks, i, j, sentence)
        if speaker:
            start, end = toks.start[v], toks.end[j - 1]
            return Source(sentence[start: end], start, end, "speech_verb", speaker)
    return None


def _clause_start(toks: _Tokens, v: int) -> int:
    """Index of the first token of the clause holding token ``v``: after the last
    comma, semicolon, colon or closing quote before it."""
    text = toks.text
    for k in range(v - 1, -1, -1):
        if text[k] in ",;:" or text[k] in _CLOSE_Q:
            return k + 1
    return 0


def _subject_of(sentence: str, toks: _Tokens, v: int) -> Source | None:
    low = toks.low
    if low[v] in _PARTICIPLES:
        cs = _clause_start(toks, v)
        return _pre_np(sentence, toks, cs, v) if cs < v and low[cs] not in _FUNCTION else None
    if v == 0:
        return _post_np(sentence, toks, v)
    # after a quotation or a clause: "„…“, sagte X" / "…, erklärte der Minister"
    if toks.text[v - 1] in "," + _CLOSE_Q + ":":
        post = _post_np(sentence, toks, v)
        if post:
            return post
        # "Kyrylo Budanov, der Chef des …, erklärte, dass …"
        return _pre_np(sentence, toks, 0, v)
    # clause start: after the last comma/colon/quote before the verb
    cs = _clause_start(toks, v)
    first = low[cs]
    if (first in _FUNCTION and first not in ("ein", "eine")) \
            or (cs > 0 and first in ("dass", "weil", "ob", "wenn")):
        return _post_np(sentence, toks, v)
    src = _pre_np(sentence, toks, cs, v)
    return src or _post_np(sentence, toks, v)


def _pre_np(sentence: str, toks: _Tokens, cs: int, v: int) -> Source | None:
    if cs >= v:
        return None
    text, low = toks.text, toks.low
    first = low[cs]
    start, verb_end = toks.start[cs], toks.end[v]
    possessive = first == "ihr" and cs + 1 < v and _is_cap_word(text[cs + 1])
    if first in _PRONOUNS and not possessive:
        if low[v] in _PARTICIPLES and not (cs + 1 < v and low[cs + 1] in _AUX):
            return None  # "Mir hat er gesagt": the pronoun is not the subject
        return Source(sentence[start: verb_end], start, verb_end, "pronoun", text[cs])
    if first in _QUANTIFIERS and not (cs + 1 < v and _is_cap_word(text[cs + 1])):
        return None
    if first in _OBL_DET or first in _FIRST_PERSON or first in ("mir", "mich", "uns", "dir", "dich"):
        return None  # an object or a dative ("Den Schaden bezifferte die Bahn …"), or "ich"/"wir"
    j = _np_forward(toks, cs)
    if j == cs and _is_cap_word(text[cs]) and first not in _FUNCTION:
        # a capitalised adjective at sentence start ("Anonyme Quellen …")
        j = _np_forward(toks, cs + 1) if cs + 1 < v else cs
        if j == cs + 1:
            j = cs
    if j == cs:
        return None
    end = _apposition_name(toks, cs, j)
    # the NP must run up to the verb, or up to an apposition "X, der …, erklärte",
    # or be followed by an auxiliary with the participle closing the clause
    # ("Südkoreas Geheimdienst hat … berichtet, dass")
    perfect = j < v and low[j] in _AUX and (v + 1 >= len(low) or text[v + 1] in ",.:;")
    if perfect and j + 1 < v and low[j + 1] in _PRONOUNS:
        # "Sinngemäß hat er gesagt, …": the subject is the pronoun after the auxiliary
        p = toks.start[j + 1]
        return Source(sentence[p: verb_end], p, verb_end, "pronoun", text[j + 1])
    if j != v and not (j < v and text[j] == ",") and not perfect:
        return None
    if low[v] in _PARTICIPLES and not perfect:
        return None
    speaker = _clean_speaker(toks, cs, end, sentence)
    if not speaker:
        return None
    return Source(sentence[start: verb_end], start, verb_end, "speech_verb", speaker)


# --------------------------------------------------------------------------- resolution

# Where a text splits into sentences: whitespace after [.!?] or a quote mark and before a
# capital or a quote mark, a blank line, a line break,
#     (?<=[.!?“”«»"])\s+(?=[A-ZÄÖÜ„«»"])|\n\s*\n|\n
# written to start with the \s that each of these starts with, so that a search skips
# everything else quickly.
_SENT_END_RE = re.compile(r"\s(?:(?<=[.!?“”«»\"]\s)\s*(?=[A-ZÄÖÜ„«»\"])|(?<=\n)\s*\n|(?<=\n))")


def _leading_subject(sentence: str) -> str:
    """The noun phrase a sentence starts with, if it is not a function word or pronoun."""
    # Often decided by the first token alone (the first match of the token pattern), so
    # that the rest of the sentence need not be tokenised.
    first = _TOKEN_RE.search(sentence)
    if first is None:
        return ""
    first_low = first.group().lower()
    if first_low in _FUNCTION or first_low in _PRONOUNS or not _is_word(first.group()) \
            or first_low in _FIRST_PERSON:
        return ""
    toks = _Tokens(sentence)
    text, low = toks.text, toks.low
    if low[0] in _QUANTIFIERS and not (len(text) > 1 and _is_cap_word(text[1])):
        return ""
    j = _np_forward(toks, 0)
    if j == 0 and len(text) > 1 and text[0][0].isupper():
        j = _np_forward(toks, 1)
        j = j if j > 1 else 0
    return _clean_speaker(toks, 0, _apposition_name(toks, 0, j), sentence) if j > 0 else ""


def _sentences_back(text: str) -> Iterator[str]:
    """The sentences of ``text``, the last one first: the pieces of
    ``_SENT_END_RE.split(text)`` that are not blank, stripped.

    Found by searching back from the end a window at a time, as resolving mostly needs
    only the last sentence or two.  That finds the split points of the whole text: every
    split point is a run of whitespace, so none reaches across a character that is not
    whitespace, and after such a character a search finds what a search of the whole
    text finds there (a lookbehind still sees the text before the window)."""
    pos = len(text)      # the split points from here on are known
    end = len(text)      # where the piece not yet given ends
    while pos > 0:
        start = max(0, pos - 400)
        while start > 0 and text[start - 1].isspace():
            start -= 1
        found = []
        for m in _SENT_END_RE.finditer(text, start):
            if m.start() >= pos:
                break
            found.append(m.span())
        for split_start, split_end in reversed(found):
            piece = text[split_end:end].strip()
            if piece:
                yield piece
            end = split_start
        pos = start
    piece = text[:end].strip()
    if piece:
        yield piece


def _resolve(before: str, max_sentences: int = 6, subject_only: bool = False,
             known: dict[str, tuple] | None = None) -> str:
    """The nearest preceding speaker in ``before`` (or the subject of the previous sentence),
    from the last ``max_sentences`` (at least 1) sentences.  ``known``: candidates of
    sentences (as from :func:`_cached_candidates`) already at hand."""
    if not before or before.isspace():
        return ""
    recent = []      # the sentences read, the last one first
    count = min(2, max_sentences) if subject_only else max_sentences  # a subject: from the last two
    for s in islice(_sentences_back(before[-3000:]), count):
        if not subject_only:
            found = known.get(s) if known else None
            if found is None:
                found = _cached_candidates(s)
            # (text, start, end, kind, speaker) tuples: the speakers that are named
            cands = [c for c in found if c[4] and c[3] not in ("pronoun", "self") and c[4].lower() not in _PRONOUNS]
            if cands:
                return max(cands, key=itemgetter(1))[4]  # the closest one
        recent.append(s)
    for s in recent[:2]:
        subj = _leading_subject(s)
        if subj:
            return subj
    return ""
