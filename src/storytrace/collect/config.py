"""Options of a collect run and the problems one fetch can meet.

DOCS: docs/collect.md
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storytrace import __version__

#: Where a site operator reads who is fetching and why.
#: No project address is published yet, so none is invented: the agent says what it is
#: and that it fetches only what its user listed. Add a contact with ``user_agent``.
USER_AGENT = f"storytrace/{__version__} (news-coverage analysis; fetches only the URLs its user lists)"


class FetchProblem(StrEnum):
    """Codes of per-URL fetch problems (data, like ``ST2xx`` diagnostics). Stable."""

    BAD_URL = "ST230"
    ROBOTS = "ST231"
    TIMEOUT = "ST232"
    CONNECTION = "ST233"
    TOO_LARGE = "ST234"
    REDIRECTS = "ST235"
    GONE = "ST236"
    CLIENT_ERROR = "ST237"
    SERVER_ERROR = "ST238"
    NOT_A_PAGE = "ST239"


@dataclass(frozen=True, slots=True)
class CollectConfig:
    """How politely and how far a collect run fetches.

    Attributes:
        user_agent (str): sent with every request and matched against robots.txt.
        rate_limit_s (float): least time between two requests to one host, in
            seconds (robots.txt's ``Crawl-delay`` raises it, up to ``max_crawl_delay_s``).
            ``0`` turns the limit off (benchmarks against a local server).
        max_crawl_delay_s (float): the most a robots.txt ``Crawl-delay`` is honoured.
        connect_timeout_s (float): time to open a connection.
        read_timeout_s (float): time to wait for each chunk of a response.
        retries (int): further attempts after a timeout, a connection failure,
            a 429 or a 5xx answer.
        backoff_s (float): wait before the first retry; doubled for each next one
            (a ``Retry-After`` header is honoured up to ``max_retry_after_s``).
        max_retry_after_s (float): the most a ``Retry-After`` header is waited.
        max_bytes (int): a response body larger than this is abandoned while streaming.
        max_redirects (int): redirects followed from one URL; a loop stops earlier.
        max_pages (int): pages fetched in one run at most (feeds and sitemaps can list many).
        sitemap_depth (int): nested sitemap indexes followed at most.
        respect_robots (bool): obey robots.txt (on unless you own the site).
        use_env_proxy (bool): honour ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY``
            and ``SSL_CERT_FILE`` from the environment.
    """

    user_agent: str = USER_AGENT
    rate_limit_s: float = 1.0
    max_crawl_delay_s: float = 30.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    retries: int = 2
    backoff_s: float = 1.0
    max_retry_after_s: float = 60.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    max_pages: int = 1000
    sitemap_depth: int = 2
    respect_robots: bool = True
    use_env_proxy: bool = True
