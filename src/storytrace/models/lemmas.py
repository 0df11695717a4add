"""spaCy's rule lemmatizer with its per-token Python loop replaced by one table lookup.

The English lemmatizer already caches its answer per (word, POS, morphology):
what it costs is the loop around the cache -- for each token a ``Token``
object, a ``lemma == 0`` check, a cache probe, a string-setter call: 7.3 of
the 176 s spaCy spends on the 581 benchmark pages. This component reads the
four columns with ``Doc.to_array``, looks each token's triple up in its own
table, asks the wrapped spaCy lemmatizer only about triples it has not seen
(so the lemma is spaCy's, computed by spaCy's code) and writes the lemmas back
with one ``Doc.from_array``. It lemmatizes the same tokens as spaCy's
component: all of them with ``overwrite``, otherwise those without a lemma
(the attribute ruler sets some).

The result is a function of the triple only because spaCy's
``rule_lemmatize`` and ``lookup_lemmatize`` read nothing else from the token;
:func:`install` therefore swaps only those two modes.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Name of the spaCy factory registered by :func:`install`.
FACTORY = "storytrace_lemma_table"

#: Lemmatizer modes whose answer depends on (ORTH, POS, MORPH) alone.
TABLE_MODES = frozenset({"rule", "lookup"})


class TableLemmatizer:
    """Lemmas from a (orth, pos, morph) -> lemma table filled by spaCy's lemmatizer.

    Args:
        stock (Lemmatizer): the pipeline's own lemmatizer, asked on a table miss.
    """

    def __init__(self, stock: Any = None) -> None:
        self.stock = stock
        self.table: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of each token spaCy's lemmatizer would set."""
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(doc) == 0:
            return doc
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].copy()
        todo = np.arange(len(doc)) if self.stock.overwrite else np.flatnonzero(lemmas == 0)
        keys = columns[todo, :3].tolist()
        table, strings = self.table, doc.vocab.strings
        for position, key in zip(todo.tolist(), keys, strict=True):
            triple = (key[0], key[1], key[2])
            lemma = table.get(triple)
            if lemma is None:
                lemma = table[triple] = strings.add(self.stock.lemmatize(doc[position])[0])
            lemmas[position] = lemma
        doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1)))
        return doc


def install(nlp: Language) -> bool:
    """Wrap ``nlp``'s ``lemmatizer`` in a :class:`TableLemmatizer`, in place.

    Args:
        nlp (Language): a loaded pipeline.

    Returns:
        bool: ``True`` when swapped; ``False`` when there is no lemmatizer or its
        mode is not one of :data:`TABLE_MODES` (spaCy's component is kept).
    """
    from spacy.errors import Errors
    from spacy.language import Language

    if "lemmatizer" not in nlp.pipe_names:
        return False
    stock: Any = nlp.get_pipe("lemmatizer")
    if getattr(stock, "mode", None) not in TABLE_MODES:
        return False
    stock._validate_tables(Errors.E1004)  # what spaCy's component does on its first doc
    stock.lookups = _indexed(stock.lookups)
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=_make)
    component = nlp.replace_pipe("lemmatizer", FACTORY)
    component.stock = stock  # type: ignore[attr-defined]
    return True


def _indexed(lookups: Any) -> Any:
    """A copy of ``lookups`` whose ``lemma_index`` word lists are sets.

    ``rule_lemmatize`` asks only ``form in index`` of them, and on a list that is
    a scan of thousands of words: 80 us per new (word, POS, morphology), 3.1 s
    on 300 pages. The wrapped lemmatizer is no longer a pipeline component (it
    is never saved), so it can hold its own copy.
    """
    from spacy.lookups import Lookups

    copy = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            copy.add_table(name, {pos: frozenset(words) for pos, words in table.items()})
        else:
            copy.add_table(name, dict(table.items()))
    return copy


def _make(nlp: Language, name: str) -> TableLemmatizer:
    """spaCy factory: an empty component; :func:`install` gives it the stock lemmatizer."""
    return TableLemmatizer()
