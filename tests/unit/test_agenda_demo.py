"""On the demo organisation: every section carries both voices, and each quote is there for a reason that
belongs to that section in the editable taxonomy."""
import pytest

from meeting import agenda, store
from meeting.evidence.taxonomy import load_themes, load_touchpoints, touchpoint_section
from meeting.store import meetings

THEMES = load_themes()
RULES = load_touchpoints()
THEME_SECTION = {theme.name: theme.section for theme in THEMES}


def reason_sections(why: str) -> set[str]:
    kind, _, value = why.partition(": ")
    if kind == "theme":
        return {THEME_SECTION[name] for name in value.split("; ")}
    if kind == "touchpoint":
        return {touchpoint_section(value, RULES, THEMES)}
    return set()


@pytest.fixture(scope="module")
def demo_agendas(demo_db_template):
    db = store.open_db(demo_db_template)
    built = {}
    for unit in store.list_units(db):
        draft = next(m for m in meetings.list_meetings(db, unit["id"]) if m["status"] == "draft")
        built[unit["name"]] = agenda.build_agenda(db, draft["id"])
    db.close()
    return built


def test_every_section_carries_customer_and_frontline_voices(demo_agendas):
    for unit, built in demo_agendas.items():
        for section in built["sections"]:
            evidence = section["evidence"]
            assert evidence["customer_quotes"], (unit, section["key"])
            assert evidence["staff_quotes"], (unit, section["key"])


def test_each_quote_is_there_for_a_reason_of_its_own_section(demo_agendas):
    for built in demo_agendas.values():
        for section in built["sections"]:
            if section["key"] == "customer":
                continue  # the customer section hears every narrative
            evidence = section["evidence"]
            for quote in evidence["customer_quotes"] + evidence["customer_praise"] + evidence["staff_quotes"]:
                assert section["key"] in reason_sections(quote["why"]), (section["key"], quote["why"])


def test_demo_narratives_with_identifiers_are_masked_when_quoted(demo_db_template):
    """The demo plants names, emails, phones and account numbers in ~4% of narratives; quote exactly those."""
    import re

    import pandas as pd
    from support import raw_evidence

    identifier = r"ACC-\d{6}|@[a-z0-9.-]+\.example\.com|7946 0\d{3}|496 0\d{3}|7700 900\d{3}"
    db = store.open_db(demo_db_template)
    unit = store.find_unit(db, "United Kingdom")["id"]
    voc = raw_evidence.load_voc(db, unit, "2025-12", "2026-11")
    db.close()
    planted = voc[voc["narrative"].fillna("").str.contains(identifier, regex=True)].reset_index(drop=True)
    assert len(planted) > 20
    everything = pd.Series("why", index=planted.index)
    quotes = (raw_evidence.pick_quotes(planted, everything, negative=True, count=len(planted), rules=RULES)
              + raw_evidence.pick_quotes(planted, everything, negative=False, count=len(planted), rules=RULES))
    assert len(quotes) > 10
    for quote in quotes:
        assert not re.search(identifier, quote["text"]), quote["text"]
