package boltstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/table/tabletest"
)

func openStore(t *testing.T, path string, clk clock.Clock) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(path, clk)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	tabletest.Run(t, func(t *testing.T, clk *clock.Fixed) table.Store {
		return openStore(t, filepath.Join(t.TempDir(), "table.db"), clk)
	}, tabletest.Options{})
}

func TestPersistsAcrossReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "table.db")
	clk := clock.Frozen(tabletest.Start)
	s, err := boltstore.Open(path, clk)
	if err != nil {
		t.Fatal(err)
	}
	want := table.Item{
		table.AttrPK: "APP#1", table.AttrSK: "META",
		table.AttrGSI1PK: "USER#1", table.AttrGSI1SK: "2024-03-01",
		table.AttrVersion: int64(7), "fen": int64(123456789012), "scan": []byte{1, 2, 3},
		"ok": true, "rows": []any{map[string]any{"month": "2024-02", "fen": int64(5)}},
	}
	if err := s.Put(ctx, want, table.IfVersion(0)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path, clk)
	got, err := s.Get(ctx, want.Key())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after reopen (-want +got):\n%s", diff)
	}
	page, err := s.Query(ctx, table.Query{Index: table.GSI1, PK: "USER#1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]table.Item{want}, page.Items); diff != "" {
		t.Errorf("GSI1 after reopen (-want +got):\n%s", diff)
	}
}

func TestOpenLockedFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "table.db")
	openStore(t, path, clock.Real{})
	start := time.Now()
	s, err := boltstore.Open(path, clock.Real{})
	if err == nil {
		s.Close()
		t.Fatal("second Open of a locked file succeeded")
	}
	if !errors.Is(err, boltstore.ErrLocked) {
		t.Errorf("err = %v; want ErrLocked", err)
	}
	if d := time.Since(start); d > boltstore.LockTimeout+2*time.Second {
		t.Errorf("second Open took %s", d)
	}
}

func TestSweepRemovesExpired(t *testing.T) {
	ctx := t.Context()
	clk := clock.Frozen(tabletest.Start)
	s := openStore(t, filepath.Join(t.TempDir(), "table.db"), clk)
	now := clk.Now().Unix()
	for i := range 5 {
		it := table.Item{
			table.AttrPK: "CODE", table.AttrSK: fmt.Sprint(i), table.AttrTTL: now + int64(i),
			table.AttrGSI1PK: "G", table.AttrGSI1SK: fmt.Sprint(i),
		}
		if err := s.Put(ctx, it, table.Cond{}); err != nil {
			t.Fatal(err)
		}
	}
	// Rewriting an item with a later TTL must drop its old TTL entry.
	if err := s.Put(ctx, table.Item{table.AttrPK: "CODE", table.AttrSK: "0", table.AttrTTL: now + 100}, table.Cond{}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second) // items 1 and 2 expire
	n, err := s.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("Sweep deleted %d items; want 2", n)
	}
	clk.Set(tabletest.Start) // turn the clock back: swept items stay gone
	page, err := s.Query(ctx, table.Query{PK: "CODE"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range page.Items {
		got = append(got, it.String(table.AttrSK))
	}
	if diff := cmp.Diff([]string{"0", "3", "4"}, got); diff != "" {
		t.Errorf("after sweep (-want +got):\n%s", diff)
	}
	gsi, err := s.Query(ctx, table.Query{Index: table.GSI1, PK: "G"})
	if err != nil {
		t.Fatal(err)
	}
	if len(gsi.Items) != 2 {
		t.Errorf("GSI1 after sweep has %d items; want 2", len(gsi.Items))
	}
}

// TestConcurrentVersionedWrites runs writers doing optimistic
// read-increment-write on one item, with readers alongside: the final
// version must equal the number of writes that succeeded.
func TestConcurrentVersionedWrites(t *testing.T) {
	ctx := t.Context()
	s := openStore(t, filepath.Join(t.TempDir(), "table.db"), clock.Real{})
	k := table.Key{PK: "COUNTER", SK: "META"}
	const writers, attempts = 8, 25
	var ok, conflicts atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Get(ctx, k); err != nil && !errors.Is(err, table.ErrNotFound) {
					t.Errorf("Get: %v", err)
					return
				}
				if _, err := s.Query(ctx, table.Query{PK: k.PK}); err != nil {
					t.Errorf("Query: %v", err)
					return
				}
			}
		}()
	}
	var ww sync.WaitGroup
	for w := range writers {
		ww.Add(1)
		go func() {
			defer ww.Done()
			for range attempts {
				var v int64
				cur, err := s.Get(ctx, k)
				switch {
				case err == nil:
					v = cur.Int(table.AttrVersion)
				case !errors.Is(err, table.ErrNotFound):
					t.Errorf("Get: %v", err)
					return
				}
				next := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, table.AttrVersion: v + 1, "by": int64(w)}
				err = s.Put(ctx, next, table.IfVersion(v))
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, table.ErrConditionFailed):
					conflicts.Add(1)
				default:
					t.Errorf("Put: %v", err)
					return
				}
			}
		}()
	}
	ww.Wait()
	close(stop)
	wg.Wait()
	got, err := s.Get(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if got.Int(table.AttrVersion) != ok.Load() {
		t.Errorf("final version %d; %d increments succeeded (%d conflicts)", got.Int(table.AttrVersion), ok.Load(), conflicts.Load())
	}
	if ok.Load()+conflicts.Load() != writers*attempts {
		t.Errorf("%d successes + %d conflicts != %d attempts", ok.Load(), conflicts.Load(), writers*attempts)
	}
}

