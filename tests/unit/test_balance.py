"""Meeting balance: planned minutes per section from the agenda, spent ones where a record exists; Home's chart."""
from __future__ import annotations

import pytest
from support.gm_app import open_as_gm
from support.table_rows import insert_rows

from meeting import charts, store
from meeting.agenda import add_item
from meeting.agenda.balance import customer_share, meeting_balance


def test_demo_balance_is_planned_only_and_says_so(demo_db):
    db = store.open_db(demo_db)
    add_item(db, 2, "customer", "Hear the invited customer", minutes=9)
    balance = meeting_balance(db, 1)
    db.close()
    assert not balance.spent_recorded and balance.rows["spent"].isna().all()
    assert list(balance.rows["held_on"].unique()) == ["2026-10-15", "2026-11-20"]  # oldest first
    planned = balance.rows.set_index(["meeting_id", "section"])["planned"]
    assert planned[(2, "customer")] == planned[(1, "customer")] + 9
    assert list(balance.rows[balance.rows["meeting_id"] == 1]["section"]) == [
        "customer", "employees", "operations", "marketing", "sales", "finance"]
    share = customer_share(balance)
    first_total = planned.loc[1].sum()
    assert share.iloc[0]["planned_share"] == pytest.approx(planned[(1, "customer")] / first_total)
    spec = charts.balance_chart(balance.rows).to_dict()
    assert spec["mark"]["type"] == "bar"


def test_spent_minutes_come_from_the_recorded_section_moves(demo_db):
    db = store.open_db(demo_db)
    # November's meeting as the live meeting records it: one stay per section move; the customer section
    # twice (back and forth: 20 + 10 minutes), finance once (40 minutes).
    visits = [("customer", "10:00:00", "10:20:00"), ("employees", "10:20:00", "10:25:00"),
              ("customer", "10:25:00", "10:35:00"), ("finance", "10:35:00", "11:15:00")]
    with store.write_transaction(db):
        insert_rows(db, "section_visits", [{"meeting_id": 2, "section": section, "started_at": f"2026-11-20T{a}+00:00",
                                            "ended_at": f"2026-11-20T{b}+00:00"} for section, a, b in visits])
    balance = meeting_balance(db, 1, last=12)
    db.close()
    spent = balance.rows.set_index(["meeting_id", "section"])["spent"]
    assert balance.spent_recorded
    assert spent[(2, "customer")] == 30 and spent[(2, "finance")] == 40 and spent[(2, "sales")] == 0
    assert spent.isna()[(1, "customer")]  # October was not run live here: nothing recorded, not a zero
    assert customer_share(balance).iloc[-1]["spent_share"] == pytest.approx(30 / 75)


def test_home_shows_the_balance_chart(demo_db):
    at = open_as_gm("home.py", unit_id=1, meeting_id=2)
    assert any("customer-first" in s.value for s in at.subheader)
    assert any("not recorded yet" in c.value for c in at.caption)
