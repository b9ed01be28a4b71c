package asl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// path is a parsed JSONPath of the subset this interpreter supports:
// "$" or "$$" followed by ".name", "['name']" and "[n]" steps.
type path struct {
	raw     string
	context bool // starts with "$$": the context object
	steps   []step
}

// step is one step of a path: an object member or an array index.
type step struct {
	name  string
	index int
	isIdx bool
}

func (p path) String() string { return p.raw }

// parsePath parses a path of the supported subset. Wildcards, recursive
// descent, filters, slices and negative indexes are refused.
func parsePath(s string) (path, error) {
	p := path{raw: s}
	rest := s
	switch {
	case strings.HasPrefix(s, "$$"):
		p.context = true
		rest = s[2:]
	case strings.HasPrefix(s, "$"):
		rest = s[1:]
	default:
		return path{}, fmt.Errorf("path %q must start with $ or $$", s)
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			if name == "" || strings.ContainsAny(name, "*]()?@,:'\" ") {
				return path{}, fmt.Errorf("path %q: unsupported step %q (this interpreter supports $.a.b, $.a[0] and $['a'])", s, "."+name)
			}
			p.steps = append(p.steps, step{name: name})
			rest = rest[end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return path{}, fmt.Errorf("path %q: unclosed [", s)
			}
			inner := rest[1:end]
			rest = rest[end+1:]
			if len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0] {
				p.steps = append(p.steps, step{name: inner[1 : len(inner)-1]})
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 || inner != strconv.Itoa(n) {
				return path{}, fmt.Errorf("path %q: unsupported index [%s] (only non-negative integers)", s, inner)
			}
			p.steps = append(p.steps, step{index: n, isIdx: true})
		default:
			return path{}, fmt.Errorf("path %q: unexpected %q", s, rest[:1])
		}
	}
	return p, nil
}

