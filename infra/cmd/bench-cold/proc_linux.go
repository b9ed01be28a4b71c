//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// setProcessGroup makes cmd the leader of a new process group, killed by
// the kernel if the bench dies first.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// proc names one process: its pid and its start time, so that a pid the
// kernel has reused for another process is never mistaken for it.
type proc struct {
	pid   int
	start string // field 22 of /proc/<pid>/stat, in clock ticks since boot
}

// stat is the part of /proc/<pid>/stat the bench reads.
type stat struct {
	state byte
	ppid  int
	start string
}

// readStat reads /proc/<pid>/stat: "pid (comm) S ppid … starttime …",
// where comm may hold spaces and parentheses.
func readStat(pid int) (stat, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return stat{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return stat{}, false
	}
	f := bytes.Fields(b[i+1:]) // f[0] is field 3 (state)
	if len(f) < 20 || len(f[0]) == 0 {
		return stat{}, false
	}
	ppid, err := strconv.Atoi(string(f[1]))
	return stat{state: f[0][0], ppid: ppid, start: string(f[19])}, err == nil
}

// childrenOf lists the live processes whose parent is pid.
func childrenOf(pid int) []proc {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []proc
	for _, d := range dirs {
		child, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		if s, ok := readStat(child); ok && s.ppid == pid && s.state != 'Z' && s.state != 'X' {
			out = append(out, proc{pid: child, start: s.start})
		}
	}
	return out
}

// alive reports whether p is still running (not exited, not another
// process that was given its pid).
func alive(p proc) bool {
	s, ok := readStat(p.pid)
	return ok && s.start == p.start && s.state != 'Z' && s.state != 'X'
}

// stop ends an emulator started with setProcessGroup and the bootstraps
// it ran (children, listed while it was alive). SIGTERM to the emulator's
// group makes it kill its runtime and exit; it gets SIGKILL after 3 s.
// The emulator starts the bootstrap in a process group of its own, so
// each child still there then gets SIGKILL to its group. stop fails if a
// process is left.
func stop(cmd *exec.Cmd, children []proc) error {
	pid := cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-done
	}
	for _, c := range children {
		if alive(c) {
			_ = syscall.Kill(-c.pid, syscall.SIGKILL)
			_ = syscall.Kill(c.pid, syscall.SIGKILL) // should it not lead its group
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for _, c := range children {
		for alive(c) {
			if time.Now().After(deadline) {
				return fmt.Errorf("bootstrap process %d survived SIGKILL", c.pid)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}
