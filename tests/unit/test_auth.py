"""meeting.accounts.passcode: where the GM passcode comes from, how a generated one is stored, how attempts are checked."""
import hmac

import pytest
from support.table_rows import count_rows

from meeting import cli
from meeting.accounts import passcode as auth

# Store- and CLI-level: each test runs on SQLite and on PostgreSQL in the default run.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def no_secrets(tmp_path):
    return tmp_path / "missing-secrets.toml"


def test_environment_wins_over_the_secrets_file(tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('OUTSIDE_IN_PASSCODE = "from-file"\n')
    assert auth.configured_passcode(environ={"OUTSIDE_IN_PASSCODE": " from-env "}, secrets_path=secrets_file) == "from-env"
    assert auth.configured_passcode(environ={}, secrets_path=secrets_file) == "from-file"
    assert auth.configured_passcode(environ={"OUTSIDE_IN_PASSCODE": "  "}, secrets_path=secrets_file) == "from-file"


def test_nothing_configured_is_none(no_secrets):
    assert auth.configured_passcode(environ={}, secrets_path=no_secrets) is None


def test_broken_secrets_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "secrets.toml"
    bad.write_text("OUTSIDE_IN_PASSCODE = \n")
    with pytest.raises(ValueError, match="not valid TOML"):
        auth.configured_passcode(environ={}, secrets_path=bad)


def test_configured_passcode_is_checked_exactly(fresh_db):
    assert auth.check_passcode(fresh_db, "Open Sesame", "Open Sesame")
    assert auth.check_passcode(fresh_db, " Open Sesame ", "Open Sesame")
    for wrong in ["open sesame", "Open Sesam", "", None, "Open Sesame!"]:
        assert not auth.check_passcode(fresh_db, wrong, "Open Sesame")


def test_generated_passcode_is_stored_only_as_a_salted_hash(fresh_db):
    passcode = auth.ensure_passcode(fresh_db, None)
    assert passcode and len(passcode.replace("-", "")) == 16
    [(key, value)] = fresh_db.execute("SELECT key, value FROM app_settings").fetchall()
    assert key == auth.HASH_KEY and value.startswith("scrypt$") and passcode not in value
    assert passcode.replace("-", "") not in value
    assert auth.ensure_passcode(fresh_db, None) is None  # printed once: the second start generates nothing
    assert auth.check_passcode(fresh_db, passcode, None)
    assert auth.check_passcode(fresh_db, passcode.lower(), None)
    assert not auth.check_passcode(fresh_db, passcode[:-1] + ("2" if passcode[-1] != "2" else "3"), None)
    assert not auth.check_passcode(fresh_db, "", None)


def test_same_passcode_hashes_differently_each_time():
    first, second = auth.hash_passcode("abc"), auth.hash_passcode("abc")
    assert first != second
    assert auth.verify_hash("abc", first) and auth.verify_hash("abc", second)
    assert not auth.verify_hash("abd", first)
    assert not auth.verify_hash("abc", "garbage") and not auth.verify_hash("abc", "md5$1$2$3$00$00")


def test_configured_passcode_means_nothing_is_generated(fresh_db):
    assert auth.ensure_passcode(fresh_db, "chosen") is None
    assert count_rows(fresh_db, "app_settings") == 0
    assert not auth.check_passcode(fresh_db, "anything", None)  # no hash, no configured value: nobody gets in


def test_configured_passcode_wins_over_a_stored_hash(fresh_db):
    generated = auth.ensure_passcode(fresh_db, None)
    assert auth.check_passcode(fresh_db, "chosen", "chosen")
    assert not auth.check_passcode(fresh_db, generated, "chosen")


def test_comparison_is_constant_time(fresh_db, monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    auth.check_passcode(fresh_db, "guess", "secret")
    generated = auth.ensure_passcode(fresh_db, None)
    auth.check_passcode(fresh_db, generated, None)
    assert len(calls) == 2


def test_reset_replaces_the_passcode(fresh_db):
    old = auth.ensure_passcode(fresh_db, None)
    new = auth.reset_passcode(fresh_db)
    assert new != old
    assert auth.check_passcode(fresh_db, new, None) and not auth.check_passcode(fresh_db, old, None)


def test_cli_passcode_reset_prints_a_working_passcode(db_path, fresh_db, capsys, monkeypatch):
    monkeypatch.delenv("OUTSIDE_IN_PASSCODE", raising=False)
    old = auth.ensure_passcode(fresh_db, None)
    assert cli.main(["passcode", "--reset"]) == 0
    printed = capsys.readouterr().out
    [new] = [word for word in printed.split() if word.count("-") == 3 and len(word) == 19]
    assert auth.check_passcode(fresh_db, new, None) and not auth.check_passcode(fresh_db, old, None)


def test_banner_shows_the_passcode():
    assert "ABCD-EFGH" in auth.passcode_banner("ABCD-EFGH")
