"""index/text.py: decoding and text hygiene."""
import codecs

import pytest
from hypothesis import given, settings, strategies as st

from index.model import SkipFile
from index.text import clean_text, decode_bytes, declared_charset, looks_binary

UMLAUTS = "Grüße aus Köln: Äpfel, Öl, Übermaß – „Zitat“ für 5 €"


# ----------------------------------------------------------------- decode_bytes

def test_utf8_plain_and_with_bom():
    assert decode_bytes(UMLAUTS.encode("utf-8")) == UMLAUTS
    assert decode_bytes(codecs.BOM_UTF8 + UMLAUTS.encode("utf-8")) == UMLAUTS


def test_cp1252_fallback_keeps_umlauts_quotes_and_euro():
    assert decode_bytes(UMLAUTS.encode("cp1252")) == UMLAUTS


def test_latin1_fallback_when_cp1252_cannot_decode():
    # 0x81 is undefined in cp1252: latin-1 must take over, umlauts survive
    data = "Straße in Düsseldorf".encode("latin-1") + b"\x81"
    out = decode_bytes(data)
    assert out.startswith("Straße in Düsseldorf")


def test_utf16_with_bom_is_text_not_binary():
    data = codecs.BOM_UTF16_LE + "Größe".encode("utf-16-le")
    assert decode_bytes(data) == "Größe"


def test_declared_charset_used_before_cp1252():
    data = b'<meta charset="koi8-r"><p>' + "Привет".encode("koi8_r")
    assert declared_charset(data) == "koi8-r"
    assert "Привет" in decode_bytes(data, declared=declared_charset(data))


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03binary\x00stuff",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    bytes(range(1, 32)) * 20,
])
def test_binary_is_refused_with_one_line_reason(data):
    assert looks_binary(data)
    with pytest.raises(SkipFile) as exc:
        decode_bytes(data)
    assert str(exc.value) == "binary file"


def test_escape_heavy_text_is_not_binary():
    data = ("\x1b[1;31mrot\x1b[0m normal " * 200).encode()
    assert not looks_binary(data)
    assert "rot normal" in clean_text(decode_bytes(data))


# ----------------------------------------------------------------- clean_text

def test_line_endings_normalised():
    assert clean_text("a\r\nb\rc\n") == "a\nb\nc"


def test_nfc():
    decomposed = "Mu\u0308nchen"  # u + combining diaeresis
    assert clean_text(decomposed) == "München"


def test_ansi_csi_osc_and_two_char_sequences_removed_entirely():
    s = ("\x1b[1;31mAlarm\x1b[0m \x1b]0;window title\x07Text "
         "\x1b]8;;https://x.example\x1b\\Link\x1b]8;;\x1b\\ \x1b(B\x1bMEnde\x1b")
    out = clean_text(s)
    assert out == "Alarm Text Link Ende"
    assert "\x1b" not in out and "[31m" not in out and "0;window" not in out


def test_rich_markup_characters_are_kept_literally():
    s = "Preis [/] und [@click=app.quit]x[/] oder [bold red]rot[/bold red] @user"
    assert clean_text("\x1b[2J" + s) == s


def test_control_c1_zero_width_and_bidi_removed():
    s = ("a\x00b\x07c\x08d\x7fe\x85f\x9cg\u200bh\u200ei\u202ej\u2066k\u2069l\ufeffm"
         "\u00adn")
    assert clean_text(s) == "abcdefghijklmn"


def test_tabs_and_newlines_kept_nbsp_becomes_space():
    assert clean_text("a\tb\nc\u00a0d\u202fe") == "a\tb\nc d e"


def test_trailing_whitespace_and_blank_runs():
    s = "Absatz eins.   \n\n\n\n\n\nAbsatz zwei.\t\n\nDrei"
    assert clean_text(s) == "Absatz eins.\n\n\nAbsatz zwei.\n\nDrei"


def test_empty_and_whitespace():
    assert clean_text("") == ""
    assert clean_text(" \n\t\n ") == ""


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_clean_text_is_idempotent_and_leaves_no_controls(s):
    once = clean_text(s)
    assert clean_text(once) == once
    assert "\x1b" not in once and "\r" not in once
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in once)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in once)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_decode_bytes_never_crashes(data):
    try:
        out = decode_bytes(data)
    except SkipFile as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(out, str)
