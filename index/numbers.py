"""Quantities in German news sentences: value, hedge, unit, kind.

``parse_quantities(sentence)`` finds counts ("rund 12.000 Soldaten"), spelled-out
numbers ("acht Millionen Artilleriegranaten", "zweihundertfünfzig"), percentages
("18 Prozent", "18 %"), money ("3,4 Billionen Euro", "€ 5 Mio.") and measures
("100 Jahre", "mehrere hundert Quadratkilometer").  ``parse_quantities_in(text, spans)``
does it for each sentence span of a text.

Value normalisation: ``12.000`` = ``12 000`` (also NBSP / thin spaces) = ``12000``;
decimal comma (``3,4``); scale words (Tausend, Mio., Millionen, Mrd., Milliarden,
Bio., Billionen, Dutzend).

Not quantities: years ("2024", "seit 2014", "im Jahr 1990"), dates ("1.11.2024",
"am 3. Oktober"), times ("14.30 Uhr", "14:30"), ordinals ("der 2. Weltkrieg"),
scores ("3:1"), phone numbers, ages in brackets ("Müller (45)"), identifiers
after words like "Nr.", "Artikel", "Platz", numbers glued to letters ("K2",
"G7", "Covid-19", "90er") and number–hyphen compounds ("24-Stunden-Sendung").

Vague plurals ("Tausende", "Hunderte von", "mehrere tausend", "Millionen
Menschen") are returned with ``hedge="vage"`` and their lower bound as value
(Tausende → 2000, mehrere hundert → 200); callers treat them as compatible with
any figure.

Hedges are returned lowercased as written ("rund", "bis zu", "mehr als",
"ca."); "insgesamt", "bereits", "schon", "nur" are not hedges and are skipped
over.  :func:`hedge_class` maps a hedge to approx / upper / lower / near_below /
near_above / vague / exact for comparing values.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import repeat
from typing import Any

from index.stem import stem

__all__ = [
    "Quantity", "parse_quantities", "parse_quantities_in", "parse_number_word", "unit_key", "unit_matches",
    "hedge_class", "value_range",
]

KINDS = ("count", "percent", "money", "measure")
VAGUE = "vage"


@dataclass
class Quantity:
    """A quantity in a sentence.  ``start``/``end`` are offsets into that sentence."""

    text: str
    start: int
    end: int
    value: float
    hedge: str | None = None
    unit: str | None = None
    kind: str = "count"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Quantity":
        try:
            return cls(
                text=str(d["text"]), start=int(d.get("start", 0)), end=int(d.get("end", 0)),
                value=float(d["value"]), hedge=d.get("hedge"), unit=d.get("unit"),
                kind=str(d.get("kind", "count")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad quantity record: {exc!r}") from None


# --------------------------------------------------------------------------- vocabulary

_SCALES: dict[str, int] = {
    "tausend": 10**3, "tsd": 10**3, "tsd.": 10**3,
    "mio": 10**6, "mio.": 10**6, "million": 10**6, "millionen": 10**6,
    "mrd": 10**9, "mrd.": 10**9, "milliarde": 10**9, "milliarden": 10**9,
    "bio": 10**12, "bio.": 10**12, "billion": 10**12, "billionen": 10**12,
    "dutzend": 12,
}
_SCALE_RE = r"(?:Tausend|tausend|Tsd\.|Mio\.|Millionen|Million|Mrd\.|Milliarden|Milliarde|Bio\.|Billionen|Billion|Dutzend)"

_CURRENCY_WORDS: dict[str, str] = {
    "euro": "Euro", "eur": "Euro", "€": "Euro", "cent": "Cent", "eurocent": "Cent",
    "dollar": "Dollar", "us-dollar": "Dollar", "usd": "Dollar", "$": "Dollar", "us$": "Dollar",
    "franken": "Franken", "chf": "Franken", "pfund": "Pfund", "£": "Pfund", "gbp": "Pfund",
    "rubel": "Rubel", "yen": "Yen", "¥": "Yen", "yuan": "Yuan", "renminbi": "Yuan", "won": "Won",
    "kronen": "Kronen", "krone": "Kronen", "zloty": "Zloty", "złoty": "Zloty", "forint": "Forint",
    "lira": "Lira", "rupien": "Rupien", "hrywnja": "Hrywnja", "hrywnja.": "Hrywnja", "hrywnjas": "Hrywnja",
    "schilling": "Schilling", "d-mark": "D-Mark", "mark": "Mark",
}
_CURRENCY_RE = (
    r"(?:US-Dollar|Dollar|Euro|EUR|USD|Cent|Franken|CHF|Pfund|GBP|Rubel|Yen|Yuan|Renminbi|Won"
    r"|Kronen|Krone|Zloty|Złoty|Forint|Lira|Rupien|Hrywnja|Schilling|D-Mark|€|\$|£|¥|US\$)"
)
_PERCENT_RE = r"(?:Prozentpunkte[n]?|Prozentpunkt|Prozent|%|vH|v\.\s?H\.)"

# Things counted that are measures (durations, distances, areas, weights, energy).
_MEASURE_STEMS = frozenset(stem(w) for w in """
    Jahr Jahre Jahren Monat Monate Monaten Woche Wochen Tag Tage Tagen Stunde Stunden Minute Minuten
    Sekunde Sekunden Kilometer Meter Zentimeter Millimeter Quadratkilometer Quadratmeter Hektar
    Tonne Tonnen Kilogramm Kilo Gramm Liter Hektoliter Kubikmeter Grad Kilowattstunden Megawatt
    Gigawatt Kilowatt Terawattstunden Megawattstunden Gigawattstunden Barrel Meilen Seemeilen
    Kilometern Metern Litern Knoten Dezibel Volt Watt Kalorien Jahrzehnte Jahrhunderte
    """.split())
_MEASURE_ABBR = {
    "km": "km", "m": "m", "cm": "cm", "mm": "mm", "kg": "kg", "g": "g", "t": "t", "l": "l",
    "ha": "ha", "qm": "qm", "km²": "km²", "m²": "m²", "m³": "m³", "kwh": "kWh", "mwh": "MWh",
    "gwh": "GWh", "twh": "TWh", "mw": "MW", "gw": "GW", "kw": "kW", "°c": "°C", "°": "°",
    "km/h": "km/h", "ps": "PS", "mb": "MB", "gb": "GB", "tb": "TB",
}
_MEASURE_ABBR_RE = r"(?:km/h|km²|m²|m³|°C|kWh|MWh|GWh|TWh|MW|GW|kW|km|cm|mm|kg|qm|ha|PS|MB|GB|TB|m|g|t|l|°)"

_MONTHS = frozenset(
    "januar jänner februar feber märz april mai juni juli august september oktober november dezember".split()
)
_WEEKDAYS = frozenset("montag dienstag mittwoch donnerstag freitag samstag sonntag".split())
# Words before a 4-digit number that make it a year.
_YEAR_BEFORE = frozenset(
    """
    im seit bis ab von vor nach jahr jahre jahres jahren anfang ende mitte frühjahr frühling sommer
    herbst winter saison zwischen und oder jahrgang geburtsjahr baujahr modelljahr um in bereits
    schon erst spätestens frühestens jahreswechsel wahl wahlen olympia
    """.split()
) | _MONTHS
# Words before a number that make it an identifier, not a quantity.
_ID_BEFORE = frozenset(
    """
    nr nr. nummer no no. artikel art art. paragraf paragraph paragrafen § §§ seite seiten s. kapitel
    platz rang linie gleis zimmer level version stufe klasse folge staffel runde spieltag etappe
    bundesstraße autobahn flug tabelle abbildung abb. heft band bd. ausgabe kanal tor haus hausnummer
    postleitzahl plz kennzeichen mandat wahlkreis bezirk kw woche typ modell serie generation
    """.split()
)
# Not hedges, skipped when looking for one ("insgesamt rund 12.000", "bereits 3.000").
_SKIP_BEFORE = r"(?:insgesamt|bereits|schon|nur|lediglich|noch|erst|auch|sogar|derzeit|aktuell|nun|inzwischen|mittlerweile|damit|somit|also|aber|jedoch|allerdings)"
_HEDGES = [
    "schätzungsweise", "geschätzte", "geschätzt", "ungefähr", "annähernd", "circa", "zirka", "ca.",
    "rund", "rd.", "etwa", "um die", "an die",
    "bis zu", "höchstens", "maximal", "max.", "weniger als", "unter", "nicht mehr als", "kaum mehr als",
    "mindestens", "mind.", "wenigstens", "mehr als", "über", "weit über", "weit mehr als",
    "deutlich mehr als", "deutlich über", "gut", "knapp über", "etwas mehr als", "mehr denn",
    "fast", "knapp", "beinahe", "nahezu", "knapp unter", "etwas weniger als", "deutlich weniger als",
    "deutlich unter",
]
_HEDGE_CLASS = {
    "schätzungsweise": "approx", "geschätzte": "approx", "geschätzt": "approx", "ungefähr": "approx",
    "annähernd": "approx", "circa": "approx", "zirka": "approx", "ca.": "approx", "rund": "approx",
    "rd.": "approx", "etwa": "approx", "um die": "approx", "an die": "approx",
    "bis zu": "upper", "höchstens": "upper", "maximal": "upper", "max.": "upper",
    "weniger als": "upper", "unter": "upper", "nicht mehr als": "upper", "kaum mehr als": "upper",
    "knapp unter": "near_below", "etwas weniger als": "near_below", "deutlich weniger als": "upper",
    "deutlich unter": "upper",
    "mindestens": "lower", "mind.": "lower", "wenigstens": "lower", "mehr als": "lower", "über": "lower",
    "weit über": "lower", "weit mehr als": "lower", "deutlich mehr als": "lower", "deutlich über": "lower",
    "mehr denn": "lower",
    "gut": "near_above", "knapp über": "near_above", "etwas mehr als": "near_above",
    "fast": "near_below", "knapp": "near_below", "beinahe": "near_below", "nahezu": "near_below",
    VAGUE: "vague",
}


def _by_first_letter(words: list[str]) -> str:
    """Regex alternation of ``words`` (lowercase, kept in their order within each first
    letter) grouped by first letter: ``z(?:wei|ehn)|d(?:rei)|…``.  It matches what the flat
    ``zwei|zehn|drei|…`` matches (alternatives with different first letters never match at
    the same place), but the regex engine rejects a position after one test per letter
    instead of trying every alternative."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(re.escape(c) + "(?:" + "|".join(rest) + ")" for c, rest in groups.items())


