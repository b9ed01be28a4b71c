package calc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
)

// Input names the value of a calculation's input that a Problem is about.
// The names are the domain's; the HTTP edge maps them to its own field keys
// (the 试算 body's "rows[0].period", the record table's "from").
type Input int

// Inputs of calculations and record tables.
const (
	InputCalcDate       Input = iota + 1 // the calculation date (计算日期)
	InputInsured                         // the insured type (参保身份) choosing reference rates
	InputRows                            // the list of months as a whole
	InputPeriod                          // a row's 费款所属期
	InputBase                            // a row's 缴费基数
	InputRate                            // one part's rate of a row (Problem.Part)
	InputRates                           // a row's rates as a whole (none given, none in the reference data)
	InputFrom                            // 开始年月 of a record table's query
	InputTo                              // 结束年月
	InputSelected                        // the ticked periods
	InputBirthDate                       // 档案出生日期 of a retirement calculation
	InputGender                          // 性别
	InputIdentity                        // 个人身份 (工人 / 干部)
	InputRetirementDate                  // 退休日期
	InputActualMonths                    // 实际缴费月数
	InputDeemedMonths                    // 视同缴费月数
)

// ForRow reports whether the input belongs to one row (Problem.Row).
func (in Input) ForRow() bool { return in >= InputPeriod && in <= InputRates }

// Problem is one thing wrong with the input of a calculation, with a
// Chinese message that says what is wrong and how to fix it.
type Problem struct {
	Input   Input
	Row     int      // the row's index, for inputs of a row
	Part    PartKind // the part, for InputRate
	Message string
}

// Problems are the problems of one request, reported together. Wrapped in
// an *apperr.Error with code Invalid (Err), so that an edge that does not
// map them still answers 422 with a Chinese message; ProblemsOf finds
// them.
type Problems []Problem

// Error lists the problems for logs, without the values.
func (ps Problems) Error() string {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = fmt.Sprintf("%d", p.Input)
		if p.Input.ForRow() {
			keys[i] += fmt.Sprintf("@%d", p.Row)
		}
		if p.Input == InputRate {
			keys[i] += "." + p.Part.String()
		}
	}
	return "calc: invalid input: " + strings.Join(keys, ",")
}

// add appends a problem unless one is already reported for the same value.
func (ps *Problems) add(p Problem) {
	for _, q := range *ps {
		if q.Input == p.Input && (!p.Input.ForRow() || q.Row == p.Row) && (p.Input != InputRate || q.Part == p.Part) {
			return
		}
	}
	*ps = append(*ps, p)
}

// Add appends a problem about in (not a row's).
func (ps *Problems) Add(in Input, msg string) { ps.add(Problem{Input: in, Message: msg}) }

// AddRow appends a problem about in of row i.
func (ps *Problems) AddRow(i int, in Input, msg string) {
	ps.add(Problem{Input: in, Row: i, Message: msg})
}

// AddRate appends a problem about the rate of part k of row i.
func (ps *Problems) AddRate(i int, k PartKind, msg string) {
	ps.add(Problem{Input: InputRate, Row: i, Part: k, Message: msg})
}

// Err returns nil without problems, else an *apperr.Error with code
// Invalid whose cause is ps. Its message is the problem's own when there is
// one, a general one otherwise.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	msg := "提交的信息有误，请按提示修改后重新提交"
	if len(ps) == 1 {
		msg = ps[0].Message
	}
	return apperr.Wrap(apperr.Invalid, msg, ps)
}

// ProblemsOf returns the problems err carries, or nil.
func ProblemsOf(err error) Problems {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	return nil
}

// MissingRateError reports that the bookkeeping rate (记账利率) of Year is
// not in the rate table, and is not a year after the latest published one
// (those are charged provisionally, see Provisional). Interest is never
// guessed: a calculation that needs a missing year fails with a Problem on
// the row's period naming it.
type MissingRateError struct {
	Year int
}

// Error is the English message for logs.
func (e *MissingRateError) Error() string {
	return fmt.Sprintf("calc: no bookkeeping rate (记账利率) for year %d", e.Year)
}

// Message is the Chinese message for users.
func (e *MissingRateError) Message() string {
	return fmt.Sprintf("缺少%d年度记账利率，无法计算利息", e.Year)
}
