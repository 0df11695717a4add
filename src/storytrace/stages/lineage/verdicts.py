"""The one-line verdict per story: articles, independent origins of its main claim, disputes.

"4 articles, 1 independent origin: The Times, citing anonymous sources (a
regional intelligence source); disputed: whether the militias disarm".

The main claim is the claim carried by the most articles of the story (ties: more
mentions, then the earlier claim id). When it is carried by fewer articles than
the story has, the line says so ("main claim in 3 of 4 articles").

DOCS: docs/stages/claims.md
"""

from __future__ import annotations

from collections.abc import Sequence

from storytrace.records import Claim, Disagreement, Quote, Story, StoryVerdict
from storytrace.stages.lineage.claims import describe_origin

__all__ = ["story_verdicts"]


def _sources_of(quotes: Sequence[Quote]) -> str:
    named = {
        q.speaker_resolved or q.speaker_text for q in quotes if q.speaker_text and not q.anonymous
    }
    anonymous = {q.speaker_text for q in quotes if q.speaker_text and q.anonymous}
    return f"{len(named)} named and {len(anonymous)} anonymous sources quoted"


def _line(
    story: Story, claims: Sequence[Claim], disputed: Sequence[str], quotes: Sequence[Quote]
) -> str:
    main = claims[0] if claims else None
    n = len(story.doc_ids)
    head = f"{n} article{'s' if n != 1 else ''}"
    if n == 1:
        text = f"{head}: no other article carries its claims; " + _sources_of(quotes)
    elif main is None:
        text = f"{head}, no claim carried by two articles found"
    else:
        k = len(main.origins)
        origins = "; ".join(describe_origin(o) for o in main.origins)
        share = "" if len(main.doc_ids) == n else f" (main claim in {len(main.doc_ids)} of {n})"
        text = f"{head}{share}, {k} independent origin{'s' if k != 1 else ''}: {origins}"
    if disputed:
        text += "; disputed: " + "; ".join(disputed)
    return text


def story_verdicts(
    stories: Sequence[Story],
    claims: Sequence[Claim],
    disagreements: Sequence[Disagreement],
    quotes: Sequence[Quote] = (),
) -> tuple[StoryVerdict, ...]:
    """One verdict per story.

    Args:
        stories (Sequence[Story]): the stories.
        claims (Sequence[Claim]): aligned claims (per story, most carried first).
        disagreements (Sequence[Disagreement]): conflicts found.
        quotes (Sequence[Quote]): the attributed statements (a one-article story's
            verdict counts its sources).

    Returns:
        tuple[StoryVerdict, ...]: in story order.
    """
    out = []
    for story in stories:
        mine = [c for c in claims if c.story_id == story.story_id]
        main = min(mine, key=lambda c: (-len(c.doc_ids), -len(c.mentions)), default=None)
        disputed = tuple(
            dict.fromkeys(d.topic for d in disagreements if d.story_id == story.story_id)
        )
        origins = main.origins if main else ()
        ordered = sorted(mine, key=lambda c: c is not main)
        members = set(story.doc_ids)
        line = _line(story, ordered, disputed, [q for q in quotes if q.doc_id in members])
        out.append(
            StoryVerdict(
                story.story_id,
                len(story.doc_ids),
                origins,
                main.claim_id if main else None,
                disputed,
                line,
            )
        )
    return tuple(out)
