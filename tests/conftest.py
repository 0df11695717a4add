"""Shared fixtures (the seed corpus, its dossier analysed once) and the model guard.

The model guard makes ``@pytest.mark.model`` enforced rather than hoped for, so that
``pytest -m "not model"`` (``make test-fast``) really runs without a model. While a
test without the marker sets up and runs, every place a model is obtained or used
is wrapped: the loaders (``load_nlp``, ``load_stock_nlp``, ``spacy.load``,
``Embedder()``) and, because those are cached per process, the uses too (calling a
trained spaCy pipeline, ``Embedder.embed``, the shared ``Embeddings`` memo). A model
loaded by an earlier marked test is thus still seen. Fixtures that used a model
while being set up are remembered, so a test that only reuses one (e.g. the
session's ``seed_dossier``) is caught as well. Not seen: models loaded in a child
process (CLI subprocesses, Dask workers); such tests are marked by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.helpers import SEEDS

if TYPE_CHECKING:
    from storytrace.records import Dossier

MODEL_MESSAGE = "this test loads a model: mark it @pytest.mark.model (it used {uses})"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_dossier(seeds_dir: Path) -> Dossier:
    """The seeds analysed once per session with the default config.

    A full run loads spaCy and MiniLM and takes ~20 s cold, and a dozen modules
    read the same dossier; its records are frozen, so sharing it is safe. Tests
    with another config keep their own run. Users need ``@pytest.mark.model``.
    """
    from storytrace import api

    return api.analyze([seeds_dir])


@pytest.fixture(scope="session")
def seed_json(seed_dossier: Dossier) -> dict[str, Any]:
    """``api.to_json_data`` of :func:`seed_dossier`, shared: deep-copy it before changing it."""
    from storytrace import api

    return api.to_json_data(seed_dossier)


@pytest.fixture(scope="session")
def embed() -> object:
    """The process's shared sentence vectors (an ``Embed``), for tests that call a stage directly."""
    from storytrace.models.services import Services

    return Services.shared().embed


# --- the model guard ---------------------------------------------------------------

#: Model uses noted while the guard watches; the hooks below read and reset it.
_USES: list[str] = []
#: Fixtures that used a model while being set up (their value may hold one).
_MODEL_FIXTURES: set[str] = set()
_SETUP_USES = pytest.StashKey[list[str]]()


def _noting(original: Callable[..., Any], use: str, when: Callable[..., bool]) -> Any:
    """``original``, noting ``use`` after each successful call for which ``when`` holds.

    Noting after the call lets a loader that fails (no package: ``ST130``) pass,
    since nothing was loaded.
    """

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if when(*args, **kwargs):
            _USES.append(use)
        return result

    for name in ("cache_clear", "cache_info"):  # tests reset functools.cache'd loaders
        if hasattr(original, name):
            setattr(wrapper, name, getattr(original, name))
    return wrapper


def _always(*_args: Any, **_kwargs: Any) -> bool:
    return True


def _trained(nlp: Any, *_args: Any, **_kwargs: Any) -> bool:
    """A pipeline with trained components (a model), not ``spacy.blank`` plus rules."""
    from spacy.pipeline import TrainablePipe

    return any(isinstance(proc, TrainablePipe) for _, proc in nlp.pipeline)


def _some_texts(_self: Any, texts: Any, *_args: Any, **_kwargs: Any) -> bool:
    return len(texts) > 0  # an empty call returns zeros without the model


def _wrap_models(mp: pytest.MonkeyPatch) -> None:
    """Wrap each place a model is obtained or used (see the module docstring)."""
    import spacy
    from spacy.language import Language

    from storytrace.models import embeddings, nlp, services

    targets: list[tuple[Any, str, str, Callable[..., bool]]] = [
        (nlp, "load_nlp", "storytrace.models.nlp.load_nlp()", _always),
        (nlp, "load_stock_nlp", "storytrace.models.nlp.load_stock_nlp()", _always),
        (spacy, "load", "spacy.load()", _always),
        (Language, "__call__", "a spaCy model (nlp(text))", _trained),
        (Language, "pipe", "a spaCy model (nlp.pipe)", _trained),
        (embeddings.Embedder, "__init__", "the MiniLM Embedder()", _always),
        (embeddings.Embedder, "embed", "the MiniLM Embedder.embed()", _always),
        (services.Embeddings, "__call__", "the shared MiniLM embeddings", _some_texts),
    ]
    for owner, name, use, when in targets:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        mp.setattr(owner, name, _noting(original, use, when))


@contextmanager
def _watching() -> Iterator[list[str]]:
    """The model uses made inside the block (the wrappers are removed afterwards)."""
    _USES.clear()
    seen: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        _wrap_models(mp)
        try:
            yield seen
        finally:
            seen.extend(_USES)
            _USES.clear()


def _unmarked(item: pytest.Item) -> bool:
    return item.get_closest_marker("model") is None


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]) -> Iterator[Any]:
    """Remember the fixtures that used a model while being set up."""
    before = len(_USES)
    try:
        return (yield)
    finally:
        if len(_USES) > before:
            _MODEL_FIXTURES.add(fixturedef.argname)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """Watch every test's fixtures (to learn which use a model); keep what unmarked tests used."""
    with _watching() as seen:
        result = yield
    if _unmarked(item):
        reused = sorted(_MODEL_FIXTURES.intersection(getattr(item, "fixturenames", ())))
        item.stash[_SETUP_USES] = seen + [f"the fixture '{name}'" for name in reused]
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail an unmarked test that used a model, in its fixtures or its body."""
    if not _unmarked(item):
        return (yield)
    with _watching() as seen:
        try:
            result = yield
        finally:
            uses = item.stash.get(_SETUP_USES, []) + seen
            if uses:
                # raising here replaces the test's own outcome (a swallowed stage
                # error would otherwise hide the real cause)
                pytest.fail(MODEL_MESSAGE.format(uses=", ".join(dict.fromkeys(uses))), pytrace=False)
    return result
