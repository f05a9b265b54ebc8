"""Signing with a key on a token or smartcard through its PKCS#11 module (python-pkcs11,
pyHanko's PKCS#11 signer): RFC 7512 `pkcs11:` URIs naming the key, the tokens and
certificates a module finds, and a signer logged in with the PIN.

Every failure of the module or the token (missing module, no such token, wrong PIN, locked
PIN, token pulled out while signing) is a PdfError of one line. The PIN is never read from
a URI nor kept beyond the signing session.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, unquote_to_bytes

import pkcs11
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pkcs11 import Attribute, ObjectClass, PKCS11Error, TokenFlag
from pyhanko.sign.pkcs11 import PKCS11Signer

from quotedesk.pdf.document import PdfError
from quotedesk.pdf.embedded import one_line
from quotedesk.pdf.signing import certificate_problem

MODULE_VARIABLE = "QUOTEDESK_PKCS11_MODULE"  # the module to use when none is given
SCHEME = "pkcs11:"
# Where OpenSC and the token middleware most often sold with ICP-Brasil A3 certificates
# (SafeNet Authentication Client, SafeSign) install their modules: the window offers those
# present. Anything else is chosen by path.
KNOWN_MODULES = {
    "linux": (
        "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
        "/usr/lib64/opensc-pkcs11.so",
        "/usr/lib/opensc-pkcs11.so",
        "/usr/lib/libeTPkcs11.so",
        "/usr/lib/libaetpkss.so",
    ),
    "darwin": (
        "/Library/OpenSC/lib/opensc-pkcs11.so",
        "/opt/homebrew/lib/opensc-pkcs11.so",
        "/usr/local/lib/opensc-pkcs11.so",
        "/usr/local/lib/libeTPkcs11.dylib",
    ),
    "win32": (
        r"C:\Windows\System32\opensc-pkcs11.dll",
        r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll",
        r"C:\Windows\System32\eTPKCS11.dll",
        r"C:\Windows\System32\aetpkss1.dll",
    ),
}
# URI attributes understood; a URI naming anything else cannot be matched faithfully.
PATH_ATTRIBUTES = ("token", "manufacturer", "serial", "model", "slot-id", "object", "id", "type")
QUERY_ATTRIBUTES = ("module-path",)
WRONG_PIN_ERRORS = (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange)


class WrongPin(PdfError):
    """The token refused the PIN (the window asks again)."""


@dataclass(frozen=True, slots=True)
class TokenKey:
    """Which key on which token: a `pkcs11:` URI, or the window's choice. Unset fields
    match anything; `label` and `id` are the key's or its certificate's."""

    token: str | None = None
    manufacturer: str | None = None
    serial: str | None = None
    model: str | None = None
    slot_id: int | None = None
    label: str | None = None
    id: bytes | None = None
    module: Path | None = None

    def __str__(self) -> str:
        """The RFC 7512 URI."""
        texts = [
            ("token", self.token), ("manufacturer", self.manufacturer),
            ("serial", self.serial), ("model", self.model),
            ("slot-id", None if self.slot_id is None else str(self.slot_id)),
            ("object", self.label),
        ]  # fmt: skip
        parts = [f"{name}={quote(value, safe='')}" for name, value in texts if value is not None]
        if self.id is not None:
            parts.append("id=" + "".join(f"%{byte:02X}" for byte in self.id))
        query = f"?module-path={quote(str(self.module), safe='/')}" if self.module else ""
        return SCHEME + ";".join(parts) + query

    def names_token(self, token: pkcs11.Token) -> bool:
        wanted = (
            (self.token, token.label), (self.manufacturer, token.manufacturer_id),
            (self.serial, _serial(token)), (self.model, token.model),
            (self.slot_id, token.slot.slot_id),
        )  # fmt: skip
        return all(want is None or want == have for want, have in wanted)

    def names_object(self, labels: set[str], ids: set[bytes]) -> bool:
        return (self.label is None or self.label in labels) and (self.id is None or self.id in ids)


def is_uri(text: str) -> bool:
    return text[: len(SCHEME)].lower() == SCHEME


def parse_uri(text: str) -> TokenKey:
    """The key a `pkcs11:` URI names. A PIN in it (pin-value, pin-source) is refused: a
    command line is visible to every user of the computer."""
    if not is_uri(text):
        raise PdfError(f"{text}: not a pkcs11: URI")
    path, _, query = text[len(SCHEME) :].partition("?")
    values: dict[str, str] = {}
    for part, separator, allowed in ((path, ";", PATH_ATTRIBUTES), (query, "&", QUERY_ATTRIBUTES)):
        for attribute in filter(None, part.split(separator)):
            name, equals, value = attribute.partition("=")
            if name in ("pin-value", "pin-source"):
                raise PdfError(
                    f"{text}: the PIN is not taken from the URI (a command line is visible to "
                    "other users); give --pin-file, set QUOTEDESK_PIN or type it when asked"
                )
            if not equals or name not in allowed:
                raise PdfError(
                    f"{text}: '{attribute}' is not an attribute Quote Desk reads "
                    f"(it reads {', '.join(allowed)})"
                )
            if name in values:
                raise PdfError(f"{text}: '{name}' appears twice")
            values[name] = value
    try:
        text_of = {n: unquote(v, errors="strict") for n, v in values.items() if n != "id"}
    except UnicodeDecodeError:
        raise PdfError(f"{text}: an attribute is not percent-encoded UTF-8") from None
    slot_id = text_of.get("slot-id")
    if slot_id is not None and not slot_id.isdigit():
        raise PdfError(f"{text}: slot-id must be a decimal number")
    if text_of.get("type", "private") not in ("private", "cert"):
        raise PdfError(
            f"{text}: type={text_of['type']} names no signing key "
            "(type=private, type=cert or no type)"
        )
    module = text_of.get("module-path")
    return TokenKey(
        token=text_of.get("token"),
        manufacturer=text_of.get("manufacturer"),
        serial=text_of.get("serial"),
        model=text_of.get("model"),
        slot_id=None if slot_id is None else int(slot_id),
        label=text_of.get("object"),
        id=unquote_to_bytes(values["id"]) if "id" in values else None,
        module=Path(module) if module else None,
    )


def default_module() -> Path | None:
    """The module QUOTEDESK_PKCS11_MODULE names, if set."""
    value = os.environ.get(MODULE_VARIABLE, "").strip()
    return Path(value) if value else None


def known_modules() -> list[Path]:
    """The usual PKCS#11 modules installed on this computer."""
    return [Path(p) for p in KNOWN_MODULES.get(sys.platform, ()) if Path(p).is_file()]


