package receipt

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/hljhrss/hrss/shared/clock"
)

// Row is one selected ledger row, its cells in the order of Receipt.Columns.
type Row struct{ Cells []string }

// Receipt is what a 回执单 shows. Empty optional fields are left out of the page.
type Receipt struct {
	Title      string    // e.g. "退费回执单", "职欠费清欠回执单", or business name + "回执单"
	Reference  string    // 业务编号, e.g. "HL20261202-7K3M9Q"
	Business   string    // 办理业务, e.g. "个人退费"
	Applicant  string    // 申请人
	IDMasked   string    // 证件号码, already masked, e.g. "2301**********1234" ("" to omit)
	Unit       string    // 单位名称 ("" to omit)
	UnitNumber string    // 单位编号 ("" to omit)
	Submitted  time.Time // 提交时间, shown in Asia/Shanghai as 2006年01月02日 15:04
	Round      int       // 1 = first submission; >1 shows 第N次提交
	Materials  []string  // 提交材料 lines, e.g. "身份证 (id.png)"
	Columns    []string  // ledger table header; empty: no table
	Rows       []Row
	Totals     [][2]string // label, value, e.g. {"退费合计", "1234.56"}
	Promise    string      // e.g. "工作人员会在48小时之内处理，请耐心等待。"
	VerifyURL  string      // encoded in the QR code and printed beside it ("" to omit)
}

// Fixed labels. font/build.py reads the string literals of this package's Go
// files, so every character here is in the embedded font.
const (
	labelReference  = "业务编号"
	labelBusiness   = "办理业务"
	labelApplicant  = "申请人"
	labelID         = "证件号码"
	labelUnit       = "单位名称"
	labelUnitNumber = "单位编号"
	labelSubmitted  = "提交时间"
	labelMaterials  = "提交材料"
	labelRows       = "所选明细（共%d条）"
	labelNoMaterial = "无"
	labelQR         = "扫码核验回执真伪"
	labelVerify     = "核验地址："
	labelVerifyNote = "本回执由系统自动生成，可扫描右侧二维码或访问上述地址核验真伪。"
	labelRound      = "（第%d次提交）"
	labelContinued  = "（续）"
	labelPages      = "第 %d 页 / 共 %d 页"
	labelTotalSep   = "："
	timeLayout      = "2006年01月02日 15:04"
)

// Font sizes in points.
const (
	sizeTitle = 20
	sizeBody  = 10.5
	sizeHead  = 11
	sizeSmall = 7.5
)

// Render lays r out on A4 pages and returns the PDF. The first call parses the
// embedded font (tens of milliseconds); later calls share it. Render is safe
// for concurrent use.
func Render(r Receipt) ([]byte, error) {
	f, err := loadFace()
	if err != nil {
		return nil, err
	}
	d, err := newDoc(f)
	if err != nil {
		return nil, err
	}
	d.pdf.SetInfo(gopdf.PdfInfo{
		Title:        bmp(f.clean(r.Title)),
		Subject:      bmp(f.clean(r.Reference)),
		Creator:      "hrss",
		Producer:     "hrss shared/receipt (gopdf)",
		CreationDate: r.Submitted,
	})
	steps := []func(*doc, Receipt) error{
		(*doc).title, (*doc).info, (*doc).materials, (*doc).ledger, (*doc).totals, (*doc).promise, (*doc).verify,
	}
	for _, step := range steps {
		if err := step(d, r); err != nil {
			return nil, fmt.Errorf("receipt: %w", err)
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("receipt: %w", d.err)
	}
	if err := d.footers(f.clean(r.Reference)); err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	out, err := d.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	out, err = fixToUnicode(out)
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	return out, nil
}

// bmp replaces characters above U+FFFF with the placeholder: gopdf writes the
// document information strings as bare hex code points, which is only right
// for the Basic Multilingual Plane.
func bmp(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return placeholder
		}
		return r
	}, s)
}

// title centres r.Title, shrinking it down to 14 pt before cutting it short.
func (d *doc) title(r Receipt) error {
	t := d.face.clean(r.Title)
	size := float64(sizeTitle)
	for size > 14 && d.face.width(t, size) > contentW {
		size--
	}
	t = d.ellipsis(t, contentW, size)
	d.head = d.ellipsis(t+labelContinued, contentW, sizeSmall)
	if err := d.text(marginX, d.y, contentW, size*1.5, t, size, gopdf.Center|gopdf.Middle); err != nil {
		return err
	}
	d.y += size*1.5 + 4*mm
	return nil
}

type field struct{ label, value string }

// info is the table of who, what and when; a pair whose value is too long for
// half the width gets a whole row.
func (d *doc) info(r Receipt) error {
	submitted := ""
	if !r.Submitted.IsZero() {
		submitted = r.Submitted.In(clock.Shanghai).Format(timeLayout)
		if r.Round > 1 {
			submitted += fmt.Sprintf(labelRound, r.Round)
		}
	}
	var fs []field
	for _, f := range []field{
		{labelReference, r.Reference}, {labelBusiness, r.Business},
		{labelApplicant, r.Applicant}, {labelID, r.IDMasked},
		{labelUnit, r.Unit}, {labelUnitNumber, r.UnitNumber},
		{labelSubmitted, submitted},
	} {
		if v := d.face.clean(f.value); v != "" {
			fs = append(fs, field{f.label, v})
		}
	}
	const labelW = 22 * mm
	fits := func(f field) bool { return !d.tooWide(f.value, contentW/2-labelW) }
	for i := 0; i < len(fs); {
		pair := fs[i : i+1] // alone, the value spans the rest of the row
		if i+1 < len(fs) && fits(fs[i]) && fits(fs[i+1]) {
			pair = fs[i : i+2]
		}
		if err := d.infoRow(pair, labelW); err != nil {
			return err
		}
		i += len(pair)
	}
	d.y += 5 * mm
	return nil
}

