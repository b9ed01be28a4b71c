package ledgerapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
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
	Amount   string `json:"amount"`
	Interest string `json:"interest"`
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
		Unit     string `json:"unit"`
		Personal string `json:"personal"`
		Total    string `json:"total"`
	} `json:"totals"`
	Rates map[string]string `json:"rates"`
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

var partKeys = map[string]calc.PartKind{
	"unit": calc.Unit, "personal": calc.Personal, "unitToAccount": calc.UnitToAccount, "personalToAccount": calc.PersonalToAccount,
}

func (s *server) backPayment(w http.ResponseWriter, r *http.Request) error {
	var req backPaymentRequest
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	fields := map[string]string{}
	if len(req.Rows) > MaxRows {
		return apperr.Field("rows", fmt.Sprintf("一次最多计算%d个月，请分批试算", MaxRows))
	}

	calcDate := s.ledger.Today()
	if t, ok := text(req.CalcDate); !ok {
		fields["calcDate"] = "计算日期应为字符串（如2022-05-10）"
	} else if t != "" {
		d, err := calc.ParseCalcDate(t)
		if err != nil {
			mergeFields(fields, err)
		}
		calcDate = d
	}
	insured := req.Insured
	if insured == "" {
		insured = ledger.InsuredEmployee
	}
	var set *refdata.Set
	in := make([]calc.RowInput, len(req.Rows))
	for i, row := range req.Rows {
		key := func(f string) string { return fmt.Sprintf("rows[%d].%s", i, f) }
		period, ok := text(row.Period)
		if !ok {
			fields[key("period")] = "费款所属期应为字符串（如202009）"
		}
		base, ok := text(row.Base)
		if !ok {
			fields[key("base")] = "缴费基数应为字符串或数字（如2800.00）"
		}
		if base == "" && fields[key("base")] == "" {
			fields[key("base")] = "请填写缴费基数"
		}
		in[i] = calc.RowInput{Period: period, Base: base}
		if row.Rates == nil {
			// No rates: those of the period in the reference data.
			p, err := calc.ParseYearMonth(period)
			if err != nil {
				continue // reported by ParseRows
			}
			if set == nil {
				if set, err = s.ledger.RefData(r.Context()); err != nil {
					return err
				}
			}
			rates, err := set.ContributionRates(p, insured)
			if err != nil {
				var me *refdata.MissingError
				if !errors.As(err, &me) {
					return err
				}
				if _, ierr := set.InsuredCode(insured); ierr != nil {
					fields["insured"] = "参保身份应为企业职工或灵活就业人员"
				} else {
					fields[key("rates")] = me.Message() + "，请填写比例"
				}
				continue
			}
			in[i].Unit, in[i].Personal = rates.Unit.String(), rates.Personal.String()
			in[i].UnitToAccount, in[i].PersonalToAccount = rates.UnitToAccount.String(), rates.PersonalToAccount.String()
			continue
		}
		for name, raw := range row.Rates {
			k, known := partKeys[name]
			if !known {
				fields[key("rates."+name)] = "未知的比例项，应为unit、personal、unitToAccount或personalToAccount"
				continue
			}
			var v json.RawMessage
			if raw != nil {
				v = *raw
			}
			t, ok := text(v)
			if !ok {
				fields[key("rates."+name)] = "比例应为字符串或数字（如0.08）"
				continue
			}
			switch k {
			case calc.Unit:
				in[i].Unit = t
			case calc.Personal:
				in[i].Personal = t
			case calc.UnitToAccount:
				in[i].UnitToAccount = t
			case calc.PersonalToAccount:
				in[i].PersonalToAccount = t
			}
		}
	}
	rows, err := calc.ParseRows(in)
	if err != nil {
		if !mergeFields(fields, err) {
			return err
		}
	}
	if len(fields) > 0 {
		return apperr.Fields("", fields)
	}
	if set == nil {
		if set, err = s.ledger.RefData(r.Context()); err != nil {
			return err
		}
	}
	res, err := calc.BackPayment(calcDate, rows, set)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, backPaymentBody(res, rows))
	return nil
}

// mergeFields adds the field errors of an *apperr.Error with code Invalid
// to fields and reports whether err was one.
func mergeFields(fields map[string]string, err error) bool {
	e := apperr.As(err)
	if e.Code != apperr.Invalid || len(e.Fields) == 0 {
		return false
	}
	for k, v := range e.Fields {
		if _, dup := fields[k]; !dup {
			fields[k] = v
		}
	}
	return true
}

func backPaymentBody(res calc.Result, in []calc.Row) backPaymentResponse {
	out := backPaymentResponse{Rows: make([]backPaymentRow, len(res.Rows)), Rates: map[string]string{}}
	part := func(p calc.Part) partJSON {
		return partJSON{Amount: calc.FormatMoney(p.Amount), Interest: calc.FormatMoney(p.Interest)}
	}
	for i, r := range res.Rows {
		row := backPaymentRow{Period: r.Period.String(), Base: calc.FormatMoney(r.Base), Unit: part(r.Unit), Personal: part(r.Personal)}
		if !in[i].Rates.UnitToAccount.IsZero() {
			p := part(r.UnitToAccount)
			row.UnitToAccount = &p
		}
		if !in[i].Rates.PersonalToAccount.IsZero() {
			p := part(r.PersonalToAccount)
			row.PersonalToAccount = &p
		}
		out.Rows[i] = row
	}
	out.Totals.Unit = calc.FormatMoney(res.Totals.Unit)
	out.Totals.Personal = calc.FormatMoney(res.Totals.Personal)
	out.Totals.Total = calc.FormatMoney(res.Totals.Total)
	for y, r := range res.RatesUsed {
		out.Rates[strconv.Itoa(y)] = calc.FormatRate(r)
	}
	return out
}
