"""Metadata read from an article's text the way a human reader would.

``extract_metadata(text)`` looks at the places where news text carries its
metadata — a leading ``date 2024-10`` token or ``Datum:`` line, a lone date
line, a byline ("Von Anna Keller, 16. Juni 2025"), "Stand: …", a dateline
("Kiew (dpa).", "Berlin (AFP) –"), cross-promotion lines ("Auch bei X:",
"Mehr von X", "© X 2024", "Quelle: X"), URL lines, the first heading or the
first short line — and returns a :class:`Meta`.  Lines and prefixes that are
*pure* metadata come back as ``Span(kind="meta")``.

``parse_date(value)`` / ``find_date(text)`` normalise German (and common
English/ISO/RFC-2822) date notations to ISO, partial allowed.

Pure functions, standard library only.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from index.boilerplate import iter_lines, line_reason
from index.model import Span

__all__ = ["Meta", "extract_metadata", "parse_date", "find_date", "first_sentence", "clean_title"]

TITLE_MAX = 200


@dataclass
class Meta:
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    spans: list[Span] = field(default_factory=list)


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "january": 1,
    "februar": 2, "feber": 2, "feb": 2, "february": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "december": 12, "dec": 12,
}
_MONTH_RX = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_WEEKDAY_RX = (r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
               r"mo|di|mi|do|fr|sa|so|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
               r"mon|tue|wed|thu|fri|sat|sun)\.?,?")

# one regex, several alternatives, each with its own named groups
_DATE_RX = re.compile(
    r"(?<![\w.])(?:"
    r"(?P<iy>(?:19|20)\d{2})-(?P<im>\d{1,2})(?:-(?P<id>\d{1,2}))?(?![\d-])(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?P<sy>(?:19|20)\d{2})/(?P<sm>\d{1,2})/(?P<sd>\d{1,2})(?!\d)"
    r"|(?P<gd>\d{1,2})\.\s?(?P<gm>\d{1,2})\.\s?(?P<gy>(?:19|20)\d{2}|\d{2}(?![\d.]))(?!\d)"
    r"|(?:(?P<nd>\d{1,2})\.?\s*)?(?P<nm>" + _MONTH_RX + r")\.?\s+(?P<ny>(?:19|20)\d{2})(?!\d)"
    r"|(?P<em>" + _MONTH_RX + r")\.?\s+(?P<ed>\d{1,2})(?:st|nd|rd|th)?,\s*(?P<ey>(?:19|20)\d{2})(?!\d)"
    r")",
    re.I,
)


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if not 1900 <= y <= 2100:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        _dt.date(y, m, d)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _from_match(m: re.Match) -> str | None:
    g = m.groupdict()
    if g["iy"]:
        return _iso(int(g["iy"]), int(g["im"]), int(g["id"]) if g["id"] else None)
    if g["sy"]:
        return _iso(int(g["sy"]), int(g["sm"]), int(g["sd"]))
    if g["gy"]:
        y = int(g["gy"])
        if y < 100:
            y += 2000 if y <= (_dt.date.today().year % 100) + 1 else 1900
        return _iso(y, int(g["gm"]), int(g["gd"]))
    if g["ny"]:
        mon = _MONTHS[g["nm"].lower()]
        return _iso(int(g["ny"]), mon, int(g["nd"]) if g["nd"] else None)
    if g["ey"]:
        return _iso(int(g["ey"]), _MONTHS[g["em"].lower()], int(g["ed"]))
    return None


def find_date(text: str) -> str | None:
    """The first valid date written anywhere in ``text``, as ISO (partial allowed)."""
    for m in _DATE_RX.finditer(text):
        iso = _from_match(m)
        if iso:
            return iso
    return None


def parse_date(value: object) -> str | None:
    """Normalise a date *value* (front matter, a JSON/CSV field, an override) to
    ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None when it is not a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        v = float(value)
        if 1900 <= v <= 2100 and v == int(v):
            return f"{int(v):04d}"
        if v > 1e11:  # milliseconds
            v /= 1000.0
        if 1e8 <= v <= 4.2e9:  # Unix timestamp
            return _dt.datetime.fromtimestamp(v, _dt.timezone.utc).date().isoformat()
        return None
    s = str(value).strip()
    if not s or len(s) > 120:
        return None
    if re.fullmatch(r"(?:19|20)\d{2}", s):
        return s
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", s):
        return parse_date(float(s))
    iso = find_date(s)
    if iso:
        return iso
    try:  # RFC 2822 ("Fri, 01 Nov 2024 10:00:00 +0100")
        d = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        d = None
    if d is not None:
        return _iso(d.year, d.month, d.day)
    return None


