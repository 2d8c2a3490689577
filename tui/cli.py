"""The ``coverage-tui`` command line.

``coverage-tui [PATH ...]`` opens the app; the subcommands print what the
screens show, as text or as JSON (``--json``, a documented contract in
README.md). Exit codes: 0 ok, 1 nothing found, 2 bad input (message on
stderr, one line, never a traceback).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable

SUBCOMMANDS = ("index", "articles", "search", "claims", "compare", "excerpts", "export", "show")

EXIT_OK, EXIT_NOTHING, EXIT_BAD = 0, 1, 2


class CliError(Exception):
    def __init__(self, msg: str, code: int = EXIT_BAD):
        super().__init__(msg)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise CliError(f"{message} (see coverage-tui --help)")


def _global(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config.yaml to use (default ./config.yaml)")
    p.add_argument("--index-dir", metavar="DIR", help="where the index lives (default: per-user cache)")


def build_parser() -> argparse.ArgumentParser:
    top = _Parser(prog="coverage-tui",
                  description="Explore how outlets cover one story: search, read, compare claims, save excerpts.",
                  epilog="Subcommands: " + ", ".join(SUBCOMMANDS) + ". 'coverage-tui SUBCOMMAND --help' for each.")
    _global(top)
    top.add_argument("paths", nargs="*", metavar="PATH", help="corpus folders or files (default: config corpus, seeds/)")
    top.add_argument("--query", "-q", help="open the app with this search")
    return top


def build_sub_parser() -> argparse.ArgumentParser:
    top = _Parser(prog="coverage-tui")
    sub = top.add_subparsers(dest="cmd", parser_class=_Parser)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        _global(p)
        return p

    p = add("index", "build or update the index (only changed files are read)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--rebuild", action="store_true", help="throw the index away and build it anew")
    p.add_argument("--json", action="store_true")

    p = add("articles", "list the articles: id, title, date, outlet, author, url, length, boilerplate spans")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = add("show", "print one article's text and metadata")
    p.add_argument("article", metavar="ID")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = add("search", "search the articles (Whoosh query language)")
    p.add_argument("query")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--limit", type=int, default=20, help="hits to print (default 20)")
    p.add_argument("--json", action="store_true")
    return top


# -- helpers --------------------------------------------------------------------------
def _progress_printer() -> Callable[[int, int, str], None] | None:
    if not sys.stderr.isatty():
        return None
    width = 30

    def show(done: int, total: int, name: str) -> None:
        frac = done / total if total else 1.0
        bar = "#" * int(frac * width)
        sys.stderr.write(f"\rindexing [{bar:<{width}}] {done}/{total} {name[:40]:<40}")
        if done >= total:
            sys.stderr.write("\r" + " " * (width + 60) + "\r")
        sys.stderr.flush()

    return show


def _open(args) -> Any:
    from index.service import Corpus

    return Corpus.open(getattr(args, "paths", None) or None, config_path=args.config, index_dir=args.index_dir)


def _ready(corpus) -> None:
    """Make sure the index is up to date (incremental, cheap when nothing changed)."""
    rep = corpus.update_index(progress=_progress_printer())
    if rep.notice:
        print(f"coverage-tui: {rep.notice}", file=sys.stderr)


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _clip(s: str | None, n: int) -> str:
    s = (s or "").replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


# -- commands -------------------------------------------------------------------------
def cmd_index(args) -> int:
    corpus = _open(args)
    rep = corpus.update_index(rebuild=args.rebuild, progress=_progress_printer())
    if args.json:
        d = rep.to_json()
        d["index_dir"] = str(corpus.index_dir)
        d["articles"] = corpus.store.count()
        _emit(d)
    else:
        print(f"indexed {corpus.store.count()} articles in {rep.seconds:.2f} s "
              f"({rep.added} added, {rep.updated} updated, {rep.removed} removed, "
              f"{rep.unchanged} unchanged, {len(rep.skipped)} files skipped)"
              + (" — rebuilt" if rep.rebuilt else ""))
        for path, reason in rep.skipped:
            print(f"  skipped {path}: {reason}")
        if rep.notice:
            print(f"note: {rep.notice}")
        print(f"index: {corpus.index_dir}")
    return EXIT_OK


def cmd_articles(args) -> int:
    corpus = _open(args)
    _ready(corpus)
    metas = sorted(corpus.articles(), key=lambda m: m.id)
    if args.json:
        _emit({"articles": [m.to_json() for m in metas]})
    else:
        for m in metas:
            print(f"{(m.date or '-'):<10}  {_clip(m.outlet or '-', 16):<16}  {_clip(m.title, 70):<70}  {m.id}")
        print(f"{len(metas)} articles")
    return EXIT_OK if metas else EXIT_NOTHING


def cmd_show(args) -> int:
    corpus = _open(args)
    _ready(corpus)
    try:
        a = corpus.article(args.article)
    except KeyError as exc:
        raise CliError(str(exc).strip("'\""), EXIT_NOTHING) from None
    if args.json:
        d = a.to_json()
        d["sentences"] = [list(s) for s in corpus.sentences(a.id)]
        _emit(d)
    else:
        print(a.title)
        print(" · ".join(x for x in (a.outlet, a.date, a.author, a.url) if x))
        print()
        print(a.text)
    return EXIT_OK


def cmd_search(args) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    corpus = _open(args)
    _ready(corpus)
    res = corpus.search(args.query, limit=args.limit, highlights=True)
    if args.json:
        _emit(res.to_json())
    else:
        if res.notice:
            print(f"note: {res.notice}")
        print(f"{res.total} articles match {res.query!r}" + (f" (showing {len(res.hits)})" if res.total > len(res.hits) else ""))
        for h in res.hits:
            print(f"\n{h.score:6.2f}  {(h.date or '-'):<10}  {_clip(h.outlet or '-', 16)}  {_clip(h.title, 80)}")
            print(f"        {h.id} — {h.count} hits")
            print(f"        {h.snippet}")
    return EXIT_OK if res.total else EXIT_NOTHING


def cmd_app(args) -> int:
    corpus = _open(args)
    if not sys.stdout.isatty() and not os.environ.get("COVERAGE_TUI_FORCE_APP"):
        raise CliError("the app needs a terminal; use a subcommand (e.g. 'coverage-tui search QUERY --json') for scripts")
    from tui.app import CoverageApp

    CoverageApp(corpus, initial_query=args.query).run()
    return EXIT_OK


COMMANDS: dict[str, Callable[[Any], int]] = {
    "index": cmd_index, "articles": cmd_articles, "show": cmd_show, "search": cmd_search,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _dispatch(argv)
    except CliError as exc:
        print(f"coverage-tui: {exc}", file=sys.stderr)
        code = exc.code
    except KeyboardInterrupt:
        print("coverage-tui: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # known error types carry one-line messages
        code = _known_error(exc)
    return code


def _known_error(exc: Exception) -> int:
    from index.config import ConfigError
    from index.corpus import CorpusError
    from index.engine import EngineError
    from index.querycheck import QueryError
    from index.store import StoreError

    if isinstance(exc, (ConfigError, CorpusError, QueryError, EngineError, StoreError)):
        print(f"coverage-tui: {exc}", file=sys.stderr)
        return EXIT_BAD
    for name, mod in (("ExcerptError", "index.excerpts"),):
        try:
            cls = getattr(__import__(mod, fromlist=[name]), name)
        except Exception:
            continue
        if isinstance(exc, cls):
            print(f"coverage-tui: {exc}", file=sys.stderr)
            return EXIT_BAD
    if isinstance(exc, OSError):
        print(f"coverage-tui: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_BAD
    print(f"coverage-tui: internal error: {exc.__class__.__name__}: {str(exc)[:200]} "
          f"(set COVERAGE_TUI_DEBUG=1 for details)", file=sys.stderr)
    if os.environ.get("COVERAGE_TUI_DEBUG"):
        import traceback

        traceback.print_exc()
    return 3


def _dispatch(argv: list[str]) -> int:
    first = None
    skip = False
    for a in argv:  # the first word that is not an option nor an option's value
        if skip:
            skip = False
            continue
        if a in ("--config", "--index-dir", "--query", "-q"):
            skip = True
            continue
        if not a.startswith("-"):
            first = a
            break
    if first in SUBCOMMANDS:
        i = argv.index(first)
        pre, rest = argv[:i], argv[i:]
        args = build_sub_parser().parse_args(rest + pre)
        return COMMANDS[args.cmd](args)
    args = build_parser().parse_args(argv)
    return cmd_app(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
