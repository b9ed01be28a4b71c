package calc

// RefundScope is what a refund reason refunds (退费范围), e.g. 多重账户清理 →
// 个人缴费部分退费 = the personal part. The mapping from reason to scope is
// reference data (refdata.Set.RefundScope).
type RefundScope struct {
	Code  string     // stable code, e.g. "personal"
	Label string     // 退费范围 shown, e.g. 个人缴费部分退费
	Parts []PartKind // parts refunded (amount and interest); never the ToAccount parts
}
