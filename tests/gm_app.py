"""Open a view of the real app as a signed-in GM (AppTest), through app.py's router and sidebar."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_as_gm(view: str, *, timeout: float = 30, **state) -> AppTest:
    """Run app.py once, switch to ``views/<view>``, and fail on any exception. ``state`` seeds
    st.session_state (unit_id, meeting_id, ...); None values are left out, as the sidebar would."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["gm_authenticated"] = True
    for key, value in state.items():
        if value is not None:
            at.session_state[key] = value
    at.run()
    at.switch_page(f"views/{view}")
    at.run()
    assert not at.exception, at.exception
    return at
