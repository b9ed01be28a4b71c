package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

const (
	alice = "individual:b5ea13c8078a7518502481eff8eaa7243b8f72430b859d88937e61dd52d54373" // as long as real ids
	bob   = "individual:bob"
)

func msg(id string) inbox.Message {
	return inbox.Message{ID: id, Kind: "application", Title: "申请已提交", Body: "您的“个人退费”申请已提交。"}
}

// TestMessageCenter runs on every table adapter: delivery once per id,
// newest first, the unread count, reading one and all, and nobody reads
// another person's message.
func TestMessageCenter(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, st table.Store) {
		clk := clock.Frozen(may10)
		s := inbox.New(st, clk)
		ctx := t.Context()
		for i := range 3 {
			created, err := s.Deliver(ctx, alice, msg(fmt.Sprintf("m%d", i)))
			if err != nil || !created {
				t.Fatalf("deliver m%d: %v %v", i, created, err)
			}
			clk.Advance(time.Minute)
		}
		if created, err := s.Deliver(ctx, alice, msg("m1")); err != nil || created {
			t.Fatalf("a second delivery of m1: %v %v", created, err)
		}
		p, err := s.List(ctx, alice, "", 2)
		if err != nil || len(p.Messages) != 2 || p.Messages[0].ID != "m2" || p.Messages[1].ID != "m1" || p.Cursor == "" {
			t.Fatalf("first page: %+v %v", p, err)
		}
		if !p.Messages[0].At.Equal(may10.Add(2*time.Minute)) || p.Messages[0].Read {
			t.Errorf("m2: %+v", p.Messages[0])
		}
		p, err = s.List(ctx, alice, p.Cursor, 2)
		if err != nil || len(p.Messages) != 1 || p.Messages[0].ID != "m0" {
			t.Fatalf("second page: %+v %v", p, err)
		}
		unread := func(acct string) int {
			n, err := s.Unread(ctx, acct)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := unread(alice); n != 3 {
			t.Errorf("unread %d, want 3", n)
		}
		if err := s.MarkRead(ctx, bob, "m1"); !errors.Is(err, inbox.ErrNotFound) {
			t.Errorf("bob reads alice's m1: %v", err)
		}
		if err := s.MarkRead(ctx, alice, "m1"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkRead(ctx, alice, "m1"); err != nil {
			t.Errorf("reading twice: %v", err)
		}
		if n := unread(alice); n != 2 {
			t.Errorf("unread %d after reading m1, want 2", n)
		}
		if n, err := s.MarkAllRead(ctx, alice); err != nil || n != 2 {
			t.Errorf("mark all read: %d %v", n, err)
		}
		p, _ = s.List(ctx, alice, "", 10)
		for _, m := range p.Messages {
			if !m.Read || m.ReadAt.IsZero() {
				t.Errorf("%s unread after 全部已读", m.ID)
			}
		}
		if n := unread(alice); n != 0 {
			t.Errorf("unread %d after 全部已读", n)
		}
		if p, _ := s.List(ctx, bob, "", 10); len(p.Messages) != 0 || unread(bob) != 0 {
			t.Errorf("bob has alice's messages: %+v", p)
		}
		if _, err := s.Deliver(ctx, alice, inbox.Message{ID: "a#b", Title: "x", Body: "y"}); err == nil {
			t.Error("an id with # was accepted")
		}
	})
}

// TestConcurrentDelivery: overlapping runs deliver one message once.
func TestConcurrentDelivery(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, st table.Store) {
		s := inbox.New(st, clock.Frozen(may10))
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for range 8 {
			wg.Go(func() {
				ok, err := s.Deliver(context.Background(), alice, msg("once"))
				if err != nil && !errors.Is(err, table.ErrConditionFailed) {
					t.Error(err)
				}
				mu.Lock()
				if ok {
					created++
				}
				mu.Unlock()
			})
		}
		wg.Wait()
		p, _ := s.List(t.Context(), alice, "", 10)
		if created != 1 || len(p.Messages) != 1 {
			t.Errorf("created %d times, %d messages", created, len(p.Messages))
		}
	})
}

type sent struct{ msgs []notify.Message }

func (s *sent) Send(_ context.Context, m notify.Message) error {
	for _, x := range s.msgs {
		if x.ID == m.ID && x.Channel == m.Channel {
			return nil
		}
	}
	s.msgs = append(s.msgs, m)
	return nil
}

type mobiles map[string]string

func (m mobiles) Mobile(_ context.Context, id string) (string, error) {
	if v, ok := m[id]; ok {
		return v, nil
	}
	return "", table.ErrNotFound
}

// TestNotifier: the message center always; SMS by default; e-mail when
// chosen; nothing but the message center when SMS is switched off; a
// retried Tell sends nothing twice.
func TestNotifier(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		s := inbox.New(st, clock.Frozen(may10))
		out := &sent{}
		n := &inbox.Notifier{Inbox: s, Send: out, Mobiles: mobiles{alice: "+8613900000001"}}
		for range 2 {
			if _, err := n.Tell(ctx, alice, msg("t1")); err != nil {
				t.Fatal(err)
			}
		}
		if len(out.msgs) != 1 || out.msgs[0].Channel != notify.SMS || out.msgs[0].Body != inbox.SMSPrefix+"您的“个人退费”申请已提交。" {
			t.Fatalf("default settings: %+v", out.msgs)
		}
		if bad := (inbox.Settings{Email: true}).Check(); bad["emailAddress"] == "" {
			t.Error("e-mail without an address accepted")
		}
		if bad := (inbox.Settings{Addr: "not an address"}).Check(); bad["emailAddress"] != "电子邮箱格式不正确" {
			t.Errorf("a bad address: %v", bad)
		}
		if err := s.SetSettings(ctx, alice, inbox.Settings{Email: true, Addr: "alice@example.cn"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Settings(ctx, alice); got != (inbox.Settings{Email: true, Addr: "alice@example.cn"}) {
			t.Errorf("settings read back: %+v", got)
		}
		if _, err := n.Tell(ctx, alice, msg("t2")); err != nil {
			t.Fatal(err)
		}
		if len(out.msgs) != 2 || out.msgs[1].Channel != notify.Email || out.msgs[1].To != "alice@example.cn" || out.msgs[1].Subject != "黑龙江人社：申请已提交" {
			t.Fatalf("e-mail only: %+v", out.msgs)
		}
		// Bob has no mobile: the message center only.
		if _, err := n.Tell(ctx, bob, msg("t3")); err != nil || len(out.msgs) != 2 {
			t.Fatalf("no mobile: %v %+v", err, out.msgs)
		}
		if c, _ := s.Unread(ctx, bob); c != 1 {
			t.Errorf("bob's message center: %d unread", c)
		}
	})
}
