// Package dynamostore is the production adapter of the table port: one
// DynamoDB table with string keys PK/SK and two sparse global secondary
// indexes GSI1 (GSI1PK/GSI1SK) and GSI2 (GSI2PK/GSI2SK), both projecting
// every attribute (see TableDefinition).
//
// Values map type-preservingly: string → S, int64 (and int, int32) → N read
// back as int64, bool → BOOL, []byte → B, []any → L, map[string]any → M,
// nil → NULL. Floats, and anything else, are refused with table.ErrInvalid
// before a request is sent, as are malformed keys, non-string or empty index
// keys, a non-integer TTL, and transactions DynamoDB would reject (more than
// table.MaxTransactItems ops, two ops on one item).
//
// TTL: DynamoDB deletes expired items lazily (typically within days), so
// the adapter hides them itself. Get checks TTL against the clock; Query
// adds a FilterExpression and keeps reading until the page holds Limit live
// items or the partition ends, because DynamoDB applies Limit before the
// filter; every condition treats an item with TTL at or before now as
// absent. The table's TTL must be enabled on attribute TTL (TimeToLive).
//
// Reads on the primary index are strongly consistent, so a read followed
// by a conditional write sees the latest committed version; GSI queries are
// eventually consistent, as DynamoDB allows nothing else.
package dynamostore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// API is the part of the DynamoDB client the adapter uses. Both
// *dynamodb.Client and minidyn's in-process client satisfy it.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

var (
	_ API         = (*dynamodb.Client)(nil)
	_ table.Store = (*Store)(nil)
)

// Store is a table.Store on one DynamoDB table.
type Store struct {
	client API
	table  *string
	clk    clock.Clock
}

// New returns a Store on the named table. clk decides which items have
// expired.
func New(client API, tableName string, clk clock.Clock) *Store {
	return &Store{client: client, table: aws.String(tableName), clk: clk}
}

func (s *Store) now() int64 { return s.clk.Now().Unix() }

// Get returns the item with key k, or table.ErrNotFound when it is absent
// or expired.
func (s *Store) Get(ctx context.Context, k table.Key) (table.Item, error) {
	if err := portErr(k.Validate()); err != nil {
		return nil, err
	}
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      s.table,
		Key:            keyMap(k),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamostore: get %s: %w", k, mapError(err))
	}
	if len(out.Item) == 0 {
		return nil, fmt.Errorf("dynamostore: get %s: %w", k, table.ErrNotFound)
	}
	if ttl, ok := ttlOf(out.Item); ok && ttl <= s.now() {
		return nil, fmt.Errorf("dynamostore: get %s/%s: %w (expired)", k.PK, k.SK, table.ErrNotFound)
	}
	it, err := unmarshalItem(out.Item)
	if err != nil {
		return nil, fmt.Errorf("dynamostore: get %s: %w", k, err)
	}
	return it, nil
}

// Put writes the item if c holds, else returns table.ErrConditionFailed.
func (s *Store) Put(ctx context.Context, it table.Item, c table.Cond) error {
	k, m, err := marshalItem(it)
	if err != nil {
		return err
	}
	ce, err := condition(c, s.now())
	if err != nil {
		return err
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 s.table,
		Item:                      m,
		ConditionExpression:       ce.expr,
		ExpressionAttributeNames:  ce.names,
		ExpressionAttributeValues: ce.values,
	})
	if err != nil {
		return fmt.Errorf("dynamostore: put %s: %w", k, mapError(err))
	}
	return nil
}

// Delete removes the item if c holds, else returns
// table.ErrConditionFailed.
func (s *Store) Delete(ctx context.Context, k table.Key, c table.Cond) error {
	if err := portErr(k.Validate()); err != nil {
		return err
	}
	ce, err := condition(c, s.now())
	if err != nil {
		return err
	}
	_, err = s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 s.table,
		Key:                       keyMap(k),
		ConditionExpression:       ce.expr,
		ExpressionAttributeNames:  ce.names,
		ExpressionAttributeValues: ce.values,
	})
	if err != nil {
		return fmt.Errorf("dynamostore: delete %s: %w", k, mapError(err))
	}
	return nil
}

// TransactWrite applies ops with one TransactWriteItems call. A
// TransactionCanceledException whose reasons include
// ConditionalCheckFailed becomes a *table.TxCanceledError naming the first
// such op; other cancellations (e.g. TransactionConflict) are returned
// wrapped, with the op they name. When the op named is an add whose item
// had expired without being deleted yet, the item is deleted and the
// transaction tried again (see Add).
func (s *Store) TransactWrite(ctx context.Context, ops []table.Op) error {
	if len(ops) == 0 {
		return nil
	}
	keys, err := table.CheckTransaction(ops)
	if err != nil {
		return portErr(err)
	}
	for attempt := 0; ; attempt++ {
		now := s.now()
		err := s.transact(ctx, ops, keys, now)
		var tx *table.TxCanceledError
		if !errors.As(err, &tx) || ops[tx.Index].Kind != table.OpAdd || attempt == expiredRetries {
			return err
		}
		op := ops[tx.Index]
		again, cerr := s.clearExpired(ctx, keys[tx.Index], op.Item, op.Counter, now)
		if cerr != nil {
			return fmt.Errorf("dynamostore: transact op %d: %w", tx.Index, cerr)
		}
		if !again {
			return err
		}
	}
}

