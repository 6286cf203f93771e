"""Real exports in, right numbers out (issue 11): each tool's layout, read back from the SQLite file.

The fixtures under fixtures/import/exports/ are our own data written in each tool's layout, with its real
column names and quirks. Each test imports through the CLI as a user would type it, then reads what was stored.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from meeting import cli, importing, store
from meeting.importing import ImportFailed

EXPORTS = Path(__file__).parent / "fixtures" / "import" / "exports"


def run(db_path, *argv) -> int:
    return cli.main(["--db", str(db_path), "import", *map(str, argv)])


def stored(db_path, sql: str) -> list[dict]:
    db = store.open_db(db_path)
    try:
        return list(db.query(sql))
    finally:
        db.close()


VOC = "SELECT response_id, received_on, touchpoint, score, scale, narrative FROM voc_responses ORDER BY id"


# --------------------------------------------------------------------------------------------- silent-wrong cases

def test_qualtrics_score_is_q1_never_the_nps_group_and_non_responses_are_skipped(db_path, capsys):
    # Issue 11: Q1_NPS_GROUP (1/2/3) was taken as the score, so every customer became a detractor.
    assert run(db_path, "voc", EXPORTS / "qualtrics_nps.csv", "--unit", "Ireland") == 0
    out = capsys.readouterr().out
    assert "score <- Q1," in out and "Q1_NPS_GROUP" not in out
    assert "1 unfinished responses skipped" in out and "1 preview, test or spam responses skipped" in out
    assert stored(db_path, VOC) == [
        {"response_id": "R_3kVQ2mPz8xTnA1b", "received_on": "2026-05-03", "touchpoint": "Installation", "score": 9.0,
         "scale": "nps", "narrative": "Engineer was on time, tidy job"},
        {"response_id": "R_1dG7hLwq0sYe2Cc", "received_on": "2026-05-04", "touchpoint": "Installation", "score": 10.0,
         "scale": "nps", "narrative": None},
        {"response_id": "R_2ZmW5bQy7uNr3Dd", "received_on": "2026-05-05", "touchpoint": "Billing", "score": 3.0,
         "scale": "nps", "narrative": "Billed twice and nobody called back"},
        {"response_id": "R_5sT4uV3wX2yZ1Aa", "received_on": "2026-05-07", "touchpoint": "Moving home", "score": 7.0,
         "scale": "nps", "narrative": "Fine"},
    ]
    # Re-importing the file (or a later download of it under another name) adds nothing.
    assert run(db_path, "voc", EXPORTS / "qualtrics_nps.csv", "--unit", "Ireland") == 0
    assert "Imported 0 voc rows into Ireland (4 already there)" in capsys.readouterr().out


def test_a_column_of_group_codes_is_never_guessed_as_the_score():
    frame = importing.read_table(b"Date,Touchpoint,NPS_GROUP,Why\n2026-05-01,Billing,1,slow\n"
                                 b"2026-05-02,Billing,3,great\n", "groups.csv")
    assert importing.suggest_mapping("voc", list(frame.columns), frame)["score"] is None


def test_semicolon_file_is_european_for_every_cell(db_path):
    # Issue 11: 6,125 became 6125 while 95,5 became 95.5, and 57.300 (fifty-seven thousand) became 57.3.
    assert run(db_path, "metrics", EXPORTS / "european_metrics.csv", "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT period, name, target, actual FROM metrics ORDER BY id") == [
        {"period": "2026-05", "name": "Calls handled", "target": 55000.0, "actual": 57300.0},
        {"period": "2026-05", "name": "On time (%)", "target": 95.0, "actual": 95.5},
        {"period": "2026-06", "name": "Hours to install", "target": 6.0, "actual": 6.125},
    ]


def test_decimal_separator_the_file_cannot_show_is_asked_for(db_path, tmp_path, capsys):
    path = tmp_path / "hours.csv"
    path.write_text('period,touchpoint,name,target,actual,direction\n2026-05,Repair,Hours,"6,125","7,250",lower\n')
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 2
    assert "--decimal , (European) or --decimal . (English)" in capsys.readouterr().err
    assert stored(db_path, "SELECT COUNT(*) AS n FROM metrics") == [{"n": 0}]
    assert run(db_path, "metrics", path, "--unit", "Ireland", "--decimal", ",") == 0
    assert stored(db_path, "SELECT target, actual FROM metrics") == [{"target": 6.125, "actual": 7.25}]


def test_mixed_decimal_separators_in_one_file_are_refused(db_path, tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text("period;touchpoint;name;target;actual;direction\n2026-05;Repair;A;95,5;96.5;higher\n")
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 2
    assert "decimal comma and others a decimal dot" in capsys.readouterr().err


def _percent_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Month", "Process", "KPI", "Target", "Actual", "Better when"])
    sheet.append(["2026-05", "Installation", "On time", 0.95, 0.868, "higher"])
    sheet.append(["2026-05", "Repair", "Hours to repair", 4, 6.5, "lower"])
    for cell in ("D2", "E2"):
        sheet[cell].number_format = "0.0%"
    book.save(path)
    return path


def test_xlsx_percent_cells_are_stored_as_the_percentage_excel_shows(db_path, tmp_path):
    # Issue 11: 86.8% was stored as 0.868.
    path = _percent_workbook(tmp_path / "kpis.xlsx")
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT name, target, actual FROM metrics ORDER BY id") == [
        {"name": "On time", "target": 95.0, "actual": 86.8}, {"name": "Hours to repair", "target": 4.0, "actual": 6.5}]


def _forms_workbook(path: Path, count: int, service: str) -> Path:
    """Microsoft Forms' download: ID 1..N, Start time, Completion time, Email, Name, then the questions."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name",
                  "How likely are you to recommend us to a friend?", "What could we do better?", "Service"])
    for number in range(1, count + 1):
        sheet.append([number, dt.datetime(2026, 5, number, 9, 0), dt.datetime(2026, 5, number, 9, 4), "anonymous",
                      None, number + 2, f"Answer {number}" if number % 2 else None, service])
    book.save(path)
    return path


