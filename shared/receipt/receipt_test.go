package receipt_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ledongthuc/pdf"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/receipt"
	"github.com/hljhrss/hrss/shared/receipt/receipttest"
)

// sample is a realistic 个人退费 receipt with n ledger rows of 9 columns.
func sample(n int) receipt.Receipt {
	r := receipt.Receipt{
		Title:      "退费回执单",
		Reference:  "HL20261202-7K3M9Q",
		Business:   "个人退费",
		Applicant:  "张伟",
		IDMasked:   "2301**********1234",
		Unit:       "哈尔滨市道里区某某机械制造有限责任公司",
		UnitNumber: "23010012345",
		Submitted:  time.Date(2026, 12, 2, 15, 4, 0, 0, clock.Shanghai),
		Round:      2,
		Materials:  []string{"身份证 (id.png)", "银行卡 (bank-card.jpg)", "退费申请表 (申请表-张伟-2026.pdf)"},
		Columns:    []string{"费款所属期", "险种类型", "缴费基数", "单位缴费", "个人缴费", "缴费类型", "到账日期", "征收机构", "退费金额"},
		Totals:     [][2]string{{"退费合计", "1234.56"}, {"其中个人部分", "411.52"}},
		Promise:    "工作人员会在48小时之内处理，请耐心等待。",
		VerifyURL:  "https://hrss.example.gov.cn/verify/HL20261202-7K3M9Q?c=3f9a2b7c",
	}
	for i := range n {
		r.Rows = append(r.Rows, receipt.Row{Cells: []string{
			fmt.Sprintf("2025%02d", i%12+1), "企业职工基本养老保险", "5686.00", "909.76", "454.88",
			"正常缴费", "2025-03-15", "国家税务总局哈尔滨市道里区税务局", fmt.Sprintf("%d.%02d", 100+i, i),
		}})
	}
	return r
}

func render(tb testing.TB, r receipt.Receipt) []byte {
	tb.Helper()
	b, err := receipt.Render(r)
	if err != nil {
		tb.Fatalf("Render: %v", err)
	}
	keep(tb, b)
	return b
}

// keep writes b to $HRSS_RECEIPT_OUT/<test name>.pdf when that variable names a
// directory, for a person to look at.
func keep(tb testing.TB, b []byte) {
	tb.Helper()
	dir := os.Getenv("HRSS_RECEIPT_OUT")
	if dir == "" {
		return
	}
	name := filepath.Join(dir, strings.ReplaceAll(tb.Name(), "/", "_")+".pdf")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		tb.Fatalf("keep: %v", err)
	}
	tb.Logf("wrote %s", name)
}
func open(tb testing.TB, b []byte) *pdf.Reader {
	tb.Helper()
	r, err := receipttest.Open(b)
	if err != nil {
		tb.Fatalf("read PDF: %v", err)
	}
	return r
}

func runs(p pdf.Page) []receipttest.Run { return receipttest.Runs(p) }

// pageTexts returns each page's runs joined by newlines.
func pageTexts(tb testing.TB, b []byte) []string {
	tb.Helper()
	r := open(tb, b)
	var out []string
	for i := 1; i <= r.NumPage(); i++ {
		var s []string
		for _, ru := range runs(r.Page(i)) {
			s = append(s, ru.S)
		}
		out = append(out, strings.Join(s, "\n"))
	}
	return out
}

func TestRenderExtractsText(t *testing.T) {
	r := sample(5)
	text := strings.Join(pageTexts(t, render(t, r)), "\n")
	want := []string{
		r.Title, r.Reference, r.Business, r.Applicant, r.IDMasked, r.Unit, r.UnitNumber,
		"2026年12月02日 15:04（第2次提交）",
		"业务编号", "办理业务", "申请人", "证件号码", "单位名称", "单位编号", "提交时间", "提交材料",
		"身份证 (id.png)", "所选明细（共5条）", "企业职工基本养老保险", "104.04",
		"退费合计：1234.56", "其中个人部分：411.52",
		r.Promise, "扫码核验回执真伪", r.VerifyURL, "第 1 页 / 共 1 页",
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("extracted text lacks %q", w)
		}
	}
	if strings.ContainsRune(text, '□') {
		t.Errorf("a label or value fell back to the placeholder:\n%s", text)
	}
}

func TestSubmittedIsShanghaiTime(t *testing.T) {
	r := sample(0)
	r.Submitted = time.Date(2026, 12, 2, 7, 4, 0, 0, time.UTC)
	r.Round = 1
	text := strings.Join(pageTexts(t, render(t, r)), "\n")
	if !strings.Contains(text, "2026年12月02日 15:04") {
		t.Errorf("submitted time not shown in Asia/Shanghai:\n%s", text)
	}
	if strings.Contains(text, "次提交") {
		t.Errorf("first submission shows a round:\n%s", text)
	}
}

