"""Spans: a run of one document's text, the unit every extracted thing points to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A half-open character span ``[start, end)`` of ``Document.text``."""

    start: int
    end: int
