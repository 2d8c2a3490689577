"""Generic boilerplate and repeated-paragraph detection.

``find_boilerplate(text)`` returns sorted, non-overlapping :class:`Span`\\ s of
kind ``"boilerplate"`` (ad labels, login/comment prompts, share/newsletter
prompts, cookie and paywall notes, related-headline lists, photo credits,
trailing navigation stubs) and ``"duplicate"`` (a paragraph that repeats an
earlier one, exactly or nearly).  The text itself is never changed.

Every rule works on whole lines (or a credit at the very end of a line), so
prose that merely *contains* a word like "Anzeige" is never marked.  The
vocabulary below is general German (and some English) web-news furniture, not
taken from any particular story or outlet.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable

from index.model import Span

__all__ = ["find_boilerplate", "line_reason", "merge_spans", "iter_lines", "is_credit_value"]

# --------------------------------------------------------------------------- helpers


def iter_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


_BULLET = re.compile(r"^\s*(?:[-*•·▪►>+–—]|\d{1,2}[.)])\s+")
_WS = re.compile(r"\s+")
_EDGE_MARKUP = re.compile(r"^[#>*_\s]+|[*_\s]+$")


def _key(line: str) -> str:
    """Lower-cased line without bullets, markdown emphasis and final punctuation."""
    s = _BULLET.sub("", line)
    s = _EDGE_MARKUP.sub("", s)
    s = s.strip().rstrip(".:!…»«›‹>|–—- ").strip()
    s = _WS.sub(" ", s)
    return s.lower()


# --------------------------------------------------------------------------- line vocabulary

_SOCIAL = r"(?:facebook|twitter|x|whatsapp|linkedin|xing|telegram|threads|bluesky|pinterest|reddit|instagram|mastodon|tiktok|youtube|flipboard|e-mail|email|mail|messenger|sms)"

# (reason, pattern matched against _key(line) with fullmatch)
_LINE_RULES: list[tuple[str, str]] = [
    ("advertisement label",
     r"(?:[-–—*\[( ]*)?(?:anzeige|anzeigen|werbung|advertisement|advertising|ad|ads|sponsored|gesponsert|"
     r"sponsored content|paid content|paid post|promotion|advertorial|bezahlte partnerschaft|"
     r"in kooperation mit .{2,40}|präsentiert von .{2,40}|unterstützt von .{2,40}|"
     r"werbefreie? (?:version|lesen)|anzeigen? ausblenden|werbung (?:ausblenden|schließen|überspringen))"
     r"(?:[-–—*\]) ]*)?"),
    ("login/comment prompt",
     r"(?:sie müssen (?:angemeldet|eingeloggt|registriert) sein.{0,120}|"
     r"(?:bitte |jetzt )?(?:melden sie sich|loggen sie sich) (?:hier )?(?:an|ein).{0,120}|"
     r"(?:jetzt |kostenlos |bitte |hier )*(?:anmelden|einloggen|registrieren|login|log in|sign in|sign up)(?: (?:und|oder|or|to|mit|with) .{1,40})?|"
     r"(?:jetzt )?registrieren sie sich.{0,120}|um (?:zu )?kommentieren.{0,120}|um (?:einen )?kommentar.{0,120}|"
     r"noch (?:kein|keinen) (?:konto|account|nutzerkonto|zugang).{0,80}|passwort vergessen\??|"
     r"(?:\d+ )?(?:leser)?kommentare?(?: \(\d+\))?|(?:\d+ )?(?:reaktionen|antworten|postings?)|"
     r"(?:zu den |alle |die )?(?:kommentaren?|postings?) (?:anzeigen|lesen|öffnen|laden|schließen|ausblenden|einblenden)|"
     r"(?:einen )?kommentar (?:schreiben|verfassen|abgeben|hinzufügen)|(?:jetzt )?(?:kommentieren|mitdiskutieren|mitreden)|"
     r"(?:zum |zur )?(?:kommentarbereich|diskussion|forum)(?: springen)?|diskutieren sie mit.{0,80}|"
     r"(?:die )?kommentarfunktion (?:ist|wurde|steht).{0,120}|(?:schreiben sie|hinterlassen sie) (?:einen|ihren) kommentar.{0,80}|"
     r"(?:sie haben|haben sie) (?:bereits |schon )?(?:ein (?:konto|abo|abonnement)|einen account).{0,80})"),
    ("newsletter/share prompt",
     r"(?:(?:jetzt |hier |gratis |kostenlos |unseren |den |zum |für den )*newsletter(?: .{0,60})?|"
     r"(?:jetzt |hier )?(?:kostenlos |gratis )?(?:abonnieren|abonnement abschließen|abo abschließen)(?: .{0,40})?|"
     r"(?:jetzt |hier )?(?:testen|gratis testen|weiterlesen|weiter lesen|mehr lesen|mehr anzeigen|alle anzeigen|mehr erfahren)|"
     r"(?:diesen |den )?(?:artikel|beitrag|seite|link|video) (?:teilen|drucken|versenden|verschicken|merken|speichern|verschenken|kopieren|empfehlen|anhören|vorlesen(?: lassen)?)|"
     r"teilen sie (?:diesen|den|unseren) (?:artikel|beitrag|text|link).{0,80}|"
     r"(?:teilen|share|drucken|print|merken|speichern|vorlesen|anhören|zur merkliste|teilen auf|share on|share this(?: article| story)?)|"
     r"(?:(?:auf|bei|via|per|über) )?" + _SOCIAL + r"(?: (?:teilen|posten|sharen|folgen|versenden|senden))?|"
     r"(?:" + _SOCIAL + r"(?: |,|\||·|/)*){2,}|"
     r"folgen sie (?:uns|der redaktion|dem autor|der autorin) (?:auf|bei|in).{0,80}|"
     r"(?:link|url) (?:kopieren|in die zwischenablage kopieren)|link kopiert|"
     r"(?:hören sie|hier können sie) (?:diesen|den) (?:artikel|beitrag).{0,80}|"
     r"(?:lesezeit|lesedauer):? (?:ca\. )?\d+ ?(?:min|minuten|minute)|(?:ca\. )?\d+ ?(?:min|minuten|minute)\.? (?:lesezeit|lesedauer)|"
     r"(?:fehler|einen fehler) (?:gefunden|melden).{0,80}|(?:feedback|fehler) (?:senden|geben|melden))"),
    ("cookie/paywall note",
     r"(?:wir (?:verwenden|nutzen|benutzen) cookies.{0,250}|(?:alle )?cookies? (?:akzeptieren|zulassen|ablehnen|einstellungen).{0,60}|"
     r"(?:cookie|datenschutz|privatsphäre)-?(?:einstellungen|hinweis|banner)|(?:akzeptieren|zustimmen|einverstanden)(?: und (?:weiter|schließen))?|"
     r"(?:dieser|der|dieses|ganzen?) (?:artikel|beitrag|inhalt|text) (?:ist|steht) (?:nur |exklusiv |ausschließlich )?(?:für|unseren) .{0,40}(?:abonnent|abonnement|abo|mitglied|plus|premium|registriert).{0,80}|"
     r"(?:exklusiv |nur )?für (?:abonnenten|abonnentinnen|abonnent:innen|abonnent\*innen|digital-abonnenten|plus-abonnenten|mitglieder)|"
     r"(?:jetzt |hier )?(?:weiterlesen|weiter lesen|lesen sie (?:jetzt )?weiter|zum weiterlesen|um weiterzulesen|um (?:diesen|den) (?:artikel|beitrag) (?:vollständig )?zu lesen).{0,150}|"
     r"(?:mit werbung|werbefrei|ohne werbung) (?:weiterlesen|lesen|weiter).{0,80}|"
     r"(?:bereits |schon )?(?:abonnent|abonnentin|abonniert|plus-kunde|kunde)\?.{0,80}|"
     r"(?:plus|premium|exklusiv|\+)(?:-artikel| artikel| inhalt)?|"
     r"bitte aktivieren sie (?:javascript|cookies).{0,120}|(?:um|damit) .{0,60}(?:javascript|cookies?) .{0,80}(?:aktivieren|zulassen|erlauben)|"
     r"(?:externer|empfohlener|eingebetteter) (?:redaktioneller )?(?:inhalt|content).{0,150}|"
     r"(?:an dieser stelle|hier) (?:finden sie|ist|sehen sie|steht) (?:einen |ein |eine )?(?:externen?|eingebetteten?) .{0,150}|"
     r"(?:inhalte?|daten|anzeige) (?:von|aus) (?:drittanbietern|externen quellen|sozialen netzwerken).{0,150}|"
     r"um mit inhalten aus .{0,200}|ich bin damit einverstanden, dass mir externe inhalte.{0,250}|"
     r"mehr informationen (?:dazu )?(?:finden sie )?(?:in unserer|in der|zum) datenschutz.{0,80}|"
     r"(?:alle )?(?:externen )?inhalte (?:laden|anzeigen|zulassen|erlauben)|mehr informationen)"),
    ("related headlines",
     r"(?:(?:lesen sie (?:auch|dazu|mehr|hier)|auch (?:interessant|lesenswert|spannend)|ebenfalls (?:interessant|lesenswert)|"
     r"mehr zu(?:m thema| diesem thema| dem thema)|zum thema|passend (?:dazu|zum thema)|siehe auch|dazu passend)(?: ?: .{1,250})?|"
     r"auch (?:interessant|lesenswert|spannend)|ebenfalls (?:interessant|lesenswert)|"
     r"mehr zu(?:m thema| diesem thema| dem thema)?|mehr (?:aus|über) (?:dem|der|diesem|diese[mr]?) (?:ressort|rubrik|thema|region|themengebiet)|"
     r"(?:mehr|weitere) (?:nachrichten|news|artikel|meldungen|themen|beiträge|videos|informationen|links)(?: (?:zum thema|zu|aus|von|über|bei|auf|im|in der|in) .{1,40})?|"
     r"zum thema|passend (?:dazu|zum thema)|verwandte (?:artikel|themen|beiträge)|ähnliche (?:artikel|beiträge|themen)|"
     r"das könnte sie (?:auch )?interessieren|(?:unsere )?empfehlungen?(?: der redaktion| für sie)?|top[- ](?:artikel|themen|news)|"
     r"meistgelesen(?:e (?:artikel|beiträge|nachrichten))?|meistgeklickt|neueste (?:artikel|beiträge|nachrichten)|aktuelle (?:nachrichten|meldungen)|"
     r"(?:alle )?(?:themen|schlagworte|schlagwörter|tags|stichworte)|themenseite.{0,40}|zur themenseite.{0,40}|"
     r"related(?: articles| stories| content)?|read more|more (?:from|on) .{1,40}|you may also like|recommended(?: for you)?|"
     r"auch (?:bei|auf) [^ ].{0,38}: .{0,250}|mehr (?:von|bei|auf) [^ ].{0,38}(?:: .{0,250})?)"),
    ("navigation",
     r"(?:zur startseite|zurück zur startseite|startseite|home|nach oben|zurück(?: zur übersicht)?|zur übersicht|"
     r"impressum|datenschutz(?:erklärung)?|agb|kontakt|barrierefreiheit|mediadaten|menü|menu|suche|navigation|"
     r"inhaltsverzeichnis|zum inhalt springen|zum hauptinhalt|skip to content|weiter zum inhalt|"
     r"bilder?galerie|bilderstrecke|fotostrecke|zur (?:bilder)?galerie|(?:foto|bild) \d+ (?:von|/) \d+|\d+ (?:bilder|fotos)|"
     r"video(?: abspielen| starten| ansehen)|audio(?: abspielen)|video|audio)"),
    ("copyright notice",
     r"(?:©|\(c\)|copyright\b(?!-)).{0,100}|alle rechte vorbehalten.{0,60}|all rights reserved.{0,60}"),
    ("photo credit",
     r"(?:foto|fotos|bild|bilder|bildquelle|bildrechte|grafik|illustration|titelbild|symbolbild|archivbild|"
     r"credit|credits|photo|image|quelle bild|foto/video|video)s?: ?[^ ].{0,80}|(?:symbolbild|archivbild|archivfoto)"),
]

# prompts that are written as full sentences ("Sie müssen angemeldet sein, um …")
_SENTENCE_RULES = {"login/comment prompt", "cookie/paywall note"}
# all rules in one alternation (tried in order, like a loop, but in one regex call)
_REASONS = [reason for reason, _ in _LINE_RULES]
_ALL_RULES = re.compile("|".join(f"(?P<r{i}>{pat})" for i, (_, pat) in enumerate(_LINE_RULES)))
_SENTENCE_RE = re.compile("|".join(f"(?P<r{i}>{pat})" for i, (r, pat) in enumerate(_LINE_RULES) if r in _SENTENCE_RULES))
_MAX_RULE_LINE = 300  # longer lines are prose, never furniture


def is_credit_value(value: str) -> bool:
    """A short credit like ``Kim Jae-Hwan/DPA`` (no sentence inside it)."""
    v = value.strip()
    if not (1 <= len(v) <= 80):
        return False
    if len(v.split()) > 10:
        return False
    if re.search(r"[!?]|[.:;]\s+[a-zäöüß]{3,}", v):
        return False
    # a period followed by a capitalised word that is not an initial ("K. Pfaffenbach")
    if re.search(r"[a-zäöüß]{3,}\.\s+[A-ZÄÖÜ][a-zäöüß]", v):
        return False
    return True


def line_reason(line: str) -> str | None:
    """Why this whole line is boilerplate, or None.  Prose never matches:
    the rules need the line to *be* the furniture, not contain a word of it."""
    s = line.strip()
    if not s or len(s) > _MAX_RULE_LINE:
        return None
    k = _key(s)
    if not k:
        return None
    sentence = s.rstrip("»«“”\"')").endswith(".") and len(k.split()) >= 8
    # a full sentence of prose is not a label, teaser or credit: only prompt rules apply
    m = (_SENTENCE_RE if sentence else _ALL_RULES).fullmatch(k)
    if m:
        reason = _REASONS[int(m.lastgroup[1:])]
        if reason == "photo credit":
            mm = re.match(r"^[^:]*:\s*(.*)$", _BULLET.sub("", s))
            if mm and not is_credit_value(mm.group(1).rstrip(".")):
                return None
        if reason == "copyright notice" and len(k.split()) > 14:
            return None
        return reason
    if _looks_nav_bar(s):
        return "navigation"
    return None


_NAV_SEP = re.compile(r"\s+(?:\||·|•|/|»|›|>)\s+")


def _looks_nav_bar(s: str) -> bool:
    """``Startseite | Politik | Ausland`` — several 1–3-word items joined by separators."""
    parts = _NAV_SEP.split(s)
    if len(parts) < 3:
        return False
    return all(0 < len(p.split()) <= 3 and len(p) <= 30 and not re.search(r"[.!?,;]$", p) for p in parts)


# --------------------------------------------------------------------------- multi-line rules

_MONTH = (r"(?:jan(?:uar)?|jänner|feb(?:ruar)?|feber|mär(?:z)?|mrz|apr(?:il)?|mai|jun(?:i)?|jul(?:i)?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dez(?:ember)?|january|february|march|may|june|july|october|december)")
_DATE_AT_END = re.compile(
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+" + _MONTH + r"\.?\s+\d{4}|"
    r"\d{1,2}:\d{2}(?:\s*uhr)?|(?:vor\s+)?\d+\s+(?:min(?:uten)?|std\.?|stunden|tagen))\)?\.?$",
    re.I,
)
_SEP_BEFORE_DATE = re.compile(r"(?:\s[-–—|·•]\s*|\(|,\s)\s*\S*\s*$")


_DATE_END_HINT = ("uhr", "min", "minuten", "std", "stunden", "tagen")


def _ends_with_date(line: str, bulleted: bool) -> bool:
    if len(line) > 250 or len(line) < 12:
        return False
    last = line.rstrip(".)")
    if not last or not (last[-1].isdigit() or last.lower().endswith(_DATE_END_HINT)):
        return False
    m = _DATE_AT_END.search(line)
    if not m or m.start() < 8:
        return False
    if bulleted:
        return True
    # an unbulleted line needs a separator before the date ("Titel - 13. Januar 2025"),
    # a few words of headline, and no date range ("11. 4. 2002 – 29. 8. 2005")
    head = line[: m.start()]
    sep = re.search(r"(?:\s[-–—|·•]\s*|\(|,\s*)$", head)
    if not sep:
        return False
    before = head[: sep.start()]
    if _DATE_AT_END.search(before.rstrip()):
        return False
    return len(before.split()) >= 4


def _headline_like(line: str) -> bool:
    """A teaser headline: short, bulleted or not a sentence ending in a period."""
    s = line.strip()
    if not s or len(s) > 180:
        return False
    if _BULLET.match(s):
        return True
    if _ends_with_date(s, False):
        return True
    if s.endswith("."):
        return False
    return len(s.split()) <= 20


_CREDIT_TAIL = re.compile(
    r"(?:(?<=[.!?»«\"“”)\]])|(?<=[.!?»«\"“”)\]] ))\s*"
    r"(?P<credit>\(?(?:(?:Foto|Fotos|Bild|Bilder|Bildquelle|Grafik|Illustration|Credit|Photo|Image|Video|Quelle Bild|Foto/Video)s?\s?:\s?(?P<v1>[^\n]{1,80}?)|"
    r"©\s?(?P<v2>[^\n]{1,80}?))\)?)\s*$"
)


_CREDIT_WORD = re.compile(r"foto|bild|©|grafik|credit|photo|image|video|illustration", re.I)


def _has_credit_word(s: str) -> bool:
    return _CREDIT_WORD.search(s) is not None


def _credit_span(text: str, start: int, end: int) -> Span | None:
    if end - start > 160:  # a credit is short: only look at the end of a long line
        start = end - 160
    line = text[start:end]
    if not _has_credit_word(line):
        return None
    m = _CREDIT_TAIL.search(line)
    if not m:
        return None
    value = m.group("v1") or m.group("v2") or ""
    if not is_credit_value(value.rstrip(".")):
        return None
    cs = start + m.start("credit")
    return Span(cs, start + m.end("credit"), "boilerplate", "photo credit")


# --------------------------------------------------------------------------- duplicates

_CREDIT_ANYWHERE = re.compile(
    r"\(?(?:(?:foto|fotos|bild|bilder|bildquelle|grafik|credit|photo|image|video)s?\s?:\s?[^\n]{1,80}?|©\s?[^\n]{1,80}?)\)?\s*$",
    re.I,
)
_NON_WORD = re.compile(r"[^\w]+")


def _norm_para(s: str) -> str:
    s = s.strip()
    off = max(0, len(s) - 160)
    m = _CREDIT_ANYWHERE.search(s, off) if _has_credit_word(s[off:]) else None
    if m and m.start() > off and is_credit_value(re.sub(r"^[^:©]*[:©]\s*", "", m.group(0)).rstrip(").")):
        s = s[: m.start()]
    return _NON_WORD.sub(" ", s.lower()).strip()


def _shingles(words: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def _units(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraph units: blank-line separated blocks, plus the single lines of
    blocks whose lines are paragraphs on their own (long lines)."""
    units: list[tuple[int, int]] = []
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if not block:
            return
        units.append((block[0][0], block[-1][1]))
        if len(block) > 1:
            for s, e in block:
                if e - s >= 60:
                    units.append((s, e))

    for s, e in lines:
        if text[s:e].strip():
            block.append((s, e))
        else:
            flush()
            block = []
    flush()
    return units


