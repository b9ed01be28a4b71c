package apperr_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/hljhrss/hrss/shared/apperr"
)

func TestCodesAndStatus(t *testing.T) {
	wrapped := fmt.Errorf("load: %w", apperr.E(apperr.NotFound, "未找到"))
	tests := []struct {
		name   string
		err    error
		code   apperr.Code
		status int
	}{
		{"not found wrapped", wrapped, apperr.NotFound, 404},
		{"field", apperr.Field("name", "请填写姓名"), apperr.Invalid, 422},
		{"plain error is internal", io.EOF, apperr.Internal, 500},
		{"window closed", apperr.E(apperr.WindowClosed, "每月1-25号办理"), apperr.WindowClosed, 409},
		{"conflict", apperr.E(apperr.Conflict, "x"), apperr.Conflict, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apperr.CodeOf(tt.err); got != tt.code {
				t.Errorf("CodeOf = %q, want %q", got, tt.code)
			}
			if got := apperr.Status(apperr.CodeOf(tt.err)); got != tt.status {
				t.Errorf("Status = %d, want %d", got, tt.status)
			}
		})
	}
	if !errors.Is(wrapped, apperr.E(apperr.NotFound, "")) {
		t.Error("errors.Is by code failed")
	}
	if errors.Is(wrapped, apperr.E(apperr.Conflict, "")) {
		t.Error("errors.Is matched another code")
	}
	cause := errors.New("disk full")
	if e := apperr.Wrap(apperr.Unavailable, "暂不可用", cause); !errors.Is(e, cause) {
		t.Error("Wrap lost the cause")
	}
	if apperr.As(nil) != nil || apperr.CodeOf(nil) != "" {
		t.Error("nil handling")
	}
}
