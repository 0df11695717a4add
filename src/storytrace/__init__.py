"""storytrace: source-traced dossiers from a pile of news coverage."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