def _duplicates(text: str, lines: list[tuple[int, int]]) -> list[Span]:
    units = _units(text, lines)
    seen: dict[str, tuple[int, int]] = {}
    # earlier units for near-duplicate checks: (start, end, words, shingles or None (lazy))
    kept: list[list] = []
    out: list[Span] = []
    max_covered_end = -1
    near_ok = len(units) <= 400
    # text order; a block and its own lines share a start: the block comes first
    for s, e in sorted(units, key=lambda u: (u[0], -(u[1] - u[0]))):
        if e <= max_covered_end:  # inside a paragraph already marked (units come in start order)
            continue
        if e - s < 40:
            continue
        norm = _norm_para(text[s:e])
        if len(norm) < 40:
            continue
        words = norm.split()
        if len(words) < 6:
            continue
        dup = False
        prev = seen.get(norm)
        if prev is not None and prev[1] <= s:
            dup = True
        elif near_ok and len(words) >= 10:
            sh = None
            lw = len(words)
            for item in kept:
                ps, pe, pwords, psh = item
                if pe > s:
                    continue
                lp = len(pwords)
                if lp * 5 < lw * 4 or lw * 5 < lp * 4:  # length ratio below 0.8
                    continue
                if sh is None:
                    sh = _shingles(words)
                if psh is None:
                    psh = item[3] = _shingles(pwords)
                inter = len(sh & psh)
                if inter and inter / (len(sh) + len(psh) - inter) >= 0.7:
                    dup = True
                    break
        if dup:
            out.append(Span(s, e, "duplicate", "repeated paragraph"))
            max_covered_end = max(max_covered_end, e)
            continue
        seen.setdefault(norm, (s, e))
        if near_ok and len(words) >= 10:
            kept.append([s, e, words, None])
    return out


