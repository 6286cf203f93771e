"""Single sign-on settings: which OIDC providers ``.streamlit/secrets.toml``'s ``[auth]`` section names.

Streamlit's ``st.login`` does the sign-in itself; this only tells the sign-in page what to offer, without
importing Streamlit (the file is read with ``tomllib``, like every other setting).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from meeting.accounts import passcode

DEFAULT_PROVIDER = "default"  # `[auth]` with client_id directly in it: what st.login() calls it


def sso_providers(secrets_path: Path | None = None) -> dict[str, str]:
    """The providers of a secrets file's ``[auth]`` section (see ``providers_in``); empty without one."""
    path = passcode.SECRETS_PATH if secrets_path is None else Path(secrets_path)
    try:
        with open(path, "rb") as handle:
            section = tomllib.load(handle).get("auth")
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path} is not valid TOML: {error}") from None
    return providers_in(section)


def providers_in(section) -> dict[str, str]:
    """``{provider key: label}`` in file order, e.g. ``{"microsoft": "Microsoft"}``, from an ``[auth]`` mapping.

    ``[auth.<name>]`` sub-sections are named providers; an ``[auth]`` holding ``client_id`` itself is the one
    default provider. A sub-section may carry ``label = "Contoso"`` to choose the button's wording.
    """
    if not isinstance(section, dict):
        return {}
    named = {key: str(value.get("label") or key.replace("_", " ").title())
             for key, value in section.items() if isinstance(value, dict) and key != "client_kwargs"}
    if named:
        return named
    return {DEFAULT_PROVIDER: "single sign-on"} if section.get("client_id") else {}
