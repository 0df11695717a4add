"""The one-line verdict per story: articles, independent origins of its main claim, disputes.

"4 articles, 1 independent origin: The Times, citing anonymous sources (a
regional intelligence source); disputed: whether the militias disarm".

The main claim is the claim carried by the most articles of the story (ties: the
one fewer articles deny, then more asserting mentions, then the earlier claim id).
An article carries a claim when it asserts it; its denials ("the disarmament is a
ruse") never make a claim the story's main one: the main claim is what the story's
articles agree on, a disputed one is named as disputed. When it is carried by fewer articles than the story has, the line says
so ("main claim in 3 of 4 articles").

Time budget (``AnalyzeConfig.budgets.provenance``, ``stages/budget.py``): the loop asks
the clock before each story; once the budget is spent the remaining stories get no
verdict (their origin count is not computed, never given as zero), each one ``ST217``
warning from the pipeline.

DOCS: docs/stages/claims.md
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from storytrace.records import Claim, Disagreement, Quote, Story, StoryVerdict
from storytrace.stages.budget import spent
from storytrace.stages.lineage.claims import describe_origin

__all__ = ["story_verdicts"]


def _sources_of(quotes: Sequence[Quote]) -> str:
    named = {
        q.speaker_resolved or q.speaker_text for q in quotes if q.speaker_text and not q.anonymous
    }
    anonymous = {q.speaker_text for q in quotes if q.speaker_text and q.anonymous}
    return f"{len(named)} named and {len(anonymous)} anonymous sources quoted"


def carriers(claim: Claim) -> int:
    """How many articles assert ``claim`` (a mention of it not denied); an article that only
    denies it does not carry it."""
    return len({m.span.doc_id for m in claim.mentions if m.polarity != "negated"})


def _rank(claim: Claim) -> tuple[int, int, int]:
    """A story's main claim ranks first: most articles asserting it, then fewest denying it,
    then most asserting mentions."""
    denying = {m.span.doc_id for m in claim.mentions if m.polarity == "negated"}
    asserting = sum(1 for m in claim.mentions if m.polarity != "negated")
    return (-carriers(claim), len(denying), -asserting)


def _line(
    story: Story,
    claims: Sequence[Claim],
    disputed: Sequence[str],
    quotes: Sequence[Quote],
    uncounted: bool = False,
) -> str:
    main = claims[0] if claims else None
    n = len(story.doc_ids)
    head = f"{n} article{'s' if n != 1 else ''}"
    if uncounted:
        text = f"{head}: claims not computed (time budget spent), so no origin count"
    elif n == 1:
        text = f"{head}: no other article carries its claims; " + _sources_of(quotes)
    elif main is None:
        text = f"{head}, no claim carried by two articles found"
    else:
        k = len(main.origins)
        origins = "; ".join(describe_origin(o) for o in main.origins)
        carried = carriers(main)
        share = "" if carried == n else f" (main claim in {carried} of {n})"
        text = f"{head}{share}, {k} independent origin{'s' if k != 1 else ''}: {origins}"
    if disputed:
        text += "; disputed: " + "; ".join(disputed)
    return text


def story_verdicts(
    stories: Sequence[Story],
    claims: Sequence[Claim],
    disagreements: Sequence[Disagreement],
    quotes: Sequence[Quote] = (),
    uncounted: frozenset[str] = frozenset(),
) -> tuple[StoryVerdict, ...]:
    """One verdict per story.

    Args:
        stories (Sequence[Story]): the stories.
        claims (Sequence[Claim]): aligned claims (per story, most carried first).
        disagreements (Sequence[Disagreement]): conflicts found.
        quotes (Sequence[Quote]): the attributed statements (a one-article story's
            verdict counts its sources).
        uncounted (frozenset[str]): stories whose claims were not computed (the claim
            stage's budget was spent): their verdict says so, with no main claim and
            no origin (never "no claim found").

    Returns:
        tuple[StoryVerdict, ...]: in story order; a story skipped once the time budget
        was spent has none.
    """
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_story[claim.story_id].append(claim)
    topics: dict[str, dict[str, None]] = defaultdict(dict)
    for dis in disagreements:
        topics[dis.story_id].setdefault(dis.topic)
    by_doc: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        by_doc[quote.doc_id].append(quote)
    out = []
    for story in stories:
        if spent(story.story_id):
            continue
        mine = [] if story.story_id in uncounted else by_story.get(story.story_id, [])
        main = min(mine, key=_rank, default=None)
        disputed = tuple(topics.get(story.story_id, {}))
        origins = main.origins if main else ()
        ordered = sorted(mine, key=lambda c: c is not main)
        said = [q for d in dict.fromkeys(story.doc_ids) for q in by_doc.get(d, ())]
        line = _line(story, ordered, disputed, said, story.story_id in uncounted)
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