# --------------------------------------------------------------------------- main entry

_PRIORITY = {"duplicate": 3, "boilerplate": 2, "meta": 1}


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans.  On overlap the higher-priority kind
    (duplicate > boilerplate > meta), then the longer span, wins; the loser is dropped."""
    cand = sorted(
        (sp for sp in spans if sp.end > sp.start),
        key=lambda sp: (-_PRIORITY.get(sp.kind, 0), -(sp.end - sp.start), sp.start),
    )
    starts: list[int] = []
    accepted: list[Span] = []
    for sp in cand:
        i = bisect.bisect_left(starts, sp.start)
        if i > 0 and accepted[i - 1].end > sp.start:
            continue
        if i < len(accepted) and accepted[i].start < sp.end:
            continue
        starts.insert(i, sp.start)
        accepted.insert(i, sp)
    return accepted


def find_boilerplate(text: str) -> list[Span]:
    """Boilerplate and duplicate spans of ``text`` (sorted, non-overlapping)."""
    if not text:
        return []
    lines = iter_lines(text)
    spans: list[Span] = []

    # 1. whole lines of web furniture, and credits at the end of a paragraph line
    line_reasons: list[str | None] = []
    for s, e in lines:
        r = line_reason(text[s:e]) if e > s else None
        line_reasons.append(r)
        if r:
            ls = s + (len(text[s:e]) - len(text[s:e].lstrip()))
            spans.append(Span(ls, e, "boilerplate", r))
        elif e - s > 20:
            cs = _credit_span(text, s, e)
            if cs:
                spans.append(cs)

    # 2. related-headline lists: runs of >= 2 (bulleted or separated) lines ending in a date,
    #    and headline-like lines directly after a teaser heading ("Mehr zum Thema")
    i = 0
    n = len(lines)
    while i < n:
        s, e = lines[i]
        ln = text[s:e].strip()
        if ln and _ends_with_date(ln, bool(_BULLET.match(ln))) and len(ln) <= 250:
            j = i
            while j + 1 < n:
                ns, ne = lines[j + 1]
                nl = text[ns:ne].strip()
                if nl and len(nl) <= 250 and _ends_with_date(nl, bool(_BULLET.match(nl))):
                    j += 1
                else:
                    break
            if j > i:
                for k in range(i, j + 1):
                    ks, ke = lines[k]
                    if line_reasons[k] is None:
                        off = len(text[ks:ke]) - len(text[ks:ke].lstrip())
                        spans.append(Span(ks + off, ke, "boilerplate", "related headlines"))
                        line_reasons[k] = "related headlines"
                i = j + 1
                continue
        if line_reasons[i] == "related headlines" and re.fullmatch(r"[^:]{0,60}:?", ln):
            # a teaser heading with nothing after it: the headline-like lines below belong to it
            j = i + 1
            first_bulleted: bool | None = None
            pending_blank = False
            while j < n:
                ns, ne = lines[j]
                nl = text[ns:ne].strip()
                if not nl:
                    # blank lines may precede the first item and separate bulleted items
                    if pending_blank or first_bulleted is False:
                        break
                    pending_blank = first_bulleted is not None
                    j += 1
                    continue
                bulleted = bool(_BULLET.match(nl))
                if not _headline_like(nl):
                    break
                if first_bulleted is None:
                    first_bulleted = bulleted
                elif bulleted != first_bulleted or (pending_blank and not bulleted):
                    break
                pending_blank = False
                if line_reasons[j] is None:
                    spans.append(Span(ns + (len(text[ns:ne]) - len(text[ns:ne].lstrip())), ne, "boilerplate", "related headlines"))
                    line_reasons[j] = "related headlines"
                j += 1
            i = j
            continue
        i += 1

    # 3. trailing stubs: a run of very short lines at the very end ("Weitere\nArtikel"),
    #    or a lone heading that introduces nothing ("Quellen:")
    k = n - 1
    while k >= 0 and not text[lines[k][0]:lines[k][1]].strip():
        k -= 1
    stub_lines: list[int] = []
    while k >= 0:
        ln = text[lines[k][0]:lines[k][1]].strip()
        if not ln:
            k -= 1
            continue
        if line_reasons[k] is not None:
            stub_lines.append(k)
            k -= 1
            continue
        short = len(ln) <= 30 and len(ln.split()) <= 2 and not re.search(r"[.!?;,\"“”„»«)]$", ln)
        if short:
            stub_lines.append(k)
            k -= 1
            continue
        break
    fresh = [x for x in stub_lines if line_reasons[x] is None]
    if fresh:
        has_colon_head = any(text[lines[x][0]:lines[x][1]].strip().endswith(":") for x in fresh)
        if len(fresh) >= 2 or has_colon_head:
            for x in fresh:
                xs, xe = lines[x]
                off = len(text[xs:xe]) - len(text[xs:xe].lstrip())
                spans.append(Span(xs + off, xe, "boilerplate", "trailing stub"))

    # 4. repeated paragraphs (the later copy)
    spans.extend(_duplicates(text, lines))
    return merge_spans(spans)
