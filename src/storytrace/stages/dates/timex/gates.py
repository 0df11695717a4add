"""Which lines of a text a time-expression rule can match in, read off the rule's regex.

Every rule is run with ``finditer`` over the article, and Python's ``re`` tries
each rule at every character: 36 case-insensitive rules over 5.5 M characters
took ~10 s of ``storytrace analyze`` on the 581 benchmark pages. Most lines hold
no month name, number or unit word at all, so most of those attempts cannot
succeed. This module derives, from each compiled pattern itself, words that any
match *must* contain (a month rule cannot match without one of "jan" ... "dec";
"ago" needs "ago"), and the engine runs a rule only over the lines that contain
them. The selection is exact, not a heuristic:

* **Soundness of the words.** They come from the regex's parse tree: literal
  runs every match passes through, alternations as the union of what each branch
  needs, repeats only when they must occur at least once; look-arounds, ``\\b``
  and anything optional require nothing. Text and words are compared lower-cased
  (the rules are case-insensitive, and a case-sensitive part's match lower-cases
  to its lower-cased literal); the two letters ``re`` also folds onto ASCII ones
  ("ı", "ſ") are mapped first, and a text whose lower-casing changes its length
  is not gated at all. ``\\d`` is checked as ``\\d`` (any script's digits).
* **Matches stay inside a line.** A rule that can match a line break (``\\s``,
  a negated class) is gated by its words over the whole text instead; every other
  match lies within one line, so ``finditer`` over each line, with the full text
  before it visible to look-behinds and its line break to look-aheads, finds
  what one pass over the text finds.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# WHY: Python exposes its regex parser only as this private module (``sre_parse``
# is its deprecated alias); its tree has been stable across 3.11-3.13.
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: The token standing for "some decimal digit" in a clause.
DIGIT = "\\d"
#: Letters ``re.IGNORECASE`` matches to an ASCII letter that ``str.lower`` does not map.
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s"})
#: Clauses kept per rule (each one more cuts lines, at the cost of checking it).
MAX_CLAUSES = 2

Clause = frozenset[str]


@dataclass(frozen=True, slots=True)
class Gate:
    """What any match of one rule must contain.

    Attributes:
        clauses (tuple[Clause, ...]): every clause needs one of its words in the
            match (lower-cased; :data:`DIGIT` for a digit). Empty: no condition.
        one_line (bool): no match can contain a line break.
    """

    clauses: tuple[Clause, ...]
    one_line: bool


def _score(clause: Clause) -> tuple[int, int]:
    """Prefer clauses of long words, then of few words: they rule out more lines."""
    shortest = min(1 if w == DIGIT else len(w) for w in clause)
    return (shortest, -len(clause))


def _class_words(items: list[tuple[Any, Any]]) -> Clause | None:
    """The characters a small character class matches, or ``None`` when not small."""
    words: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            char = chr(av)
            if not (char.isascii() or char.lower() == char.upper()):
                return None
            words.add(char.lower())
        elif op is sre.RANGE:
            low, high = av
            if high - low > 20 or high > 127:
                return None
            words.update(chr(c).lower() for c in range(low, high + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            words.add(DIGIT)
        else:  # negation, \w, \s ...
            return None
    return frozenset(words) if words else None


Items = list[tuple[Any, Any]]


def _inner(op: Any, av: Any, required: bool) -> list[Items]:
    """The sub-sequences a node matches: all of them, or only those it must match.

    Groups always match theirs; a repeat must match its body only when its minimum
    is one or more; a branch's alternatives are each optional on their own.
    Look-arounds consume nothing of the match: required, they count as none.
    """
    if op is sre.SUBPATTERN:
        return [list(av[3].data)]
    if op is sre.ATOMIC_GROUP:
        return [list(av.data)]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        minimum, body = av[0], av[2]
        return [list(body.data)] if minimum >= 1 or not required else []
    if required:
        return []
    if op is sre.BRANCH:
        return [list(branch.data) for branch in av[1]]
    if op in (sre.ASSERT, sre.ASSERT_NOT) and av[0] == 1:
        # what a look-ahead reads past a line break decides a match as much as
        # what the match consumes; look-behinds see the text before ``pos`` anyway
        return [list(av[1].data)]
    return []


def _branch_clause(av: Any) -> Clause | None:
    """One clause for an alternation: the union of each branch's best clause."""
    union: set[str] = set()
    for branch in av[1]:
        best = _best(_clauses(list(branch.data)), 1)
        if not best:
            return None  # a branch that needs nothing makes the whole need nothing
        union |= best[0]
    return frozenset(union) if union else None