_HEDGE_RE = re.compile(
    r"(?:^|(?<=[\s(„«»\"'–-]))(?P<hedge>"
    + _by_first_letter(sorted(_HEDGES, key=len, reverse=True))
    + r")\s+(?:" + _SKIP_BEFORE + r"\s+)?$",
    re.IGNORECASE,
)

# Vague plural amounts.
_VAGUE_WORDS = {
    "dutzende": 24, "hunderte": 200, "tausende": 2000, "zehntausende": 20000,
    "hunderttausende": 200000, "millionen": 2 * 10**6, "milliarden": 2 * 10**9,
    "abertausende": 2000, "aberhunderte": 200,
}
_VAGUE_RE = re.compile(
    r"(?<![\w-])(?:(?P<det>mehrere|einige|etliche|viele|zig|ein\s+paar|einigen|mehreren|vielen)\s+"
    r"(?P<scale>hundert|tausend|Hundert|Tausend|Dutzend|Millionen|Milliarden|hunderttausend|zehntausend)"
    r"|(?P<plural>Dutzende|Hunderte|Tausende|Zehntausende|Hunderttausende|Abertausende|Aberhunderte"
    r"|Millionen|Milliarden)(?:n)?)(?![\w-])"
)
_VAGUE_DET_SCALE = {
    "hundert": 200, "tausend": 2000, "dutzend": 24, "millionen": 2 * 10**6, "milliarden": 2 * 10**9,
    "hunderttausend": 200000, "zehntausend": 20000,
}

# --------------------------------------------------------------------------- masks