# --------------------------------------------------------------------------- sentences / titles

_ABBREV = {
    "dr", "prof", "st", "nr", "bzw", "ca", "vgl", "etc", "inkl", "exkl", "evtl", "ggf", "ehem", "mio", "mrd",
    "abs", "art", "jh", "jhd", "hl", "gen", "sog", "usw", "bzgl", "dipl", "ing", "mag", "min", "max", "tel",
    "str", "chr", "geb", "gest", "verh", "hr", "fr", "hrsg", "sen", "jun", "jr", "sr", "mr", "mrs", "ms",
    "co", "inc", "ltd", "corp", "vs", "no", "ff", "bd", "ziff", "kap", "anm", "bspw", "insb", "allg",
    "betr", "zzgl", "abb", "tab", "ebd", "od", "u", "o", "a", "d", "h", "z", "b", "v", "s", "rd", "zw",
    "lt", "gegr", "mind", "spd", "ver", "dt", "engl", "franz", "ital", "span", "lat", "griech",
} | {k for k in _MONTHS if len(k) <= 4 and k not in ("mai", "may", "juni", "juli", "june", "july")}

_SENT_END = re.compile(r"[.!?…](?:[\"“”»«'’)\]]*)(?=\s+[\"„“»«'‚(]?[A-ZÄÖÜ0-9])")


def first_sentence(s: str, limit: int = 2000) -> str:
    """The first sentence of ``s`` (German aware: "am 3. Oktober", "Dr.", "z. B."
    and initials do not end a sentence).  Returns ``s`` when there is no end
    within the first ``limit`` characters."""
    for m in _SENT_END.finditer(s, 0, min(len(s), limit)):
        end = m.end()
        if s[m.start()] == ".":
            before = s[max(0, m.start() - 60): m.start()]
            tok = re.search(r"(\S+)$", before)
            word = tok.group(1) if tok else ""
            bare = word.lstrip("(\"„“»«'")
            if re.fullmatch(r"\d{1,3}", bare):  # ordinal: "am 3. Oktober", "20. Jahrhundert"
                continue
            if bare.lower() in _ABBREV:
                continue
            if re.fullmatch(r"[A-ZÄÖÜ]", bare):  # initial: "Kim J. Un"
                continue
            if re.fullmatch(r"(?:[A-Za-zÄÖÜäöü]{1,3}\.)+[A-Za-zÄÖÜäöü]{1,3}", bare):  # "z.B", "u.a", "U.S"
                continue
        return s[:end]
    return s


def clean_title(t: str) -> str:
    """Collapse whitespace, drop markdown decoration and a trailing full stop,
    cap at TITLE_MAX characters on a word boundary."""
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^#{1,6}\s+", "", t)
    t = re.sub(r"^(\*\*|__)(.+)\1$", r"\2", t).strip()
    if t.endswith(".") and not t.endswith(".."):
        last = t.rsplit(None, 1)[-1][:-1]
        if not (last.lower() in _ABBREV or re.fullmatch(r"[A-ZÄÖÜ]|\d{1,3}|(?:\w{1,3}\.)+\w{1,3}", last)):
            t = t[:-1].rstrip()
    if len(t) > TITLE_MAX:
        cut = t[:TITLE_MAX - 1]
        sp = cut.rfind(" ")
        if sp > TITLE_MAX // 2:
            cut = cut[:sp]
        t = cut.rstrip(" ,;:–-") + "…"
    return t


