package contributionsapi

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
)

// 5.2 单位职工工资申报: the unit downloads a ZIP named after itself (文档材料)
// holding a workbook of its employees, fills in each one's wage and
// uploads the ZIP in the 缴费申报文件 slot, where it is checked row by row.
const (
	declarationBusiness = "unit-wage-declaration"
	declarationMaterial = "缴费申报文件"
	declarationSheet    = "职工工资申报"
)

// Columns of the declaration workbook. The wage column is what the unit
// fills in; the others identify the employee (the ID number masked).
const (
	colSeq    = "序号"
	colPerson = "人员编号"
	colName   = "姓名"
	colID     = "公民身份号码"
	colWage   = "上年度月平均工资（元）"
	colRemark = "备注"
)

var declarationColumns = []string{colSeq, colPerson, colName, colID, colWage, colRemark}

// declarationWidths are the template's column widths, in characters.
var declarationWidths = []float64{8, 22, 22, 22, 24, 30}

// Limits of a declaration file: rows checked, problems listed, and the
// uncompressed size of the workbook inside the ZIP (a ZIP bomb stops here).
const (
	maxDeclarationRows = 100_000
	maxListed          = 200
	maxWorkbookBytes   = 64 << 20
	progressEvery      = 2000 // rows between progress records
)

// templateRoute is GET …/applications/{id}/declaration-template: the ZIP
// of the unit's employees for a 5.2 draft of the caller's unit.
func templateRoute() familyapi.Route {
	return familyapi.Route{
		Pattern: "GET /api/v1/" + Family + "/applications/{id}/declaration-template",
		Policy:  access.Allow(identity.RoleAgent),
		Handler: func(svc *application.Service) httpapi.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) error {
				c, err := familyapi.Caller(r)
				if err != nil {
					return err
				}
				cs, err := svc.Get(r.Context(), c, Family, r.PathValue("id"))
				if err != nil {
					return err
				}
				if cs.App.Business != declarationBusiness {
					return apperr.E(apperr.NotFound, "只有单位职工工资申报有申报文件模板")
				}
				if c.UnitNumber == "" {
					return apperr.E(apperr.NotFound, "本单位尚未在参保系统中登记，无法生成职工名单")
				}
				unit, err := svc.Ledger().Unit(r.Context(), c.UnitNumber)
				if err != nil {
					return err
				}
				data, err := declarationTemplate(r.Context(), svc.Ledger(), unit)
				if err != nil {
					return err
				}
				name := safeFileName(unit.Name) + ".zip"
				w.Header().Set("Content-Type", "application/zip")
				w.Header().Set("Content-Disposition", blobs.ContentDisposition(name))
				w.Header().Set("X-Content-Type-Options", "nosniff")
				w.Header().Set("Cache-Control", "private, no-store")
				_, err = w.Write(data)
				return err
			}
		},
	}
}

// safeFileName keeps a unit name usable as a file name.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, s)
	if s == "" {
		return "单位"
	}
	return s
}

