"""Circulation drafts (issue 28), parsed back with the standard library and their attachments opened; and sent
through a local SMTP server (aiosmtpd) that each test starts: who received what, once."""
import datetime as dt
import email
import email.policy
import io
import ipaddress
import json
import socket
import ssl
from contextlib import contextmanager

import docx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from meeting import cli, live, minutes, store
from meeting.accounts import audit
from meeting.store import meetings

LEADERS = [("Ingrid Halvorsen", "ingrid.halvorsen@example.org"), ("Tomasz Wrona", "tomasz.wrona@example.org")]
CUSTOMERS = [("Amara Okafor", "amara@customer.example"), ("Luis Ortega", "luis@other.example")]


@pytest.fixture
def closed_meeting(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Norway")
    meeting = meetings.create_meeting(fresh_db, unit, "2026-11-12", title="Norway November")
    for name, mail in LEADERS:
        meetings.add_participant(fresh_db, meeting, name, kind="leader", email=mail)
    for name, mail in CUSTOMERS:
        meetings.add_participant(fresh_db, meeting, name, kind="customer", organisation="Fjord Freight", email=mail)
    meetings.add_participant(fresh_db, meeting, "Nina No-Mail", kind="frontline")
    live.start_meeting(fresh_db, meeting)
    minutes.add_entry(fresh_db, meeting, "customer", "note", "Amara Okafor said the invoices arrive late",
                      speaker="Amara Okafor")
    live.close_meeting(fresh_db, meeting)
    return meeting


def parsed(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def attachment_text(message) -> str:
    [part] = list(message.iter_attachments())
    document = docx.Document(io.BytesIO(part.get_content()))
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_named_minutes_go_to_the_leaders_only_and_the_rest_get_anonymised_minutes_in_bcc(
        fresh_db, db_path, closed_meeting, tmp_path, capsys):
    assert cli.main(["--db", str(db_path), "circulate", str(closed_meeting), "--out", str(tmp_path)]) == 0
    drafts = {path.name: parsed(path) for path in tmp_path.glob("*.eml")}
    assert set(drafts) == {"minutes-named-leadership.eml", "minutes-anonymised.eml", "follow-up-customers.eml"}

    named = drafts["minutes-named-leadership.eml"]
    assert sorted(a.addr_spec for a in named["To"].addresses) == sorted(mail for _, mail in LEADERS)
    assert named["Bcc"] is None and "Amara Okafor" in attachment_text(named)

    anonymised = drafts["minutes-anonymised.eml"]
    assert [a.addr_spec for a in anonymised["To"].addresses] == ["outside-in@localhost"]  # nobody's name in To
    assert sorted(a.addr_spec for a in anonymised["Bcc"].addresses) == sorted(mail for _, mail in CUSTOMERS)
    text = attachment_text(anonymised)
    for name, _ in LEADERS + CUSTOMERS:
        for part in name.split():
            assert part not in text, part
    assert "Fjord Freight" not in text and "invoices arrive late" in text

    followup = drafts["follow-up-customers.eml"]
    assert sorted(a.addr_spec for a in followup["Bcc"].addresses) == sorted(mail for _, mail in CUSTOMERS)
    assert followup["X-Unsent"] == "1" and list(followup.iter_attachments())
    events = [e for e in audit.list_events(fresh_db) if e.action == "circulate"]
    assert len(events) == 1 and events[0].detail["recipients"] == 6


def test_a_meeting_not_yet_closed_is_not_circulated(fresh_db, db_path, tmp_path, capsys):
    unit = store.get_or_create_unit(fresh_db, "Norway")
    meeting = meetings.create_meeting(fresh_db, unit, "2026-11-12")
    assert cli.main(["--db", str(db_path), "circulate", str(meeting), "--out", str(tmp_path)]) != 0
    assert "close it first" in capsys.readouterr().err and not list(tmp_path.glob("*.eml"))


# --- sending through SMTP (a local aiosmtpd server started by each test, never a real one) ---------------------

SUBJECT_NAMED = "Minutes (named, leadership only): Norway November"
SUBJECT_ANONYMISED = "Minutes: Norway November"
SUBJECT_FOLLOWUP = "Thank you for joining us: Norway November"
# What each person on the fixture's roster must receive, and nothing else; Nina has no address.
MEANT = {**{mail: {SUBJECT_NAMED} for _, mail in LEADERS},
         **{mail: {SUBJECT_ANONYMISED, SUBJECT_FOLLOWUP} for _, mail in CUSTOMERS}}


class Inbox:
    """An aiosmtpd handler that keeps every delivery: (envelope sender, envelope recipients, parsed message).
    ``refuse``: addresses refused at RCPT; ``drop_after``: hang up (no reply) once that many were delivered."""

    def __init__(self, refuse=(), drop_after=None):
        self.delivered, self.refuse, self.drop_after, self.logins = [], set(refuse), drop_after, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_after is not None and len(self.delivered) >= self.drop_after:
            server.transport.close()
            return "421 going away"
        self.delivered.append((envelope.mail_from, list(envelope.rcpt_tos),
                               email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"gm-mailer", b"s3cret pass"))

    def received(self) -> dict[str, list]:
        by_address = {}
        for _, rcpt_tos, message in self.delivered:
            for address in rcpt_tos:
                by_address.setdefault(address, []).append(message)
        return by_address


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(monkeypatch, inbox, **options):
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    monkeypatch.setenv("OUTSIDE_IN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OUTSIDE_IN_SMTP_PORT", str(port))
    try:
        yield controller
    finally:
        controller.stop()


def send(db_path, meeting, tmp_path, capsys):
    capsys.readouterr()
    code = cli.main(["--db", str(db_path), "circulate", str(meeting), "--out", str(tmp_path), "--send"])
    out, err = capsys.readouterr()
    return code, [line.split("\t") for line in out.splitlines() if "\t" in line], err


def assert_each_got_what_was_meant_once(received: dict[str, list]):
    assert {address: sorted(m["Subject"] for m in messages) for address, messages in received.items()} == {
        address: sorted(subjects) for address, subjects in MEANT.items()}
    for address, messages in received.items():
        for message in messages:
            assert message["Bcc"] is None and message["X-Unsent"] is None
            text = attachment_text(message)
            if message["Subject"] == SUBJECT_NAMED:
                assert "Amara Okafor" in text
            else:  # what customers read names nobody on the roster, and their To names nobody but the sender
                assert [a.addr_spec for a in message["To"].addresses] == ["outside-in@localhost"]
                for name, _ in LEADERS + CUSTOMERS:
                    for part in name.split():
                        assert part not in text, (address, part)


def test_send_delivers_to_each_recipient_exactly_their_copy_and_marks_it(
        fresh_db, db_path, closed_meeting, tmp_path, capsys, monkeypatch):
    inbox = Inbox()
    with smtp_server(monkeypatch, inbox):
        code, lines, err = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 0, (err, lines)
    assert all(len(rcpt_tos) == 1 for _, rcpt_tos, _ in inbox.delivered)  # one envelope per person: Bcc honoured
    assert {sender for sender, _, _ in inbox.delivered} == {"outside-in@localhost"}
    assert_each_got_what_was_meant_once(inbox.received())
    assert sorted(address for status, _, address in lines if status == "sent") == sorted(
        address for address, subjects in MEANT.items() for _ in subjects)
    [event] = [e for e in audit.list_events(fresh_db) if e.action == "circulate_send"]
    assert len(event.detail["sent"]) == 6 and event.detail["not_sent"] == []
    assert fresh_db.execute("SELECT COUNT(*) FROM circulation_sends").fetchone()[0] == 6
    again = Inbox()  # sending again sends nobody a second copy
    with smtp_server(monkeypatch, again):
        code, lines, _ = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 0 and again.delivered == [] and {line[0] for line in lines} == {"already sent"}


def test_a_refused_recipient_is_reported_not_marked_and_sent_on_the_next_run(
        fresh_db, db_path, closed_meeting, tmp_path, capsys, monkeypatch):
    amara = CUSTOMERS[0][1]
    inbox = Inbox(refuse={amara})
    with smtp_server(monkeypatch, inbox):
        code, lines, err = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 1 and "2 of 6 copies were not sent" in err and "--send` again" in err
    assert sorted((line[1], line[2]) for line in lines if line[0] == "NOT SENT") == sorted(
        ("minutes-anonymised.eml" if s == SUBJECT_ANONYMISED else "follow-up-customers.eml", amara)
        for s in MEANT[amara])
    assert amara not in inbox.received() and len(inbox.received()) == 3
    marked = {row[0] for row in fresh_db.execute("SELECT recipient FROM circulation_sends").fetchall()}
    assert marked == set(MEANT) - {amara}
    later = Inbox()
    with smtp_server(monkeypatch, later):
        code, lines, _ = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 0 and set(later.received()) == {amara} and len(later.received()[amara]) == 2
    merged = inbox.received() | later.received()
    assert_each_got_what_was_meant_once(merged)


def test_a_server_that_hangs_up_half_way_leaves_the_rest_unmarked_and_nobody_gets_two(
        fresh_db, db_path, closed_meeting, tmp_path, capsys, monkeypatch):
    inbox = Inbox(drop_after=2)
    with smtp_server(monkeypatch, inbox):
        code, lines, err = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 1 and "4 of 6 copies were not sent" in err
    got = {(address, m["Subject"]) for address, messages in inbox.received().items() for m in messages}
    assert len(got) == 2
    assert len([line for line in lines if line[0] == "sent"]) == 2
    assert len([line for line in lines if line[0] == "NOT SENT"]) == 4
    assert fresh_db.execute("SELECT COUNT(*) FROM circulation_sends").fetchone()[0] == 2
    [event] = [e for e in audit.list_events(fresh_db) if e.action == "circulate_send"]
    assert len(event.detail["sent"]) == 2 and len(event.detail["not_sent"]) == 4
    later = Inbox()
    with smtp_server(monkeypatch, later):
        assert send(db_path, closed_meeting, tmp_path, capsys)[0] == 0
    assert len(later.delivered) == 4
    merged: dict[str, list] = {}
    for part in (inbox.received(), later.received()):
        for address, messages in part.items():
            merged.setdefault(address, []).extend(messages)
    assert_each_got_what_was_meant_once(merged)


def _self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * 30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_starttls_then_sign_in_when_asked(fresh_db, db_path, closed_meeting, tmp_path, capsys, monkeypatch):
    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    monkeypatch.setenv("OUTSIDE_IN_SMTP_STARTTLS", "1")
    monkeypatch.setenv("OUTSIDE_IN_SMTP_CAFILE", str(cert))
    monkeypatch.setenv("OUTSIDE_IN_SMTP_USER", "gm-mailer")
    monkeypatch.setenv("OUTSIDE_IN_SMTP_PASSWORD", "s3cret pass")
    # The server refuses everything before STARTTLS, and AUTH without TLS (aiosmtpd's default).
    with smtp_server(monkeypatch, inbox, tls_context=context, require_starttls=True, auth_required=True,
                     authenticator=inbox.authenticate):
        code, _, err = send(db_path, closed_meeting, tmp_path / "out", capsys)
    assert code == 0, err
    assert inbox.logins == [(b"gm-mailer", b"s3cret pass")]
    assert_each_got_what_was_meant_once(inbox.received())
    assert "s3cret" not in json.dumps([e.detail for e in audit.list_events(fresh_db)])


def test_starttls_asked_but_not_offered_sends_nothing(fresh_db, db_path, closed_meeting, tmp_path, capsys, monkeypatch):
    inbox = Inbox()
    monkeypatch.setenv("OUTSIDE_IN_SMTP_STARTTLS", "yes")
    with smtp_server(monkeypatch, inbox):
        code, lines, err = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 1 and inbox.delivered == [] and "does not offer STARTTLS" in " ".join(map(" ".join, lines))
    assert fresh_db.execute("SELECT COUNT(*) FROM circulation_sends").fetchone()[0] == 0


def test_no_server_configured_or_a_password_in_the_clear_is_refused_before_anything(
        db_path, closed_meeting, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OUTSIDE_IN_SMTP_HOST", raising=False)
    code, _, err = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 1 and "OUTSIDE_IN_SMTP_HOST" in err and not list(tmp_path.glob("*.eml"))
    monkeypatch.setenv("OUTSIDE_IN_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("OUTSIDE_IN_SMTP_USER", "gm-mailer")
    monkeypatch.setenv("OUTSIDE_IN_SMTP_PASSWORD", "s3cret pass")
    code, _, err = send(db_path, closed_meeting, tmp_path, capsys)
    assert code == 2 and "unencrypted" in err and "s3cret" not in err and not list(tmp_path.glob("*.eml"))
