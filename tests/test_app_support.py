"""Helpers for the app tests (not a test module by itself: it holds no tests).

Import explicitly: ``from test_app_support import …``.
"""
from __future__ import annotations

import asyncio
import json
import random
import shutil
import time
from pathlib import Path

import pytest

from index.config import config_from_dict
from index.service import Corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GNAD = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "10kgnad" / "test.csv"

# Keyword groups for the tests: fixed here so that edits to the repository's
# config.yaml never change what the tests (and the snapshots) see.
TEST_GROUPS = [
    {"name": "numbers", "colour": "cyan",
     "patterns": [r"\b\d{1,3}(?:\.\d{3})+\b", r"\b\d+(?:,\d+)?\s?Prozent\b"]},
    {"name": "sources", "colour": "magenta",
     "patterns": [r"(?i)\b(?:laut|zufolge|nach Angaben)\b", r"\b(?:sagte|erklärte|berichtete|schrieb)\b"]},
    {"name": "hedges", "colour": "green", "terms": ["rund", "etwa", "bis zu", "mindestens", "fast"]},
]


def make_config(**extra):
    raw = {"highlight_groups": TEST_GROUPS, "search": {"debounce_ms": 60}}
    raw.update(extra)
    return config_from_dict(raw)


def open_corpus(paths, index_dir, **extra) -> Corpus:
    return Corpus.open([str(p) for p in paths], index_dir=str(index_dir), config=make_config(**extra))


def build_index(paths, index_dir, **extra) -> Corpus:
    c = open_corpus(paths, index_dir, **extra)
    c.update_index()
    return c


async def wait_for(pilot, cond, timeout: float = 20.0, what: str = "condition") -> float:
    """Let the app run until ``cond()`` is true; returns the seconds it took."""
    t0 = time.perf_counter()
    while not cond():
        if time.perf_counter() - t0 > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
    await pilot.pause()
    return time.perf_counter() - t0


def ready(app) -> bool:
    """Indexing done, the list filled and the reader showing the selected article."""
    s = app.main_screen
    try:
        lst = s.article_list
        reader = s.reader
    except Exception:
        return False
    if s.indexing or not s.index_ready or s._loading:
        return False
    if lst.row_count == 0:
        return s.report is not None and reader.article_id is None
    return reader.article_id == lst.current_id and s._shown_key == (lst.current_id, s.query_active)


def settled(app) -> bool:
    """``ready`` and no search waiting or running."""
    s = app.main_screen
    if s._search_timer is not None:
        return False
    if any(w.group == "search" and not w.is_finished for w in app.workers):
        return False
    return ready(app)


