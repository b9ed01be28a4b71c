package boltstore

import (
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds the writes of one group commit, so that a write that
// fails its condition (which makes the group run again without it) redoes
// a bounded amount of work.
const maxGroup = 128

// errClosed is returned by a write after Close.
var errClosed = errors.New("boltstore: store is closed")

// committer does group commit: writers queue their transaction function,
// and one goroutine runs every function queued so far in a single bbolt
// transaction with a single fsync, then answers each writer. A lone write
// waits for nothing but its own commit; under load, the writes that
// arrive during one fsync share the next. bbolt's own DB.Batch waits a
// fixed delay for company instead, which a lone write pays in full.
//
// A function that returns an error (a failed condition) rolls the whole
// transaction back. Its writer gets the error, and the group runs again
// without it: the functions before it saw the same state as before, and
// it saw exactly their effects, so the order of the group is still a
// serial order in which the failed write changed nothing. Functions must
// therefore have no effect outside the transaction; Put, Delete and
// TransactWrite only read and write it.
type committer struct {
	mu      sync.Mutex
	queue   []*commitCall
	closed  bool
	wake    chan struct{} // buffered 1: a write or Close is waiting
	stopped chan struct{} // closed when the loop has ended
}

type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error // buffered 1
}

func newCommitter() *committer {
	return &committer{wake: make(chan struct{}, 1), stopped: make(chan struct{})}
}

// update runs fn in a read-write transaction shared with other writers
// and returns once that transaction has committed (or fn's error).
func (s *Store) update(fn func(*bolt.Tx) error) error {
	cm := s.commits
	c := &commitCall{fn: fn, done: make(chan error, 1)}
	cm.mu.Lock()
	if cm.closed {
		cm.mu.Unlock()
		return errClosed
	}
	cm.queue = append(cm.queue, c)
	cm.mu.Unlock()
	cm.poke()
	return <-c.done
}

func (cm *committer) poke() {
	select {
	case cm.wake <- struct{}{}:
	default:
	}
}

// loop commits queued writes until Close, then commits what is left.
func (s *Store) commitLoop() {
	cm := s.commits
	defer close(cm.stopped)
	for {
		cm.mu.Lock()
		n := min(len(cm.queue), maxGroup)
		group := cm.queue[:n:n]
		cm.queue = cm.queue[n:]
		closed := cm.closed
		cm.mu.Unlock()
		if n == 0 {
			if closed {
				return
			}
			<-cm.wake
			continue
		}
		s.commitGroup(group)
	}
}

// stopCommits refuses new writes, waits for the queued ones and ends the
// loop.
func (s *Store) stopCommits() {
	cm := s.commits
	cm.mu.Lock()
	cm.closed = true
	cm.mu.Unlock()
	cm.poke()
	<-cm.stopped
}

// commitGroup runs group in one transaction; see committer.
func (s *Store) commitGroup(group []*commitCall) {
	for len(group) > 0 {
		failed, ferr := -1, error(nil)
		err := s.db.Update(func(tx *bolt.Tx) error {
			for i, c := range group {
				if err := call(c.fn, tx); err != nil {
					failed, ferr = i, err
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, c := range group {
				c.done <- err // nil, or the commit's own error for all
			}
			return
		}
		group[failed].done <- ferr
		group = append(group[:failed:failed], group[failed+1:]...)
	}
}

// call runs fn, turning a panic into its error so that one bad write does
// not take the committer (and every other writer) down.
func call(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("boltstore: write panicked: %v", r)
		}
	}()
	return fn(tx)
}
