package asl_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/workflowtest"
)

// tokenRecorder is workflowtest.TokenFunction's handler: it records the
// token each execution's task received and leaves the task waiting.
type tokenRecorder struct {
	mu     sync.Mutex
	tokens map[string]string // execution name → latest token
}

func (r *tokenRecorder) handle(_ context.Context, payload json.RawMessage) (json.RawMessage, error) {
	var p workflowtest.Payload
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens[p.Execution] = p.Token
	return json.RawMessage(`{}`), nil
}

func (r *tokenRecorder) token(t *testing.T, name string) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	tok, ok := r.tokens[name]
	if !ok {
		t.Fatalf("the task of execution %s received no token", name)
	}
	return tok
}

// TestContract runs the workflow contract on the interpreter, with a bbolt
// store, a frozen clock and no background ticking.
func TestContract(t *testing.T) {
	workflowtest.Run(t, func(t *testing.T) workflowtest.Harness {
		rec := &tokenRecorder{tokens: map[string]string{}}
		h := newHarness(t,
			map[string][]byte{workflowtest.StateMachine: workflowtest.Definition()},
			map[string]workflow.TaskHandler{workflowtest.TokenFunction: rec.handle})
		return workflowtest.Harness{
			Engine:  h.eng,
			Token:   rec.token,
			Advance: func(d time.Duration) { h.clk.Advance(d) },
			Settle: func(t *testing.T) {
				t.Helper()
				if err := h.eng.Settle(ctxT(t)); err != nil {
					t.Fatalf("Settle: %v", err)
				}
			},
		}
	}, workflowtest.Options{})
}
