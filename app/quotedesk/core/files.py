"""Reading an input file with a size limit."""

from pathlib import Path


def read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, or its first `limit` + 1 when it is larger. Reading rather than
    stat() also bounds /dev/zero, a FIFO and a pipe, whose reported size is 0."""
    with path.open("rb") as stream:
        return stream.read(limit + 1)
