"""Kept for old imports: the passcode now lives in ``meeting.accounts`` (users, roles, sessions, audit)."""
from meeting.accounts.passcode import *  # noqa: F401,F403
from meeting.accounts.passcode import HASH_KEY, PASSCODE_SETTING, SECRETS_PATH, hmac  # noqa: F401
