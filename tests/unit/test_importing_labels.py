"""Exports as CX teams bring them (issue 25): scores written as labels, mixed percentages, accounting numbers,
one message per problem. Every file is written here, in the layout its tool documents."""
from __future__ import annotations

import pytest

from meeting import cli, store


def run(db_path, path, *argv) -> int:
    return cli.main(["--db", str(db_path), "import", *map(str, (argv[0], path, *argv[1:]))])


def stored(db_path, sql: str) -> list[tuple]:
    db = store.open_db(db_path)
    try:
        return [tuple(r.values()) for r in db.query(sql)]
    finally:
        db.close()


SCORES = "SELECT score, scale, narrative FROM voc_responses ORDER BY id"


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# --------------------------------------------------------------------------------------------- scores as labels

def test_zendesk_two_point_satisfaction_is_read_onto_csat_and_a_rating_without_comment_is_kept(db_path, tmp_path):
    path = write(tmp_path, "zendesk_satisfaction.csv",
                 "Ticket ID,Ticket created - Date,Ticket group,Satisfaction rating,Satisfaction comment\n"
                 "4101,2026-05-02,Billing,\"Good, I'm satisfied\",Sorted on the first call\n"
                 "4102,2026-05-03,Billing,\"Bad, I'm unsatisfied\",\n"
                 "4103,2026-05-04,Repairs,\"Good, I’m satisfied\",\n"
                 "4104,2026-05-05,Repairs,Offered,\n")
    assert run(db_path, path, "voc", "--unit", "Ireland", "--map", "touchpoint=Ticket group") == 0
    # Good = 5 and Bad = 1 on CSAT; "Offered" is a survey sent and never answered: no score, no comment.
    assert stored(db_path, SCORES) == [(5.0, "csat", "Sorted on the first call"), (1.0, "csat", None),
                                       (5.0, "csat", None)]


def test_surveymonkey_answer_text_five_point_satisfaction(db_path, tmp_path):
    path = write(tmp_path, "sm_answers.csv",
                 "Respondent ID,Collector ID,Start Date,End Date,Overall how satisfied are you with us?,"
                 "Which part of our service was this about?\n"
                 ",,,,Response,Response\n"
                 "114100000001,431800001,05/13/2026 10:22:13 AM,05/13/2026 10:25:40 AM,Very satisfied,Billing\n"
                 "114100000002,431800001,05/14/2026 10:22:13 AM,05/14/2026 10:25:40 AM,Somewhat dissatisfied,Billing\n"
                 "114100000003,431800001,05/15/2026 10:22:13 AM,05/15/2026 10:25:40 AM,"
                 "Neither satisfied nor dissatisfied,Repairs\n"
                 "114100000004,431800001,05/16/2026 10:22:13 AM,05/16/2026 10:25:40 AM,Very dissatisfied,Repairs\n"
                 "114100000005,431800001,05/17/2026 10:22:13 AM,05/17/2026 10:25:40 AM,Somewhat satisfied,Repairs\n")
    assert run(db_path, path, "voc", "--unit", "Ireland",
               "--map", "touchpoint=Which part of our service was this about?") == 0
    assert stored(db_path, SCORES) == [(5.0, "csat", None), (2.0, "csat", None), (3.0, "csat", None),
                                       (1.0, "csat", None), (4.0, "csat", None)]


@pytest.mark.parametrize("labels, expected", [
    (("Très satisfait", "Plutôt insatisfait", "Très insatisfait"), [5.0, 2.0, 1.0]),
    (("Sehr zufrieden", "Eher unzufrieden", "Weder zufrieden noch unzufrieden"), [5.0, 2.0, 3.0]),
    (("Muy satisfecho", "Insatisfecho", "Satisfecho"), [5.0, 2.0, 4.0]),
    (("Zeer tevreden", "Ontevreden", "Neutraal"), [5.0, 2.0, 3.0]),
    (("Extremely likely", "Not so likely", "Somewhat likely"), [5.0, 2.0, 3.0]),
    (("Äußerst wahrscheinlich", "Überhaupt nicht wahrscheinlich", "Sehr wahrscheinlich"), [5.0, 1.0, 4.0]),
])
def test_five_point_wordings_in_the_divisions_languages(db_path, tmp_path, labels, expected):
    rows = "".join(f"2026-05-0{i + 1},Billing,{label}\n" for i, label in enumerate(labels))
    path = write(tmp_path, "answers.csv", "Date,Touchpoint,Satisfaction\n" + rows)
    assert run(db_path, path, "voc", "--unit", "Ireland") == 0
    assert [s for s, _, _ in stored(db_path, SCORES)] == expected
    assert {scale for _, scale, _ in stored(db_path, SCORES)} == {"csat"}


