package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai)

const personNo = "2309000001"

func TestSessionTimeouts(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, tb table.Store) {
		clk := clock.Frozen(day)
		sessions := identity.NewSessions(tb, clk)
		c := identity.Caller{AccountID: "individual:abc", Kind: identity.Individual, Roles: []identity.Role{identity.RoleIndividual}, PersonNumber: personNo}
		token, err := sessions.Create(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		resolve := func() error { _, err := sessions.Resolve(t.Context(), token); return err }
		// Idle: 29 minutes apart, each use slides the deadline.
		for i := 0; i < 3; i++ {
			clk.Advance(29 * time.Minute)
			if err := resolve(); err != nil {
				t.Fatalf("use %d after 29 min: %v", i, err)
			}
		}
		// 30 minutes without a request ends it.
		clk.Advance(30 * time.Minute)
		if err := resolve(); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("after 30 idle minutes: %v", err)
		}
		// Absolute: 12 hours however active.
		token, _ = sessions.Create(t.Context(), c)
		for elapsed := 20 * time.Minute; elapsed < identity.AbsoluteTimeout; elapsed += 20 * time.Minute {
			clk.Advance(20 * time.Minute)
			if err := resolve(); err != nil {
				t.Fatalf("active, %v after login: %v", elapsed, err)
			}
		}
		clk.Advance(20 * time.Minute)
		if err := resolve(); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("after 12 hours: %v", err)
		}
		for _, bad := range []string{"", "short", strings.Repeat("x", 43), strings.Repeat("y", 200)} {
			if _, err := sessions.Resolve(t.Context(), bad); apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Errorf("token %q: %v", bad, err)
			}
		}
	})
}

func TestAuditReadsOf(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, tb table.Store) {
		clk := clock.Frozen(day)
		log := identity.NewAudit(tb, clk, identity.NewKeys([]byte("test-key")))
		for i, who := range []string{"单位甲", "单位乙", "单位丙"} {
			clk.Advance(time.Duration(i+1) * time.Minute)
			if err := log.Record(t.Context(), identity.AuditRecord{Actor: "enterprise:9000000001", ActorRole: identity.RoleAgent, ActorName: who,
				Action: identity.ActionRead, Object: "employee-back-payment", Subject: personNo, Result: "ok"}, "192.0.2.7"); err != nil {
				t.Fatal(err)
			}
		}
		if err := log.Record(t.Context(), identity.AuditRecord{Action: identity.ActionLogin, Result: "ok"}, ""); err != nil {
			t.Fatal(err)
		}
		recs, _, err := log.ReadsOf(t.Context(), personNo, "", 10)
		if err != nil || len(recs) != 3 || recs[0].ActorName != "单位丙" || recs[2].ActorName != "单位甲" {
			t.Fatalf("reads of the person, newest first: %+v, %v", recs, err)
		}
		if others, _, _ := log.ReadsOf(t.Context(), "2309000002", "", 10); len(others) != 0 {
			t.Errorf("another person's log: %+v", others)
		}
		// A cursor the table did not make is the caller's mistake.
		if _, _, err := log.ReadsOf(t.Context(), personNo, "garbage", 10); apperr.As(err) == nil || apperr.As(err).Fields["cursor"] == "" {
			t.Errorf("a made-up cursor: %v", err)
		}
	})
}
