"""Where a member's server password is kept: the system keyring (the `keyring` package:
Secret Service, macOS Keychain, Windows Credential Locker) or, where there is none (a
headless machine), a libpq password file only its owner can read, in Quote Desk's
config folder. Never in the quote database.

The password file is libpq's own format (`host:port:database:user:password`, with `:`
and `\\` escaped), one per laptop's membership (`pgpass-<device id>`), handed to libpq as
`passfile=`: psql reads it too with PGPASSFILE.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import platformdirs

from quotedesk.store.team import Membership

KEYRING_SERVICE = "quotedesk"


def passfile_path(device_id: str) -> Path:
    config = platformdirs.user_config_path("quotedesk", appauthor=False)
    return config / f"pgpass-{device_id}"


def save_password(
    member: Membership, password: str, *, host: str, port: int, dbname: str
) -> Membership:
    """Keep the password: in the keyring, else in the member's password file. host,
    port and dbname are the connection's as libpq made it (a service name or URI
    resolved), which is what libpq matches a file entry on. Returns `member` saying
    where it went."""
    if _keyring_saved(member.server, member.login, password):
        return replace(member, password_in="keyring")
    fields = (host, str(port), dbname, member.login, password)
    _write_private(passfile_path(member.device_id), ":".join(map(_escape, fields)))
    return replace(member, password_in="passfile")


def connect_params(member: Membership) -> dict[str, Any]:
    """libpq parameters that log this member in: user, and password or passfile."""
    if member.password_in == "keyring":
        import keyring  # loads its backends: only for a password kept there

        password = keyring.get_password(KEYRING_SERVICE, _account(member.server, member.login))
        return {"user": member.login, "password": password or ""}
    return {"user": member.login, "passfile": str(passfile_path(member.device_id))}


def forget_password(member: Membership) -> None:
    if member.password_in == "keyring":
        import keyring  # loads its backends: only for a password kept there
        from keyring.errors import KeyringError

        with suppress(KeyringError):  # already gone, or no keyring here any more
            keyring.delete_password(KEYRING_SERVICE, _account(member.server, member.login))
        return
    passfile_path(member.device_id).unlink(missing_ok=True)


def _keyring_saved(server: str, login: str, password: str) -> bool:
    import keyring  # loads its backends: only when saving a password

    account = _account(server, login)
    try:
        keyring.set_password(KEYRING_SERVICE, account, password)
        return keyring.get_password(KEYRING_SERVICE, account) == password
    # Backends are plug-ins raising their own errors (D-Bus, Keychain): any of them
    # means no usable keyring here, and the password file takes its place.
    except Exception:
        return False


def _account(server: str, login: str) -> str:
    return f"{login} on {server}"


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def _write_private(path: Path, line: str) -> None:
    """Replace the file in one step; it is 0600 from its first byte (libpq ignores a
    password file that others can read)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(partial, 0o600)  # O_CREAT's mode only applies to a new file
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