def test_qualtrics_0_10_with_end_labels_as_choice_text_and_numbered_labels(db_path, tmp_path):
    path = write(tmp_path, "nps_text.csv",
                 "Date,Touchpoint,How likely are you to recommend us?\n"
                 "2026-05-01,Billing,Extremely likely\n2026-05-02,Billing,7\n2026-05-03,Billing,Not at all likely\n"
                 "2026-05-04,Billing,0 - Not at all likely\n2026-05-05,Billing,10 - Extremely likely\n")
    assert run(db_path, path, "voc", "--unit", "Ireland") == 0
    assert stored(db_path, SCORES) == [(10.0, "nps", None), (7.0, "nps", None), (0.0, "nps", None),
                                       (0.0, "nps", None), (10.0, "nps", None)]


def test_an_unknown_label_set_is_refused_naming_the_labels_and_then_read_in_the_order_given(db_path, tmp_path,
                                                                                           capsys):
    path = write(tmp_path, "custom.csv", "Date,Touchpoint,Rating\n2026-05-01,Billing,Meh\n"
                                         "2026-05-02,Billing,Brilliant\n2026-05-03,Billing,Awful\n")
    assert run(db_path, path, "voc", "--unit", "Ireland") == 2
    err = capsys.readouterr().err
    assert "'Meh', 'Brilliant', 'Awful'" in err and "--score-labels" in err
    assert err.count("\n") < 6  # said once for the column, not once per row
    assert stored(db_path, SCORES) == []
    assert run(db_path, path, "voc", "--unit", "Ireland", "--score-labels", "Awful,Meh,Brilliant") == 0
    assert stored(db_path, SCORES) == [(3.0, "csat", None), (5.0, "csat", None), (1.0, "csat", None)]


# --------------------------------------------------------------------------------------------- one percent unit

METRICS = "SELECT name, target, actual FROM metrics ORDER BY period, name"


def test_a_percent_column_mixing_percent_signs_and_pasted_fractions_is_refused_then_read_as_told(db_path, tmp_path,
                                                                                                 capsys):
    path = write(tmp_path, "kpis.csv", "Period,Touchpoint,Metric,Target,Actual,Direction\n"
                                       "2026-04,Installation,On-time installs,95,96.2%,higher\n"
                                       "2026-05,Installation,On-time installs,95,0.944,higher\n"
                                       "2026-06,Installation,On-time installs,95,93.1%,higher\n")
    assert run(db_path, path, "metrics", "--unit", "Ireland") == 2
    err = capsys.readouterr().err
    assert "'96.2%'" in err and "'0.944'" in err and "rows 2, 4" in err and "row 3" in err
    assert "--percent-as fraction" in err and stored(db_path, METRICS) == []
    assert run(db_path, path, "metrics", "--unit", "Ireland", "--percent-as", "fraction") == 0
    assert [actual for _, _, actual in stored(db_path, METRICS)] == [96.2, pytest.approx(94.4), 93.1]


def test_a_percentage_metric_mixing_0_1_and_0_100_values_is_refused(db_path, tmp_path, capsys):
    path = write(tmp_path, "kpis.csv", "Period,Touchpoint,Metric,Target,Actual,Direction\n"
                                       "2026-04,Billing,First contact resolution rate,90,0.87,higher\n"
                                       "2026-05,Billing,First contact resolution rate,90,91,higher\n"
                                       "2026-05,Billing,Hours to answer,0.5,4,lower\n")
    assert run(db_path, path, "metrics", "--unit", "Ireland") == 2
    err = capsys.readouterr().err
    assert "First contact resolution rate" in err and "--percent-as" in err and "Hours to answer" not in err
    assert run(db_path, path, "metrics", "--unit", "Ireland", "--percent-as", "points") == 0
    assert stored(db_path, METRICS) == [("First contact resolution rate", 90.0, 0.87),
                                        ("First contact resolution rate", 90.0, 91.0), ("Hours to answer", 0.5, 4.0)]


