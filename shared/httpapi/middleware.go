package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyLogger
)

// ClientAddr is the source address of r without its port (API Gateway's
// sourceIp through the Lambda adapter; the peer on the local runner).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string { s, _ := ctx.Value(keyRequestID).(string); return s }

// Logger returns the request's logger (with request_id), or slog.Default().
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(keyLogger).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// WithRequestID returns ctx carrying id and a logger that logs it.
func WithRequestID(ctx context.Context, base *slog.Logger, id string) context.Context {
	ctx = context.WithValue(ctx, keyRequestID, id)
	return context.WithValue(ctx, keyLogger, base.With("request_id", id))
}

// RequestIDFunc extracts a request id from a request (for example the API
// Gateway request id carried in the Lambda context); "" means none.
type RequestIDFunc func(r *http.Request) string

// Middleware wraps h with request ids, access logs and panic recovery.
// The request id comes from idFunc, else the X-Request-Id header (if sane),
// else a new random one; it is echoed in X-Request-Id. Access logs carry
// method, route pattern, status and duration, never query strings or
// bodies (they may hold personal data).
func Middleware(h http.Handler, base *slog.Logger, idFunc RequestIDFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := ""
		if idFunc != nil {
			id = idFunc(r)
		}
		if id == "" {
			id = saneID(r.Header.Get("X-Request-Id"))
		}
		if id == "" {
			id = newID()
		}
		ctx := WithRequestID(r.Context(), base, id)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				err := apperr.Wrap(apperr.Internal, "系统繁忙，请稍后重试", fmt.Errorf("panic: %v", p))
				if !sw.wrote {
					WriteError(sw, r, err)
				} else {
					Logger(ctx).ErrorContext(ctx, "panic after response started", "err", err.Error())
				}
			}
			Logger(ctx).InfoContext(ctx, "request",
				"method", r.Method, "route", r.Pattern, "status", sw.status, "duration_ms", time.Since(start).Milliseconds())
		}()
		h.ServeHTTP(sw, r)
	})
}

func saneID(s string) string {
	if len(s) == 0 || len(s) > 64 {
		return ""
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '=') {
			return ""
		}
	}
	return s
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
