"""Files Quote Desk writes (PDFs, backups): only ever a regular file, through symlinks,
and never half-written.

A target that is a device (/dev/null, /dev/full), a directory or a fifo is refused rather
than replaced by a rename; a symlink is written through to the file it names. Refusals are
OSErrors whose `strerror` says why, so every caller's "cannot write X (reason)" fits them.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a pipe",
    stat.S_IFSOCK: "a socket",
}


def target_of(path: Path, *, replace: bool = True) -> Path:
    """The regular file `path` names once symlinks are followed (it may not exist yet).
    Raises OSError for anything else, and for an existing file when `replace` is False."""
    try:
        target = path.resolve()
    except RuntimeError:  # Python 3.11's word for a symlink loop; later ones raise ELOOP
        raise OSError(errno.ELOOP, "it is a symlink loop") from None
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    kind = _KINDS.get(stat.S_IFMT(mode))
    if kind is not None:
        raise OSError(errno.EINVAL, f"it is {kind}, not a regular file")
    if not replace:
        raise FileExistsError(errno.EEXIST, "the file exists; add --force to replace it")
    return target


@contextmanager
def replacing(path: Path, mode: int = 0o666, *, replace: bool = True) -> Iterator[Path]:
    """A new empty file beside `path`'s target, for the caller to fill; it becomes the
    target when the block ends, and is removed if the block raises. It is created with
    `mode` less the umask, or, replacing a file, with that file's permissions (a private
    PDF stays private) as far as `mode` allows."""
    target = target_of(path, replace=replace)
    try:
        kept: int | None = stat.S_IMODE(target.stat().st_mode) & mode
    except FileNotFoundError:
        kept = None
    while True:
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            break
        except FileExistsError:
            continue
    try:
        yield partial
        if kept is not None:  # once written: the kept mode may be read-only
            partial.chmod(kept)
        target_of(path, replace=replace)  # still a file we may replace
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes, mode: int = 0o666, *, replace: bool = True) -> None:
    """Write `data` to `path` whole or not at all (see `replacing`)."""
    with replacing(path, mode, replace=replace) as partial:
        partial.write_bytes(data)