def find_token(module: Path, key: TokenKey) -> pkcs11.Token:
    """The one token of `module` that `key` names; PdfError when none or several do, or
    when the token has locked its PIN (no PIN is asked for then)."""
    tokens = _tokens(module)
    found = [token for token in tokens if key.names_token(token)]
    if not found:
        present = ", ".join(_labels(tokens)) or "none: is it plugged in?"
        raise PdfError(f"no token matches {key} in {module} (tokens present: {present})")
    if len(found) > 1:
        labels = ", ".join(_labels(found))
        raise PdfError(f"{len(found)} tokens match {key} ({labels}): name one with token=LABEL")
    token = found[0]
    if TokenFlag.USER_PIN_LOCKED in token.flags:
        raise PdfError(_locked(token))
    return token


@dataclass(frozen=True, slots=True)
class TokenCertificate:
    """A signing certificate on a token: the key beside it is what the window offers."""

    token: str  # the token's label
    serial: str  # the token's
    label: str
    id: bytes
    subject: str  # the certificate's common name
    expires: date

    @property
    def key(self) -> TokenKey:
        return TokenKey(
            token=self.token, serial=self.serial, label=self.label or None, id=self.id or None
        )


def list_certificates(module: Path) -> tuple[list[str], list[TokenCertificate]]:
    """The labels of the module's tokens and their signing (not CA) certificates, read
    without the PIN: certificates are public objects."""
    tokens, found = _tokens(module), []
    for token in tokens:
        try:
            with token.open() as session:
                objects = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
                for obj in objects:
                    cert = asn1_x509.Certificate.load(obj[Attribute.VALUE])
                    if cert.ca:
                        continue
                    subject = cert.subject.native.get("common_name") or cert.subject.human_friendly
                    found.append(
                        TokenCertificate(
                            token.label, _serial(token), *_label_and_id(obj), subject,
                            cert.not_valid_after.date(),
                        )
                    )  # fmt: skip
        except (PKCS11Error, ValueError):  # a token that cannot be read offers nothing
            continue
    return [token.label for token in tokens], found


@contextmanager
def token_signer(
    token: pkcs11.Token, key: TokenKey, pin: str, *, now: datetime | None = None
) -> Iterator[PKCS11Signer]:
    """The signer of `key` on `token`, logged in with `pin` for the block. PdfError says
    why not (WrongPin for a refused PIN), also when the token fails while signing."""
    name = f"token '{token.label}'"
    try:
        session = token.open(user_pin=pin)
    except WRONG_PIN_ERRORS:
        raise _wrong_pin(token) from None
    except pkcs11.PinLocked:
        raise PdfError(_locked(token)) from None
    except PKCS11Error as exc:
        raise PdfError(f"{name}: cannot log in ({_why(exc)})") from None
    try:
        yield _signer(session, key, name, now)
    finally:
        with suppress(PKCS11Error):  # a token pulled out has no session left to close
            session.close()