# Each mask with the substrings one of which any match must contain, so most
# sentences skip most of the scans.  Every mask but the URL one needs a digit.
_URL_RE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")                 # URLs, e-mail
_VERSION_RE = re.compile(r"[vV\d](?:(?<=[vV])(?<!\w.)\d+|(?<=\d)(?<!\w.)\d*)(?:\.\d+){2,}\b")    # versions, IPs
# Each pattern starts with a plain character class, which the regex engine skips ahead
# to (a leading lookaround makes it try every position), and checks the character
# before its first one by a lookbehind after it: "\d(?<!\d\d)" is "(?<!\d)\d".
_DIGIT_MASKS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"\d(?<!\d\d)\d?\.\s?\d{1,2}\.(?:\s?\d{2,4})?(?![\d])"), (".",)),              # 1.11.2024, 3.10.
    (re.compile(r"\d(?<!\d\d)\d{3}-\d{1,2}(?:-\d{1,2})?(?!\d)"), ("-",)),                       # 2024-10-31, 2024-10
    (re.compile(r"\d(?<!\d\d)\d?/\d{1,2}/\d{2,4}(?!\d)"), ("/",)),                              # 10/31/2024
    (re.compile(r"\d(?<!\d\d)\d?[.:]\d{2}(?:[.:]\d{2})?\s*(?:Uhr|h\b)"), (".", ":")),          # 14.30 Uhr
    (re.compile(r"\d(?<!\d\d)\d?\s*Uhr\b"), ("Uhr",)),                                            # 14 Uhr
    (re.compile(r"\d(?<![\d.,]\d)\d{0,2}:\d{1,3}(?![\d])"), (":",)),                            # 3:1, 14:30
    (re.compile(r"(?:\+|0(?<![\d.,]0)(?<!\d\s0)(?<!\w0)0(?=[1-9]))\d{1,3}[\s/-]?\(?\d{1,5}\)?(?:[\s/-]?\d{2,}){1,4}"),
     ("+", "00")),                                                                         # +49 30 1234567
    (re.compile(r"0(?<![\d.,]0)\d{2,5}\s?[/-]\s?\d{3,}(?:[\s-]\d{2,})*"), ("/", "-")),         # 030/1234567
    (re.compile(r"\((?:\d{1,3})\)"), ("(",)),                                               # ages "(45)"
    (_VERSION_RE, (".",)),
]
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
# One pass that finds whether any digit mask matches at all (most sentences: none).
_ANY_DIGIT_MASK_RE = re.compile(r"(?=[\d+(vV])(?:" + "|".join(f"(?:{rx.pattern})" for rx, _ in _DIGIT_MASKS) + ")")
# What a digit mask match contains at the least, to skip _ANY_DIGIT_MASK_RE (slow: the
# regex engine tries it at every position) in most sentences: "Uhr" (14 Uhr, 14.30 Uhr),
# "+" (+49 …) or a digit followed by
#   ":" or ")"                                    3:1, 14:30, (45)
#   "/" or "-" and a digit, maybe around spaces   10/31/2024, 2024-10-31, 030/1234567, 030 - 123
#   ".", up to 2 digits and "."                   1.11.2024, 3. 10.
#   ".", digits, "." and a digit                  v1.2.3, 192.168.0.1
#   ".", 2 digits (":"/"." 2 digits) and "h"      14.30 h
#   "0" and a digit 1-9, after a "0" that starts a word    0049 30 1234567
# A pattern starting with a plain character class (here \d) lets the engine skip ahead.
_MASK_HINT_RE = re.compile(
    r"\d(?:[:)]|\s?[/-]\s?\d|\.\s?\d{1,2}\.|\.\d+\.\d|\.\d\d(?:[.:]\d\d)?\s*h\b|(?<=(?<!\w)0)0[1-9])")

# --------------------------------------------------------------------------- regexes

_NUM_RE = re.compile(
    r"(?=[\dU€$£¥])"
    r"(?P<cur1>(?:US-?\$|[€$£¥])\s?)?"
    r"(?P<num>\d{1,3}(?:(?:\.|[ \u00a0\u2009\u202f])\d{3})+(?:,\d+)?(?![\d])|\d+(?:,\d+)?)"
)
# Where a match of _NUM_RE can start (its leading lookahead).  The regex engine skips
# ahead quickly only to a pattern's first plain character class, not to a lookahead, so
# _number_matches() looks for this class and tries _NUM_RE only there.
_NUM_START_RE = re.compile(r"[\dU€$£¥]")
_HALF_RE = re.compile(r"(?<![\w-])(?P<num>(?:[Ee]ine|[Ee]iner|[Ee]inen)\s+halbe[n]?\s+(?P<scale>Million|Milliarde|Billion))(?![\w])")
_AFTER_SCALE_RE = re.compile(r"\s*(?P<scale>" + _SCALE_RE + r")(?![\w])")
_AFTER_MEAS_RE = re.compile(r"\s?(?P<meas>" + _MEASURE_ABBR_RE + r")(?![\w/²³])")


def _first_chars(alternation: str) -> str:
    """Character class of the first characters of the alternatives in ``(?:a|b|…)``."""
    firsts = {a[1] if a[0] == "\\" else a[0] for a in alternation[3:-1].split("|")}
    return "[" + re.escape("".join(sorted(firsts))) + "]"


# After a number: a scale word, then at its end (or right away) a percent word or sign,
# else a currency, else a measure abbreviation, in one match (all parts are optional).  The
# spaces are not given back (none of the words starts with one), and a look at the
# first character rules out most words before trying a long list of them.
_AFTER_NUM_RE = re.compile(
    r"(?:\s*+(?=" + _first_chars(_SCALE_RE) + r")(?P<scale>" + _SCALE_RE + r")(?![\w]))?"
    r"(?:\s*+(?:(?=" + _first_chars(_PERCENT_RE) + r")(?P<pct>" + _PERCENT_RE + r")(?![\w])"
    r"|(?=" + _first_chars(_CURRENCY_RE) + r")(?P<cur>" + _CURRENCY_RE + r")(?![\w]))"
    r"|\s?+(?=" + _first_chars(_MEASURE_ABBR_RE) + r")(?P<meas>" + _MEASURE_ABBR_RE + r")(?![\w/²³]))?"
)
_NUMBER_WORD_PREFIX = (
    r"ein|zwei|drei|vier|fünf|sechs|sechz|sieben|siebz|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|dreissig|vierzig"
    r"|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|anderthalb|eineinhalb"
)
# A word (maximal run of letters) that starts like a German number word.
_NUMBER_WORD_RE = re.compile(
    r"(?=[EeZzDdVvFfSsAaNnHhTt])(?<![A-Za-zÄÖÜäöüß])(?=(?i:" + _NUMBER_WORD_PREFIX + r"))[A-Za-zÄÖÜäöüß]+"
)
# Cheap test (substrings of the lowercased sentence) whether a sentence can hold a
# quantity written in words: every number word that reads as a value contains one of
# these (units, "zehn"/"elf"/"zwölf", "zwanzig", "hundert", "tausend", "-einhalb",
# "anderthalb"; the other tens contain their unit), and "ein"/"eine" count only before
# a scale word; vague amounts ("Tausende", "mehrere hundert") and "eine halbe
# Million" contain a scale word too.  (_number_word_spans() relies on this as well.)
_NUMBER_SUBSTRINGS = (
    "zwei", "drei", "vier", "fünf", "sech", "sieb", "acht", "neun", "zehn", "elf", "zwölf", "zwanzig",
    "hundert", "tausend", "anderthalb", "einhalb", "dutzend", "tsd.", "mio.", "mrd.", "bio.",
    "million", "milliard", "billion",
)
# Rarer letters of German text first, but ".", ö and ü after the letters that the
# needles with them also have ("mio.", "zwölf", "fünf"): the fewer letters a match can
# start with, the fewer places the regex engine tries (8 letters, 16 % of the text).
_RARE_FIRST = "vzfbmcud.öülwhgotsaeirn"


