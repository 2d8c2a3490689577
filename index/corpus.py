"""Finding the article files of a corpus and naming them.

A corpus is one or more roots (folders or single files). Each file gets a
stable key: its path relative to its root (posix), prefixed with the root's
name when there is more than one root, so ids never collide.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .formats import SUPPORTED


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class SourceFile:
    path: Path          # absolute
    root: Path          # the folder ids are relative to
    prefix: str         # "" or "<root name>/"
    mtime_ns: int
    size: int

    @property
    def key(self) -> str:
        return self.prefix + self.path.relative_to(self.root).as_posix()


def check_roots(roots: list[Path]) -> None:
    for r in roots:
        if not r.exists():
            raise CorpusError(f"corpus path not found: {r}")
        if not (r.is_dir() or r.is_file()):
            raise CorpusError(f"corpus path is neither a folder nor a file: {r}")


def _prefixes(roots: list[Path]) -> list[str]:
    if len(roots) <= 1:
        return [""]
    names = [r.name or "root" for r in roots]
    out = []
    for i, n in enumerate(names):
        if names.count(n) > 1:
            n = f"{n}{i + 1}"
        out.append(n + "/")
    return out


def discover(roots: list[Path]) -> Iterator[tuple[SourceFile | None, Path, str | None]]:
    """Yield (SourceFile, path, None) for each candidate file, or (None, path, reason)
    for a path that cannot even be listed or has an unsupported type.

    One ``stat`` per file via ``os.scandir`` and no per-file ``resolve()``: the roots
    are resolved once, so a no-op re-index of 100k files stays cheap."""
    for root, prefix in zip(roots, _prefixes(roots)):
        root = root.resolve()
        if root.is_file():
            try:
                st = root.stat()
            except OSError as exc:
                yield None, root, f"cannot read: {exc.strerror or exc.__class__.__name__}"
                continue
            yield from _one(str(root), root.parent, prefix, st)
            continue
        yield from _walk_dir(str(root), root, prefix)


def _walk_dir(d: str, root: Path, prefix: str):
    try:
        with os.scandir(d) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield None, Path(d), f"cannot list folder: {exc.strerror or exc.__class__.__name__}"
        return
    subdirs = []
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            if e.is_dir(follow_symlinks=True):
                subdirs.append(e.path)
                continue
            st = e.stat(follow_symlinks=True)
        except OSError as exc:
            yield None, Path(e.path), f"cannot read: {exc.strerror or exc.__class__.__name__}"
            continue
        yield from _one(e.path, root, prefix, st)
    for sd in subdirs:
        yield from _walk_dir(sd, root, prefix)


def _one(path: str, root: Path, prefix: str, st: os.stat_result):
    suffix = os.path.splitext(path)[1].lower()
    p = Path(path)
    if suffix not in SUPPORTED:
        yield None, p, f"not an article format ({suffix or 'no extension'}; reads {', '.join(sorted(SUPPORTED))})"
        return
    if not stat.S_ISREG(st.st_mode):
        yield None, p, "not a regular file"
        return
    yield SourceFile(p, root, prefix, st.st_mtime_ns, st.st_size), p, None
