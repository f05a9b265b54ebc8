"""Reading input files: every file a person names (quote, price book, licence CSV, PDF,
certificate, password, rule table) is read through `read_at_most`, with a size limit; and
their JSON objects through `unique_keys`, which refuses a key given twice."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 1024 * 1024
# A quote PDF is tens of KB; with a scanned attachment or two, a few MB.
MAX_PDF_BYTES = 50 * MB
MAX_PASSWORD_BYTES = MB  # a password file holds one line


class TooLarge(ValueError):
    """A file holds more than its kind's limit; the caller names the file, as for an
    OSError."""

    def __init__(self, kind: str, limit: int) -> None:
        super().__init__(f"too large for {kind} (limit {limit // MB} MB)")


def read_at_most(path: Path, limit: int, kind: str) -> bytes:
    """The file's bytes, or TooLarge naming `kind` ("a quote file") and the limit in MB.
    Reads at most `limit` + 1 bytes, never trusting stat(): /dev/zero, a FIFO and a pipe
    report a size of 0. Raises open()'s OSErrors."""
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(kind, limit)
    return data


def read_file(
    path: Path,
    limit: int,
    kind: str,
    error: Callable[[str], Exception],
    missing: str = "no such file",
) -> bytes:
    """`read_at_most`, with each way it fails (`missing`, unreadable, too large) raised as
    `error` of one line that names the file."""
    try:
        return read_at_most(path, limit, kind)
    except FileNotFoundError:
        raise error(f"{path}: {missing}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    except TooLarge as exc:
        raise error(f"{path}: {exc}") from None


class DuplicateKey(ValueError):
    """A JSON object gives a key twice: `json` would keep the last value without a word."""

    def __init__(self, key: str) -> None:
        super().__init__(f'the key "{key}" appears twice in one object')


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads`'s object_pairs_hook: the object, or DuplicateKey naming the key."""
    value = dict(pairs)
    if len(value) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return value
