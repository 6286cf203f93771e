"""Issue 20: ``python -m meeting responses`` reports each response's id, language, themes and sentiment, and the
agenda counts a theme across languages. Oracle: the hand labels of tests/fixtures/labelled/comments.csv."""
import csv
import json
from pathlib import Path

import pytest
from support.table_rows import insert_rows

from meeting import cli, importing, store
from meeting.evidence import language, months

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "comments.csv"
PERIOD = "2026-10"

# Store- and CLI-level: each test runs on SQLite and on PostgreSQL in the default run.
pytestmark = pytest.mark.both_engines


def labelled() -> list[dict]:
    with open(LABELLED, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def import_unit(db, tmp_path, unit: str, rows: list[dict]) -> None:
    source = tmp_path / f"{unit}.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Response ID", "RecordedDate", "Journey Stage", "Tell us why"])
        # Text only (no score): the sentiment is all there is to judge them by.
        for i, row in enumerate(rows):
            out.writerow([f"{unit}-{i}", f"{PERIOD}-{1 + i % 28:02d} 09:00:00", "Repair", row["text"]])
    importing.import_file(db, "voc", source, unit=unit)


def read_json(capsys, db_path, unit: str) -> list[dict]:
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "responses", "--unit", unit, "--period", PERIOD, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["responses"]


def test_responses_json_reports_language_themes_and_sentiment_as_labelled(fresh_db, db_path, tmp_path, capsys):
    rows = labelled()
    for lang in ("fr", "de", "es", "nl"):
        # A country's unit hears its own language and some English.
        import_unit(fresh_db, tmp_path, {"fr": "France", "de": "Germany", "es": "Spain", "nl": "Netherlands"}[lang],
                    [r for r in rows if r["language"] in (lang, "en")])
    for unit, lang in (("France", "fr"), ("Germany", "de"), ("Spain", "es"), ("Netherlands", "nl")):
        reported = read_json(capsys, db_path, unit)
        expected = [r for r in rows if r["language"] in (lang, "en")]
        assert len(reported) == len(expected)
        by_text = {r["narrative"]: r for r in reported}
        same_language = sum(by_text[r["text"]]["language"] == r["language"] for r in expected)
        assert same_language / len(expected) >= 0.9, unit
        polarity = {"neg": "negative", "pos": "positive", "neu": "neutral"}
        agree = sum(by_text[r["text"]]["polarity"] == polarity[r["polarity"]] for r in expected)
        assert agree / len(expected) >= 0.8, unit
        labelled_themes = sum(len([t for t in r["themes"].split(";") if t]) for r in expected)
        found = sum(len(set(by_text[r["text"]]["themes"]) & {t for t in r["themes"].split(";") if t}) for r in expected)
        assert found / labelled_themes >= 0.85, unit
        assert all(isinstance(r["id"], int) for r in reported)


def test_the_agenda_counts_a_theme_across_languages(fresh_db, tmp_path):
    rows = labelled()
    unit_id = store.get_or_create_unit(fresh_db, "Europe")
    language.set_unit_languages(fresh_db, unit_id, ["en", "fr", "de", "es", "nl"])
    import_unit(fresh_db, tmp_path, "Europe", rows)
    months.ensure_months(fresh_db, unit_id, [PERIOD])
    counted = months.month_themes(fresh_db, unit_id, PERIOD)
    labels: dict[str, int] = {}
    for row in rows:
        for theme in filter(None, row["themes"].split(";")):
            labels[theme] = labels.get(theme, 0) + 1
    big = {theme: n for theme, n in labels.items() if n >= 10}
    assert big, labels
    for theme, n in big.items():
        assert abs(counted.get(theme, 0) - n) <= 0.25 * n, (theme, counted.get(theme), n)
    top = sorted(labels, key=lambda t: (-labels[t], t))[:3]
    assert set(sorted(counted, key=lambda t: (-counted[t], t))[:3]) == set(top)


def test_languages_command_shows_and_sets_a_units_languages(fresh_db, db_path, capsys):
    store.get_or_create_unit(fresh_db, "Belgium")
    assert cli.main(["--db", str(db_path), "languages", "--unit", "Belgium"]) == 0
    assert capsys.readouterr().out.strip() == "Belgium: en, nl, fr"
    assert cli.main(["--db", str(db_path), "languages", "--unit", "Belgium", "--set", "fr,en"]) == 0
    assert capsys.readouterr().out.strip() == "Belgium: fr, en"
    assert cli.main(["--db", str(db_path), "languages", "--unit", "Belgium", "--set", "fr,xx"]) == 2


def test_a_plain_fact_complaint_takes_its_polarity_from_the_customers_score(fresh_db, db_path, capsys):
    unit = store.get_or_create_unit(fresh_db, "Scoreland")
    insert_rows(fresh_db, "voc_responses", [
        {"unit_id": unit, "source_key": f"p{i}", "received_on": f"{PERIOD}-03", "touchpoint": "Installation",
         "score": score, "scale": scale, "narrative": text}
        for i, (score, scale, text) in enumerate([
            (2, "nps", "Six weeks from order to install"),          # neutral words, a detractor
            (10, "nps", "One visit and it was done"),                # neutral words, a promoter
            (1, "csat", "The app says I owe money"),                 # neutral words, CSAT 1
            (8, "nps", "The engineer came on Tuesday"),               # a passive: neutral
            (10, "nps", "Terrible, awful, the worst service ever"),  # the words lean: they decide
            (None, None, "Installed on Tuesday"),                    # neither leans: neutral, from the text
        ])])
    got = {r["narrative"]: (r["polarity"], r["polarity_from"]) for r in read_json(capsys, db_path, "Scoreland")}
    assert got == {
        "Six weeks from order to install": ("negative", "score"),
        "One visit and it was done": ("positive", "score"),
        "The app says I owe money": ("negative", "score"),
        "The engineer came on Tuesday": ("neutral", "score"),
        "Terrible, awful, the worst service ever": ("negative", "text"),
        "Installed on Tuesday": ("neutral", "text"),
    }
