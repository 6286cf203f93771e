"""The editable taxonomy: loading, alias keys, saving edits with row-and-column errors, and the page."""
from pathlib import Path

import pytest
from support.gm_app import open_as_gm

from meeting.evidence import taxonomy

ROOT = Path(__file__).resolve().parents[2]




@pytest.mark.parametrize("label,key", [("Install", "installation"), ("  INSTALLATION ", "installation"),
                                       ("Contact Centre", "support call"), ("Unheard-of stage", "unheard-of stage")])
def test_touchpoint_keys_merge_aliases_case_and_spaces(label, key):
    assert taxonomy.touchpoint_key(label, taxonomy.load_touchpoints()) == key


def test_saved_themes_are_what_the_evidence_reads_next(own_taxonomy):
    rows = taxonomy.theme_rows(taxonomy.load_themes())
    rows.append({"theme": "Parking", "section": "Operations", "keywords": "car park; parking"})
    saved = taxonomy.save_themes(rows)
    assert saved[-1] == taxonomy.Theme("Parking", "operations", ("car park", "parking"))
    assert taxonomy.load_themes()[-1].name == "Parking"
    assert not (ROOT / "meeting" / "data" / "themes.csv").read_text(encoding="utf-8").count("Parking")


def test_bad_theme_edits_name_row_and_column_and_write_nothing(own_taxonomy):
    before = (own_taxonomy / "themes.csv").read_bytes()
    rows = taxonomy.theme_rows(taxonomy.load_themes())
    rows.append({"theme": "Board", "section": "boardroom", "keywords": ""})
    with pytest.raises(ValueError) as raised:
        taxonomy.save_themes(rows)
    line = len(rows) + 1
    assert f"themes.csv row {line}, column section: 'boardroom'" in str(raised.value)
    assert f"themes.csv row {line}, column keywords" in str(raised.value)
    assert (own_taxonomy / "themes.csv").read_bytes() == before


def test_touchpoints_round_trip_with_moments_of_truth(own_taxonomy):
    rows = taxonomy.touchpoint_rows(taxonomy.load_touchpoints())
    rows.append({"touchpoint": "Check-in", "section": "operations", "moment_of_truth": True, "aliases": "arrival; reception"})
    taxonomy.save_touchpoints(rows)
    rules = taxonomy.load_touchpoints()
    assert taxonomy.is_moment_of_truth("Reception", rules)
    assert taxonomy.touchpoint_section("arrival", rules, taxonomy.load_themes()) == "operations"


def test_taxonomy_page_saves_an_edit(own_taxonomy, db_path):
    at = open_as_gm("taxonomy.py")
    rows = taxonomy.theme_rows(taxonomy.load_themes())
    rows[0]["keywords"] += "; queue"
    at.session_state["themes_editor_rows"] = rows
    at.button(key="save_themes").click().run()
    assert not at.exception and at.success
    assert "queue" in taxonomy.load_themes()[0].keywords
