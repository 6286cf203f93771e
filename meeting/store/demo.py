"""What only the demo loader writes: its past meetings' end state, without running them live."""
from __future__ import annotations


def close_as_held(db, meeting_id: int, started_at: str, closed_at: str) -> None:
    """Mark a meeting closed as if held from ``started_at`` to ``closed_at`` (the caller holds the write
    transaction). The live-meeting module owns the real draft -> live -> closed flow."""
    db.execute("UPDATE meetings SET status = 'closed', started_at = ?, closed_at = ? WHERE id = ?",
               [started_at, closed_at, meeting_id])
