package boltstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// The legacy encoding, read but no longer written: an item is the JSON
// object of its attributes, each a DynamoDB-JSON-like tagged value
// ({"S":..}, {"N":"123"}, {"B":..}, {"BOOL":..}, {"NULL":true}, {"L":..},
// {"M":..}). Files written before the binary encoding hold items in this
// form until they are next written.

// av is one attribute value in the legacy encoding. Numbers are decimal
// strings, as in DynamoDB JSON, so no int64 passes through float64.
type av struct {
	S    *string        `json:"S,omitempty"`
	N    *string        `json:"N,omitempty"`
	B    *[]byte        `json:"B,omitempty"`
	BOOL *bool          `json:"BOOL,omitempty"`
	NULL bool           `json:"NULL,omitempty"`
	L    *[]av          `json:"L,omitempty"`
	M    *map[string]av `json:"M,omitempty"`
}

// decodeLegacyRecord decodes an item in the legacy JSON encoding.
func decodeLegacyRecord(data []byte) (record, error) {
	var m map[string]av
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("boltstore: decode item: %w", err)
	}
	rec := make(record, len(m))
	for name, v := range m {
		d, err := decodeLegacyValue(v)
		if err != nil {
			return nil, fmt.Errorf("boltstore: decode item: attribute %s: %w", name, err)
		}
		rec[name] = d
	}
	return rec, nil
}

// decodeLegacyValue converts a legacy tagged value to Go.
func decodeLegacyValue(v av) (any, error) {
	switch {
	case v.S != nil:
		return *v.S, nil
	case v.N != nil:
		n, err := strconv.ParseInt(*v.N, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("boltstore: number %q is not an int64", *v.N)
		}
		return n, nil
	case v.B != nil:
		return bytes.Clone(*v.B), nil
	case v.BOOL != nil:
		return *v.BOOL, nil
	case v.NULL:
		return nil, nil
	case v.L != nil:
		l := make([]any, len(*v.L))
		for i, e := range *v.L {
			d, err := decodeLegacyValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = d
		}
		return l, nil
	case v.M != nil:
		m := make(map[string]any, len(*v.M))
		for k, e := range *v.M {
			d, err := decodeLegacyValue(e)
			if err != nil {
				return nil, err
			}
			m[k] = d
		}
		return m, nil
	}
	return nil, errors.New("boltstore: stored value has no type")
}
