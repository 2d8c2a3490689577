"""Text hygiene: bytes → str and str → clean str.

``decode_bytes`` turns file contents into text (UTF-8 with or without BOM,
UTF-16 with BOM, otherwise cp1252 and finally latin-1 so that German umlauts
survive) and refuses binary data with :class:`SkipFile`.

``clean_text`` makes text safe and uniform for everything downstream: newline
normalisation, NFC, terminal escape sequences removed *entirely* (not just the
ESC byte, so no ``[31m`` debris is left), control / zero-width / bidi-override
characters removed, non-breaking spaces turned into plain spaces, trailing
whitespace stripped, long runs of blank lines collapsed.  Markup characters
(``[``, ``]``, ``@`` …) are kept literally: escaping them is the TUI's job.

Pure functions, no dependencies outside the standard library.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from index.model import SkipFile

__all__ = ["decode_bytes", "clean_text", "looks_binary", "SkipFile"]

# --------------------------------------------------------------------------- decoding

# C0 control bytes that do not occur in ordinary text files.  TAB, LF, CR, FF,
# VT and ESC are allowed (ESC because coloured terminal logs are text, and
# clean_text removes the sequences).
_BAD_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B)) + b"\x7f"

# Magic numbers of common binary formats that can start with text-like bytes.
_BINARY_MAGIC = (
    b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff",
    b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"\x7fELF", b"SQLite format 3",
    b"\xd0\xcf\x11\xe0",  # OLE (old .doc/.xls)
)

_SAMPLE = 8192


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes, a binary magic number, or
    more than 5 % unusual control bytes in the first 8 KiB."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return False  # UTF-16 text legitimately contains NUL bytes
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    if sample.startswith(_BINARY_MAGIC):
        return True
    bad = len(sample) - len(sample.translate(None, _BAD_CONTROL_BYTES))
    return bad / len(sample) > 0.05


_CHARSET_DECL = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode file contents to ``str``.

    Order: UTF-8 (a BOM is dropped) → UTF-16 when it has a BOM → a charset
    declared by the caller (e.g. from an HTML ``<meta charset>``) → cp1252 →
    latin-1 (which never fails).  Raises ``SkipFile("binary file")`` when the
    data looks binary.
    """
    if looks_binary(data):
        raise SkipFile("binary file")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SkipFile("undecodable UTF-16 text") from None
        if "\x00" in text:
            raise SkipFile("binary file")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = ""
        if codec and codec not in ("utf-8", "utf-8-sig"):
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its first 4 KiB, if any."""
    m = _CHARSET_DECL.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


# --------------------------------------------------------------------------- cleaning

# Terminal escape sequences (ECMA-48), 7-bit and 8-bit forms.
_ESC_SEQ = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]?              # CSI … final byte (e.g. \x1b[1;31m)
    | \x9b   [0-?]* [ -/]* [@-~]               # 8-bit CSI
    | \x1b\] [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?   # OSC … BEL / ST (or unterminated to line end)
    | \x9d   [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?   # 8-bit OSC
    | \x1b[PX^_] .*? (?:\x1b\\|\x9c|$)         # DCS / SOS / PM / APC … ST
    | \x1b [ -/]+ [0-~]?                       # nF sequences (charset designation, e.g. \x1b(B)
    | \x1b [0-~]?                              # Fp / Fe / Fs two-character sequences, or a lone ESC
    """,
    re.X | re.S | re.M,
)

# Everything that must not survive: C0 (except \t \n), DEL, C1, zero-width and
# bidi controls, BOM, soft hyphen, word joiner & invisible operators.
_CONTROL = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACE_LIKE = (
    ("\u00a0", " "),   # no-break space
    ("\u202f", " "),   # narrow no-break space (used in "12 000")
    ("\u2007", " "),   # figure space
    ("\x0b", "\n"),    # vertical tab
    ("\x0c", "\n"),    # form feed
    ("\u2028", "\n"),  # line separator
    ("\u2029", "\n\n"),  # paragraph separator
)
_TRAILING_WS = re.compile(r"[ \t]+$", re.M)
_MANY_BLANKS = re.compile(r"\n{4,}")  # more than 2 blank lines in a row


def clean_text(s: str) -> str:
    """Normalise text for indexing and display (see module docstring).

    Idempotent: ``clean_text(clean_text(s)) == clean_text(s)``.
    """
    if not s:
        return ""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in s or "\x9b" in s or "\x9d" in s:
        s = _ESC_SEQ.sub("", s)
    for ch, repl in _SPACE_LIKE:  # str.replace beats str.translate by far on typical text
        if ch in s:
            s = s.replace(ch, repl)
    s = _CONTROL.sub("", s)
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    s = _TRAILING_WS.sub("", s)
    s = _MANY_BLANKS.sub("\n\n\n", s)
    return s.strip()
