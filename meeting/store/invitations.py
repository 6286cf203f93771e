"""What a meeting sent out: its calendar invitation (one UID, SEQUENCE raised at each issue, cancelled or not) and
its circulated minutes (who received which draft, when)."""
from __future__ import annotations

from meeting.store.connection import Database


def issue(db: Database, meeting_id: int, *, new_uid: str, at: str, cancelled: bool = False) -> tuple[str, int]:
    """(uid, sequence) for this issue: the first gets ``new_uid`` and 0, each later one the same uid and +1.
    ``cancelled``: this issue cancels the event (kept until a later issue reinstates it). The caller holds the
    write transaction."""
    row = db.execute("SELECT uid, sequence FROM meeting_invitations WHERE meeting_id = ?", [int(meeting_id)]).fetchone()
    cancelled_at = at if cancelled else None
    if row is None:
        db.execute("INSERT INTO meeting_invitations (meeting_id, uid, sequence, issued_at, cancelled_at) "
                   "VALUES (?, ?, 0, ?, ?)", [int(meeting_id), new_uid, at, cancelled_at])
        return new_uid, 0
    db.execute("UPDATE meeting_invitations SET sequence = sequence + 1, issued_at = ?, cancelled_at = ? "
               "WHERE meeting_id = ?", [at, cancelled_at, int(meeting_id)])
    return row[0], row[1] + 1


def invitation(db: Database, meeting_id: int) -> dict | None:
    """{uid, sequence, issued_at, cancelled_at} of the last issue, or None when none was issued."""
    row = db.execute("SELECT uid, sequence, issued_at, cancelled_at FROM meeting_invitations WHERE meeting_id = ?",
                     [int(meeting_id)]).fetchone()
    return dict(zip(("uid", "sequence", "issued_at", "cancelled_at"), row)) if row else None


def sent_to(db: Database, meeting_id: int) -> set[tuple[str, str]]:
    """(draft, recipient address) pairs already delivered by ``circulate --send``."""
    return {(row[0], row[1]) for row in db.execute(
        "SELECT draft, recipient FROM circulation_sends WHERE meeting_id = ? ORDER BY id", [int(meeting_id)]).fetchall()}


def mark_sent(db: Database, meeting_id: int, draft: str, recipient: str, at: str) -> None:
    """Record one delivery the SMTP server accepted. The caller holds the write transaction."""
    db.execute("INSERT INTO circulation_sends (meeting_id, draft, recipient, sent_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (meeting_id, draft, recipient) DO NOTHING", [int(meeting_id), draft, recipient, at])
