package dynamostore

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hljhrss/hrss/shared/table"
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("dynamostore: %w: %s", table.ErrInvalid, fmt.Sprintf(format, args...))
}

// portErr prefixes an error of the port's checks (it wraps
// table.ErrInvalid) with the adapter's name.
func portErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("dynamostore: %w", err)
}

// marshalValue converts a Go attribute value to a DynamoDB attribute value:
// string → S, int64/int/int32 → N, bool → BOOL, []byte → B, []any → L,
// map[string]any → M, nil → NULL. Floats are refused.
func marshalValue(v any) (types.AttributeValue, error) {
	switch x := v.(type) {
	case nil:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case string:
		return &types.AttributeValueMemberS{Value: x}, nil
	case int64:
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(x, 10)}, nil
	case int:
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(x), 10)}, nil
	case int32:
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(x), 10)}, nil
	case bool:
		return &types.AttributeValueMemberBOOL{Value: x}, nil
	case []byte:
		b := bytes.Clone(x)
		if b == nil {
			b = []byte{}
		}
		return &types.AttributeValueMemberB{Value: b}, nil
	case []any:
		l := make([]types.AttributeValue, len(x))
		for i, e := range x {
			ev, err := marshalValue(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			l[i] = ev
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	case map[string]any:
		m := make(map[string]types.AttributeValue, len(x))
		for k, e := range x {
			ev, err := marshalValue(e)
			if err != nil {
				return nil, fmt.Errorf(".%s: %w", k, err)
			}
			m[k] = ev
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	case float32, float64:
		return nil, fmt.Errorf("%w: float %v refused: use integer fen or a decimal string", table.ErrInvalid, x)
	}
	return nil, fmt.Errorf("%w: unsupported attribute type %T", table.ErrInvalid, v)
}

// unmarshalValue converts a DynamoDB attribute value back to Go; N reads
// back as int64.
func unmarshalValue(v types.AttributeValue) (any, error) {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return x.Value, nil
	case *types.AttributeValueMemberN:
		n, err := strconv.ParseInt(x.Value, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("dynamostore: number %q is not an int64", x.Value)
		}
		return n, nil
	case *types.AttributeValueMemberBOOL:
		return x.Value, nil
	case *types.AttributeValueMemberB:
		b := bytes.Clone(x.Value)
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case *types.AttributeValueMemberNULL:
		return nil, nil
	case *types.AttributeValueMemberL:
		l := make([]any, len(x.Value))
		for i, e := range x.Value {
			d, err := unmarshalValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = d
		}
		return l, nil
	case *types.AttributeValueMemberM:
		m := make(map[string]any, len(x.Value))
		for k, e := range x.Value {
			d, err := unmarshalValue(e)
			if err != nil {
				return nil, err
			}
			m[k] = d
		}
		return m, nil
	}
	return nil, fmt.Errorf("dynamostore: unsupported stored attribute type %T", v)
}

// marshalItem checks an item against the port's rules (table.CheckItem:
// string keys, string index keys, integer TTL) and converts it, refusing
// floats.
func marshalItem(it table.Item) (table.Key, map[string]types.AttributeValue, error) {
	k, err := table.CheckItem(it)
	if err != nil {
		return table.Key{}, nil, portErr(err)
	}
	m := make(map[string]types.AttributeValue, len(it))
	for name, v := range it {
		av, err := marshalValue(v)
		if err != nil {
			return table.Key{}, nil, fmt.Errorf("dynamostore: attribute %s: %w", name, err)
		}
		m[name] = av
	}
	return k, m, nil
}

func unmarshalItem(m map[string]types.AttributeValue) (table.Item, error) {
	it := make(table.Item, len(m))
	for name, v := range m {
		d, err := unmarshalValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		it[name] = d
	}
	return it, nil
}

func keyMap(k table.Key) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		table.AttrPK: &types.AttributeValueMemberS{Value: k.PK},
		table.AttrSK: &types.AttributeValueMemberS{Value: k.SK},
	}
}

// ttlOf returns the item's TTL when it is a number.
func ttlOf(m map[string]types.AttributeValue) (int64, bool) {
	n, ok := m[table.AttrTTL].(*types.AttributeValueMemberN)
	if !ok {
		return 0, false
	}
	ttl, err := strconv.ParseInt(n.Value, 10, 64)
	return ttl, err == nil
}
