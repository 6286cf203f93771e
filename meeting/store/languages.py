"""The language a unit's meeting speaks (issue 27): the one column ``units.document_language`` (m110).

Validation (which codes have a catalogue) is ``meeting.i18n``'s; this module only reads and writes.
"""
from __future__ import annotations

from meeting.store.connection import Database, write_transaction

DEFAULT = "en"


def unit_document_language(db: Database, unit_id: int) -> str:
    """The unit's document language; English for a unit nobody set (or one that does not exist)."""
    row = db.execute("SELECT document_language FROM units WHERE id = ?", [int(unit_id)]).fetchone()
    return row[0] if row and row[0] else DEFAULT


def meeting_document_language(db: Database, meeting_id: int) -> str:
    """The document language of the unit that holds the meeting."""
    row = db.execute("SELECT u.document_language FROM meetings m JOIN units u ON u.id = m.unit_id WHERE m.id = ?",
                     [int(meeting_id)]).fetchone()
    return row[0] if row and row[0] else DEFAULT


def save_unit_document_language(db: Database, unit_id: int, language: str) -> None:
    with write_transaction(db):
        db.execute("UPDATE units SET document_language = ? WHERE id = ?", [language, int(unit_id)])
