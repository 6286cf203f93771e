"""Issue 20: each response's language, detected offline among its unit's languages, stored at import, and
read by the tagger with that language's cues. The oracle is tests/fixtures/labelled/comments.csv: comments
written by hand (varied phrasing, negation, compounds, typos, one-word ones) and labelled by hand with their
language, themes and polarity, never derived from the taxonomy's cues."""
import csv
from pathlib import Path

import pytest

from meeting import importing, store
from meeting.evidence import language, tagging, taxonomy

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "comments.csv"
OTHER = ("fr", "de", "es", "nl")


def labelled(lang: str | None = None) -> list[dict]:
    with open(LABELLED, newline="", encoding="utf-8") as handle:
        rows = [{**row, "themes": {t for t in row["themes"].split(";") if t}} for row in csv.DictReader(handle)]
    return [row for row in rows if lang is None or row["language"] == lang]


def themes_of(text: str, lang: str | None) -> set[str]:
    themes = taxonomy.load_themes()
    mask = tagging.matcher(themes).mask(text, lang)
    return {theme.name for i, theme in enumerate(themes) if mask >> i & 1}


@pytest.mark.parametrize("name,expected", [
    ("United Kingdom", ("en",)), ("Ireland", ("en",)), ("France", ("en", "fr")), ("Germany North", ("en", "de")),
    ("DACH", ("en", "de")), ("España", ("en", "es")), ("Netherlands", ("en", "nl")),
    ("Belgium", ("en", "nl", "fr")), ("Schweiz", ("en", "de", "fr")), ("Lyon", ("en",)),
])
def test_a_units_default_languages_are_english_and_its_countrys(name, expected):
    assert language.languages_for_name(name) == expected


def test_a_units_language_setting_overrides_the_default_and_is_validated(fresh_db):
    unit_id = store.get_or_create_unit(fresh_db, "Lyon")
    assert language.unit_languages(fresh_db, unit_id) == ("en",)
    assert language.set_unit_languages(fresh_db, unit_id, ["FR", "en", "fr"]) == ("fr", "en")
    with pytest.raises(ValueError, match="tl"):
        language.set_unit_languages(fresh_db, unit_id, ["fr", "tl"])
    assert language.unit_languages(fresh_db, unit_id) == ("fr", "en")
    assert language.set_unit_languages(fresh_db, unit_id, None) == ("en",)


@pytest.mark.parametrize("lang", OTHER)
def test_detection_among_a_units_languages_reads_short_comments(lang):
    # English comments are read by the same bilingual unit: both directions of the confusion count.
    rows = labelled(lang) + labelled("en")
    found = language.detect_languages([row["text"] for row in rows], ("en", lang))
    right = sum(f == row["language"] for f, row in zip(found, rows))
    assert right / len(rows) >= 0.95, [(row["text"], f) for f, row in zip(found, rows) if f != row["language"]]


def test_detection_without_reading_where_there_is_nothing_to_read():
    assert language.detect_languages(["Très bien", None, "  ", "10/10 :-)"], ("en",)) == ["en", None, None, "en"]
    # No letters: the unit's country's language, the likeliest writer.
    assert language.detect_languages(["10/10 :-)"], ("en", "de")) == ["de"]


VOC_CSV = """Response ID,RecordedDate,Journey Stage,Likelihood to recommend (0-10),Tell us why
R1,2026-10-03 10:00:00,Installation,2,Le technicien est arrivé avec trois heures de retard et personne ne nous a prévenus
R2,2026-10-04 10:00:00,Billing,9,Great service and a clear bill
R3,2026-10-05 10:00:00,Billing,3,Facturé deux fois ce mois-ci
R4,2026-10-06 10:00:00,Repair,8,
"""


def test_import_stores_each_responses_language_and_tags_it_in_that_language(fresh_db, tmp_path):
    source = tmp_path / "voc.csv"
    source.write_text(VOC_CSV, encoding="utf-8")
    importing.import_file(fresh_db, "voc", source, unit="France")
    rows = {row["response_id"]: row for row in fresh_db.query(
        "SELECT response_id, language, themes, tagged_version FROM voc_responses")}
    assert {key: row["language"] for key, row in rows.items()} == {"R1": "fr", "R2": "en", "R3": "fr", "R4": None}
    names = [theme.name for theme in taxonomy.load_themes()]

    def tagged(key):
        return {name for i, name in enumerate(names) if rows[key]["themes"] >> i & 1}

    assert {"Waiting and delays", "Keeping customers informed"} <= tagged("R1")
    assert "Billing refunds and credits" in tagged("R3")
    assert all(row["tagged_version"] is not None for row in rows.values())


def test_an_edited_narrative_has_its_language_read_again(fresh_db, tmp_path):
    source = tmp_path / "voc.csv"
    source.write_text(VOC_CSV, encoding="utf-8")
    importing.import_file(fresh_db, "voc", source, unit="France")
    with store.write_transaction(fresh_db):
        fresh_db.execute("UPDATE voc_responses SET narrative = 'The engineer never came' WHERE response_id = 'R1'")
    assert fresh_db.execute("SELECT language FROM voc_responses WHERE response_id = 'R1'").fetchone()[0] is None


def test_each_quote_says_the_language_it_was_written_in():
    from meeting import render

    quote = {"text": "Facturé deux fois", "touchpoint": "Billing", "channel": "email", "received_on": "2026-10-03",
             "score": 2.0, "scale": "nps", "why": "theme: Billing refunds and credits", "language": "fr"}
    assert render.quote_meta(quote) == "Billing · email · 2026-10-03 · 2/10 · French · why: theme: Billing refunds and credits"
    assert "French" not in render.quote_meta({**quote, "language": None})


def test_a_text_whose_function_words_are_one_languages_needs_no_model(monkeypatch):
    def no_model(_languages):
        raise AssertionError("the model was asked")

    monkeypatch.setattr(language, "_identifier", no_model)
    assert language.detect_languages(["Le technicien est venu et il a tout réparé",
                                      "The engineer came and he fixed it for us"], ("en", "fr")) == ["fr", "en"]
    # One function word is not enough to be sure: this goes to the model.
    with pytest.raises(AssertionError, match="model"):
        language.detect_languages(["de factuur"], ("en", "nl", "fr"))
