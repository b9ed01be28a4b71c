package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hljhrss/hrss/shared/table"
)

// expiredRetries bounds how often an add, or a transaction holding one,
// is tried again after it found its item expired but not yet deleted.
const expiredRetries = 2

// Add adds to integer attributes of the item keyed by it with one
// UpdateItem (SET of the other attributes of it, ADD of the amounts and of
// 1 to Version); see table.Store.Add.
//
// DynamoDB would add to an item that has expired but that its background
// deletion has not reached, where the port counts from an absent item. The
// update's condition therefore also requires a live item; when it fails,
// one consistent read tells an expired item (deleted under the condition
// that it is still expired, then the add is tried again) from a maximum
// that was passed.
func (s *Store) Add(ctx context.Context, it table.Item, c table.Counter) error {
	for attempt := 0; ; attempt++ {
		now := s.now()
		k, u, err := addUpdate(it, c, now)
		if err != nil {
			return err
		}
		_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 s.table,
			Key:                       keyMap(k),
			UpdateExpression:          aws.String(u.expr),
			ConditionExpression:       u.cond.expr,
			ExpressionAttributeNames:  u.cond.names,
			ExpressionAttributeValues: u.cond.values,
		})
		if err == nil {
			return nil
		}
		err = mapError(err)
		if errors.Is(err, table.ErrConditionFailed) && attempt < expiredRetries {
			again, cerr := s.clearExpired(ctx, k, it, c, now)
			if cerr != nil {
				return fmt.Errorf("dynamostore: add %s: %w", k, cerr)
			}
			if again {
				continue
			}
		}
		return fmt.Errorf("dynamostore: add %s: %w", k, err)
	}
}

// clearExpired is called when the add of it and c to the item at k failed
// its condition at now. It reports whether the add is worth trying again:
// the item had expired (it is deleted here, under the condition that it
// still has, as DynamoDB's TTL deletion would), or it is gone and the add
// would pass on an absent item.
func (s *Store) clearExpired(ctx context.Context, k table.Key, it table.Item, c table.Counter, now int64) (bool, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: s.table, Key: keyMap(k), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return false, mapError(err)
	}
	if len(out.Item) == 0 {
		_, ok, err := c.Apply(nil, it)
		return ok && err == nil, nil
	}
	if ttl, ok := ttlOf(out.Item); !ok || ttl > now {
		return false, nil // live: a maximum was passed
	}
	_, err = s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 s.table,
		Key:                       keyMap(k),
		ConditionExpression:       aws.String("#ttl <= :now"),
		ExpressionAttributeNames:  map[string]string{"#ttl": table.AttrTTL},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": number(now)},
	})
	if err != nil && !errors.Is(mapError(err), table.ErrConditionFailed) {
		return false, mapError(err)
	}
	return true, nil // deleted, or written again meanwhile: look again
}

// update is an add as an UpdateExpression with its condition.
type update struct {
	expr string
	cond condExpr // its names and values serve expr too
}

// addUpdate checks an add against the port's rules (table.CheckAdd) and
// translates it: SET of the attributes of it but the key, ADD of each amount
// and of 1 to Version, under the condition that the item has not expired
// and that no counted attribute passes its maximum (attribute ≤ maximum −
// amount, or absent when the amount alone is within the maximum).
// Placeholders are numbered in name order, so equal adds give equal
// requests.
func addUpdate(it table.Item, c table.Counter, now int64) (table.Key, update, error) {
	k, err := table.CheckAdd(it, c)
	if err != nil {
		return k, update{}, portErr(err)
	}
	names := map[string]string{"#ttl": table.AttrTTL, "#ver": table.AttrVersion}
	placeholder := map[string]string{table.AttrTTL: "#ttl", table.AttrVersion: "#ver"}
	name := func(n string) string {
		if p, ok := placeholder[n]; ok {
			return p
		}
		p := "#n" + strconv.Itoa(len(placeholder))
		placeholder[n], names[p] = p, n
		return p
	}
	values := map[string]types.AttributeValue{":now": number(now), ":one": number(1)}
	value := func(av types.AttributeValue) string {
		v := ":v" + strconv.Itoa(len(values))
		values[v] = av
		return v
	}
	var sets []string
	for _, n := range slices.Sorted(maps.Keys(it)) {
		if n == table.AttrPK || n == table.AttrSK {
			continue
		}
		av, err := marshalValue(it[n])
		if err != nil {
			return k, update{}, fmt.Errorf("dynamostore: attribute %s: %w", n, err)
		}
		sets = append(sets, name(n)+" = "+value(av))
	}
	adds := []string{"#ver :one"}
	conds := []string{liveTTL}
	for _, n := range slices.Sorted(maps.Keys(c.Add)) {
		p, amount := name(n), c.Add[n]
		adds = append(adds, p+" "+value(number(amount)))
		limit, ok := c.Max[n]
		if !ok {
			continue
		}
		// limit − amount exactly: it may pass int64, and DynamoDB's
		// numbers hold 38 digits.
		bound := value(&types.AttributeValueMemberN{Value: new(big.Int).Sub(big.NewInt(limit), big.NewInt(amount)).String()})
		if amount <= limit {
			conds = append(conds, "(attribute_not_exists("+p+") OR "+p+" <= "+bound+")")
		} else {
			conds = append(conds, p+" <= "+bound)
		}
	}
	expr := "ADD " + strings.Join(adds, ", ")
	if len(sets) > 0 {
		expr = "SET " + strings.Join(sets, ", ") + " " + expr
	}
	return k, update{expr: expr, cond: condExpr{expr: aws.String(strings.Join(conds, " AND ")), names: names, values: values}}, nil
}

func number(n int64) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