def _clauses(items: Items) -> list[Clause]:
    """Clauses every match of the sequence ``items`` satisfies (all of them)."""
    out: list[Clause] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            char = chr(av)
            if char.isascii() or char.lower() == char.upper():
                run += char.lower()
                continue
            # a cased non-ASCII letter may have case equivalents ``re`` folds
            # and ``str.lower`` does not: require nothing of it
        if run:
            out.append(frozenset({run}))
            run = ""
        found = (
            _class_words(av) if op is sre.IN
            else _branch_clause(av) if op is sre.BRANCH
            else None
        )  # fmt: skip
        if found is not None:
            out.append(found)
        for inner in _inner(op, av, required=True):
            out.extend(_clauses(inner))
        # AT (\b, ^), ASSERT / ASSERT_NOT, ANY, GROUPREF ...: nothing required
    if run:
        out.append(frozenset({run}))
    return out


def _minimal(clause: Clause) -> Clause:
    """The clause without words that contain another of its words (same lines hold)."""
    digit = DIGIT in clause
    return frozenset(
        w
        for w in clause
        if w == DIGIT
        or not ((digit and w.isdigit()) or any(v != w and v != DIGIT and v in w for v in clause))
    )


def _best(clauses: list[Clause], keep: int) -> list[Clause]:
    """The ``keep`` most selective clauses; one of blanks only rules out nothing worth it."""
    unique = [c for c in dict.fromkeys(clauses) if not all(w.isspace() for w in c)]
    unique.sort(key=_score, reverse=True)
    return unique[:keep]


def _consumes_newline(op: Any, av: Any) -> bool:
    """Whether this one node (not its sub-sequences) may consume a line break."""
    if op is sre.LITERAL:
        return bool(av == 10)
    if op is sre.NOT_LITERAL:
        return bool(av != 10)
    if op is sre.IN:
        return not _only_digits_or_literals(av)
    # "." stops at a line break without DOTALL, but stay conservative; a group
    # reference may repeat anything
    return op in (sre.ANY, sre.GROUPREF, sre.GROUPREF_EXISTS)


def _newline_possible(items: Items) -> bool:
    """Whether anything in the pattern can consume a line break (conservative)."""
    return any(
        _consumes_newline(op, av) or any(_newline_possible(i) for i in _inner(op, av, False))
        for op, av in items
    )


def _only_digits_or_literals(items: list[tuple[Any, Any]]) -> bool:
    """A class of literals, ranges and ``\\d`` without a line break (large ranges allowed)."""
    for op, av in items:
        if op is sre.LITERAL and av != 10:
            continue
        if op is sre.RANGE and not (av[0] <= 10 <= av[1]):
            continue
        if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            continue
        return False
    return True


def gate(pattern: re.Pattern[str]) -> Gate:
    """The words any match of ``pattern`` contains, and whether it stays on one line.

    Args:
        pattern (re.Pattern[str]): a compiled rule (its flags are honoured).

    Returns:
        Gate: up to :data:`MAX_CLAUSES` clauses, the most selective first.
    """
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    # Lower-cased words are sound with or without IGNORECASE, as texts are lower-cased too.
    clauses = [_minimal(c) for c in _best(_clauses(list(parsed.data)), MAX_CLAUSES)]
    return Gate(tuple(clauses), not _newline_possible(list(parsed.data)))


def folded(text: str) -> str | None:
    """``text`` lower-cased for gating, or ``None`` when that would move offsets."""
    low = text.lower()
    if len(low) != len(text):
        return None
    return low.translate(_FOLD) if "\u0131" in low or "\u017f" in low else low
