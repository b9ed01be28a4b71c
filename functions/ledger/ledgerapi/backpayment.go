package ledgerapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/recordtable"
)

// backPaymentRequest is the body of POST /api/v1/calculations/back-payment:
//
//	{"calcDate":"2022-05-10","insured":"企业职工",
//	 "rows":[{"period":"202009","base":"2800.00","rates":{"unit":"0","personal":"0.08"}}]}
//
// calcDate defaults to today; insured (企业职工 by default, or 灵活就业人员)
// selects the reference rates of rows that omit "rates". Numbers may be
// sent as strings or JSON numbers; they are read from their text, never
// through a float.
type backPaymentRequest struct {
	CalcDate json.RawMessage `json:"calcDate"`
	Insured  string          `json:"insured"`
	Rows     []struct {
		Period json.RawMessage             `json:"period"`
		Base   json.RawMessage             `json:"base"`
		Rates  map[string]*json.RawMessage `json:"rates"`
	} `json:"rows"`
}

// partJSON is one part of a calculated row.
type partJSON struct {
	Amount      string `json:"amount"`
	Interest    string `json:"interest"`
	Provisional bool   `json:"provisional,omitempty"`
}

type backPaymentRow struct {
	Period            string    `json:"period"`
	Base              string    `json:"base"`
	Unit              partJSON  `json:"unit"`
	Personal          partJSON  `json:"personal"`
	UnitToAccount     *partJSON `json:"unitToAccount,omitempty"`
	PersonalToAccount *partJSON `json:"personalToAccount,omitempty"`
}

type backPaymentResponse struct {
	Rows   []backPaymentRow `json:"rows"`
	Totals struct {
		Unit        string `json:"unit"`
		Personal    string `json:"personal"`
		Total       string `json:"total"`
		Provisional bool   `json:"provisional,omitempty"`
	} `json:"totals"`
	Rates map[string]string `json:"rates"`
	provisionalJSON
}

// provisionalJSON describes provisional interest (calc.Provisional).
type provisionalJSON struct {
	Years []int `json:"provisionalYears,omitempty"`
	Rate  *struct {
		Year int    `json:"year"`
		Rate string `json:"rate"`
	} `json:"provisionalRate,omitempty"`
	Note string `json:"provisionalNote,omitempty"`
}

func provisionalBody(p *calc.Provisional) provisionalJSON {
	if p == nil {
		return provisionalJSON{}
	}
	out := provisionalJSON{Years: p.Years, Note: p.Note()}
	out.Rate = &struct {
		Year int    `json:"year"`
		Rate string `json:"rate"`
	}{p.RateYear, calc.FormatRate(p.Rate)}
	return out
}

// text reads a JSON string or number as text; null and absent are "".
func text(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return "", false
	}
	return n.String(), true
}

func rowKey(i int, field string) string { return fmt.Sprintf("rows[%d].%s", i, field) }

// trialKeys are the body's field keys of the trial's inputs; a row's
// inputs are under rows[i].
var trialKeys = map[calc.Input]string{
	calc.InputCalcDate: "calcDate", calc.InputInsured: "insured", calc.InputRows: "rows",
	calc.InputPeriod: "period", calc.InputBase: "base", calc.InputRates: "rates",
}

// trialKey is the body's field key of a problem of the trial.
func trialKey(p calc.Problem) string {
	switch {
	case p.Input == calc.InputRate:
		return rowKey(p.Row, "rates."+p.Part.String())
	case p.Input.ForRow():
		return rowKey(p.Row, trialKeys[p.Input])
	}
	return trialKeys[p.Input]
}

// backPayment decodes the body into a recordtable.TrialInput, reporting
// values of the wrong JSON type under their keys, and answers the trial.
func (s *server) backPayment(w http.ResponseWriter, r *http.Request) error {
	var req backPaymentRequest
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	fields := map[string]string{}
	in := recordtable.TrialInput{Insured: req.Insured, Rows: make([]recordtable.TrialRow, len(req.Rows))}
	if t, ok := text(req.CalcDate); ok {
		in.CalcDate = t
	} else {
		fields["calcDate"] = "计算日期应为字符串（如2022-05-10）"
	}
	for i, row := range req.Rows {
		period, ok := text(row.Period)
		if !ok {
			fields[rowKey(i, "period")] = "费款所属期应为字符串（如202009）"
		}
		base, ok := text(row.Base)
		if !ok {
			fields[rowKey(i, "base")] = "缴费基数应为字符串或数字（如2800.00）"
		}
		in.Rows[i] = recordtable.TrialRow{Period: period, Base: base}
		if row.Rates == nil {
			continue // the reference rates
		}
		var rates [calc.NumParts]string
		for name, raw := range row.Rates {
			k, known := calc.ParsePartKind(name)
			if !known {
				fields[rowKey(i, "rates."+name)] = "未知的比例项，应为unit、personal、unitToAccount或personalToAccount"
				continue
			}
			var v json.RawMessage
			if raw != nil {
				v = *raw
			}
			if rates[k], ok = text(v); !ok {
				fields[rowKey(i, "rates."+name)] = "比例应为字符串或数字（如0.08）"
			}
		}
		in.Rows[i].Rates = &rates
	}
	res, err := s.tables.Trial(r.Context(), in)
	if err := fieldErrors(err, fields, trialKey); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, backPaymentBody(res))
	return nil
}

func backPaymentBody(res calc.Result) backPaymentResponse {
	out := backPaymentResponse{Rows: make([]backPaymentRow, len(res.Rows)), Rates: map[string]string{}, provisionalJSON: provisionalBody(res.Provisional)}
	part := func(p calc.Part) partJSON {
		return partJSON{Amount: calc.FormatMoney(p.Amount), Interest: calc.FormatMoney(p.Interest), Provisional: p.Provisional}
	}
	shown := func(p calc.Part) *partJSON {
		if p.Rate.Decimal.IsZero() {
			return nil // a share not charged is not shown
		}
		j := part(p)
		return &j
	}
	for i, r := range res.Rows {
		out.Rows[i] = backPaymentRow{Period: r.Period.String(), Base: calc.FormatMoney(r.Base),
			Unit: part(r.Parts[calc.Unit]), Personal: part(r.Parts[calc.Personal]),
			UnitToAccount: shown(r.Parts[calc.UnitToAccount]), PersonalToAccount: shown(r.Parts[calc.PersonalToAccount])}
	}
	out.Totals.Unit = calc.FormatMoney(res.Totals.Of(calc.TotalUnit).Value())
	out.Totals.Personal = calc.FormatMoney(res.Totals.Of(calc.TotalPersonal).Value())
	all := res.Totals.Of(calc.TotalAll)
	out.Totals.Total, out.Totals.Provisional = calc.FormatMoney(all.Value()), all.Provisional
	for y, r := range res.RatesUsed {
		out.Rates[strconv.Itoa(y)] = calc.FormatRate(r)
	}
	return out
}
