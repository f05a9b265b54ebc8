"""Finish and check the Linux bundle PyInstaller made (packaging/linux/build.sh runs both):

    python packaging/linux/bundle.py finish BUNDLE WORK   clear the build machine's RUNPATHs;
        list the host libraries the bundle carries, each with its Debian package, version
        and licences, in its THIRD-PARTY-NOTICES.md, with the packages' copyright files
    python packaging/linux/bundle.py check BUNDLE          exit 1, saying why, when a library
        the bundle needs is neither in it nor in the base system, when a RUNPATH points
        outside it, when it carries what the app does not use, or when two of its entries
        differ only by case

BUNDLE is build/dist/quotedesk; WORK is build/work/quotedesk (the spec's binaries.json
there says where each library came from). Needs readelf (binutils), and for `finish`
patchelf and dpkg: build on Debian or Ubuntu.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from collections import defaultdict
from pathlib import Path

# What the bundle leaves to the system, as PyInstaller does (its depend/dylib.py): glibc,
# the GL/EGL dispatch libraries and libdrm (tied to the graphics drivers), libxcb itself and
# the Wayland client libraries (tied to the display server). Every desktop Linux with a
# glibc at least the build machine's has them.
BASE_SYSTEM = re.compile(
    r"(ld-linux[-\w]*|libc|libm|libdl|libpthread|librt|libutil|libresolv|libanl|libcrypt"
    r"|libnsl|libBrokenLocale|libthread_db|libE?(Open)?GLX?(ESv1_CM|ESv2)?(dispatch)?|libdrm"
    r"|libxcb|libxcb-dri\d*|libwayland-(client|cursor|egl|server))\.so(\.\d+)*"
)
# Never in the bundle: GNU readline (GPL-3) and the terminal libraries, the host's GTK
# (brought by Qt's gtk3 theme plugin), Qt's TLS and network plugins and the Python modules
# of QtDBus and QtNetwork: the app uses none of them.
LEFT_OUT = re.compile(
    r"(^|/)(libreadline|libtinfo|libncurses\w*|libgtk-3|libgdk-3|libqgtk3)\.so"
    r"|/plugins/(tls|networkinformation)/|/Qt(DBus|Network)\.abi3\.so$"
)
ELF_MAGIC = b"\x7fELF"
NOTICES = "THIRD-PARTY-NOTICES.md"


def elf_files(bundle: Path) -> list[Path]:
    files = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == ELF_MAGIC:
                    files.append(path)
    return files


def dynamic(path: Path) -> tuple[list[str], list[str]]:
    """(NEEDED sonames, RUNPATH and RPATH entries) of an ELF file."""
    out = subprocess.run(
        ["readelf", "-d", "-W", str(path)], capture_output=True, text=True, check=True
    ).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)
    paths = re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*?)\]", out)
    return needed, [entry for joined in paths for entry in joined.split(":") if entry]


# --- check ---------------------------------------------------------------------------------
def problems(bundle: Path) -> list[str]:
    found: list[str] = []
    names = {p.name for p in bundle.rglob("*")}
    missing: dict[str, list[str]] = defaultdict(list)
    for path in elf_files(bundle):
        rel = path.relative_to(bundle).as_posix()
        needed, runpath = dynamic(path)
        for soname in needed:
            if soname not in names and not BASE_SYSTEM.fullmatch(soname):
                missing[soname].append(rel)
        foreign = [entry for entry in runpath if not entry.startswith("$ORIGIN")]
        if foreign:
            found.append(f"{rel}: RUNPATH outside the bundle: {':'.join(foreign)}")
    for soname, users in sorted(missing.items()):
        found.append(
            f"{soname} is neither in the bundle nor in the base system (needed by "
            f"{', '.join(users[:3])}{' ...' if len(users) > 3 else ''}): install its package "
            "on the build machine"
        )
    if not any(p.name == "libqxcb.so" for p in bundle.rglob("*")):
        found.append("Qt's xcb platform plugin (libqxcb.so) is not in the bundle")
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle).as_posix()
        if LEFT_OUT.search("/" + rel):
            found.append(f"{rel}: the app does not use it")
    found += case_collisions(bundle)
    return found


def case_collisions(root: Path) -> list[str]:
    """Entries of one folder whose names differ only by case: one file on Windows and on
    macOS's default disks."""
    found = []
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        seen: dict[str, str] = {}
        for entry in sorted(os.listdir(folder)):
            other = seen.setdefault(entry.casefold(), entry)
            if other != entry:
                rel = folder.relative_to(root).as_posix()
                found.append(f"{rel}/: {other} and {entry} differ only by case")
    return found


