"""Shared fixtures (the seed corpus, its dossier analysed once) and the model guard.

The model guard makes ``@pytest.mark.model`` enforced rather than hoped for, so that
``pytest -m "not model"`` (``make test-fast``) really runs without a model. Wrappers
installed once per session note every model obtained or used: the loaders
(``load_nlp``, ``load_stock_nlp``, ``spacy.load``, ``entity_pipeline``,
``Embedder()``) and, because those are cached per process, the
uses too (calling a trained spaCy pipeline, ``Embedder.embed``, the shared
``Embeddings`` memo), so a model loaded by an earlier marked test is still seen. A
test without the marker that used one while setting up or running fails. Fixtures
that used a model while being set up are remembered, so a test that only reuses
one (e.g. the session's ``seed_dossier``) fails as well. Not seen: models loaded in
a child process (CLI subprocesses, Dask workers); such tests are marked by hand.
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

#: Model uses noted by the wrappers; the hooks below read and reset it per test phase.
_USES: list[str] = []
#: Fixture definitions that used a model while being set up (their value may hold one).
#: Definitions, not names: a module's ``data`` fixture is not another module's ``data``.
_MODEL_FIXTURES: set[pytest.FixtureDef[Any]] = set()
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
    """Wrap each place a model is obtained or used (see the module docstring).

    Done once, before the test modules are imported, so that a module binding a
    loader at import (``from storytrace.models.nlp import load_nlp``) binds the
    wrapper; the wrappers only note, the hooks below judge.
    """
    import spacy
    from spacy.language import Language

    from storytrace.models import embeddings, nlp, services
    from storytrace.stages.entities import extract

    targets: list[tuple[Any, str, str, Callable[..., bool]]] = [
        (nlp, "load_nlp", "storytrace.models.nlp.load_nlp()", _always),
        (nlp, "load_stock_nlp", "storytrace.models.nlp.load_stock_nlp()", _always),
        (extract, "entity_pipeline", "the entity pipeline (entity_pipeline())", _always),
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
    """The model uses made inside the block."""
    _USES.clear()
    seen: list[str] = []
    try:
        yield seen
    finally:
        seen.extend(_USES)
        _USES.clear()


def _fixture_defs(item: pytest.Item) -> list[pytest.FixtureDef[Any]]:
    """The fixture definitions ``item`` uses, overridden ones included.

    ``_fixtureinfo`` is private, but pytest offers no public way to tell which
    definition of a name a test got (plugins such as pytest-asyncio read it too).
    """
    info = getattr(item, "_fixtureinfo", None)
    return [d for defs in getattr(info, "name2fixturedefs", {}).values() for d in defs]


def _unmarked(item: pytest.Item) -> bool:
    return item.get_closest_marker("model") is None


class _FixtureWatch:
    """Remembers the fixtures that used a model while being set up.

    A plugin rather than a hook of this conftest: pytest calls a session-scoped
    fixture's setup hook through the session node, which a conftest under
    ``tests/`` does not reach.
    """

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any]) -> Iterator[Any]:
        before = len(_USES)
        try:
            return (yield)
        finally:
            if len(_USES) > before:
                _MODEL_FIXTURES.add(fixturedef)


_GUARD = pytest.MonkeyPatch()


def pytest_configure(config: pytest.Config) -> None:
    _wrap_models(_GUARD)
    config.pluginmanager.register(_FixtureWatch(), "storytrace-model-fixture-watch")


def pytest_unconfigure(config: pytest.Config) -> None:
    _GUARD.undo()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """Watch every test's fixtures (to learn which use a model); keep what unmarked tests used."""
    with _watching() as seen:
        result = yield
    if _unmarked(item):
        reused = [f"the fixture '{d.argname}'" for d in _fixture_defs(item) if d in _MODEL_FIXTURES]
        item.stash[_SETUP_USES] = seen + reused
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail an unmarked test that used a model, in its fixtures or its body."""
    if not _unmarked(item):
        return (yield)
    seen: list[str] = []
    try:
        with _watching() as seen:
            return (yield)
    finally:
        uses = item.stash.get(_SETUP_USES, []) + seen
        if uses:
            # failing here replaces the test's own outcome: a model error swallowed
            # by the pipeline (a diagnostic) would otherwise hide the real cause
            pytest.fail(MODEL_MESSAGE.format(uses=", ".join(dict.fromkeys(uses))), pytrace=False)
