"""Slowing down guessing: a few free wrong attempts, then waits that double. Guards join codes and the GM
passcode alike."""
from __future__ import annotations

FREE_ATTEMPTS = 5          # wrong codes allowed before any wait: typos happen
FIRST_DELAY_SECONDS = 2.0  # then 2 s, 4 s, 8 s ... per further wrong code
MAX_DELAY_SECONDS = 300.0


def new_attempts() -> dict:
    """Per-session state of the wrong-code limiter; the page keeps it in ``st.session_state``."""
    return {"failures": 0, "blocked_until": 0.0}


def attempt_wait(state: dict, now: float) -> float:
    """Seconds this session must still wait before trying another code (0 when free to try)."""
    return max(0.0, float(state.get("blocked_until", 0.0)) - now)


def record_failure(state: dict, now: float) -> float:
    """Count a wrong code; return the wait it now imposes."""
    state["failures"] = int(state.get("failures", 0)) + 1
    extra = state["failures"] - FREE_ATTEMPTS
    delay = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (extra - 1)) if extra > 0 else 0.0
    state["blocked_until"] = now + delay
    return delay


def record_success(state: dict) -> None:
    state["failures"] = 0
    state["blocked_until"] = 0.0
