package asl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// rule is a Choice rule: a comparison on Variable, or And/Or/Not of rules.
// Top-level rules carry Next.
type rule struct {
	next string

	and, or []*rule
	not     *rule

	variable  path
	op        string // comparison without a "Path" suffix, e.g. "NumericLessThan", "IsPresent"
	value     any    // literal operand
	valuePath *path  // operand of a ...Path comparison
}

// comparisons lists the supported comparison operators and the JSON type of
// their literal operand. Each of them except the Is* tests also has a
// "...Path" form whose operand is a path.
var comparisons = map[string]string{
	"StringEquals": "string", "StringLessThan": "string", "StringGreaterThan": "string",
	"StringLessThanEquals": "string", "StringGreaterThanEquals": "string",
	"NumericEquals": "number", "NumericLessThan": "number", "NumericGreaterThan": "number",
	"NumericLessThanEquals": "number", "NumericGreaterThanEquals": "number",
	"BooleanEquals":   "boolean",
	"TimestampEquals": "timestamp", "TimestampLessThan": "timestamp", "TimestampGreaterThan": "timestamp",
	"TimestampLessThanEquals": "timestamp", "TimestampGreaterThanEquals": "timestamp",
	"IsPresent": "test", "IsNull": "test", "IsString": "test", "IsNumeric": "test",
	"IsBoolean": "test", "IsTimestamp": "test",
}

// parseRule parses a Choice rule; top is true for an element of Choices.
func parseRule(b json.RawMessage, top bool) (*rule, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	r := &rule{}
	if top {
		if err := json.Unmarshal(fields["Next"], &r.next); err != nil || r.next == "" {
			return nil, errors.New("field Next is required")
		}
	} else if _, ok := fields["Next"]; ok {
		return nil, errors.New("field Next is only allowed on a top-level choice rule")
	}
	delete(fields, "Next")
	delete(fields, "Comment")

	var ops []string
	for _, k := range sortedKeys(fields) {
		if k != "Variable" {
			ops = append(ops, k)
		}
	}
	if len(ops) != 1 {
		return nil, fmt.Errorf("a choice rule needs exactly one operator, found %v", ops)
	}
	op := ops[0]
	switch op {
	case "And", "Or":
		if _, ok := fields["Variable"]; ok {
			return nil, fmt.Errorf("%s cannot have a Variable", op)
		}
		var subs []json.RawMessage
		if err := json.Unmarshal(fields[op], &subs); err != nil || len(subs) == 0 {
			return nil, fmt.Errorf("%s must be a non-empty array of rules", op)
		}
		for i, sb := range subs {
			sr, err := parseRule(sb, false)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", op, i, err)
			}
			if op == "And" {
				r.and = append(r.and, sr)
			} else {
				r.or = append(r.or, sr)
			}
		}
		return r, nil
	case "Not":
		if _, ok := fields["Variable"]; ok {
			return nil, errors.New("field Not cannot have a Variable")
		}
		sr, err := parseRule(fields["Not"], false)
		if err != nil {
			return nil, fmt.Errorf("in Not: %w", err)
		}
		r.not = sr
		return r, nil
	}

	var variable string
	if err := json.Unmarshal(fields["Variable"], &variable); err != nil || variable == "" {
		return nil, fmt.Errorf("%s needs a Variable", op)
	}
	p, err := parsePath(variable)
	if err != nil {
		return nil, fmt.Errorf("in Variable: %w", err)
	}
	r.variable = p

	base, isPath := op, false
	if b, ok := strings.CutSuffix(op, "Path"); ok && op != "IsPath" {
		if kind, known := comparisons[b]; known && kind != "test" {
			base, isPath = b, true
		}
	}
	kind, ok := comparisons[base]
	if !ok {
		return nil, fmt.Errorf("comparison operator %q is not supported", op)
	}
	r.op = base
	if isPath {
		var s string
		if err := json.Unmarshal(fields[op], &s); err != nil {
			return nil, fmt.Errorf("%s must be a path string", op)
		}
		vp, err := parsePath(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		r.valuePath = &vp
		return r, nil
	}
	v, err := decodeJSON(fields[op])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if !hasKind(v, kind) {
		return nil, fmt.Errorf("%s needs a %s operand", op, kind)
	}
	r.value = v
	return r, nil
}

