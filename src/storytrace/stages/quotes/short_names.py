"""A speaker printed by its short name, resolved to the full name the text prints.

Entertainment coverage names a studio or an outlet once in full and then by a short
form: ``Summit Entertainment`` ... ``Summit says``; ``The Hollywood Reporter`` ...
``THR says``, ``according to THR``; ``Entertainment Weekly`` ... ``EW says``. The
short form is who speaks, and the full form is its name: the speaker is resolved to
the full name printed in the same text (nearest before it, else the first after), so
one outlet is one source under one name.

A short form is a speaker of one or two capitalised words (after an optional
``the``) that is not a person (proper nouns or capitals: not ``Police`` opening a sentence); a full form is a run of capitalised words of the text
that starts with the short form's words (``Summit`` -> ``Summit Entertainment``) or
whose initials spell an all-capitals short form (``THR`` -> ``The Hollywood
Reporter``, ``EW`` -> ``Entertainment Weekly``). A person's surname (``Ross`` ...
``Ross Perot``) is left to the pronoun and name rules.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storytrace.records import TextSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

__all__ = ["full_name"]

#: Lower-case words a full name may hold between its capitalised ones.
_INNER = frozenset({"of", "and", "&", "for", "the"})
#: Longest short form, in words.
_MAX_SHORT = 2


def full_name(sdoc: SpacyDoc, speaker: TextSpan | None) -> str | None:
    """The full name a short-form speaker stands for, as the text prints it.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.
        speaker (TextSpan | None): the speaker as written.

    Returns:
        str | None: the full name (nearest before the speaker, else first after), or
        ``None`` when the speaker is no short form or the text prints no full form.
    """
    words = _short_form(sdoc, speaker)
    if not words or speaker is None:
        return None
    found = [run for run in _name_runs(sdoc) if _expands(words, run)]
    before = [run for run in found if run[-1].idx < speaker.start]
    after = [run for run in found if run[0].idx >= speaker.end]
    pick = before[-1] if before else after[0] if after else None
    if pick is None:
        return None
    return sdoc.text[pick[0].idx : pick[-1].idx + len(pick[-1])]


def _short_form(sdoc: SpacyDoc, speaker: TextSpan | None) -> list[Token]:
    """The speaker's capitalised words when it is a short form, else ``[]``."""
    if speaker is None:
        return []
    chunk = sdoc.char_span(speaker.start, speaker.end, alignment_mode="expand")
    if chunk is None:
        return []
    words = [t for t in chunk if not (t.i == chunk.start and t.lower_ == "the")]
    if not words or len(words) > _MAX_SHORT or not all(_capital(t) for t in words):
        return []
    if any(t.ent_type_ == "PERSON" for t in words):
        return []
    if not all(t.pos_ == "PROPN" or t.is_upper for t in words):
        return []  # "Police say": a common noun capitalised at a sentence start
    return words


def _capital(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _name_runs(sdoc: SpacyDoc) -> list[list[Token]]:
    """Maximal runs of capitalised words (with ``of``, ``and`` ... inside) on one line,
    none of them a person's name."""
    runs: list[list[Token]] = []
    run: list[Token] = []
    for tok in sdoc:
        if _capital(tok) or (run and tok.lower_ in _INNER and tok.lower_ != "the"):
            run.append(tok)
            continue
        runs.append(run)
        run = []
    runs.append(run)
    out = []
    for found in runs:
        while found and not _capital(found[-1]):
            found.pop()
        if len(found) > 1 and not any(t.ent_type_ == "PERSON" for t in found):
            out.append(found)
    return out


def _expands(words: list[Token], run: list[Token]) -> bool:
    """``run`` is a longer form of ``words``: it starts with them, or spells them."""
    short = [t.text for t in words]
    names = [t.text for t in run]
    if len(names) > len(short) and names[: len(short)] == short:
        return True
    if len(short) != 1 or not short[0].isupper() or len(short[0]) < 2:
        return False
    initials = "".join(t.text[0] for t in run if _capital(t))
    if initials == short[0]:
        return True
    before = run[0].doc[run[0].i - 1].lower_ if run[0].i > 0 else ""
    return before == "the" and "T" + initials == short[0]  # "the Hollywood Reporter"
