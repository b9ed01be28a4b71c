package apperr_test

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"syscall"
	"testing"

	"github.com/hljhrss/hrss/shared/apperr"
)

// TestStorageFull: a write that failed for want of space, however
// wrapped, is a 503 storage_full with a Chinese message and a wait, not a
// 500; another error keeps its code.
func TestStorageFull(t *testing.T) {
	full := &fs.PathError{Op: "write", Path: "hrss.db", Err: syscall.ENOSPC}
	for name, tc := range map[string]struct {
		err  error
		want apperr.Code
	}{
		"ENOSPC wrapped":           {fmt.Errorf("boltstore: put: %w", full), apperr.StorageFull},
		"EFBIG":                    {fmt.Errorf("x: %w", &fs.PathError{Op: "write", Err: syscall.EFBIG}), apperr.StorageFull},
		"inside an internal error": {apperr.Wrap(apperr.Internal, "系统繁忙", full), apperr.StorageFull},
		"inside a conflict":        {apperr.Wrap(apperr.Conflict, "已提交", full), apperr.Conflict},
		"another error":            {errors.New("boom"), apperr.Internal},
	} {
		t.Run(name, func(t *testing.T) {
			e := apperr.As(tc.err)
			if e.Code != tc.want || apperr.CodeOf(tc.err) != tc.want {
				t.Fatalf("code %s (CodeOf %s), want %s", e.Code, apperr.CodeOf(tc.err), tc.want)
			}
			if tc.want == apperr.StorageFull {
				if apperr.Status(e.Code) != http.StatusServiceUnavailable || e.Message != "系统存储空间不足，请稍后再试" || e.RetryAfter <= 0 {
					t.Errorf("%d %q retry after %s", apperr.Status(e.Code), e.Message, e.RetryAfter)
				}
				if !errors.Is(e, syscall.ENOSPC) && !errors.Is(e, syscall.EFBIG) {
					t.Errorf("the cause is lost")
				}
			}
		})
	}
}