_KICKER = re.compile(r"^(?P<k>[^/|:]{2,32}?)\s+[/|]\s+(?P<t>.{15,})$")


def _strip_kicker(t: str) -> str:
    """"Ukraine-Krieg / Soldaten eingetroffen" → "Soldaten eingetroffen" (a short
    topic label before " / " or " | ")."""
    m = _KICKER.match(t)
    if m and len(m.group("k").split()) <= 3 and len(m.group("t").split()) >= 3:
        return m.group("t").strip()
    return t


# --------------------------------------------------------------------------- line rules

_DATE_KEYS_PUB = (r"date|datum|veröffentlicht(?: am)?|erschienen(?: am)?|publiziert(?: am)?|published(?: on| at)?|"
                  r"erstellt(?: am)?|publikationsdatum|erscheinungsdatum|pubdate")
_DATE_KEYS_UPD = r"stand|aktualisiert(?: am)?|zuletzt aktualisiert(?: am)?|letzte aktualisierung|updated(?: on| at)?|last updated"
_TIME_TAIL = r"(?:\s*(?:,|\||-|–|·|um)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:uhr|h|mez|mesz|cet|cest|utc)?)?\.?"
_DATE_CORE = _DATE_RX.pattern[len(r"(?<![\w.])"):]

_KEYED_DATE = re.compile(
    r"^(?P<key>" + _DATE_KEYS_PUB + "|" + _DATE_KEYS_UPD + r")\s*(?:[:=]\s*|\s+)(?:" + _WEEKDAY_RX + r"\s*)?"
    r"(?P<date>" + _DATE_CORE + r")(?P<tail>" + _TIME_TAIL + r")(?P<ws>[ \t]*)",
    re.I,
)
_LONE_DATE = re.compile(
    r"^\(?(?:" + _WEEKDAY_RX + r"\s*)?(?P<date>" + _DATE_CORE + r")" + _TIME_TAIL + r"\)?$",
    re.I,
)

_LOWER = "a-zäöüßéèáàíóúçñøåæëïćčšžł'’"
_NAME_WORD = r"(?:[A-ZÄÖÜÉŠŽČ][" + _LOWER + r"]+(?:-[A-ZÄÖÜÉŠŽČ]?[" + _LOWER + r"]+)*|[A-ZÄÖÜ]\.)"
_PARTICLE = r"(?:von|van|de|der|den|zu|di|da|del|la|le|ten|ter|bin|al|el|dos|du)"
_NAME = _NAME_WORD + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _NAME_WORD + r"){1,3}"
_BYLINE = re.compile(
    r"^(?i:(?:ein(?:e)?\s+)?(?:kommentar|gastbeitrag|gastkommentar|analyse|bericht|reportage|essay|interview|kolumne|text)\s+)?"
    r"(?i:von|by)\s+(?P<names>" + _NAME + r"(?:\s*(?:,|und|&|and)\s*" + _NAME + r")*)"
    r"\s*(?:$|(?P<sep>[,|·–—/-]|\s+(?:aus|in|für)\s+)\s*(?P<rest>.{0,80})$)",
)
_AUTHOR_KEY = re.compile(r"^(?:autor|autorin|autoren|autorinnen|author|authors|verfasser|verfasserin|text)\s*:\s*(?P<v>.{2,120})$", re.I)
_DATELINE = re.compile(
    r"(?P<place>[A-ZÄÖÜ][\w.'’-]*(?:[ /-](?:am |an der |im |bei |ob der |upon |on )?[A-ZÄÖÜ][\w.'’-]*){0,3})\s*"
    r"\((?P<agency>[A-Za-z][\w.&/+ -]{0,23}?)\)\s*(?:[.:]|[–—-](?=\s))\s*",
)
_OUTLET_KEY = re.compile(r"^(?:quelle|source|medium|outlet|publikation|publisher|zeitung|herausgeber)\s*:\s*(?P<v>.{2,80})$", re.I)
_CROSS_PROMO = re.compile(
    r"^(?:auch (?:bei|auf)\s+(?P<a>[^:\n]{2,40}?)\s*:|mehr (?:von|bei|auf)\s+(?P<b>[^:\n]{2,40}?)\s*(?::|[.!]?$))", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)\s*(?P<v>.{2,80})$", re.I)
