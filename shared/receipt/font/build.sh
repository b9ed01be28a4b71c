#!/usr/bin/env bash
# Rebuilds NotoSansCJKsc-Regular-receipt.ttf.gz and OFL.txt from public sources.
#
#   shared/receipt/font/build.sh          # rebuild in place
#   shared/receipt/font/build.sh --check  # rebuild into a temp dir and compare
#
# Inputs, all pinned:
#   fonts-noto-cjk  (Debian bookworm) NotoSansCJK-Regular.ttc, face "Noto Sans CJK SC"
#   unicode-data    (Debian bookworm) Unihan_OtherMappings.txt.bz2, field kTGH (通用规范汉字表)
#   fonttools       (PyPI), in a throwaway venv
# Needs apt-get (Debian's package lists; run `apt-get update` first on a fresh machine),
# dpkg-deb, python3 with venv. Writes nothing outside this directory and a temp dir.
set -euo pipefail

NOTO_DEB=fonts-noto-cjk=1:20220127+repack1-1
NOTO_TTC_SHA256=b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a
UNICODE_DEB=unicode-data=15.0.0-1
FONTTOOLS=fonttools==4.68.0
OUT=NotoSansCJKsc-Regular-receipt.ttf.gz

here=$(cd "$(dirname "$0")" && pwd)
check=false
[[ "${1:-}" == "--check" ]] && check=true

work=$(mktemp -d)
chmod 755 "$work" # apt-get download hands the file to user _apt
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download -q "$NOTO_DEB" "$UNICODE_DEB" >/dev/null)
dpkg-deb -x "$work"/fonts-noto-cjk_*.deb "$work/root"
dpkg-deb -x "$work"/unicode-data_*.deb "$work/root"
ttc="$work/root/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
echo "$NOTO_TTC_SHA256  $ttc" | sha256sum -c --quiet

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "$FONTTOOLS"

dest="$here"
$check && dest="$work/out" && mkdir -p "$dest"

"$work/venv/bin/python" "$here/build.py" \
  --ttc "$ttc" \
  --unihan "$work/root/usr/share/unicode/Unihan_OtherMappings.txt.bz2" \
  --go-dir "$here/.." \
  --out "$dest/$OUT"

# The licence: upstream's copyright line, then the OFL text as Debian ships it.
{
  echo "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."
  echo "Noto is a trademark of Google Inc."
  echo
  echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
  echo "NotoSansCJKsc-Regular-receipt.ttf.gz is a Modified Version of Noto Sans CJK SC"
  echo "Regular: subset and converted to TrueType outlines by build.sh in this directory."
  echo
  # The standalone "License: SIL-1.1" paragraph (not the Files: stanza's field).
  awk 'prev == "" && /^License: SIL-1.1$/ {on=1; prev=$0; next} on && !/^ / {exit} on; {prev=$0}' \
    "$work/root/usr/share/doc/fonts-noto-cjk/copyright" |
    sed -e 's/^ //' -e 's/^\.$//'
} >"$dest/OFL.txt"

if $check; then
  # Compare the uncompressed font: gzip framing may differ between zlib builds.
  for f in "$OUT"; do
    cmp <(gzip -dc "$here/$f") <(gzip -dc "$dest/$f") || { echo "$f differs" >&2; exit 1; }
  done
  cmp "$here/OFL.txt" "$dest/OFL.txt" || { echo "OFL.txt differs" >&2; exit 1; }
  echo "up to date"
fi
ls -l "$dest/$OUT"
