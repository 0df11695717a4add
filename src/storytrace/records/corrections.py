"""A reporter's corrections and the pure function that lays them over a dossier.

The tool can be wrong about who said a quote, which names are one entity, which
story an article belongs to, what a claim's origin is called or whether a mention
affirms or denies a claim. A ``Correction`` records one fix (who, when, why, what
it was, what it is now); ``apply_corrections`` returns the dossier with every
effective fix applied and leaves everything else as the analysis made it. It
never re-runs a stage: a corrected speaker is that quote's speaker, not a new
speaker resolution.

Corrections are never deleted. Undoing one adds a row of kind ``undo`` whose
target is the undone row's id; ``effective`` drops both.

DOCS: docs/corrections.md
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from storytrace.records.corpus import Entity, Story
from storytrace.records.dossier import Dossier
from storytrace.records.lineage import Claim, ClaimMention
from storytrace.records.overlay import KINDS, STANCES, Correction, CorrectionKind, Draft

__all__ = [
    "KINDS",
    "STANCES",
    "Correction",
    "CorrectionKind",
    "Draft",
    "apply_corrections",
    "effective",
    "mention_key",
    "own_story_id",
    "split_id",
]


def effective(corrections: Iterable[Correction]) -> tuple[Correction, ...]:
    """The corrections that apply: not undone, not undo rows, in the order made."""
    rows = sorted(corrections, key=lambda c: c.id)
    undone = {c.target for c in rows if c.kind == "undo"}
    return tuple(c for c in rows if c.kind != "undo" and not c.undone and str(c.id) not in undone)


def apply_corrections(dossier: Dossier, corrections: Iterable[Correction]) -> Dossier:
    """The dossier with every effective correction applied, in the order made.

    A correction whose target is not in the dossier (an article removed, an id
    changed by a newer stage version) changes nothing.

    Args:
        dossier (Dossier): an analysis result.
        corrections (Iterable[Correction]): every stored correction, undone ones included.

    Returns:
        Dossier: a new dossier listing the corrections applied (``Dossier.corrections``);
        ``dossier`` is not changed.
    """
    applied = effective(corrections)
    for c in applied:
        dossier = _APPLY[c.kind](dossier, c)
    return replace(dossier, corrections=applied)


def _quote_speaker(d: Dossier, c: Correction) -> Dossier:
    quotes = tuple(
        replace(q, speaker_resolved=c.after, anonymous=False, descriptor=None)
        if q.quote_id == c.target
        else q
        for q in d.quotes
    )

    def mention(m: ClaimMention) -> ClaimMention:
        return replace(m, speaker=c.after, anonymous=False) if m.quote_id == c.target else m

    claims = tuple(replace(cl, mentions=tuple(map(mention, cl.mentions))) for cl in d.claims)
    return replace(d, quotes=quotes, claims=claims)


def _entity_merge(d: Dossier, c: Correction) -> Dossier:
    by_id = {e.entity_id: e for e in d.entities}
    gone, kept = by_id.get(c.target), by_id.get(c.after)
    if gone is None or kept is None or gone is kept:
        return d
    merged = replace(
        kept,
        surface_forms=tuple(dict.fromkeys((*kept.surface_forms, *gone.surface_forms))),
        mentions=kept.mentions + tuple(replace(m, entity_id=kept.entity_id) for m in gone.mentions),
    )
    entities = tuple(merged if e is kept else e for e in d.entities if e is not gone)
    return replace(d, entities=entities)


def split_id(entity_id: str, form: str) -> str:
    """The id of the entity a split makes: stable for the same entity and form."""
    return f"{entity_id}~{form.casefold()}"


def _entity_split(d: Dossier, c: Correction) -> Dossier:
    out: list[Entity] = []
    for e in d.entities:
        moved = tuple(m for m in e.mentions if m.text.casefold() == c.after.casefold())
        if e.entity_id != c.target or not moved or len(moved) == len(e.mentions):
            out.append(e)
            continue
        new_id = split_id(e.entity_id, c.after)
        rest = tuple(m for m in e.mentions if m not in moved)
        forms = tuple(f for f in e.surface_forms if f.casefold() != c.after.casefold())
        out.append(replace(e, mentions=rest, surface_forms=forms or e.surface_forms))
        out.append(
            Entity(
                entity_id=new_id,
                canonical=c.after,
                label=e.label,
                surface_forms=(c.after,),
                mentions=tuple(replace(m, entity_id=new_id) for m in moved),
            )
        )
    return replace(d, entities=tuple(out))


def own_story_id(doc_id: str) -> str:
    """The id of the story a document moved out on its own gets."""
    return f"story-{doc_id}"


def _story_move(d: Dossier, c: Correction) -> Dossier:
    if not any(c.target == doc.doc_id for doc in d.documents):
        return d
    dest = c.after or own_story_id(c.target)
    stories: list[Story] = []
    for s in d.stories:
        ids = tuple(x for x in s.doc_ids if x != c.target)
        if s.story_id == dest:
            ids = (*ids, c.target)
        if ids:
            stories.append(replace(s, doc_ids=ids))
    if not any(s.story_id == dest for s in stories):
        if c.after:  # no such story: the correction names nothing here
            return d
        stories.append(Story(story_id=dest, doc_ids=(c.target,), method="correction"))
    return replace(d, stories=tuple(stories))


def _claim_origin(d: Dossier, c: Correction) -> Dossier:
    claim_id, _, key = c.target.partition("/")

    def fix(cl: Claim) -> Claim:
        if cl.claim_id != claim_id:
            return cl
        origins = tuple(replace(o, label=c.after) if o.key == key else o for o in cl.origins)
        return replace(cl, origins=origins)

    return replace(d, claims=tuple(fix(cl) for cl in d.claims))


def mention_key(claim_id: str, m: ClaimMention) -> str:
    """How a ``mention_stance`` correction names a mention."""
    return f"{claim_id}/{m.span.doc_id}/{m.span.start}"


def _mention_stance(d: Dossier, c: Correction) -> Dossier:
    if c.after not in STANCES:
        return d

    def fix(cl: Claim) -> Claim:
        mentions = tuple(
            replace(m, polarity=c.after) if mention_key(cl.claim_id, m) == c.target else m  # type: ignore[arg-type]
            for m in cl.mentions
        )
        return replace(cl, mentions=mentions)

    return replace(d, claims=tuple(fix(cl) for cl in d.claims))


_APPLY = {
    "quote_speaker": _quote_speaker,
    "entity_merge": _entity_merge,
    "entity_split": _entity_split,
    "story_move": _story_move,
    "claim_origin": _claim_origin,
    "mention_stance": _mention_stance,
}
