"""The store functions the evidence and import stages call (issue 23), checked against the database read back
with the engine's own driver (sqlite3 or psycopg): what the rows must be is written out by hand here, not
derived from the store. On both engines."""
from __future__ import annotations

import pytest
from support.table_rows import plain_connection, plain_read

from meeting import store
from meeting.store import batches, evidence, imports, settings, units

_read = plain_read
# SQLite's order for a NULL scale (first); PostgreSQL puts NULLs last unless told.
NULL_SCALE_FIRST = "CASE WHEN scale IS NULL THEN 0 ELSE 1 END, scale"

pytestmark = pytest.mark.both_engines


@pytest.fixture
def unit(fresh_db):
    return units.get_or_create_unit(fresh_db, "Ireland")


def _add_responses(db_path, unit_id, rows):
    """rows: (received_on, touchpoint, segment, score, scale, has_text, sentiment), written straight to the file."""
    with plain_connection(db_path) as conn:
        conn.executemany(
            "INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, segment, score, scale, narrative, "
            "has_text, sentiment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(unit_id, f"k{i}", on, touchpoint, segment, score, scale, "words" if text else None, text, sentiment)
             for i, (on, touchpoint, segment, score, scale, text, sentiment) in enumerate(rows)])


def test_setting_is_written_kept_replaced_and_removed(fresh_db, db_path):
    with store.write_transaction(fresh_db):
        assert settings.set_setting(fresh_db, "retention", "30") is True
        assert settings.set_setting(fresh_db, "retention", "90", replace=False) is False  # kept: already there
    assert _read(db_path, "SELECT key, value FROM app_settings WHERE key = 'retention'") == [("retention", "30")]
    with store.write_transaction(fresh_db):
        settings.set_setting(fresh_db, "retention", "90")
    assert settings.get_setting(fresh_db, "retention") == "90"
    with store.write_transaction(fresh_db):
        settings.set_setting(fresh_db, "retention", None)
    assert _read(db_path, "SELECT value FROM app_settings WHERE key = 'retention'") == []
    assert settings.get_setting(fresh_db, "retention") is None


def test_unit_is_found_whatever_its_case_and_created_once(fresh_db, db_path, unit):
    assert units.get_or_create_unit(fresh_db, "  IRELAND ") == unit
    assert units.find_unit(fresh_db, "ireland")["id"] == unit
    other = units.get_or_create_unit(fresh_db, "Spain")
    assert _read(db_path, "SELECT id, name FROM units ORDER BY id") == [(unit, "Ireland"), (other, "Spain")]


def test_metrics_insert_leaves_or_replaces_rows_already_there(fresh_db, db_path, unit):
    columns = ["unit_id", "period", "touchpoint", "name", "target", "actual", "direction"]
    key = ["unit_id", "period", "touchpoint", "name"]
    with store.write_transaction(fresh_db):
        imports.insert_rows(fresh_db, "metrics", columns, [(unit, "2026-03", "Billing", "Bills right", 98, 97, "higher"),
                                                           (unit, "2026-04", "Billing", "Bills right", 98, 99, "higher")],
                            key)
        imports.insert_rows(fresh_db, "metrics", columns, [(unit, "2026-03", "Billing", "Bills right", 98, 50, "higher")],
                            key)  # DO NOTHING: 97 stays
    assert _read(db_path, "SELECT period, actual FROM metrics ORDER BY period") == [("2026-03", 97.0), ("2026-04", 99.0)]
    with store.write_transaction(fresh_db):
        imports.insert_rows(fresh_db, "metrics", columns, [(unit, "2026-03", "Billing", "Bills right", 95, 50, "higher")],
                            key, ["target", "actual"])
    assert _read(db_path, "SELECT period, target, actual FROM metrics ORDER BY period") == [
        ("2026-03", 95.0, 50.0), ("2026-04", 98.0, 99.0)]
    assert imports.count_rows(fresh_db, "metrics") == 2
    first = _read(db_path, "SELECT MIN(id) FROM metrics")[0][0]
    assert imports.count_after(fresh_db, "metrics", first) == 1
    with store.write_transaction(fresh_db):
        assert imports.delete_metric_months(fresh_db, unit, "Bills right", ["2026-04", "2026-05"]) == 1
    assert _read(db_path, "SELECT period FROM metrics") == [("2026-03",)]


