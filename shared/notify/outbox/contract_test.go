package outbox_test

import (
	"testing"

	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/notify/notifytest"
)

// TestContract runs the notify contract on an outbox in a bbolt store; the
// observer is List, which is what the local outbox page shows.
func TestContract(t *testing.T) {
	notifytest.Run(t, func(t *testing.T) (notify.Sender, notifytest.Observer) {
		o, _, _ := newOutbox(t)
		return o, func(t *testing.T) []notifytest.Delivery {
			t.Helper()
			msgs, err := o.List(t.Context(), 1000)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			var out []notifytest.Delivery
			for _, m := range msgs {
				out = append(out, notifytest.Delivery{Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body})
			}
			return out
		}
	}, notifytest.Options{})
}
