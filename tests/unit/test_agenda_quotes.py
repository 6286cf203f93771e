"""Each quote in at most one section of an agenda, the one it fits best (issue 16: one praise quote was in seven)."""
from meeting import agenda
from meeting.agenda.quotes import assign_quotes_once, sections_of_each_quote


def voc(text, why, score=2.0):
    return {"text": text, "touchpoint": "Installation", "channel": "email", "received_on": "2026-10-02",
            "score": score, "scale": "nps", "why": why}


def section(**lists):
    return {"customer_quotes": [], "customer_praise": [], "staff_quotes": [], **lists}


def test_a_watermelon_keeps_its_quote_and_the_customer_section_lets_go_of_another_sections_theme():
    late = voc("The engineer came two days late.", "touchpoint: Installation")
    bill = voc("Billed twice for the same month!", "theme: Billing errors")
    warm = voc("Nobody ever listens to me.", "theme: Being listened to")
    evidence = {
        "customer": section(customer_quotes=[late, bill, warm]),
        "employees": section(),
        "operations": {"watermelons": {"watermelons": [{"reading": "Green", "quotes": [{**late, "why": None}]}]},
                       **section(customer_quotes=[late])},
        "marketing": {"plans": [], "segments": [], **section()},
        "sales": {"plans": [], "segments": [], **section()},
        "finance": section(customer_quotes=[bill]),
    }
    out = assign_quotes_once(evidence)
    assert [q["text"] for q in out["customer"]["customer_quotes"]] == ["Nobody ever listens to me."]
    assert out["operations"]["customer_quotes"] == []
    assert [q["text"] for q in out["operations"]["watermelons"]["watermelons"][0]["quotes"]] == [late["text"]]
    assert [q["text"] for q in out["finance"]["customer_quotes"]] == [bill["text"]]
    # The input (a cached object on the Prepare page) is left as it was.
    assert len(evidence["customer"]["customer_quotes"]) == 3


def test_a_theme_beats_a_segment_which_beats_a_touchpoint_and_ties_go_to_the_earlier_section():
    priced = voc("Great value for a small business.", "theme: Price", score=10)
    site = voc("The website made ordering easy.", "touchpoint: Website", score=10)
    evidence = {
        "marketing": {"segments": [{"segment": "SME", "quotes": [priced, site]}], **section(customer_praise=[site])},
        "sales": {"segments": [{"segment": "SME", "quotes": [dict(priced), dict(site)]}], **section()},
        "finance": section(customer_praise=[priced]),
    }
    out = assign_quotes_once(evidence)
    assert out["finance"]["customer_praise"] == [priced]
    assert out["marketing"]["segments"][0]["quotes"] == [site]
    assert out["marketing"]["customer_praise"] == []
    assert out["sales"]["segments"][0]["quotes"] == []


def test_spacing_and_case_do_not_make_a_different_quote_and_per_list_trims():
    evidence = {
        "customer": section(staff_quotes=[{"text": "We need  better vans", "kind": "idea", "why": "theme: Fleet"},
                                          {"text": "Rotas change too late", "why": "theme: Rotas"}]),
        "operations": section(staff_quotes=[{"text": "we need better vans", "kind": "idea", "why": "theme: Fleet"},
                                            {"text": "Two", "why": "theme: Fleet"}, {"text": "Three", "why": "theme: Fleet"},
                                            {"text": "Four", "why": "theme: Fleet"}]),
    }
    out = assign_quotes_once(evidence, per_list=2)
    assert [q["text"] for q in out["customer"]["staff_quotes"]] == ["Rotas change too late"]
    assert [q["text"] for q in out["operations"]["staff_quotes"]] == ["we need better vans", "Two"]


def test_a_section_does_not_lose_its_only_voice_to_a_list_that_keeps_others():
    shared = voc("Billed twice!", "theme: Billing errors")
    only = voc("Refund took months.", "theme: Billing errors")
    evidence = {
        "customer": section(customer_quotes=[shared]),
        "finance": section(customer_quotes=[shared, voc("Credit never came.", "theme: Billing errors")]),
        "sales": section(customer_quotes=[only]),
        "operations": section(customer_quotes=[dict(only)]),
    }
    out = assign_quotes_once(evidence)
    # The customer section takes "Billed twice!" back: finance still has a quote of its own.
    assert [q["text"] for q in out["customer"]["customer_quotes"]] == ["Billed twice!"]
    assert [q["text"] for q in out["finance"]["customer_quotes"]] == ["Credit never came."]
    # Operations cannot: sales would be left with nothing, so the quote stays where it was first.
    assert [q["text"] for q in out["sales"]["customer_quotes"]] == ["Refund took months."]
    assert out["operations"]["customer_quotes"] == []
    assert max(len(v) for v in sections_of_each_quote(out).values()) == 1


def test_on_the_demo_no_quote_is_in_two_sections(demo_db):
    from meeting import store

    db = store.open_db(demo_db)
    try:
        for meeting_id in [row["id"] for row in db.query("SELECT id FROM meetings")]:
            built = agenda.build_agenda(db, meeting_id)
            shown = sections_of_each_quote({s["key"]: s["evidence"] for s in built["sections"]})
            assert shown, "the demo agenda shows quotes"
            assert {quote: places for quote, places in shown.items() if len(places) > 1} == {}
    finally:
        db.close()
