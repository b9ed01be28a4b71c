// Package platformapi is the platform function: what the platform itself
// needs, with no business logic.
//
//   - GET /api/v1/health — liveness and readiness: reads the table and
//     reports the store kind, the build version, the time (Asia/Shanghai)
//     and when the heartbeat schedule last fired.
//   - Tasks of the self-test state machine (infra/statemachine/selftest.asl.json),
//     which operators run after a deploy to prove that Step Functions can
//     invoke functions, that Retry and Catch see task errors, and that the
//     task-token callback works: ping, flaky, fail, await.
//   - The PlatformHeartbeat schedule: records when it fired, so the health
//     route shows whether schedules run.
//
// Access patterns (single table):
//
//	PK=PLATFORM            SK=HEARTBEAT         last heartbeat time
//	PK=SELFTEST#<name>     SK=ATTEMPTS          attempt counter of a flaky task (TTL 1 day)
//	PK=SELFTEST#<name>     SK=TOKEN             task token of an awaiting self-test (TTL 1 day)
package platformapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Policies are the routes' access policies: health is public.
var Policies = access.Policies{"GET /api/v1/health": access.Public}

// Name is the function's logical id in template.yaml.
const Name = "PlatformFunction"

// New builds the platform function.
func New(d app.Deps) app.Function {
	s := &server{d: d}
	rt, _ := access.NewRouter(d, Policies)
	rt.HandleFunc("GET /api/v1/health", s.health)
	return app.Function{Name: Name, HTTP: rt, Task: s.task, Schedule: s.schedule}
}

type server struct{ d app.Deps }

var heartbeatKey = table.Key{PK: "PLATFORM", SK: "HEARTBEAT"}

// Health is the body of GET /api/v1/health.
type Health struct {
	Status        string `json:"status"` // ok, or degraded when the store fails
	Store         string `json:"store"`  // dynamodb or bbolt
	Version       string `json:"version"`
	Time          string `json:"time"`                    // now, Asia/Shanghai, RFC 3339
	LastHeartbeat string `json:"lastHeartbeat,omitempty"` // last PlatformHeartbeat run
}

func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	h := Health{Status: "ok", Store: s.d.StoreKind, Version: app.Version, Time: s.d.Clock.Now().Format(time.RFC3339)}
	status := http.StatusOK
	it, err := s.d.Store.Get(r.Context(), heartbeatKey)
	switch {
	case err == nil:
		h.LastHeartbeat = it.String("At")
	case errors.Is(err, table.ErrNotFound):
	default:
		httpapi.Logger(r.Context()).ErrorContext(r.Context(), "health: store read failed", "err", err.Error())
		h.Status, status = "degraded", http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, status, h)
	return nil
}

func (s *server) schedule(ctx context.Context, ev app.ScheduleEvent) error {
	if ev.Schedule != "PlatformHeartbeat" {
		return fmt.Errorf("platform: unknown schedule %q", ev.Schedule)
	}
	at := s.d.Clock.Now()
	return s.d.Store.Put(ctx, table.Item{"PK": heartbeatKey.PK, "SK": heartbeatKey.SK, "At": at.Format(time.RFC3339)}, table.Cond{})
}

// taskInput is the Payload of a self-test task.
type taskInput struct {
	Task      string          `json:"task"`
	Key       string          `json:"key"`       // execution name, for flaky and await
	FailTimes int             `json:"failTimes"` // flaky: fail this many attempts first
	Error     string          `json:"error"`     // fail: error name to raise
	Token     string          `json:"token"`     // await: the task token
	Complete  bool            `json:"complete"`  // await: send task success right away
	Echo      json.RawMessage `json:"echo,omitempty"`
}

// Errors raised by self-test tasks.
const (
	ErrTransient = "Hrss.Transient"      // flaky: retry me
	ErrBadTask   = "Hrss.BadTaskPayload" // the payload is not a self-test task
)

func (s *server) task(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
	var in taskInput
	if err := json.Unmarshal(payload, &in); err != nil {
		return nil, &workflow.TaskError{Name: ErrBadTask, Cause: "payload is not a JSON object: " + err.Error()}
	}
	ttl := s.d.Clock.Now().Add(24 * time.Hour).Unix()
	switch in.Task {
	case "ping":
		return json.Marshal(map[string]any{"pong": true, "echo": in.Echo, "at": s.d.Clock.Now().Format(time.RFC3339)})
	case "flaky":
		if in.Key == "" {
			return nil, &workflow.TaskError{Name: ErrBadTask, Cause: "flaky needs key"}
		}
		n, err := s.bumpAttempts(ctx, in.Key, ttl)
		if err != nil {
			return nil, err
		}
		if n <= int64(in.FailTimes) {
			return nil, &workflow.TaskError{Name: ErrTransient, Cause: fmt.Sprintf("attempt %d of a task set to fail %d times", n, in.FailTimes)}
		}
		return json.Marshal(map[string]any{"attempts": n})
	case "fail":
		name := in.Error
		if name == "" {
			name = "Hrss.SelfTestFailure"
		}
		return nil, &workflow.TaskError{Name: name, Cause: "self-test task failed on purpose"}
	case "await":
		if in.Key == "" || in.Token == "" {
			return nil, &workflow.TaskError{Name: ErrBadTask, Cause: "await needs key and token"}
		}
		if err := s.d.Store.Put(ctx, table.Item{"PK": "SELFTEST#" + in.Key, "SK": "TOKEN", "Token": in.Token, "TTL": ttl}, table.Cond{}); err != nil {
			return nil, fmt.Errorf("await: record token: %w", err)
		}
		if in.Complete {
			out, _ := json.Marshal(map[string]any{"callback": true})
			if err := s.d.Workflow.SendTaskSuccess(ctx, in.Token, out); err != nil {
				return nil, fmt.Errorf("await: send task success: %w", err)
			}
		}
		return json.RawMessage(`{}`), nil
	default:
		return nil, &workflow.TaskError{Name: ErrBadTask, Cause: fmt.Sprintf("unknown task %q", in.Task)}
	}
}

// bumpAttempts increments the attempt counter of a flaky task with an
// optimistic version check and returns the new count.
func (s *server) bumpAttempts(ctx context.Context, key string, ttl int64) (int64, error) {
	k := table.Key{PK: "SELFTEST#" + key, SK: "ATTEMPTS"}
	for range 10 {
		var n int64
		it, err := s.d.Store.Get(ctx, k)
		switch {
		case err == nil:
			n = it.Int("Version")
		case !errors.Is(err, table.ErrNotFound):
			return 0, fmt.Errorf("flaky: read attempts: %w", err)
		}
		err = s.d.Store.Put(ctx, table.Item{"PK": k.PK, "SK": k.SK, "Version": n + 1, "TTL": ttl}, table.IfVersion(n))
		if err == nil {
			return n + 1, nil
		}
		if !errors.Is(err, table.ErrConditionFailed) {
			return 0, fmt.Errorf("flaky: write attempts: %w", err)
		}
	}
	return 0, apperr.E(apperr.Conflict, "并发冲突，请稍后重试")
}
