"""A small hand-made unit whose evidence is known by construction (shared by agenda and page tests)."""
from meeting import store
from support.table_rows import insert_rows


def seed_unit(db):
    """A small unit with one month of everything; the answers below are known by construction."""
    unit = store.get_or_create_unit(db, "Testland")
    voc = [
        ("2026-10-03", "Installation", "Enterprise", 1, "nps", "Install was three weeks late and nobody called back"),
        ("2026-10-04", "Installation", "Enterprise", 2, "nps", "Engineer never turned up, still waiting"),
        ("2026-10-05", "Billing", "SME", 1, "csat", "I was overcharged and the refund took two months"),
        ("2026-10-06", "Website", "SME", 10, "nps", "The website made ordering easy"),
        ("2026-10-07", "Contract", "Enterprise", 3, "nps", "The contract price went up without warning"),
        ("2026-10-08", "Website", "SME", 2, "nps", "The advert promised next-day setup, that was not true"),
        ("2026-09-10", "Installation", "Enterprise", 9, "nps", "Fine"),
    ]
    insert_rows(db, "voc_responses", [
        {"unit_id": unit, "source_key": f"k{i}", "received_on": d, "channel": "email", "touchpoint": t,
         "segment": s, "score": sc, "scale": scale, "narrative": n} for i, (d, t, s, sc, scale, n) in enumerate(voc)])
    staff = [
        ("challenge", "Billing", "The billing system crashes and refunds need three approvals"),
        ("idea", "Installation", "Give installers a direct line to the customer to avoid hand-offs"),
        ("praise", "Support call", "Team morale is up after the new training"),
    ]
    insert_rows(db, "staff_inputs", [
        {"unit_id": unit, "source_key": f"s{i}", "submitted_on": "2026-10-10", "team": "Ops", "role": "Agent",
         "touchpoint": t, "kind": k, "text": x, "engagement": 7} for i, (k, t, x) in enumerate(staff)])
    insert_rows(db, "metrics", [
        {"unit_id": unit, "period": "2026-10", "touchpoint": "Install", "name": "Installs within 5 days %",
         "target": 90, "actual": 95, "direction": "higher"}])
    insert_rows(db, "finance", [
        {"unit_id": unit, "period": "2026-10", "line": "Revenue", "actual": 110.0, "budget": 100.0},
        {"unit_id": unit, "period": "2026-09", "line": "Revenue", "actual": 90.0, "budget": 100.0}])
    insert_rows(db, "plans", [
        {"unit_id": unit, "source_key": "p1", "section": "marketing", "title": "Spring SME campaign", "segment": "SME",
         "starts_on": "2026-12-01", "detail": "Next-day setup"},
        {"unit_id": unit, "source_key": "p2", "section": "sales", "title": "Grow Enterprise", "segment": "Enterprise",
         "starts_on": "2026-11-15", "detail": "Ten new logos"}])
    return unit
