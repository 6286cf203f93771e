"""Evidence selection on small hand-made data where the right answer is known."""
import pandas as pd
import pytest
from support import raw_evidence as raw
from support.table_rows import insert_rows

from meeting import evidence as ev
from meeting.evidence.tagging import tag_themes
from meeting.evidence.taxonomy import load_themes, load_touchpoints

THEMES = load_themes()
RULES = load_touchpoints()


def voc_frame(rows):
    columns = ["id", "received_on", "channel", "touchpoint", "segment", "score", "scale", "narrative"]
    frame = pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)
    frame["score"] = frame["score"].astype(float)
    frame["period"] = frame["received_on"].str.slice(0, 7)
    return frame


@pytest.mark.parametrize("scores,expected", [
    ([10, 9, 8, 0, 6], 0.0),
    ([10, 10, 0], 33.3),
    ([0, 1, 2, 3], -100.0),
    ([7, 8], 0.0),
    ([], None),
])
def test_nps(scores, expected):
    assert ev.nps(pd.Series(scores, dtype=float)) == expected


def test_by_touchpoint_merges_aliases_and_puts_moments_of_truth_first():
    now = voc_frame([
        (1, "2026-10-02", "email", "Website", "SME", 9, "nps", None),
        (2, "2026-10-03", "email", "Install", "SME", 2, "nps", None),
        (3, "2026-10-04", "sms", " installation ", "SME", 10, "nps", None),
    ])
    before = voc_frame([(4, "2026-09-04", "sms", "Installation", "SME", 10, "nps", None)])
    rows = ev.by_touchpoint(now, before, RULES)
    assert [(r["touchpoint"], r["responses"], r["moment_of_truth"]) for r in rows] == [
        ("Installation", 2, True), ("Website", 1, False)]
    # Two and one responses: too few to show a score (issue 21), so no score, no change, no verdict on it.
    assert (rows[0]["nps"], rows[0]["nps_n"], rows[0]["nps_base"], rows[0]["nps_before"], rows[0]["nps_change"],
            rows[0]["nps_change_significant"]) == (None, 2, "too_few", None, None, None)


def test_by_touchpoint_scores_from_five_responses_with_the_change():
    def rows_of(period, scores, first_id):
        return [(first_id + i, f"{period}-{i + 1:02d}", "email", "Installation", "SME", s, "nps", None)
                for i, s in enumerate(scores)]

    now = voc_frame(rows_of("2026-10", [10, 10, 10, 0, 0], 1))        # NPS +20 from 5: a low base
    before = voc_frame(rows_of("2026-09", [10] * 30, 100))            # NPS +100 from 30
    (row,) = ev.by_touchpoint(now, before, RULES)
    assert (row["nps"], row["nps_n"], row["nps_base"], row["nps_before"], row["nps_change"]) == (
        20.0, 5, "low", 100.0, -80.0)
    # v = 0.6 + 0.4 - 0.2^2 = 0.96 now, 0 before: noise 1.96 x 100 x sqrt(0.96 / 5) = 85.9 > 80, within noise.
    assert row["nps_change_significant"] is False


def test_theme_counts_compare_with_previous_period():
    now = tag_themes(pd.Series(["Still waiting for the engineer", "I was on hold forever, then waited again", "Great"]), THEMES)
    before = tag_themes(pd.Series(["We waited a week"]), THEMES)
    counts = {row["theme"]: row for row in ev.theme_counts(now, before, THEMES)}
    assert counts["Waiting and delays"]["mentions"] == 2
    assert counts["Waiting and delays"]["before"] == 1
    assert counts["Waiting and delays"]["change"] == 1
    assert "Adverts and promises" not in counts


def test_section_reasons_come_from_themes_then_touchpoint():
    texts = pd.Series(["I was overcharged on my bill", "Lovely people", "The advert promised speed"])
    touchpoints = pd.Series(["Support call", "Website", "Website"])
    reasons = ev.section_reasons(tag_themes(texts, THEMES), touchpoints, THEMES, RULES)
    assert reasons["finance"].tolist() == ["theme: Billing refunds and credits", "", ""]
    # A theme wins over the touchpoint; no theme falls back on the touchpoint's section.
    assert reasons["marketing"].tolist() == ["", "touchpoint: Website", "theme: Adverts and promises"]
    assert reasons["operations"].tolist() == ["touchpoint: Support call", "", ""]