def test_xlsx_percent_cells_beside_bare_fractions_are_caught(db_path, tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Period", "Touchpoint", "Metric", "Target", "Actual", "Direction"])
    sheet.append(["2026-04", "Repairs", "Fixed first visit", 0.9, 0.92, "higher"])
    sheet.append(["2026-05", "Repairs", "Fixed first visit", 0.9, 0.88, "higher"])
    for cell in ("D2", "E2", "D3"):
        sheet[cell].number_format = "0.0%"
    path = tmp_path / "kpi.xlsx"
    book.save(path)
    assert run(db_path, path, "metrics", "--unit", "Ireland") == 2
    assert "row 3" in capsys.readouterr().err
    assert run(db_path, path, "metrics", "--unit", "Ireland", "--percent-as", "fraction") == 0
    assert stored(db_path, METRICS) == [("Fixed first visit", 90.0, 92.0), ("Fixed first visit", 90.0, 88.0)]


# --------------------------------------------------------------------------------------------- accounting forms

FINANCE = "SELECT line, actual, budget FROM finance ORDER BY id"


def test_accounting_negatives_currency_codes_and_narrow_spaces_are_read_as_numbers(db_path, tmp_path):
    path = write(tmp_path, "finance.csv", "Period,Line,Actual,Budget\n"
                                          "2026-05,Service credits £,\"(£12,340.00)\",\"£10,000.00\"\n"
                                          "2026-05,Field engineers £,\"£ 48,210.50\",GBP 50000\n"
                                          "2026-05,Refunds £,\"1\u202f250.00 GBP\",\"(1,000.00)\"\n")
    assert run(db_path, path, "finance", "--unit", "UK") == 0
    assert stored(db_path, FINANCE) == [("Service credits £", -12340.0, 10000.0),
                                        ("Field engineers £", 48210.5, 50000.0), ("Refunds £", 1250.0, -1000.0)]


def test_european_accounting_forms_in_a_semicolon_file(db_path, tmp_path):
    path = write(tmp_path, "finance_fr.csv", "sep=;\nPeriod;Line;Actual;Budget\n"
                                             "2026-05;Remises EUR;(12\u202f340,00 €);10\u00a0000,00 €\n"
                                             "2026-05;Techniciens EUR;48\u202f210,50 €;EUR 50\u202f000,00\n"
                                             "2026-05;Avoirs EUR;\u22121\u202f500,00 €;\u22121\u202f000,00 €\n")
    assert run(db_path, path, "finance", "--unit", "France") == 0
    assert stored(db_path, FINANCE) == [("Remises EUR", -12340.0, 10000.0), ("Techniciens EUR", 48210.5, 50000.0),
                                        ("Avoirs EUR", -1500.0, -1000.0)]


def test_amounts_in_another_currency_than_their_line_or_mixed_are_refused_and_named(db_path, tmp_path, capsys):
    path = write(tmp_path, "finance.csv", "Period,Line,Actual,Budget\n"
                                          "2026-05,Revenue (EUR),\"£12,340.00\",\"€10,000.00\"\n"
                                          "2026-05,Costs (EUR),\"€1,000.00\",\"€900.00\"\n")
    assert run(db_path, path, "finance", "--unit", "Ireland") == 2
    err = capsys.readouterr().err
    assert "GBP (row 2)" in err and "EUR (row 3)" in err
    path = write(tmp_path, "finance2.csv", "Period,Line,Actual,Budget\n2026-05,Revenue (EUR),\"£12,340.00\",\"£1\"\n")
    assert run(db_path, path, "finance", "--unit", "Ireland") == 2
    assert "in GBP but their line names EUR" in capsys.readouterr().err
    assert stored(db_path, FINANCE) == []


# --------------------------------------------------------------------------------------------- messages grouped

def test_twenty_rows_with_one_problem_give_one_line_with_their_rows_a_count_and_what_to_do(db_path, tmp_path,
                                                                                           capsys):
    rows = "".join(f"2026-05-{day:02d},,9,fine\n" for day in range(1, 19)) + "2026-05-20,,8,ok\nyesterday,Billing,7,\n"
    path = write(tmp_path, "voc.csv", "Date,Category,Score,Comment\n" + rows)
    assert run(db_path, path, "voc", "--unit", "Ireland", "--map", "touchpoint=Category") == 2
    err = capsys.readouterr().err.splitlines()
    empty = [line for line in err if "touchpoint is empty" in line]
    assert len(empty) == 1 and "19 rows (rows 2-19, 20)" not in empty[0]
    assert "19 rows (rows 2-20)" in empty[0] and "--set touchpoint=" in empty[0] and "--skip-bad-rows" in empty[0]
    assert [line for line in err if "'yesterday' is not a date" in line][0].startswith("  voc.csv, row 21")
    assert len(err) == 4  # the count, two problems, "Nothing was imported."


def test_a_salesforce_report_footer_and_a_totals_row_are_skipped_as_such(db_path, tmp_path, capsys):
    path = write(tmp_path, "report.csv",
                 '"Period","Touchpoint","Metric","Target","Actual","Direction"\n'
                 '"2026-05","Billing","Bills right first time (%)","98","97.1","higher"\n'
                 '"2026-05","Repairs","Bills right first time (%)","98","95.0","higher"\n'
                 '"Average","","","98","96.05",""\n'
                 '\n"Monthly KPIs"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
                 '"Confidential Information - Do Not Distribute"\n"Generated By:  Ana Ruiz  05/06/2026 09:14"\n'
                 '"Brightline Ltd"\n')
    assert run(db_path, path, "metrics", "--unit", "Ireland") == 0
    assert "6 footer and totals rows (not data) skipped" in capsys.readouterr().out
    assert stored(db_path, "SELECT touchpoint, actual FROM metrics ORDER BY id") == [("Billing", 97.1),
                                                                                     ("Repairs", 95.0)]


def test_a_voc_report_footer_is_not_counted_as_empty_responses(db_path, tmp_path, capsys):
    path = write(tmp_path, "cases.csv", "Date,Touchpoint,Score,Comment\n2026-05-02,Billing,9,\n2026-05-03,Billing,,slow\n"
                                        "\n\"Case survey\"\n\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\""
                                        "\nConfidential Information - Do Not Distribute\n")
    assert run(db_path, path, "voc", "--unit", "Ireland") == 0
    out = capsys.readouterr().out
    assert "3 footer and totals rows (not data) skipped" in out and "empty responses" not in out


@pytest.mark.parametrize("content, named", [
    (b"<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>Date</td></tr></table>",
     "a web page (an HTML table)"),
    (b"\xef\xbb\xbf<!DOCTYPE html>\n<table><tr><th>Date</th></tr></table>", "a web page (an HTML table)"),
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
     "an Excel 2003 XML spreadsheet"),
])
def test_an_html_or_xml_file_named_xls_is_named_for_what_it_is(db_path, tmp_path, capsys, content, named):
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    assert run(db_path, path, "voc", "--unit", "Ireland") == 2
    err = capsys.readouterr().err
    assert named in err and ".xls name" in err and "old Excel" not in err


