"""config.yaml: loading, defaults and validation.

Lookup order when no ``--config`` is given: ``./config.yaml``, then
``<user config dir>/coverage-tui/config.yaml``, then built-in defaults.
Relative paths in the file are relative to the file's own folder.
Every problem is a ``ConfigError`` with a one-line message.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    import platformdirs
except ImportError:  # pragma: no cover - declared dependency
    platformdirs = None  # type: ignore

APP = "coverage-tui"

COLOURS = {"red", "green", "blue", "yellow", "magenta", "cyan", "orange", "purple", "pink", "teal"}


class ConfigError(ValueError):
    pass


@dataclass
class HighlightGroup:
    name: str
    colour: str
    terms: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    compiled: list[re.Pattern] = field(default_factory=list, repr=False)


@dataclass
class Config:
    path: Path | None = None
    corpus: list[str] = field(default_factory=lambda: ["seeds"])
    index_dir: str | None = None
    excerpts_file: str | None = None
    max_file_size: int = 5_000_000
    fields: dict[str, str] = field(default_factory=dict)
    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    highlight_groups: list[HighlightGroup] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    search_limit: int = 500
    search_debounce_ms: int = 150

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def resolve(self, p: str) -> Path:
        q = Path(p).expanduser()
        return q if q.is_absolute() else (self.base_dir / q)

    def corpus_paths(self, override: list[str] | None = None) -> list[Path]:
        if override:
            return [Path(p).expanduser().resolve() for p in override]
        return [self.resolve(p).resolve() for p in self.corpus]

    def index_path(self, roots: list[Path], override: str | None = None) -> Path:
        if override:
            return Path(override).expanduser().resolve()
        if self.index_dir:
            return self.resolve(self.index_dir).resolve()
        key = hashlib.sha1("\n".join(sorted(str(r) for r in roots)).encode()).hexdigest()[:16]
        return Path(_user_dir("cache")) / "indexes" / key

    def excerpts_path(self) -> Path:
        if self.excerpts_file:
            return self.resolve(self.excerpts_file)
        return Path(_user_dir("data")) / "excerpts.jsonl"

    def reading_hash(self) -> str:
        """What changes how files are read: a change re-reads every file."""
        blob = repr((sorted(self.fields.items()), sorted((k, sorted(v.items())) for k, v in self.articles.items()),
                     self.max_file_size))
        return hashlib.sha1(blob.encode()).hexdigest()


def _user_dir(kind: str) -> str:
    if platformdirs is None:
        return str(Path.home() / f".{APP}")
    if kind == "cache":
        return platformdirs.user_cache_dir(APP)
    if kind == "config":
        return platformdirs.user_config_dir(APP)
    return platformdirs.user_data_dir(APP)


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)


def parse_size(v: Any) -> int:
    if isinstance(v, bool):
        raise ConfigError("max_file_size: expected a size like 5000000 or '5 MB'")
    if isinstance(v, (int, float)) and v > 0:
        return int(v)
    if isinstance(v, str):
        m = _SIZE_RE.match(v)
        if m:
            n = float(m.group(1))
            unit = (m.group(2) or "").lower().rstrip("b").rstrip("i")
            mult = {"": 1, "k": 1000, "m": 1000 ** 2, "g": 1000 ** 3}[unit]
            if "i" in (m.group(2) or "").lower():
                mult = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[unit]
            if n > 0:
                return int(n * mult)
    raise ConfigError(f"max_file_size: {v!r} is not a size (write e.g. 5000000 or '5 MB')")


def find_config(explicit: str | None) -> Path | None:
    if explicit:
        p = Path(explicit).expanduser()
        if not p.is_file():
            raise ConfigError(f"config file not found: {p}")
        return p.resolve()
    here = Path.cwd() / "config.yaml"
    if here.is_file():
        return here.resolve()
    user = Path(_user_dir("config")) / "config.yaml"
    if user.is_file():
        return user.resolve()
    return None


def load_config(explicit: str | None = None) -> Config:
    path = find_config(explicit)
    if path is None:
        return Config()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    return config_from_dict(raw or {}, path)


def _str_list(v: Any, key: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    if isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v):
        return [str(x) for x in v]
    raise ConfigError(f"{key}: expected a list of strings")


KNOWN_KEYS = {"corpus", "index_dir", "excerpts_file", "max_file_size", "fields", "articles",
              "highlight_groups", "keys", "theme", "search"}


def config_from_dict(raw: Any, path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}the top level must be a mapping of keys")
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{where}unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
    cfg = Config(path=path)
    try:
        if "corpus" in raw:
            cfg.corpus = _str_list(raw["corpus"], "corpus") or cfg.corpus
        for k in ("index_dir", "excerpts_file", "theme"):
            if raw.get(k) is not None:
                if not isinstance(raw[k], str):
                    raise ConfigError(f"{k}: expected a string")
                setattr(cfg, k, raw[k])
        if raw.get("max_file_size") is not None:
            cfg.max_file_size = parse_size(raw["max_file_size"])
        if raw.get("fields") is not None:
            f = raw["fields"]
            if not isinstance(f, dict) or not all(isinstance(a, str) and isinstance(b, str) for a, b in f.items()):
                raise ConfigError("fields: expected a mapping like {body: text, source: outlet}")
            allowed = {"title", "text", "date", "outlet", "url", "author"}
            for src, dst in f.items():
                if dst not in allowed:
                    raise ConfigError(f"fields: {src!r} maps to {dst!r}, which is not one of {', '.join(sorted(allowed))}")
            cfg.fields = dict(f)
        if raw.get("articles") is not None:
            a = raw["articles"]
            if not isinstance(a, dict):
                raise ConfigError("articles: expected a mapping of article id to {title, date, outlet, author, url}")
            for aid, over in a.items():
                if not isinstance(over, dict):
                    raise ConfigError(f"articles: {aid}: expected a mapping")
                bad = set(over) - {"title", "date", "outlet", "author", "url"}
                if bad:
                    raise ConfigError(f"articles: {aid}: unknown key {sorted(bad)[0]!r}")
                cfg.articles[str(aid)] = {k: str(v) for k, v in over.items() if v is not None}
        if raw.get("highlight_groups") is not None:
            cfg.highlight_groups = _groups(raw["highlight_groups"])
        if raw.get("keys") is not None:
            k = raw["keys"]
            if not isinstance(k, dict) or not all(isinstance(a, str) and isinstance(b, str) for a, b in k.items()):
                raise ConfigError("keys: expected a mapping of binding id to key, e.g. {next_hit: n}")
            cfg.keys = dict(k)
        if raw.get("search") is not None:
            s = raw["search"]
            if not isinstance(s, dict):
                raise ConfigError("search: expected a mapping {limit, debounce_ms}")
            if "limit" in s:
                if not isinstance(s["limit"], int) or s["limit"] < 1:
                    raise ConfigError("search.limit: expected a positive whole number")
                cfg.search_limit = s["limit"]
            if "debounce_ms" in s:
                if not isinstance(s["debounce_ms"], int) or s["debounce_ms"] < 0:
                    raise ConfigError("search.debounce_ms: expected a whole number of milliseconds")
                cfg.search_debounce_ms = s["debounce_ms"]
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from None
    return cfg


def _groups(v: Any) -> list[HighlightGroup]:
    if not isinstance(v, list):
        raise ConfigError("highlight_groups: expected a list of {name, colour, terms, patterns}")
    out = []
    for i, g in enumerate(v, 1):
        if not isinstance(g, dict) or not g.get("name"):
            raise ConfigError(f"highlight_groups[{i}]: needs at least a name")
        colour = str(g.get("colour") or g.get("color") or "yellow").lower()
        if colour not in COLOURS:
            raise ConfigError(f"highlight_groups[{i}] ({g['name']}): colour {colour!r} is not one of {', '.join(sorted(COLOURS))}")
        terms = _str_list(g.get("terms"), f"highlight_groups[{i}].terms")
        patterns = _str_list(g.get("patterns"), f"highlight_groups[{i}].patterns")
        compiled = []
        for p in patterns:
            try:
                compiled.append(re.compile(p))
            except re.error as exc:
                raise ConfigError(f"highlight_groups[{i}] ({g['name']}): bad regular expression {p!r}: {exc}") from None
        for t in terms:
            compiled.append(re.compile(r"(?<!\w)" + re.escape(t) + r"\w*", re.IGNORECASE))
        out.append(HighlightGroup(str(g["name"]), colour, terms, patterns, compiled))
    return out
