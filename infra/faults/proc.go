package faults

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Proc is one run of the local runner binary.
type Proc struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	tail []string // the last lines of its stderr
	err  error    // its exit, once done is closed
}

// Runner says how to start the local runner.
type Runner struct {
	Bin  string   // the built infra/cmd/hrss-local
	Root string   // the repository root (template.yaml, state machines)
	Data string   // HRSS_DATA_DIR
	Port int      // fixed across restarts: upload URLs and cookies name it
	Env  []string // more environment, KEY=value
	// Log, when set, is a file each run's stderr is appended to.
	Log string
}

// Start starts the runner and waits until it logs its URL, or exits.
func (r Runner) Start(timeout time.Duration) (*Proc, error) {
	cmd := exec.Command(r.Bin)
	cmd.Dir = r.Root
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(r.Port), "HRSS_DATA_DIR="+r.Data)
	cmd.Env = append(cmd.Env, r.Env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var log io.WriteCloser = nopCloser{}
	if r.Log != "" {
		if log, err = os.OpenFile(r.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
			_ = cmd.Process.Kill()
			return nil, err
		}
	}
	p := &Proc{cmd: cmd, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(log, line)
			p.mu.Lock()
			p.tail = append(p.tail, line)
			if len(p.tail) > 50 {
				p.tail = p.tail[1:]
			}
			p.mu.Unlock()
			var l struct {
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.URL != "" {
				select {
				case urls <- l.URL:
				default:
				}
			}
		}
		err := cmd.Wait()
		log.Close()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(p.done)
	}()
	select {
	case p.URL = <-urls:
		return p, nil
	case <-p.done:
		return nil, &ExitError{Exit: p.Err(), Stderr: p.Stderr()}
	case <-time.After(timeout):
		p.Kill()
		return nil, fmt.Errorf("the runner did not log its URL within %s: %s", timeout, p.Stderr())
	}
}

// Kill sends SIGKILL and waits for the process to end.
func (p *Proc) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop sends SIGTERM (a clean stop) and waits; it kills after timeout.
func (p *Proc) Stop(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.Err()
	case <-time.After(timeout):
		p.Kill()
		return errors.New("the runner did not stop on SIGTERM")
	}
}

// Done is closed when the process has ended.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Err is the process's exit (nil while it runs or after a clean exit).
func (p *Proc) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Stderr is the last lines the process wrote to stderr.
func (p *Proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

// ExitError is a start that ended before the runner listened: its exit
// and the last lines of its stderr.
type ExitError struct {
	Exit   error
	Stderr string
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("the runner exited before it listened: %v: %s", e.Exit, e.Stderr)
}

type nopCloser struct{}

func (nopCloser) Write(b []byte) (int, error) { return len(b), nil }
func (nopCloser) Close() error                { return nil }
