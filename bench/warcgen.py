"""Write WARC files from HTML pages (for tests and the throughput benchmark).

Each page becomes a ``response`` record with HTTP headers, as a crawler writes it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(
    path: Path, pages: Iterable[tuple[str, str]], gzip: bool = True, charset: str = "utf-8"
) -> int:
    """Write ``(url, html)`` pages as WARC response records.

    Args:
        path (Path): the file to write.
        pages (Iterable[tuple[str, str]]): URL and HTML of each page.
        gzip (bool): per-record gzip, as CC-NEWS files are.
        charset (str): the encoding declared in the HTTP header and used for the bytes.

    Returns:
        int: how many records were written.
    """
    count = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for url, html in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1"
            )
            payload = io.BytesIO(html.encode(charset))
            writer.write_record(
                writer.create_warc_record(url, "response", payload=payload, http_headers=headers)
            )
            count += 1
    return count
