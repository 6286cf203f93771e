"""Freezes the clock of every Python process the tests start (``streamlit run``, ``python -m meeting``).

The test session puts this folder on PYTHONPATH and the frozen instant in OUTSIDE_IN_FROZEN_AT, so a child
process sees the same day as the tests that seeded its data, whatever the machine's calendar says.
"""
import os

if os.environ.get("OUTSIDE_IN_FROZEN_AT"):
    import datetime as _dt

    import time_machine as _time_machine

    _time_machine.travel(_dt.datetime.fromisoformat(os.environ["OUTSIDE_IN_FROZEN_AT"]), tick=True).start()
