"""Issue 12: stored tags and monthly summaries give exactly what computing from the raw rows gives.

The oracle is ``tests/reference_evidence.py``: the pre-change evidence code, reading every row of the
months and tagging and scoring them on the spot. The fast path reads stored counts and candidates.
"""
import json
import re
import shutil
from pathlib import Path

import pytest
from support.reference_evidence import reference_evidence, reference_watermelons

from meeting import demo, store
from meeting.agenda.build import build_evidence
from meeting.evidence import months, tagging, taxonomy
from meeting.evidence.watermelons import detect_for_unit, result_json

ROOT = Path(__file__).resolve().parents[2]
CASES = [(unit, period) for unit in demo.PLANNED for period in ("2026-10", "2026-07", "2026-03")]


def plain(value):
    return json.loads(json.dumps(value, default=str))




@pytest.fixture(scope="module")
def demo_copy(demo_db_template, tmp_path_factory, request):
    """A copy of the demo for this module's readers (they may write month summaries): a file, or on
    PostgreSQL a database made from the demo's template."""
    if request.config.getoption("engine") == "postgresql":
        pg = request.getfixturevalue("postgres_for_tests")
        name, url = pg.new_database("demo")
        db = store.open_db(url)
        yield db
        db.close()
        pg.drop(name)
        return
    path = tmp_path_factory.mktemp("stored") / "demo.db"
    shutil.copyfile(demo_db_template, path)
    db = store.open_db(path)
    yield db
    db.close()


def as_reference(evidence) -> dict:
    """The evidence as the reference computes it: "Already known?" came after the reference was frozen
    (issue 15) and is pinned by tests/test_known.py."""
    shown = plain(evidence)
    shown["customer"].pop("already_known")
    return shown


@pytest.mark.parametrize("unit,period", CASES)
def test_agenda_evidence_from_stored_tags_equals_the_raw_rows(demo_copy, unit, period):
    unit_id = store.find_unit(demo_copy, unit)["id"]
    fast = as_reference(build_evidence(demo_copy, unit_id, period))
    assert fast == plain(reference_evidence(demo_copy, unit_id, period))
    # Not vacuous: the month has figures, themes, quotes with reasons, segments and flags to agree on.
    customer = fast["customer"]
    assert customer["summary"]["responses"]["now"] > 100 and customer["themes"] and customer["by_touchpoint"]
    assert all(len(fast[s]["customer_quotes"]) == 3 for s in fast)
    assert fast["marketing"]["segments"][0]["quotes"]


@pytest.mark.parametrize("unit,period", CASES)
def test_watermelons_from_stored_counts_equal_the_raw_rows(demo_copy, unit, period):
    unit_id = store.find_unit(demo_copy, unit)["id"]
    fast = detect_for_unit(demo_copy, unit_id, period)
    assert result_json(fast) == result_json(reference_watermelons(demo_copy, unit_id, period))
    assert fast["points"].equals(reference_watermelons(demo_copy, unit_id, period)["points"])


def test_demo_flags_have_ages_and_quotes_from_the_stored_path(demo_copy):
    unit_id = store.find_unit(demo_copy, "United Kingdom")["id"]
    flags = detect_for_unit(demo_copy, unit_id, demo.REVIEW_PERIOD)["watermelons"]
    planned = demo.PLANNED["United Kingdom"][demo.REVIEW_PERIOD]
    assert {f["touchpoint"]: f["age_months"] for f in flags} == planned["ages"]
    assert all(len(f["quotes"]) == 3 for f in flags)


