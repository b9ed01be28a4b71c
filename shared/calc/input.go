package calc

// RowInput is a ledger row as text, the way JSON bodies and forms carry it:
// {"period":"202009","base":"2800.00","rates":{"unit":"0","personal":"0.08"}}.
// An empty rate means 0.
type RowInput struct {
	Period            string
	Base              string
	Unit              string
	Personal          string
	UnitToAccount     string
	PersonalToAccount string
}

// ParseRows converts text rows into Rows. All problems are returned at once
// as an *apperr.Error with field errors under the keys BackPayment uses
// ("rows[i].period", "rows[i].base", "rows[i].rates.unit", ...), so that
// "202013" and "abc" get the same messages as a negative base.
func ParseRows(in []RowInput) ([]Row, error) {
	var fe fieldErrors
	out := make([]Row, len(in))
	for i, r := range in {
		p, err := ParseYearMonth(r.Period)
		if err != nil {
			fe.add(rowKey(i, "period"), "费款所属期格式应为YYYYMM，月份为01-12")
		}
		b, err := ParseMoney(r.Base)
		if err != nil {
			fe.add(rowKey(i, "base"), "缴费基数应为金额，最多两位小数（如2800.00）")
		}
		row := Row{Period: p, Base: b}
		texts := map[PartKind]string{Unit: r.Unit, Personal: r.Personal, UnitToAccount: r.UnitToAccount, PersonalToAccount: r.PersonalToAccount}
		for _, k := range PartKinds {
			s := texts[k]
			if s == "" {
				continue
			}
			v, err := ParseRate(s)
			if err != nil {
				fe.add(rowKey(i, "rates."+k.String()), "比例应为小数（如0.08）")
				continue
			}
			row.Rates.set(k, v)
		}
		out[i] = row
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseCalcDate parses the calculation date of a request ("2022-05-10"),
// returning a field error on "calcDate" when it is not a real date.
func ParseCalcDate(s string) (Date, error) {
	d, err := ParseDate(s)
	if err != nil || !d.Valid() {
		var fe fieldErrors
		fe.add("calcDate", "请填写正确的计算日期（如2022-05-10）")
		return Date{}, fe.err()
	}
	return d, nil
}
