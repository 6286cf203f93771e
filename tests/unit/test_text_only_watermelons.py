"""Issue 20: a touchpoint whose customers only write text (no score) is flagged when most of its comments are
complaints, in any language, including complaints told as plain facts that VADER alone reads as neutral.
The comments are hand-written for this test and labelled by hand: 9 complaints and 3 praise each."""
import pytest
from support.table_rows import insert_rows

from meeting import store
from meeting.evidence.watermelons import detect_for_unit

PERIOD = "2026-10"
COMMENTS = {
    "en": ["Third time the van failed to turn up", "We were left without a line for nine days",
           "Engineer rang the wrong doorbell and left", "Still no date for the repair",
           "They said Friday, then Monday, then nothing", "The fault came back the next morning",
           "Two missed appointments in one week", "I took a day off work for nothing",
           "Had to chase three times for a callback",
           "Quick and friendly repair, thank you", "Sorted within the hour, great", "Very happy with the technician"],
    "de": ["Der Techniker ist zum dritten Mal nicht gekommen", "Seit neun Tagen ohne Anschluss",
           "Immer noch kein Reparaturtermin", "Erst Freitag, dann Montag, dann gar nichts",
           "Am nächsten Morgen war die Störung wieder da", "Zwei verpasste Termine in einer Woche",
           "Ich habe mir umsonst einen Tag freigenommen", "Dreimal nachgefragt, nie zurückgerufen",
           "Die Reparatur hat nichts gebracht",
           "Schnelle und freundliche Reparatur, danke", "Innerhalb einer Stunde erledigt, super",
           "Sehr zufrieden mit dem Techniker"],
}


@pytest.mark.parametrize("unit,language", [("United Kingdom", "en"), ("Germany", "de")])
def test_a_text_only_touchpoint_of_mostly_complaints_is_flagged(fresh_db, unit, language):
    unit_id = store.get_or_create_unit(fresh_db, unit)
    with store.write_transaction(fresh_db):
        insert_rows(fresh_db, "voc_responses", [
            {"unit_id": unit_id, "source_key": f"r{i}", "received_on": f"{PERIOD}-{i + 1:02d}", "channel": "email",
             "touchpoint": "Repair", "narrative": text} for i, text in enumerate(COMMENTS[language])])
        insert_rows(fresh_db, "metrics", [{"unit_id": unit_id, "period": PERIOD, "touchpoint": "Repair",
                                         "name": "Repairs within 48 h %", "target": 90, "actual": 95,
                                         "direction": "higher"}])
    result = detect_for_unit(fresh_db, unit_id, PERIOD)
    assert [(w["touchpoint"], w["metric"]) for w in result["watermelons"]] == [("Repair", "Repairs within 48 h %")]
    assert all(lang == language for (lang,) in fresh_db.execute("SELECT language FROM voc_responses"))
