package calc

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// RefundScope is what a refund reason refunds (退费范围), e.g. 多重账户清理 →
// 个人缴费部分退费 = the personal part. The mapping from reason to scope is
// reference data (refdata.Set.RefundScope).
type RefundScope struct {
	Code  string     // stable code, e.g. "personal"
	Label string     // 退费范围 shown, e.g. 个人缴费部分退费
	Parts []PartKind // parts refunded (amount and interest); never the ToAccount parts
}

// Refund is the refund of the selected records (个人退费, 4.4).
type Refund struct {
	Scope    RefundScope
	Rows     []LedgerRow     // the selected records, unchanged
	Amount   decimal.Decimal // Σ amount of the scope's parts
	Interest decimal.Decimal // Σ interest of the scope's parts
	Total    decimal.Decimal // 合计金额 = Amount + Interest
}

// RefundOf totals the refund of rows (the ticked 退费记录) under scope.
// Records come from Assess (amounts recomputed from base × rate) or from
// the ledger store (amounts as paid). A scope naming a ToAccount part or
// no part at all is an error: those parts are shares of Unit and Personal.
func RefundOf(rows []LedgerRow, scope RefundScope) (Refund, error) {
	if len(scope.Parts) == 0 {
		return Refund{}, fmt.Errorf("calc: refund scope %q has no parts", scope.Code)
	}
	for _, k := range scope.Parts {
		if k != Unit && k != Personal {
			return Refund{}, fmt.Errorf("calc: refund scope %q: part %s cannot be refunded on its own", scope.Code, k)
		}
	}
	out := Refund{Scope: scope, Rows: rows, Amount: zero, Interest: zero}
	for _, r := range rows {
		for _, k := range scope.Parts {
			p := r.Part(k)
			out.Amount = out.Amount.Add(p.Amount)
			out.Interest = out.Interest.Add(p.Interest)
		}
	}
	out.Total = out.Amount.Add(out.Interest)
	return out, nil
}
