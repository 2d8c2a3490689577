"""App benchmark, measured in-process with Pilot (``app.run_test``) and timestamps.

- launch → first usable screen: from creating the ``Corpus`` and ``CoverageApp`` to the
  first frame painted with the article list filled and the reader showing the first
  article (existing index; seeds, and a big index when given);
- list keypress → reader shows the article: ``j`` sent through the driver, timed to the
  first frame painted after the reader holds the new article (50 presses, 60 ms apart);
- search-as-you-type at 10k: a query typed one key at a time; each update timed from
  the search starting (after the debounce) to the first frame painted with the
  re-ranked list, and from the keystroke (debounce included);
- opening a 1 MB article: from the keypress to the frame showing it;
- the comparison view (seeds): the second ``c`` to the frame showing both sides filled;
- the claims matrix: ``m`` to the frame showing the filled table, claims grouped afresh
  each time (the corpus's claim cache and the app's matrix cache cleared): whole seeds,
  a search on the generated 10k, and the whole 10k; plus a key pressed while the 10k
  matrix is still being computed, to its frame (the UI must not wait for the worker).

Frames are counted at ``App._display`` (the headless driver still composes every frame).

    .venv/bin/python bench/app_bench.py [--big CORPUS_DIR INDEX_DIR] [--make-big N] [--workdir DIR]

Writes a Markdown section to bench/out/app_bench.md and prints it.
"""
from __future__ import annotations

import argparse
import asyncio
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_app_support import (  # noqa: E402
    SEEDS, build_index, generate_corpus, generated_record, open_corpus, ready,
)
from tui.app import CoverageApp  # noqa: E402

SIZE = (160, 45)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def ms(x: float) -> str:
    return f"{x * 1000:.1f}"


class FrameClock:
    """Timestamps of the frames the app paints."""

    def __init__(self, app: CoverageApp):
        self.frames: list[float] = []
        real = app._display

        def display(screen, renderable):
            real(screen, renderable)
            if renderable is not None:
                self.frames.append(time.perf_counter())

        app._display = display

    def after(self, t: float) -> float | None:
        for f in reversed(self.frames):
            if f < t:
                break
        for f in self.frames:
            if f >= t:
                return f
        return None


async def until(cond, timeout: float = 60.0, step: float = 0.0005) -> None:
    t0 = time.perf_counter()
    while not cond():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(step)


async def next_frame(clock: FrameClock, t: float, timeout: float = 5.0) -> float:
    await until(lambda: clock.after(t) is not None, timeout)
    return clock.after(t)


def send_key(app, key: str) -> None:
    from textual import events

    ev = events.Key(key, key if len(key) == 1 else None)
    ev.set_sender(app)
    app._driver.send_message(ev)


def shown_now(app) -> bool:
    s = app.main_screen
    try:
        lst, reader = s.article_list, s.reader
    except Exception:
        return False
    if not s.index_ready or s._loading or lst.row_count == 0:
        return ready(app)  # an empty corpus is usable once indexing said so
    return reader.article_id == lst.current_id and s._shown_key == (lst.current_id, s.query_active)


