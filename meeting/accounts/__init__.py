"""Accounts: users and roles, password hashing (scrypt), sessions, unit scope and the audit trail.

No Streamlit here: app.py and the views ask these functions; the CLI uses them too.
"""
from meeting.accounts import audit
from meeting.accounts.passcode import (
    check_passcode,
    configured_passcode,
    ensure_passcode,
    hash_passcode,
    passcode_banner,
    read_setting,
    reset_passcode,
    verify_hash,
)
from meeting.accounts.scope import NotYours, allowed_unit_ids, require, require_meeting, require_unit, visible_units
from meeting.accounts.sessions import SignInRefused, end_session, resume_session, sign_in_with_password, start_session
from meeting.accounts.sso import sso_providers
from meeting.accounts.users import (
    ADMIN_ACCOUNT,
    CAPABILITIES,
    ROLES,
    Account,
    User,
    add_user,
    authenticate,
    can,
    ensure_admin_account,
    list_accounts,
    load_user,
    record_sso_sign_in,
    remove_user,
    set_password,
)

__all__ = ["ADMIN_ACCOUNT", "CAPABILITIES", "ROLES", "Account", "NotYours", "User", "add_user", "allowed_unit_ids",
           "audit", "authenticate", "can", "check_passcode", "configured_passcode", "end_session",
           "ensure_admin_account", "ensure_passcode", "hash_passcode", "list_accounts", "load_user",
           "passcode_banner", "read_setting", "record_sso_sign_in", "remove_user", "require", "require_meeting",
           "require_unit", "reset_passcode", "resume_session", "set_password", "SignInRefused", "sign_in_with_password", "sso_providers", "start_session",
           "verify_hash", "visible_units"]
