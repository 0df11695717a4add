"""Bytes to article text: encodings, BOMs, binary sniffing, Unicode normalisation, content hashes."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable

import charset_normalizer

# BOMs decide the encoding outright; checked longest first (UTF-32 LE starts
# with the UTF-16 LE BOM).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


# Control characters other than tab/newline/carriage return/form feed: a share
# above this in the first 8 KB marks a file as binary.
_BINARY_CONTROL_SHARE = 0.10


_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def content_hash(text: str) -> str:
    """Stable id of a content string: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def normalise_text(text: str) -> str:
    """Newlines to ``\\n``, NUL and BOM characters removed, Unicode NFC.

    All offsets in storytrace refer to text after this normalisation.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for BOM-less UTF-16 text, else ``None``.

    Latin-script text in UTF-16 has a NUL as every other byte: at least 40% of the
    odd (little-endian) or even (big-endian) bytes of the first 8 KB are NUL while
    almost none of the other half are. Binary files have NULs on both sides.
    """
    head = data[:8192]
    if len(head) < 16:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul >= 0.4 and even_nul <= 0.02:
        guess = "utf-16-le"
    elif even_nul >= 0.4 and odd_nul <= 0.02:
        guess = "utf-16-be"
    else:
        return None
    return guess if _mostly_printable(head.decode(guess, errors="replace")) else None


def _mostly_printable(text: str) -> bool:
    """Nine characters in ten are printable or whitespace (NUL-spaced control bytes are not text)."""
    good = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
    return good >= 0.9 * len(text)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding storytrace reads."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS) or utf16_without_bom(head):
        return False
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return bool(head) and controls / len(head) > _BINARY_CONTROL_SHARE


def mostly_utf8(data: bytes) -> bool:
    """True when UTF-8 explains the bytes better than a legacy code page would.

    Counts valid multi-byte UTF-8 sequences against invalid bytes: text written in
    UTF-8 with a few stray bytes has many of the first and few of the second; text
    in Latin-1 or Windows-1252 has no valid sequences and an invalid byte at every
    accented letter.
    """
    valid = invalid = 0
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte < 0x80:
            i += 1
            continue
        size = _SEQUENCE_SIZE.get(byte >> 4, 0) if byte >= 0xC2 and byte <= 0xF4 else 0
        if size and _valid_sequence(data[i : i + size], size):
            valid += 1
            i += size
        else:
            invalid += 1
            i += 1
    return valid > 0 and invalid <= max(2, valid // 4)


#: Lead byte's high nibble to the length of its UTF-8 sequence (C2-DF: 2, E0-EF: 3, F0-F4: 4).
_SEQUENCE_SIZE = {0xC: 2, 0xD: 2, 0xE: 3, 0xF: 4}


def _sparse_non_ascii(data: bytes) -> bool:
    """At most 1 byte in 100 is outside ASCII."""
    high = sum(1 for b in data if b >= 0x80)
    return high * 100 <= len(data)


def _valid_sequence(chunk: bytes, size: int) -> bool:
    if len(chunk) < size:
        return False
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_width(data: bytes) -> tuple[bytes, str] | None:
    """The body and encoding a BOM, or BOM-less UTF-16, says the bytes are in."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], encoding
    wide = utf16_without_bom(data)
    return (data[: len(data) // 2 * 2], wide) if wide else None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's best encoding for bytes no cheaper rule decodes (first 200,000 bytes)."""
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    return None if best is None else best.encoding


class FileEncoding:
    """The ``detect`` of :func:`decode_bytes` for the records of one file (JSONL lines).

    Detection costs ~9 ms a call whatever the length, so per line a megabyte of short
    undecodable lines took ~40 s to reject (a mutated JSONL line read at ~100 a second
    under the fuzzer). A file is written in one encoding: the first encoding detection
    finds for a line that then reads as a record (``plausible``) is the file's, and a
    later line that needs detection is read in it when it decodes so. Detection runs
    again only for a line that does not, and at most ``attempts`` times a file; after
    that such a line is undecodable (``ST208``, the line alone). A line of junk costs
    only itself while the budget lasts and does not decide how the lines after it are
    read.

    Limits: a line in a second legacy code page that also decodes in the file's (cp1253
    Greek read as cp1251) is read in the file's; each split of a split file
    (``--split-mb``) detects on its own lines.
    """

    def __init__(
        self, attempts: int = 4, plausible: Callable[[str], bool] = lambda text: True
    ) -> None:
        self._attempts = attempts
        self._plausible = plausible
        self._encoding: str | None = None

    def __call__(self, data: bytes) -> str | None:
        if self._encoding is not None and _strict(data, self._encoding) is not None:
            return self._encoding
        if self._attempts <= 0:
            return None
        self._attempts -= 1
        found = detect_encoding(data)
        text = None if found is None else _strict(data, found)
        if self._encoding is None and text is not None and self._plausible(text):
            self._encoding = found
        return found


def decode_bytes(
    data: bytes, detect: Callable[[bytes], str | None] = detect_encoding
) -> str | None:
    """Decode text bytes: a BOM (or BOM-less UTF-16) wins, then UTF-8, then detection.

    UTF-8 with a few stray bytes keeps UTF-8 and replaces those bytes where they
    are, rather than re-reading the whole page in a legacy code page (which
    garbles every correct non-ASCII character); ASCII text with a handful of
    other bytes is read as Windows-1252, one character per byte, since detection
    on so little evidence guesses multi-byte code pages that merge neighbours.

    Args:
        data (bytes): the text's bytes.
        detect: the encoding of bytes no rule above decodes (charset detection;
            :class:`FileEncoding` for the records of one file).

    Returns:
        str | None: the decoded text, or ``None`` when no encoding fits.
    """
    declared = _declared_width(data)
    if declared is not None:
        return _strict(*declared)
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    if mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    if _sparse_non_ascii(data):
        return data.decode("cp1252", errors="replace")
    encoding = detect(data)
    return None if encoding is None else _strict(data, encoding)
