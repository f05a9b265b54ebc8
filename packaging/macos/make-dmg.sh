#!/usr/bin/env bash
# Wrap the macOS app bundle in a compressed disk image with an Applications shortcut:
#   pyinstaller packaging/quotedesk.spec --distpath build/dist --workpath build/work
#   bash packaging/macos/make-dmg.sh
# Output: build/QuoteDesk-VERSION-macos-ARCH.dmg. Needs hdiutil (macOS). The app is not
# signed or notarized: on first start, right-click > Open (README "Install").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="$ROOT/build/dist/Quote Desk.app"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml")"
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
