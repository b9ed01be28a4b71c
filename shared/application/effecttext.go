package application

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/catalog"
)

// Helpers the families' effects share to describe what they changed.

// ListLabels names changed fields for a result: all of up to four, else the
// first three and the count (the result goes out by SMS).
func ListLabels(labels []string) string {
	if len(labels) <= 4 {
		return strings.Join(labels, "、")
	}
	return fmt.Sprintf("%s等%d项", strings.Join(labels[:3], "、"), len(labels))
}

// FieldText is a value of field f as a person reads it: an enum's label
// (the value itself when the code table does not know it).
func FieldText(f *catalog.Field, v string) string {
	if f == nil || f.Enum == "" || v == "" {
		return v
	}
	if t, ok := catalog.Default().Tables().Table(f.Enum); ok {
		if e, ok := t.Lookup(v); ok {
			return e.Label
		}
	}
	return v
}

// SameFieldValue compares two values of field f: numbers by value (60 =
// 60.00), identifiers without regard to case, anything else as text.
func SameFieldValue(f *catalog.Field, a, b string) bool {
	switch f.Type {
	case catalog.TypeMoney, catalog.TypeNumber, catalog.TypeRatio, catalog.TypeInteger:
		x, err1 := decimal.NewFromString(a)
		y, err2 := decimal.NewFromString(b)
		if err1 == nil && err2 == nil {
			return x.Equal(y)
		}
	case catalog.TypeIDNumber, catalog.TypeSocialSecurityNumber:
		return strings.EqualFold(a, b)
	}
	return a == b
}
