"""Finding the article files of a corpus and naming them.

A corpus is one or more roots (folders or single files). Each file gets a
stable key: its path relative to its root (posix), prefixed with the root's
name when there is more than one root, so ids never collide.
"""
from __future__ import annotations

import os
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
    for a path that cannot even be listed or has an unsupported type."""
    for root, prefix in zip(roots, _prefixes(roots)):
        if root.is_file():
            yield from _one(root, root.parent, prefix)
            continue
        for dirpath, dirnames, filenames in os.walk(root, onerror=None):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if fn.startswith("."):
                    continue
                yield from _one(Path(dirpath) / fn, root, prefix)


def _one(path: Path, root: Path, prefix: str):
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield None, path, f"not an article format ({suffix or 'no extension'}; reads {', '.join(sorted(SUPPORTED))})"
        return
    try:
        st = path.stat()
    except OSError as exc:
        yield None, path, f"cannot read: {exc.strerror or exc.__class__.__name__}"
        return
    if not path.is_file():
        yield None, path, "not a regular file"
        return
    yield SourceFile(path.resolve(), root.resolve(), prefix, st.st_mtime_ns, st.st_size), path, None
