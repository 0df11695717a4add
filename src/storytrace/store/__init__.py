"""The embedded DuckDB store."""

from storytrace.store.duck import AddResult, Store

__all__ = ["AddResult", "Store"]