func (d *doc) tooWide(s string, w float64) bool {
	return d.face.width(s, sizeBody) > w-2*cellPad
}

const cellPad = 1.5 * mm

// infoRow draws one row of one or two label/value pairs.
func (d *doc) infoRow(pair []field, labelW float64) error {
	valueW := contentW - labelW
	if len(pair) == 2 {
		valueW = contentW/2 - labelW
	}
	lh := sizeBody * lineGap
	height := lh
	wrapped := make([][]string, len(pair))
	for i, f := range pair {
		wrapped[i] = d.wrap(f.value, valueW-2*cellPad, sizeBody, 3)
		height = max(height, float64(len(wrapped[i]))*lh)
	}
	height += 2 * cellPad
	d.room(height)
	x := marginX
	for i, f := range pair {
		d.shade(x, d.y, labelW, height)
		d.box(x, d.y, labelW, height)
		d.box(x+labelW, d.y, valueW, height)
		if err := d.text(x+cellPad, d.y, labelW-2*cellPad, height, f.label, sizeBody, gopdf.Left|gopdf.Middle); err != nil {
			return err
		}
		top := d.y + (height-float64(len(wrapped[i]))*lh)/2
		if _, err := d.lines(x+labelW+cellPad, top, valueW-2*cellPad, wrapped[i], sizeBody, gopdf.Left); err != nil {
			return err
		}
		x += labelW + valueW
	}
	d.y += height
	return nil
}

func (d *doc) heading(s string) error {
	d.room(sizeHead*lineGap + 3*sizeBody*lineGap) // keep a heading with what follows
	if err := d.text(marginX, d.y, contentW, sizeHead*lineGap, s, sizeHead, gopdf.Left|gopdf.Middle); err != nil {
		return err
	}
	d.y += sizeHead*lineGap + 1*mm
	return nil
}

func (d *doc) materials(r Receipt) error {
	if err := d.heading(labelMaterials); err != nil {
		return err
	}
	var items []string
	for _, m := range r.Materials {
		if m = strings.TrimSpace(d.face.clean(m)); m != "" {
			items = append(items, m)
		}
	}
	numbered := len(items) > 0
	if !numbered {
		items = []string{labelNoMaterial}
	}
	numW := d.face.width("99. ", sizeBody)
	for i, m := range items {
		ls := d.wrap(m, contentW-numW-2*mm, sizeBody, 2)
		h := float64(len(ls)) * sizeBody * lineGap
		d.room(h)
		if numbered {
			num := strconv.Itoa(i+1) + "."
			if err := d.text(marginX+2*mm, d.y, numW, sizeBody*lineGap, num, sizeBody, gopdf.Left|gopdf.Middle); err != nil {
				return err
			}
		}
		if _, err := d.lines(marginX+2*mm+numW, d.y, contentW-numW-2*mm, ls, sizeBody, gopdf.Left); err != nil {
			return err
		}
		d.y += h
	}
	d.y += 4 * mm
	return nil
}

func (d *doc) totals(r Receipt) error {
	if len(r.Totals) == 0 {
		return nil
	}
	for _, t := range r.Totals {
		value := labelTotalSep + d.face.clean(t[1])
		label := d.face.clean(t[0])
		if room := contentW - d.face.width(value, sizeHead); room > contentW/3 {
			label = d.ellipsis(label, room, sizeHead) // cut the label, never the sum
		}
		ls := d.wrap(label+value, contentW, sizeHead, 3)
		h := float64(len(ls)) * sizeHead * lineGap
		d.room(h)
		if _, err := d.lines(marginX, d.y, contentW, ls, sizeHead, gopdf.Right); err != nil {
			return err
		}
		d.y += h
	}
	d.y += 4 * mm
	return nil
}

func (d *doc) promise(r Receipt) error {
	ls := d.wrap(d.face.clean(r.Promise), contentW, sizeHead, 6)
	if len(ls) == 0 {
		return nil
	}
	h := float64(len(ls)) * sizeHead * lineGap
	d.room(h)
	if _, err := d.lines(marginX, d.y, contentW, ls, sizeHead, gopdf.Left); err != nil {
		return err
	}
	d.y += h + 5*mm
	return nil
}

// footers writes the reference and page numbers at the foot of every page,
// once the page count is known.
func (d *doc) footers(reference string) error {
	for p := 1; p <= d.pages; p++ {
		if err := d.pdf.SetPage(p); err != nil {
			return err
		}
		d.grey(textGrey)
		s := fmt.Sprintf(labelPages, p, d.pages)
		if reference != "" {
			s = "　" + s // the page numbers are never cut, the reference may be
			s = d.ellipsis(labelReference+" "+reference, contentW-d.face.width(s, sizeSmall), sizeSmall) + s
		}
		if err := d.text(marginX, footerY, contentW, sizeSmall*lineGap, s, sizeSmall, gopdf.Center|gopdf.Middle); err != nil {
			return err
		}
		d.black()
	}
	return nil
}