// TestQRCodeDecodes reads the QR code back from the PDF itself
// (receipttest.QR: the rectangles the page draws, decoded with gozxing).
func TestQRCodeDecodes(t *testing.T) {
	r := sample(3)
	got, side, err := receipttest.QR(open(t, render(t, r)).Page(1), receipt.QRQuiet)
	if err != nil {
		t.Fatal(err)
	}
	if got != r.VerifyURL {
		t.Errorf("QR code = %q, want %q", got, r.VerifyURL)
	}
	if math.Abs(side-receipt.QRSide) > 0.5 {
		t.Errorf("QR code side = %.2f pt, want %.2f (30 mm)", side, receipt.QRSide)
	}
}

// inherited looks key up on a page and then its ancestors in the page tree.
func inherited(v pdf.Value, key string) pdf.Value {
	for ; !v.IsNull(); v = v.Key("Parent") {
		if r := v.Key(key); !r.IsNull() {
			return r
		}
	}
	return pdf.Value{}
}

func TestSixtyRowsIsSmallA4(t *testing.T) {
	b := render(t, sample(60))
	if len(b) >= 200<<10 {
		t.Errorf("PDF is %d bytes, want < 200 KB", len(b))
	}
	t.Logf("60 rows: %d bytes", len(b))
	r := open(t, b)
	if r.NumPage() < 2 {
		t.Fatalf("60 rows fit on %d page; the test wants a page break", r.NumPage())
	}
	for i := 1; i <= r.NumPage(); i++ {
		box := inherited(r.Page(i).V, "MediaBox")
		got := []float64{box.Index(0).Float64(), box.Index(1).Float64(), box.Index(2).Float64(), box.Index(3).Float64()}
		want := []float64{0, 0, 595.28, 841.89}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 0.01 })); diff != "" {
			t.Errorf("page %d MediaBox (-want +got):\n%s", i, diff)
		}
	}
	texts := pageTexts(t, b)
	for i, text := range texts[1:] {
		for _, w := range []string{"退费回执单（续）", "费款所属期", fmt.Sprintf("第 %d 页 / 共 %d 页", i+2, len(texts))} {
			if !strings.Contains(text, w) {
				t.Errorf("page %d lacks %q", i+2, w)
			}
		}
	}
	all := strings.Join(texts, "\n")
	for i := range 60 {
		if w := fmt.Sprintf("%d.%02d", 100+i, i); !strings.Contains(all, w) {
			t.Errorf("row %d (%s) is missing", i, w)
		}
	}
}

// TestFontIsEmbeddedSubset checks the font program in the PDF: TrueType
// (FontFile2), far smaller than the 2.5 MB font it was cut from, with a
// ToUnicode map.
func TestFontIsEmbeddedSubset(t *testing.T) {
	r := open(t, render(t, sample(60)))
	fonts := r.Page(1).Resources().Key("Font")
	if len(fonts.Keys()) == 0 {
		t.Fatal("page has no fonts")
	}
	for _, k := range fonts.Keys() {
		f := fonts.Key(k)
		if got := f.Key("Subtype").Name(); got != "Type0" {
			t.Errorf("font %s subtype = %s, want Type0", k, got)
		}
		if f.Key("ToUnicode").Kind() != pdf.Stream {
			t.Errorf("font %s has no ToUnicode stream", k)
		}
		file := f.Key("DescendantFonts").Index(0).Key("FontDescriptor").Key("FontFile2")
		if file.Kind() != pdf.Stream {
			t.Fatalf("font %s embeds no TrueType program", k)
		}
		n, err := readAll(file)
		if err != nil {
			t.Fatal(err)
		}
		if n > 150<<10 {
			t.Errorf("embedded font is %d bytes uncompressed: not a subset", n)
		}
		t.Logf("embedded font %s: %d bytes uncompressed", k, n)
	}
}

func readAll(v pdf.Value) (int, error) {
	var buf bytes.Buffer
	rc := v.Reader()
	defer rc.Close()
	_, err := buf.ReadFrom(rc)
	return buf.Len(), err
}

func TestMissingGlyphsBecomePlaceholders(t *testing.T) {
	r := sample(1)
	r.Applicant = "李𪚥" // U+2A6A5, CJK Extension B, not in the embedded font
	r.Rows[0].Cells[1] = "养老😀保险"
	text := strings.Join(pageTexts(t, render(t, r)), "\n")
	for _, w := range []string{"李□", "养老□保险"} {
		if !strings.Contains(text, w) {
			t.Errorf("extracted text lacks %q:\n%s", w, text)
		}
	}
}

