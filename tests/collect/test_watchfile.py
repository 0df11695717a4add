"""The watch file and `--every`: what is accepted, and the one-line errors for what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.collect.watchfile import load_watchfile, parse_every
from storytrace.errors import ConfigError


def test_watchfile_defaults_and_relative_paths(tmp_path: Path) -> None:
    path = tmp_path / "situation.toml"
    path.write_text(
        'feeds = ["http://127.0.0.1:9/feed"]\nkeywords = ["Iraq"]\n[collect]\nrate_limit_s = 2\n'
    )
    spec = load_watchfile(path)
    assert spec.name == "situation" and spec.targets == ("http://127.0.0.1:9/feed",)
    assert spec.db == tmp_path / "situation.duckdb" and spec.out == tmp_path / "situation-watch"
    assert spec.archive == spec.out / "archive" and spec.config.rate_limit_s == 2.0


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("feeds = [", "not TOML"),
        ('feeds = ["x"]\nfeed = ["y"]\n', "unknown keys ['feed']"),
        ("keywords = ['a']\n", "no feeds, urls or sitemaps"),
        ("feeds = 'x'\n", "must be a list of strings"),
        ('urls = ["x"]\n[collect]\nretries = "3"\n', "retries must be a int"),
        ('urls = ["x"]\n[collect]\nrate = 1\n', "unknown [collect] keys ['rate']"),
    ],
)
def test_watchfile_invalid_is_a_clear_error(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_watchfile(path)
    assert caught.value.code == "ST171" and why in caught.value.message


def test_watchfile_missing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ST171"):
        load_watchfile(tmp_path / "nope.toml")


def test_watch_every_accepts_intervals_of_a_minute_or_more() -> None:
    assert parse_every("30m") == 1800 and parse_every("2h") == 7200 and parse_every("90") == 90
    for bad in ("10s", "soon", "", "-5m"):
        with pytest.raises(ConfigError, match="ST172"):
            parse_every(bad)
