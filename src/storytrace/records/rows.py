"""Any record to JSON-able data and back, losslessly: how stored analysis is kept.

``report.serialize`` writes the documented dossier JSON, which adds derived fields
(headlines, outlet lists, rounded scores) and cannot be read back. The store
needs the opposite: a record written today must come back equal. This codec is
driven by the dataclass fields and their type hints alone, so a new field needs
no code here:

* dataclasses become objects keyed by field name, tuples become lists;
* ``date`` is ``"2025-04-09"``, ``datetime`` is ISO 8601 with a ``T``; a field
  typed ``date | datetime`` is read back by that ``T``;
* ``StrEnum`` members are their values; ``Literal`` and plain scalars pass through.

``from_data(to_data(x), type(x)) == x`` for every record of ``storytrace.records``
(tests/records/test_rows.py runs it over a whole seeds dossier).

DOCS: docs/store.md
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A record (or a tuple of them, or a scalar) as JSON-able data.

    Args:
        value (Any): a frozen record of ``storytrace.records``, a tuple, or a scalar.

    Returns:
        Any: dicts, lists, strings, numbers, booleans and None only.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetime is a date too; isoformat keeps its "T"
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def dumps(value: Any) -> str:
    """A record as compact, key-sorted JSON text (byte-stable for equal records)."""
    return json.dumps(to_data(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str, cls: type[T]) -> T:
    """A record of type ``cls`` from the JSON text ``dumps`` wrote."""
    return from_data(json.loads(text), cls)


def from_data(data: Any, cls: type[T]) -> T:
    """The record of type ``cls`` that ``to_data`` turned into ``data``.

    Args:
        data (Any): JSON-able data as ``to_data`` returns it.
        cls (type[T]): the record class (or any type hint ``to_data`` supports).

    Returns:
        T: an equal record.

    Raises:
        TypeError: ``data`` does not fit ``cls``.
    """
    return typing.cast(T, _decode(data, cls))


def _decode(data: Any, hint: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _decode_union(data, typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(v, args[0]) for v in data)
        return tuple(_decode(v, a) for v, a in zip(data, args, strict=True))
    if origin is dict:
        key, val = typing.get_args(hint)
        return {_decode(k, key): _decode(v, val) for k, v in data.items()}
    if origin is typing.Literal or hint is Any:
        return data
    if isinstance(hint, type):
        return _decode_type(data, hint)
    raise TypeError(f"cannot decode a value typed {hint!r}")


def _decode_union(data: Any, args: tuple[Any, ...]) -> Any:
    options = [a for a in args if a is not type(None)]
    if len(options) == 1:
        return _decode(data, options[0])
    if datetime in options and date in options and isinstance(data, str):
        return datetime.fromisoformat(data) if "T" in data else date.fromisoformat(data)
    for option in options:  # scalars of distinct JSON types: the first that fits
        if isinstance(option, type) and isinstance(data, option):
            return data
    raise TypeError(f"cannot tell which of {options!r} {data!r} is")


def _decode_type(data: Any, cls: type) -> Any:
    if dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        return cls(**{name: _decode(data[name], hint) for name, hint in hints.items() if name in data})
    if issubclass(cls, Enum):
        return cls(data)
    if cls is datetime:
        return datetime.fromisoformat(data)
    if cls is date:
        return date.fromisoformat(data)
    if cls is float and isinstance(data, int):
        return float(data)
    if isinstance(data, cls):
        return data
    raise TypeError(f"expected {cls.__name__}, got {type(data).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    """Field name to resolved type hint, for the init fields of a record class."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}
