// Package storetest opens the table adapters that the tests of packages
// built on the table port (the ledger, reference data, record tables, demo
// data, the importer) run on: boltstore (the embedded adapter) and
// dynamostore on minidyn's in-process DynamoDB client. It also wraps a
// store to simulate a crash (Crashing). For tests only.
package storetest

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/truora/minidyn/aws-v2/client"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/table/dynamostore"
)

// Adapter opens a fresh, empty store for a test.
type Adapter struct {
	Name string
	Open func(t testing.TB, clk clock.Clock) table.Store
}

// Bolt opens a boltstore in a temporary directory, closed at cleanup.
func Bolt(t testing.TB, clk clock.Clock) table.Store {
	t.Helper()
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "table.db"), clk)
	if err != nil {
		t.Fatalf("boltstore.Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Minidyn opens a dynamostore on a fresh minidyn client with the table
// created from dynamostore.TableDefinition.
func Minidyn(t testing.TB, clk clock.Clock) table.Store {
	t.Helper()
	c := client.NewClient()
	const name = "hrss"
	if _, err := c.CreateTable(t.Context(), dynamostore.TableDefinition(name)); err != nil {
		t.Fatalf("minidyn CreateTable: %v", err)
	}
	return dynamostore.New(c, name, clk)
}

// Adapters are the adapters every store test runs on.
var Adapters = []Adapter{{"bolt", Bolt}, {"minidyn", Minidyn}}

// Each runs f as a subtest on every adapter.
func Each(t *testing.T, clk clock.Clock, f func(t *testing.T, s table.Store)) {
	for _, a := range Adapters {
		t.Run(a.Name, func(t *testing.T) { f(t, a.Open(t, clk)) })
	}
}

// ErrCrash is the error of a Crashing store's failed transactions.
var ErrCrash = errors.New("simulated crash")

// Crashing wraps a store whose TransactWrite fails with ErrCrash after the
// first N; Writes counts the calls, failed ones included.
type Crashing struct {
	table.Store
	N      int32
	Writes atomic.Int32
}

// TransactWrite writes through the wrapped store until N calls were made.
func (c *Crashing) TransactWrite(ctx context.Context, ops []table.Op) error {
	if c.Writes.Add(1) > c.N {
		return ErrCrash
	}
	return c.Store.TransactWrite(ctx, ops)
}
