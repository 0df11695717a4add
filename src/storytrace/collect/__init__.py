"""Collect and watch: fetch pages, feeds and sitemaps politely into the store, and report what changed.

A source of inputs, not a pipeline stage: ``fetch`` (HTTP with robots.txt, a
per-host rate limit, conditional requests, retries, timeouts and a size cap),
``archive`` (every page kept as a WARC response record), ``feeds`` and
``sitemaps`` (where page URLs come from), ``run`` (one collect run: fetch,
archive, ingest through the WARC reader, record each fetch in the store),
``watchfile`` (the TOML file of a situation), ``changes`` (what changed between
two analyses: a pure function of two snapshots) and ``alerts`` (Markdown, JSON
and an Atom feed of the changes). Nothing here runs unless a user runs
``storytrace collect`` or ``storytrace watch``: analysis never opens a socket.

DOCS: docs/collect.md
"""
