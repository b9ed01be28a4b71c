package dynamostore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hljhrss/hrss/shared/table"
)

// keyAttrs names the key attributes of an index.
type keyAttrs struct{ pk, sk string }

var indexKeys = map[string]keyAttrs{
	table.Primary: {table.AttrPK, table.AttrSK},
	table.GSI1:    {table.AttrGSI1PK, table.AttrGSI1SK},
	table.GSI2:    {table.AttrGSI2PK, table.AttrGSI2SK},
}

// Query returns one page of the partition q.PK of the primary index or of
// a GSI. Expired items are filtered out by a FilterExpression; because
// DynamoDB counts Limit before filtering, Query asks again from the last
// evaluated key until it holds Limit items or DynamoDB reports the end of
// the partition. The cursor is the base64url of the JSON of the
// LastEvaluatedKey (all key attributes are strings).
func (s *Store) Query(ctx context.Context, q table.Query) (table.Page, error) {
	limit, err := q.PageSize()
	if err != nil {
		return table.Page{}, portErr(err)
	}
	attrs, ok := indexKeys[q.Index]
	if !ok { // a port index this adapter does not know
		return table.Page{}, invalid("unknown index %q", q.Index)
	}
	in := &dynamodb.QueryInput{
		TableName:        s.table,
		ScanIndexForward: aws.Bool(!q.Backward),
		FilterExpression: aws.String("attribute_not_exists(#ttl) OR #ttl > :now"),
		ExpressionAttributeNames: map[string]string{
			"#pk": attrs.pk, "#ttl": table.AttrTTL,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":  &types.AttributeValueMemberS{Value: q.PK},
			":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(s.now(), 10)},
		},
	}
	if q.Index != table.Primary {
		in.IndexName = aws.String(q.Index)
	} else {
		in.ConsistentRead = aws.Bool(true)
	}
	keyCond, err := keyCondition(q.SK, in)
	if err != nil {
		return table.Page{}, err
	}
	if keyCond != "" {
		in.ExpressionAttributeNames["#sk"] = attrs.sk
		keyCond = " AND " + keyCond
	}
	in.KeyConditionExpression = aws.String("#pk = :pk" + keyCond)
	if q.Cursor != "" {
		if in.ExclusiveStartKey, err = decodeCursor(q.Cursor, attrs.pk, q.PK); err != nil {
			return table.Page{}, err
		}
	}

	var page table.Page
	for {
		in.Limit = aws.Int32(int32(min(limit-len(page.Items), math.MaxInt32)))
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return table.Page{}, fmt.Errorf("dynamostore: query %s %s: %w", indexName(q.Index), table.Redact(q.PK), mapError(err))
		}
		for _, m := range out.Items {
			it, err := unmarshalItem(m)
			if err != nil {
				return table.Page{}, fmt.Errorf("dynamostore: query %s %s: %w", indexName(q.Index), table.Redact(q.PK), err)
			}
			page.Items = append(page.Items, it)
		}
		if len(out.LastEvaluatedKey) == 0 {
			return page, nil
		}
		if len(page.Items) >= limit {
			page.Cursor, err = encodeCursor(out.LastEvaluatedKey)
			return page, err
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// keyCondition returns the sort-key part of the key condition, which Query
// has checked (table.SKCond.Validate), adding its values to in.
func keyCondition(c table.SKCond, in *dynamodb.QueryInput) (string, error) {
	one := func(expr string) (string, error) {
		in.ExpressionAttributeValues[":sk"] = &types.AttributeValueMemberS{Value: c.Value}
		return expr, nil
	}
	switch c.Op {
	case table.SKAny:
		return "", nil
	case table.SKEq:
		return one("#sk = :sk")
	case table.SKBeginsWith:
		return one("begins_with(#sk, :sk)")
	case table.SKBetween:
		in.ExpressionAttributeValues[":sk2"] = &types.AttributeValueMemberS{Value: c.Value2}
		return one("#sk BETWEEN :sk AND :sk2")
	case table.SKLt:
		return one("#sk < :sk")
	case table.SKLe:
		return one("#sk <= :sk")
	case table.SKGt:
		return one("#sk > :sk")
	case table.SKGe:
		return one("#sk >= :sk")
	}
	return "", invalid("unknown sort-key condition %d", c.Op)
}

func indexName(index string) string {
	if index == table.Primary {
		return "primary"
	}
	return index
}

func encodeCursor(lek map[string]types.AttributeValue) (string, error) {
	m := make(map[string]string, len(lek))
	for name, v := range lek {
		s, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("dynamostore: LastEvaluatedKey attribute %s is %T, not a string", name, v)
		}
		m[name] = s.Value
	}
	data, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("dynamostore: encode cursor: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(data), nil
}

// decodeCursor reads a cursor back into an ExclusiveStartKey, checking it
// belongs to the queried partition.
func decodeCursor(cursor, pkAttr, pk string) (map[string]types.AttributeValue, error) {
	data, err := base64.RawURLEncoding.DecodeString(cursor)
	var m map[string]string
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil || m[pkAttr] != pk || m[table.AttrPK] == "" || m[table.AttrSK] == "" {
		return nil, invalid("cursor %q does not belong to this query", cursor)
	}
	key := make(map[string]types.AttributeValue, len(m))
	for name, v := range m {
		key[name] = &types.AttributeValueMemberS{Value: v}
	}
	return key, nil
}
