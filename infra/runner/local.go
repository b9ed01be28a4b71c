package runner

import (
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/notify"
)

// Local test helpers, served by the runner only (never by a function, so
// never deployed): what a tester or a browser test needs to get through
// the captcha, the SMS code and the staff's TOTP without a phone.
//
//	GET /_local/demo-accounts          the demo accounts with their passwords
//	GET /_local/captcha/{captchaId}    {"answer"} of a live captcha
//	GET /_local/outbox?to=<mobile>     the messages sent to it, newest first
//	GET /_local/totp/{staffId}         {"code"}: the current TOTP code of a demo staff account
//	GET /_local/stats                  what the runner holds in memory (make bench-load reads it)
func (r *Runner) localRoutes(rt *httpapi.Router) {
	rt.HandleFunc("GET /_local/stats", func(w http.ResponseWriter, _ *http.Request) error {
		httpapi.WriteJSON(w, http.StatusOK, r.Stats())
		return nil
	})
	rt.HandleFunc("GET /_local/schedules", func(w http.ResponseWriter, _ *http.Request) error {
		type entry struct {
			Name       string    `json:"name"`
			Expression string    `json:"expression"`
			Next       time.Time `json:"next"`
		}
		out := []entry{}
		for _, e := range r.Timer.Entries() {
			out = append(out, entry{Name: e.Name, Expression: e.Schedule.String(), Next: e.Next})
		}
		httpapi.WriteJSON(w, http.StatusOK, out)
		return nil
	})
	rt.HandleFunc("POST /_local/schedules/{name}/fire", func(w http.ResponseWriter, req *http.Request) error {
		name := req.PathValue("name")
		if err := r.FireSchedule(req.Context(), name); err != nil {
			if e := apperr.As(err); e.Code == apperr.NotFound {
				return err
			}
			return apperr.Wrap(apperr.Unavailable, "定时任务执行失败，详见运行日志", err)
		}
		httpapi.WriteJSON(w, http.StatusOK, map[string]string{"fired": name})
		return nil
	})
	rt.HandleFunc("GET /_local/demo-accounts", func(w http.ResponseWriter, _ *http.Request) error {
		httpapi.WriteJSON(w, http.StatusOK, demo.Accounts())
		return nil
	})
	rt.HandleFunc("GET /_local/captcha/{captchaId}", func(w http.ResponseWriter, req *http.Request) error {
		answer, err := r.Identity.Captchas.Answer(req.Context(), req.PathValue("captchaId"))
		if err != nil {
			return apperr.E(apperr.NotFound, "验证码不存在或已过期")
		}
		httpapi.WriteJSON(w, http.StatusOK, map[string]string{"answer": answer})
		return nil
	})
	rt.HandleFunc("GET /_local/outbox", func(w http.ResponseWriter, req *http.Request) error {
		msgs, err := r.Outbox.List(req.Context(), 1000)
		if err != nil {
			return err
		}
		to := strings.TrimSpace(req.URL.Query().Get("to"))
		if m, ok := notify.NormalizePhone(to); ok {
			to = m // as the outbox stores SMS recipients
		}
		out := []notify.Message{}
		for _, m := range msgs {
			if to == "" || m.To == to {
				out = append(out, m)
			}
		}
		httpapi.WriteJSON(w, http.StatusOK, out)
		return nil
	})
	rt.HandleFunc("GET /_local/totp/{staffId}", func(w http.ResponseWriter, req *http.Request) error {
		for _, a := range demo.Accounts() {
			if a.TOTPSecret != "" && a.Username == req.PathValue("staffId") {
				code, err := totp.GenerateCode(a.TOTPSecret, r.clk.Now())
				if err != nil {
					return err
				}
				httpapi.WriteJSON(w, http.StatusOK, map[string]any{"code": code, "validFor": 30 - r.clk.Now().Unix()%30})
				return nil
			}
		}
		return apperr.E(apperr.NotFound, "没有该演示经办账号")
	})
}

// nowText is the runner's time for the index page.
func (r *Runner) nowText() string { return r.clk.Now().Format(time.RFC3339) }

// Stats is what the runner holds in memory.
type Stats struct {
	// Workflows: executions in memory (working, or waiting for their own
	// handler call) and parked (waiting on a reviewer's token, a timer or
	// a task slot, out of memory).
	Workflows struct {
		Runners     int `json:"runners"`
		Parked      int `json:"parked"`
		SlotWaiters int `json:"slotWaiters"` // of the parked: waiting for a task slot (the receipt backlog)
	} `json:"workflows"`
	Goroutines int `json:"goroutines"`
	// HeapLiveBytes is the Go heap that the last collection kept.
	HeapLiveBytes uint64 `json:"heapLiveBytes"`
}

// Stats reads what the runner holds now.
func (r *Runner) Stats() Stats {
	var s Stats
	ws := r.Engine.Stats()
	s.Workflows.Runners, s.Workflows.Parked, s.Workflows.SlotWaiters = ws.Runners, ws.Parked, ws.SlotWaiters
	s.Goroutines = runtime.NumGoroutine()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() == metrics.KindUint64 {
		s.HeapLiveBytes = sample[0].Value.Uint64()
	}
	return s
}
