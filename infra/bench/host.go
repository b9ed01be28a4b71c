package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// Host describes this machine and the Go toolchain goBin, as the
// benchmarks' reports name them (the load averages are left to the
// caller: LoadAverage before and after).
func Host(goBin string) Machine {
	m := Machine{
		CPUs:      runtime.NumCPU(), // the CPUs this process may use, as nproc counts them
		CPUModel:  procField("/proc/cpuinfo", "model name"),
		Kernel:    "unknown",
		Memory:    "unknown",
		GoVersion: runtime.Version(),
		GOARCH:    runtime.GOARCH,
	}
	if m.CPUModel == "" {
		m.CPUModel = "unknown CPU"
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if kb, err := strconv.ParseFloat(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 64); err == nil {
		m.Memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
	}
	if out, err := exec.Command(goBin, "env", "GOVERSION").Output(); err == nil {
		m.GoVersion = string(bytes.TrimSpace(out))
	}
	return m
}

// LoadAverage is the 1-minute load average (/proc/loadavg).
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// procField is the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// FreePort is a loopback TCP port nobody listens on just now, for a
// process (the local runner, moto) started on it next.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
