package runner_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/faults"
	"github.com/hljhrss/hrss/infra/loadbench"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/catalog"
)

// buildLocal builds infra/cmd/hrss-local into the test's temporary
// directory (the build cache makes all but the first build a link).
func buildLocal(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hrss-local")
	cmd := exec.Command("go", "build", "-o", bin, "./infra/cmd/hrss-local")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build hrss-local: %v\n%s", err, out)
	}
	return bin
}

// smallDisk mounts a tmpfs of size (e.g. "1m") on a new directory, or
// skips the test where mounting is not permitted (not root).
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a %s tmpfs here (needs root or CAP_SYS_ADMIN): %v %s", size, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file in dir until the disk is full and returns it.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 1} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
	}
	return path
}

// noPanic fails when the runner's output shows a panic.
func noPanic(t *testing.T, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("the runner panicked:\n%s", stderr)
	}
}

// TestUnusableDataDir: the runner refuses to start, with a non-zero exit
// and a message that names the data directory's problem, when the data
// directory is under a file, or on a full disk; it does not panic.
func TestUnusableDataDir(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the local runner; -short skips it")
	}
	bin := buildLocal(t)
	for name, tc := range map[string]struct {
		data func(t *testing.T) string
		want []string
	}{
		"under a file": {func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(f, "data")
		}, []string{"HRSS_DATA_DIR", "not a directory"}},
		"on a full disk": {func(t *testing.T) string {
			disk := smallDisk(t, "1m")
			fillDisk(t, disk)
			return filepath.Join(disk, "data")
		}, []string{"HRSS_DATA_DIR", "no space left on device", "磁盘已满"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := localRunner(t, bin, tc.data(t)).Start(time.Minute)
			var exit *faults.ExitError
			if !errors.As(err, &exit) || exit.Exit == nil {
				t.Fatalf("the runner started or did not exit: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(exit.Stderr, w) {
					t.Errorf("its message lacks %q:\n%s", w, exit.Stderr)
				}
			}
			noPanic(t, exit.Stderr)
		})
	}
}

// TestFullDiskDuringOperation: the data directory's disk fills up while
// people submit. Submits then answer 201 (written) or 503 storage_full
// with a Chinese message, never a bare 500, and the runner keeps
// running; once space is freed the same keys submit, acknowledged
// submits are all there once, and after a restart nothing is lost.
func TestFullDiskDuringOperation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the local runner; -short skips it")
	}
	bin := buildLocal(t)
	disk := smallDisk(t, "64m")
	rn := localRunner(t, bin, filepath.Join(disk, "data"))
	p, err := rn.Start(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { p.Kill() }()
	b, _ := catalog.Default().Business("personal-basic-info-change")
	c := loadbench.NewClient(p.URL, nil)
	for _, a := range demo.Accounts() {
		if a.PersonNo == demo.PersonRefund && a.UserType == "individual" {
			if err := c.Login(a); err != nil {
				t.Fatal(err)
			}
		}
	}
	const n = 12
	l := &faults.Ledger{Acked: map[string]application.Receipt{}, Final: map[string]application.Receipt{}}
	paths := make([]string, n)
	for i := range paths {
		if paths[i], err = c.Prepare(b); err != nil {
			t.Fatal(err)
		}
		l.IDs = append(l.IDs, paths[i][strings.LastIndex(paths[i], "/")+1:])
	}
	// A draft whose materials are uploaded while the disk is full, and
	// again once it is not.
	var late struct{ ID string }
	if _, err := c.Call("POST", "/api/v1/"+b.Family+"/applications", map[string]string{"business": b.ID}, nil, &late); err != nil {
		t.Fatal(err)
	}
	latePath := "/api/v1/" + b.Family + "/applications/" + late.ID
	storageFull := func(what string, err error) bool {
		var se *loadbench.StatusError
		if !errors.As(err, &se) || se.Status != 503 {
			t.Errorf("%s on a full disk: %v, want 503 storage_full", what, err)
			return false
		}
		var body struct{ Code, Message string }
		if json.Unmarshal([]byte(se.Body), &body) != nil || body.Code != "storage_full" || body.Message != "系统存储空间不足，请稍后再试" {
			t.Errorf("%s: a full disk answered %s", what, se.Body)
		}
		return true
	}
	submit := func(i int) error {
		var rc application.Receipt
		_, err := c.Call("POST", paths[i]+"/submit", nil, map[string]string{"Idempotency-Key": "disk-" + l.IDs[i]}, &rc)
		if err == nil {
			l.Acked[l.IDs[i]] = rc
		}
		return err
	}
	for i := range 2 {
		if err := submit(i); err != nil {
			t.Fatal(err)
		}
	}

	filler := fillDisk(t, disk)
	full := 0
	for i := 2; i < n && full < 3; i++ {
		err := submit(i)
		var se *loadbench.StatusError
		switch {
		case err == nil:
		case errors.As(err, &se) && se.Status == 503:
			storageFull(fmt.Sprint("submit ", i), err)
			full++
		default:
			t.Errorf("submit %d on a full disk: %v", i, err)
		}
	}
	if full == 0 {
		t.Fatal("no submit was refused on a full disk")
	}
	if err := c.UploadAll(latePath, b); err == nil {
		t.Error("materials were uploaded on a full disk")
	} else {
		storageFull("an upload", err)
	}
	if _, err := c.Call("GET", "/api/v1/health", nil, nil, nil); err != nil {
		t.Errorf("health on a full disk: %v", err)
	}
	select {
	case <-p.Done():
		t.Fatalf("the runner ended on a full disk:\n%s", p.Stderr())
	default:
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := submit(i); err != nil {
			t.Errorf("submit %d after space was freed: %v", i, err)
		}
		l.Final[l.IDs[i]] = l.Acked[l.IDs[i]]
	}
	// The draft's materials go up once there is room, each once.
	if err := c.UploadAll(latePath, b); err != nil {
		t.Errorf("upload after space was freed: %v", err)
	}
	var draft application.View
	if _, err := c.Call("GET", latePath, nil, nil, &draft); err != nil {
		t.Fatal(err)
	}
	accepted := map[string]int{}
	for _, m := range draft.Materials {
		for _, f := range m.Files {
			if f.Status == application.UploadAccepted {
				accepted[m.Name]++
			}
		}
	}
	for _, m := range apptest.Needed(b) {
		if accepted[m.Name] != 1 {
			t.Errorf("material %s: %d accepted uploads after the full disk, want 1 (%+v)", m.Name, accepted[m.Name], draft.Materials)
		}
	}
	if err := p.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	noPanic(t, p.Stderr())
	got, err := faults.Check(t.Context(), rn.Root, rn.Data, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range got.Problems {
		t.Error(pr)
	}
	if got.Present != n || got.Lost+got.Duplicates+got.NotStarted > 0 {
		t.Errorf("%+v", *got)
	}
	t.Logf("%d submits refused with storage_full, then all %d present", full, got.Present)
}
