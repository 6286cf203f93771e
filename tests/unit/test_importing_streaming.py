"""Large VoC files are imported in chunks (issue 12): the stored rows must be exactly what a whole-file import
stores, and a problem in any chunk must leave nothing written. Chunks of 2 rows stand in for 100,000."""
from __future__ import annotations

from pathlib import Path

import pytest
from support.table_rows import count_rows

from meeting import importing, store
from meeting.importing import ImportFailed, streaming

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "exports"
ROWS = ("SELECT u.name AS unit, v.source_key, v.response_id, v.received_on, v.channel, v.touchpoint, v.segment, "
        "v.customer_ref, v.score, v.scale, v.narrative FROM voc_responses v JOIN units u ON u.id = v.unit_id "
        "ORDER BY v.id")


@pytest.fixture
def chunked(monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)


def both_ways(tmp_path, monkeypatch, path, **kwargs):
    """(rows, result) imported whole, then (rows, result) imported in chunks, each into a fresh database."""
    out = []
    for stream in (False, True):
        monkeypatch.setattr(streaming, "STREAM_BYTES", 0 if stream else 10**12)
        monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)
        db = store.open_db(tmp_path / f"{stream}.db")
        result = importing.import_file(db, "voc", path, **kwargs)
        out.append((list(db.query(ROWS)), result, dict(result.skipped)))
        db.close()
    return out


@pytest.mark.parametrize("name, kwargs", [
    ("qualtrics_nps.csv", {"unit": "Ireland"}),
    ("qualtrics_legacy.csv", {"unit": "Ireland", "mapping": {"score": "Q1", "narrative": "Q2", "touchpoint": "Q3"}}),
    ("surveymonkey.csv", {"unit": "Ireland", "mapping": {"touchpoint": "Which part of our service was this about?"}}),
    ("google_forms.csv", {"unit": "Ireland", "mapping": {"touchpoint": "Which service was this about?"}}),
    ("typeform.csv", {"unit": "Ireland", "mapping": {"touchpoint": "Which service?"}}),
])
def test_chunks_store_exactly_what_a_whole_file_stores(tmp_path, monkeypatch, name, kwargs):
    (whole, whole_result, whole_skipped), (chunks, chunk_result, chunk_skipped) = both_ways(
        tmp_path, monkeypatch, EXPORTS / name, **kwargs)
    assert whole and chunks == whole
    assert (chunk_result.inserted, chunk_result.duplicates, chunk_result.units) == \
        (whole_result.inserted, whole_result.duplicates, whole_result.units)
    assert chunk_skipped == whole_skipped
    assert dict(chunk_result.mapping) == dict(whole_result.mapping)


def test_decisions_the_first_chunk_cannot_make_come_from_the_whole_file(tmp_path, monkeypatch):
    # Chunk 1 (rows 2-3) has no day above 12 and only scores 1-5; row 5 shows day-first and NPS.
    path = tmp_path / "late.csv"
    path.write_text("Date,Touchpoint,Score\n03/04/2026,Billing,4\n05/06/2026,Billing,2\n07/08/2026,Repair,3\n"
                    "25/08/2026,Repair,9\n")
    (whole, *_), (chunks, *_) = both_ways(tmp_path, monkeypatch, path, unit="Ireland")
    assert [(r["received_on"], r["score"], r["scale"]) for r in chunks] == [
        ("2026-04-03", 4.0, "nps"), ("2026-06-05", 2.0, "nps"), ("2026-08-07", 3.0, "nps"), ("2026-08-25", 9.0, "nps")]
    assert chunks == whole


def test_a_bad_row_in_a_later_chunk_leaves_nothing_written(fresh_db, tmp_path, chunked):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Touchpoint,Score\n2026-05-01,Billing,9\n2026-05-02,Billing,3\n2026-05-03,Repair,7\n"
                    "yesterday,Repair,8\n")
    with pytest.raises(ImportFailed, match="bad.csv, row 5, column 'Date': 'yesterday' is not a date"):
        importing.import_file(fresh_db, "voc", path, unit="Ireland")
    assert count_rows(fresh_db, "voc_responses") == 0 and count_rows(fresh_db, "units") == 0


def test_an_id_repeated_across_chunks_is_refused_with_both_rows(fresh_db, tmp_path, chunked):
    path = tmp_path / "dup.csv"
    path.write_text("Response ID,Date,Touchpoint,Score\nR_100000001,2026-05-01,Billing,9\n"
                    "R_100000002,2026-05-02,Billing,3\nR_100000001,2026-05-03,Repair,7\n")
    with pytest.raises(ImportFailed, match="row 4, column 'response_id': duplicate response_id: rows 2 and 4"):
        importing.import_file(fresh_db, "voc", path, unit="Ireland")
    assert count_rows(fresh_db, "voc_responses") == 0


def test_reimport_in_chunks_adds_nothing(fresh_db, chunked):
    first = importing.import_file(fresh_db, "voc", EXPORTS / "qualtrics_nps.csv", unit="Ireland")
    again = importing.import_file(fresh_db, "voc", EXPORTS / "qualtrics_nps.csv", unit="Ireland")
    assert (first.inserted, first.duplicates, again.inserted, again.duplicates) == (4, 0, 0, 4)
