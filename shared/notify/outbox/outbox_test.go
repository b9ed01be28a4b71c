package outbox_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

var start = time.Date(2026, 3, 2, 9, 30, 0, 0, clock.Shanghai)

func newOutbox(t *testing.T) (*outbox.Outbox, *boltstore.Store, *clock.Fixed) {
	t.Helper()
	clk := clock.Frozen(start)
	tbl, err := boltstore.Open(filepath.Join(t.TempDir(), "table.db"), clk)
	if err != nil {
		t.Fatalf("boltstore.Open: %v", err)
	}
	t.Cleanup(func() { tbl.Close() })
	return outbox.New(tbl, clk), tbl, clk
}

func sms(id, body string) notify.Message {
	return notify.Message{ID: id, Channel: notify.SMS, To: "+8613800000000", Body: body}
}

func TestSendThenList(t *testing.T) {
	o, _, _ := newOutbox(t)
	ctx := t.Context()
	m := notify.Message{ID: "m1", Channel: notify.Email, To: "a@example.cn", Subject: "审核结果", Body: "您的申请已通过。",
		SentAt: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)} // replaced by the clock
	if err := o.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := o.List(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	m.SentAt = start
	if diff := cmp.Diff([]notify.Message{m}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if got[0].SentAt.Location() != clock.Shanghai {
		t.Errorf("SentAt in %v, want Asia/Shanghai", got[0].SentAt.Location())
	}
}

func TestSendIsIdempotent(t *testing.T) {
	o, tbl, clk := newOutbox(t)
	ctx := t.Context()
	if err := o.Send(ctx, sms("code-1", "验证码 123456")); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if err := o.Send(ctx, sms("code-1", "验证码 999999")); err != nil {
		t.Fatalf("second Send: %v, want nil", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := o.Send(ctx, sms("code-1", "again")); err != nil {
				t.Errorf("concurrent Send: %v", err)
			}
		})
	}
	wg.Wait()
	page, err := tbl.Query(ctx, table.Query{PK: outbox.Partition})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0]["Body"] != "验证码 123456" {
		t.Errorf("outbox partition = %v, want the first message only", page.Items)
	}
	if want := "2026-03-02T01:30:00.000000000Z#code-1"; page.Items[0].Key().SK != want {
		t.Errorf("SK = %q, want %q", page.Items[0].Key().SK, want)
	}
}

func TestListNewestFirst(t *testing.T) {
	o, _, clk := newOutbox(t)
	ctx := t.Context()
	// Whole seconds and fractions mixed: RFC3339Nano would sort "…:00Z"
	// after "…:00.5Z".
	steps := []time.Duration{0, 500 * time.Millisecond, 500 * time.Millisecond, time.Nanosecond, time.Hour}
	var want []string
	for i, d := range steps {
		clk.Advance(d)
		id := fmt.Sprintf("m%d", i)
		if err := o.Send(ctx, sms(id, "正文")); err != nil {
			t.Fatal(err)
		}
		want = append([]string{id}, want...)
	}
	for _, limit := range []int{3, 5, 50} {
		got, err := o.List(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range got {
			ids = append(ids, m.ID)
		}
		if w := want[:min(limit, len(want))]; !cmp.Equal(ids, w) {
			t.Errorf("List(%d) = %v, want %v", limit, ids, w)
		}
	}
}

func TestListPages(t *testing.T) {
	o, _, clk := newOutbox(t)
	ctx := t.Context()
	for i := range 130 {
		clk.Advance(time.Second)
		if err := o.Send(ctx, sms(fmt.Sprintf("m%03d", i), "正文")); err != nil {
			t.Fatal(err)
		}
	}
	for limit, want := range map[int]int{0: outbox.DefaultLimit, 120: 120, 500: 130} {
		got, err := o.List(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != want || got[0].ID != "m129" {
			t.Errorf("List(%d): %d messages starting %s, want %d starting m129", limit, len(got), got[0].ID, want)
		}
	}
}

func TestSendRejectsIncomplete(t *testing.T) {
	o, tbl, _ := newOutbox(t)
	for name, m := range map[string]notify.Message{
		"no id":        {Channel: notify.SMS, To: "+8613800000000", Body: "x"},
		"bad channel":  {ID: "a", Channel: "fax", To: "+8613800000000", Body: "x"},
		"no recipient": {ID: "b", Channel: notify.SMS, Body: "x"},
		"no body":      {ID: "c", Channel: notify.SMS, To: "+8613800000000"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := o.Send(t.Context(), m); err == nil {
				t.Error("Send succeeded, want an error")
			}
		})
	}
	page, err := tbl.Query(t.Context(), table.Query{PK: outbox.Partition})
	if err != nil || len(page.Items) != 0 {
		t.Errorf("outbox holds %d items, %v; want none", len(page.Items), err)
	}
}

func TestPage(t *testing.T) {
	o, _, clk := newOutbox(t)
	ctx := t.Context()
	var logs bytes.Buffer
	h := httpapi.Middleware(o.Handler(), slog.New(slog.NewJSONHandler(&logs, nil)), nil)
	get := func(t *testing.T, method, target string) (*http.Response, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, method, target, nil))
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Result(), string(b)
	}

	t.Run("empty", func(t *testing.T) {
		resp, body := get(t, http.MethodGet, outbox.Path)
		if resp.StatusCode != 200 || !strings.Contains(body, "暂无通知") {
			t.Errorf("status %d, body %s", resp.StatusCode, body)
		}
	})

	secret := `<script>alert("验证码 246810")</script>`
	if err := o.Send(ctx, sms("x1", secret)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if err := o.Send(ctx, notify.Message{ID: "x2", Channel: notify.Email, To: "a@example.cn", Subject: "审核 & 结果", Body: "通过"}); err != nil {
		t.Fatal(err)
	}

	t.Run("lists escaped messages", func(t *testing.T) {
		resp, body := get(t, http.MethodGet, outbox.Path+"?limit=10")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"通知发件箱", "发送时间", "渠道", "收件人", "主题", "内容", "短信", "电子邮件",
			"&lt;script&gt;", "审核 &amp; 结果", "2026-03-02 09:30:00", "2026-03-02 09:31:00"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, "<script>") {
			t.Error("page holds an unescaped <script>")
		}
		if strings.Index(body, "x2") > strings.Index(body, "x1") {
			t.Error("newest message is not first")
		}
	})
	t.Run("limit", func(t *testing.T) {
		_, body := get(t, http.MethodGet, outbox.Path+"?limit=1")
		if strings.Contains(body, ">x1<") || !strings.Contains(body, ">x2<") {
			t.Errorf("limit=1 page does not hold only the newest message")
		}
	})
	t.Run("bad limit", func(t *testing.T) {
		for _, q := range []string{"abc", "0", "1001"} {
			if resp, body := get(t, http.MethodGet, outbox.Path+"?limit="+q); resp.StatusCode != 400 || !strings.Contains(body, "limit") {
				t.Errorf("limit=%s: status %d, body %s; want 400", q, resp.StatusCode, body)
			}
		}
	})
	t.Run("wrong method", func(t *testing.T) {
		if resp, _ := get(t, http.MethodPost, outbox.Path); resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST: status %d, Allow %q; want 405, GET, HEAD", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
	if strings.Contains(logs.String(), "246810") || strings.Contains(logs.String(), "通过") {
		t.Errorf("logs hold a message body: %s", logs.String())
	}
}