// employees are the persons employed by unit now (spells not ended), in
// person-number order.
func employees(ctx context.Context, ls *ledger.Store, unit string) ([]ledger.Person, error) {
	spells, err := ls.UnitStaff(ctx, unit)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return nil, err
	}
	var numbers []string
	for _, sp := range spells {
		if sp.To.IsZero() {
			numbers = append(numbers, sp.PersonNumber)
		}
	}
	slices.Sort(numbers)
	numbers = slices.Compact(numbers)
	out := make([]ledger.Person, 0, len(numbers))
	for _, n := range numbers {
		p, err := ls.Person(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// declarationTemplate is the ZIP named after the unit holding the
// workbook of its employees with an empty wage column.
func declarationTemplate(ctx context.Context, ls *ledger.Store, unit ledger.Unit) ([]byte, error) {
	staff, err := employees(ctx, ls, unit.Number)
	if err != nil {
		return nil, err
	}
	rows := make([][]any, 0, len(staff)+1)
	header := make([]any, len(declarationColumns))
	for i, c := range declarationColumns {
		header[i] = c
	}
	rows = append(rows, header)
	for i, p := range staff {
		rows = append(rows, []any{i + 1, p.Number, p.Name, checks.MaskID(p.IDNumber), "", ""})
	}
	var book bytes.Buffer
	if err := writeSheet(&book, declarationSheet, declarationWidths, rows); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	ew, err := zw.CreateHeader(&zip.FileHeader{Name: safeFileName(unit.Name) + "职工工资申报表.xlsx", Method: zip.Deflate,
		Modified: ls.Clock().Now().In(clock.Shanghai), Flags: 0x800}) // 0x800: the name is UTF-8
	if err != nil {
		return nil, err
	}
	if _, err := ew.Write(book.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// errNoWorkbook and friends refuse a file that is not a declaration.
var (
	errNoWorkbook = apperr.E(apperr.Invalid, "ZIP 文件中没有 .xlsx 工资申报表，请上传从“文档材料”下载并填写后的 ZIP 文件")
	errBadZip     = apperr.E(apperr.Invalid, "文件不是有效的 ZIP 压缩包，请上传从“文档材料”下载并填写后的 ZIP 文件")
	errTooBig     = apperr.E(apperr.Invalid, "工资申报表过大，请按单位拆分或删除多余的行后重新上传")
)

// checkDeclaration checks a 5.2 declaration file row by row: each row's
// person is an employee of the unit, listed once, with a wage that is a
// positive amount; wages outside the contribution base's floor and
// ceiling of the declared year are warnings (the base is set at the
// bound), and so are employees the file leaves out.
func checkDeclaration(ctx context.Context, in application.FileInput) (*application.FileReport, error) {
	if in.Business.ID != declarationBusiness || in.Upload.Material != declarationMaterial {
		return nil, nil
	}
	data, err := in.Open(ctx)
	if err != nil {
		return nil, err
	}
	book, err := workbook(data)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "无法读取工资申报表，请用 Excel 或 WPS 另存为 .xlsx 后重新上传", err)
	}
	defer f.Close()
	staff, err := employees(ctx, in.Ledger, in.App.Unit)
	if err != nil {
		return nil, err
	}
	byNumber := map[string]ledger.Person{}
	for _, p := range staff {
		byNumber[p.Number] = p
	}
	floor, ceiling, err := bounds(ctx, in)
	if err != nil {
		return nil, err
	}
	rep := &application.FileReport{}
	add := func(list *[]application.CellReport, row int, col, msg string) {
		if len(*list) >= maxListed {
			rep.Truncated = true
			return
		}
		*list = append(*list, application.CellReport{Row: row, Column: col, Message: msg})
	}
	sheet := f.GetSheetName(0)
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "无法读取工资申报表的工作表", err)
	}
	defer rows.Close()
	colOf := map[string]int{}
	seen := map[string]int{}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return nil, apperr.Wrap(apperr.Invalid, fmt.Sprintf("第%d行无法读取", n), err)
		}
		if n == 1 {
			for i, c := range cells {
				colOf[strings.TrimSpace(c)] = i
			}
			for _, c := range []string{colPerson, colWage} {
				if _, ok := colOf[c]; !ok {
					add(&rep.Errors, 1, c, "表头缺少“"+c+"”列，请使用下载的模板，不要修改表头")
				}
			}
			if len(rep.Errors) > 0 {
				return rep, nil
			}
			continue
		}
		if n > maxDeclarationRows+1 {
			return nil, errTooBig
		}
		cell := func(name string) string {
			if i, ok := colOf[name]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		person, wage := cell(colPerson), cell(colWage)
		if person == "" && wage == "" {
			continue // a blank row (its 序号 or a note alone declare nothing)
		}
		rep.Rows++
		if in.Progress != nil && rep.Rows%progressEvery == 0 {
			in.Progress(ctx, rep.Rows)
		}
		p, employed := byNumber[person]
		switch {
		case person == "":
			add(&rep.Errors, n, colPerson, "请填写人员编号")
		case !employed:
			add(&rep.Errors, n, colPerson, "人员编号"+clip(person)+"不是本单位在职职工，请删除该行或核对人员编号")
		case seen[person] > 0:
			add(&rep.Errors, n, colPerson, fmt.Sprintf("与第%d行重复，每名职工只申报一次", seen[person]))
		default:
			seen[person] = n
			if name := cell(colName); name != "" && name != p.Name {
				add(&rep.Warnings, n, colName, "姓名与参保记录（"+p.Name+"）不一致，以参保记录为准")
			}
		}
		amt, err := decimal.NewFromString(strings.ReplaceAll(wage, ",", ""))
		switch {
		case wage == "":
			add(&rep.Errors, n, colWage, "请填写上年度月平均工资")
		case err != nil || !amt.IsPositive() || amt.Exponent() < -2:
			add(&rep.Errors, n, colWage, "应为大于0的金额，最多两位小数，如 4538.00")
		case floor.IsPositive() && amt.LessThan(floor):
			add(&rep.Warnings, n, colWage, "低于缴费基数下限"+floor.StringFixed(2)+"元，将按下限核定缴费基数")
		case ceiling.IsPositive() && amt.GreaterThan(ceiling):
			add(&rep.Warnings, n, colWage, "高于缴费基数上限"+ceiling.StringFixed(2)+"元，将按上限核定缴费基数")
		}
	}
	if err := rows.Error(); err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "无法读取工资申报表", err)
	}
	if rep.Rows == 0 {
		add(&rep.Errors, 2, "", "工资申报表中没有职工，请在模板中填写每名职工的工资")
	}
	for _, p := range staff {
		if seen[p.Number] == 0 {
			add(&rep.Warnings, 0, colPerson, "本单位职工"+p.Number+"（"+p.Name+"）未申报工资")
		}
	}
	return rep, nil
}