// get selects the value at p in doc (or in ctxObj for a "$$" path). ok is
// false when the path does not exist.
func (p path) get(doc, ctxObj any) (v any, ok bool) {
	v = doc
	if p.context {
		v = ctxObj
	}
	for _, st := range p.steps {
		if st.isIdx {
			arr, isArr := v.([]any)
			if !isArr || st.index >= len(arr) {
				return nil, false
			}
			v = arr[st.index]
			continue
		}
		obj, isObj := v.(map[string]any)
		if !isObj {
			return nil, false
		}
		if v, ok = obj[st.name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// set returns doc with val placed at p (a reference path, as ResultPath
// uses): missing objects on the way are created; a step into a value of
// the wrong kind is an error. doc is modified in place where possible.
func (p path) set(doc, val any) (any, error) {
	if len(p.steps) == 0 {
		return val, nil
	}
	if doc == nil {
		doc = map[string]any{}
	}
	var setIn func(cur any, i int) (any, error)
	setIn = func(cur any, i int) (any, error) {
		st := p.steps[i]
		last := i == len(p.steps)-1
		if st.isIdx {
			arr, ok := cur.([]any)
			if !ok || st.index >= len(arr) {
				return nil, fmt.Errorf("field ResultPath %q: no array element at step %d", p.raw, i+1)
			}
			if last {
				arr[st.index] = val
				return arr, nil
			}
			next, err := setIn(arr[st.index], i+1)
			if err != nil {
				return nil, err
			}
			arr[st.index] = next
			return arr, nil
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("field ResultPath %q: step %q is inside a value that is not an object", p.raw, st.name)
		}
		if last {
			obj[st.name] = val
			return obj, nil
		}
		child, exists := obj[st.name]
		if !exists || child == nil {
			child = map[string]any{}
		}
		next, err := setIn(child, i+1)
		if err != nil {
			return nil, err
		}
		obj[st.name] = next
		return obj, nil
	}
	return setIn(doc, 0)
}

// optPath is an InputPath, OutputPath or ResultPath field: absent (the
// default "$"), null, or a path.
type optPath struct {
	set  bool // the field was present
	null bool // the field was JSON null
	p    path
}

// UnmarshalJSON reads a path string or null.
func (o *optPath) UnmarshalJSON(b []byte) error {
	o.set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.null = true
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("path must be a string or null")
	}
	p, err := parsePath(s)
	if err != nil {
		return err
	}
	o.p = p
	return nil
}

// apply selects with an InputPath or OutputPath: absent selects the whole
// document, null selects {}.
func (o optPath) apply(doc, ctxObj any) (any, error) {
	switch {
	case !o.set:
		return doc, nil
	case o.null:
		return map[string]any{}, nil
	}
	v, ok := o.p.get(doc, ctxObj)
	if !ok {
		return nil, runtimeErr("Invalid path %q: the path does not exist in the state's input", o.p.raw)
	}
	return v, nil
}

// template is a compiled Parameters, ResultSelector or Payload value: JSON
// with "key.$" members whose values are paths.
type template struct {
	lit    any             // literal value (kind litT)
	fields []templateField // object members
	items  []*template     // array items
	kind   int
}

const (
	litT = iota
	objT
	arrT
)

type templateField struct {
	name string
	path *path     // for "name.$": the path to select
	val  *template // otherwise
}

// compileTemplate compiles a decoded JSON value into a template.
func compileTemplate(v any) (*template, error) {
	switch x := v.(type) {
	case map[string]any:
		t := &template{kind: objT}
		for _, k := range sortedKeys(x) {
			if name, ok := strings.CutSuffix(k, ".$"); ok {
				s, isStr := x[k].(string)
				if !isStr {
					return nil, fmt.Errorf("field %q: the value of a .$ field must be a path string", k)
				}
				if strings.HasPrefix(s, "States.") {
					return nil, fmt.Errorf("field %q: intrinsic function %q is not supported by this interpreter", k, s)
				}
				p, err := parsePath(s)
				if err != nil {
					return nil, fmt.Errorf("field %q: %w", k, err)
				}
				t.fields = append(t.fields, templateField{name: name, path: &p})
				continue
			}
			sub, err := compileTemplate(x[k])
			if err != nil {
				return nil, err
			}
			t.fields = append(t.fields, templateField{name: k, val: sub})
		}
		return t, nil
	case []any:
		t := &template{kind: arrT}
		for _, it := range x {
			sub, err := compileTemplate(it)
			if err != nil {
				return nil, err
			}
			t.items = append(t.items, sub)
		}
		return t, nil
	default:
		return &template{lit: v}, nil
	}
}

// eval builds the template's value from the input and the context object.
func (t *template) eval(input, ctxObj any) (any, error) {
	switch t.kind {
	case objT:
		out := make(map[string]any, len(t.fields))
		for _, f := range t.fields {
			if f.path != nil {
				v, ok := f.path.get(input, ctxObj)
				if !ok {
					return nil, &stateError{Name: ErrNameParameterPathFailure, Cause: fmt.Sprintf("The JSONPath %q specified for the field %q could not be found in the input", f.path.raw, f.name+".$")}
				}
				out[f.name] = v
				continue
			}
			v, err := f.val.eval(input, ctxObj)
			if err != nil {
				return nil, err
			}
			out[f.name] = v
		}
		return out, nil
	case arrT:
		out := make([]any, len(t.items))
		for i, it := range t.items {
			v, err := it.eval(input, ctxObj)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	default:
		return deepCopy(t.lit), nil
	}
}

// field returns the compiled member name of an object template, if any.
func (t *template) field(name string) (templateField, bool) {
	if t == nil || t.kind != objT {
		return templateField{}, false
	}
	for _, f := range t.fields {
		if f.name == name {
			return f, true
		}
	}
	return templateField{}, false
}

// decodeJSON decodes JSON keeping numbers exact (json.Number).
func decodeJSON(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

// encodeJSON encodes a decoded value back to JSON.
func encodeJSON(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// deepCopy copies maps and slices of a decoded JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}
