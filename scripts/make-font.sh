#!/bin/sh
# Make assets/fonts/NotoSansSC-kiosk.otf: the Simplified Chinese face of
# Debian's Noto Sans CJK, cut down to what the kiosk can show, so the file
# the unit carries is small and loads fast. Characters kept: printable
# ASCII, Latin-1 punctuation, all of GB2312 (symbols, and the 6763 hanzi
# of levels 1 and 2: level 1 alone misses common name characters such as
# 婷), and every character of the string tables and the demo data. Re-run after adding
# strings with new characters; the output is committed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=${NOTO_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}
out="$top/assets/fonts/NotoSansSC-kiosk.otf"
# Debian's python has fontTools; a python3 earlier in PATH may not.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

chars=$(mktemp)
trap 'rm -f "$chars"' EXIT

"$py" - "$top" >"$chars" <<'PY'
import glob, os, sys
top = sys.argv[1]
s = set(chr(c) for c in range(0x20, 0x7f))
s.update(chr(c) for c in range(0xa0, 0x100))
s.update("…—–·•‘’“”←→↑↓✓✗★☆●○■□▲△")
# GB2312 rows 0xA1-0xA9 are symbols and full-width forms; rows 0xB0-0xD7
# are level-1 hanzi, 0xD8-0xF7 level 2.
for row in list(range(0xa1, 0xaa)) + list(range(0xb0, 0xf8)):
    for col in range(0xa1, 0xff):
        try:
            s.add(bytes([row, col]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
files = glob.glob(os.path.join(top, "assets/i18n/*"))
files += glob.glob(os.path.join(top, "assets/demo/*"))
for f in files:
    with open(f, encoding="utf-8", errors="ignore") as fh:
        s.update(fh.read())
s = sorted(c for c in s if c.isprintable() or c == " ")
sys.stdout.write("".join(s))
PY

face=$("$py" - "$src" <<'PY'
import sys
from fontTools.ttLib import TTCollection
c = TTCollection(sys.argv[1], lazy=True)
for i, f in enumerate(c.fonts):
    if f["name"].getDebugName(4) == "Noto Sans CJK SC":
        print(i)
        break
PY
)
[ -n "$face" ] || { echo "make-font: no SC face in $src" >&2; exit 1; }

"$py" -m fontTools.subset "$src" --font-number="$face" \
    --text-file="$chars" --output-file="$out" \
    --layout-features='kern,liga,locl,vert,halt,palt' \
    --no-hinting --desubroutinize --name-IDs='*' --name-languages='*'
licence=/usr/share/doc/fonts-noto-cjk/copyright
cp "$licence" "$top/assets/fonts/LICENSE-NotoSansCJK.txt"
echo "make-font: $(wc -c <"$out") bytes, $(wc -m <"$chars") characters"
