//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hljhrss/hrss/infra/runner"

	"github.com/hljhrss/hrss/infra/loadbench"

	"github.com/hljhrss/hrss/infra/bench"
)

// platform is one hrss-local process on a free loopback port with a data
// directory of its own.
type platform struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:<port>
	dataDir string
	logFile *os.File
	startup time.Duration // from exec to the first healthy answer
}

// buildRunner builds ./infra/cmd/hrss-local into dir.
func buildRunner(goBin, dir string) (string, error) {
	bin := filepath.Join(dir, "hrss-local")
	cmd := exec.Command(goBin, "build", "-o", bin, "./infra/cmd/hrss-local")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build hrss-local: %w", err)
	}
	return bin, nil
}

// startPlatform starts bin with a fresh data directory under dir and
// quotaFiles as each party's upload quota, logging to a file beside it
// (not in it: the log is not the store), and waits until /api/v1/health
// answers.
func startPlatform(bin, dir string, quotaFiles int) (*platform, error) {
	port, err := bench.FreePort()
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp(dir, "data-")
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(dataDir + ".log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"PORT=" + strconv.Itoa(port), "HRSS_ADDR=127.0.0.1", "HRSS_DATA_DIR=" + dataDir, "HRSS_UPLOAD_QUOTA_FILES=" + strconv.Itoa(quotaFiles)}
	for _, kv := range os.Environ() { // the caller's HRSS_* settings would change what is measured; HRSS_PPROF only profiles
		if (!strings.HasPrefix(kv, "HRSS_") || strings.HasPrefix(kv, "HRSS_PPROF=")) && !strings.HasPrefix(kv, "PORT=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start hrss-local: %w", err)
	}
	p := &platform{cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), dataDir: dataDir, logFile: logFile}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case err := <-exited:
			logFile.Close()
			return nil, fmt.Errorf("hrss-local exited before it was healthy (%v); its log: %s", err, logFile.Name())
		default:
		}
		if healthy(p.base) {
			p.startup = time.Since(began)
			go func() { <-exited }() // reaped; stop waits on the process itself
			return p, nil
		}
		if time.Now().After(deadline) {
			_ = p.stop()
			return nil, errors.New("hrss-local was not healthy within 2 minutes; its log: " + logFile.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func healthy(base string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stop sends SIGTERM to the runner (it shuts down cleanly) and SIGKILL
// after 15 s, by its pid only.
func (p *platform) stop() error {
	defer p.logFile.Close()
	pid := p.cmd.Process.Pid
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !running(pid) {
			return nil
		}
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	return fmt.Errorf("hrss-local %d did not stop on SIGTERM within 15 s; killed", pid)
}

// running reports whether pid is alive and not a zombie.
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(b), ')')
	return i >= 0 && i+2 < len(b) && b[i+2] != 'Z' && b[i+2] != 'X'
}

// memory is the runner's VmRSS and VmHWM in KiB.
func (p *platform) memory() (m loadbench.Memory) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.RSSKiB = n
		case "VmHWM":
			m.HWMKiB = n
		case "RssAnon":
			m.AnonKiB = n
		case "RssFile":
			m.FileKiB = n
		}
	}
	return m
}

// stats reads the runner's GET /_local/stats.
func (p *platform) stats() (runner.Stats, error) {
	var st runner.Stats
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", p.base+"/_local/stats", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET /_local/stats: %s", resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// settle waits, at most limit, until the runner has no workflow execution
// in memory or waiting for a task slot (the receipts are made), and says
// how long that took.
func (p *platform) settle(limit time.Duration) (time.Duration, error) {
	began := time.Now()
	for {
		st, err := p.stats()
		if err == nil && st.Workflows.Runners == 0 && st.Workflows.SlotWaiters == 0 {
			return time.Since(began), nil
		}
		if time.Since(began) > limit {
			return time.Since(began), fmt.Errorf("workflows not settled after %v (last: %+v, %v)", limit, st.Workflows, err)
		}
		time.Sleep(time.Second)
	}
}

// diskUsage is the space the files under dir take on disk (allocated
// blocks, as du counts them).
func diskUsage(dir string) int64 {
	var total int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil {
			if st, ok := info.Sys().(*syscall.Stat_t); ok {
				total += st.Blocks * 512
			}
		}
		return nil
	})
	return total
}
