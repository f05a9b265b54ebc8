#!/usr/bin/env bash
# Build the Linux bundle and its tarball:
#   bash packaging/linux/build.sh [PYTHON]        (./dev bundle runs it with .venv's python)
# PYTHON has the project and its locked dependencies (with the `build` extra) installed. The
# machine has readelf, patchelf and dpkg, and the libraries the bundle carries: Qt's xcb
# platform plugin's (libxcb-cursor0, libxcb-icccm4, ...; ./dev bundle and the CI workflow
# install them). Without one of those the check below fails the build.
# Output: build/dist/quotedesk/ (the one-folder bundle) and
#         build/quotedesk-VERSION-linux-ARCH.tar.gz (bundle + install.sh + desktop files),
# then the sizes of both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${1:-python3}"
APP_ID=io.quotedesk.QuoteDesk
# Read with Python, not sed: the file may have CRLF line ends in a Windows checkout.
VERSION="$("$PYTHON" -c 'import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
ARCH="$(uname -m)"
STAGE="$ROOT/build/quotedesk-$VERSION-linux-$ARCH"
BUNDLE="$ROOT/build/dist/quotedesk"

cd "$ROOT"
"$PYTHON" -m PyInstaller packaging/quotedesk.spec --noconfirm --clean \
  --distpath build/dist --workpath build/work
# RUNPATHs cleared; the host libraries it carries listed with their licences.
"$PYTHON" packaging/linux/bundle.py finish "$BUNDLE" build/work/quotedesk
"$PYTHON" packaging/linux/bundle.py check "$BUNDLE"

rm -rf "$STAGE"
mkdir -p "$STAGE/share/icons"
cp -a "$BUNDLE" "$STAGE/quotedesk"
cp packaging/linux/install.sh "$STAGE/install.sh"
cp "packaging/$APP_ID.desktop" "packaging/$APP_ID.metainfo.xml" "$STAGE/share/"
cp "packaging/$APP_ID.svg" build/work/quotedesk/icons/"$APP_ID"-*.png "$STAGE/share/icons/"
# The bundle's notices, with the system libraries' list added by `bundle.py finish`.
cp LICENSE "$BUNDLE"/_internal/quotedesk/resources/licenses/THIRD-PARTY-NOTICES.md "$STAGE/"
tar -C "$ROOT/build" -czf "$STAGE.tar.gz" "$(basename "$STAGE")"

mb() { awk -v bytes="$1" 'BEGIN { printf "%.0f MB", bytes / 1e6 }'; }
echo "$STAGE.tar.gz"
echo "tarball $(mb "$(stat -c %s "$STAGE.tar.gz")"), unpacked $(mb "$(du -sb "$STAGE" | cut -f1)")" \
  "(Qt $(mb "$(du -sb "$BUNDLE"/_internal/PySide6 | cut -f1)"))"