def screen_text(app) -> str:
    """Every character on the screen (what a user sees), as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# -- generated corpora ---------------------------------------------------------------------

_OUTLETS = ["Tagesblatt", "Abendpost", "Rundschau", "Kurier", "Morgenecho", "Landeszeitung",
            "Nachrichtenportal", "Wochenspiegel", "Stadtanzeiger", "Allgemeine"]
_SUBJ = ["Die Regierung", "Der Minister", "Die Opposition", "Ein Sprecher", "Die Polizei", "Der Verband",
         "Die Stadt", "Das Gericht", "Die Behörde", "Der Konzern", "Die Gewerkschaft", "Eine Studie"]
_VERB = ["kündigte", "bestätigte", "kritisierte", "forderte", "plant", "meldete", "prüft", "verschob",
         "beschloss", "begrüßte", "lehnte", "untersuchte"]
_OBJ = ["neue Maßnahmen", "höhere Ausgaben", "den Ausbau der Bahn", "eine Reform der Rente",
        "strengere Regeln", "die Schließung von Schulen", "mehr Personal", "Hilfen für Familien",
        "den Bau von Wohnungen", "Kontrollen an der Grenze", "Investitionen in Energie", "eine Abstimmung"]
_TAIL = ["an", "ab", "vor", "zu", "hin", "mit"]
_PLACE = ["Berlin", "Hamburg", "München", "Köln", "Wien", "Zürich", "Dresden", "Leipzig", "Bremen", "Kiel"]
_TOPIC = ["Haushalt", "Verkehr", "Klima", "Schulen", "Wohnungsbau", "Energie", "Gesundheit", "Rente",
          "Sicherheit", "Landwirtschaft"]


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(_SUBJ)} {rng.choice(_VERB)} in {rng.choice(_PLACE)} {rng.choice(_OBJ)} {rng.choice(_TAIL)}."
    r = rng.random()
    if r < 0.25:
        n = rng.randint(2, 90) * 1000
        s += f" Laut Angaben der Behörde geht es um rund {n:,} Menschen.".replace(",", ".")
    elif r < 0.4:
        s += f" Das sagte ein Sprecher am {rng.randint(1, 28)}. Oktober."
    return s


def generated_record(i: int, rng: random.Random) -> dict:
    topic = rng.choice(_TOPIC)
    place = rng.choice(_PLACE)
    paras = [f"{place}: Beim Thema {topic} gibt es Streit. {_sentence(rng)}"]
    for _ in range(rng.randint(1, 2)):
        paras.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))))
    return {
        "title": f"{topic} in {place}: {rng.choice(_SUBJ)} {rng.choice(_VERB)} {rng.choice(_OBJ)} ({i})",
        "text": "\n\n".join(paras),
        "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "outlet": rng.choice(_OUTLETS),
        "url": f"https://example.org/{i}",
    }


def generate_corpus(folder: Path, n: int, *, seed: int = 7, per_file: int = 1000) -> Path:
    """``n`` synthetic German articles as .jsonl files (``per_file`` records each)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for start in range(0, n, per_file):
        with open(folder / f"feed{start // per_file:04d}.jsonl", "w", encoding="utf-8") as f:
            for i in range(start, min(n, start + per_file)):
                f.write(json.dumps(generated_record(i, rng), ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory) -> Path:
    """The seeds indexed once per session; tests open their own Corpus on it."""
    ix = tmp_path_factory.mktemp("seeds-index")
    c = build_index([SEEDS], ix)
    c.close()
    return ix


@pytest.fixture
def seeds_corpus(seeds_index, tmp_path) -> Corpus:
    """A private copy of the session's seeds index (tests may re-index freely)."""
    ix = tmp_path / "ix"
    shutil.copytree(seeds_index, ix)
    c = open_corpus([SEEDS], ix)
    yield c
    c.close()


HOSTILE_TEXT = (
    "Feindlicher Artikel [bold red]rot[/bold red] und [/] mittendrin.\n\n"
    "Ein Klick [@click=app.quit]x[/] darf nichts tun, auch nicht [link=file:///etc/passwd]hier[/link].\n\n"
    "Terminal: \x1b[31mROT\x1b[0m und \x1b]0;Titel\x07 und ein Glockenton \x07 Ende.\n\n"
    "Soldaten zählen 12.000 Soldaten."
)


def write_hostile_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.txt").write_text(
        "[bold red]Titel[/] [@click=app.quit]x[/]\n\n" + HOSTILE_TEXT + "\n", encoding="utf-8")
    (folder / "plain.txt").write_text("Ein ruhiger Artikel\n\nNichts Besonderes, rund 3.000 Menschen.\n",
                                      encoding="utf-8")
    return folder


async def press(pilot, *keys: str) -> None:
    """Like ``pilot.press`` (the same Key events through the driver) without its idle
    sleeps: waits only until the screen has processed what was sent."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        original = REPLACED_KEYS.get(key, key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(original))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
        for _ in range(3):   # app queue → screen/focused widget → the messages its action posts
            await asyncio.sleep(0)
            await pilot._wait_for_screen()


async def start(app, pilot):
    """Wait until the app has indexed and shows the first article; the main screen."""
    await wait_for(pilot, lambda: ready(app), what="the app to index and show the first article")
    return app.main_screen


async def search(pilot, app, text: str):
    """Type ``text`` into the search box and wait for the results; the main screen."""
    s = app.main_screen
    await press(pilot, "slash")
    assert app.focused is s.search_bar.input
    await press(pilot, *["space" if ch == " " else ch for ch in text])
    await wait_for(pilot, lambda: settled(app) and s.search_bar.value == text, what=f"search {text!r}")
    return s


@pytest.fixture
def corpus(seeds_index, tmp_path):
    """The seeds with a private copy of the index and their own excerpts file, for tests
    that change the index or save excerpts."""
    shutil.copytree(seeds_index, tmp_path / "ix")
    c = open_corpus([SEEDS], tmp_path / "ix", excerpts_file=str(tmp_path / "excerpts.jsonl"))
    yield c
    c.close()
