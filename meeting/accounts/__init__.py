"""Accounts: users and roles, password hashing (scrypt), sessions, unit scope and the audit trail.

No Streamlit here: app.py and the views ask these functions; the CLI uses them too.

Names load their submodule on first use (``meeting.lazy_exports``): the store records to ``audit`` on
every command without loading passwords, sessions and single sign-on.
"""
from meeting import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, globals(), {
    "audit": "audit",
    "passcode": "check_passcode configured_passcode ensure_passcode hash_passcode passcode_banner read_setting "
                "reset_passcode verify_hash",
    "scope": "NotYours allowed_unit_ids require require_meeting require_unit visible_units",
    "sessions": "SignInRefused end_session resume_session sign_in_with_password start_session",
    "sso": "sso_providers",
    "users": "ADMIN_ACCOUNT CAPABILITIES ROLES Account User add_user authenticate can ensure_admin_account list_accounts "
             "load_user record_sso_sign_in remove_user set_password",
})
