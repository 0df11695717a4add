"""A watch run's changes as Markdown, JSON and an Atom feed of alerts (``alerts.xml``).

Article text is hostile input: Markdown goes through the report's escaping,
the Atom feed is built with ElementTree (every text node escaped) and only
http(s) links are written into it.

DOCS: docs/collect.md
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from typing import Any

from storytrace.collect.changes import KIND_TITLES, KINDS
from storytrace.report.render import md_escape

ATOM = "http://www.w3.org/2005/Atom"
#: Alerts an ``alerts.xml`` keeps (the newest).
MAX_FEED_ENTRIES = 200


def alert_id(run: str, alert: dict[str, Any]) -> str:
    """A stable Atom id for one alert of one run."""
    spans = ",".join(f"{s['doc_id']}:{s['start']}:{s['end']}" for s in alert.get("spans", []))
    key = "\x1f".join(
        (run, alert["kind"], alert["title"], alert["detail"], alert["url"] or "", spans)
    )
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"urn:storytrace:alert:{digest[:32]}"


def _safe_link(url: object) -> str | None:
    text = str(url or "")
    return text if text.lower().startswith(("http://", "https://")) else None


def render_markdown(result: dict[str, Any]) -> str:
    """The "what changed" report of one run (``changes.json``'s data) as Markdown."""
    collect = result["collect"]
    lines = [
        f"# What changed: {md_escape(result['name'])}",
        "",
        f"Run {md_escape(result['run'])}, compared with {md_escape(result['since'] or 'nothing (first run)')}.",
        "",
        f"Fetched {_n(collect['fetched'], 'URL')} ({_n(collect['requests'], 'request')}): "
        f"{_n(collect['new_pages'], 'new page')}, {collect['edited']} edited, "
        f"{collect['removed']} removed, {collect['unchanged']} unchanged, "
        f"{_n(collect['problems'], 'problem')}; {_n(result['documents'], 'document')} in the store.",
        "",
    ]
    if not result["analysed"]:
        lines += ["Nothing new was fetched: the analysis was not run again.", ""]
    alerts = result["alerts"]
    if not alerts:
        lines += ["No changes.", ""]
    for kind in KINDS:
        found = [a for a in alerts if a["kind"] == kind]
        if found:
            lines += [f"## {KIND_TITLES[kind]} ({len(found)})", ""]
            lines += [line for alert in found for line in _alert_lines(alert)]
    problems = collect["problem_list"]
    if problems:
        lines += ["## Fetch problems", ""]
        lines += [
            f"- `{p['code']}` {md_escape(p['url'])}: {md_escape(p['detail'])}" for p in problems
        ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _alert_lines(alert: dict[str, Any]) -> list[str]:
    head = f"- **{md_escape(alert['title'])}**"
    if alert.get("url"):
        head += f" — {md_escape(alert['url'])}"
    lines = [head]
    if alert["kind"] == "article_edited" and alert["detail"]:
        # A fence longer than any backtick run in the article, so the text cannot close it.
        fence = "`" * max(
            3, 1 + max((len(r) for r in re.findall("`+", alert["detail"])), default=0)
        )
        lines += [
            "",
            f"  {fence}diff",
            *(f"  {line}" for line in alert["detail"].split("\n")),
            f"  {fence}",
        ]
    elif alert["detail"]:
        lines += [f"  {md_escape(line)}" for line in alert["detail"].split("\n")]
    lines.append("")
    return lines


def atom_feed(name: str, feed_id: str, updated: str, entries: list[dict[str, Any]]) -> str:
    """The alert feed: one Atom entry per alert, newest first.

    Args:
        name: the situation's name.
        feed_id: the feed's stable id.
        updated: when the feed last changed (RFC 3339).
        entries: alerts, each with ``run``, ``updated``, ``kind``, ``title``, ``detail``, ``url``.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"storytrace watch: {name}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "storytrace"
    for alert in entries[:MAX_FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = alert_id(alert["run"], alert)
        title = f"{KIND_TITLES.get(alert['kind'], alert['kind'])}: {alert['title']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _clean(title)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = alert["updated"]
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert["kind"])
        link = _safe_link(alert.get("url"))
        if link:
            ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = _clean(alert["detail"])
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _clean(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
