package ledgerapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/recordtable"
)

// Wire types of GET /api/v1/ledgers/{business}.
type (
	ledgerResponse struct {
		Business    businessJSON      `json:"business"`
		Title       string            `json:"title"`
		Query       queryJSON         `json:"query"`
		Person      personJSON        `json:"person"`
		Unit        *unitJSON         `json:"unit,omitempty"`
		Units       []unitJSON        `json:"units"`
		Account     *accountJSON      `json:"account,omitempty"`
		Grade       *gradeJSON        `json:"grade,omitempty"`
		Grid        []gridJSON        `json:"grid,omitempty"`
		Benefits    []benefitJSON     `json:"benefits,omitempty"`
		Columns     []columnJSON      `json:"columns"`
		FlatColumns []string          `json:"flatColumns"`
		Rows        []rowJSON         `json:"rows"`
		Totals      []totalJSON       `json:"totals"`
		CalcDate    string            `json:"calcDate"`
		Rates       map[string]string `json:"rates"`
		provisionalJSON
	}
	businessJSON struct {
		ID      string `json:"id"`
		Section string `json:"section"`
		Name    string `json:"name"`
	}
	queryJSON struct {
		Shown      bool   `json:"shown"`
		Required   bool   `json:"required"`
		StartLabel string `json:"startLabel,omitempty"`
		EndLabel   string `json:"endLabel,omitempty"`
		From       string `json:"from"`
		To         string `json:"to"`
	}
	personJSON struct {
		PersonNumber   string `json:"personNumber"`
		Name           string `json:"name"`
		IDNumber       string `json:"idNumber"` // masked
		Gender         string `json:"gender,omitempty"`
		Identity       string `json:"personalIdentity,omitempty"`
		InsuredType    string `json:"insuredType,omitempty"`
		Status         string `json:"contributionStatus,omitempty"`
		FirstInsured   string `json:"firstInsuredYearMonth,omitempty"`
		RelationID     string `json:"relationId,omitempty"`
		EmploymentForm string `json:"employmentForm,omitempty"`
	}
	unitJSON struct {
		UnitNumber string `json:"unitNumber"`
		UnitName   string `json:"unitName"`
		CreditCode string `json:"creditCode,omitempty"`
		From       string `json:"from"`
		To         string `json:"to"`
	}
	accountJSON struct {
		Balance   string `json:"balance"`   // 账户金额
		Principal string `json:"principal"` // 本金
		Interest  string `json:"interest"`  // 利息
		Reason    string `json:"reason"`    // 账户建立原因
	}
	gradeJSON struct {
		Year  int    `json:"year"`
		Ratio string `json:"ratio"`
		Base  string `json:"base"`
		Label string `json:"label"`
	}
	gridJSON struct {
		Year   string     `json:"year"`
		Months [12]string `json:"months"`
	}
	benefitJSON struct {
		Kind          string `json:"kind"`
		KindLabel     string `json:"kindLabel"`
		Status        string `json:"status"`
		Monthly       string `json:"monthly"`
		Start         string `json:"start"`
		BankName      string `json:"bankName,omitempty"`
		AccountNumber string `json:"accountNumber,omitempty"` // masked
	}
	columnJSON struct {
		Label string   `json:"label"`
		Sub   []string `json:"sub,omitempty"`
	}
	rowJSON struct {
		Period   string   `json:"period"`
		Unit     string   `json:"unitNumber"`
		Selected bool     `json:"selected"`
		Cells    []string `json:"cells"`
		// ProvisionalCells are the indices of the interest cells charged
		// (partly) at a provisional bookkeeping rate.
		ProvisionalCells []int `json:"provisionalCells,omitempty"`
		Provisional      bool  `json:"provisional,omitempty"`
	}
	totalJSON struct {
		Label       string `json:"label"`
		Value       string `json:"value"`
		Inferred    bool   `json:"inferred,omitempty"`
		Provisional bool   `json:"provisional,omitempty"`
	}
)

func parsePeriod(fields map[string]string, key, label, v string) calc.YearMonth {
	if v == "" {
		return calc.YearMonth{}
	}
	p, err := calc.ParseYearMonth(v)
	if err != nil {
		fields[key] = label + "格式应为YYYYMM或YYYY-MM，月份为01-12"
	}
	return p
}

// tableKeys are the query's field keys of a record table's inputs. The
// problems of a row (a missing bookkeeping rate) have none: their message
// is the answer's.
var tableKeys = map[calc.Input]string{
	calc.InputFrom: "from", calc.InputTo: "to", calc.InputSelected: "selected", calc.InputCalcDate: "calcDate",
}

func tableKey(p calc.Problem) string { return tableKeys[p.Input] }