def test_two_microsoft_forms_exports_numbering_1_to_n_both_import_and_reimport_adds_nothing(db_path, tmp_path,
                                                                                             capsys):
    # Issue 11: the second form's responses were dropped as "already there".
    SERVICE = ("--map", "touchpoint=Service")
    first = _forms_workbook(tmp_path / "Installation survey(1-3).xlsx", 3, "Installation")
    second = _forms_workbook(tmp_path / "Billing survey(1-3).xlsx", 3, "Billing")
    assert run(db_path, "voc", first, "--unit", "Ireland", *SERVICE) == 0
    assert run(db_path, "voc", second, "--unit", "Ireland", *SERVICE) == 0
    assert run(db_path, "voc", first, "--unit", "Ireland", *SERVICE) == 0
    assert "Imported 0 voc rows into Ireland (3 already there)" in capsys.readouterr().out
    # A later download of the first form (its name counts the responses) adds only the new ones.
    later = _forms_workbook(tmp_path / "Installation survey(1-5).xlsx", 5, "Installation")
    assert run(db_path, "voc", later, "--unit", "Ireland", *SERVICE) == 0
    rows = stored(db_path, "SELECT response_id, received_on, touchpoint, score FROM voc_responses ORDER BY id")
    assert [(r["touchpoint"], r["response_id"]) for r in rows] == [
        ("Installation", "1"), ("Installation", "2"), ("Installation", "3"),
        ("Billing", "1"), ("Billing", "2"), ("Billing", "3"), ("Installation", "4"), ("Installation", "5")]
    assert [r["received_on"] for r in rows[:3]] == ["2026-05-01", "2026-05-02", "2026-05-03"]
    assert [r["score"] for r in rows[:3]] == [3.0, 4.0, 5.0]


def test_explicit_source_scopes_ids(db_path, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("ID,Date,Touchpoint,Score\n1,2026-05-01,Billing,9\n")
    assert run(db_path, "voc", path, "--unit", "Ireland", "--source", "Spring survey") == 0
    assert run(db_path, "voc", path, "--unit", "Ireland", "--source", "Autumn survey") == 0
    assert run(db_path, "voc", path, "--unit", "Ireland", "--source", "spring  survey") == 0
    assert stored(db_path, "SELECT COUNT(*) AS n FROM voc_responses") == [{"n": 2}]


def test_unit_argument_wins_over_a_country_question_in_the_cli(db_path, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Date,Touchpoint,Score,Country\n2026-05-01,Billing,9,France\n2026-05-02,Billing,3,Germany\n")
    assert run(db_path, "voc", path, "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT name FROM units") == [{"name": "Ireland"}]


def test_unknown_units_from_a_mapped_column_are_listed_and_need_create_units(db_path, tmp_path, capsys):
    path = tmp_path / "survey.csv"
    path.write_text("Date,Touchpoint,Score,Country\n2026-05-01,Billing,9,France\n2026-05-02,Billing,3,Germany\n")
    assert run(db_path, "voc", path, "--map", "unit=Country") == 2
    assert "not known yet: France, Germany" in capsys.readouterr().err
    assert stored(db_path, "SELECT COUNT(*) AS n FROM units") == [{"n": 0}]
    assert run(db_path, "voc", path, "--map", "unit=Country", "--create-units") == 0
    assert stored(db_path, "SELECT u.name, v.score FROM voc_responses v JOIN units u ON u.id = v.unit_id "
                           "ORDER BY v.id") == [{"name": "France", "score": 9.0}, {"name": "Germany", "score": 3.0}]


@pytest.mark.parametrize("kind, headers, values, field", [
    # SurveyMonkey's Collector ID is a number, not a channel.
    ("voc", ["Collector ID", "Date", "Touchpoint"], ["431876512", "2026-05-01", "Billing"], "channel"),
    # A question that mentions a team is not the team column.
    ("staff", ["Date", "Which team helped you most this month?", "Type", "Comment"],
     ["2026-05-01", "The night shift because they stayed late", "idea", "More vans"], "team"),
    # A "role" column full of numbers is suspect.
    ("staff", ["Date", "Role code", "Type", "Comment"], ["2026-05-01", "4411", "idea", "More vans"], "role"),
])
def test_keyword_guesses_are_checked(kind, headers, values, field):
    frame = importing.read_table((",".join(headers) + "\n" + ",".join(values) + "\n").encode(), "x.csv")
    assert importing.suggest_mapping(kind, list(frame.columns), frame)[field] is None


def test_dry_run_prints_mapping_rows_and_counts_and_writes_nothing(db_path, capsys):
    assert run(db_path, "voc", EXPORTS / "qualtrics_nps.csv", "--unit", "Ireland", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Mapping: response_id <- ResponseId, received_on <- RecordedDate" in out
    assert "R_3kVQ2mPz8xTnA1b" in out and "2026-05-03" in out
    assert "4 rows would be imported; 2 skipped; 0 refused" in out
    assert stored(db_path, "SELECT COUNT(*) AS n FROM voc_responses") == [{"n": 0}]
    assert stored(db_path, "SELECT COUNT(*) AS n FROM units") == [{"n": 0}]