// workbook is the first .xlsx of the ZIP, read whole (bounded).
func workbook(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errBadZip
	}
	for _, zf := range zr.File {
		if !strings.HasSuffix(strings.ToLower(zf.Name), ".xlsx") || strings.HasPrefix(pathBase(zf.Name), ".") {
			continue
		}
		if zf.UncompressedSize64 > maxWorkbookBytes {
			return nil, errTooBig
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, errBadZip
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxWorkbookBytes+1))
		if err != nil {
			return nil, errBadZip
		}
		if len(b) > maxWorkbookBytes {
			return nil, errTooBig
		}
		return b, nil
	}
	return nil, errNoWorkbook
}

func pathBase(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// bounds are the contribution base's floor and ceiling of the declared
// year (申报年度, else the current one): the average wage reference data
// gives for that year's bases times its floor and ceiling ratios; zero
// when reference data has no wage for it.
func bounds(ctx context.Context, in application.FileInput) (floor, ceiling decimal.Decimal, err error) {
	if in.Refs == nil {
		return decimal.Zero, decimal.Zero, nil
	}
	set, err := in.Refs.Load(ctx)
	if err != nil {
		return decimal.Zero, decimal.Zero, err
	}
	year, err := strconv.Atoi(in.App.Fields["year"])
	if err != nil {
		year = in.Ledger.Clock().Now().In(clock.Shanghai).Year()
	}
	w, err := set.Wage(year)
	if err != nil {
		return decimal.Zero, decimal.Zero, nil // no wage published for it: no bound to warn about
	}
	return w.Monthly.Mul(w.Floor).Round(2), w.Monthly.Mul(w.Ceiling).Round(2), nil
}

func clip(s string) string {
	if len([]rune(s)) > 20 {
		return string([]rune(s)[:20]) + "…"
	}
	return s
}
