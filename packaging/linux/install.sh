#!/bin/sh
# Install Quote Desk from this unpacked tarball for the current user (no root needed):
#   ./install.sh              install or update
#   ./install.sh --uninstall  remove it again (your quotes database is kept)
# Puts the program in ~/.local/lib/quotedesk, the `quotedesk` command in ~/.local/bin (unless
# another installation, e.g. pipx's, has that name), and the desktop entry, icons and
# AppStream metainfo in the XDG data folders, so the desktop's menu lists "Quote Desk".
# --uninstall removes only what this script put there.
set -eu
APP_ID=io.quotedesk.QuoteDesk
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="$HOME/.local/bin"
PROGRAM="$HOME/.local/lib/quotedesk"
DESKTOP="$DATA/applications/$APP_ID.desktop"
METAINFO="$DATA/metainfo/$APP_ID.metainfo.xml"
ICONS="$DATA/icons/hicolor"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$DATA/applications" 2>/dev/null || true
  # Touching the theme folder is enough for desktops to rescan it; a user-level
  # icon-theme.cache would hide icons other programs install there later.
  touch "$ICONS" 2>/dev/null || true
}

# Whether ~/.local/bin/quotedesk is this installer's link (not pipx's, not a user's file).
ours() {
  [ -L "$BIN/quotedesk" ] && [ "$(readlink "$BIN/quotedesk")" = "$PROGRAM/quotedesk" ]
}

# The desktop entry's Exec key quotes an argument with a space in double quotes, in which
# ", `, $ and \ take a backslash; the file format then doubles every backslash, and % is
# written %% (Desktop Entry Specification, "The Exec key").
exec_quoted() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')"
}

if [ "${1:-}" = "--uninstall" ]; then
  if ours; then rm -f "$BIN/quotedesk"; fi
  rm -rf "$PROGRAM"
  rm -f "$DESKTOP" "$METAINFO" "$ICONS/scalable/apps/$APP_ID.svg"
  for png in "$ICONS"/*/apps/"$APP_ID".png; do rm -f "$png"; done
  refresh
  echo "Quote Desk removed (the quotes database in ${XDG_DATA_HOME:-~/.local/share}/quotedesk stays)."
  exit 0
fi

mkdir -p "$(dirname "$PROGRAM")" "$BIN" "$DATA/applications" "$DATA/metainfo" "$ICONS/scalable/apps"
rm -rf "$PROGRAM.new"
cp -R "$HERE/quotedesk" "$PROGRAM.new"
rm -rf "$PROGRAM"
mv "$PROGRAM.new" "$PROGRAM"
if [ -e "$BIN/quotedesk" ] || [ -L "$BIN/quotedesk" ]; then
  ours || echo "Note: $BIN/quotedesk belongs to another installation (pipx?): left as it is."
else
  ln -s "$PROGRAM/quotedesk" "$BIN/quotedesk"
fi
# The desktop entry runs the installed program by its full path: ~/.local/bin is not on
# every desktop session's PATH.
EXEC="$(exec_quoted "$PROGRAM/quotedesk")" awk '
  /^Exec=quotedesk / { $0 = "Exec=" ENVIRON["EXEC"] substr($0, length("Exec=quotedesk") + 1) }
  { print }
' "$HERE/share/$APP_ID.desktop" >"$DESKTOP"
cp "$HERE/share/$APP_ID.metainfo.xml" "$METAINFO"
cp "$HERE/share/icons/$APP_ID.svg" "$ICONS/scalable/apps/$APP_ID.svg"
for png in "$HERE"/share/icons/"$APP_ID"-*.png; do
  size="${png##*-}"
  size="${size%.png}"
  mkdir -p "$ICONS/${size}x$size/apps"
  cp "$png" "$ICONS/${size}x$size/apps/$APP_ID.png"
done
refresh
if ours; then
  echo "Quote Desk installed: run 'quotedesk' (in $BIN) or open it from the applications menu."
  case ":$PATH:" in *":$BIN:"*) ;; *) echo "Note: $BIN is not on your PATH." ;; esac
else
  echo "Quote Desk installed: run '$PROGRAM/quotedesk' or open it from the applications menu."
fi
