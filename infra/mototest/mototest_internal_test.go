package mototest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExecutable: where moto_server comes from, and that a missing moto
// skips only when nobody asked for it.
func TestExecutable(t *testing.T) {
	t.Run("asked for and missing fails", func(t *testing.T) {
		t.Setenv(EnvServer, filepath.Join(t.TempDir(), "moto_server"))
		if _, skip, err := executable(); err == nil || skip != "" || !strings.Contains(err.Error(), EnvServer) {
			t.Errorf("skip %q, err %v; want an error naming %s", skip, err, EnvServer)
		}
	})
	t.Run("asked for and present", func(t *testing.T) {
		bin := filepath.Join(t.TempDir(), "moto_server")
		if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv(EnvServer, bin)
		if got, skip, err := executable(); got != bin || skip != "" || err != nil {
			t.Errorf("executable() = %q, %q, %v; want %q", got, skip, err, bin)
		}
	})
	t.Run("not installed skips with a reason", func(t *testing.T) {
		t.Setenv(EnvServer, "")
		t.Chdir(t.TempDir()) // no go.mod above, so no .venv
		if got, skip, err := executable(); got != "" || err != nil || !strings.Contains(skip, "make test") {
			t.Errorf("executable() = %q, %q, %v; want a skip saying how to install moto", got, skip, err)
		}
	})
	t.Run("the module's venv", func(t *testing.T) {
		t.Setenv(EnvServer, "")
		dir := t.TempDir()
		bin := filepath.Join(dir, ".venv", "bin", "moto_server")
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{filepath.Join(dir, "go.mod"), bin} {
			if err := os.WriteFile(f, nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		sub := filepath.Join(dir, "shared", "table")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Chdir(sub)
		if got, skip, err := executable(); got != bin || skip != "" || err != nil {
			t.Errorf("executable() = %q, %q, %v; want %q", got, skip, err, bin)
		}
	})
}
