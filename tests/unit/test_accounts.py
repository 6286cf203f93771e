"""meeting.accounts: users and roles, the CLI, sessions, unit scope and the audit trail (a real SQLite file)."""
import datetime as dt
import io
import json

import pytest

from meeting import accounts, cli, store
from meeting.accounts import audit

# Store- and CLI-level: each test runs on SQLite and on PostgreSQL in the default run.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def units(fresh_db):
    return {name: store.get_or_create_unit(fresh_db, name) for name in ("Kenya", "Peru", "Norway")}


def run_cli(argv, capsys, monkeypatch, stdin: str | None = None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_users_add_list_set_password_remove(db_path, fresh_db, units, capsys, monkeypatch):
    code, out, _ = run_cli(["users", "add", "Ana@Example.org", "--role", "gm", "--unit", "Kenya", "--unit", "peru"],
                           capsys, monkeypatch)
    assert code == 0
    [generated] = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Password")]
    assert accounts.authenticate(fresh_db, "ana@example.org", generated, None).role == "gm"
    code, out, _ = run_cli(["users", "add", "bo@example.org", "--role", "viewer", "--unit", "Norway",
                            "--password-stdin"], capsys, monkeypatch, stdin="a long secret phrase\n")
    assert code == 0 and "a long secret phrase" not in out and "Password" not in out

    code, out, _ = run_cli(["users", "list", "--json"], capsys, monkeypatch)
    listed = {row["email"]: row for row in json.loads(out)}
    assert listed["ana@example.org"]["units"] == ["Kenya", "Peru"] and listed["ana@example.org"]["role"] == "gm"
    assert listed["bo@example.org"]["units"] == ["Norway"] and listed["bo@example.org"]["role"] == "viewer"
    assert generated not in out and "scrypt" not in out and "password" not in out.lower()

    code, _, _ = run_cli(["users", "set-password", "bo@example.org", "--password-stdin"], capsys, monkeypatch,
                         stdin="another long phrase\n")
    assert code == 0
    assert accounts.authenticate(fresh_db, "bo@example.org", "another long phrase", None)
    assert not accounts.authenticate(fresh_db, "bo@example.org", "a long secret phrase", None)

    assert run_cli(["users", "remove", "ana@example.org"], capsys, monkeypatch)[0] == 0
    assert accounts.load_user(fresh_db, "ana@example.org") is None
    code, _, err = run_cli(["users", "remove", "ana@example.org"], capsys, monkeypatch)
    assert code == 1 and "No account" in err


@pytest.mark.parametrize("argv, stdin, message", [
    (["users", "add", "x@example.org", "--role", "gm"], None, "at least one unit"),
    (["users", "add", "x@example.org", "--role", "gm", "--unit", "Atlantis"], None, "No unit 'Atlantis'"),
    (["users", "add", "not-an-email", "--role", "viewer", "--unit", "Peru"], None, "not an email"),
    (["users", "add", "x@example.org", "--role", "viewer", "--unit", "Peru", "--password-stdin"], "short\n", "at least"),
])
def test_cli_users_add_refuses_bad_input_and_stores_nothing(db_path, fresh_db, units, capsys, monkeypatch, argv, stdin,
                                                            message):
    code, _, err = run_cli(argv, capsys, monkeypatch, stdin=stdin)
    assert code in (1, 2) and message in err
    assert fresh_db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0


def test_role_argument_is_checked(db_path, units, capsys, monkeypatch):
    with pytest.raises(SystemExit):
        cli.main(["users", "add", "x@example.org", "--role", "owner", "--unit", "Peru"])


def test_passwords_are_stored_only_as_scrypt_hashes(fresh_db, units):
    accounts.add_user(fresh_db, "c@example.org", "gm", ["Peru"], "correct horse battery")
    [stored] = fresh_db.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("scrypt$") and "correct" not in stored


def test_the_passcode_signs_in_the_admin_account_with_the_email_empty_or_admin(fresh_db, units):
    accounts.ensure_admin_account(fresh_db)
    accounts.ensure_admin_account(fresh_db)  # idempotent
    for email in ("", None, "admin", " ADMIN "):
        user = accounts.authenticate(fresh_db, email, "Open Sesame", "Open Sesame")
        assert user is not None and user.email == "admin" and user.sees_every_unit
    assert accounts.authenticate(fresh_db, "admin", "wrong", "Open Sesame") is None
    # the passcode is the admin's, not anybody's
    accounts.add_user(fresh_db, "d@example.org", "gm", ["Peru"], "d's own password")
    assert accounts.authenticate(fresh_db, "d@example.org", "Open Sesame", "Open Sesame") is None


def test_the_last_admin_cannot_be_removed(fresh_db, units):
    accounts.ensure_admin_account(fresh_db)
    with pytest.raises(PermissionError, match="last admin"):
        accounts.remove_user(fresh_db, "admin")
    accounts.add_user(fresh_db, "boss@example.org", "admin", [], "boss password 1")
    accounts.remove_user(fresh_db, "admin")
    assert accounts.load_user(fresh_db, "admin") is None
    accounts.ensure_admin_account(fresh_db)  # the app's start-up does not bring it back
    assert accounts.load_user(fresh_db, "admin") is None
    assert accounts.authenticate(fresh_db, "", "Open Sesame", "Open Sesame") is None


def test_scope_of_each_role(fresh_db, units):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1")
    accounts.add_user(fresh_db, "v@example.org", "viewer", ["Peru", "Norway"], "viewer password")
    accounts.ensure_admin_account(fresh_db)
    gm, viewer, admin = (accounts.load_user(fresh_db, e) for e in ("gm@example.org", "v@example.org", "admin"))
    assert [u["name"] for u in accounts.visible_units(fresh_db, gm)] == ["Kenya"]
    assert [u["name"] for u in accounts.visible_units(fresh_db, viewer)] == ["Norway", "Peru"]
    assert [u["name"] for u in accounts.visible_units(fresh_db, admin)] == ["Kenya", "Norway", "Peru"]
    peru_meeting = store.meetings.create_meeting(fresh_db, units["Peru"], "2026-03-10")
    assert accounts.require_meeting(fresh_db, viewer, peru_meeting) == units["Peru"]
    with pytest.raises(accounts.NotYours, match="not yours"):
        accounts.require_meeting(fresh_db, gm, peru_meeting)
    with pytest.raises(PermissionError):
        accounts.require_unit(fresh_db, gm, units["Norway"])
    assert accounts.can(gm, "internal") and accounts.can(gm, "import") and not accounts.can(gm, "users")
    assert accounts.can(viewer, "documents") and not accounts.can(viewer, "internal")
    assert not accounts.can(viewer, "prepare") and not accounts.can(viewer, "run")
    assert accounts.can(admin, "users") and accounts.can(admin, "audit")


def test_session_token_survives_a_new_connection_and_dies_on_sign_out(db_path, fresh_db, units):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1")
    user = accounts.load_user(fresh_db, "gm@example.org")
    token = accounts.start_session(fresh_db, user)
    other = store.open_db(db_path)  # a reload: a new script run, a new connection
    try:
        assert accounts.resume_session(other, token) == user
    finally:
        other.close()
    accounts.end_session(fresh_db, token)
    assert accounts.resume_session(fresh_db, token) is None


def test_session_tokens_cannot_be_forged_or_stretched_and_expire(fresh_db, units):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1")
    user = accounts.load_user(fresh_db, "gm@example.org")
    now = dt.datetime(2026, 5, 1, 9, tzinfo=dt.timezone.utc)
    token = accounts.start_session(fresh_db, user, now=now, hours=2)
    session_id, expires, signature = token.split(".")
    assert accounts.resume_session(fresh_db, token, now=now + dt.timedelta(hours=1)) == user
    assert accounts.resume_session(fresh_db, token, now=now + dt.timedelta(hours=2, seconds=1)) is None
    stretched = f"{session_id}.{int(expires) + 86400}.{signature}"
    assert accounts.resume_session(fresh_db, stretched, now=now) is None
    for junk in ("", None, "a.b", "a.b.c.d", f"{session_id}.{expires}.{signature[:-2]}AA"):
        assert accounts.resume_session(fresh_db, junk, now=now) is None


def test_new_password_ends_existing_sessions(fresh_db, units):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1")
    token = accounts.start_session(fresh_db, accounts.load_user(fresh_db, "gm@example.org"))
    accounts.set_password(fresh_db, "gm@example.org", "gm password 2")
    assert accounts.resume_session(fresh_db, token) is None


def test_units_changed_by_an_admin_apply_on_the_next_resume(fresh_db, units):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1")
    token = accounts.start_session(fresh_db, accounts.load_user(fresh_db, "gm@example.org"))
    with store.write_transaction(fresh_db):
        fresh_db.execute("DELETE FROM user_units")
    assert accounts.resume_session(fresh_db, token).unit_ids == ()


def test_sign_ins_and_failures_are_audited_without_the_password(fresh_db, units, capsys, monkeypatch, db_path):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1", actor="boss@example.org")
    accounts.authenticate(fresh_db, "gm@example.org", "gm password 1", None, client="10.0.0.7")
    accounts.authenticate(fresh_db, "gm@example.org", "wrong guess here", None)
    accounts.authenticate(fresh_db, "nobody@example.org", "whatever", None)
    events = audit.list_events(fresh_db)
    assert [(e.actor, e.action, e.detail.get("email")) for e in events] == [
        ("boss@example.org", "user_add", "gm@example.org"),
        ("gm@example.org", "sign_in", "gm@example.org"),
        ("gm@example.org", "sign_in_failed", "gm@example.org"),
        ("nobody@example.org", "sign_in_failed", "nobody@example.org"),
    ]
    assert events[1].detail["client"] == "10.0.0.7"
    dump = json.dumps([e.detail for e in events])
    assert "gm password" not in dump and "wrong guess" not in dump
    code, out, _ = run_cli(["audit", "--json"], capsys, monkeypatch)
    assert code == 0 and [e["action"] for e in json.loads(out)] == ["user_add", "sign_in", "sign_in_failed",
                                                                    "sign_in_failed"]
    assert json.loads(run_cli(["audit", "--json", "--since", "2999-01-01"], capsys, monkeypatch)[1]) == []
    code, _, err = run_cli(["audit", "--since", "last tuesday"], capsys, monkeypatch)
    assert code == 2 and "YYYY-MM-DD" in err


def test_sso_providers_read_from_the_secrets_file(tmp_path):
    path = tmp_path / "secrets.toml"
    assert accounts.sso_providers(path) == {}
    path.write_text('OUTSIDE_IN_PASSCODE = "x"\n')
    assert accounts.sso_providers(path) == {}
    path.write_text('[auth]\nredirect_uri = "http://x/oauth2callback"\ncookie_secret = "s"\nclient_id = "a"\n'
                    'client_secret = "b"\nserver_metadata_url = "http://idp/.well-known/openid-configuration"\n')
    assert accounts.sso_providers(path) == {"default": "single sign-on"}
    path.write_text('[auth]\nredirect_uri = "r"\ncookie_secret = "s"\n[auth.microsoft]\nclient_id = "a"\n'
                    '[auth.google]\nclient_id = "b"\n')
    assert accounts.sso_providers(path) == {"microsoft": "Microsoft", "google": "Google"}


def test_sso_identity_is_matched_to_an_account_by_email(fresh_db, units):
    accounts.add_user(fresh_db, "gm@example.org", "gm", ["Kenya"], "gm password 1")
    accounts.ensure_admin_account(fresh_db)
    assert accounts.record_sso_sign_in(fresh_db, "GM@example.org", "microsoft").email == "gm@example.org"
    assert accounts.record_sso_sign_in(fresh_db, "stranger@example.org", "microsoft") is None
    assert accounts.record_sso_sign_in(fresh_db, "admin", "microsoft") is None
    assert [e.action for e in audit.list_events(fresh_db)][-3:] == ["sign_in", "sign_in_failed", "sign_in_failed"]
