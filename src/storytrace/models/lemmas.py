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

The component keeps spaCy's lemmatizer as ``stock`` and serialises through it
(its lookup tables, unchanged); a second spaCy lemmatizer, ``fast``, holds the
set-indexed copy of the tables and answers the misses. A pipeline saved with
``nlp.to_disk`` loads back in any process where storytrace is installed (the
factory is a ``spacy_factories`` entry point).

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.language import Language

from storytrace.models.wrapped import WrapsStock

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Name of the spaCy factory registered by :func:`install`.
FACTORY = "storytrace_lemma_table"

#: Entries the table may hold before it starts again (~260 bytes each: ~26 MB).
#: spaCy's lemmatizer caches only some parts of speech; the table holds every
#: triple -- 66,500 after 600 stream articles (1.06 M tokens), 4x spaCy's
#: cache -- and would otherwise grow with every new name and number of a stream.
MAX_TABLE_ENTRIES = 100_000

#: Lemmatizer modes whose answer depends on (ORTH, POS, MORPH) alone.
TABLE_MODES = frozenset({"rule", "lookup"})


class TableLemmatizer(WrapsStock):
    """Lemmas from a (orth, pos, morph) -> lemma table filled by spaCy's lemmatizer.

    Args:
        stock (Lemmatizer | None): the pipeline's own lemmatizer: what is saved
            and loaded, and whose settings (mode, ``overwrite``) apply.
        fast (Lemmatizer | None): a second spaCy lemmatizer of the same mode,
            given a set-indexed copy of ``stock``'s tables; it answers misses.
    """

    def __init__(self, stock: Any = None, fast: Any = None) -> None:
        self.stock = stock
        self.fast = fast
        self.table: dict[tuple[int, int, int], str] = {}
        self.max_entries = MAX_TABLE_ENTRIES

    def use(self, stock: Any) -> None:
        """Lemmatize as ``stock`` does; its tables are copied for ``fast``, not changed."""
        from spacy.errors import Errors

        stock._validate_tables(Errors.E1004)  # what spaCy's component does on its first doc
        self.stock = stock
        self.fast.lookups = _indexed(stock.lookups)
        self.fast.cache = {}
        self.table = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of each token spaCy's lemmatizer would set."""
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(doc) == 0:
            return doc
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].copy()
        todo = np.arange(len(doc)) if self.stock.overwrite else np.flatnonzero(lemmas == 0)
        keys = columns[todo, :3].tolist()
        if len(self.table) > self.max_entries:
            self.table.clear()  # bounded memory over a long stream; misses refill it
        table, strings = self.table, doc.vocab.strings
        # The table keeps strings, not their ids: ids added inside a
        # ``nlp.memory_zone()`` are gone when it ends. Each lemma is added to
        # the string store once per document, as spaCy's setter adds it per token.
        ids: dict[tuple[int, int, int], int] = {}
        for position, key in zip(todo.tolist(), keys, strict=True):
            triple = (key[0], key[1], key[2])
            lemma = ids.get(triple)
            if lemma is None:
                text = table.get(triple)
                if text is None:
                    text = table[triple] = self.fast.lemmatize(doc[position])[0]
                lemma = ids[triple] = strings.add(text)
            lemmas[position] = lemma
        self.fast.cache.clear()  # its answers are in the table; a second copy would only grow
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
    from spacy.pipeline import Lemmatizer

    if "lemmatizer" not in nlp.pipe_names:
        return False
    stock: Any = nlp.get_pipe("lemmatizer")
    if not isinstance(stock, Lemmatizer) or stock.mode not in TABLE_MODES:
        return False
    config = {"mode": stock.mode, "overwrite": stock.overwrite}
    component = nlp.replace_pipe("lemmatizer", FACTORY, config=config)
    cast(TableLemmatizer, component).use(stock)
    return True


def _indexed(lookups: Any) -> Any:
    """A copy of ``lookups`` whose ``lemma_index`` word lists are sets.

    ``rule_lemmatize`` asks only ``form in index`` of them, and on a list that is
    a scan of thousands of words: 80 us per new (word, POS, morphology), 3.1 s
    on 300 pages. Only the ``fast`` lemmatizer holds the copy: the saved tables
    stay the model's lists.
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


@Language.factory(
    FACTORY, default_config={"mode": "rule", "overwrite": False}, assigns=["token.lemma"]
)
def make_lemma_table(nlp: Language, name: str, mode: str, overwrite: bool) -> TableLemmatizer:
    """spaCy factory: the component around two new spaCy lemmatizers of ``mode``.

    They are the language's own (``nlp.create_pipe("lemmatizer")``), without
    tables: :func:`install` hands over the loaded model's lemmatizer, and
    ``from_disk`` / ``from_bytes`` load saved tables.
    """
    config = {"mode": mode, "overwrite": overwrite}
    return TableLemmatizer(
        stock=nlp.create_pipe("lemmatizer", name=name, config=config),
        fast=nlp.create_pipe("lemmatizer", name=name, config=config),
    )
