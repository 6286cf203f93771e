"""Sending mail through the organisation's SMTP server, when one is configured (issue 28: ``circulate --send``).

Settings, read like every other (environment, else ``.streamlit/secrets.toml``), never from the command line or a
URL, so the password is in no shell history, process list or log:

- ``OUTSIDE_IN_SMTP_HOST`` (sending is off without it), ``OUTSIDE_IN_SMTP_PORT`` (default 587 with STARTTLS,
  else 25), ``OUTSIDE_IN_SMTP_STARTTLS`` (``1``/``true``/``yes``: upgrade the connection before anything else, and
  refuse to go on when the server does not offer it), ``OUTSIDE_IN_SMTP_CAFILE`` (a CA bundle for a server
  whose certificate an internal CA signed; the system's otherwise; the certificate is always verified),
  ``OUTSIDE_IN_SMTP_USER`` and ``OUTSIDE_IN_SMTP_PASSWORD`` (both or neither), ``OUTSIDE_IN_SMTP_FROM`` (the
  sender; else ``OUTSIDE_IN_MAIL_FROM``).
- A password is only ever sent encrypted: with a user set and no STARTTLS, only a server on this machine
  (loopback) is accepted.
"""
from __future__ import annotations

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field

from meeting.config import read_setting

TRUE_WORDS = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed, logged or audited
    cafile: str | None = None


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def smtp_settings(environ: dict | None = None) -> SmtpSettings | None:
    """The configured server, or None when ``OUTSIDE_IN_SMTP_HOST`` is not set. Refuses what cannot work or
    would send the password in the clear (ValueError, naming the setting, never its value)."""
    def setting(name):
        return read_setting(name, environ=environ)

    host = setting("OUTSIDE_IN_SMTP_HOST")
    if not host:
        return None
    starttls = (setting("OUTSIDE_IN_SMTP_STARTTLS") or "").lower() in TRUE_WORDS
    port_text = setting("OUTSIDE_IN_SMTP_PORT") or ("587" if starttls else "25")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"OUTSIDE_IN_SMTP_PORT {port_text!r} is not a port number (1-65535).")
    user, password = setting("OUTSIDE_IN_SMTP_USER"), setting("OUTSIDE_IN_SMTP_PASSWORD")
    if bool(user) != bool(password):
        raise ValueError("Set OUTSIDE_IN_SMTP_USER and OUTSIDE_IN_SMTP_PASSWORD together, or neither.")
    if user and not starttls and not _loopback(host):
        raise ValueError(f"Refusing to send the SMTP password to {host} unencrypted: set OUTSIDE_IN_SMTP_STARTTLS=1 "
                         "(the server must offer STARTTLS).")
    return SmtpSettings(host=host, port=int(port_text), starttls=starttls, user=user, password=password,
                        cafile=setting("OUTSIDE_IN_SMTP_CAFILE"))


def connect(settings: SmtpSettings, *, timeout: float = 30) -> smtplib.SMTP:
    """An open, upgraded (when asked) and signed-in connection. The caller quits it."""
    connection = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        connection.ehlo()
        if settings.starttls:
            if not connection.has_extn("starttls"):
                raise ConnectionError(f"{settings.host} does not offer STARTTLS, which OUTSIDE_IN_SMTP_STARTTLS asks "
                                      "for: nothing was sent.")
            connection.starttls(context=ssl.create_default_context(cafile=settings.cafile))
            connection.ehlo()
        if settings.user and settings.password:  # from_environment refuses one without the other
            connection.login(settings.user, settings.password)
    except BaseException:
        connection.close()
        raise
    return connection
