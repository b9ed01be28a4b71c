package main

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"time"
)

// buildEmulator returns the emulator binary for this machine, built from
// the module proxy (go install …/cmd/aws-lambda-rie@version) the first
// time and kept in dir/rie/<version>/ after that.
func buildEmulator(goBin, dir, version string) (string, error) {
	bin, err := filepath.Abs(filepath.Join(dir, "rie", version, "aws-lambda-rie"))
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() {
		return bin, nil
	}
	tmp, err := os.MkdirTemp(dir, "rie-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	tmp, err = filepath.Abs(tmp)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "bench-cold: go install %s/cmd/aws-lambda-rie@%s\n", emulatorModule, version)
	cmd := exec.Command(goBin, "install", emulatorModule+"/cmd/aws-lambda-rie@"+version)
	cmd.Dir = tmp // outside any module's requirements: the emulator's own go.mod decides
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOOS=linux", "GOARCH="+runtime.GOARCH,
		"CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build the emulator: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	return bin, os.Rename(filepath.Join(tmp, "aws-lambda-rie"), bin)
}

// buildBootstraps builds every target's package for linux/arch as make
// build does (CGO_ENABLED=0, -tags lambda.norpc, -trimpath, ldflags), in
// one go build, into dir/linux-<arch>/<id>/bootstrap, and returns those
// paths in the targets' order.
func buildBootstraps(goBin, ldflags, dir, arch string, targets []target) ([]string, error) {
	out, err := filepath.Abs(filepath.Join(dir, "linux-"+arch))
	if err != nil {
		return nil, err
	}
	staging := filepath.Join(out, ".build")
	if err := os.RemoveAll(staging); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, err
	}
	args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", ldflags, "-o", staging + string(filepath.Separator)}
	for _, t := range targets {
		args = append(args, t.pkg)
	}
	start := time.Now()
	fmt.Fprintf(os.Stderr, "bench-cold: build %d bootstraps for linux/%s\n", len(targets), arch)
	cmd := exec.Command(goBin, args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("build for linux/%s: %w", arch, err)
	}
	paths := make([]string, len(targets))
	for i, t := range targets {
		paths[i] = filepath.Join(out, t.id, "bootstrap")
		if err := os.MkdirAll(filepath.Dir(paths[i]), 0o755); err != nil {
			return nil, err
		}
		if err := os.Rename(filepath.Join(staging, path.Base(t.pkg)), paths[i]); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(os.Stderr, "bench-cold: built in %s\n", time.Since(start).Round(time.Second))
	return paths, os.Remove(staging)
}

func size(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
