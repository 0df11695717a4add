"""One collect run: fetch the targets and what they list, archive, ingest, log each fetch.

The run has three phases, so that the store's write lock is never held twice:

1. **Fetch** (store open for reading the fetch log): each target is fetched
   with the validators of its last version (a 304 costs no body); a feed's
   entries (keyword-filtered) and a sitemap's pages are queued, and the pages a
   feed or sitemap listed in earlier runs are checked again, so an article
   edited after publication is seen even when its feed has not changed. Every
   page answered 200 is archived as a WARC record and its document id computed
   by the ingest stage's WARC reader.
2. **Ingest**: the run's WARC file goes through the ordinary ingest path
   (``ingest`` is passed in: ``api.ingest`` with the run's config).
3. **Log**: one ``fetches`` row per URL, in one transaction.

DOCS: docs/collect.md
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urldefrag

from storytrace.collect.archive import WarcArchive, read_back
from storytrace.collect.config import CollectConfig, FetchProblem
from storytrace.collect.feeds import feed_items, keyword_filter, looks_like_feed, matches
from storytrace.collect.fetch import Fetched, Fetcher, Validators
from storytrace.collect.sitemaps import looks_like_sitemap, parse_sitemap
from storytrace.store import Store
from storytrace.store.fetches import (
    GONE_STATUSES,
    FetchRow,
    add_fetches,
    current_versions,
    last_statuses,
    pages_listed,
)

#: Ingests a list of WARC files into the store (``api.ingest`` bound to a store and a config).
Ingest = Callable[[list[Path]], int]
#: Told about each fetch as it is logged.
FetchCallback = Callable[[FetchRow], None]

_HTML = re.compile(r"^\s*(text/html|application/xhtml\+xml)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Edit:
    """A page whose content changed since its last fetch: two documents of one URL."""

    url: str
    old_doc_id: str
    new_doc_id: str


@dataclass(frozen=True, slots=True)
class CollectReport:
    """What one collect run did.

    Attributes:
        run (str): the run's id (its UTC start time).
        fetches (tuple[FetchRow, ...]): every URL fetched, as logged.
        new_pages (tuple[str, ...]): URLs whose first version arrived.
        edited (tuple[Edit, ...]): URLs whose content changed since the last fetch.
        removed (tuple[tuple[str, int], ...]): URLs that had a version and now answer 404/410.
        unchanged (int): pages answered 304 or with the same content.
        requests (int): HTTP requests sent (robots.txt, redirects and retries included).
        warc (Path | None): the run's WARC file (``None``: nothing new archived).
        added (int): documents the ingest added to the store.
        skipped (int): pages left out because of ``max_pages``.
    """

    run: str
    fetches: tuple[FetchRow, ...]
    new_pages: tuple[str, ...]
    edited: tuple[Edit, ...]
    removed: tuple[tuple[str, int], ...]
    unchanged: int
    requests: int
    warc: Path | None
    added: int
    skipped: int = 0

    @property
    def problems(self) -> tuple[FetchRow, ...]:
        """The fetches that met a problem (a removed page included)."""
        return tuple(r for r in self.fetches if r.problem)

    @property
    def changed(self) -> bool:
        """True when the run found a new page, an edit or a removal."""
        return bool(self.new_pages or self.edited or self.removed)


@dataclass(slots=True)
class _Queued:
    url: str
    kind: str  # auto, page, feed, sitemap
    via: str | None
    depth: int = 0


@dataclass(slots=True)
class _State:
    run: str
    rows: list[FetchRow] = field(default_factory=list)
    new_pages: list[str] = field(default_factory=list)
    edited: list[Edit] = field(default_factory=list)
    removed: list[tuple[str, int]] = field(default_factory=list)
    unchanged: int = 0
    pages: int = 0
    skipped: int = 0
    page_records: int = 0


def run_id() -> str:
    """A run id: the UTC time to the microsecond (sorts in time order)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="microseconds")


