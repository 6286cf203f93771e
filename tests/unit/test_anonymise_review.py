"""The review (CLI and Minutes page), live contributions and retention of raw contributions (issue 10)."""
from __future__ import annotations

import datetime as dt
import json

from support.gm_app import open_as_gm
from support.small_unit import seed_unit

from meeting import agenda, cli, live, minutes, render, store
from meeting.anonymise import retention
from meeting.store import meetings


def _meeting(db) -> int:
    unit = seed_unit(db)
    meeting = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting)
    meetings.add_participant(db, meeting, "Nomvula Khumalo", "customer", organisation="Umoya Freight Lines",
                             role="Head of Logistics")
    meetings.add_participant(db, meeting, "Grace Feng", "leader", organisation="Testland Telecom")
    return meeting


NOTE = ("Nomvula said the Tampines depot lost power twice. As the only Tamil-speaking driver at Jurong West, "
        "she flagged it to the Regional Operations Director. Our largest account agreed. In May the bill rose.")


def test_review_json_lists_redactions_and_what_may_still_identify(fresh_db, db_path, capsys):
    meeting = _meeting(fresh_db)
    entry = minutes.add_entry(fresh_db, meeting, "customer", "note", NOTE)
    assert cli.main(["review", str(meeting), "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert set(review) == {"meeting", "redactions", "possibly_identifying"} and review["meeting"] == meeting
    assert {"entry": entry, "text": "Nomvula", "label": "[a participant]"} in review["redactions"]
    flagged = {(f["entry"], f["text"]) for f in review["possibly_identifying"]}
    assert (entry, "Tampines depot") in flagged
    assert any(e == entry and t.startswith("As the only Tamil-speaking driver") for e, t in flagged)
    assert (entry, "Regional Operations Director") in flagged
    assert (entry, "Our largest account") in flagged
    texts = " ".join(t for _, t in flagged)
    # Ordinary words and the unit's own vocabulary are not flagged; neither is what is already replaced.
    assert "May" not in texts.split() and "Nomvula" not in texts and "Customer" not in texts
    assert all(set(f) == {"entry", "text", "why"} and f["why"] for f in review["possibly_identifying"])


def test_review_text_and_unknown_meeting(fresh_db, db_path, capsys):
    meeting = _meeting(fresh_db)
    minutes.add_entry(fresh_db, meeting, "customer", "note", NOTE)
    assert cli.main(["review", str(meeting)]) == 0
    out = capsys.readouterr().out
    assert "'Nomvula' -> [a participant]" in out and "Tampines depot" in out
    assert cli.main(["review", "999"]) == 1


def test_minutes_page_redacts_a_flagged_span_in_one_click(db_path):
    db = store.open_db(db_path)
    meeting = _meeting(db)
    minutes.add_entry(db, meeting, "customer", "note", "The Tampines depot lost power; pay the bill.")
    unit = meetings.get_meeting(db, meeting)["unit_id"]
    db.close()
    at = open_as_gm("minutes.py", unit_id=unit, meeting_id=meeting)
    assert not at.exception
    flagged = [b for b in at.button if b.key and b.key.startswith("redact_flag_")]
    assert flagged, "the page lists what may still identify someone"
    flagged[0].click().run()
    assert "Tampines depot" in at.session_state[f"extra_terms_{meeting}"]
    db = store.open_db(db_path)
    markdown = render.render(minutes.build_minutes(db, meeting, extra_terms=[at.session_state[f"extra_terms_{meeting}"]]),
                             "md").decode()
    db.close()
    assert "Tampines" not in markdown and "pay the bill" in markdown


def test_contribution_display_name_is_never_a_roster_person_and_text_is_redacted(fresh_db):
    meeting = _meeting(fresh_db)
    live.start_meeting(fresh_db, meeting)
    live.add_contribution(fresh_db, meeting, "customer", "Nomvula from Umoya here: thanks, Thandiwe signing off",
                          4, "device-1", "Thandiwe Mokoena")
    live.add_contribution(fresh_db, meeting, "customer", "Delivery was late", 2, "device-2", "Grace Feng")
    live.close_meeting(fresh_db, meeting)
    anonymised = render.render(minutes.build_minutes(fresh_db, meeting), "md").decode()
    assert "Nomvula" not in anonymised and "Umoya" not in anonymised and "Thandiwe" not in anonymised
    assert "Delivery was late" in anonymised
    internal = render.render(minutes.build_minutes(fresh_db, meeting, internal=True), "md").decode()
    # The typed name "Grace Feng" is shown as what a guest typed, not as the roster's Grace Feng.
    assert "“Grace Feng” (as given by a guest)" in internal


def test_retention_purges_raw_contributions_of_closed_meetings_after_export(fresh_db, db_path, tmp_path, capsys):
    meeting = _meeting(fresh_db)
    unit = meetings.get_meeting(fresh_db, meeting)["unit_id"]
    live.start_meeting(fresh_db, meeting)
    live.add_contribution(fresh_db, meeting, "customer", "Nomvula here, the van never came", 2, "device-1", "Nomvula")
    live.close_meeting(fresh_db, meeting)
    assert cli.main(["retention", "--unit", str(unit), "--days", "30"]) == 0
    render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path)
    exported_at = fresh_db.execute("SELECT minutes_exported_at FROM meetings WHERE id = ?", [meeting]).fetchone()[0]
    assert exported_at
    capsys.readouterr()
    assert cli.main(["purge", "--now", "2000-01-01T00:00:00"]) == 0  # not due yet
    assert "Nothing to purge" in capsys.readouterr().out
    assert retention.purge_contributions(fresh_db, now=exported_at) == []  # 30 days not passed
    later = (dt.datetime.fromisoformat(exported_at) + dt.timedelta(days=30, seconds=1)).isoformat()
    assert cli.main(["purge", "--now", later]) == 0
    assert "1 contributions purged" in capsys.readouterr().out
    row = fresh_db.execute("SELECT text, display_name, author_token FROM contributions").fetchone()
    assert row == ("[a participant] here, the van never came", None, "")
    assert cli.main(["purge", "--now", later]) == 0  # once only
    assert "Nothing to purge" in capsys.readouterr().out


def test_retention_off_by_default_and_purge_refuses_an_open_meeting(fresh_db, db_path, capsys):
    meeting = _meeting(fresh_db)
    unit = meetings.get_meeting(fresh_db, meeting)["unit_id"]
    assert retention.retention_days(fresh_db, unit) is None
    assert cli.main(["retention", "--unit", str(unit)]) == 0
    assert "retention off" in capsys.readouterr().out
    assert cli.main(["purge", "--meeting", str(meeting)]) == 2  # a draft meeting: refused, bad input
    assert cli.main(["retention", "--unit", str(unit), "--days", "-1"]) == 2


def test_review_flags_common_place_names_sites_and_more_self_descriptions():
    from meeting.anonymise import build_redactor, review

    redactor = build_redactor([])
    text = ("The Leeds depot flooded, so we met in Leeds on Monday in May. Our biggest enterprise account left. "
            "She runs the only family bakery in Ballina. Billing was slow.")
    flags = review.possibly_identifying(text, redactor.find_spans(text), review.unit_vocabulary(["Billing"]))
    spans = [span for span, _ in flags]
    assert "Leeds depot" in spans and "Leeds" in spans
    assert "Our biggest enterprise account" in spans
    assert any(span.startswith("She runs the only family bakery in Ballina") for span in spans)
    assert not {"Monday", "May", "Billing"} & set(spans)
