#!/usr/bin/env bash
# Wrap the macOS app bundle in a compressed disk image with an Applications shortcut:
#   pyinstaller packaging/quotedesk.spec --distpath build/dist --workpath build/work
#   bash packaging/macos/make-dmg.sh [PYTHON]
# Output: build/QuoteDesk-VERSION-macos-ARCH.dmg (arm64 or x86_64: the processor it was
# built on). Needs hdiutil (macOS). Unless the build signed and notarised it (the CI
# workflow does when its secrets are set), Gatekeeper blocks the first start: README
# "Install" gives the steps.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${1:-python3}"
APP="$ROOT/build/dist/Quote Desk.app"
# Read with Python, not sed: the file may have CRLF line ends.
VERSION="$("$PYTHON" -c 'import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
DMG="$ROOT/build/QuoteDesk-$VERSION-macos-$(uname -m).dmg"
[[ -d "$APP" ]] || { echo "no $APP: run pyinstaller first" >&2; exit 1; }

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
cp "$ROOT/LICENSE" "$ROOT/THIRD-PARTY-NOTICES.md" "$STAGE/"
rm -f "$DMG"
hdiutil create -volname "Quote Desk $VERSION" -srcfolder "$STAGE" -fs HFS+ \
  -format UDZO -ov "$DMG"
echo "$DMG"
