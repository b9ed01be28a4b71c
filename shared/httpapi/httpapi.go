// Package httpapi is the HTTP edge shared by every function: handlers that
// return errors, the one place that writes an error as JSON with its status,
// bounded JSON decoding, a router that answers unknown routes and wrong
// methods with JSON errors, and middleware for request ids, structured logs
// and panics. It knows nothing of AWS: the same http.Handler runs behind
// API Gateway (through aws-lambda-go-api-proxy) and in the local runner.
package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
)

// MaxBodyBytes is the largest request body any route accepts (1 MiB).
// Materials never pass through the API: they go to blob storage directly.
const MaxBodyBytes = 1 << 20

// HandlerFunc is an HTTP handler that returns an error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP runs h and writes its error, if any.
func (h HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		WriteError(w, r, err)
	}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Code        apperr.Code       `json:"code"`
	Message     string            `json:"message"`
	FieldErrors map[string]string `json:"fieldErrors,omitempty"`
	RequestID   string            `json:"requestId,omitempty"`
	RetryAfter  int               `json:"retryAfter,omitempty"` // seconds to wait (429, 503)
}

// WriteError writes err as JSON with the status of its code and logs it:
// 5xx as errors with the internal cause, 4xx as info without it.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	status := apperr.Status(e.Code)
	msg := e.Message
	if status >= 500 && e.Code == apperr.Internal {
		msg = "系统繁忙，请稍后重试"
	}
	log := Logger(r.Context())
	if status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "status", status, "code", e.Code, "err", err.Error())
	} else {
		log.InfoContext(r.Context(), "request rejected", "status", status, "code", e.Code)
	}
	if e.Code == apperr.MethodNotAllowed {
		if allow := w.Header().Get("Allow"); allow == "" {
			w.Header().Set("Allow", "GET, POST")
		}
	}
	body := errorBody{Code: e.Code, Message: msg, FieldErrors: e.Fields, RequestID: RequestID(r.Context())}
	if e.RetryAfter > 0 {
		body.RetryAfter = int((e.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(body.RetryAfter))
	}
	WriteJSON(w, status, body)
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// DecodeJSON reads a JSON object body of at most MaxBodyBytes into v.
// Every failure is a 4xx *apperr.Error with a Chinese message.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.E(apperr.Unsupported, "请求内容须为 JSON（Content-Type: application/json）")
		}
	}
	body := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return apperr.Wrap(apperr.TooLarge, "请求内容超过 1 MiB 上限，请精简后重试", err)
		case errors.Is(err, io.EOF):
			return apperr.Wrap(apperr.BadRequest, "请求内容为空，请提交 JSON 对象", err)
		case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
			return apperr.Wrap(apperr.BadRequest, "请求内容不是有效的 JSON，请检查格式", err)
		case errors.As(err, &typ):
			if typ.Field != "" {
				return &apperr.Error{Code: apperr.Invalid, Message: "提交的信息有误，请按提示修改后重新提交",
					Fields: map[string]string{typ.Field: "类型不正确，应为" + jsonKind(typ.Type.Kind().String())}, Err: err}
			}
			return apperr.Wrap(apperr.BadRequest, "请求内容的结构不正确，请提交 JSON 对象", err)
		default:
			return apperr.Wrap(apperr.BadRequest, "请求内容无法解析，请检查格式", err)
		}
	}
	if dec.More() {
		return apperr.E(apperr.BadRequest, "请求内容只能包含一个 JSON 对象")
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "slice", "array":
		return "数组"
	case "map", "struct":
		return "对象"
	default:
		return "数字"
	}
}