@pytest.mark.parametrize("text,expected", [
    ("The bill was wrong", {"Billing refunds and credits"}),
    ("A billion thanks", set()),                                   # "bill" is not a word of "billion"
    ("I was ON HOLD for an hour", {"Waiting and delays"}),
    ("Could not log in; the portal froze", {"Systems and tools"}),
    ("no follow-up at all", {"Keeping customers informed"}),
    ("bill_2 attached", set()),                                    # _ is a word character, as in \b
    ("Café: overcharged, then refunded.", {"Billing refunds and credits"}),
    ("engineer-friendly", {"Staff attitude and knowledge"}),
    ("", set()),
])
def test_one_pass_matcher_finds_whole_keywords_like_the_regex(text, expected):
    themes = taxonomy.load_themes()
    mask = tagging.theme_masks([text], themes)[0]
    assert {t.name for i, t in enumerate(themes) if mask >> i & 1} == expected


def _tag_state(db, unit_id, period):
    start, end = f"{period}-01", f"{months.shift_period(period, 1)}-01"
    return db.execute("SELECT COUNT(*), COUNT(DISTINCT tagged_version) FROM voc_responses WHERE unit_id = ? "
                      "AND received_on >= ? AND received_on < ?", [unit_id, start, end]).fetchone()


def test_editing_the_taxonomy_retags_the_month_on_next_read(demo_db, own_taxonomy):
    db = store.open_db(demo_db)
    unit_id = store.find_unit(db, "United Kingdom")["id"]
    period = demo.REVIEW_PERIOD
    before = build_evidence(db, unit_id, period)
    assert "Engineers" not in {row["theme"] for row in before["customer"]["themes"]}
    old_version = db.execute("SELECT MAX(id) FROM taxonomy_versions").fetchone()[0]

    rows = taxonomy.theme_rows(taxonomy.load_themes())
    rows.append({"theme": "Engineers", "section": "operations", "keywords": "engineer; engineers"})
    taxonomy.save_themes(rows)
    assert months.stale_months(db, unit_id, [period]) == [period]

    after = build_evidence(db, unit_id, period)
    narratives = [row[0] for row in db.execute(
        "SELECT narrative FROM voc_responses WHERE unit_id = ? AND received_on LIKE ?", [unit_id, f"{period}%"])]
    expected = sum(1 for text in narratives if text and re.search(r"\bengineers?\b", text, re.IGNORECASE))
    assert expected > 10
    assert {row["theme"]: row["mentions"] for row in after["customer"]["themes"]}["Engineers"] == expected
    version = db.execute("SELECT MAX(id) FROM taxonomy_versions").fetchone()[0]
    assert version != old_version
    assert db.execute("SELECT DISTINCT tagged_version FROM voc_responses WHERE unit_id = ? AND received_on LIKE ?",
                      [unit_id, f"{period}%"]).fetchall() == [(version,)]
    assert as_reference(after) == plain(reference_evidence(db, unit_id, period))
    db.close()