// TestSupplementaryPlaneExtracts uses an Extension B ideograph that the font
// has (it is in the 通用规范汉字表): it prints, and reads back as itself.
func TestSupplementaryPlaneExtracts(t *testing.T) {
	r := sample(1)
	r.Applicant = "王\U00020164明"
	r.Title = "\U00020164回执单"
	text := strings.Join(pageTexts(t, render(t, r)), "\n")
	if !strings.Contains(text, r.Applicant) {
		t.Errorf("extracted text lacks %q:\n%s", r.Applicant, text)
	}
	if strings.ContainsRune(text, '□') {
		t.Errorf("U+20164 fell back to the placeholder:\n%s", text)
	}
}

func TestEmptyOptionalFields(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*receipt.Receipt)
		want    []string
		notWant []string
	}{
		{
			name: "no id, unit or materials",
			edit: func(r *receipt.Receipt) {
				r.IDMasked, r.Unit, r.UnitNumber, r.Materials = "", "", "", nil
			},
			want:    []string{"申请人", "提交材料", "无"},
			notWant: []string{"证件号码", "单位名称", "单位编号"},
		},
		{
			name: "no table, totals, promise or QR code",
			edit: func(r *receipt.Receipt) {
				r.Columns, r.Rows, r.Totals, r.Promise, r.VerifyURL = nil, nil, nil, "", ""
			},
			want:    []string{"退费回执单", "HL20261202-7K3M9Q"},
			notWant: []string{"所选明细", "退费合计", "扫码核验回执真伪"},
		},
		{
			name: "columns without rows",
			edit: func(r *receipt.Receipt) { r.Rows = nil },
			want: []string{"所选明细（共0条）", "费款所属期"},
		},
		{
			name: "rows shorter and longer than the header",
			edit: func(r *receipt.Receipt) {
				r.Rows = []receipt.Row{{Cells: []string{"202501"}}, {Cells: make([]string, 20)}}
			},
			want: []string{"202501"},
		},
		{
			name:    "zero receipt",
			edit:    func(r *receipt.Receipt) { *r = receipt.Receipt{} },
			want:    []string{"提交材料"},
			notWant: []string{"提交时间"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sample(3)
			tt.edit(&r)
			text := strings.Join(pageTexts(t, render(t, r)), "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("text has %q", w)
				}
			}
		})
	}
}

// TestNothingLeavesThePage feeds overlong values everywhere and checks every
// run of text read back from the PDF lies within the side margins.
func TestNothingLeavesThePage(t *testing.T) {
	long := strings.Repeat("黑龙江省哈尔滨市南岗区人力资源和社会保障局", 8)
	r := sample(4)
	r.Title = long + "回执单"
	r.Reference = strings.Repeat("HL20261202-7K3M9Q", 10)
	r.Business = long
	r.Applicant = strings.Repeat("Alexander", 20)
	r.Unit = long
	r.Materials = append(r.Materials, long+" ("+strings.Repeat("scan", 60)+".pdf)")
	r.Columns = []string{"序号", "费款所属期", "险种类型", "缴费基数", "单位缴费", "个人缴费", "缴费类型", "到账日期", "征收机构", "核定状态", "备注说明", "退费金额"}
	for i := range r.Rows {
		r.Rows[i].Cells = []string{fmt.Sprint(i + 1), "202501", long, "5686.00", "909.76", "454.88", "正常缴费", "2025-03-15", long, "已核定", strings.Repeat("x", 300), "123456789012.34"}
	}
	r.Totals = [][2]string{{long, strings.Repeat("9", 200)}}
	r.Promise = strings.Repeat("工作人员会在48小时之内处理，请耐心等待。", 30)
	r.VerifyURL = "https://hrss.example.gov.cn/verify?" + strings.Repeat("token=abcdef0123456789&", 20)
	b := render(t, r)
	rd := open(t, b)
	const slack = 0.5
	for i := 1; i <= rd.NumPage(); i++ {
		for _, ru := range runs(rd.Page(i)) {
			w := receipt.AdvanceWidth(ru.S, ru.Size)
			if ru.X < receipt.MarginX-slack || ru.X+w > receipt.PageW-receipt.MarginX+slack {
				t.Errorf("page %d: %q spans x %.1f–%.1f, outside the margins %.1f–%.1f",
					i, ru.S, ru.X, ru.X+w, receipt.MarginX, receipt.PageW-receipt.MarginX)
			}
			if ru.Y < 0 || ru.Y > receipt.PageH {
				t.Errorf("page %d: %q at y %.1f is off the page", i, ru.S, ru.Y)
			}
		}
	}
	text := strings.Join(pageTexts(t, b), "\n")
	if !strings.Contains(text, "…") {
		t.Error("nothing was cut with …")
	}
}

func TestConcurrentRender(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := sample(10 + i)
			r.Applicant = fmt.Sprintf("申请人%d号", i)
			b, err := receipt.Render(r)
			if err == nil && !bytes.HasPrefix(b, []byte("%PDF-")) {
				err = fmt.Errorf("render %d: not a PDF", i)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := sample(60)
	if _, err := receipt.Render(r); err != nil { // parse the font outside the timing
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		out, err := receipt.Render(r)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
