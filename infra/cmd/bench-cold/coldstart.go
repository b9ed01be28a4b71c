package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/hljhrss/hrss/infra/bench"
)

// target is one bootstrap to measure.
type target struct {
	id   string // logical id in template.yaml, or HelloWorld: the build directory and the Lambda function name
	name string // as the report shows it
	pkg  string // Go package, ./functions/platform
	host string // the bootstrap built for this machine
	arm  int64  // size of the linux/arm64 bootstrap (0 = not built)
}

// coldStarter takes cold starts: one emulator, one bootstrap, one invoke.
type coldStarter struct {
	rie     string        // the emulator binary
	env     []string      // the environment of the emulator, which passes it on to the bootstrap
	event   []byte        // the first invoke's payload
	timeout time.Duration // limit of one cold start
	fake    *fakeAWS
	logDir  string // where the emulator's output is kept during a run
}

// functionEnv is what a function needs to start offline: the template's
// variables with bench values, a region and static credentials (so the SDK
// looks for nothing), the shared config files pointed nowhere, instance
// metadata off, and every AWS endpoint at the fake (AWS_ENDPOINT_URL).
// TZ and LANG are as Lambda sets them. Nothing of the bench's own
// environment is passed on.
func functionEnv(fakeURL string, timeout time.Duration) []string {
	const arn = "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:hrss-bench-"
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"AWS_REGION=cn-north-1",
		"AWS_DEFAULT_REGION=cn-north-1",
		"AWS_ACCESS_KEY_ID=AKIDBENCHCOLD",
		"AWS_SECRET_ACCESS_KEY=bench-cold-not-a-secret",
		"AWS_SESSION_TOKEN=bench-cold",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/nonexistent/bench-cold/config",
		"AWS_SHARED_CREDENTIALS_FILE=/nonexistent/bench-cold/credentials",
		"AWS_ENDPOINT_URL=" + fakeURL,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_FUNCTION_TIMEOUT=" + strconv.Itoa(max(1, int(timeout.Seconds()))),
		"HRSS_TABLE=hrss-bench",
		"HRSS_BUCKET=hrss-bench-materials",
		"HRSS_PORTAL_ORIGIN=https://portal.hrss.example",
		"HRSS_MAIL_FROM=noreply@hrss.example",
		"HRSS_ID_HASH_KEY_PARAM=" + idHashKeyParam,
		"HRSS_STATE_MACHINES=SelfTestStateMachine=" + arn + "selftest,ReviewStateMachine=" + arn + "review",
	}
}

// start takes one cold start of t, with extraEnv added to the function's
// environment. It returns the run and what the bootstrap wrote (the
// emulator's standard output). The emulator and the bootstrap are gone
// when it returns.
func (c *coldStarter) start(t target, extraEnv ...string) (bench.Run, []byte, error) {
	apiAddr, err1 := freeAddr()
	runtimeAddr, err2 := freeAddr()
	stdout, err3 := os.CreateTemp(c.logDir, "rie-*.out")
	stderr, err4 := os.CreateTemp(c.logDir, "rie-*.err")
	for _, f := range []*os.File{stdout, stderr} {
		if f != nil {
			defer os.Remove(f.Name())
			defer f.Close()
		}
	}
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return bench.Run{}, nil, err
	}
	cmd := exec.Command(c.rie, "--runtime-interface-emulator-address", apiAddr, "--runtime-api-address", runtimeAddr, t.host)
	cmd.Dir = filepath.Dir(t.host)
	cmd.Env = append(slices.Clone(c.env), "AWS_LAMBDA_FUNCTION_NAME="+t.id)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	setProcessGroup(cmd)
	c.fake.take() // forget what an earlier run left
	if err := cmd.Start(); err != nil {
		return bench.Run{}, nil, fmt.Errorf("start the emulator: %w", err)
	}
	body, wall, invokeErr := c.invoke(apiAddr)
	stopErr := stop(cmd, childrenOf(cmd.Process.Pid))
	calls := c.fake.take()
	out, _ := os.ReadFile(stdout.Name())
	log, _ := os.ReadFile(stderr.Name())
	if err := errors.Join(invokeErr, stopErr); err != nil {
		return bench.Run{}, out, fmt.Errorf("%w (emulator: %s; bootstrap: %s)", err, lastLine(log), lastLine(out))
	}
	initMs, errInit := bench.ParseInitReport(log)
	handlerMs, errHandler := bench.ParseInvokeDone(log)
	invokeMs, errInvoke := bench.ParseReportDuration(out)
	status, errStatus := bench.ParseAnswer(body)
	if err := errors.Join(errInit, errHandler, errInvoke, errStatus); err != nil {
		return bench.Run{}, out, fmt.Errorf("%w (bootstrap: %s)", err, lastLine(out))
	}
	run := bench.Run{InitMs: initMs, HandlerMs: handlerMs, InvokeMs: invokeMs, WallMs: ms(wall), Status: status, AWSCalls: calls}
	return run, out, nil
}

// invoke waits for the emulator to listen on addr and sends it the first
// invoke, timing that invoke; the emulator starts the bootstrap on it.
func (c *coldStarter) invoke(addr string) ([]byte, time.Duration, error) {
	deadline := time.Now().Add(c.timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			return nil, 0, fmt.Errorf("the emulator did not listen on %s within %s", addr, c.timeout)
		}
		time.Sleep(time.Millisecond)
	}
	client := &http.Client{Timeout: time.Until(deadline)}
	url := "http://" + addr + "/2015-03-31/functions/function/invocations"
	t0 := time.Now()
	resp, err := client.Post(url, "application/json", bytes.NewReader(c.event))
	if err != nil {
		return nil, 0, fmt.Errorf("invoke: %w", err)
	}
	body, err := io.ReadAll(resp.Body)
	wall := time.Since(t0)
	resp.Body.Close()
	if err != nil {
		return nil, 0, fmt.Errorf("invoke: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("invoke: emulator answered %s: %.200s", resp.Status, body)
	}
	return body, wall, nil
}

// freeAddr is a 127.0.0.1 address with a port nothing listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// lastLine is the last non-empty line of b, shortened, for an error.
func lastLine(b []byte) string {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	s := string(lines[len(lines)-1])
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	if s == "" {
		return "(nothing)"
	}
	return strconv.Quote(s)
}
