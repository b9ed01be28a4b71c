// Package mototest starts moto (github.com/getmoto/moto) in server mode,
// the third backend of the AWS adapters' contract suites beside their
// in-process doubles (minidyn, the wire fakes): DynamoDB, S3, SNS, SES,
// SSM and Step Functions answered by AWS's own API models.
//
// One server serves a test binary: Start starts it on first use, as a
// subprocess on a free port of 127.0.0.1, and Main stops it when the
// package's tests are done. Tests share it, so each one makes its own
// resources (a table, a bucket) under a fresh name, and reads back only
// what it made.
//
// Where moto comes from: the HRSS_MOTO_SERVER environment variable names
// the moto_server executable (make test sets it to .venv/bin/moto_server,
// installed from infra/requirements.txt); then Start fails the test when
// moto cannot start. Without it, Start uses the module's .venv when it is
// there, and otherwise skips the test saying how to install moto, so a
// plain go test on a machine without Python still passes.
package mototest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/hljhrss/hrss/infra/bench"
)

// EnvServer names the moto_server executable; when set, a moto that cannot
// start fails the tests instead of skipping them.
const EnvServer = "HRSS_MOTO_SERVER"

// Region is the region the clients sign for: the aws-cn partition's
// Beijing, where the platform runs, so ARNs moto returns are aws-cn ones.
const Region = "cn-north-1"

// startTimeout bounds moto's start (importing its services takes a few
// seconds on a loaded machine); it is a deadline, not a measurement.
const startTimeout = 2 * time.Minute

// Server is a running moto server.
type Server struct {
	// URL is the endpoint of every service, http://127.0.0.1:<port>.
	URL string

	cmd  *exec.Cmd
	log  *tailBuffer
	done chan struct{} // closed when the process exited
}

var shared struct {
	once sync.Once
	srv  *Server
	skip string // why moto is not used, when it is not installed
	err  error
}

// Start returns the test binary's moto server, starting it on first use.
// It skips t when moto is not installed and EnvServer is unset, and fails
// t when moto does not start.
func Start(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() {
		bin, skip, err := executable()
		switch {
		case err != nil:
			shared.err = err
		case skip != "":
			shared.skip = skip
		default:
			shared.srv, shared.err = start(bin)
		}
	})
	if shared.skip != "" {
		t.Skip(shared.skip)
	}
	if shared.err != nil {
		t.Fatalf("mototest: %v", shared.err)
	}
	return shared.srv
}

// Main runs the package's tests, then stops the server if one was started,
// and exits with the tests' code. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.stop()
	}
	os.Exit(code)
}

// executable finds moto_server: EnvServer, else the module's .venv.
func executable() (bin, skip string, err error) {
	if bin := os.Getenv(EnvServer); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", "", fmt.Errorf("%s=%s: %w (make test installs it into .venv from infra/requirements.txt)", EnvServer, bin, err)
		}
		return bin, "", nil
	}
	if root, ok := moduleRoot(); ok {
		bin := filepath.Join(root, ".venv", "bin", "moto_server")
		if _, err := os.Stat(bin); err == nil {
			return bin, "", nil
		}
	}
	return "", "moto is not installed: make test installs it into .venv (infra/requirements.txt) and runs these suites; " +
		"or set " + EnvServer + " to a moto_server", nil
}

// moduleRoot is the nearest directory above the working directory (a
// package's, under go test) that holds go.mod.
func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func start(bin string) (*Server, error) {
	port, err := bench.FreePort()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), log: &tailBuffer{max: 8 << 10}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	// moto signs nothing itself, but its boto3 reads these; nothing may
	// reach AWS from here.
	s.cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_DEFAULT_REGION="+Region)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = sysProcAttr()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	if err := s.waitReady(); err != nil {
		s.stop()
		return nil, fmt.Errorf("%s: %w\n%s", bin, err, s.log.String())
	}
	return s, nil
}

// waitReady polls moto's own API until it answers.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/moto-api/config", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return nil
			}
		}
		select {
		case <-s.done:
			return errors.New("moto_server exited before answering")
		case <-ctx.Done():
			return fmt.Errorf("moto_server did not answer within %v", startTimeout)
		case <-tick.C:
		}
	}
}

func (s *Server) stop() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// Config is an SDK configuration for the server: static fake credentials,
// Region, every service's endpoint at URL, no retries (a failure shows as
// it is).
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDMOTOTEST", "moto-test-secret", ""),
		BaseEndpoint:     aws.String(s.URL),
		RetryMaxAttempts: 1,
	}
}

// Name returns a fresh resource name with prefix, unique on this server
// (tables, buckets and state machines of different tests never meet).
func Name(prefix string) string {
	mu.Lock()
	defer mu.Unlock()
	seq++
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), seq)
}

var (
	mu  sync.Mutex
	seq int
)

// tailBuffer keeps the last max bytes written to it: moto's log, shown
// when it fails to start.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = bytes.Clone(t.b[over:])
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
