package recordtable

import (
	"context"
	"errors"
	"fmt"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
)

// MaxTrialRows bounds the months of one trial (50 years).
const MaxTrialRows = 600

// TrialInput is a back-payment trial (补缴试算) as the user gives it, in
// text, so that "202013", "abc" and a negative base get the same kind of
// answer: a Problem with a Chinese message.
type TrialInput struct {
	CalcDate string // 计算日期 "2022-05-10"; "" = today
	Insured  string // 参保身份 choosing reference rates; "" = 企业职工
	Rows     []TrialRow
}

// TrialRow is one month of a trial.
type TrialRow struct {
	Period string // "202009" or "2020-09"
	Base   string // "2800.00"
	// Rates are the parts' rates ("0.08"; "" = 0). Nil takes the reference
	// rates of the period for the insured type.
	Rates *[calc.NumParts]string
}

// Trial computes a back-payment trial: the amounts and interest of the
// given months on the calculation date and their totals, with
// calc.BackPayment, rates defaulting to the reference data's. Interest for
// a year whose bookkeeping rate is not yet published is provisional
// (calc.Result.Provisional). Problems: InputRows (none, too many),
// InputCalcDate (not a date, after LatestCalcDate), InputInsured,
// InputPeriod, InputBase, InputRate, InputRates (no reference rates for the
// period: give them).
func (s *Service) Trial(ctx context.Context, in TrialInput) (calc.Result, error) {
	var ps calc.Problems
	if len(in.Rows) > MaxTrialRows {
		ps.Add(calc.InputRows, fmt.Sprintf("一次最多计算%d个月，请分批试算", MaxTrialRows))
		return calc.Result{}, ps.Err()
	}
	today := s.ledger.Today()
	calcDate := today
	if in.CalcDate != "" {
		d, err := calc.ParseDate(in.CalcDate)
		if err != nil || !d.Valid() {
			ps.Add(calc.InputCalcDate, "请填写正确的计算日期（如2022-05-10）")
		} else {
			checkCalcDate(&ps, d, today)
		}
		calcDate = d
	}
	insured := in.Insured
	if insured == "" {
		insured = ledger.InsuredEmployee
	}
	set, err := s.refs.Load(ctx)
	if err != nil {
		return calc.Result{}, err
	}
	rows := make([]calc.Row, len(in.Rows))
	for i, r := range in.Rows {
		rows[i] = parseTrialRow(&ps, i, r)
		if r.Rates == nil && rows[i].Period.Valid() {
			rows[i].Rates = referenceRates(&ps, i, set, rows[i].Period, insured)
		}
	}
	if err := ps.Err(); err != nil {
		return calc.Result{}, err
	}
	return calc.BackPayment(calcDate, rows, set)
}

// parseTrialRow reads the text of row i, adding a Problem for each value
// that does not parse.
func parseTrialRow(ps *calc.Problems, i int, r TrialRow) calc.Row {
	var row calc.Row
	p, err := calc.ParseYearMonth(r.Period)
	if err != nil {
		ps.AddRow(i, calc.InputPeriod, "费款所属期格式应为YYYYMM，月份为01-12")
	}
	row.Period = p
	switch b, err := calc.ParseMoney(r.Base); {
	case r.Base == "":
		ps.AddRow(i, calc.InputBase, "请填写缴费基数")
	case err != nil:
		ps.AddRow(i, calc.InputBase, "缴费基数应为金额，最多两位小数（如2800.00）")
	default:
		row.Base = b
	}
	if r.Rates != nil {
		for k, text := range r.Rates {
			if text == "" {
				continue
			}
			v, err := calc.ParseRate(text)
			if err != nil {
				ps.AddRate(i, calc.PartKind(k), "比例应为小数（如0.08）")
				continue
			}
			row.Rates[k] = v
		}
	}
	return row
}

// referenceRates returns the reference rates of period for the insured
// type; a part the data leaves open counts as 0.
func referenceRates(ps *calc.Problems, i int, set *refdata.Set, period calc.YearMonth, insured string) calc.PartRates {
	r, err := set.ContributionRates(period, insured)
	var me *refdata.MissingError
	switch {
	case err == nil:
		return r.PartRates
	case !errors.As(err, &me):
		ps.AddRow(i, calc.InputRates, "无法取得该费款所属期的缴费比例，请填写比例")
	case isUnknownInsured(set, insured):
		ps.Add(calc.InputInsured, "参保身份应为企业职工或灵活就业人员")
	default:
		ps.AddRow(i, calc.InputRates, me.Message()+"，请填写比例")
	}
	return calc.PartRates{}
}

func isUnknownInsured(set *refdata.Set, insured string) bool {
	_, err := set.InsuredCode(insured)
	return err != nil
}
