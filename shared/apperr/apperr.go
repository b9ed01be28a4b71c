// Package apperr is the one application error type of hrss: a stable code
// that clients may switch on, a Chinese message for the user, optional field
// errors keyed by form field, and an internal cause that is logged but never
// shown. Handlers return errors; httpapi.WriteError turns them into a status
// and JSON body in one place.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"time"
)

// Code is a stable, machine-readable error code. Codes never change once
// published; messages may.
type Code string

// The codes of DESIGN.md, plus the few the HTTP edge needs.
const (
	Invalid          Code = "invalid"            // bad input: fix the fields and retry
	BadRequest       Code = "bad_request"        // malformed request (not JSON, wrong shape)
	NotFound         Code = "not_found"          // no such resource (or not yours)
	MethodNotAllowed Code = "method_not_allowed" // route exists, method does not
	Conflict         Code = "conflict"           // state changed underneath; reload
	Unauthenticated  Code = "unauthenticated"    // log in first
	Forbidden        Code = "forbidden"          // logged in, not allowed
	WindowClosed     Code = "window_closed"      // outside 每月1-25号
	TooLarge         Code = "too_large"          // request body over the limit
	Unsupported      Code = "unsupported_media_type"
	RateLimited      Code = "rate_limited"
	Unavailable      Code = "unavailable"  // dependency down; retry later
	StorageFull      Code = "storage_full" // the server's disk is full; nothing was written, retry later
	Internal         Code = "internal"     // our fault; details only in logs
)

// Error is the application error.
type Error struct {
	Code    Code              // stable code
	Message string            // Chinese message shown to the user
	Fields  map[string]string // field key → Chinese explanation
	Err     error             // internal cause; logged, never shown
	// RetryAfter is how long a refused caller should wait (RateLimited,
	// Unavailable): the answer's Retry-After header and retryAfter
	// seconds, so that a page can count down as the server does.
	RetryAfter time.Duration
}

// Error implements error. It includes the cause for logs.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, apperr.E(apperr.NotFound, "")) matches by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// E builds an error with a code and a Chinese message.
func E(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Wrap builds an error with a code, a Chinese message and an internal cause.
func Wrap(code Code, msg string, cause error) *Error {
	return &Error{Code: code, Message: msg, Err: cause}
}

// Fields builds an invalid-input error with field errors.
func Fields(msg string, fields map[string]string) *Error {
	if msg == "" {
		msg = "提交的信息有误，请按提示修改后重新提交"
	}
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}

// Field builds an invalid-input error for one field.
func Field(key, msg string) *Error {
	return Fields("", map[string]string{key: msg})
}

// CodeOf returns the code of err: the code As gives it (the first *Error
// in its chain, StorageFull for a full disk, Internal for any other).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return As(err).Code
}

// As returns the first *Error in err's chain, or an internal error wrapping
// err when there is none. It returns nil for nil. An error that is not
// one of ours, or is Internal, and comes from a full disk or a file size
// limit (ENOSPC, EFBIG) is StorageFull: the person may retry later, and
// the write that failed left nothing behind.
func As(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	found := errors.As(err, &e)
	if found && e.Code != Internal {
		return e
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) {
		return &Error{Code: StorageFull, Message: "系统存储空间不足，请稍后再试", Err: err, RetryAfter: time.Minute}
	}
	if found {
		return e
	}
	return &Error{Code: Internal, Message: "系统繁忙，请稍后重试", Err: err}
}

var statuses = map[Code]int{
	Invalid:          http.StatusUnprocessableEntity,
	BadRequest:       http.StatusBadRequest,
	NotFound:         http.StatusNotFound,
	MethodNotAllowed: http.StatusMethodNotAllowed,
	Conflict:         http.StatusConflict,
	Unauthenticated:  http.StatusUnauthorized,
	Forbidden:        http.StatusForbidden,
	WindowClosed:     http.StatusConflict, // not now: the answer names the next opening
	TooLarge:         http.StatusRequestEntityTooLarge,
	Unsupported:      http.StatusUnsupportedMediaType,
	RateLimited:      http.StatusTooManyRequests,
	Unavailable:      http.StatusServiceUnavailable,
	StorageFull:      http.StatusServiceUnavailable,
	Internal:         http.StatusInternalServerError,
}

// Status is the HTTP status for a code; unknown codes are 500.
func Status(c Code) int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Later builds a RateLimited error that says how long to wait.
func Later(msg string, wait time.Duration) *Error {
	return &Error{Code: RateLimited, Message: msg, RetryAfter: wait}
}
