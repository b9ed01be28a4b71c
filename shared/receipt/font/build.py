"""Build the receipt font: Noto Sans CJK SC Regular, subset and converted to TrueType.

Run through build.sh, which fetches the pinned inputs and a pinned fontTools.

The character set is the union of
  * printable ASCII,
  * every character of GB 2312 (6763 hanzi, the symbol rows, full-width forms),
  * the 8105 hanzi of the 通用规范汉字表 (2013), read from the kTGH field of
    Unihan_OtherMappings.txt; it adds name characters GB 2312 lacks (喆 堃 玥 赟 …),
  * CJK punctuation U+3000–303F, full-width forms U+FF01–FF5E and U+FFE0–FFE6,
    a few symbols (…, —, □, ×, ¥, ℃, №),
  * every non-ASCII character of the string literals in the package's Go files,
    so that the fixed labels are always covered.

Outlines are converted from CFF (cubic) to glyf (quadratic) because the PDF library
(signintech/gopdf) embeds only TrueType outlines. Layout tables, vertical metrics and
hinting are dropped: the receipt sets horizontal text without shaping.
"""

import argparse
import bz2
import gzip
import hashlib
import pathlib
import re

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FACE = "Noto Sans CJK SC"
EXTRA = "…—‘’“”□×÷¥·℃№°±‰"
GO_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')


def gb2312():
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.update(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return {ord(c) for c in chars}


def tongyong(unihan_other_mappings_bz2):
    chars = set()
    with bz2.open(unihan_other_mappings_bz2, "rt", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3 and fields[1] == "kTGH":
                chars.add(int(fields[0][2:], 16))
    if len(chars) != 8105:
        raise SystemExit(f"kTGH lists {len(chars)} characters, want 8105")
    return chars


def labels(go_dir):
    chars = set()
    for path in sorted(pathlib.Path(go_dir).glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        for lit in GO_STRING.findall(path.read_text(encoding="utf-8")):
            chars.update(ord(c) for c in lit if ord(c) > 0x7F)
    return chars


def charset(unihan, go_dir):
    chars = set(range(0x20, 0x7F))
    chars |= gb2312() | tongyong(unihan) | labels(go_dir)
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F)) | set(range(0xFFE0, 0xFFE7))
    chars |= {ord(c) for c in EXTRA}
    return sorted(chars)


def open_face(ttc):
    collection = TTCollection(ttc, lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(4) == FACE:
            return TTFont(ttc, fontNumber=number, recalcTimestamp=False)
    raise SystemExit(f"{ttc}: no face named {FACE!r}")


def subset_face(font, unicodes):
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.desubroutinize = True
    opts.name_IDs = ["*"]
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GDEF", "GSUB", "GPOS"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)


def to_truetype(font, max_err):
    """Replace the CFF table by glyf/loca, as fontTools' otf2ttf snippet does."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ttc", required=True)
    ap.add_argument("--unihan", required=True, help="Unihan_OtherMappings.txt.bz2")
    ap.add_argument("--go-dir", required=True)
    ap.add_argument("--out", required=True, help="output .ttf.gz")
    ap.add_argument("--max-err", type=float, default=1.0, help="cu2qu tolerance in font units")
    args = ap.parse_args()

    unicodes = charset(args.unihan, args.go_dir)
    font = open_face(args.ttc)
    subset_face(font, unicodes)
    to_truetype(font, args.max_err)
    ttf = pathlib.Path(args.out).with_suffix("")  # drop .gz
    font.save(str(ttf), reorderTables=True)
    data = ttf.read_bytes()
    ttf.unlink()
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                    compresslevel=9, mtime=0) as gz:
        gz.write(data)
    cmap = font["cmap"].getBestCmap()
    print(f"characters requested {len(unicodes)}, mapped {len(cmap)}, glyphs {len(font.getGlyphOrder())}")
    print(f"ttf {len(data)} bytes sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
