"""robots.txt, read once per host and run, with protego (Google's matching rules).

A robots.txt that is missing (4xx) allows everything; one that cannot be read
(5xx, timeout, refused connection) disallows the whole host for this run, as
Google does, since the site may be in trouble. ``Crawl-delay`` raises the
per-host interval.

DOCS: docs/collect.md
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    """What a host's robots.txt said: the status it was served with and its rules."""

    status: int | None  # None: could not be fetched at all
    rules: Protego | None

    def allows(self, url: str, agent: str) -> bool:
        """True when ``agent`` may fetch ``url``."""
        if self.rules is not None:
            return bool(self.rules.can_fetch(url, agent))
        return self.status is not None and 400 <= self.status < 500

    def crawl_delay(self, agent: str) -> float | None:
        """The host's ``Crawl-delay`` for ``agent``, in seconds, if it names one."""
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(agent)
        return float(delay) if delay is not None else None


#: Fetches a robots.txt URL: its status and body, or ``None`` when unreachable.
RobotsGetter = Callable[[str], tuple[int, bytes] | None]


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the unit robots.txt and rate limits apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """robots.txt answers per origin for one run.

    Args:
        get (RobotsGetter): fetches ``origin/robots.txt`` (through the same polite client).
    """

    def __init__(self, get: RobotsGetter) -> None:
        self._get = get
        self._answers: dict[str, RobotsAnswer] = {}

    def answer(self, url: str) -> RobotsAnswer:
        """The robots.txt answer for ``url``'s origin, fetched on first use."""
        key = origin(url)
        if key not in self._answers:
            self._answers[key] = self._read(key)
        return self._answers[key]

    def _read(self, key: str) -> RobotsAnswer:
        got = self._get(f"{key}/robots.txt")
        if got is None:
            return RobotsAnswer(None, None)
        status, body = got
        if status != 200:
            return RobotsAnswer(status, None)
        return RobotsAnswer(status, Protego.parse(body.decode("utf-8", "replace")))
