"""Import batches: what each import wrote, listed and undone exactly (issue 25)."""
from __future__ import annotations

from dataclasses import dataclass

from meeting.store.connection import Database
from meeting.store.schema import BATCH_TABLES


@dataclass(frozen=True)
class ImportBatch:
    id: int
    kind: str
    file: str
    rows: int          # rows of the file read
    inserted: int      # rows it added (what undo removes)
    replaced: int      # rows already there whose values it replaced
    units: str
    at: str
    who: str | None
    undone_at: str | None


class UndoRefused(ValueError):
    """The batch cannot be undone; ``str()`` says why."""


def start_batch(db: Database, kind: str, file: str, at: str, who: str | None) -> int:
    """A new batch, inside the import's own transaction (a failed import leaves no batch)."""
    return db.execute("INSERT INTO import_batches (kind, file, at, who) VALUES (?, ?, ?, ?) RETURNING id",
                      [kind, file or "", at, who]).fetchone()[0]


def finish_batch(db: Database, batch_id: int, *, rows: int, inserted: int, replaced: int,
                 units) -> None:
    db.execute("UPDATE import_batches SET rows = ?, inserted = ?, replaced = ?, units = ? WHERE id = ?",
               [int(rows), int(inserted), int(replaced), ", ".join(units), batch_id])


def _row(row) -> ImportBatch:
    return ImportBatch(*row)


_COLUMNS = "b.id, b.kind, b.file, b.rows, b.inserted, b.replaced, b.units, b.at, b.who, b.undone_at"


def list_batches(db: Database, unit_id: int | None = None, limit: int = 50) -> list[ImportBatch]:
    """The newest batches first; with ``unit_id``, those that wrote rows into the unit (or undone ones that had)."""
    if unit_id is None:
        rows = db.execute(f"SELECT {_COLUMNS} FROM import_batches b ORDER BY b.id DESC LIMIT ?", [limit]).fetchall()
        return [_row(r) for r in rows]
    name = db.execute("SELECT name FROM units WHERE id = ?", [unit_id]).fetchone()
    found = " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE import_batch_id = b.id AND unit_id = ?)"
                        for t in BATCH_TABLES)
    # The unit's name among the batch's (an undone batch's rows are gone); LIKE ignores ASCII case in SQLite,
    # so LOWER on both sides for PostgreSQL, whose LIKE does not.
    sql = (f"SELECT {_COLUMNS} FROM import_batches b WHERE {found} OR LOWER(',' || REPLACE(b.units, ', ', ',') || ',') "
           f"LIKE LOWER('%,' || ? || ',%') ORDER BY b.id DESC LIMIT ?")
    params = [unit_id] * len(BATCH_TABLES) + [name[0] if name else "", limit]
    return [_row(r) for r in db.execute(sql, params).fetchall()]


def get_batch(db: Database, batch_id: int) -> ImportBatch | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM import_batches b WHERE b.id = ?", [batch_id]).fetchone()
    return _row(row) if row else None


def batch_unit_ids(db: Database, batch_id: int) -> list[int]:
    """The units a batch's rows are in (to check who may undo it)."""
    found = " UNION ".join(f"SELECT unit_id FROM {t} WHERE import_batch_id = ?" for t in BATCH_TABLES)
    return sorted(r[0] for r in db.execute(found, [batch_id] * len(BATCH_TABLES)).fetchall())


def undo_batch(db: Database, batch_id: int, at: str) -> int:
    """Delete exactly the rows the batch added (the caller holds the write transaction); the rows deleted.

    Refused (UndoRefused, nothing deleted) for an unknown or undone batch, for one that replaced values of
    rows already there (their old values are gone: undo would leave them wrong), and where a closed meeting
    reviewed a month the batch's rows fall in (the meeting's record depends on them).
    """
    batch = get_batch(db, batch_id)
    if batch is None:
        raise UndoRefused(f"there is no import batch {batch_id}.")
    if batch.undone_at:
        raise UndoRefused(f"import batch {batch_id} was already undone ({batch.undone_at}).")
    if batch.replaced:
        raise UndoRefused(f"import batch {batch_id} ({batch.file}) replaced the values of {batch.replaced} rows "
                          "already there; their earlier values are not kept, so undoing it would leave them wrong. "
                          "Import the earlier file again instead.")
    remaining = sum(db.execute(f"SELECT COUNT(*) FROM {t} WHERE import_batch_id = ?", [batch_id]).fetchone()[0]
                    for t in BATCH_TABLES)
    if remaining < batch.inserted:
        raise UndoRefused(f"{batch.inserted - remaining} of the {batch.inserted} rows import batch {batch_id} "
                          f"({batch.file}) added have since been replaced by a later import or removed: undoing it "
                          "would not be exact. Undo the later import first, if it can be.")
    for table, dated in BATCH_TABLES.items():
        closed = db.execute(
            f"SELECT m.id, m.title, m.period FROM meetings m WHERE m.status = 'closed' AND EXISTS ("
            f"SELECT 1 FROM {table} t WHERE t.import_batch_id = ? AND t.unit_id = m.unit_id "
            f"AND substr(t.{dated}, 1, 7) = m.period) ORDER BY m.held_on, m.id LIMIT 1", [batch_id]).fetchone()
        if closed:
            raise UndoRefused(f"import batch {batch_id} ({batch.file}) holds rows of {closed[2]}, which the closed "
                              f"meeting {closed[0]} ({closed[1]!r}) reviewed: its record depends on them, so they stay.")
    for table in BATCH_TABLES:
        db.execute(f"DELETE FROM {table} WHERE import_batch_id = ?", [batch_id])
    db.execute("UPDATE import_batches SET undone_at = ? WHERE id = ?", [at, batch_id])
    return remaining  # the batch's rows counted above, in this transaction: exactly those were deleted
