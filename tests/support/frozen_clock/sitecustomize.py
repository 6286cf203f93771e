"""Freezes the clock of every Python process the tests start (``streamlit run``, ``python -m meeting``).

The test session puts this folder on PYTHONPATH and the frozen instant in OUTSIDE_IN_FROZEN_AT, so a child
process sees the same day as the tests that seeded its data, whatever the machine's calendar says.
"""
import os

if os.environ.get("OUTSIDE_IN_FROZEN_AT"):
    import datetime as _dt
    import time as _time

    import time_machine as _time_machine

    # The test session froze its clock at OUTSIDE_IN_FROZEN_SINCE (real seconds) and has ticked since: start
    # where it is now, not at the frozen instant itself, or this process would live minutes in the past.
    _elapsed = _time.time() - float(os.environ.get("OUTSIDE_IN_FROZEN_SINCE") or _time.time())
    _start = _dt.datetime.fromisoformat(os.environ["OUTSIDE_IN_FROZEN_AT"]) + _dt.timedelta(seconds=_elapsed)
    _time_machine.travel(_start, tick=True).start()