class _Run:
    """The fetch phase of one run (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        archive: WarcArchive,
        keywords: tuple[str, ...],
        on_fetch: FetchCallback | None,
    ) -> None:
        self.store, self.fetcher, self.archive = store, fetcher, archive
        self.config = fetcher.config
        self.pattern = keyword_filter(keywords)
        self.on_fetch = on_fetch
        self.state = _State(run_id())
        self.queue: deque[_Queued] = deque()
        self.seen: set[str] = set()
        # The fetch log as of the run's start, read once.
        self.current = current_versions(store)
        self.listed = pages_listed(store)
        self.last_status = last_statuses(store)

    def run(self, targets: Sequence[str], recheck: Sequence[str]) -> _State:
        for url in targets:
            self.queue.append(_Queued(url.strip(), "auto", None))
        for url in recheck:
            self.queue.append(_Queued(url, "page", None))
        while self.queue:
            item = self.queue.popleft()
            item.url = urldefrag(item.url).url  # "#comments" is the same page
            if item.url in self.seen:
                continue
            self.seen.add(item.url)
            if item.kind == "page" and self.state.pages >= self.config.max_pages:
                self.state.skipped += 1
                continue
            self._one(item)
        return self.state

    def _one(self, item: _Queued) -> None:
        prev = self.current.get(item.url)
        validators = Validators(prev.etag, prev.last_modified) if prev else None
        fetched = self.fetcher.fetch(item.url, validators)
        if item.kind in ("page", "auto"):
            self.state.pages += 1
        if fetched.problem is not None:
            self._problem(item, fetched, prev)
        elif fetched.not_modified:
            self._not_modified(item, fetched, prev)
        else:
            self._body(item, fetched, prev)

    def _log(self, item: _Queued, fetched: Fetched, kind: str, **values: object) -> None:
        fields: dict[str, object] = {
            "etag": fetched.header("etag"),
            "last_modified": fetched.header("last-modified"),
            **values,
        }
        row = FetchRow(
            run=self.state.run, url=item.url, final_url=fetched.final_url, kind=kind,
            via=item.via, fetched_at=_iso(fetched.fetched_at), status=fetched.status,
            redirects=fetched.redirects, **fields,  # type: ignore[arg-type]
        )  # fmt: skip
        self.state.rows.append(row)
        if self.on_fetch is not None:
            self.on_fetch(row)

    def _problem(self, item: _Queued, fetched: Fetched, prev: FetchRow | None) -> None:
        kind = prev.kind if prev else ("page" if item.kind == "auto" else item.kind)
        problem = fetched.problem.value if fetched.problem else None
        self._log(item, fetched, kind, problem=problem, detail=fetched.detail)
        was_gone = self.last_status.get(item.url) in GONE_STATUSES
        if fetched.status in GONE_STATUSES and prev is not None and prev.doc_id and not was_gone:
            self.state.removed.append((item.url, int(fetched.status or 0)))  # once, not every run

    def _not_modified(self, item: _Queued, fetched: Fetched, prev: FetchRow | None) -> None:
        kind = prev.kind if prev else ("page" if item.kind == "auto" else item.kind)
        held: dict[str, object] = {}
        if prev is not None:
            # The version held is still current: repeat its digest, document and
            # archive record, and keep the validators that earned the 304.
            held = {
                "sha256": prev.sha256, "doc_id": prev.doc_id, "warc_file": prev.warc_file,
                "warc_offset": prev.warc_offset,
                "etag": fetched.header("etag") or prev.etag,
                "last_modified": fetched.header("last-modified") or prev.last_modified,
            }  # fmt: skip
        self._log(item, fetched, kind, **held)
        if kind in ("feed", "sitemap"):
            self._recheck(item.url)
        else:
            self.state.unchanged += 1

    def _body(self, item: _Queued, fetched: Fetched, prev: FetchRow | None) -> None:
        body = fetched.body
        if item.kind in ("auto", "sitemap") and looks_like_sitemap(body):
            self._sitemap(item, fetched)
        elif item.kind in ("auto", "feed") and looks_like_feed(body):
            self._feed(item, fetched)
        elif _HTML.match(fetched.header("content-type") or "text/html"):
            self._page(item, fetched, prev)
        else:
            detail = f"content type {fetched.header('content-type')!r} is not an HTML page"
            self._log(item, fetched, "page", problem=FetchProblem.NOT_A_PAGE.value, detail=detail)

    def _archived(self, fetched: Fetched) -> dict[str, object]:
        where = self.archive.add(fetched)
        return {"sha256": where.sha256, "warc_file": where.warc_file, "warc_offset": where.offset}

    def _sitemap(self, item: _Queued, fetched: Fetched) -> None:
        self._log(item, fetched, "sitemap", **self._archived(fetched))
        found = parse_sitemap(fetched.body)
        if item.depth < self.config.sitemap_depth:
            for child in found.children:
                self.queue.append(_Queued(child, "sitemap", item.url, item.depth + 1))
        for page in found.pages:
            self.queue.append(_Queued(page, "page", item.url))
        self._recheck(item.url)

    def _feed(self, item: _Queued, fetched: Fetched) -> None:
        self._log(item, fetched, "feed", **self._archived(fetched))
        for entry in feed_items(fetched.body, fetched.final_url):
            if matches(entry, self.pattern):
                self.queue.append(_Queued(entry.link, "page", item.url))
        self._recheck(item.url)

    def _recheck(self, source: str) -> None:
        """Queue the pages this feed or sitemap listed in earlier runs (edits, removals)."""
        for url in self.listed.get(source, []):
            self.queue.append(_Queued(url, "page", source))

    def _page(self, item: _Queued, fetched: Fetched, prev: FetchRow | None) -> None:
        values = self._archived(fetched)
        self.state.page_records += 1
        raw = read_back(str(values["warc_file"]), int(str(values["warc_offset"])))
        doc_id = raw.content_hash if raw is not None else None
        detail = (
            None
            if raw is not None
            else "the page gave no readable text (see the ingest diagnostics)"
        )
        self._log(item, fetched, "page", doc_id=doc_id, detail=detail, **values)
        if doc_id is None:
            return
        if prev is None or prev.doc_id is None:
            self.state.new_pages.append(item.url)
        elif prev.doc_id != doc_id:
            self.state.edited.append(Edit(item.url, prev.doc_id, doc_id))
        else:
            self.state.unchanged += 1


@dataclass(frozen=True, slots=True)
class Sources:
    """What a run fetches.

    Attributes:
        targets (tuple[str, ...]): page, feed or sitemap URLs (each recognised by its content).
        keywords (tuple[str, ...]): feed entries naming none of these are skipped
            (none given: every entry is kept).
        recheck (tuple[str, ...]): page URLs to check again besides what the targets list.
    """

    targets: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    recheck: tuple[str, ...] = ()


def collect(  # noqa: PLR0913 -- ``ingest`` and ``on_fetch`` are services, not options
    sources: Sources,
    db: Path,
    archive_dir: Path,
    ingest: Ingest,
    config: CollectConfig | None = None,
    on_fetch: FetchCallback | None = None,
) -> CollectReport:
    """Fetch URLs, feeds and sitemaps into a store (see the module docstring).

    Args:
        sources: the targets, the feed keywords, pages to check again.
        db: the store (created when missing).
        archive_dir: folder of the run's WARC file.
        ingest: ingests the run's WARC file into ``db``; returns documents added.
        config: politeness and limits.
        on_fetch: called with each logged fetch.

    Returns:
        CollectReport: new, edited, removed and unchanged pages, and every fetch.
    """
    config = config or CollectConfig()
    with Store(db) as store, Fetcher(config) as fetcher, WarcArchive(archive_dir) as archive:
        run = _Run(store, fetcher, archive, sources.keywords, on_fetch)
        state = run.run(sources.targets, sources.recheck)
        requests = fetcher.requests
    warc = archive.path if archive.records else None
    added = ingest([archive.path]) if state.page_records else 0
    with Store(db) as store:
        add_fetches(store, state.rows)
    return CollectReport(
        state.run, tuple(state.rows), tuple(state.new_pages), tuple(state.edited),
        tuple(state.removed), state.unchanged, requests, warc, added, state.skipped,
    )  # fmt: skip
