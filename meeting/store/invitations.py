"""A meeting's calendar invitation: its UID (fixed) and SEQUENCE (raised at each re-issue)."""
from __future__ import annotations

import sqlite_utils


def issue(db: sqlite_utils.Database, meeting_id: int, *, new_uid: str, at: str) -> tuple[str, int]:
    """(uid, sequence) for this issue: the first gets ``new_uid`` and 0, each later one the same uid and +1.
    The caller holds the write transaction."""
    row = db.execute("SELECT uid, sequence FROM meeting_invitations WHERE meeting_id = ?", [int(meeting_id)]).fetchone()
    if row is None:
        db.execute("INSERT INTO meeting_invitations (meeting_id, uid, sequence, issued_at) VALUES (?, ?, 0, ?)",
                   [int(meeting_id), new_uid, at])
        return new_uid, 0
    db.execute("UPDATE meeting_invitations SET sequence = sequence + 1, issued_at = ? WHERE meeting_id = ?",
               [at, int(meeting_id)])
    return row[0], row[1] + 1