def test_new_edited_and_deleted_rows_make_their_month_stale(demo_db):
    db = store.open_db(demo_db)
    unit_id = store.find_unit(db, "Ireland")["id"]
    period = demo.REVIEW_PERIOD

    def responses():
        months.ensure_months(db, unit_id, [period])
        return int(months.month_stats(db, unit_id, [period])["responses"].sum())

    count = responses()
    assert months.stale_months(db, unit_id, [period]) == []
    with store.write_transaction(db):  # a row in another month: this one stays valid, and stops looking
        db.execute("INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, score, scale) "
                   "VALUES (?, 'other-1', '2026-03-15', 'Billing', 9, 'nps')", [unit_id])
    assert months.stale_months(db, unit_id, [period]) == []
    newest = db.execute("SELECT MAX(id) FROM voc_responses").fetchone()[0]
    assert db.execute("SELECT max_id FROM voc_month_state WHERE unit_id = ? AND period = ?",
                      [unit_id, period]).fetchone()[0] == newest
    assert months.stale_months(db, unit_id, ["2026-03"]) == ["2026-03"]
    with store.write_transaction(db):  # as an importer writes: untagged rows
        db.execute("INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, score, scale, narrative) "
                   "VALUES (?, 'new-1', ?, 'Billing', 2, 'nps', 'Overcharged again')", [unit_id, f"{period}-15"])
    assert months.stale_months(db, unit_id, [period]) == [period]
    assert responses() == count + 1
    assert months.month_themes(db, unit_id, period)["Billing refunds and credits"] >= 1

    new_id = db.execute("SELECT id FROM voc_responses WHERE source_key = 'new-1'").fetchone()[0]
    with store.write_transaction(db):
        db.execute("UPDATE voc_responses SET narrative = 'Nothing more to add' WHERE id = ?", [new_id])
    assert months.stale_months(db, unit_id, [period]) == [period]
    assert responses() == count + 1
    assert db.execute("SELECT themes, tagged_version IS NOT NULL FROM voc_responses WHERE id = ?",
                      [new_id]).fetchone() == (0, 1)

    with store.write_transaction(db):  # moved to another month: both months are stale
        db.execute("UPDATE voc_responses SET received_on = '2026-09-30' WHERE id = ?", [new_id])
    assert months.stale_months(db, unit_id, ["2026-09", period]) == ["2026-09", period]
    assert responses() == count
    with store.write_transaction(db):
        db.execute("UPDATE voc_responses SET received_on = ? WHERE id = ?", [f"{period}-15", new_id])
    assert responses() == count + 1
    with store.write_transaction(db):
        db.execute("DELETE FROM voc_responses WHERE id = ?", [new_id])
    assert months.stale_months(db, unit_id, [period]) == [period]
    assert responses() == count
    db.close()


def test_writer_hook_tags_a_batch_and_drops_its_months(demo_db):
    db = store.open_db(demo_db)
    unit_id = store.find_unit(db, "Ireland")["id"]
    months.ensure_months(db, unit_id, ["2026-09"])
    with store.write_transaction(db):
        [written] = db.execute("INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, narrative) "
                               "VALUES (?, 'hook-1', '2026-09-03', 'Website', 'Awful, the site crashed twice') "
                               "RETURNING id", [unit_id]).fetchone()
        assert tagging.tag_written_responses(db, [written]) == 1
    themes, has_text, sentiment = db.execute("SELECT themes, has_text, sentiment FROM voc_responses WHERE id = ?",
                                             [written]).fetchone()
    names = {t.name for i, t in enumerate(taxonomy.load_themes()) if themes >> i & 1}
    assert names == {"Systems and tools"} and has_text == 1
    assert sentiment < -0.05  # no score: its words are read at once, for the narrative-only judgement
    assert months.stale_months(db, unit_id, ["2026-09"]) == ["2026-09"]
    db.close()


def test_an_import_leaves_every_month_tagged_and_summarised(fresh_db, tmp_path):
    # Tags and month summaries are computed once, as the importer writes: the first agenda after even a large
    # import reads summaries only (issue 12). Hand-made file: two months, one narrative-only response.
    source = tmp_path / "voc.csv"
    source.write_text("response_id,received_on,touchpoint,score,scale,narrative\n"
                      "r1,2026-09-03,Installation,2,nps,The engineer was late and nobody called\n"
                      "r2,2026-10-05,Billing,9,nps,Clear bill\n"
                      "r3,2026-10-06,Cancellation,,,Cancelling was slow and painful\n")
    from meeting import importing

    importing.import_file(fresh_db, "voc", source, unit="Testland")
    unit = store.find_unit(fresh_db, "Testland")["id"]
    assert fresh_db.execute("SELECT COUNT(*) FROM voc_responses WHERE tagged_version IS NULL").fetchone()[0] == 0
    assert months.stale_months(fresh_db, unit, ["2026-09", "2026-10"]) == []
    unscored = fresh_db.execute("SELECT sentiment FROM voc_responses WHERE response_id = 'r3'").fetchone()[0]
    assert unscored is not None and unscored < 0  # read once, at import: "slow and painful"
