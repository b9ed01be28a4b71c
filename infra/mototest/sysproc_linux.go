package mototest

import "syscall"

// sysProcAttr asks Linux to kill moto when the test binary dies without
// running Main's cleanup (a panic, a -timeout).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