_URL = re.compile(r"https?://[^\s<>\"'»«“”]+")
_URL_LINE = re.compile(r"^<?(?P<u>https?://\S+?)>?[.,;]?$")
_URL_KEY = re.compile(r"^(?:quelle|source|url|link|original(?:artikel)?|permalink|online|web)\s*:\s*<?(?P<u>https?://\S+?)>?[.,;]?$", re.I)
_TITLE_KEY = re.compile(r"^(?:titel|title|überschrift|headline)\s*:\s*(?P<v>.{2,300})$", re.I)
_SOURCE_NOTE = re.compile(r"\((?:quelle|source|quellen)\s*:\s*(?P<v>[^()\n]{2,120})\)\s*$", re.I)
_TRAILING_NOTE = re.compile(r"\((?P<v>[^()\n]{2,80})\)\s*$")

_HEAD_LINES = 8   # non-empty lines that count as the head of the article
_TAIL_LINES = 5


def _clean_outlet(v: str) -> str | None:
    v = re.sub(r"\b(?:19|20)\d{2}\b", "", v)
    v = re.sub(r"(?i)\b(?:alle rechte vorbehalten|all rights reserved|gmbh\s*&\s*co\.?\s*kg)\b.*$", "", v)
    v = v.strip(" \t,;:.–—-|/()")
    if not v or len(v) > 60 or len(v.split()) > 6 or _URL.match(v):
        return None
    if not re.match(r"[\w\"„“»«]", v):
        return None
    return v


def _clean_author(v: str) -> str | None:
    v = re.split(r"\s*[|·]\s*|,\s*(?=\d)|\s+[–—-]\s+", v)[0]
    v = re.sub(r"\s+", " ", v).strip(" ,;:.")
    if not v or len(v) > 100 or find_date(v) == v:
        return None
    return v


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = re.sub(r"^(?:www\d?|m|mobile|amp)\.", "", host)
    return host or None


def _is_agency(token: str, dateline: str) -> bool:
    """Tell "Kiew (dpa)." / "Berlin (AFP) –" from "Salt Lake City (Utah) –": an
    agency is a lower-case or all-caps short name (or several joined by / or -);
    a single capitalised word counts only before "." or ":" ("Talheim (Reuters).")."""
    parts = [p for p in re.split(r"[/,+&-]| und ", token.strip()) if p.strip()]
    if not parts:
        return False
    def short_code(p: str) -> bool:
        p = p.strip()
        return bool(re.fullmatch(r"[a-zäöü][a-zäöü.]{0,11}|[A-ZÄÖÜ]{2,6}|[A-Z]{2,6}[a-z]?", p))
    if all(short_code(p) for p in parts):
        return True
    sep = dateline.rstrip()[-1:]
    return len(parts) == 1 and " " not in token.strip() and sep in ".:"


