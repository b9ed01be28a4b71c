// Package receipt renders the 回执单 (application receipt) an applicant gets
// after submitting a business: an A4 PDF with the reference, who applied for
// what and when, the materials handed in, the selected ledger rows and their
// totals, the promise of when it will be handled, and a QR code that leads to
// the page verifying the receipt.
//
// It is pure Go and does no I/O: no AWS, no network, no files at run time. The
// caller stores or sends the bytes.
//
// # Invariants
//
//   - Every page is A4 portrait (595.28 × 841.89 pt). Rows that do not fit
//     continue on a new page under a repeated table header; every page carries
//     the reference and "第 i 页 / 共 n 页".
//   - Nothing runs off the page: long values wrap (up to 3 lines in a table
//     cell, 6 for the promise and the URL) and are then cut with "…"; a title
//     too wide at 20 pt shrinks to 14 pt before it is cut.
//   - Characters the font lacks (rare CJK Extension B and later ideographs,
//     emoji) print as "□" instead of failing; control and zero-width characters
//     are dropped.
//   - Text is extractable: the font is a Type0/CIDFontType2 with Identity-H
//     encoding and a ToUnicode CMap, and each PDF embeds only the glyphs it
//     uses (a receipt with 60 rows is well under 200 KB).
//
// # Font
//
// The embedded font (font/, built by font/build.sh, see font/README.md) is Noto
// Sans CJK SC Regular under the SIL Open Font License 1.1, which allows
// embedding it in documents and bundling it with software. It is cut down to
// GB 2312, the 通用规范汉字表 (8105 hanzi, which adds name characters such as 喆
// 堃 玥), ASCII, full-width and CJK punctuation and every character of this
// package's labels, and converted from CFF to TrueType outlines, which is what
// the PDF library embeds. Stored gzip-compressed, it is decompressed and parsed
// once, on the first Render (sync.Once), never at package init, so processes
// that do not render receipts start as fast as before.
//
// # Libraries
//
//   - github.com/signintech/gopdf writes the PDF. It embeds TrueType fonts as
//     subsets with a ToUnicode map, compresses streams, lets a parsed font be
//     shared between documents (FontContainer, so each Render does not re-parse
//     2.5 MB of font) and can return to an earlier page (for "共 n 页"). It is
//     maintained (releases through 2025); github.com/go-pdf/fpdf, the other
//     candidate, was archived in 2025 and re-parses the font for every document.
//   - github.com/boombuler/barcode/qr encodes the QR code. The module is
//     already a dependency (login QR codes in shared/identity/account); the code
//     is drawn as vector rectangles rather than an image, so it stays sharp when
//     printed.
//
// Tests read the PDFs back with github.com/ledongthuc/pdf (text through the
// ToUnicode map, and the QR code's rectangles) and decode the QR code with
// github.com/makiuchi-d/gozxing; neither is linked into the program.
//
// # Limitations
//
// No shaping, vertical or bidirectional text: the receipt is horizontal
// Chinese and Latin text. gopdf writes ToUnicode entries and document
// information strings for characters above U+FFFF as bare hex, which is wrong;
// Render rewrites the ToUnicode entries as UTF-16 surrogate pairs (fixing the
// stream length and cross-reference offsets, see tounicode.go) and replaces
// such characters by "□" in the document information only.
package receipt
