"""Serialisation for a component that stands in for a spaCy component it wraps.

:mod:`storytrace.models.attribute_rules` and :mod:`storytrace.models.lemmas`
replace spaCy components with faster equivalents that keep the original as
``stock``. Saving writes ``stock`` exactly as spaCy would (the same files, the
same bytes); loading fills ``stock`` and hands it to :meth:`WrapsStock.use`,
which rebuilds the fast state from it.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self, cast


class WrapsStock:
    """Mixin: ``to_*`` / ``from_*`` through the wrapped spaCy component ``stock``."""

    stock: Any

    def use(self, stock: Any) -> Any:
        """Take ``stock`` (freshly loaded or the model's) and rebuild from it."""
        raise NotImplementedError

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The wrapped component's serialisation."""
        return cast(bytes, self.stock.to_bytes(exclude=exclude))

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Self:
        """Load the wrapped component from ``data``, then rebuild from it."""
        self.use(self.stock.from_bytes(data, exclude=exclude))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save as the wrapped component does (the same files)."""
        self.stock.to_disk(path, exclude=exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Self:
        """Load the wrapped component from ``path``, then rebuild from it."""
        self.use(self.stock.from_disk(path, exclude=exclude))
        return self