class _TokenSigner(PKCS11Signer):
    """pyHanko's PKCS#11 signer, saying in one line that the token failed while signing."""

    def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.name = name
        super().__init__(*args, **kwargs)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        try:
            signature: bytes = await super().async_sign_raw(data, digest_algorithm, dry_run)
        except PKCS11Error as exc:
            raise PdfError(
                f"{self.name} was removed or stopped answering while signing ({_why(exc)})"
            ) from None
        return signature


def _signer(
    session: pkcs11.Session, key: TokenKey, name: str, now: datetime | None
) -> PKCS11Signer:
    """The signer of the one private key `key` names that has a certificate beside it (the
    same CKA_ID, or the same label when the token sets no ids)."""
    try:
        certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
        keys = list(
            session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True})
        )
        pairs = []
        for cert in certs:
            cert_label, cert_id = _label_and_id(cert)
            for private in keys:
                label, key_id = _label_and_id(private)
                together = cert_id == key_id if cert_id or key_id else cert_label == label
                if together and key.names_object({cert_label, label}, {cert_id, key_id}):
                    pairs.append((cert[Attribute.VALUE], label, key_id))
    except PKCS11Error as exc:
        raise PdfError(f"{name}: cannot read its keys ({_why(exc)})") from None
    if not pairs:
        labels = ", ".join(sorted({f"'{_label_and_id(cert)[0]}'" for cert in certs}))
        raise PdfError(
            f"{name} has no signing key with a certificate matching {key} "
            f"(its certificates: {labels or 'none'})"
        )
    if len(pairs) > 1:
        raise PdfError(f"{name} has {len(pairs)} keys matching {key}: name one with object=LABEL")
    der, label, key_id = pairs[0]
    if problem := certificate_problem(x509.load_der_x509_certificate(der), now):
        raise PdfError(f"{name}: {problem}")
    signer = _TokenSigner(
        name, session, signing_cert=asn1_x509.Certificate.load(der),
        key_id=key_id or None, key_label=None if key_id else label,
    )  # fmt: skip
    try:
        _ = signer.signing_cert  # finds the key now: signing later only uses it
    except PKCS11Error as exc:
        raise PdfError(f"{name}: cannot use its key ({_why(exc)})") from None
    return signer


def _tokens(module: Path) -> list[pkcs11.Token]:
    """The initialised tokens present in the module's slots."""
    if not module.is_file():
        raise PdfError(
            f"{module}: no such PKCS#11 module (is the token's software installed? "
            "see README, 'Signing with a token or smartcard')"
        )
    try:
        library = pkcs11.lib(str(module))
        slots = library.get_slots(token_present=True)
    except PKCS11Error as exc:
        reason = one_line(exc).removeprefix(f"OS exception while loading {module}: ")
        raise PdfError(f"{module}: cannot load it as a PKCS#11 module ({reason})") from None
    tokens = []
    for slot in slots:
        with suppress(PKCS11Error):  # pulled out since the list was made
            token = slot.get_token()
            if TokenFlag.TOKEN_INITIALIZED in token.flags:
                tokens.append(token)
    return tokens


def _wrong_pin(token: pkcs11.Token) -> PdfError:
    """What the token's PIN counter says after a refused PIN: WrongPin while it can be
    typed again."""
    flags = TokenFlag(0)
    with suppress(PKCS11Error):
        flags = token.slot.get_token().flags
    if TokenFlag.USER_PIN_LOCKED in flags:
        return PdfError(_locked(token))
    if TokenFlag.USER_PIN_FINAL_TRY in flags:
        return WrongPin(f"token '{token.label}': wrong PIN; one more wrong PIN locks the token")
    return WrongPin(f"token '{token.label}': wrong PIN")


def _labels(tokens: list[pkcs11.Token]) -> list[str]:
    return sorted(f"'{token.label}'" for token in tokens)


def _locked(token: pkcs11.Token) -> str:
    return (
        f"token '{token.label}' is locked after too many wrong PINs; unlock it with its "
        "administrator PIN (PUK) in the token's own software"
    )


def _serial(token: pkcs11.Token) -> str:
    return token.serial.decode("ascii", "replace").strip()


def _label_and_id(obj: pkcs11.Object) -> tuple[str, bytes]:
    """An object's CKA_LABEL and CKA_ID, empty where the token sets none."""
    found: list[Any] = []
    for attribute, empty in ((Attribute.LABEL, ""), (Attribute.ID, b"")):
        try:
            found.append(obj[attribute])
        except (pkcs11.AttributeTypeInvalid, pkcs11.AttributeSensitive):
            found.append(empty)
    return found[0], found[1]


def _why(exc: PKCS11Error) -> str:
    """python-pkcs11's errors often carry no message: their class names the CKR_ code."""
    name, text = type(exc).__name__, one_line(exc)
    return name if text == name else f"{name}: {text}"
