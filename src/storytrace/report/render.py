"""Render a dossier as Markdown and as one self-contained HTML file.

Both renderers read the JSON-able data of ``serialize.dossier_json`` -- the
documented schema is the only contract between analysis and presentation, so
the static report and the web UI can share templates.

Article text is hostile input: the HTML template autoescapes everything, and the
page carries a Content-Security-Policy that allows only its own inline script
(pinned by hash) and inline styles, so an escaping bug cannot run injected
script. Markdown output escapes HTML and Markdown control characters, since Git
hosts render raw HTML found in Markdown.

DOCS: docs/report.md
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from storytrace.report.plain import STANCES, entity_kind
from storytrace.report.search import search_json
from storytrace.report.serialize import SECTIONS
from storytrace.report.view import ViewConfig, build_view

SECTION_TITLES: dict[str, str] = {
    "verdicts": "Story index",
    "documents": "Articles",
    "stories": "Stories",
    "entities": "Names and how they are written",
    "quotes": "Quotes and who passed them on",
    "claims": "Claims and sources",
    "provenance": "Who got it from whom",
    "drift": "Quotes worded differently",
    "disagreements": "Disagreements",
    "timeline": "Timeline",
}

#: The parts of each story's own section, in reading order.
STORY_PARTS: tuple[str, ...] = ("claims", "disagreements", "drift", "timeline")
#: The sections over all stories, after the stories.
OTHER_SECTIONS: tuple[str, ...] = ("provenance", "quotes", "entities")

DRIFT_KINDS: dict[str, str] = {
    "meaning_changed": "meaning changed",
    "reworded": "reworded",
    "minor_edit": "small edit",
    "verbatim": "word for word",
}
DISAGREEMENT_KINDS: dict[str, str] = {
    "polarity": "said and denied",
    "number": "figures",
    "date": "dates",
}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md_escape(value: object) -> str:
    """Escape text for Markdown: HTML and Markdown control characters, newlines kept."""
    text = "" if value is None else str(value)
    # Entities, not backslashes, for "<" and ">": every Markdown renderer decodes
    # them to text, none turns them into a tag.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_cell(value: object) -> str:
    """Escape text for one Markdown table cell (no newlines)."""
    return re.sub(r"\s+", " ", md_escape(value)).strip() or "—"


@functools.cache
def _environment(autoescape: bool) -> jinja2.Environment:
    # Cached: compiling the dossier template takes about a second; the web UI renders often.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storytrace.report", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["md"] = md_escape
    env.filters["cell"] = md_cell
    env.globals["SECTIONS"] = SECTIONS
    env.globals["SECTION_TITLES"] = SECTION_TITLES
    env.globals.update(STORY_PARTS=STORY_PARTS, OTHER_SECTIONS=OTHER_SECTIONS, STANCES=STANCES,
                       DRIFT_KINDS=DRIFT_KINDS, DISAGREEMENT_KINDS=DISAGREEMENT_KINDS,
                       entity_kind=entity_kind)  # fmt: skip
    return env


def warm_up() -> None:
    """Compile the dossier's templates now (~0.2 s), e.g. while worker processes are busy,
    so that rendering later starts at once."""
    _environment(autoescape=True).get_template("dossier.html.j2")
    _environment(autoescape=False).get_template("dossier.md.j2")


def _body_blocks(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The page in reading order: each segment with its text, body or removed."""
    page = doc["page_text"]
    return [{**seg, "content": page[seg["start"] : seg["end"]]} for seg in doc["segments"]]


def render_markdown(data: dict[str, Any], config: ViewConfig | None = None) -> str:
    """The dossier as Markdown that reads well in a terminal and a Git host's viewer.

    Args:
        data (dict): the dossier as ``serialize.dossier_json`` makes it.
        config (ViewConfig | None): how much of each section to show; defaults when ``None``.

    Returns:
        str: the Markdown text.
    """
    template = _environment(autoescape=False).get_template("dossier.md.j2")
    docmap = {doc["doc_id"]: doc for doc in data["documents"]}
    return template.render(d=data, v=build_view(data, config), blocks=_body_blocks, docmap=docmap)


def dossier_script() -> str:
    """The dossier page's one inline script (its hash goes into the CSP)."""
    return resources.files("storytrace.report").joinpath("templates/dossier.js").read_text("utf-8")


def _style() -> str:
    return resources.files("storytrace.report").joinpath("templates/dossier.css").read_text("utf-8")


def csp_for(script: str) -> str:
    """A Content-Security-Policy allowing only this exact inline script."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def render_html(data: dict[str, Any], config: ViewConfig | None = None) -> str:
    """The dossier as one self-contained HTML file (no network at view time).

    Args:
        data (dict): the dossier as ``serialize.dossier_json`` makes it.
        config (ViewConfig | None): how much of each section to show; defaults when ``None``.

    Returns:
        str: the page; its only script is pinned by hash in its Content-Security-Policy.
    """
    script = dossier_script()
    template = _environment(autoescape=True).get_template("dossier.html.j2")
    view = build_view(data, config)
    return template.render(
        d=data, v=view, docmap={doc["doc_id"]: doc for doc in data["documents"]},
        blocks=_body_blocks, script=Markup(script), style=Markup(_style()), csp=csp_for(script),
        search_json=search_json(view["search"]),
    )  # fmt: skip


def render_web_index(
    hits: list[dict[str, Any]], outlets: list[tuple[str, int]], form: dict[str, str]
) -> str:
    """The web UI's search page: a form, and the hits as a list."""
    template = _environment(autoescape=True).get_template("web_index.html.j2")
    return template.render(hits=hits, outlets=outlets, form=form, style=Markup(_style()))


def render_web_error(status: int, message: str) -> str:
    """The web UI's error page."""
    template = _environment(autoescape=True).get_template("web_error.html.j2")
    return template.render(status=status, message=message, style=Markup(_style()))
