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

SUBCOMMANDS = ("index", "articles", "search", "claims", "compare", "excerpts", "export", "show", "keys")

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

    p = add("show", "one article as the reader shows it: metadata, text, hits, keyword groups, excerpts")
    p.add_argument("article", metavar="ID")
    p.add_argument("--query", "-q", help="mark the hits of this search (JSON: highlights)")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = add("keys", "every key binding with its id (what the help screen lists; rebind with keys: in config.yaml)")
    p.add_argument("--json", action="store_true")

    p = add("search", "search the articles (Whoosh query language)")
    p.add_argument("query")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--limit", type=int, default=20, help="hits to print (default 20)")
    p.add_argument("--json", action="store_true")

    p = add("claims", "claims (sentences with quantities or attributions) and the groups they form across articles")
    p.add_argument("--query", "-q", help="only the articles matching this search")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--conflicts", action="store_true", help="only groups whose values conflict")
    p.add_argument("--json", action="store_true")

    p = add("compare", "two articles side by side: reused passages and linked claims with conflicts")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = add("excerpts", "list saved excerpts, or add one ('excerpts add ARTICLE --start N --end N')")
    p.add_argument("action", nargs="?", choices=["list", "add"], default="list")
    p.add_argument("article", nargs="?", metavar="ARTICLE")
    p.add_argument("--start", type=int)
    p.add_argument("--end", type=int)
    p.add_argument("--note", default="")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeat for more); with list: filter")
    p.add_argument("--colour", "--color", dest="colour", default="yellow")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = add("export", "export saved excerpts as Markdown, JSON or CSV")
    p.add_argument("--format", "-f", dest="fmt", choices=["md", "json", "csv"], default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.add_argument("--tag", help="only excerpts with this tag")
    p.add_argument("--corpus", dest="paths", action="append", metavar="PATH")
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
    a = _article_or_fail(corpus, args.article)
    hits = corpus.hit_offsets(a.id, args.query, a.text) if args.query else []
    if args.json:
        d = a.to_json()
        d["sentences"] = [list(s) for s in corpus.sentences(a.id)]
        d["keywords"] = [[s, e, g] for s, e, g in corpus.keyword_spans(a.id, a.text)]
        if args.query:
            d["query"] = args.query
            d["highlights"] = [[s, e] for s, e in hits]
        d["excerpts"] = [{"id": ex.id, "status": an.status, "start": an.start, "end": an.end,
                          "colour": ex.colour, "note": ex.note, "tags": ex.tags, "quote": ex.quote}
                         for ex, an in corpus.anchored_excerpts(a.id)]
        _emit(d)
        return EXIT_OK
    print(a.title)
    print(" · ".join(x for x in (a.outlet, a.date, a.author, a.url) if x))
    print()
    if hits and sys.stdout.isatty():  # mark hits the way grep does: bold reverse
        out, pos = [], 0
        for s_, e_ in hits:
            out += [a.text[pos:s_], "\x1b[1;7m", a.text[s_:e_], "\x1b[0m"]
            pos = e_
        out.append(a.text[pos:])
        print("".join(out))
    else:
        print(a.text)
    if args.query:
        print(f"\n{len(hits)} hits of {args.query!r}", file=sys.stderr)
    return EXIT_OK


def cmd_keys(args) -> int:
    from index.config import load_config
    from tui.keymap import help_rows, resolve_keymap

    cfg = load_config(args.config)
    keymap, warnings = resolve_keymap(cfg.keys)
    rows = help_rows(keymap)
    for w in warnings:
        print(f"coverage-tui: {w}", file=sys.stderr)
    if args.json:
        _emit({"bindings": [{"id": i, "keys": k, "description": d, "where": w} for w, k, d, i in rows],
               "warnings": warnings})
    else:
        for where, keys, desc, bid in rows:
            print(f"{keys:<18} {desc:<52} {bid:<20} {where}")
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


def _fmt_value(v: dict) -> str:
    text = str(v.get("text") or v.get("value"))
    hedge = f"{v['hedge']} " if v.get("hedge") and not text.lower().startswith(str(v["hedge"]).lower()) else ""
    src = f" — {v['source']}" if v.get("source") else ""
    return f"{hedge}{text}{src}"


def cmd_claims(args) -> int:
    corpus = _open(args)
    _ready(corpus)
    d = corpus.claims_json(args.query)
    if args.conflicts:
        keep = [g for g in d["groups"] if g["conflict"]]
        ids = {c for g in keep for c in g["claims"]}
        d = {"claims": [c for c in d["claims"] if c["id"] in ids], "groups": keep}
    if args.json:
        _emit(d)
        return EXIT_OK if d["claims"] else EXIT_NOTHING
    metas = {m.id: m for m in corpus.articles(spans=False)}
    for g in d["groups"]:
        flag = "CONFLICT" if g["conflict"] else "agree"
        print(f"[{flag}] {g['label']}  ({len(g['articles'])} articles)")
        for v in g.get("values", []):
            m = metas.get(v.get("article"))
            who = f"{(m.outlet or m.id) if m else v.get('article')}, {(m.date if m and m.date else '-')}"
            print(f"    {_fmt_value(v):<60}  [{who}]")
        print()
    print(f"{len(d['claims'])} claims, {len(d['groups'])} groups, "
          f"{sum(1 for g in d['groups'] if g['conflict'])} with conflicting values")
    return EXIT_OK if d["claims"] else EXIT_NOTHING


def _article_or_fail(corpus, aid: str):
    try:
        return corpus.article(aid)
    except KeyError:
        raise CliError(f"no article with id {aid!r} (see 'coverage-tui articles')", EXIT_NOTHING) from None


def cmd_compare(args) -> int:
    corpus = _open(args)
    _ready(corpus)
    a, b = _article_or_fail(corpus, args.a), _article_or_fail(corpus, args.b)
    if a.id == b.id:
        raise CliError("compare needs two different articles")
    pairs = corpus.compare(a.id, b.id)
    if args.json:
        _emit({"a": a.id, "b": b.id, "pairs": [p.to_json() for p in pairs]})
        return EXIT_OK if pairs else EXIT_NOTHING
    print(f"A: {a.title}  [{a.outlet or '-'}, {a.date or '-'}]")
    print(f"B: {b.title}  [{b.outlet or '-'}, {b.date or '-'}]\n")
    for p in pairs:
        sa = " ".join(a.text[p.a[0]:p.a[1]].split())
        sb = " ".join(b.text[p.b[0]:p.b[1]].split())
        head = "reused wording" if p.kind == "reuse" else ("CLAIMS CONFLICT" if p.conflicts else "same claim")
        print(f"{head} (similarity {p.similarity:.2f})")
        print(f"  A {p.a[0]}-{p.a[1]}: {_clip(sa, 150)}")
        print(f"  B {p.b[0]}-{p.b[1]}: {_clip(sb, 150)}")
        for c in p.conflicts:
            print(f"    {c.get('unit') or ''}: A {_fmt_value(c['a'])}  vs  B {_fmt_value(c['b'])}")
        print()
    print(f"{len(pairs)} aligned pairs ({sum(1 for p in pairs if p.kind == 'reuse')} reuse, "
          f"{sum(1 for p in pairs if p.kind == 'claim')} claim, {sum(1 for p in pairs if p.conflicts)} with conflicts)")
    return EXIT_OK if pairs else EXIT_NOTHING


def cmd_excerpts(args) -> int:
    corpus = _open(args)
    if args.action == "add":
        if not args.article or args.start is None or args.end is None:
            raise CliError("usage: coverage-tui excerpts add ARTICLE --start N --end N [--note TEXT] [--tag T]")
        _ready(corpus)
        _article_or_fail(corpus, args.article)
        ex = corpus.add_excerpt(args.article, args.start, args.end, note=args.note, tags=args.tag,
                                colour=args.colour)
        if corpus.excerpts.warning:
            print(f"coverage-tui: {corpus.excerpts.warning}", file=sys.stderr)
        if args.json:
            _emit(ex.to_json())
        else:
            print(f"saved excerpt {ex.id}: {_clip(ex.quote, 100)!r} ({corpus.excerpts.active_path})")
        return EXIT_OK
    if args.article:
        raise CliError("'excerpts' lists; to add one: coverage-tui excerpts add ARTICLE --start N --end N")
    _ready(corpus)
    pairs = corpus.anchored_excerpts()
    if args.tag:
        want = {t.lstrip("#").lower() for t in args.tag}
        pairs = [(e, a) for e, a in pairs if want & {t.lower() for t in e.tags}]
    if corpus.excerpts.warning:
        print(f"coverage-tui: {corpus.excerpts.warning}", file=sys.stderr)
    if args.json:
        out = []
        for e, a in pairs:
            d = e.to_json()
            d["anchor"] = {"status": a.status, "start": a.start, "end": a.end}
            out.append(d)
        _emit({"file": str(corpus.excerpts.active_path), "excerpts": out})
    else:
        for e, a in pairs:
            tags = " ".join("#" + t for t in e.tags)
            print(f"{e.id}  {e.article}  [{a.status}]  {_clip(e.quote, 70)!r}  {tags}")
            if e.note:
                print(f"      {_clip(e.note, 100)}")
        print(f"{len(pairs)} excerpts in {corpus.excerpts.active_path}")
    return EXIT_OK if pairs else EXIT_NOTHING


def cmd_export(args) -> int:
    corpus = _open(args)
    _ready(corpus)
    text = corpus.export_excerpts(args.fmt, tag=args.tag)
    if args.output:
        from index.export import write_export

        path = write_export(text, args.output, args.fmt)
        print(f"exported to {path}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    return EXIT_OK


def cmd_app(args) -> int:
    corpus = _open(args)
    if not sys.stdout.isatty() and not os.environ.get("COVERAGE_TUI_FORCE_APP"):
        raise CliError("the app needs a terminal; use a subcommand (e.g. 'coverage-tui search QUERY --json') for scripts")
    from tui.app import CoverageApp

    CoverageApp(corpus, initial_query=args.query).run()
    return EXIT_OK


COMMANDS: dict[str, Callable[[Any], int]] = {
    "index": cmd_index, "articles": cmd_articles, "show": cmd_show, "search": cmd_search,
    "claims": cmd_claims, "compare": cmd_compare, "excerpts": cmd_excerpts, "export": cmd_export,
    "keys": cmd_keys,
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
