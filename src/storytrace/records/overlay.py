"""A reporter's correction as a record: what the store keeps and a dossier lists.

The function that applies corrections lives in ``records.corrections``; this
module holds only the records, so ``records.dossier`` can list the corrections a
dossier was given without importing that function.

DOCS: docs/corrections.md
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

CorrectionKind = Literal[
    "quote_speaker",  # target quote_id; after: the speaker's name
    "entity_merge",  # target entity_id (absorbed); after: the entity_id that keeps it
    "entity_split",  # target entity_id; after: the surface form that becomes its own entity
    "story_move",  # target doc_id; after: a story_id, or "" for a story of its own
    "claim_origin",  # target "claim_id/origin_key"; after: the origin's right name
    "mention_stance",  # target "claim_id/doc_id/start"; after: "affirmed" or "negated"
    "undo",  # target: the id of the correction undone
]
KINDS: tuple[str, ...] = get_args(CorrectionKind)
STANCES = ("affirmed", "negated")


@dataclass(frozen=True, slots=True)
class Correction:
    """One fix a reporter made.

    Attributes:
        id (int): its number, increasing in the order made.
        who (str): who made it.
        when (str): when, ISO 8601 UTC.
        why (str): the reporter's reason.
        kind (CorrectionKind): what is fixed (see ``CorrectionKind``).
        target (str): what it applies to, as the kind says.
        before (str): the value the tool had (shown, never applied).
        after (str): the value the reporter gives.
        undone (bool): a later ``undo`` row names this one.
    """

    id: int
    who: str
    when: str
    why: str
    kind: CorrectionKind
    target: str
    before: str
    after: str
    undone: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """A correction as a reporter submits it, before it is numbered and dated.

    Attributes:
        kind (str): one of ``KINDS`` but ``undo``.
        target (str): what it applies to (see ``CorrectionKind``).
        before (str): the value the tool had, as shown to the reporter.
        after (str): the right value.
        who (str): who corrects.
        why (str): why.
    """

    kind: str
    target: str
    before: str
    after: str
    who: str
    why: str