// transact is one TransactWriteItems call of ops, whose keys are keys.
func (s *Store) transact(ctx context.Context, ops []table.Op, keys []table.Key, now int64) error {
	var err error
	items := make([]types.TransactWriteItem, len(ops))
	for i, op := range ops {
		if items[i], err = s.transactItem(op, keys[i], now); err != nil {
			return fmt.Errorf("dynamostore: transact op %d: %w", i, err)
		}
	}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: items,
		// Makes the SDK's retries of this call idempotent.
		ClientRequestToken: aws.String(requestToken()),
	})
	if err == nil {
		return nil
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		first := -1
		for i, r := range tce.CancellationReasons {
			code := aws.ToString(r.Code)
			if code == "ConditionalCheckFailed" && i < len(keys) {
				return &table.TxCanceledError{Index: i, Key: keys[i], Reason: code}
			}
			if first < 0 && code != "" && code != "None" {
				first = i
			}
		}
		if first >= 0 && first < len(keys) {
			return fmt.Errorf("dynamostore: transact: op %d (%s): %s: %w",
				first, keys[first], aws.ToString(tce.CancellationReasons[first].Code), err)
		}
	}
	return fmt.Errorf("dynamostore: transact: %w", mapError(err))
}

// transactItem converts op, checked by table.CheckTransaction, whose key is
// k.
func (s *Store) transactItem(op table.Op, k table.Key, now int64) (types.TransactWriteItem, error) {
	var item types.TransactWriteItem
	switch op.Kind {
	case table.OpPut:
		_, m, err := marshalItem(op.Item)
		if err != nil {
			return item, err
		}
		ce, err := condition(op.Cond, now)
		if err != nil {
			return item, err
		}
		item.Put = &types.Put{
			TableName: s.table, Item: m,
			ConditionExpression: ce.expr, ExpressionAttributeNames: ce.names, ExpressionAttributeValues: ce.values,
		}
	case table.OpAdd:
		_, u, err := addUpdate(op.Item, op.Counter, now)
		if err != nil {
			return item, err
		}
		item.Update = &types.Update{
			TableName: s.table, Key: keyMap(k), UpdateExpression: aws.String(u.expr),
			ConditionExpression: u.cond.expr, ExpressionAttributeNames: u.cond.names, ExpressionAttributeValues: u.cond.values,
		}
	case table.OpDelete, table.OpCheck:
		ce, err := condition(op.Cond, now)
		if err != nil {
			return item, err
		}
		if op.Kind == table.OpDelete {
			item.Delete = &types.Delete{
				TableName: s.table, Key: keyMap(k),
				ConditionExpression: ce.expr, ExpressionAttributeNames: ce.names, ExpressionAttributeValues: ce.values,
			}
		} else {
			item.ConditionCheck = &types.ConditionCheck{
				TableName: s.table, Key: keyMap(k),
				ConditionExpression: ce.expr, ExpressionAttributeNames: ce.names, ExpressionAttributeValues: ce.values,
			}
		}
	default:
		return item, invalid("unknown op kind %d", op.Kind)
	}
	return item, nil
}

func requestToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}

// condExpr is a ConditionExpression with its placeholders; expr is nil for
// no condition.
type condExpr struct {
	expr   *string
	names  map[string]string
	values map[string]types.AttributeValue
}

// liveTTL is true for an item that has not expired: DynamoDB keeps expired
// items until its background deletion, the port treats them as absent.
const liveTTL = "(attribute_not_exists(#ttl) OR #ttl > :now)"

// condition checks c against the port's rules (table.Cond.Validate) and
// translates it; now is the clock in epoch seconds, so that an expired item
// counts as absent.
func condition(c table.Cond, now int64) (condExpr, error) {
	if err := c.Validate(); err != nil {
		return condExpr{}, portErr(err)
	}
	nowV := &types.AttributeValueMemberN{Value: strconv.FormatInt(now, 10)}
	switch c.Kind {
	case table.CondNone:
		return condExpr{}, nil
	case table.CondAbsent:
		return condExpr{
			expr:   aws.String("attribute_not_exists(#pk) OR #ttl <= :now"),
			names:  map[string]string{"#pk": table.AttrPK, "#ttl": table.AttrTTL},
			values: map[string]types.AttributeValue{":now": nowV},
		}, nil
	case table.CondExists:
		return condExpr{
			expr:   aws.String("attribute_exists(#pk) AND " + liveTTL),
			names:  map[string]string{"#pk": table.AttrPK, "#ttl": table.AttrTTL},
			values: map[string]types.AttributeValue{":now": nowV},
		}, nil
	case table.CondAttrEqual:
		v, err := marshalValue(c.Value)
		if err != nil {
			return condExpr{}, fmt.Errorf("dynamostore: condition on %s: %w", c.Attr, err)
		}
		return condExpr{
			expr:   aws.String("#a = :v AND " + liveTTL),
			names:  map[string]string{"#a": c.Attr, "#ttl": table.AttrTTL},
			values: map[string]types.AttributeValue{":v": v, ":now": nowV},
		}, nil
	case table.CondVersion:
		n, err := c.VersionValue()
		if err != nil {
			return condExpr{}, portErr(err)
		}
		ce := condExpr{
			names: map[string]string{"#ver": table.AttrVersion, "#ttl": table.AttrTTL},
			values: map[string]types.AttributeValue{
				":v":   &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)},
				":now": nowV,
			},
		}
		if n == 0 {
			ce.expr = aws.String("attribute_not_exists(#ver) OR #ver = :v OR #ttl <= :now")
		} else {
			ce.expr = aws.String("#ver = :v AND " + liveTTL)
		}
		return ce, nil
	}
	return condExpr{}, invalid("unknown condition kind %d", c.Kind)
}

// mapError turns DynamoDB's condition failure into table.ErrConditionFailed
// and a ValidationException into table.ErrInvalid, keeping the original.
func mapError(err error) error {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return fmt.Errorf("%w: %w", table.ErrConditionFailed, err)
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ValidationException" {
		return fmt.Errorf("%w: %w", table.ErrInvalid, err)
	}
	return err
}
