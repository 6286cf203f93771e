"""Minutes export: the real .docx and Markdown read back, on hand-made meetings with awkward names.

The checks below derive every roster term independently of meeting.anonymise (names and their parts,
accent-free forms, organisations and their distinctive words, roles, emails, phone digits) and look for them
everywhere a .docx can hold text: paragraphs, tables, headers, footers, core properties, and every XML part.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from support.awkward_meetings import KESTREL, MEETINGS, docx_texts, leaks, seed_kestrel, seed_nordic

from meeting import cli, minutes, render, store
from meeting.store import meetings

# ---------------------------------------------------------------------------------------------------------
# Tests

@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_anonymised_docx_leaks_no_roster_term_anywhere(fresh_db, tmp_path, name):
    seed, roster = MEETINGS[name]
    meeting_id = seed(fresh_db)
    path = render.export_minutes(fresh_db, meeting_id, out=tmp_path)
    places = docx_texts(path)
    for place, text in places.items():
        assert leaks(text, roster) == [], f"{place} of {path.name} leaks roster terms"
    assert leaks(path.name, roster) == []
    # Not vacuous: the internal export of the same meeting does show the names.
    internal = docx_texts(render.export_minutes(fresh_db, meeting_id, out=tmp_path, internal=True))
    assert roster[0]["name"] in internal["paragraphs"]


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_anonymised_markdown_leaks_no_roster_term(fresh_db, name):
    seed, roster = MEETINGS[name]
    meeting_id = seed(fresh_db)
    text = render.export_markdown(minutes.build_minutes(fresh_db, meeting_id))
    assert leaks(text, roster) == []


def test_substance_survives_redaction(fresh_db, tmp_path):
    meeting_id = seed_kestrel(fresh_db)
    places = docx_texts(render.export_minutes(fresh_db, meeting_id, out=tmp_path))
    body = places["paragraphs"] + "\n" + places["tables"]
    for kept in ("12%", "40 minutes", "£3,400", "2026-11-01", "2026-12-01", "2026-11-20",
                 "Call every detractor back within 48 hours", "fix the", "hand-off", "the 2027 contract"):
        assert kept in body, kept
    markdown = render.export_markdown(minutes.build_minutes(fresh_db, meeting_id))
    for kept in ("12%", "£3,400", "2026-11-01", "Call every detractor back within 48 hours"):
        assert kept in markdown, kept


def test_docx_structure_sections_in_order_rule_attendance_and_neutral_metadata(fresh_db, tmp_path):
    meeting_id = seed_kestrel(fresh_db)
    path = render.export_minutes(fresh_db, meeting_id, out=tmp_path)
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Customer", "2. Employees", "3. Operations", "4. Marketing", "5. Sales", "6. Finance"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Chatham House Rule" in text
    assert "Attendance: 2 leadership team members, 2 invited customers, 1 frontline colleague" in text
    assert "Nothing recorded." in text  # employees and marketing are empty
    props = document.core_properties
    assert (props.author, props.last_modified_by, props.title) == ("Outside In", "Outside In",
                                                                        "Meeting minutes · DRAFT")  # issue 28
    assert (props.comments, props.keywords, props.subject) == ("", "", "")
    assert document.sections[0].header.paragraphs[0].text == "DRAFT · Minutes · held under the Chatham House Rule"
    # The page number is a PAGE field (its own element), so the text is the application name and the label.
    assert document.sections[0].footer.paragraphs[0].text == "Outside In · page "


def test_actions_keep_due_date_and_status_and_show_the_owner_as_a_group(fresh_db, tmp_path):
    meeting_id = seed_kestrel(fresh_db)
    action = next(e for e in minutes.list_entries(fresh_db, meeting_id) if e["kind"] == "action")
    minutes.set_action_status(fresh_db, action["id"], "done")
    document = docx.Document(str(render.export_minutes(fresh_db, meeting_id, out=tmp_path)))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert rows[0] == ["Action", "Owner", "Due", "Status"]
    assert rows[1][1:] == ["a frontline colleague", "2026-12-01", "done"]
    # Letters are the document's (issue 24): Seán is A from the title, Anne B from the first note, Bo C.
    assert rows[1][0] == ("[participant C] to fix the [a customer organisation] hand-off with [participant B]; "
                          "ring [phone] if stuck.")
    assert rows[3][1:] == ["a leadership team member", "2026-11-20", "open"]


def test_speakers_are_a_participant_by_default_and_by_group_on_request(fresh_db):
    meeting_id = seed_kestrel(fresh_db)
    plain = minutes.build_minutes(fresh_db, meeting_id)
    speakers = {n["speaker"] for s in plain["sections"] for n in s["notes"] + s["decisions"]}
    assert speakers == {"a participant"}
    grouped = minutes.build_minutes(fresh_db, meeting_id, attribute_by_group=True)
    speakers = {n["speaker"] for s in grouped["sections"] for n in s["notes"] + s["decisions"]}
    assert speakers == {"an invited customer", "a leadership team member"}
    # The only frontline colleague is identified by their group: the model says so, for the UI to show.
    assert any("only one frontline colleague" in w.lower() for w in grouped["warnings"])
    assert not any("only one invited customer" in w.lower() for w in grouped["warnings"])


def test_two_people_in_one_entry_stay_two(fresh_db):
    meeting_id = seed_kestrel(fresh_db)
    model = minutes.build_minutes(fresh_db, meeting_id)
    finance_note = model["sections"][5]["notes"][0]["text"]
    # The document's letters (issue 24): Bo is C since the operations action, Ana D since the sales one.
    assert finance_note == ("Refunds cost £3,400 in October. [participant E] and [participant C] reviewed them "
                            "with [participant D].")
    first = model["sections"][0]["notes"][0]["text"]
    assert first.startswith("[a participant] said [customer organisation A]'s drivers wait 40 minutes at our depots; "
                            "[customer organisation B]'s depots are worse.")


def test_contributions_hidden_ones_dropped_visible_ones_redacted_and_literal(fresh_db, tmp_path):
    meeting_id = seed_kestrel(fresh_db)
    model = minutes.build_minutes(fresh_db, meeting_id)
    customer = model["sections"][0]["contributions"]
    assert customer == [{"text": "Honestly, [a participant] and I wait too long at the [a customer organisation] depot. "
                                 "3 out of 10.", "rating": 2}]
    markdown = render.export_markdown(model)
    assert "Secret" not in markdown and "leaving" not in markdown
    assert r"\<img src=x onerror=alert(1)\> \*\*\[click\](http:/\/evil)\*\*" in markdown
    assert re.search(r"(?<!\\)[<*\[]", markdown.split("From the invited customers")[-1]) is None  # all escaped
    text = docx_texts(render.export_minutes(fresh_db, meeting_id, out=tmp_path))["paragraphs"]
    assert "<img src=x onerror=alert(1)> **[click](http://evil)** (rating 3/5)" in text
    assert "Secret" not in text and "Anne from Kestrel" not in text


def test_the_title_is_redacted_and_the_file_name_is_generated(fresh_db, tmp_path):
    meeting_id = seed_kestrel(fresh_db)
    path = render.export_minutes(fresh_db, meeting_id, out=tmp_path)
    assert path.name == f"meeting-{meeting_id}-2026-11-12-minutes.docx"
    title = docx.Document(str(path)).paragraphs[0].text
    assert title == "DRAFT: Iberia leadership meeting with [a customer organisation] and [a participant]"


def test_internal_export_says_internal_in_name_and_first_line_and_keeps_names(fresh_db, tmp_path):
    meeting_id = seed_kestrel(fresh_db)
    path = render.export_minutes(fresh_db, meeting_id, out=tmp_path, internal=True)
    assert path.name == f"meeting-{meeting_id}-2026-11-12-minutes-INTERNAL.docx"
    document = docx.Document(str(path))
    assert document.paragraphs[0].text.startswith("INTERNAL")
    assert document.core_properties.title.startswith("INTERNAL")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Anne Lefèvre-Martin (invited customer, Head of Procurement, Kestrel Foods)" in text
    markdown_path = render.export_minutes(fresh_db, meeting_id, fmt="md", out=tmp_path, internal=True)
    assert markdown_path.name.endswith("-INTERNAL.md")
    assert markdown_path.read_text().startswith("**INTERNAL")


def test_default_export_goes_under_exports_with_a_safe_name(fresh_db, monkeypatch, tmp_path):
    monkeypatch.setattr(render.common, "workspace_root", lambda: tmp_path)
    monkeypatch.delenv(render.EXPORTS_SETTING, raising=False)
    meeting_id = seed_nordic(fresh_db)
    path = render.export_minutes(fresh_db, meeting_id, fmt="md")
    assert path == tmp_path / "exports" / f"meeting-{meeting_id}-2026-11-05-minutes.md"
    monkeypatch.setenv(render.EXPORTS_SETTING, str(tmp_path / "shared"))
    assert render.export_minutes(fresh_db, meeting_id, fmt="md").parent == tmp_path / "shared"
    assert re.fullmatch(r"meeting-\d+-\d{4}-\d{2}-\d{2}-minutes\.md", path.name)


def test_ordinary_words_that_are_also_roster_names_are_kept(fresh_db):
    meeting_id = seed_nordic(fresh_db)
    note = minutes.build_minutes(fresh_db, meeting_id)["sections"][0]["notes"][1]["text"]
    # Małgorzata and Zoë are A and B from the first note; the document keeps their letters (issue 24).
    assert note == ("[participant C] said the price will rise by 4% in January; mark the date. "
                    "[participant D] thanked [participant A].")


def test_extra_terms_are_redacted(fresh_db):
    meeting_id = seed_kestrel(fresh_db)
    model = minutes.build_minutes(fresh_db, meeting_id, extra_terms=["depots", "40 minutes"])
    first = model["sections"][0]["notes"][0]["text"]
    assert "depots" not in first and "40 minutes" not in first
    assert "[redacted]" in first


def test_carried_actions_are_redacted_with_their_own_meetings_roster(fresh_db, tmp_path):
    store.get_or_create_unit(fresh_db, "Nordics")
    earlier = meetings.create_meeting(fresh_db, "Nordics", "2026-10-01")
    meetings.add_participant(fresh_db, earlier, "Ingrid Solberg-Haugen", "customer", organisation="Polarlys Dairy")
    minutes.add_entry(fresh_db, earlier, "operations", "action", "Ring Ingrid at Polarlys about the cold chain",
                      owner="Ingrid Solberg-Haugen", due_on="2026-10-20")
    meeting_id = seed_nordic(fresh_db)
    model = minutes.build_minutes(fresh_db, meeting_id)
    assert model["carried_actions"][0]["text"] == "Ring [a participant] at [a customer organisation] about the cold chain"
    assert model["carried_actions"][0]["owner"] == "an invited customer"
    places = docx_texts(render.export_minutes(fresh_db, meeting_id, out=tmp_path))
    assert "Ingrid" not in places["xml"] and "Polarlys" not in places["xml"]
    assert "Open actions from earlier meetings" in places["paragraphs"]


def test_control_characters_in_a_note_do_not_break_the_docx(fresh_db, tmp_path):
    meeting_id = seed_nordic(fresh_db)
    minutes.add_entry(fresh_db, meeting_id, "sales", "note", "Pasted\x0b from a PDF\x01 with 7% growth")
    document = docx.Document(str(render.export_minutes(fresh_db, meeting_id, out=tmp_path)))
    assert "Pasted from a PDF with 7% growth" in "\n".join(p.text for p in document.paragraphs)


def test_empty_meeting_exports_with_clear_empty_sections(fresh_db, tmp_path):
    store.get_or_create_unit(fresh_db, "Empty")
    meeting_id = meetings.create_meeting(fresh_db, "Empty", "2026-11-01")
    model = minutes.build_minutes(fresh_db, meeting_id)
    assert model["attendance"] == "No attendance was recorded."
    markdown = render.export_markdown(model)
    assert markdown.count("Nothing recorded.") == 6
    assert render.export_minutes(fresh_db, meeting_id, out=tmp_path).stat().st_size > 0


def test_cli_export_writes_the_file_and_prints_its_path(fresh_db, db_path, tmp_path, capsys):
    meeting_id = seed_kestrel(fresh_db)
    assert cli.main(["export", str(meeting_id), "--format", "md", "--out", str(tmp_path),
                     "--redact", "depots, 40 minutes"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed == tmp_path / f"meeting-{meeting_id}-2026-11-12-minutes.md"
    text = printed.read_text()
    assert leaks(text, KESTREL) == [] and "depots" not in text
    assert cli.main(["export", str(meeting_id), "--out", str(tmp_path), "--internal"]) == 0
    assert capsys.readouterr().out.strip().endswith("-INTERNAL.docx")
    assert cli.main(["export", "999"]) == 1


def test_libreoffice_converts_the_export_to_pdf(fresh_db, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    # `make test` installs LibreOffice (make system-deps), so a missing soffice is a failure, never a skip.
    assert soffice, "LibreOffice (soffice) is missing: run `make system-deps` (installs libreoffice-writer-nogui)"
    meeting_id = seed_kestrel(fresh_db)
    path = render.export_minutes(fresh_db, meeting_id, out=tmp_path)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs never share LibreOffice's lock
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pdf = path.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Chatham House Rule" in text and leaks(text, KESTREL) == []


def test_one_letter_is_one_person_in_the_whole_export(fresh_db):
    """Issue 24: "[participant A]" stood for Anne in one entry and for Seán in the next."""
    meeting_id = seed_kestrel(fresh_db)
    model = minutes.build_minutes(fresh_db, meeting_id)
    texts = [model["title"]] + [item["text"] for s in model["sections"] for kind in ("notes", "decisions", "actions")
                                for item in s[kind]]
    second = model["sections"][0]["notes"][1]["text"]  # "Mr O'Brien (CFO) and Ms Lefevre ... Call Seán ..."
    assert second.startswith("[participant A] ([participant A]) and [participant B] agree")
    assert "Call [participant A] on [phone]" in second
    action = next(item["text"] for s in model["sections"] for item in s["actions"] if "hand-off" in item["text"])
    assert action.startswith("[participant C] to fix") and "with [participant B];" in action
    assert any("[participant E]" in text for text in texts)