func (s *server) ledgerTable(w http.ResponseWriter, r *http.Request) error {
	tables, err := s.tables.Tables()
	if err != nil {
		return err
	}
	def, ok := tables.Of(r.PathValue("business"))
	if !ok {
		return apperr.E(apperr.NotFound, "该业务没有记录一览表")
	}
	q := r.URL.Query()
	sb, err := subjectOf(r, q.Get("person"), q.Get("unit"))
	if err != nil {
		return err
	}
	fields := map[string]string{}
	lq := recordtable.Query{
		Business: def.Business.ID,
		Person:   sb.person,
		Unit:     sb.unit,
		From:     parsePeriod(fields, "from", "开始年月", q.Get("from")),
		To:       parsePeriod(fields, "to", "结束年月", q.Get("to")),
	}
	if sel, given := q["selected"]; given {
		lq.SelectionGiven = true
		for _, part := range sel {
			for _, p := range strings.Split(part, ",") {
				if p = strings.TrimSpace(p); p == "" {
					continue
				}
				if ym := parsePeriod(fields, "selected", "勾选的费款所属期", p); !ym.IsZero() {
					lq.Selected = append(lq.Selected, ym)
				}
			}
		}
	}
	if len(fields) > 0 {
		return apperr.Fields("", fields)
	}
	t, err := s.tables.Read(r.Context(), lq)
	if err := fieldErrors(sb.check(err), nil, tableKey); err != nil {
		s.auditRead(r.Context(), r, sb, def.Business.ID, "denied")
		return err
	}
	s.auditRead(r.Context(), r, sb, def.Business.ID, "ok")
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, tableBody(t))
	return nil
}

func unitBody(u recordtable.UnitRow) unitJSON {
	return unitJSON{UnitNumber: u.Number, UnitName: u.Name, CreditCode: u.CreditCode, From: u.From.String(), To: u.To.String()}
}

// tableBody converts a record table to its wire form.
func tableBody(t recordtable.Table) ledgerResponse {
	b, l := t.Definition.Business, t.Definition.Ledger
	out := ledgerResponse{
		Business: businessJSON{ID: b.ID, Section: b.Section, Name: b.Name},
		Title:    l.Title,
		Query: queryJSON{Shown: l.Query.Shown, Required: l.Query.Required, StartLabel: l.Query.StartLabel,
			EndLabel: l.Query.EndLabel, From: t.From.String(), To: t.To.String()},
		Person: personJSON{PersonNumber: t.Person.Number, Name: t.Person.Name, IDNumber: t.Person.IDNumberMasked,
			Gender: string(t.Person.Gender), Identity: string(t.Person.Identity), InsuredType: t.Person.InsuredType,
			Status: t.Person.Status, FirstInsured: t.Person.FirstInsured.String(), RelationID: t.Person.RelationID,
			EmploymentForm: t.Person.EmploymentForm},
		Units:           []unitJSON{},
		FlatColumns:     l.FlatColumns,
		Rows:            make([]rowJSON, len(t.Rows)),
		CalcDate:        t.CalcDate.String(),
		Rates:           map[string]string{},
		provisionalJSON: provisionalBody(t.Provisional),
	}
	if t.Unit != nil {
		u := unitBody(*t.Unit)
		out.Unit = &u
	}
	for _, u := range t.Units {
		out.Units = append(out.Units, unitBody(u))
	}
	if a := t.Account; a != nil {
		out.Account = &accountJSON{Balance: a.Balance.String(), Principal: a.Principal.String(), Interest: a.Interest.String(), Reason: a.Reason}
	}
	if g := t.Grade; g != nil {
		out.Grade = &gradeJSON{Year: g.Year, Ratio: calc.FormatMin2(g.Ratio), Base: g.Base.String(), Label: g.Label()}
	}
	for _, g := range t.Grid {
		out.Grid = append(out.Grid, gridJSON{Year: strconv.Itoa(g.Year), Months: g.Months})
	}
	for _, b := range t.Benefits {
		out.Benefits = append(out.Benefits, benefitJSON{Kind: string(b.Kind), KindLabel: b.Kind.Label(), Status: b.Status,
			Monthly: b.Monthly.String(), Start: b.Start.String(), BankName: b.BankName, AccountNumber: b.AccountMasked})
	}
	for _, c := range l.Columns {
		out.Columns = append(out.Columns, columnJSON{Label: c.Label, Sub: c.Sub})
	}
	for i, row := range t.Rows {
		cells := t.Cells(i)
		rj := rowJSON{Period: row.Period.String(), Unit: row.Unit, Selected: t.Ticked[i], Cells: make([]string, len(cells))}
		for j, c := range cells {
			rj.Cells[j] = c.Text
			if c.Provisional {
				rj.ProvisionalCells = append(rj.ProvisionalCells, j)
				rj.Provisional = true
			}
		}
		out.Rows[i] = rj
	}
	for _, tot := range t.Totals {
		out.Totals = append(out.Totals, totalJSON{Label: tot.Label, Value: calc.FormatMoney(tot.Value), Inferred: tot.Inferred, Provisional: tot.Provisional})
	}
	for y, r := range t.RatesUsed {
		out.Rates[strconv.Itoa(y)] = calc.FormatRate(r)
	}
	return out
}