const childEnv = "BOLTSTORE_KILL_CHILD_PATH"

// TestKill9Durability re-executes the test binary as a child that writes
// items and prints each acknowledged write, SIGKILLs it mid-stream, and
// checks that every acknowledged write is in the file.
func TestKill9Durability(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		writeUntilKilled(path)
		return
	}
	path := filepath.Join(t.TempDir(), "table.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Durability$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()

	acked := map[int]bool{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		n, ok := strings.CutPrefix(line, "ack ")
		if !ok {
			continue // the test framework's own output
		}
		i, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("child printed %q", line)
		}
		acked[i] = true
		if len(acked) == 200 && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before it was killed: %v", err)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v", err)
	}

	s := openStore(t, path, clock.Real{})
	missing := 0
	for i := range acked {
		it, err := s.Get(t.Context(), killKey(i))
		if err != nil {
			missing++
			t.Errorf("acknowledged write %d: %v", i, err)
			continue
		}
		if it.Int("n") != int64(i) {
			t.Errorf("write %d read back n=%d", i, it.Int("n"))
		}
	}
	t.Logf("%d acknowledged writes before SIGKILL, %d missing after reopen", len(acked), missing)
}

func killKey(i int) table.Key { return table.Key{PK: "KILL", SK: fmt.Sprintf("%08d", i)} }

// writeUntilKilled is the child side of TestKill9Durability.
func writeUntilKilled(path string) {
	s, err := boltstore.Open(path, clock.Real{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	// Eight writers at once, so that writes share group commits when the
	// kill comes.
	const writers = 8
	for w := range writers {
		go func() {
			for i := w; ; i += writers {
				k := killKey(i)
				it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "n": int64(i), table.AttrGSI1PK: "G", table.AttrGSI1SK: k.SK}
				if err := s.Put(context.Background(), it, table.Cond{}); err != nil {
					fmt.Fprintln(os.Stderr, "child put:", err)
					os.Exit(2)
				}
				fmt.Fprintf(os.Stdout, "ack %d\n", i) // os.Stdout is unbuffered; one write per line
			}
		}()
	}
	select {}
}

// TestGroupCommit sends many writes at once, so that they share
// transactions, with conditions that fail among them: a failed write
// changes nothing and does not undo the others of its group.
func TestGroupCommit(t *testing.T) {
	ctx := t.Context()
	s := openStore(t, filepath.Join(t.TempDir(), "table.db"), clock.Real{})
	const keys, per = 20, 10 // per writers race for each key
	var wg sync.WaitGroup
	var won [keys]atomic.Int32
	var lost atomic.Int32
	for k := range keys {
		for w := range per {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := table.Key{PK: "RACE", SK: fmt.Sprintf("%03d", k)}
				// Half write alone, half in a transaction with an item of
				// their own, which must appear exactly when the race is won.
				var err error
				if w%2 == 0 {
					err = s.Put(ctx, table.Item{table.AttrPK: key.PK, table.AttrSK: key.SK, "w": int64(w)}, table.IfAbsent())
				} else {
					own := table.Item{table.AttrPK: "OWN", table.AttrSK: fmt.Sprintf("%03d-%02d", k, w)}
					err = s.TransactWrite(ctx, []table.Op{
						table.Put(table.Item{table.AttrPK: key.PK, table.AttrSK: key.SK, "w": int64(w)}, table.IfAbsent()),
						table.Put(own, table.Cond{}),
					})
				}
				switch {
				case err == nil:
					won[k].Add(1)
				case errors.Is(err, table.ErrConditionFailed):
					lost.Add(1)
				default:
					t.Errorf("key %d writer %d: %v", k, w, err)
				}
			}()
		}
	}
	wg.Wait()
	for k := range keys {
		if n := won[k].Load(); n != 1 {
			t.Errorf("key %d: %d writers won, want 1", k, n)
		}
		it, err := s.Get(ctx, table.Key{PK: "RACE", SK: fmt.Sprintf("%03d", k)})
		if err != nil {
			t.Fatal(err)
		}
		w := it.Int("w")
		page, err := s.Query(ctx, table.Query{PK: "OWN", SK: table.SKCond{Op: table.SKBeginsWith, Value: fmt.Sprintf("%03d-", k)}})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		if w%2 == 1 {
			want = []string{fmt.Sprintf("%03d-%02d", k, w)}
		}
		var got []string
		for _, it := range page.Items {
			got = append(got, it.String(table.AttrSK))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("key %d won by writer %d: own items (-want +got):\n%s", k, w, diff)
		}
	}
	if lost.Load() != keys*(per-1) {
		t.Errorf("%d writers lost, want %d", lost.Load(), keys*(per-1))
	}
}

// TestWriteAfterClose: a write after Close fails at once.
func TestWriteAfterClose(t *testing.T) {
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "table.db"), clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(t.Context(), table.Item{table.AttrPK: "A", table.AttrSK: "B"}, table.Cond{}); err == nil {
		t.Error("Put after Close succeeded")
	}
}
