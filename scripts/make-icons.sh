#!/bin/sh
# Make assets/icons/MaterialIcons-kiosk.ttf: Debian's Material Icons font
# (fonts-material-design-icons-iconfont, Apache-2.0) cut down to the code
# points ui/icon.h lists, so the unit carries a few kilobytes instead of
# 350 KB. Re-run after adding an icon to ui/icon.h; the output is
# committed, with the package's copyright file beside it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pkgdir=${ICON_ROOT:-}
src=$pkgdir/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf
licence=$pkgdir/usr/share/doc/fonts-material-design-icons-iconfont/copyright
out="$top/assets/icons/MaterialIcons-kiosk.ttf"
py=/usr/bin/python3
[ -x "$py" ] || py=python3

[ -r "$src" ] || { echo "make-icons: $src missing (apt-get install fonts-material-design-icons-iconfont)" >&2; exit 1; }
codes=$(sed -n 's/^ *GLYPH_[A-Z_]* *= *0x\([0-9a-fA-F]*\),.*/U+\1/p' \
        "$top/ui/icon.h" | tr '\n' ',')
[ -n "$codes" ] || { echo "make-icons: no GLYPH_ code points in ui/icon.h" >&2; exit 1; }
mkdir -p "$top/assets/icons"
"$py" -m fontTools.subset "$src" --unicodes="$codes" --output-file="$out" \
    --layout-features='' --no-hinting --name-IDs='*'
{ cat "$licence"; echo; echo "Full text of the Apache License 2.0:"; echo
  cat /usr/share/common-licenses/Apache-2.0; } \
    >"$top/assets/icons/LICENSE-MaterialIcons.txt"
