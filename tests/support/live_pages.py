"""A seeded live meeting and the Run, Join and Room pages opened through the real router (AppTest): shared by
the live-meeting page tests."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from meeting import store
from meeting.store import meetings
from support.gm_app import sign_in
from support.table_rows import insert_rows, update_row

APP = str(Path(__file__).resolve().parents[2] / "router.py")
PASSCODE = "correct horse battery"
XSS = "<img src=x onerror=alert(1)>"
MARKDOWN = "**[click](http://evil)**"
# Things in the database that an invited customer must never see.
INTERNAL = ["Installs within 5 days", "Revenue", "123456.0", "refunds need three approvals",
            "RIVAL CUSTOMER SECRET", "Rival Co", "GM private note"]


def seed_env(db_path, monkeypatch):
    """A unit with one draft meeting, two leaders and internal data a customer must never see."""
    monkeypatch.setenv("OUTSIDE_IN_PASSCODE", PASSCODE)
    monkeypatch.delenv("OUTSIDE_IN_PUBLIC_URL", raising=False)
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Testland")
    meeting = meetings.create_meeting(db, unit, "2026-11-12", title="Testland November")
    # Pre-moderation is on for a new meeting (issue 22; tested on its own): these tests convert and hide
    # contributions as they arrive.
    update_row(db, "meetings", meeting, {"premoderate": 0})
    insert_rows(db, "participants", [
        {"meeting_id": meeting, "name": "Gina GM", "kind": "leader"},
        {"meeting_id": meeting, "name": "Omar Ops", "kind": "leader"},
    ])
    insert_rows(db, "metrics", {"unit_id": unit, "period": "2026-10", "touchpoint": "Install",
                          "name": "Installs within 5 days %", "target": 90, "actual": 95, "direction": "higher"})
    insert_rows(db, "finance", {"unit_id": unit, "period": "2026-10", "line": "Revenue", "actual": 123456.0, "budget": 1.0})
    insert_rows(db, "staff_inputs", {"unit_id": unit, "source_key": "s1", "submitted_on": "2026-10-10", "kind": "challenge",
                               "text": "The billing system crashes and refunds need three approvals"})
    yield db, unit, meeting
    db.close()


def app(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in state.items():
        at.session_state[key] = value
    return at


def as_gm(unit, meeting, page="views/run.py") -> AppTest:
    at = sign_in(app(unit_id=unit, meeting_id=meeting))
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def all_text(at: AppTest) -> str:
    """Everything an AppTest run drew, as one string (values, labels, captions, options)."""
    parts = []
    for node in at.main:
        parts.append(repr(getattr(node, "proto", node)))
    for node in at.sidebar:
        parts.append(repr(getattr(node, "proto", node)))
    return "\n".join(parts)


def signed_in(at: AppTest) -> bool:
    return "user" in at.session_state and at.session_state["user"] is not None


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


# --- the gate ------------------------------------------------------------------------------------------------

def join(code=None) -> AppTest:
    """A visitor without the passcode, arriving on the Join page (with ?code= when given)."""
    at = app()
    if code is not None:
        at.query_params["code"] = code
    at.run()
    at.switch_page("views/join.py").run()
    assert not at.exception, at.exception
    return at


