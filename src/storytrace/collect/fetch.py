"""Polite HTTP: robots.txt, a per-host rate limit, conditional GET, retries, timeouts, a size cap.

Built on ``httpx`` (already a dependency; the stdlib's ``urllib`` has no
separate connect and read timeouts and no streaming API without writing one).
Redirects are followed by hand, not by the client, so that each hop is checked
against robots.txt and the rate limit, recorded, and a loop is seen the moment
a URL comes round again.

A response body is read in chunks and abandoned as soon as it passes
``max_bytes``; bodies are stored decoded (gzip/deflate/brotli removed), and the
size cap applies to the decoded bytes, so a compression bomb stops at the cap.

DOCS: docs/collect.md
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from storytrace.collect.config import CollectConfig, FetchProblem
from storytrace.collect.robots import RobotsCache, origin

#: Statuses worth another attempt after a pause.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Response headers not archived: the stored body is already decoded and whole.
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True, slots=True)
class Validators:
    """What a URL's last answer said about its version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` for the validators known."""
        found = {}
        if self.etag:
            found["If-None-Match"] = self.etag
        if self.last_modified:
            found["If-Modified-Since"] = self.last_modified
        return found


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of fetching one URL (after redirects and retries).

    Attributes:
        url (str): the URL asked for.
        final_url (str): where the answer came from (after redirects).
        status (int | None): the final HTTP status; ``None`` when no answer came.
        headers (tuple[tuple[str, str], ...]): the final response headers as archived.
        body (bytes): the decoded body of a 2xx answer (empty otherwise).
        redirects (tuple[tuple[int, str], ...]): each hop: its status and the URL it came from.
        problem (FetchProblem | None): why no usable page came, if none did.
        detail (str): a one-line explanation of ``problem``.
        attempts (int): requests made for the final hop (1 without retries).
        fetched_at (float): when the final answer arrived (UNIX time).
        reason (str): the HTTP reason phrase of the final answer.
    """

    url: str
    final_url: str
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    redirects: tuple[tuple[int, str], ...] = ()
    problem: FetchProblem | None = None
    detail: str = ""
    attempts: int = 1
    fetched_at: float = field(default_factory=time.time)
    reason: str = ""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive)."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def not_modified(self) -> bool:
        """The server answered 304: the version we hold is current."""
        return self.status == 304


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int | None
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    problem: FetchProblem | None = None
    detail: str = ""
    attempts: int = 1


class RateLimiter:
    """Keeps at least an interval between two requests to one origin.

    Args:
        interval_s (float): the default least interval; ``0`` turns the limit off.
        sleep (Callable[[float], None]): how to wait (``time.sleep``).
    """

    def __init__(self, interval_s: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval_s = interval_s
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._interval: dict[str, float] = {}

    def slow_down(self, key: str, interval_s: float) -> None:
        """Raise one origin's interval (robots.txt ``Crawl-delay``)."""
        self._interval[key] = max(self._interval.get(key, self.interval_s), interval_s)

    def wait(self, key: str) -> None:
        """Sleep until ``key``'s origin may be asked again, and note the request."""
        interval = self._interval.get(key, self.interval_s)
        last = self._last.get(key)
        if interval > 0 and last is not None:
            remaining = last + interval - time.monotonic()
            if remaining > 0:
                self._sleep(remaining)
        self._last[key] = time.monotonic()