// hasKind reports whether a literal operand has the type a comparison
// needs.
func hasKind(v any, kind string) bool {
	switch kind {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "boolean", "test":
		_, ok := v.(bool)
		return ok
	case "timestamp":
		_, ok := parseTimestamp(v)
		return ok
	}
	return false
}

// eval evaluates the rule. And and Or stop at the first deciding operand,
// so a guard like {"And":[{"IsPresent":true},{...}]} is safe. A missing
// Variable is a States.Runtime error except for IsPresent; a Variable of
// the wrong type makes a comparison false.
func (r *rule) eval(input, ctxObj any) (bool, error) {
	switch {
	case r.and != nil:
		for _, s := range r.and {
			ok, err := s.eval(input, ctxObj)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case r.or != nil:
		for _, s := range r.or {
			ok, err := s.eval(input, ctxObj)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case r.not != nil:
		ok, err := r.not.eval(input, ctxObj)
		return !ok && err == nil, err
	}

	v, present := r.variable.get(input, ctxObj)
	if r.op == "IsPresent" {
		return present == r.value.(bool), nil
	}
	if !present {
		return false, runtimeErr("Invalid path %q: the choice state's condition path references an invalid value", r.variable.raw)
	}
	if comparisons[r.op] == "test" {
		var is bool
		switch r.op {
		case "IsNull":
			is = v == nil
		case "IsString":
			_, is = v.(string)
		case "IsNumeric":
			_, is = v.(json.Number)
		case "IsBoolean":
			_, is = v.(bool)
		case "IsTimestamp":
			_, is = parseTimestamp(v)
		}
		return is == r.value.(bool), nil
	}

	operand := r.value
	if r.valuePath != nil {
		var ok bool
		if operand, ok = r.valuePath.get(input, ctxObj); !ok {
			return false, runtimeErr("Invalid path %q: the choice state's condition path references an invalid value", r.valuePath.raw)
		}
	}
	cmp, ok := compare(comparisons[r.op], v, operand)
	if !ok {
		return false, nil
	}
	switch {
	case strings.HasSuffix(r.op, "LessThanEquals"):
		return cmp <= 0, nil
	case strings.HasSuffix(r.op, "GreaterThanEquals"):
		return cmp >= 0, nil
	case strings.HasSuffix(r.op, "LessThan"):
		return cmp < 0, nil
	case strings.HasSuffix(r.op, "GreaterThan"):
		return cmp > 0, nil
	default: // ...Equals
		return cmp == 0, nil
	}
}

// compare compares two values of a kind; ok is false when either value is
// not of that kind (or booleans are ordered, which only Equals asks).
func compare(kind string, a, b any) (int, bool) {
	switch kind {
	case "string":
		x, ok1 := a.(string)
		y, ok2 := b.(string)
		if !ok1 || !ok2 {
			return 0, false
		}
		return strings.Compare(x, y), true
	case "number":
		x, ok1 := toRat(a)
		y, ok2 := toRat(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		return x.Cmp(y), true
	case "boolean":
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		if !ok1 || !ok2 {
			return 0, false
		}
		if x == y {
			return 0, true
		}
		return 1, true
	case "timestamp":
		x, ok1 := parseTimestamp(a)
		y, ok2 := parseTimestamp(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		return x.Compare(y), true
	}
	return 0, false
}

// toRat reads a JSON number exactly.
func toRat(v any) (*big.Rat, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(n.String())
}

// parseTimestamp reads an RFC 3339 timestamp string.
func parseTimestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
