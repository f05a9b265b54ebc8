"""Reading an input file with a size limit: every file a person names (quote, price book,
licence CSV, PDF, certificate, password, rule table) is read through `read_at_most`."""

from pathlib import Path

MB = 1024 * 1024


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