class Fetcher:
    """Fetches URLs politely. Use as a context manager (it holds a connection pool).

    Args:
        config (CollectConfig): timeouts, limits, the user agent.
        sleep (Callable[[float], None]): how to wait between requests and retries.
    """

    def __init__(
        self, config: CollectConfig | None = None, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.config = config or CollectConfig()
        self._sleep = sleep
        self.rate = RateLimiter(self.config.rate_limit_s, sleep)
        self.robots = RobotsCache(self._get_robots)
        timeout = httpx.Timeout(self.config.read_timeout_s, connect=self.config.connect_timeout_s)
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": self.config.user_agent},
            trust_env=self.config.use_env_proxy,
        )
        #: Requests sent, robots.txt included (for the summary and the benchmarks).
        self.requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, validators: Validators | None = None) -> Fetched:
        """Fetch ``url``: robots.txt checked, redirects followed and recorded, retries made.

        Args:
            url (str): an absolute http(s) URL.
            validators (Validators | None): the last known version, sent as a
                conditional request (a 304 answer then carries no body).

        Returns:
            Fetched: the answer, or the problem that stopped it.
        """
        extra = validators.headers() if validators else {}
        hops: list[tuple[int, str]] = []
        seen = {url}
        current = url
        while True:
            blocked = self._check(current)
            if blocked is not None:
                return Fetched(
                    url, current, None, redirects=tuple(hops), problem=blocked[0], detail=blocked[1]
                )
            answer = self._get(current, extra)
            location = _header(answer.headers, "location")
            if answer.status in _REDIRECTS and location:
                target = urljoin(current, location)
                hops.append((answer.status, current))
                problem = self._redirect_problem(target, seen, len(hops))
                if problem is not None:
                    return Fetched(url, target, answer.status, answer.headers, redirects=tuple(hops), problem=FetchProblem.REDIRECTS, detail=problem, reason=answer.reason)  # fmt: skip
                seen.add(target)
                current = target
                continue
            problem, detail = answer.problem, answer.detail
            if problem is None and answer.status is not None:
                problem, detail = _status_problem(answer.status)
            return Fetched(
                url, current, answer.status, answer.headers, answer.body, tuple(hops),
                problem, detail, answer.attempts, reason=answer.reason,
            )  # fmt: skip

    def _redirect_problem(self, target: str, seen: set[str], hops: int) -> str | None:
        if target in seen:
            return f"redirect loop: {target} comes round again after {hops} hops"
        if hops > self.config.max_redirects:
            return f"more than {self.config.max_redirects} redirects"
        return None

    def _check(self, url: str) -> tuple[FetchProblem, str] | None:
        """Why ``url`` may not be fetched (bad URL, robots.txt), or ``None``; waits its turn."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return FetchProblem.BAD_URL, f"not an http(s) URL: {url[:200]}"
        key = origin(url)
        if self.config.respect_robots:
            answer = self.robots.answer(url)
            if not answer.allows(url, self.config.user_agent):
                why = "disallowed by" if answer.rules else "could not read"
                return FetchProblem.ROBOTS, f"{why} {key}/robots.txt"
            delay = answer.crawl_delay(self.config.user_agent)
            if delay is not None and self.config.rate_limit_s > 0:
                self.rate.slow_down(key, min(delay, self.config.max_crawl_delay_s))
        self.rate.wait(key)
        return None

    def _get_robots(self, url: str) -> tuple[int, bytes] | None:
        """robots.txt of an origin: redirects followed (a few), no retries, no robots check."""
        current = url
        for _ in range(self.config.max_redirects + 1):
            self.rate.wait(origin(current))
            answer = self._get_once(current, {})
            location = _header(answer.headers, "location")
            if answer.status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            if answer.status is None:
                return None
            return answer.status, answer.body
        return None

    def _get(self, url: str, extra: dict[str, str]) -> _Answer:
        """One hop with retries after timeouts, connection failures, 429 and 5xx."""
        attempt = 0
        while True:
            answer = self._get_once(url, extra)
            retry = answer.problem in (FetchProblem.TIMEOUT, FetchProblem.CONNECTION) or (
                answer.status in RETRY_STATUSES
            )
            if not retry or attempt >= self.config.retries:
                return _with_attempts(answer, attempt + 1)
            self._sleep(self._pause(answer, attempt))
            attempt += 1

    def _pause(self, answer: _Answer, attempt: int) -> float:
        wait: float = self.config.backoff_s * 2.0**attempt
        after = _retry_after(_header(answer.headers, "retry-after"))
        if after is not None:
            wait = max(wait, min(after, self.config.max_retry_after_s))
        return wait

    def _get_once(self, url: str, extra: dict[str, str]) -> _Answer:
        self.requests += 1
        try:
            with self.client.stream("GET", url, headers=extra) as response:
                return self._read(response)
        except httpx.TimeoutException as exc:
            return _Answer(None, problem=FetchProblem.TIMEOUT, detail=f"{type(exc).__name__} after {self.config.read_timeout_s:g} s")  # fmt: skip
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            return _Answer(None, problem=FetchProblem.BAD_URL, detail=str(exc)[:200])
        except httpx.HTTPError as exc:
            return _Answer(None, problem=FetchProblem.CONNECTION, detail=f"{type(exc).__name__}: {str(exc)[:200]}")  # fmt: skip

    def _read(self, response: httpx.Response) -> _Answer:
        headers = tuple(
            (k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS
        )
        status, reason = response.status_code, response.reason_phrase
        limit = self.config.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return _too_large(status, reason, headers, f"Content-Length {int(declared):,} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                return _too_large(status, reason, headers, f"over {limit:,} bytes while streaming")
            chunks.append(chunk)
        return _Answer(status, reason, headers, b"".join(chunks))


def _too_large(status: int, reason: str, headers: tuple[tuple[str, str], ...], why: str) -> _Answer:
    return _Answer(
        status, reason, headers, problem=FetchProblem.TOO_LARGE, detail=f"abandoned: {why}"
    )


def _with_attempts(answer: _Answer, attempts: int) -> _Answer:
    return _Answer(answer.status, answer.reason, answer.headers, answer.body, answer.problem, answer.detail, attempts)  # fmt: skip


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, float(parsedate_to_datetime(value).timestamp()) - time.time())
    except (TypeError, ValueError):
        return None


def _status_problem(status: int) -> tuple[FetchProblem | None, str]:
    if status < 300 or status == 304:
        return None, ""
    if status in (404, 410):
        return FetchProblem.GONE, f"HTTP {status}: the page is gone"
    if status in RETRY_STATUSES or status >= 500:
        return FetchProblem.SERVER_ERROR, f"HTTP {status} after retries"
    if status in _REDIRECTS:
        return FetchProblem.REDIRECTS, f"HTTP {status} without a Location header"
    return FetchProblem.CLIENT_ERROR, f"HTTP {status}"