_WEEKDAYS = {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _is_name(names: str) -> bool:
    """Reject "Von Montag an", "Von Januar bis …" and the like."""
    words = [w.strip(".,").lower() for w in re.split(r"\s+|,|&", names) if w.strip(".,")]
    return not any(w in _MONTHS or w in _WEEKDAYS for w in words)


# --------------------------------------------------------------------------- main entry


def extract_metadata(text: str) -> Meta:
    """Title, date, outlet, author, url and the metadata spans of ``text``."""
    meta = Meta()
    if not text:
        return meta
    lines = [(s, e) for s, e in iter_lines(text)]
    nonempty = [i for i, (s, e) in enumerate(lines) if text[s:e].strip()]
    head = set(nonempty[:_HEAD_LINES])
    tail = set(nonempty[-_TAIL_LINES:])

    spans: list[Span] = []
    consumed: dict[int, int] = {}   # line index -> offset where the non-meta content starts (or line end)
    pub_date = lone_date = byline_date = upd_date = note_date = None
    title_key = None
    outlet_key = outlet_copy = outlet_promo = outlet_dateline = None
    url_found = None

    def mark(i: int, start: int, end: int, reason: str, whole: bool) -> None:
        spans.append(Span(start, end, "meta", reason))
        s, e = lines[i]
        consumed[i] = e if whole else end

    for i in nonempty:
        s, e = lines[i]
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip())
        ln = raw.strip()
        ls = s + lead
        in_head, in_tail = i in head, i in tail

        # keyed date: "date 2024-10 …", "Datum: 1.11.2024", "Stand: 12.03.2024, 10:15 Uhr"
        m = _KEYED_DATE.match(ln)
        if m and (in_head or in_tail or len(ln) <= 80):
            iso = _from_match(m)
            if iso:
                key = m.group("key").lower()
                is_upd = re.match(_DATE_KEYS_UPD, key, re.I) is not None and not re.fullmatch(_DATE_KEYS_PUB, key, re.I)
                rest = ln[m.end():]
                whole = not rest.strip()
                mark(i, ls, e if whole else ls + m.end(), "date line" if whole else "date token", whole)
                if is_upd:
                    upd_date = upd_date or iso
                else:
                    pub_date = pub_date or iso
                continue

        if in_head or in_tail:
            m = _LONE_DATE.match(ln)
            if m:
                iso = find_date(m.group("date"))
                if iso:
                    lone_date = lone_date or iso
                    mark(i, ls, e, "date line", True)
                    continue

            m = _URL_KEY.match(ln) or _URL_LINE.match(ln)
            if m:
                url_found = url_found or m.group("u").rstrip(".,;)")
                mark(i, ls, e, "url", True)
                continue

            m = _BYLINE.match(ln)
            if m and _is_name(m.group("names")) and len(ln) <= 140:
                if not meta.author:
                    meta.author = _clean_author(m.group("names"))
                rest = m.group("rest") or ""
                d = find_date(rest) if rest else None
                if d:
                    byline_date = byline_date or d
                mark(i, ls, e, "byline", True)
                continue

        m = _AUTHOR_KEY.match(ln)
        if m and len(ln) <= 140:
            a = _clean_author(m.group("v"))
            if a:
                meta.author = meta.author or a
                d = find_date(m.group("v"))
                if d:
                    byline_date = byline_date or d
                mark(i, ls, e, "byline", True)
                continue

        m = _TITLE_KEY.match(ln)
        if m and in_head and title_key is None:
            title_key = m.group("v")
            mark(i, ls, e, "title line", True)
            continue

        m = _URL_KEY.match(ln)
        if m:
            url_found = url_found or m.group("u").rstrip(".,;)")
            mark(i, ls, e, "url", True)
            continue

        m = _OUTLET_KEY.match(ln)
        if m:
            val = m.group("v")
            o = _clean_outlet(re.split(r",\s*|\s+[–—-]\s+", val)[0])
            if o:
                outlet_key = outlet_key or o
                d = find_date(val)
                if d:
                    note_date = note_date or d
                mark(i, ls, e, "source line", True)
                continue

        if in_tail:
            m = _COPYRIGHT.match(ln)
            if m:
                o = _clean_outlet(m.group("v"))
                if o:
                    outlet_copy = outlet_copy or o

        m = _CROSS_PROMO.match(ln)
        if m:
            o = _clean_outlet(m.group("a") or m.group("b") or "")
            if o:
                outlet_promo = outlet_promo or o

        # source note at a paragraph end: "(Quelle: dpa, 1. November 2024)"
        m = _SOURCE_NOTE.search(ln)
        if m:
            d = find_date(m.group("v"))
            if d:
                note_date = note_date or d
            spans.append(Span(s + lead + m.start(), s + lead + m.end(), "meta", "source note"))
        elif in_tail and i == nonempty[-1]:
            # closing note such as "(red, 12.3.2016)" or "(Anna Keller, 1.11.2024)"
            m = _TRAILING_NOTE.search(ln)
            if m and find_date(m.group("v")) and m.start() > 0 and len(m.group("v").split()) <= 8:
                note_date = note_date or find_date(m.group("v"))
                spans.append(Span(s + lead + m.start(), s + lead + m.end(), "meta", "source note"))

    # dateline: "Kiew (dpa). …" at the start of a paragraph within the head, or
    # right after the teaser sentence of the first paragraph ("Teaser. Berlin (dpa) – …")
    for i in nonempty[: _HEAD_LINES + 4]:
        s, e = lines[i]
        start = consumed.get(i, s)
        if start >= e:
            continue
        seg = text[start:e]
        lead = len(seg) - len(seg.lstrip())
        m = _DATELINE.match(seg, lead)
        if not m and i == nonempty[0]:
            fs = first_sentence(seg[lead:])
            if len(fs) < len(seg) - lead:
                off = lead + len(fs)
                off += len(seg[off:]) - len(seg[off:].lstrip())
                m = _DATELINE.match(seg, off)
        if m and len(m.group("place")) <= 40 and _is_agency(m.group("agency"), m.group(0)):
            outlet_dateline = m.group("agency").strip()
            spans.append(Span(start + m.start(), start + m.end(), "meta", "dateline"))
            break

    # title: a "Titel:" line, else a markdown heading near the top, else the first
    # content line (short line without final full stop, or its first sentence)
    title = None
    if title_key:
        title = title_key
    if title is None:
        for i in nonempty[:_HEAD_LINES]:
            ln = text[lines[i][0]:lines[i][1]].strip()
            mh = re.match(r"^#{1,2}\s+(\S.*)$", ln)
            if mh:
                title = mh.group(1).rstrip("# ").strip()
                break
            if i + 1 < len(lines) and re.fullmatch(r"={3,}\s*", text[lines[i + 1][0]:lines[i + 1][1]]):
                title = ln
                break
    if title is None:
        dateline_spans = {sp.start: sp.end for sp in spans if sp.reason == "dateline"}
        for i in nonempty:
            s, e = lines[i]
            start = consumed.get(i, s)
            start = dateline_spans.get(start, start)
            seg = text[start:e].strip()
            if not seg or line_reason(seg):
                continue
            if not re.search(r"\w", seg):
                continue
            seg = re.sub(r"^#{1,6}\s+", "", seg)
            if len(seg) <= TITLE_MAX and not re.search(r"[.,;:]$", seg) and first_sentence(seg) == seg:
                title = _strip_kicker(seg)
            elif len(seg) <= TITLE_MAX and seg.endswith(".") and first_sentence(seg) == seg and len(seg.split()) <= 25:
                title = seg
            else:
                title = first_sentence(seg)
            break
    if title:
        t = clean_title(title)
        meta.title = t or None

    meta.date = pub_date or lone_date or byline_date or upd_date or note_date
    meta.url = url_found
    meta.outlet = outlet_key or outlet_copy or outlet_promo or outlet_dateline or (_host(url_found) if url_found else None)
    meta.spans = sorted(spans, key=lambda sp: (sp.start, sp.end))
    return meta
