package account

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestHashSlotsBoundConcurrency: however many logins arrive at once, no
// more than cap(hashSlots) argon2id computations run together, and every
// one of them runs.
func TestHashSlotsBoundConcurrency(t *testing.T) {
	var running, peak, done atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	n := 8 * cap(hashSlots)
	for range n {
		wg.Go(func() {
			withHashSlot(func() int {
				now := running.Add(1)
				for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
				}
				<-release
				running.Add(-1)
				done.Add(1)
				return 0
			})
		})
	}
	// Let the first slots fill, then release everyone.
	for running.Load() < int64(cap(hashSlots)) {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if peak.Load() > int64(cap(hashSlots)) {
		t.Errorf("peak %d computations at once, cap %d", peak.Load(), cap(hashSlots))
	}
	if done.Load() != int64(n) {
		t.Errorf("%d of %d ran", done.Load(), n)
	}
	if ok, _ := checkPassword("Wrong-Passw0rd!", dummyHash()); ok {
		t.Error("a wrong password matched")
	}
}