def test_pick_quotes_most_negative_moments_of_truth_first_no_near_duplicates_masked():
    voc = voc_frame([
        (1, "2026-10-01", "email", "Website", "SME", 0, "nps", "Terrible website, awful, I hate it and it never works"),
        (2, "2026-10-02", "sms", "Installation", "SME", 3, "nps", "Install was late and the engineer was rude, contact me at jo.bloggs@example.com"),
        (3, "2026-10-03", "sms", "Installation", "SME", 3, "nps", "Install was late and the engineer was rude, contact me at jo.bloggs@example.com!"),
        (4, "2026-10-04", "phone", "Billing", "SME", 10, "nps", "Brilliant, the bill was clear and correct"),
        (5, "2026-10-05", "phone", "Billing", "SME", 2, "csat", "Wrong bill again, very disappointed"),
    ])
    everything = pd.Series("why", index=voc.index)
    negative = raw.pick_quotes(voc, everything, negative=True, count=3, rules=RULES)
    assert [q["touchpoint"] for q in negative] == ["Installation", "Website", "Billing"]
    assert "jo.bloggs@example.com" not in negative[0]["text"]
    # The two near-identical installation complaints count once; either may stand for both.
    assert negative[0]["channel"] == "sms" and negative[0]["received_on"] in {"2026-10-02", "2026-10-03"}
    positive = raw.pick_quotes(voc, everything, negative=False, count=3, rules=RULES)
    assert [q["text"] for q in positive] == ["Brilliant, the bill was clear and correct"]


def test_pick_quotes_only_from_rows_with_a_reason():
    voc = voc_frame([(1, "2026-10-01", "email", "Website", "SME", 0, "nps", "Awful, awful, awful")])
    assert raw.pick_quotes(voc, pd.Series([""], index=voc.index), negative=True, count=3, rules=RULES) == []


def test_staff_quotes_put_challenges_first_and_hear_an_idea():
    staff = pd.DataFrame({
        "id": [1, 2, 3, 4],
        "submitted_on": ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"],
        "team": ["Billing"] * 4, "role": ["Agent"] * 4, "touchpoint": ["Billing"] * 4,
        "kind": ["praise", "idea", "challenge", "challenge"],
        "text": ["Customers loved the new invoice", "Let us issue credits up to 50 without sign-off",
                 "The billing system crashes every afternoon", "Refunds take three approvals"],
        "engagement": [None] * 4,
    })
    quotes = ev.pick_staff_quotes(staff, pd.Series("theme: Billing", index=staff.index), count=3)
    assert [q["kind"] for q in quotes] == ["challenge", "idea", "praise"]


def test_near_duplicates_are_dropped_but_different_texts_kept():
    kept = ev.drop_near_duplicates(["The install was late again", "the install was late again!", "Billing was wrong"])
    assert kept == [0, 2]


def test_segment_feedback_uses_only_that_segment():
    voc = voc_frame([
        (1, "2026-10-01", "email", "Website", "Enterprise", 2, "nps", "Slow and late, very poor"),
        (2, "2026-10-02", "email", "Website", "SME", 10, "nps", "Great"),
        (3, "2026-10-03", "email", "Website", " enterprise", 10, "nps", "Excellent account manager"),
        *[(4 + i, "2026-10-04", "email", "Website", "Enterprise", 9, "nps", None) for i in range(3)],
    ])
    [enterprise] = raw.segment_feedback(voc, ["Enterprise"], count=2, rules=RULES)
    # 4 promoters, 1 detractor of 5 Enterprise responses (the SME one is not theirs).
    assert enterprise["responses"] == 5 and enterprise["nps"] == 60.0 and enterprise["nps_base"] == "low"
    assert {q["text"] for q in enterprise["quotes"]} == {"Slow and late, very poor", "Excellent account manager"}


def test_units_overview_follows_the_newest_month_across_units(fresh_db):
    from meeting import store

    first = store.get_or_create_unit(fresh_db, "Alpha")
    second = store.get_or_create_unit(fresh_db, "Beta")
    insert_rows(fresh_db, "voc_responses", [
        *[{"unit_id": first, "source_key": f"a{i}", "received_on": "2026-09-03", "touchpoint": "Web", "score": 10,
           "scale": "nps"} for i in range(5)],
        *[{"unit_id": second, "source_key": f"b{i}", "received_on": "2026-10-03", "touchpoint": "Web", "score": 0,
           "scale": "nps"} for i in range(5)],
    ])
    assert ev.latest_period(fresh_db) == "2026-10"
    assert [(r["unit"], r["period"], r["nps"]) for r in ev.units_overview(fresh_db)] == [
        ("Alpha", "2026-09", 100.0), ("Beta", "2026-10", -100.0)]
