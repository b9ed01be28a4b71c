package awswire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// ParameterStore reads Parameter Store parameters with SSM's GetParameter,
// one JSON request signed with the SDK's own SigV4 signer (aws/signer/v4,
// which every client links anyway).
//
// Why not the SDK's SSM client: linking package service/ssm costs every
// function 1.4–1.6 ms of package init (its generated schemas and endpoint
// tables, built before main whether or not a client is made) and about
// 2 MiB of bootstrap, for one call per cold start (docs/performance.md,
// "Cold start"). What is ours is only the exchange below: AWS JSON 1.1,
// POST / with X-Amz-Target AmazonSSM.GetParameter, the error's code from
// X-Amzn-ErrorType or __type, the endpoint ssm.<region>.<partition suffix>
// (held to the SDK's resolver by TestParameterStoreEndpoint) and a short
// retry of throttling and server errors. Its tests run it against a wire
// fake and against moto.
type ParameterStore struct {
	cfg    aws.Config
	signer *v4.Signer
	client aws.HTTPClient
}

// Parameter is the part of a Parameter Store parameter Secrets reads.
type Parameter struct {
	Name  string
	Type  string // String, StringList or SecureString
	Value string // decrypted
}

// APIError is an error answer of SSM.
type APIError struct {
	Status  int    // HTTP status
	Code    string // e.g. ParameterNotFound, AccessDeniedException
	Message string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("ssm GetParameter: HTTP %d %s", e.Status, e.Code)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// attempts is how many times GetParameter tries, as the SDK's standard
// retryer: the first try and two retries of a throttled, failed (5xx) or
// unanswered request.
const attempts = 3

// defaultHTTPClient is used when the configuration has none (the
// environment's configuration, EnvConfig).
var defaultHTTPClient = &http.Client{Timeout: 10 * time.Second}

// NewParameterStore returns a ParameterStore on cfg's region, credentials,
// endpoint (BaseEndpoint, else the region's) and HTTP client.
func NewParameterStore(cfg aws.Config) *ParameterStore {
	client := cfg.HTTPClient
	if client == nil {
		client = defaultHTTPClient
	}
	return &ParameterStore{cfg: cfg, signer: v4.NewSigner(), client: client}
}

// Endpoint is where requests go: cfg.BaseEndpoint when set, else SSM's
// endpoint in the region's partition.
func (p *ParameterStore) Endpoint() (string, error) {
	if p.cfg.BaseEndpoint != nil && *p.cfg.BaseEndpoint != "" {
		return strings.TrimSuffix(*p.cfg.BaseEndpoint, "/") + "/", nil
	}
	suffix, err := dnsSuffix(p.cfg.Region)
	if err != nil {
		return "", err
	}
	return "https://ssm." + p.cfg.Region + "." + suffix + "/", nil
}

// dnsSuffix is the DNS suffix of region's partition: amazonaws.com.cn in
// aws-cn, amazonaws.com in aws and aws-us-gov. The isolated partitions,
// where this platform is not deployed, are refused rather than guessed.
func dnsSuffix(region string) (string, error) {
	if region == "" {
		return "", errors.New("awswire: no AWS region")
	}
	for _, c := range region {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return "", fmt.Errorf("awswire: %q is not an AWS region", region)
		}
	}
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "amazonaws.com.cn", nil
	case strings.Contains(region, "-iso"), strings.HasPrefix(region, "eusc-"):
		return "", fmt.Errorf("awswire: region %s is in a partition this platform is not deployed to (aws, aws-cn)", region)
	}
	return "amazonaws.com", nil
}

// GetParameter reads the parameter name, decrypted.
func (p *ParameterStore) GetParameter(ctx context.Context, name string) (Parameter, error) {
	endpoint, err := p.Endpoint()
	if err != nil {
		return Parameter{}, err
	}
	if p.cfg.Credentials == nil {
		return Parameter{}, errors.New("awswire: no AWS credentials")
	}
	body, err := json.Marshal(struct {
		Name           string
		WithDecryption bool
	}{name, true})
	if err != nil {
		return Parameter{}, err
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	for attempt := 1; ; attempt++ {
		out, err := p.try(ctx, endpoint, body, payloadHash)
		if err == nil || attempt == attempts || !retryable(err) || ctx.Err() != nil {
			return out, err
		}
		if err := sleepCtx(ctx, time.Duration(50<<(2*(attempt-1)))*time.Millisecond); err != nil { // 50, 200 ms
			return Parameter{}, err
		}
	}
}

// try makes one signed request.
func (p *ParameterStore) try(ctx context.Context, endpoint string, body []byte, payloadHash string) (Parameter, error) {
	creds, err := p.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return Parameter{}, fmt.Errorf("awswire: AWS credentials: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return Parameter{}, fmt.Errorf("awswire: SSM endpoint %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AmazonSSM.GetParameter")
	if err := p.signer.SignHTTP(ctx, creds, req, payloadHash, "ssm", p.cfg.Region, time.Now().UTC()); err != nil {
		return Parameter{}, fmt.Errorf("awswire: sign GetParameter: %w", err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return Parameter{}, &netError{err}
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Parameter{}, &netError{err}
	}
	if resp.StatusCode != http.StatusOK {
		return Parameter{}, apiError(resp, data)
	}
	var out struct{ Parameter *Parameter }
	if err := json.Unmarshal(data, &out); err != nil {
		return Parameter{}, fmt.Errorf("awswire: GetParameter answer: %w", err)
	}
	if out.Parameter == nil {
		return Parameter{}, errors.New("awswire: GetParameter answer has no parameter")
	}
	return *out.Parameter, nil
}

// apiError reads SSM's error answer: the code from X-Amzn-ErrorType
// ("Code:uri") or the body's __type ("namespace#Code").
func apiError(resp *http.Response, data []byte) *APIError {
	var body struct {
		Type    string `json:"__type"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Msg     string `json:"Message"`
	}
	_ = json.Unmarshal(data, &body) // a body that is not JSON leaves the status alone
	code := resp.Header.Get("X-Amzn-ErrorType")
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	for _, c := range []string{code, body.Type, body.Code} {
		if c != "" {
			code = c[strings.LastIndexByte(c, '#')+1:]
			break
		}
	}
	if code == "" {
		code = http.StatusText(resp.StatusCode)
	}
	msg := body.Message
	if msg == "" {
		msg = body.Msg
	}
	return &APIError{Status: resp.StatusCode, Code: code, Message: msg}
}

// netError is a request that got no answer.
type netError struct{ err error }

func (e *netError) Error() string { return "awswire: GetParameter: " + e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// retryable reports whether another attempt may succeed: no answer, a
// server error, or throttling.
func retryable(err error) bool {
	var ne *netError
	if errors.As(err, &ne) {
		return true
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.Code {
	case "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded":
		return true
	}
	return ae.Status >= 500 || ae.Status == http.StatusTooManyRequests
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
