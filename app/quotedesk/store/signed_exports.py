"""Signed PDFs exported from the store, by the path they were written to, with their PAdES
level (B-B, B-T, B-LT, B-LTA): what still waits for a timestamp or for validation data."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quotedesk.core.quotes.number import Numbered, quote_label
from quotedesk.store import rows
from quotedesk.store.errors import NotFound

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
# Below B-LTA a file can still gain from `extend`: a timestamp, validation data, the seal.
WAITING = ("B-B", "B-T", "B-LT")


@dataclass(frozen=True, slots=True)
class SignedExport(Numbered):
    number: str
    revision: int
    path: Path
    level: str  # one of LEVELS
    exported_at: datetime
    updated_at: datetime  # when the level last changed

    @property
    def waiting(self) -> bool:
        return self.level in WAITING


def record(conn: sqlite3.Connection, number: str, revision: int, path: Path, level: str) -> None:
    """Call inside a write transaction. A new export to the same path replaces the row."""
    found = conn.execute(
        "SELECT r.id FROM revisions r JOIN quotes q ON q.id = r.quote_id "
        "WHERE q.number = ? AND r.revision = ?",
        [number, revision],
    ).fetchone()
    if found is None:
        raise NotFound(f"no quote {quote_label(number, revision)}")
    now = rows.now()
    conn.execute(
        "INSERT INTO signed_exports (revision_id, path, level, exported_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
        "revision_id = excluded.revision_id, level = excluded.level, "
        "exported_at = excluded.exported_at, updated_at = excluded.updated_at",
        [found[0], str(path), level, now, now],
    )


def set_level(conn: sqlite3.Connection, path: Path, level: str) -> bool:
    """Call inside a write transaction; False when no export was written to `path`."""
    changed = conn.execute(
        "UPDATE signed_exports SET level = ?, updated_at = ? WHERE path = ?",
        [level, rows.now(), str(path)],
    )
    return changed.rowcount > 0


def listed(
    conn: sqlite3.Connection, *, number: str | None = None, waiting: bool = False
) -> list[SignedExport]:
    """Oldest export first; only `number`'s, only those below B-LTA, when asked."""
    clauses, params = [], []
    if number is not None:
        clauses.append("q.number = ?")
        params.append(number)
    if waiting:
        clauses.append(f"s.level IN ({', '.join('?' * len(WAITING))})")
        params += WAITING
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    found = conn.execute(
        "SELECT q.number, r.revision, s.path, s.level, s.exported_at, s.updated_at "
        "FROM signed_exports s JOIN revisions r ON r.id = s.revision_id "
        f"JOIN quotes q ON q.id = r.quote_id {where} ORDER BY s.exported_at, s.id",
        params,
    )
    return [
        SignedExport(
            number,
            revision,
            Path(path),
            level,
            datetime.fromisoformat(exported),
            datetime.fromisoformat(updated),
        )
        for number, revision, path, level, exported, updated in found
    ]
