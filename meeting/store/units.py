"""Units: the business units (countries, regions) that each hold their own monthly meeting."""
from __future__ import annotations

from meeting.store.connection import Database, write_transaction
from meeting.store.settings import get_setting, set_setting


def get_or_create_unit(db: Database, name: str) -> int:
    """The id of the unit called ``name`` (case-insensitive), creating it if new."""
    clean = " ".join(str(name).split())
    if not clean:
        raise ValueError("A unit needs a name.")
    row = db.execute("SELECT id FROM units WHERE LOWER(name) = LOWER(?)", [clean]).fetchone()
    if row:
        return row[0]
    with write_transaction(db):
        return db.execute("INSERT INTO units (name) VALUES (?) RETURNING id", [clean]).fetchone()[0]


def find_unit(db: Database, name_or_id: str | int) -> dict | None:
    """A unit by id or by name (case-insensitive), or None."""
    text = str(name_or_id).strip()
    if text.isdigit():
        rows = list(db.query("SELECT * FROM units WHERE id = ?", [int(text)]))
        if rows:
            return rows[0]
    rows = list(db.query("SELECT * FROM units WHERE LOWER(name) = LOWER(?) ORDER BY id", [" ".join(text.split())]))
    return rows[0] if rows else None


def list_units(db: Database) -> list[dict]:
    return list(db.query("SELECT id, name FROM units ORDER BY name, id"))


DATA_TABLES = {"units": "Units", "voc_responses": "Customer responses", "staff_inputs": "Frontline inputs",
               "metrics": "Metric readings", "meetings": "Meetings"}


def row_counts(db: Database, unit_ids=None) -> dict[str, int]:
    """How much is in the database, by the labels a person reads (Home's figures); only ``unit_ids`` if given."""
    if unit_ids is None:
        return {label: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table, label in DATA_TABLES.items()}
    ids = [int(i) for i in unit_ids]
    marks = ", ".join("?" * len(ids)) or "NULL"
    column = {"units": "id"}
    return {label: db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column.get(table, 'unit_id')} IN ({marks})",
                              ids).fetchone()[0]
            for table, label in DATA_TABLES.items()}


_LANGUAGES_KEY = "unit:{}:languages"


def unit_language_setting(db: Database, unit_id: int) -> list[str] | None:
    """The languages a unit's customers write in, as set (``meeting.evidence.language`` validates), else None."""
    value = get_setting(db, _LANGUAGES_KEY.format(int(unit_id)))
    return [code for code in value.split(",") if code] if value is not None else None


def save_unit_language_setting(db: Database, unit_id: int, languages: list[str] | None) -> None:
    """Set (or, with None, clear back to the default) a unit's languages. Its responses' languages are read
    again, and their months re-tagged, when next summarised."""
    key = _LANGUAGES_KEY.format(int(unit_id))
    with write_transaction(db):
        db.execute("UPDATE voc_responses SET language = NULL, tagged_version = NULL WHERE unit_id = ?", [unit_id])
        db.execute("DELETE FROM voc_month_state WHERE unit_id = ?", [unit_id])
        set_setting(db, key, None if languages is None else ",".join(languages))


def unit_name(db: Database, unit_id: int) -> str | None:
    row = db.execute("SELECT name FROM units WHERE id = ?", [unit_id]).fetchone()
    return row[0] if row else None


def unit_settings(db: Database, unit_id: int) -> str | None:
    """The unit's threshold overrides as stored (JSON text), or None."""
    row = db.execute("SELECT settings FROM units WHERE id = ?", [unit_id]).fetchone()
    return row[0] if row else None


def save_unit_settings(db: Database, unit_id: int, settings: str) -> None:
    """Store the unit's threshold overrides (JSON text, validated by ``meeting.config``)."""
    with write_transaction(db):
        db.execute("UPDATE units SET settings = ? WHERE id = ?", [settings, unit_id])
