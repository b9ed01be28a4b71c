package calc

import (
	"errors"
	"fmt"
	"sort"

	"github.com/hljhrss/hrss/shared/apperr"
)

// MissingRateError reports that the bookkeeping rate (记账利率) of Year is
// not in the rate table. Interest is never guessed: a calculation that needs
// a missing year fails with this error (inside an *apperr.Error).
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

// fieldErrors collects field errors of one request; err returns nil when
// there are none, else an *apperr.Error with code Invalid.
type fieldErrors struct {
	fields map[string]string
	cause  error
}

func (f *fieldErrors) add(key, msg string) {
	if f.fields == nil {
		f.fields = map[string]string{}
	}
	if _, dup := f.fields[key]; !dup {
		f.fields[key] = msg
	}
}

func (f *fieldErrors) err() error {
	if len(f.fields) == 0 {
		return nil
	}
	msg := ""
	if len(f.fields) == 1 {
		for _, m := range f.fields {
			msg = m
		}
	}
	e := apperr.Fields(msg, f.fields)
	e.Err = f.cause
	if e.Err == nil {
		keys := make([]string, 0, len(f.fields))
		for k := range f.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.Err = fmt.Errorf("calc: invalid input: %v", keys)
	}
	return e
}

func rowKey(i int, field string) string { return fmt.Sprintf("rows[%d].%s", i, field) }

func asMissingRate(err error) *MissingRateError {
	var mr *MissingRateError
	if errors.As(err, &mr) {
		return mr
	}
	return nil
}