def test_insert_refuses_a_table_or_column_an_import_does_not_write(fresh_db):
    with pytest.raises(ValueError):
        imports.insert_statement("users", ["name"], ["name"])
    with pytest.raises(ValueError):
        imports.insert_statement("metrics", ["name; DROP TABLE units"], ["name"])


def test_a_month_is_counted_per_label_segment_and_scale(fresh_db, db_path, unit):
    _add_responses(db_path, unit, [
        ("2026-03-02", "Billing", "Home", 10, "nps", 1, None),    # promoter
        ("2026-03-01", "Billing", "Home", 3, "nps", 1, -0.6),     # detractor, earliest
        ("2026-03-05", "Billing", "Home", 8, "nps", 0, None),     # passive, no text
        ("2026-03-09", "Billing", "Home", None, None, 1, -0.5),   # unscored narrative, negative
        ("2026-03-09", "Billing", "Home", 2, "csat", 1, 0.4),     # CSAT low
        ("2026-04-01", "Billing", "Home", 0, "nps", 1, None),     # next month: not counted
    ])
    with store.write_transaction(fresh_db, changes_evidence=False):
        evidence.count_month(fresh_db, unit, "2026-03", "2026-03-01", "2026-04-01", promoter_min=9, detractor_max=6,
                             negative_below=-0.05)
    rows = _read(db_path, "SELECT scale, first_seen, first_id, responses, scored, promoters, detractors, score_sum, "
                          "low_scores, narratives, negatives, score_squares FROM voc_month_stats "
                          "WHERE unit_id = ? AND period = '2026-03' ORDER BY " + NULL_SCALE_FIRST, [unit])
    first = _read(db_path, "SELECT MIN(id) FROM voc_responses")[0][0]
    assert rows == [
        # the unscored row: counted, not scored; its narrative is negative
        (None, f"2026-03-09#{first + 3:015d}", first + 3, 1, 0, 0, 0, 0.0, 0, 1, 1, 0.0),
        ("csat", f"2026-03-09#{first + 4:015d}", first + 4, 1, 1, 0, 1, 2.0, 1, 1, 0, 4.0),
        ("nps", f"2026-03-01#{first + 1:015d}", first, 3, 3, 1, 1, 21.0, 0, 2, 1, 173.0),
    ]
    assert [tuple(r) for r in evidence.month_stats_rows(fresh_db, unit, ["2026-03"])] == [
        tuple(r) for r in _read(db_path, "SELECT period, touchpoint, segment, scale, first_seen, first_id, responses, "
                                         "scored, promoters, detractors, score_sum, low_scores, narratives, negatives, "
                                         "score_squares FROM voc_month_stats ORDER BY " + NULL_SCALE_FIRST)]


def test_month_state_is_upserted_and_only_ever_advanced(fresh_db, db_path, unit):
    with store.write_transaction(fresh_db, changes_evidence=False):
        evidence.save_month_state(fresh_db, unit, "2026-03", 1, False, 10)
        evidence.save_month_state(fresh_db, unit, "2026-03", 2, True, 20)  # rebuilt: replaces the row
    assert _read(db_path, "SELECT period, version, candidates, max_id FROM voc_month_state") == [("2026-03", 2, 1, 20)]
    evidence.advance_month_states(fresh_db, unit, ["2026-03"], 15)  # lower than stored: stays 20
    assert _read(db_path, "SELECT max_id FROM voc_month_state") == [(20,)]
    evidence.advance_month_states(fresh_db, unit, ["2026-03"], 42)
    assert _read(db_path, "SELECT max_id FROM voc_month_state") == [(42,)]
    assert evidence.month_states(fresh_db, unit, ["2026-03", "2026-04"]) == {"2026-03": (2, 1, 42)}
    assert evidence.month_states(fresh_db, unit, []) == {}


def test_batch_is_listed_for_its_unit_named_in_any_case(fresh_db, db_path, unit):
    with store.write_transaction(fresh_db):
        batch = batches.start_batch(fresh_db, "voc", "survey.csv", "2026-03-04T10:00:00+00:00", "gm")
        batches.finish_batch(fresh_db, batch, rows=3, inserted=0, replaced=0, units=["IRELAND"])
    assert _read(db_path, "SELECT id, kind, file, units FROM import_batches") == [(batch, "voc", "survey.csv", "IRELAND")]
    assert [b.id for b in batches.list_batches(fresh_db, unit)] == [batch]
    assert batches.list_batches(fresh_db, units.get_or_create_unit(fresh_db, "Spain")) == []
