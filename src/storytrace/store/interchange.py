"""The analysis in formats other tools load: FollowTheMoney entities and schema.org claims.

* ``entities.ftm.jsonl`` -- one FollowTheMoney entity per line (what Aleph and the
  OpenSanctions tools load): each article as an ``Article``; each person as a
  ``Person``; each organisation, outlet or military unit as an ``Organization``;
  each named quote source that is no such entity as a ``LegalEntity`` (the tool
  does not know whether it is a person or an organisation); and one
  ``Documentation`` per entity and article, linking them with the role
  ``mentioned`` or ``quoted``. Places, weapons and products are not legal
  entities and are left out; anonymous sources have no name and are left out.
* ``claims.jsonld`` -- schema.org ``Claim`` objects (JSON-LD) with their
  ``appearance`` in each article (URL, outlet, date when printed or inferred to
  the day). No ``ClaimReview`` and no rating: the tool traces who carried a
  claim, it does not rate it.

DOCS: docs/store.md
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storytrace.records import Document, Dossier

#: storytrace entity labels exported as FtM schemata; other labels are not legal entities.
FTM_SCHEMA: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "OUTLET": "Organization",
    "MILITARY_UNIT": "Organization",
}

#: A self-contained JSON-LD context: schema.org terms, no network needed to expand it.
JSONLD_CONTEXT: dict[str, Any] = {"@vocab": "https://schema.org/"}


def _ftm_id(*parts: str) -> str:
    return "st-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def _entity(schema: str, ident: str, **properties: list[str]) -> dict[str, Any]:
    props = {k: [v for v in vs if v] for k, vs in properties.items()}
    return {"id": ident, "schema": schema, "properties": {k: v for k, v in props.items() if v}}


def _day(doc: Document) -> str | None:
    """The article's date when known to the day (printed or inferred), else ``None``."""
    published = doc.metadata.published
    if published.earliest is None or published.earliest != published.latest:
        return None
    return published.earliest.isoformat()[:10]


def _article(doc: Document) -> dict[str, Any]:
    meta = doc.metadata
    return _entity(
        "Article",
        _ftm_id("article", doc.doc_id),
        title=[meta.title.value or ""],
        publisher=[meta.outlet.value or ""],
        author=[meta.author.value or ""],
        sourceUrl=[meta.url.value or ""],
        publishedAt=[_day(doc) or ""],
        contentHash=[doc.doc_id],
        fileName=[doc.source.path],
    )


_Links = dict[tuple[str, str], set[str]]


def ftm_entities(dossier: Dossier) -> Iterator[dict[str, Any]]:
    """FollowTheMoney entities (as ``EntityProxy.to_dict()`` data) for the dossier's sources.

    Args:
        dossier (Dossier): an analysed dossier.

    Yields:
        dict[str, Any]: ``{"id", "schema", "properties"}`` of each entity.
    """
    links: _Links = {}
    by_name: dict[str, str] = {}
    yield from _legal_entities(dossier, links, by_name)
    yield from _quote_sources(dossier, links, by_name)
    docs = {d.doc_id: d for d in dossier.documents}
    articles: set[str] = set()
    for (ident, doc_id), roles in sorted(links.items()):
        if doc_id not in docs:
            continue
        if doc_id not in articles:
            articles.add(doc_id)
            yield _article(docs[doc_id])
        yield _entity(
            "Documentation",
            _ftm_id("documentation", ident, doc_id),
            document=[_ftm_id("article", doc_id)],
            entity=[ident],
            role=sorted(roles),
        )


def _legal_entities(
    dossier: Dossier, links: _Links, by_name: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """People and organisations found by the entity stage, with the articles mentioning them."""
    for entity in dossier.entities:
        schema = FTM_SCHEMA.get(entity.label)
        if schema is None:
            continue
        ident = _ftm_id("entity", entity.entity_id)
        aliases = [f for f in entity.surface_forms if f != entity.canonical]
        yield _entity(schema, ident, name=[entity.canonical], alias=aliases)
        for form in (entity.canonical, *entity.surface_forms):
            by_name.setdefault(form.lower(), ident)
        for mention in entity.mentions:
            links.setdefault((ident, mention.doc_id), set()).add("mentioned")


def _quote_sources(
    dossier: Dossier, links: _Links, by_name: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """Named quote sources: linked to their entity when one has that name, else a ``LegalEntity``."""
    for quote in dossier.quotes:
        name = (quote.speaker_resolved or quote.speaker_text or "").strip()
        if quote.anonymous or not name:
            continue
        ident = by_name.get(name.lower())
        if ident is None:
            ident = _ftm_id("source", name.lower())
            by_name[name.lower()] = ident
            yield _entity("LegalEntity", ident, name=[name])
        links.setdefault((ident, quote.doc_id), set()).add("quoted")


def _appearance(doc: Document) -> dict[str, Any]:
    meta = doc.metadata
    work: dict[str, Any] = {"@type": "NewsArticle", "identifier": doc.doc_id}
    if meta.url.value:
        work["url"] = meta.url.value
    if meta.title.value:
        work["headline"] = meta.title.value
    if meta.outlet.value:
        work["publisher"] = {"@type": "Organization", "name": meta.outlet.value}
    day = _day(doc)
    if day is not None:
        work["datePublished"] = day
    return work


def claims_jsonld(dossier: Dossier) -> dict[str, Any]:
    """The dossier's claims as a JSON-LD document of schema.org ``Claim`` objects.

    Each claim has its text, its story, and an ``appearance`` per article that
    carries it. There is no rating: the tool did not make one.
    """
    docs = {d.doc_id: d for d in dossier.documents}
    graph = []
    for claim in dossier.claims:
        graph.append(
            {
                "@type": "Claim",
                "@id": f"urn:storytrace:{claim.story_id}:{claim.claim_id}",
                "identifier": claim.claim_id,
                "text": claim.text,
                "isPartOf": {"@id": f"urn:storytrace:{claim.story_id}"},
                "appearance": [_appearance(docs[d]) for d in claim.doc_ids if d in docs],
            }
        )
    return {"@context": JSONLD_CONTEXT, "@graph": graph}


def write_interchange(dossier: Dossier, folder: Path) -> list[Path]:
    """Write ``entities.ftm.jsonl`` and ``claims.jsonld`` into ``folder`` (each atomically).

    Returns:
        list[Path]: the two files.
    """
    ftm = folder / "entities.ftm.jsonl"
    lines = (
        json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in ftm_entities(dossier)
    )
    _write(ftm, "".join(lines))
    claims = folder / "claims.jsonld"
    _write(claims, json.dumps(claims_jsonld(dossier), ensure_ascii=False, indent=1) + "\n")
    return [ftm, claims]


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