# --------------------------------------------------------------------------------------------- --skip-bad-rows

def test_tickets_skip_bad_rows_leaves_the_bad_tickets_out_whole_and_writes_them_with_reasons(db_path, tmp_path,
                                                                                              capsys):
    # A Jira Service Management export: one row per issue, plus one issue with two rows (its history).
    path = write(tmp_path, "jsm.csv",
                 "Issue key,Created,Request type,Time to resolution met,Target\n"
                 "SUP-1,2026-05-02 09:00,Billing,met,90\n"
                 "SUP-2,2026-05-03 09:00,Billing,breached,90\n"
                 "SUP-3,not a date,Billing,met,90\n"
                 "SUP-4,2026-05-04 09:00,Billing,breached,90\n"
                 "SUP-4,2026-05-05 09:00,Billing,sometimes,90\n")
    rejects = tmp_path / "rejects.csv"
    argv = ("tickets", "--unit", "Ireland", "--map", "within_sla=Time to resolution met")
    assert run(db_path, path, *argv) == 2  # without the flag: refused
    assert run(db_path, path, *argv, "--skip-bad-rows", rejects) == 0
    assert "3 bad rows left out" in capsys.readouterr().out
    # SUP-1 met, SUP-2 breached: 50%. SUP-3 (bad date) and SUP-4 (a bad row) are out.
    assert stored(db_path, "SELECT period, actual FROM metrics") == [("2026-05", 50.0)]
    import csv
    written = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [(r["row"], r["Issue key"]) for r in written] == [("4", "SUP-3"), ("5", "SUP-4"), ("6", "SUP-4")]
    assert "not a date" in written[0]["reasons"] and "'sometimes'" in written[2]["reasons"]
    assert "left out whole" in written[1]["reasons"]


def test_end_labels_under_a_0_10_header_are_0_and_10_even_in_a_file_without_numbers(db_path, tmp_path):
    path = write(tmp_path, "nps_ends.csv", "Date,Touchpoint,How likely are you to recommend us? (0-10)\n"
                                           "2026-05-01,Billing,Extremely likely\n2026-05-02,Billing,Not at all likely\n")
    assert run(db_path, path, "voc", "--unit", "Ireland") == 0
    assert stored(db_path, SCORES) == [(10.0, "nps", None), (0.0, "nps", None)]


def test_a_five_point_likelihood_under_a_recommend_header_is_read_on_1_5(db_path, tmp_path):
    path = write(tmp_path, "ltr5.csv", "Date,Touchpoint,How likely are you to recommend us?\n"
                                       "2026-05-01,Billing,Extremely likely\n2026-05-02,Billing,Not so likely\n"
                                       "2026-05-03,Billing,Not at all likely\n")
    assert run(db_path, path, "voc", "--unit", "Ireland") == 0
    assert stored(db_path, SCORES) == [(5.0, "csat", None), (2.0, "csat", None), (1.0, "csat", None)]


