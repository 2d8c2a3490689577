"""Keyword groups from config.yaml (people, places, numbers, …): where each
group's terms and regular expressions occur in an article's text."""
from __future__ import annotations

from .config import HighlightGroup


def keyword_spans(text: str, groups: list[HighlightGroup], limit: int = 50_000) -> list[tuple[int, int, str]]:
    """(start, end, group name) for every match of every group, sorted by start.
    Overlaps are resolved first-come: an earlier group in the config wins."""
    taken: list[tuple[int, int, str]] = []
    for g in groups:
        for rx in g.compiled:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    taken.append((m.start(), m.end(), g.name))
                    if len(taken) >= limit:
                        break
    order = {g.name: i for i, g in enumerate(groups)}
    taken.sort(key=lambda t: (t[0], order.get(t[2], 0), -(t[1] - t[0])))
    out: list[tuple[int, int, str]] = []
    end = -1
    for s, e, name in taken:
        if s >= end:
            out.append((s, e, name))
            end = e
    return out
