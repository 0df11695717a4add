"""The watch file: a situation's feeds, URLs, sitemaps and keywords, in TOML.

    name = "Iraq militias and Iran's missiles"
    feeds = ["https://example.org/world/rss.xml"]
    urls = ["https://example.org/2025/04/09/missiles-iraq"]
    sitemaps = []
    keywords = ["Iraq", "militia"]      # feed entries must name one (none: keep all)
    db = "iraq.duckdb"                  # optional; paths are relative to this file
    out = "iraq-watch"                  # optional: changes.md, changes.json, alerts.xml
    archive = "iraq-archive"            # optional: the WARC files

    [collect]                           # optional: CollectConfig fields
    rate_limit_s = 2.0

DOCS: docs/collect.md
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storytrace.collect.config import CollectConfig
from storytrace.errors import ConfigError

_LISTS = ("feeds", "urls", "sitemaps", "keywords")
_PATHS = ("db", "out", "archive")
_KNOWN = {"name", "collect", *_LISTS, *_PATHS}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class WatchSpec:
    """A parsed watch file.

    Attributes:
        path (Path): the watch file.
        name (str): the situation's name (the alert feed's title).
        feeds, urls, sitemaps (tuple[str, ...]): what to fetch.
        keywords (tuple[str, ...]): feed entries must name one of these (none: keep all).
        db (Path): the store (default: ``<file stem>.duckdb`` beside the file).
        out (Path): the output folder (default: ``<file stem>-watch`` beside the file).
        archive (Path): the WARC folder (default: ``<out>/archive``).
        config (CollectConfig): politeness and limits.
    """

    path: Path
    name: str
    feeds: tuple[str, ...]
    urls: tuple[str, ...]
    sitemaps: tuple[str, ...]
    keywords: tuple[str, ...]
    db: Path
    out: Path
    archive: Path
    config: CollectConfig

    @property
    def targets(self) -> tuple[str, ...]:
        """Feeds, sitemaps and URLs, in that order."""
        return (*self.feeds, *self.sitemaps, *self.urls)


def _bad(path: Path, why: str) -> ConfigError:
    return ConfigError("ST171", f"The watch file {path} is not valid: {why}. See docs/collect.md.")


def load_watchfile(path: Path) -> WatchSpec:
    """Read and check a watch file.

    Raises:
        ConfigError: ``ST171`` when the file is missing, not TOML, or names
            an unknown key or a value of the wrong type.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _bad(path, f"not TOML ({exc})") from None
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise _bad(path, f"unknown keys {unknown}; known: {sorted(_KNOWN)}")
    lists = {key: _strings(path, data, key) for key in _LISTS}
    if not (lists["feeds"] or lists["urls"] or lists["sitemaps"]):
        raise _bad(path, "it names no feeds, urls or sitemaps")
    base = path.parent
    paths = {key: _path(path, data, key) for key in _PATHS}
    out = paths["out"] or base / f"{path.stem}-watch"
    return WatchSpec(
        path=path,
        name=str(data.get("name") or path.stem),
        feeds=lists["feeds"],
        urls=lists["urls"],
        sitemaps=lists["sitemaps"],
        keywords=lists["keywords"],
        db=paths["db"] or base / f"{path.stem}.duckdb",
        out=out,
        archive=paths["archive"] or out / "archive",
        config=_collect_config(path, data.get("collect", {})),
    )


def _strings(path: Path, data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(path, f"{key!r} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _path(path: Path, data: dict[str, Any], key: str) -> Path | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(path, f"{key!r} must be a path")
    return path.parent / value


def _collect_config(path: Path, table: Any) -> CollectConfig:
    if not isinstance(table, dict):
        raise _bad(path, "[collect] must be a table")
    fields = {f.name: f for f in dataclasses.fields(CollectConfig)}
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise _bad(path, f"unknown [collect] keys {unknown}; known: {sorted(fields)}")
    default = CollectConfig()
    for key, value in table.items():
        wanted = type(getattr(default, key))
        ok = isinstance(value, wanted) or (wanted is float and isinstance(value, int))
        if not ok or isinstance(value, bool) != (wanted is bool):
            raise _bad(path, f"[collect] {key} must be a {wanted.__name__}")
    return dataclasses.replace(default, **table)


def parse_every(text: str) -> float:
    """``30m``, ``2h``, ``90s``, ``1d`` (or a number of seconds) to seconds.

    Raises:
        ConfigError: ``ST172`` for anything else, or an interval under a minute.
    """
    found = _DURATION.match(text)
    seconds = float(found.group(1)) * _UNIT_S[found.group(2).lower()] if found else 0.0
    if seconds < 60:
        raise ConfigError(
            "ST172",
            f"--every {text!r} is not an interval of a minute or more. Write e.g. 30m, 2h, 1d.",
        )
    return seconds
