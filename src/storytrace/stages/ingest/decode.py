"""Bytes to article text: encodings, BOMs, binary sniffing, Unicode normalisation, content hashes."""

from __future__ import annotations

import hashlib
import unicodedata

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


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding storytrace reads."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return bool(head) and controls / len(head) > _BINARY_CONTROL_SHARE


def decode_bytes(data: bytes) -> str | None:
    """Decode text bytes: a BOM wins, then strict UTF-8, then charset detection.

    Returns:
        str | None: the decoded text, or ``None`` when no encoding fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