# --- finish --------------------------------------------------------------------------------
def clear_runpaths(bundle: Path) -> None:
    """Keep only $ORIGIN-relative RUNPATH entries: libpython keeps the build machine's
    (e.g. pyenv's lib folder), where a user's machine must not look for libraries."""
    for path in elf_files(bundle):
        _, runpath = dynamic(path)
        kept = [entry for entry in runpath if entry.startswith("$ORIGIN")]
        if kept != runpath:
            command = ["--set-rpath", ":".join(kept)] if kept else ["--remove-rpath"]
            subprocess.run(["patchelf", *command, str(path)], check=True)


def from_host(src: str) -> bool:
    """A library of the build machine's system (not Python's own, not from a wheel)."""
    python = {sys.prefix, sys.base_prefix, *sysconfig.get_paths().values()}
    real = os.path.realpath(src)
    return not any(real.startswith(os.path.realpath(p) + os.sep) for p in python)


def debian_packages(paths: list[str]) -> dict[str, str]:
    """The Debian package of each path dpkg knows (under /usr or not: merged /usr)."""
    candidates: dict[str, str] = {}
    for path in paths:
        real = os.path.realpath(path)
        for candidate in {path, real, real.removeprefix("/usr"), "/usr" + path}:
            candidates[candidate] = path
    out = subprocess.run(
        ["dpkg-query", "-S", *candidates], capture_output=True, text=True
    ).stdout  # paths no package owns are left out (and reported on stderr)
    owners: dict[str, str] = {}
    for line in out.splitlines():
        package, _, path = line.partition(": ")
        if path in candidates:
            owners[candidates[path]] = package.split(",")[0].split(":")[0]
    return owners


def licences(copyright_text: str) -> str:
    """The licence names a machine-readable (DEP-5) Debian copyright file declares."""
    if not copyright_text.startswith("Format:"):
        return "see the copyright file"
    names = dict.fromkeys(
        m.strip() for m in re.findall(r"^License:[ \t]*(\S.*)$", copyright_text, re.M)
    )
    return ", ".join(names) or "see the copyright file"


def write_notices(bundle: Path, work: Path) -> int:
    """Append the host libraries to the bundle's THIRD-PARTY-NOTICES.md and put their
    packages' copyright files beside it. Returns how many libraries it listed."""
    binaries = json.loads((work / "binaries.json").read_text(encoding="utf-8"))
    host = {Path(dest).name: src for dest, src in binaries.items() if from_host(src)}
    owners = debian_packages(sorted(set(host.values())))
    unknown = sorted(name for name, src in host.items() if src not in owners)
    if unknown:
        raise SystemExit(f"no Debian package owns these host libraries: {', '.join(unknown)}")
    (notices,) = bundle.rglob(f"quotedesk/resources/licenses/{NOTICES}")
    folder = notices.parent / "system"
    folder.mkdir(exist_ok=True)
    rows = []
    for name in sorted(host, key=str.casefold):
        package = owners[host[name]]
        version = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        text = copyright_file.read_text(encoding="utf-8", errors="replace")
        shutil.copyfile(copyright_file, folder / f"{package}.copyright")
        rows.append(f"| {name} | {package} | {version} | {licences(text)} |")
    system = platform.freedesktop_os_release().get("PRETTY_NAME", "Linux")
    with notices.open("a", encoding="utf-8") as out:
        out.write(
            "\n## System libraries in this bundle\n\n"
            f"This bundle was built on {system} and carries these libraries of that system "
            "(the list is made from the bundle's own files when it is built). Each comes "
            "from the Debian package named, under the licences that package's copyright "
            "file declares for its sources; the file is in `system/PACKAGE.copyright` "
            "beside this one.\n\n"
            "| library | package | version | licences |\n|---|---|---|---|\n"
            + "\n".join(rows)
            + "\n"
        )
    return len(rows)


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 2:
        found = problems(Path(argv[1]))
        for problem in found:
            print(f"bundle check: {problem}", file=sys.stderr)
        return 1 if found else 0
    if argv[:1] == ["finish"] and len(argv) == 3:
        bundle = Path(argv[1])
        clear_runpaths(bundle)
        count = write_notices(bundle, Path(argv[2]))
        print(f"bundle: {count} host libraries listed in {NOTICES}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
