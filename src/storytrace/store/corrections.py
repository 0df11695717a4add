"""The ``corrections`` table: a reporter's fixes, kept in the store as an overlay.

Rows are only ever added. Undoing a correction adds an ``undo`` row naming it and
sets its ``undone`` flag, so the history of who changed what stays readable.
A read-only store without the table simply has no corrections.

DOCS: docs/corrections.md
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from storytrace.errors import InputError
from storytrace.records.corrections import KINDS, STANCES, Correction, Draft

_CREATE = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY, who VARCHAR NOT NULL, "when" VARCHAR NOT NULL, why VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, target VARCHAR NOT NULL, before VARCHAR NOT NULL,
    after VARCHAR NOT NULL, undone BOOLEAN NOT NULL DEFAULT false
)
"""
_COLUMNS = 'id, who, "when", why, kind, target, before, after, undone'
#: Longest who / why / target / value a correction may carry.
MAX_TEXT = 2000


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'corrections'"
    ).fetchone()
    return bool(row and row[0])


def load(con: duckdb.DuckDBPyConnection) -> tuple[Correction, ...]:
    """Every correction in the store, undone ones included, in the order made."""
    if not _has_table(con):
        return ()
    rows = con.execute(f"SELECT {_COLUMNS} FROM corrections ORDER BY id").fetchall()
    return tuple(Correction(*row) for row in rows)


def check(draft: Draft) -> None:
    """Refuse a correction that cannot mean anything (``ST180``).

    Raises:
        InputError: an unknown kind, an empty target, a stance that is not one,
            an empty reporter name or reason, or text longer than ``MAX_TEXT``.
    """
    d = draft
    problems = []
    if d.kind not in KINDS or d.kind == "undo":
        problems.append(f"kind must be one of {', '.join(k for k in KINDS if k != 'undo')}")
    if not d.target.strip():
        problems.append("a correction needs a target")
    if d.kind == "mention_stance" and d.after not in STANCES:
        problems.append("a stance is 'affirmed' or 'negated'")
    needs_value = ("quote_speaker", "entity_merge", "entity_split", "claim_origin")
    if d.kind in needs_value and not d.after.strip():
        problems.append("a correction needs the right value")
    if not d.who.strip() or not d.why.strip():
        problems.append("say who you are and why")
    if any(len(v) > MAX_TEXT for v in (d.target, d.before, d.after, d.who, d.why)):
        problems.append(f"values are at most {MAX_TEXT} characters")
    if problems:
        raise InputError("ST180", "Cannot record this correction: " + "; ".join(problems) + ".")


def add(con: duckdb.DuckDBPyConnection, draft: Draft) -> Correction:
    """Record a correction (checked first) and return it.

    Raises:
        InputError: ``ST180`` when ``check`` refuses it.
    """
    check(draft)
    return _insert(con, draft)


def undo(con: duckdb.DuckDBPyConnection, correction_id: int, who: str, why: str) -> Correction:
    """Undo a correction: an ``undo`` row naming it, and its ``undone`` flag set.

    Raises:
        InputError: ``ST181`` no such correction, or it is undone already or is an undo;
            ``ST180`` no name or reason given.
    """
    earlier = {c.id: c for c in load(con)}.get(correction_id)
    if earlier is None or earlier.undone or earlier.kind == "undo":
        raise InputError("ST181", f"No correction {correction_id} to undo.")
    draft = Draft("undo", str(correction_id), earlier.after, earlier.before, who, why)
    if not who.strip() or not why.strip() or len(who) > MAX_TEXT or len(why) > MAX_TEXT:
        raise InputError("ST180", "Cannot record this correction: say who you are and why.")
    con.execute("BEGIN TRANSACTION")
    try:
        row = _insert(con, draft)
        con.execute("UPDATE corrections SET undone = true WHERE id = ?", [correction_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return row


def _insert(con: duckdb.DuckDBPyConnection, d: Draft) -> Correction:
    con.execute(_CREATE)
    found = con.execute("SELECT coalesce(max(id), 0) + 1 FROM corrections").fetchone()
    new_id = int(found[0]) if found else 1
    when = datetime.now(UTC).isoformat(timespec="seconds")
    row = (new_id, d.who, when, d.why, d.kind, d.target, d.before, d.after, False)
    con.execute(
        f"INSERT INTO corrections ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row)
    )
    return Correction(*row)  # type: ignore[arg-type]  # kind was checked