# --------------------------------------------------------------------------------------------- batches and undo

def test_every_import_is_a_batch_listed_and_undone_exactly_with_its_months_resummarised(db_path, tmp_path, capsys):
    import json

    first = write(tmp_path, "may.csv", "Date,Touchpoint,Score\n2026-05-02,Billing,9\n2026-05-03,Billing,3\n")
    second = write(tmp_path, "june.csv", "Date,Touchpoint,Score\n2026-06-02,Billing,10\n")
    assert run(db_path, first, "voc", "--unit", "Ireland") == 0
    assert run(db_path, second, "voc", "--unit", "Ireland") == 0
    out = capsys.readouterr().out
    assert "Import batch 1 (undo: python -m meeting import undo 1)" in out and "Import batch 2" in out
    assert cli.main(["--db", str(db_path), "imports", "--unit", "Ireland", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(b["id"], b["file"], b["kind"], b["rows"], b["inserted"], b["who"]) for b in listed] == [
        (2, "june.csv", "voc", 1, 1, "cli"), (1, "may.csv", "voc", 2, 2, "cli")]
    db = store.open_db(db_path)
    from meeting.evidence import months
    unit_id = store.find_unit(db, "Ireland")["id"]
    months.ensure_months(db, unit_id, ["2026-05", "2026-06"])
    db.close()
    assert cli.main(["--db", str(db_path), "import", "undo", "1"]) == 0
    assert "2 rows removed" in capsys.readouterr().out
    assert stored(db_path, "SELECT received_on, score FROM voc_responses") == [("2026-06-02", 10.0)]
    db = store.open_db(db_path)
    assert months.stale_months(db, unit_id, ["2026-05", "2026-06"]) == ["2026-05"]
    db.close()
    assert cli.main(["--db", str(db_path), "import", "undo", "1"]) == 2  # once only
    assert "already undone" in capsys.readouterr().err
    # Importing the file again adds its rows back (undo left no trace of them).
    assert run(db_path, first, "voc", "--unit", "Ireland") == 0
    assert len(stored(db_path, "SELECT id FROM voc_responses")) == 3


def test_undo_is_refused_where_a_closed_meeting_reviewed_the_month_or_values_were_replaced(db_path, tmp_path, capsys):
    path = write(tmp_path, "kpi.csv", "Period,Touchpoint,Metric,Target,Actual,Direction\n"
                                      "2026-05,Billing,Bills right first time (%),98,97,higher\n")
    again = write(tmp_path, "kpi2.csv", "Period,Touchpoint,Metric,Target,Actual,Direction\n"
                                        "2026-05,Billing,Bills right first time (%),98,96,higher\n")
    assert run(db_path, path, "metrics", "--unit", "Ireland") == 0
    assert run(db_path, again, "metrics", "--unit", "Ireland") == 0  # replaces May's value
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "import", "undo", "2"]) == 2
    assert "replaced the values of 1 rows" in capsys.readouterr().err
    assert cli.main(["--db", str(db_path), "import", "undo", "1"]) == 2  # its row is the later import's now
    assert "replaced by a later import" in capsys.readouterr().err
    june = write(tmp_path, "kpi3.csv", "Period,Touchpoint,Metric,Target,Actual,Direction\n"
                                       "2026-06,Billing,Bills right first time (%),98,99,higher\n")
    assert run(db_path, june, "metrics", "--unit", "Ireland") == 0  # batch 3
    assert cli.main(["--db", str(db_path), "new-meeting", "--unit", "Ireland", "--held-on", "2026-07-10"]) == 0
    db = store.open_db(db_path)
    with store.write_transaction(db):
        db.execute("UPDATE meetings SET status = 'closed'")  # it reviewed June
    db.close()
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "import", "undo", "3"]) == 2
    assert "closed meeting" in capsys.readouterr().err
    assert stored(db_path, "SELECT period, actual FROM metrics ORDER BY period") == [("2026-05", 96.0),
                                                                                     ("2026-06", 99.0)]


def test_nps_groups_under_a_score_header_are_refused_as_groups_not_read_as_scores(db_path, tmp_path, capsys):
    path = write(tmp_path, "groups.csv", "Date,Touchpoint,NPS\n2026-05-01,Billing,Promoter\n2026-05-02,Billing,Detractor\n")
    assert run(db_path, path, "voc", "--unit", "Ireland") == 2
    assert "are NPS groups, not scores" in capsys.readouterr().err
