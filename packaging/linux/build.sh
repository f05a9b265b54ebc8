#!/usr/bin/env bash
# Build the Linux bundle and its tarball:
#   bash packaging/linux/build.sh [PYTHON]        (./dev bundle runs it with .venv's python)
# PYTHON has the project and its locked dependencies (with the `build` extra) installed.
# Output: build/dist/quotedesk/ (the one-folder bundle) and
#         build/quotedesk-VERSION-linux-ARCH.tar.gz (bundle + install.sh + desktop files).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${1:-python3}"
APP_ID=io.quotedesk.QuoteDesk
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml")"
ARCH="$(uname -m)"
STAGE="$ROOT/build/quotedesk-$VERSION-linux-$ARCH"

cd "$ROOT"
"$PYTHON" -m PyInstaller packaging/quotedesk.spec --noconfirm --clean \
  --distpath build/dist --workpath build/work

rm -rf "$STAGE"
mkdir -p "$STAGE/share/icons"
cp -a build/dist/quotedesk "$STAGE/quotedesk"
cp packaging/linux/install.sh "$STAGE/install.sh"
cp "packaging/$APP_ID.desktop" "packaging/$APP_ID.metainfo.xml" "$STAGE/share/"
cp "packaging/$APP_ID.svg" build/work/quotedesk/icons/"$APP_ID"-*.png "$STAGE/share/icons/"
cp LICENSE THIRD-PARTY-NOTICES.md "$STAGE/"
tar -C "$ROOT/build" -czf "$STAGE.tar.gz" "$(basename "$STAGE")"
echo "$STAGE.tar.gz"
