package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

const (
	// idHashKeyParam is the Parameter Store name the functions are given
	// (HRSS_ID_HASH_KEY_PARAM), as the template's IdHashKeyParameter.
	idHashKeyParam = "/hrss/bench/id-hash-key"
	// idHashKey is the value the fake Parameter Store holds for it: a
	// public, fixed string, good for nothing but starting a function here.
	idHashKey = "bench-cold-public-id-hash-key-not-a-secret-0123456789"
)

// fakeAWS stands in for every AWS endpoint a function reaches during a
// cold start; AWS_ENDPOINT_URL points the SDK at it, so nothing leaves
// the machine and nothing waits on a network that is not there.
// Parameter Store's GetParameter of idHashKeyParam answers idHashKey as a
// SecureString, as in AWS; any other call is refused with an
// AccessDeniedException (which the SDK does not retry). Every call is
// recorded, so the report shows what each function asks of AWS to start.
type fakeAWS struct {
	url string
	srv *http.Server

	mu    sync.Mutex
	calls []string // "service:Operation", since the last take
}

func startFakeAWS() (*fakeAWS, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fakeAWS{url: "http://" + l.Addr().String()}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = f.srv.Serve(l) }()
	return f, nil
}

func (f *fakeAWS) close() error { return f.srv.Close() }

// take returns the calls recorded since the last take, and forgets them.
func (f *fakeAWS) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

// credentialScope finds the service in a SigV4 Authorization header:
// Credential=AKID/20261202/cn-north-1/ssm/aws4_request.
var credentialScope = regexp.MustCompile(`Credential=[^/]+/[0-9]+/[^/]+/([^/]+)/aws4_request`)

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	service := "unsigned"
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		service = m[1]
	}
	op := r.Header.Get("X-Amz-Target") // AmazonSSM.GetParameter, DynamoDB_20120810.GetItem
	if _, after, ok := strings.Cut(op, "."); ok {
		op = after
	}
	if op == "" {
		op = r.Method + " " + r.URL.Path
	}
	f.mu.Lock()
	f.calls = append(f.calls, service+":"+op)
	f.mu.Unlock()

	var in struct{ Name string }
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch {
	case service == "ssm" && op == "GetParameter" && json.Unmarshal(body, &in) == nil && in.Name == idHashKeyParam:
		_ = json.NewEncoder(w).Encode(map[string]any{"Parameter": map[string]any{
			"Name": in.Name, "Type": "SecureString", "Value": idHashKey, "Version": 1}})
	case service == "ssm" && op == "GetParameter":
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": "ParameterNotFound", "message": "bench-cold: only " + idHashKeyParam})
	default:
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": "AccessDeniedException", "message": "bench-cold: no AWS here"})
	}
}