def _any_substring_re(needles: tuple[str, ...]) -> re.Pattern:
    """A regex that finds where a string contains one of ``needles`` (lowercase letters
    and "."), several times faster than one substring search per needle: each needle is
    matched from its rarest letter on, then a lookbehind checks the whole needle
    ("c(?:ht(?<=acht))"), so the pattern starts with a plain set of rather rare letters,
    to which the regex engine skips ahead without trying the other positions.  A match
    starts at that letter and ends with the needle; as the lookbehind can look before
    where a search starts, finditer() finds every needle whose letter comes after the
    end of the one before."""
    groups: dict[str, list[str]] = {}
    for w in needles:
        k = min(range(len(w)), key=lambda i: _RARE_FIRST.index(w[i]))
        behind = f"(?<={re.escape(w)})" if k else ""
        groups.setdefault(w[k], []).append(re.escape(w[k + 1:]) + behind)
    return re.compile("|".join(re.escape(c) + "(?:" + "|".join(alts) + ")" for c, alts in groups.items()))


_NUMBER_SUBSTRING_RE = _any_substring_re(_NUMBER_SUBSTRINGS)
# Those of _NUMBER_SUBSTRINGS that a scale word ("eine Million") starts with.
_SCALE_STARTS = frozenset({"tsd.", "mio.", "million", "mrd.", "milliard", "bio.", "billion", "dutzend"})
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÄÖÜäöüß")  # of _NUMBER_WORD_RE
_VAGUE_SUBSTRINGS = ("hundert", "tausend", "dutzend", "million", "milliard")
_VAGUE_SUBSTRING_RE = _any_substring_re(_VAGUE_SUBSTRINGS)
_TOKEN_AFTER_RE = re.compile(r"\s*(?P<tok>[„\"«»]?[\w][\w\-'’]*[“\"»«]?|[^\w\s])")
_ZAHL_RE = re.compile(
    r"\b(?:Gesamtzahl|Anzahl|Zahl|Gesamtsumme|Summe|Höhe)\s+(?:der|des|von|an)\s+"
    r"(?:[a-zäöüß]+(?:e|en|er|es|em)\s+){0,3}(?P<unit>[A-ZÄÖÜ][\w\-]+)"
)
# Every word _ZAHL_RE starts with contains one of these.
_ZAHL_GUARD = ("ahl", "umme", "Höhe")
_DIGIT_RE = re.compile(r"\d")
_SEP_RE = re.compile(r"[.\s\u00a0\u2009\u202f]")
_PCT_OR_CUR_RE = re.compile(_PERCENT_RE + r"|" + _CURRENCY_RE)
_DASH_RANGE_RE = re.compile(r"^\s*(?:bis|und|oder|-|–|—)\s*$")
_ADJ_END_RE = re.compile(r"(?:e|en|er|es|em|ten|te)$")


# --------------------------------------------------------------------------- spelled numbers

_UNITS = {"ein": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
          "sieben": 7, "acht": 8, "neun": 9}
