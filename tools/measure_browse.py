"""How long the browsing database takes to build and Datasette to answer, at two sizes.

``PYTHONPATH=src python tools/measure_browse.py [SEEDS_DIR]`` analyses the seeds once,
then builds ``web.browse``'s SQLite file for that dossier and for the same dossier
with its quotes and claims replicated 200 times, and times three table pages
(median of 5) through Datasette's own ASGI client. Figures: docs/benchmarks.md
(*Web browsing*).

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from storytrace import api
from storytrace.records import Dossier
from storytrace.web import browse, browse_db

PAGES = (
    "/storytrace/quotes?_facet=outlet&_facet=speaker_resolved&_facet=anonymous",
    "/storytrace/claim_mentions?_search=missiles",
    "/storytrace/quotes.csv?_size=max",
)


def scaled(dossier: Dossier, times: int) -> Dossier:
    """The dossier with its quotes and claims repeated ``times`` times under new ids."""
    quotes = tuple(
        replace(q, quote_id=f"{q.quote_id}-{i}") for i in range(times) for q in dossier.quotes
    )
    claims = tuple(
        replace(c, claim_id=f"{c.claim_id}-{i}") for i in range(times) for c in dossier.claims
    )
    return replace(dossier, quotes=quotes, claims=claims)


async def _median_ms(app: browse.Browser, url: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = await app.datasette.client.get(url)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return statistics.median(times) * 1000


def main(seeds: Path) -> None:
    base = api.analyze([seeds])
    for times in (1, 200):
        dossier = scaled(base, times)
        path = Path(tempfile.mkdtemp()) / f"{browse.DATABASE}.db"
        start = time.perf_counter()
        browse_db.build_sqlite(dossier, path)
        built = time.perf_counter() - start
        app = browse.Browser(path)
        mentions = sum(len(c.mentions) for c in dossier.claims)
        print(
            f"x{times}: quotes={len(dossier.quotes)} claims={len(dossier.claims)} "
            f"mentions={mentions} build={built:.2f} s size={path.stat().st_size / 1e6:.1f} MB"
        )
        for url in PAGES:
            print(f"  {asyncio.run(_median_ms(app, url)):7.1f} ms  {url}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/seeds"))
