//go:build !linux

package main

import "os/exec"

// The emulator runs on Linux only; run refuses other systems before these
// are reached.

type proc struct{ pid int }

func setProcessGroup(*exec.Cmd) {}

func childrenOf(int) []proc { return nil }

func stop(cmd *exec.Cmd, _ []proc) error {
	_ = cmd.Process.Kill()
	return cmd.Wait()
}