_TEENS = {"zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
          "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19}
_TENS = {"zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
         "siebzig": 70, "achtzig": 80, "neunzig": 90}


def _below_100(s: str) -> int | None:
    if s in _TEENS:
        return _TEENS[s]
    if s in _TENS:
        return _TENS[s]
    if s in _UNITS:
        return _UNITS[s]
    if "und" in s:
        u, _, t = s.partition("und")
        if u in _UNITS and u != "eins" and t in _TENS:
            return _UNITS[u] + _TENS[t]
    return None


def _below_1000(s: str) -> int | None:
    if not s:
        return None
    if "hundert" in s:
        pre, _, post = s.partition("hundert")
        h = 1 if pre in ("", "ein") else (_UNITS.get(pre) if pre != "eins" else None)
        if h is None:
            return None
        if not post:
            return h * 100
        rest = _below_100(post[3:] if post.startswith("und") else post)
        return None if rest is None else h * 100 + rest
    return _below_100(s)


def parse_number_word(word: str) -> float | None:
    """Value of a spelled-out German cardinal (0..999 999, plus ``-einhalb``), else None.

    >>> parse_number_word("zweihundertfünfzig"), parse_number_word("zwölftausend")
    (250, 12000)
    """
    s = word.lower() if word else ""
    if not s:
        return None
    if s == "null":
        return 0
    if s in ("anderthalb", "eineinhalb"):
        return 1.5
    if s.endswith("einhalb") and len(s) > 7:
        base = parse_number_word(s[:-7])
        return None if base is None or base != int(base) else base + 0.5
    if "tausend" in s:
        pre, _, post = s.partition("tausend")
        t = 1 if pre in ("", "ein") else _below_1000(pre)
        if t is None or pre == "eins":
            return None
        if not post:
            return t * 1000
        rest = _below_1000(post[3:] if post.startswith("und") else post)
        return None if rest is None else t * 1000 + rest
    return _below_1000(s)


# --------------------------------------------------------------------------- parsing

@dataclass(slots=True)
class _Raw:
    start: int            # start of the number (after any hedge)
    end: int              # end of number + scale + currency/percent
    value: int | Decimal  # an int when exact in float() after any scaling, else a Decimal
    scaled: bool
    kind: str
    unit: str | None
    vague: bool = False


def parse_quantities(sentence: str) -> list[Quantity]:
    """All quantities in ``sentence`` (offsets relative to it), in order of position."""
    if not isinstance(sentence, str):
        raise TypeError(f"parse_quantities expects str, got {type(sentence).__name__}")
    dm = _DIGIT_RE.search(sentence)
    low = sentence.lower()
    first_needle = _NUMBER_SUBSTRING_RE.search(low)  # any(map(low.__contains__, _NUMBER_SUBSTRINGS))
    if dm is None and first_needle is None:
        return []
    return _parse(sentence, low, dm.start() if dm else -1, first_needle)


def parse_quantities_in(text: str, spans: list[tuple[int, int]]) -> list[list[Quantity]]:
    """``[parse_quantities(text[s:e]) for s, e in spans]``, a little faster: the text is
    lowercased once, and a sentence with no digit and no number word (most are) is
    ruled out by two searches in the text, without slicing it."""
    if not isinstance(text, str):
        raise TypeError(f"parse_quantities_in expects str, got {type(text).__name__}")
    n = len(text)
    low = text.lower()
    if len(low) != n:  # lower() made two characters of an "İ": offsets of low and text differ
        return [parse_quantities(text[s:e]) for s, e in spans]
    # Apart from "İ", lower() maps each character to one, the same in a sentence as in the
    # text but for Σ (σ or ς by context, in no needle), so low[s:e] serves as the
    # sentence's lower().  _DIGIT_RE looks at nothing around a digit, so its search in
    # [s, e) finds what one in the slice does.
    digit_search, needle_search = _DIGIT_RE.search, _NUMBER_SUBSTRING_RE.search  # looked up once
    out: list[list[Quantity]] = []
    for s, e in spans:
        if s < 0 or e < 0:
            s, e, _ = slice(s, e).indices(n)
        dm = digit_search(text, s, e)
        needle_from = 0
        if dm is None:
            # The lookbehinds of _NUMBER_SUBSTRING_RE can see before s, so in low it finds
            # a needle of the slice or one that starts before s: where the slice's first
            # needle starts its match at the earliest.
            wm = needle_search(low, s, e)
            if wm is None:
                out.append([])
                continue
            needle_from = wm.start() - s
        low_s = low[s:e]
        first_needle = needle_search(low_s, needle_from)
        if dm is None and first_needle is None:
            out.append([])
        else:
            out.append(_parse(text[s:e], low_s, dm.start() - s if dm else -1, first_needle))
    return out


def _parse(sentence: str, low: str, first_digit: int, first_needle: re.Match | None) -> list[Quantity]:
    """parse_quantities(sentence) for a sentence with a digit, at ``first_digit`` (else -1),
    or a needle of _NUMBER_SUBSTRING_RE, the first found by ``first_needle`` in ``low``
    (sentence.lower())."""
    has_digit = first_digit >= 0
    words = first_needle is not None
    # every digit mask and digit number starts at most a few characters before a digit
    scan_from = max(0, first_digit - 5) if has_digit else len(sentence)
    masked = _masked_ranges(sentence, has_digit, scan_from)
    raws: list[_Raw] = []
    taken: list[tuple[int, int]] = []

    for m in (_VAGUE_RE.finditer(sentence) if words and _VAGUE_SUBSTRING_RE.search(low) else ()):
        if masked and _overlaps(masked, m.start(), m.end()):
            continue
        if m.group("plural"):
            word = m.group("plural").lower()
            if word in ("millionen", "milliarden") and _prev_is_number(sentence, m.start()):
                continue
            val = _VAGUE_WORDS.get(word) or _VAGUE_WORDS[word[:-1]]
        else:
            val = _VAGUE_DET_SCALE[m.group("scale").lower()]
        raws.append(_Raw(m.start(), m.end(), val, True, "count", None, vague=True))
        taken.append((m.start(), m.end()))

    for m in (_HALF_RE.finditer(sentence) if "halbe" in sentence else ()):
        if masked and _overlaps(masked, m.start(), m.end()) or taken and _overlaps(taken, m.start(), m.end()):
            continue
        value = Decimal(_SCALES[m.group("scale").lower()]) / 2
        raws.append(_Raw(m.start("num"), m.end(), value, True, "count", None))
        taken.append((m.start("num"), m.end()))

    for m in (_number_matches(sentence, scan_from) if has_digit else ()):
        s, e = m.start(), m.end()
        if masked and _overlaps(masked, s, e) or taken and _overlaps(taken, s, e):
            continue
        raw = _digit_quantity(sentence, m)
        if raw is not None:
            raws.append(raw)
            taken.append((raw.start, raw.end))

    for s, e in (_number_word_spans(sentence, low, first_needle) if words else ()):
        if masked and _overlaps(masked, s, e) or taken and _overlaps(taken, s, e):
            continue
        raw = _word_quantity(sentence, s, e)
        if raw is not None:
            raws.append(raw)
            taken.append((raw.start, raw.end))

    if not raws:
        return []
    if len(raws) == 1:
        return [_finish(sentence, raws[0])]  # nothing to sort, share or pass on
    raws.sort(key=lambda r: r.start)
    _propagate_ranges(sentence, raws)
    out = [_finish(sentence, r) for r in raws]
    # ranges: "10.000 bis 12.000 Soldaten" — the first number takes the second's unit
    for a, b in zip(out, out[1:]):
        if a.unit is None and a.kind == "count" and b.unit and _DASH_RANGE_RE.match(sentence[a.end:b.start]):
            a.unit, a.kind = b.unit, b.kind
    # "10.000 Soldaten ..., von denen etwa 8.000 in Kursk": a bare count takes the
    # unit of the nearest preceding count in the same sentence.
    last_unit = None
    for q in out:
        if q.kind == "count" and q.unit is None and last_unit is not None and q.hedge != VAGUE:
            q.unit = last_unit
        if q.kind == "count" and q.unit is not None:
            last_unit = q.unit
    return out


def _masked_ranges(sentence: str, has_digit: bool = True, scan_from: int = 0) -> list[tuple[int, int]]:
    """Ranges that are not quantities (URLs, dates, times, scores, phone numbers, ages, versions)."""
    out = []
    if "@" in sentence or "://" in sentence or "www." in sentence:  # what any _URL_RE match holds
        out.extend(m.span() for m in _URL_RE.finditer(sentence))
    first = None
    if has_digit and ("Uhr" in sentence or "+" in sentence or _MASK_HINT_RE.search(sentence, scan_from)):
        first = _ANY_DIGIT_MASK_RE.search(sentence, scan_from)
    if first is not None:
        # no mask matches before the first position where one of them matches
        for rx, guard in _DIGIT_MASKS:
            if not any(map(sentence.__contains__, guard)):
                continue
            for m in rx.finditer(sentence, first.start()):
                if rx is _VERSION_RE and _THOUSANDS_RE.match(m.group(0)):
                    continue  # "1.000.000" is a number, not a version
                out.append(m.span())
    out.sort()
    return out


def _number_matches(sentence: str, pos: int):
    """The matches of ``_NUM_RE.finditer(sentence, pos)``: _NUM_RE tried only where its
    leading character class matches (elsewhere it fails at once)."""
    c = _NUM_START_RE.search(sentence, pos)
    while c is not None:
        m = _NUM_RE.match(sentence, c.start())
        if m is None:
            c = _NUM_START_RE.search(sentence, c.start() + 1)
        else:
            yield m
            c = _NUM_START_RE.search(sentence, m.end())


def _number_word_spans(sentence: str, low: str, first: re.Match) -> list[tuple[int, int]]:
    """The spans, in order, of those matches of ``_NUMBER_WORD_RE.finditer(sentence)``
    that can be a quantity: the words that contain one of _NUMBER_SUBSTRINGS (as a number
    word that reads as a value does; _NUMBER_SUBSTRING_RE finds at least one needle in
    each such word) and the word right before a scale word (an article, "eine Million").
    The others, the most by far ("ein", "einer", "einige", …), give None in
    _word_quantity.  ``low`` is the sentence lowercased, ``first`` the first match of
    _NUMBER_SUBSTRING_RE in it."""
    if len(low) != len(sentence):  # lower() made two characters of an "İ": offsets differ
        return [m.span() for m in _NUMBER_WORD_RE.finditer(sentence)]
    starts = set()
    for m in (first, *_NUMBER_SUBSTRING_RE.finditer(low, first.end())):
        p = m.start()
        while p and sentence[p - 1] in _LETTERS:
            p -= 1  # back to the start of the word
        if low[p:m.end()] in _SCALE_STARTS:  # a scale word: the word before it, after spaces
            p = len(sentence[:p].rstrip())
            if not p or sentence[p - 1] not in _LETTERS:
                continue
            while p and sentence[p - 1] in _LETTERS:
                p -= 1
        starts.add(p)
    return [w.span() for w in map(_NUMBER_WORD_RE.match, repeat(sentence), sorted(starts)) if w]


def _overlaps(ranges: list[tuple[int, int]], s: int, e: int) -> bool:
    for a, b in ranges:
        if a < e and s < b:
            return True
    return False


def _prev_is_number(sentence: str, pos: int) -> bool:
    before = sentence[:pos].rstrip()
    if before[-1:].isdigit():
        return True
    m = re.search(r"([A-Za-zÄÖÜäöüß]+)$", before)
    return bool(m and m.group(1).lower() not in ("ein", "eine", "einer") and parse_number_word(m.group(1)) is not None)


def _to_decimal(num: str) -> Decimal:
    digits = _SEP_RE.sub("", num).replace(",", ".")
    return Decimal(digits)


def _prev_word(sentence: str, pos: int) -> str:
    """The run of word characters, '.', '§', '-' that ends before the spaces before ``pos``
    (what ``re.search(r"([\\w.§\\-]+)\\s*$", sentence[:pos])`` finds, without rescanning
    the sentence from its start for every number)."""
    i = pos
    while i > 0 and sentence[i - 1].isspace():
        i -= 1
    j = i
    while j > 0:
        ch = sentence[j - 1]
        if ch.isalnum() or ch in "_.§-":
            j -= 1
        else:
            break
    return sentence[j:i]


# Longest hedge / skipped word, for the window _hedge_before looks at.
_HEDGE_MAX = max(len(h) for h in _HEDGES)
_SKIP_MAX = max(len(w) for w in _SKIP_BEFORE[3:-1].split("|"))
# What a hedge match can end with right before the spaces before the number: the last
# word of a hedge, or a skipped word.
_HEDGE_TAILS = sorted({h.rsplit(" ", 1)[-1] for h in _HEDGES} | set(_SKIP_BEFORE[3:-1].split("|")))
_TAIL_MAX = max(len(w) for w in _HEDGE_TAILS)
_HEDGE_TAILS_BY_LAST = {c: tuple(w for w in _HEDGE_TAILS if w[-1] == c) for c in {w[-1] for w in _HEDGE_TAILS}}


def _hedge_before(sentence: str, pos: int) -> re.Match | None:
    """``_HEDGE_RE.search(sentence[:pos])``, looking only at the few words before ``pos``.

    A hedge match is: hedge, spaces, optionally one skipped word and spaces, then
    ``pos``; so it starts at most ``_HEDGE_MAX`` characters before the end of the
    word that precedes the skipped word's spaces."""
    i = pos
    while i > 0 and sentence[i - 1].isspace():
        i -= 1
    if i == pos:
        return None  # a hedge is always followed by a space
    # Most numbers have no hedge: the text before the spaces does not end with a hedge's
    # last word or a skipped word.  The test is on the lowercased text, so it leaves to the
    # regex the three letters its case-insensitive matching equates with "s" and "i"
    # although lower() does not (ſ, ı, İ).
    tail = sentence[max(0, i - _TAIL_MAX):i]
    low = tail.lower()
    ends = _HEDGE_TAILS_BY_LAST.get(low[-1:])
    if not (ends and low.endswith(ends)) and (
            tail.isascii() or ("ſ" not in tail and "ı" not in tail and "İ" not in tail)):
        return None
    j = max(0, i - _SKIP_MAX - 1)
    while j > 0 and sentence[j - 1].isspace():
        j -= 1
    return _HEDGE_RE.search(sentence, max(0, j - _HEDGE_MAX - 2), pos)


def _digit_quantity(sentence: str, m: re.Match) -> _Raw | None:
    cur, num = m.group("cur1", "num")
    s, e = m.span()
    n_start = m.start("num")
    before = sentence[n_start - 1] if n_start else ""
    after = sentence[e: e + 2]
    # glued to letters or other numbers: K2, G7, Covid-19, 3D, 90er, 24-Stunden
    if before and (before.isalnum() or before in "_/.,"):
        return None
    if before == "-" and n_start >= 2 and sentence[n_start - 2].isalpha():
        return None
    if after[:1] == "-" and (after[1:2].isalpha() or after[1:2] == ""):
        return None
    if after[:1] in (".", ",") and after[1:2].isdigit():
        return None
    scale = 1
    scaled = False
    kind = "count"
    unit: str | None = None
    pos = e
    # directly glued unit abbreviation ("100km", "18%")
    glued = _AFTER_MEAS_RE.match(sentence, e) if after[:1].isalpha() else None
    if after[:1].isalpha() and not (glued and glued.start("meas") == e):
        if not _PCT_OR_CUR_RE.match(sentence[e:e + 4]):
            return None
    is_plain_int = num.isdigit()
    # ordinal: "3. Oktober", "der 2. Weltkrieg" (a sentence-final "20." is a cardinal)
    if is_plain_int and len(num) <= 3 and after[:1] == "." and sentence[e + 1: e + 2].isspace():
        rest = sentence[e + 1:].strip()
        if rest and not rest[0] in "“\"»«)":
            return None
    # An int is cheaper than a Decimal and, with up to 15 digits, stays exact when scaled
    # (Decimal rounds products to 28 digits), so float() of either is the same.
    if is_plain_int and len(num) <= 15:
        value = int(num)
    else:
        try:
            value = Decimal(num) if is_plain_int else _to_decimal(num)
        except InvalidOperation:
            return None
    am = _AFTER_NUM_RE.match(sentence, pos)
    scale_word, pct, cur_word, meas = am.group("scale", "pct", "cur", "meas")
    if scale_word is not None:
        scale = _SCALES[scale_word.lower()]
        scaled = True
        pos = am.end("scale")
    if pct is not None:
        kind = "percent"
        unit = "Prozentpunkte" if pct.lower().startswith("prozentpunkt") else "Prozent"
        pos = am.end("pct")
    elif cur_word is not None:
        kind = "money"
        unit = _CURRENCY_WORDS.get(cur_word.lower(), cur_word)
        pos = am.end("cur")
    elif cur:
        kind = "money"
        unit = _CURRENCY_WORDS.get(cur.strip().lower().replace("us-", "us"), "Dollar")
    elif meas is not None and not sentence[am.end("meas"): am.end("meas") + 1].isalpha():
        kind = "measure"
        unit = _MEASURE_ABBR.get(meas.lower(), meas)
        pos = am.end("meas")
    prev = _prev_word(sentence, s)
    if prev.lower().rstrip(":") in _ID_BEFORE or prev.endswith("§"):
        return None
    # years: a plain 1000..2100 integer that is not clearly a count
    if is_plain_int and len(num) == 4 and 1000 <= int(num) <= 2100 and not scaled and unit is None and not cur:
        if _hedge_before(sentence, s) is None:
            if prev.lower() in _YEAR_BEFORE or prev.isdigit():
                return None
            nxt = _TOKEN_AFTER_RE.match(sentence, pos)
            tok = nxt.group("tok") if nxt else ""
            if not tok or not (tok[:1].isupper() or _ADJ_END_RE.search(tok) and tok.isalpha() and tok.islower()):
                return None
            if tok.lower() in _MONTHS or tok.lower() in _WEEKDAYS:
                return None
            if tok[:1].isupper() and _name_around(sentence, s, nxt.end()):
                return None  # "TSV 1860 München", "(1860 München, …)", "1966 Wilhelm Bungert"
    start = s if not cur else m.start("cur1")
    return _Raw(start, pos, value * scale, scaled, kind, unit)


def _name_around(sentence: str, num_start: int, tok_end: int) -> bool:
    """Is a year-like number followed by a capitalised word part of a name or label
    rather than a count?

    Yes when an opening bracket or quote stands right before it ("(1860 München, …)");
    when an acronym or hyphenated word stands before it ("TSV 1860 München",
    "Olympia-Bronze 2012 Omnium"); when another capitalised word stands before it and
    the phrase ends after the word that follows ("Cern 2012 Wissenschaftsgeschichte.");
    or when a second capitalised word follows ("1966 Wilhelm Bungert").  A capitalised
    word before the number that starts the sentence does not count; a capitalised noun
    before a count with the clause going on stays a count ("hätten Polizisten 2000
    Frauen dazu angehalten")."""
    i = num_start
    while i > 0 and sentence[i - 1].isspace():
        i -= 1
    if i > 0 and sentence[i - 1] in "(„«»\"[":
        return True
    after = _TOKEN_AFTER_RE.match(sentence, tok_end)
    nxt = after.group("tok") if after else ""
    if nxt[:1].isupper() and nxt.isalpha():
        return True
    prev = _prev_word(sentence, num_start)
    if prev[:1].isupper() and prev[:1].isalpha() and sentence[:i - len(prev)].strip():
        if "-" in prev or any(ch.isdigit() for ch in prev) or (len(prev) > 1 and prev.isupper()):
            return True
        return not (nxt[:1].isalpha() and nxt[:1].islower())
    return False


def _word_quantity(sentence: str, s: int, e: int) -> _Raw | None:
    word = sentence[s:e]
    if sentence[e: e + 1] == "-" or (s and sentence[s - 1] in "-"):
        return None
    low = word.lower()
    if word[:1].isupper() and s > 0 and not _sentence_initial(sentence, s):
        return None  # "die Elf", "außer Acht"
    article = low in ("ein", "eine", "einer", "einen", "einem", "eines")
    if not article:
        v = parse_number_word(low)
        if v is None or v == 0:
            return None
        if low == "eins":
            return None
    am = _AFTER_NUM_RE.match(sentence, e)
    scale_word, pct, cur_word = am.group("scale", "pct", "cur")
    if article:
        if scale_word is None or scale_word.lower() in ("tausend",):
            return None
        value = 1
    else:
        value = v if type(v) is int else Decimal(str(v))  # ints exact, as in _digit_quantity
    pos = e
    scaled = False
    if scale_word is not None:
        value *= _SCALES[scale_word.lower()]
        pos = am.end("scale")
        scaled = True
    kind, unit = "count", None
    if pct is not None:
        kind, unit, pos = "percent", "Prozent", am.end("pct")
    elif cur_word is not None:
        kind, unit, pos = "money", _CURRENCY_WORDS.get(cur_word.lower(), cur_word), am.end("cur")
    prev = _prev_word(sentence, s)
    if prev.lower() in _ID_BEFORE:
        return None
    return _Raw(s, pos, value, scaled, kind, unit)


def _sentence_initial(sentence: str, pos: int) -> bool:
    before = sentence[:pos].rstrip(" „\"«»(")
    return not before or before[-1] in ".!?:–-"


def _propagate_ranges(sentence: str, raws: list[_Raw]) -> None:
    """'10.000 bis 12.000 Soldaten', 'zwei bis drei Millionen Euro': share unit and scale."""
    for a, b in zip(raws, raws[1:]):
        between = sentence[a.end:b.start]
        if not _DASH_RANGE_RE.match(between) or a.vague or b.vague:
            continue
        if not a.scaled and b.scaled and a.value < 1000:
            scale_m = _AFTER_SCALE_RE.search(sentence, b.start, b.end)
            if scale_m:
                a.value *= _SCALES[scale_m.group("scale").lower()]
                a.scaled = True
        if a.unit is None and a.kind == "count":
            a.kind = b.kind
            a.unit = b.unit


def _finish(sentence: str, r: _Raw) -> Quantity:
    start, end = r.start, r.end
    hedge = None
    if r.vague:
        hedge = VAGUE
    else:
        hm = _hedge_before(sentence, start)
        if hm:
            hedge = hm.group("hedge").lower()
            start = hm.start("hedge")
    kind, unit = r.kind, r.unit
    if unit is None:
        found = _unit_after(sentence, r.end)
        if found:
            unit, u_end = found
            end = u_end
            if stem(unit) in _MEASURE_STEMS or ("-" in unit and stem(unit.split("-")[-1]) in _MEASURE_STEMS):
                kind = "measure"
            elif unit.lower() in _CURRENCY_WORDS:
                kind, unit = "money", _CURRENCY_WORDS[unit.lower()]
    if hedge == "über" and unit and _is_time_span(unit) and not _over_is_more_than(sentence, start, unit, end):
        hedge, start = None, r.start  # "über 24 Monate": a duration, not "mehr als"
    if unit is None and any(map(sentence.__contains__, _ZAHL_GUARD)):
        zm = None
        for zm in _ZAHL_RE.finditer(sentence, 0, start):
            pass
        if zm is not None:
            unit = zm.group("unit")
    value = float(r.value)
    if value == int(value) and abs(value) < 1e18:
        value = float(int(value))
    return Quantity(sentence[start:end], start, end, value, hedge, unit, kind)


_TIME_SPAN_STEMS = frozenset(stem(w) for w in (
    "Sekunden Minuten Stunden Tage Wochen Monate Jahre Jahrzehnte Jahrhunderte Quartale Semester Saisons".split()))
# Dative plurals of time spans: after "über" they show an adverb ("seit über zwei Jahren")
# because "über" as a preposition of time takes the accusative ("über zwei Jahre").
_TIME_SPAN_DATIVE = frozenset("tagen monaten jahren jahrzehnten jahrhunderten quartalen".split())
# Prepositions before "über": then "über" means "more than" ("vor über 20 Jahren").
_PREP_BEFORE_UEBER = frozenset(
    "seit vor nach mit von vom bei für in im ab auf um binnen innerhalb während zu zur zum aus".split())


def _is_time_span(unit: str) -> bool:
    return stem(unit.split("-")[-1]) in _TIME_SPAN_STEMS


_MORE_THAN_AFTER_RE = re.compile(r"\s+(?:alt|ält|lang|läng)(?:e[nmrs]?|er\w*)?\b")


def _over_is_more_than(sentence: str, hedge_start: int, unit: str, unit_end: int) -> bool:
    """Does "über" before a time span mean "mehr als" ("seit über zwei Jahren", "vor über
    20 Jahren", "über 80 Jahre alt") rather than a duration ("über 24 Monate laufen")?"""
    if unit.lower() in _TIME_SPAN_DATIVE or _MORE_THAN_AFTER_RE.match(sentence, unit_end):
        return True
    return _prev_word(sentence, hedge_start).lower() in _PREP_BEFORE_UEBER


def _unit_after(sentence: str, pos: int) -> tuple[str, int] | None:
    """The noun counted after a number: skip up to 3 adjectives and 'von'/'an'."""
    skipped = 0
    while skipped <= 3:
        m = _TOKEN_AFTER_RE.match(sentence, pos)
        if not m:
            return None
        tok = m.group("tok")
        word = tok.strip("„\"«»“")
        if not word or not (word[0].isalpha()):
            return None
        if word[0].isupper():
            low = word.lower()
            if low in _MONTHS or low in _WEEKDAYS or low in _SCALES:
                return None
            return word.rstrip("'’"), m.end()
        if skipped == 0 and word in ("von", "an"):
            pos = m.end()
            skipped += 1
            continue
        if word.isalpha() and _ADJ_END_RE.search(word) and _next_is_word(sentence, m.end()):
            pos = m.end()
            skipped += 1
            continue
        return None
    return None


def _next_is_word(sentence: str, pos: int) -> bool:
    m = _TOKEN_AFTER_RE.match(sentence, pos)
    return bool(m and m.group("tok")[:1].isalpha())


# --------------------------------------------------------------------------- units

_UNIT_CLASSES_WORDS = [
    "Soldat Soldaten Truppen Truppe Militärs Streitkräfte Infanteristen Kämpfer Söldner",
    "Einsatzkräfte Rettungskräfte Hilfskräfte Helfer Feuerwehrleute Feuerwehrkräfte Retter Rettungssanitäter",
    "Menschen Personen Leute Einwohner Bewohner Bürger Zivilisten",
    "Tote Todesopfer Getötete Tote Leichen Verstorbene",
    "Verletzte Verwundete",
    "Vermisste",
    "Teilnehmer Teilnehmende Demonstranten Demonstrierende Protestierende Streikende",
    "Beschäftigte Mitarbeiter Angestellte Arbeitnehmer Mitarbeitende Arbeitskräfte",
    "Flüchtlinge Geflüchtete Schutzsuchende Vertriebene",
    "Euro EUR", "Dollar USD US-Dollar", "Prozent",
]
_UNIT_CLASSES: list[frozenset[str]] = [
    frozenset(stem(w.replace("-", "")) for w in line.split()) for line in _UNIT_CLASSES_WORDS
]


def unit_key(unit: str | None) -> str:
    """Comparable key of a unit: lowercase, umlauts folded, crude German stem.

    >>> unit_key("Soldaten") == unit_key("Soldat")
    True
    """
    if not unit:
        return ""
    w = unit.strip("„“\"«»'’.,;:()").replace("-", "")
    if not w:
        return ""
    return stem(w)


@lru_cache(maxsize=8192)  # grouping asks for the same few hundred keys once per candidate pair
def _unit_class(key: str) -> int | None:
    for i, cls in enumerate(_UNIT_CLASSES):
        for member in cls:
            if key == member or (len(member) >= 5 and key.endswith(member)):
                return i
    return None


def unit_matches(a: str | None, b: str | None) -> bool:
    """Do units ``a`` and ``b`` count the same kind of thing?

    True for the same stem ("Soldaten"/"Soldat"), for a compound ending in the
    other ("Infanteriesoldaten"/"Soldaten": suffix match on stems of ≥ 4 chars)
    and for members of one small class of general news synonyms
    ("Truppen"/"Soldaten", "Personen"/"Menschen").
    """
    ka, kb = unit_key(a), unit_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    if len(short) >= 4 and long_.endswith(short):
        return True
    ca = _unit_class(ka)
    return ca is not None and ca == _unit_class(kb)


# --------------------------------------------------------------------------- hedges

def hedge_class(hedge: str | None) -> str:
    """'exact' | 'approx' | 'upper' | 'lower' | 'near_below' | 'near_above' | 'vague'."""
    if not hedge:
        return "exact"
    return _HEDGE_CLASS.get(hedge.lower(), "approx")


def value_range(q: Quantity) -> tuple[float, float]:
    """The interval a hedged value stands for (see ``claims`` for how it is used).

    exact ±0.5 % (equal figures), approx ±5 %, near_below [95 %, 100 %],
    near_above [100 %, 110 %], upper [0, v], lower [v, ∞), vague [v, ∞).
    """
    v = q.value
    c = hedge_class(q.hedge)
    if c == "exact":
        return v * 0.995, v * 1.005
    if c == "approx":
        return v * 0.95, v * 1.05
    if c == "near_below":
        return v * 0.95, v
    if c == "near_above":
        return v, v * 1.1
    if c == "upper":
        return 0.0, v
    return v, float("inf")