async def launch(paths, index_dir, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        corpus = open_corpus(paths, index_dir)
        app = CoverageApp(corpus)
        clock = FrameClock(app)
        async with app.run_test(size=SIZE) as pilot:  # noqa: F841
            state = {}

            def usable():
                # usable = the list is filled and the reader shows the selected article;
                # the background check of the files for changes may still run
                if "t" not in state and shown_now(app):
                    state["t"] = time.perf_counter()
                return "t" in state

            await until(usable, timeout=120)
            t1 = await next_frame(clock, state["t"])
            out.append(t1 - t0)
        corpus.close()
    return out


def record_shows(reader, shown: dict) -> None:
    """Wrap reader.show so each article id maps to the time it was last shown."""
    real_show = reader.show

    def show(article, *a, **kw):
        real_show(article, *a, **kw)
        shown[article.id] = time.perf_counter()

    reader.show = show


async def list_to_reader(paths, index_dir, presses: int = 50) -> list[float]:
    corpus = open_corpus(paths, index_dir)
    app = CoverageApp(corpus)
    clock = FrameClock(app)
    shown: dict[str, float] = {}
    out = []
    async with app.run_test(size=SIZE) as pilot:  # noqa: F841
        await until(lambda: ready(app), timeout=120)
        s = app.main_screen
        record_shows(s.reader, shown)
        lst = s.article_list
        for i in range(presses):
            if lst.cursor >= lst.row_count - 1:
                send_key(app, "g")
                await until(lambda: ready(app))
                await asyncio.sleep(0.06)
            want = lst.rows[lst.cursor + 1].id
            shown.pop(want, None)
            t0 = time.perf_counter()
            send_key(app, "j")
            await until(lambda: want in shown, timeout=10)
            t1 = await next_frame(clock, shown[want])
            out.append(t1 - t0)
            await asyncio.sleep(0.06)
    corpus.close()
    return out


async def search_as_you_type(paths, index_dir, words: list[str]) -> tuple[list[float], list[float], list[float]]:
    """(search start → frame, keystroke → frame, corpus.search alone) per update."""
    corpus = open_corpus(paths, index_dir)
    corpus.config.search_debounce_ms = 150
    app = CoverageApp(corpus)
    clock = FrameClock(app)
    starts: list[tuple[int, float]] = []
    finished: dict[int, float] = {}
    engine_times: list[float] = []
    upd, key_to_frame = [], []
    async with app.run_test(size=SIZE) as pilot:  # noqa: F841
        await until(lambda: ready(app), timeout=120)
        s = app.main_screen
        real_start = s._start_search
        real_set = s.article_list.set_search
        real_search = corpus.search

        def start(value):
            real_start(value)
            starts.append((s._search_seq, time.perf_counter()))

        def set_search(hits):
            real_set(hits)
            if hits is not None:
                finished[s._search_seq] = time.perf_counter()

        def search(q, **kw):
            t = time.perf_counter()
            try:
                return real_search(q, **kw)
            finally:
                engine_times.append(time.perf_counter() - t)

        s._start_search = start
        s.article_list.set_search = set_search
        corpus.search = search
        for word in words:
            send_key(app, "slash")
            await asyncio.sleep(0.05)
            s.search_bar.input.value = ""
            await asyncio.sleep(0.3)
            for ch in word:
                t_key = time.perf_counter()
                send_key(app, ch)
                # a typist pausing after each key long enough for the debounce to fire
                await until(lambda: s._search_timer is None and starts and starts[-1][1] >= t_key, timeout=10)
                seq, t_start = starts[-1]
                await until(lambda: seq in finished or s.search_bar.status_kind == "error", timeout=10)
                if seq not in finished:
                    continue
                t_frame = await next_frame(clock, finished[seq])
                upd.append(t_frame - t_start)
                key_to_frame.append(t_frame - t_key)
            send_key(app, "enter")
            await asyncio.sleep(0.05)
    corpus.close()
    return upd, key_to_frame, engine_times


async def open_big_article(tmp: Path, rounds: int = 5) -> list[float]:
    import random

    rng = random.Random(5)
    paras, size = [], 0
    while size < 1_000_000:
        p = generated_record(len(paras), rng)["text"].replace("\n\n", " ")
        paras.append(p)
        size += len(p) + 2
    folder = tmp / "big-article"
    folder.mkdir()
    (folder / "big.txt").write_text("Ein sehr langer Artikel\n\n" + "\n\n".join(paras)[:1_000_000], encoding="utf-8")
    (folder / "small.txt").write_text("Kurz\n\nEin kurzer Text über Regierung.\n", encoding="utf-8")
    build_index([folder], tmp / "big-article-ix", max_file_size="5 MB").close()
    corpus = open_corpus([folder], tmp / "big-article-ix", max_file_size="5 MB")
    app = CoverageApp(corpus, initial_query="Regierung")
    clock = FrameClock(app)
    shown = {}
    async with app.run_test(size=SIZE) as pilot:  # noqa: F841
        await until(lambda: ready(app), timeout=120)
        s = app.main_screen
        record_shows(s.reader, shown)
        lst = s.article_list
        target, other = "big.txt", "small.txt"
        times = []
        for _ in range(rounds):
            if lst.current_id == target:
                lst.select_id(other)
                await until(lambda: ready(app))
                await asyncio.sleep(0.1)
            idx = [r.id for r in lst.rows].index(target)
            shown.pop(target, None)
            t0 = time.perf_counter()
            send_key(app, "j" if lst.cursor < idx else "k")
            await until(lambda: target in shown, timeout=30)
            t1 = await next_frame(clock, shown[target])
            times.append(t1 - t0)
            await until(lambda: ready(app))
        lines = s.reader.body.line_count
    corpus.close()
    print(f"  1 MB article: {lines} lines")
    return times


async def compare_open(paths, index_dir, pairs: list[tuple[str, str]], rounds: int = 7) -> list[float]:
    """Second ``c`` → first frame painted with both sides of the comparison filled."""
    from tui.screens.compare import CompareScreen

    corpus = open_corpus(paths, index_dir)
    app = CoverageApp(corpus)
    clock = FrameClock(app)
    out = []
    async with app.run_test(size=SIZE) as pilot:  # noqa: F841
        await until(lambda: ready(app), timeout=120)
        s = app.main_screen
        for i in range(rounds):
            a, b = pairs[i % len(pairs)]
            s.article_list.select_id(a)
            await until(lambda: ready(app))
            send_key(app, "c")
            await until(lambda: s.compare_a is not None)
            s.article_list.select_id(b)
            await until(lambda: ready(app))
            await asyncio.sleep(0.05)
            shown = {}
            t0 = time.perf_counter()
            send_key(app, "c")

            def filled():
                scr = app.screen
                if isinstance(scr, CompareScreen) and scr.ready and "t" not in shown:
                    shown["t"] = time.perf_counter()
                return "t" in shown

            await until(filled, timeout=30)
            t1 = await next_frame(clock, shown["t"])
            out.append(t1 - t0)
            send_key(app, "escape")
            await until(lambda: app.screen is s)
            await asyncio.sleep(0.05)
    corpus.close()
    return out


async def matrix_open(paths, index_dir, query: str | None, rounds: int = 5,
                      probe_key: bool = False) -> tuple[list[float], list[float], int, int]:
    """``m`` → first frame painted with the filled matrix, claims grouped afresh each time.
    Returns (times, key-while-computing → frame times, rows, columns)."""
    from tui.screens.dialogs import HelpScreen
    from tui.screens.matrix import MatrixScreen

    corpus = open_corpus(paths, index_dir)
    app = CoverageApp(corpus, initial_query=query)
    clock = FrameClock(app)
    out, probes = [], []
    rows = cols = 0
    async with app.run_test(size=SIZE) as pilot:  # noqa: F841
        s = app.main_screen
        await until(lambda: ready(app) and (query is None or s.query_active == query), timeout=120)
        for _ in range(rounds):
            corpus._claims_cache.clear()
            s.matrix_cache = None
            shown = {}
            t0 = time.perf_counter()
            send_key(app, "m")

            def filled():
                scr = app.screen
                if isinstance(scr, MatrixScreen) and scr.ready and "t" not in shown:
                    shown["t"] = time.perf_counter()
                return "t" in shown

            if probe_key:
                await until(lambda: isinstance(app.screen, MatrixScreen), timeout=10)
                tk = time.perf_counter()
                send_key(app, "question_mark")
                await until(lambda: isinstance(app.screen, HelpScreen) or filled(), timeout=60)
                helped = isinstance(app.screen, HelpScreen)
                th = time.perf_counter()
                if helped:
                    probes.append((await next_frame(clock, th)) - tk)
                    send_key(app, "escape")
            await until(filled, timeout=120)
            t1 = await next_frame(clock, shown["t"])
            out.append(t1 - t0)
            m = app.screen.matrix
            rows, cols = len(m.rows), len(m.columns)
            send_key(app, "escape")
            await until(lambda: app.screen is s)
            await asyncio.sleep(0.05)
    corpus.close()
    return out, probes, rows, cols


def stats_row(name: str, xs: list[float], budget: str) -> str:
    return f"| {name} | {len(xs)} | {ms(statistics.median(xs))} | {ms(pct(xs, 0.95))} | {ms(max(xs))} | {budget} |"


async def main_async(args) -> str:
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="app-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    notes = []

    seeds_ix = work / "seeds-ix"
    if not (seeds_ix / "store.sqlite").exists():
        build_index([SEEDS], seeds_ix).close()
    print("launch (seeds)…")
    rows.append(stats_row("launch → first usable screen, seeds (existing index)",
                          await launch([SEEDS], seeds_ix, 7), "≤ 1000 ms"))

    gen10k = work / "gen10k"
    if not (gen10k / "ix" / "store.sqlite").exists():
        print("building the generated 10k corpus…")
        generate_corpus(gen10k / "corpus", 10_000)
        t0 = time.perf_counter()
        build_index([gen10k / "corpus"], gen10k / "ix").close()
        notes.append(f"generated 10k corpus indexed in {time.perf_counter() - t0:.1f} s")
    print("launch (10k)…")
    rows.append(stats_row("launch → first usable screen, generated 10k",
                          await launch([gen10k / "corpus"], gen10k / "ix", 5), "—"))

    big = None
    if args.big:
        big = (Path(args.big[0]), Path(args.big[1]))
    elif args.make_big:
        n = args.make_big
        d = work / f"gen{n}"
        if not (d / "ix" / "store.sqlite").exists():
            print(f"building a generated {n:,} corpus (once)…")
            generate_corpus(d / "corpus", n)
            t0 = time.perf_counter()
            build_index([d / "corpus"], d / "ix").close()
            notes.append(f"generated {n:,} corpus indexed in {time.perf_counter() - t0:.0f} s")
        big = (d / "corpus", d / "ix")
    if big is not None:
        c = open_corpus([big[0]], big[1])
        n_big = c.store.count()
        c.close()
        print(f"launch ({n_big:,})…")
        rows.append(stats_row(f"launch → first usable screen, {n_big:,} articles (existing index)",
                              await launch([big[0]], big[1], 3), "≤ 2000 ms at 100k"))
        print(f"list → reader ({n_big:,})…")
        rows.append(stats_row(f"list keypress → reader shows article, {n_big:,} articles",
                              await list_to_reader([big[0]], big[1], 50), "median ≤ 50 ms"))

    print("list → reader (seeds, 10k)…")
    rows.append(stats_row("list keypress → reader shows article, seeds",
                          await list_to_reader([SEEDS], seeds_ix, 50), "median ≤ 50 ms"))
    rows.append(stats_row("list keypress → reader shows article, generated 10k",
                          await list_to_reader([gen10k / "corpus"], gen10k / "ix", 50), "median ≤ 50 ms"))

    print("search as you type (10k)…")
    words = ["Haushalt", "Regierung", "Polizei", "Wohnungen", "Gewerkschaft", "Schulen"]
    upd, key, engine = await search_as_you_type([gen10k / "corpus"], gen10k / "ix", words)
    rows.append(stats_row("search-as-you-type update at 10k: search start → list painted", upd, "p95 ≤ 100 ms"))
    rows.append(stats_row("… of which corpus.search (limit 500, worker thread)", engine, "—"))
    rows.append(stats_row("… keystroke → list painted (includes the 150 ms debounce)", key, "—"))

    print("comparison view (seeds)…")
    seed_pairs = [("000_aa86ebe26a5638e5.txt", "003_02a9048fcc89feeb.txt"),
                  ("003_02a9048fcc89feeb.txt", "004_877e01af3c7ff7d7.txt"),
                  ("000_aa86ebe26a5638e5.txt", "001_a344769ed3a079f9.txt")]
    rows.append(stats_row("comparison view: second c → both sides painted, seeds",
                          await compare_open([SEEDS], seeds_ix, seed_pairs), "≤ 300 ms"))
    print("claims matrix (seeds, 10k search, 10k)…")
    t, _, r, c = await matrix_open([SEEDS], seeds_ix, None, rounds=7)
    rows.append(stats_row(f"claims matrix: m → table painted, seeds ({r} groups × {c} articles)", t, "≤ 500 ms"))
    t, _, r, c = await matrix_open([gen10k / "corpus"], gen10k / "ix", "Regierung", rounds=5)
    rows.append(stats_row(f"claims matrix: m → table painted, 10k search 'Regierung' ({r} × {c})", t, "≤ 2000 ms"))
    t, probe, r, c = await matrix_open([gen10k / "corpus"], gen10k / "ix", None, rounds=3, probe_key=True)
    rows.append(stats_row(f"claims matrix: m → table painted, whole generated 10k ({r} × {c})", t, "—"))
    if probe:
        rows.append(stats_row("… a key (?) pressed while the 10k matrix computes → its frame", probe, "≤ 100 ms"))

    print("1 MB article…")
    tmp = Path(tempfile.mkdtemp(prefix="app-bench-big-"))
    try:
        t_big = await open_big_article(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows.append(stats_row("open a 1 MB article (keypress → painted, with hits and keyword groups)", t_big, "< 1000 ms"))

    md = [f"## App (Pilot, in-process) ({date.today().isoformat()})", "",
          f"Machine: {platform.machine()}, Python {platform.python_version()}, Textual "
          f"{__import__('textual').__version__}, terminal {SIZE[0]}×{SIZE[1]} (headless). "
          "Times end at the first frame painted after the change (App._display).", "",
          "| measurement | n | median (ms) | p95 (ms) | max (ms) | budget |",
          "|---|---:|---:|---:|---:|---|", *rows, ""]
    if notes:
        md += ["Notes: " + "; ".join(notes) + ".", ""]
    return "\n".join(md)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", nargs=2, metavar=("CORPUS_DIR", "INDEX_DIR"),
                    help="an existing big corpus and its index (e.g. 100k articles)")
    ap.add_argument("--make-big", type=int, metavar="N", help="generate and index N articles in --workdir (once)")
    ap.add_argument("--workdir", help="keep generated corpora and indexes here between runs")
    args = ap.parse_args()
    md = asyncio.run(main_async(args))
    out = HERE / "out" / "app_bench.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
