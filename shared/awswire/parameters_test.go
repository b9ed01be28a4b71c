package awswire_test

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
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/hljhrss/hrss/shared/awswire"
)

// verifySignature checks r's SigV4 signature as AWS does: it signs again,
// with the secret, a request made of only the headers r says it signed
// and of the body received, at r's X-Amz-Date, and compares. A request
// whose body, host or signed headers changed after signing fails.
func verifySignature(r *http.Request, body []byte, keyID, secret string) error {
	auth := r.Header.Get("Authorization")
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		return errors.New("not SigV4-signed")
	}
	fields := map[string]string{}
	for f := range strings.SplitSeq(strings.TrimPrefix(auth, algo), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/") // id/date/region/service/aws4_request
	if len(scope) != 5 || scope[0] != keyID || scope[3] != "ssm" || scope[4] != "aws4_request" {
		return fmt.Errorf("credential scope %q", fields["Credential"])
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %w", err)
	}
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	for h := range strings.SplitSeq(fields["SignedHeaders"], ";") {
		switch h {
		case "host", "content-length":
		default:
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	again.Header.Del("Authorization")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), "ssm", scope[2], at); err != nil {
		return err
	}
	if again.Header.Get("Authorization") != auth {
		return errors.New("signature does not match")
	}
	return nil
}

// TestParameterStoreSignsAsTheSDK sends the same GetParameter with the
// SDK's SSM client and with ParameterStore to one server and compares
// what arrives: both verify (so the verifier is sound), and the operation,
// content type, body and credential scope are the same.
func TestParameterStoreSignsAsTheSDK(t *testing.T) {
	type got struct {
		target, contentType, scope string
		body                       map[string]any
		verify                     error
	}
	var mu sync.Mutex
	var reqs []got
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g := got{target: r.Header.Get("X-Amz-Target"), contentType: r.Header.Get("Content-Type"), verify: verifySignature(r, body, "AKIDTEST", "secret")}
		_ = json.Unmarshal(body, &g.body)
		auth := r.Header.Get("Authorization")
		if i := strings.Index(auth, "Credential=AKIDTEST/"); i >= 0 {
			g.scope, _, _ = strings.Cut(auth[i+len("Credential=AKIDTEST/")+len("20060102/"):], ",")
		}
		mu.Lock()
		reqs = append(reqs, g)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, `{"Parameter":{"Name":"/hrss/prod/id-hash-key","Type":"SecureString","Value":"v","Version":1}}`)
	}))
	defer srv.Close()
	cfg := aws.Config{Region: "cn-northwest-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "session-token")}
	if _, err := ssm.NewFromConfig(cfg).GetParameter(t.Context(), &ssm.GetParameterInput{Name: aws.String("/hrss/prod/id-hash-key"), WithDecryption: aws.Bool(true)}); err != nil {
		t.Fatalf("SDK: %v", err)
	}
	p, err := awswire.NewParameterStore(cfg).GetParameter(t.Context(), "/hrss/prod/id-hash-key")
	if err != nil {
		t.Fatalf("ParameterStore: %v", err)
	}
	if p != (awswire.Parameter{Name: "/hrss/prod/id-hash-key", Type: "SecureString", Value: "v"}) {
		t.Errorf("parameter %+v", p)
	}
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	sdk, ours := reqs[0], reqs[1]
	for i, g := range reqs {
		if g.verify != nil {
			t.Errorf("request %d (0 = SDK): %v", i, g.verify)
		}
	}
	if ours.target != sdk.target || ours.contentType != sdk.contentType || ours.scope != sdk.scope {
		t.Errorf("ours %q %q %q, the SDK's %q %q %q", ours.target, ours.contentType, ours.scope, sdk.target, sdk.contentType, sdk.scope)
	}
	if fmt.Sprint(ours.body) != fmt.Sprint(sdk.body) {
		t.Errorf("body %v, the SDK's %v", ours.body, sdk.body)
	}
}

// TestParameterStoreEndpoint holds the endpoint to the SDK's own resolver
// in the partitions the platform is deployed to, and refuses the others.
func TestParameterStoreEndpoint(t *testing.T) {
	resolver := ssm.NewDefaultEndpointResolverV2()
	for _, region := range []string{"cn-north-1", "cn-northwest-1", "us-east-1", "eu-central-1", "ap-east-1", "me-central-1", "us-gov-west-1"} {
		want, err := resolver.ResolveEndpoint(t.Context(), ssm.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := awswire.NewParameterStore(aws.Config{Region: region}).Endpoint()
		if err != nil || got != want.URI.String()+"/" {
			t.Errorf("%s: %q, %v; the SDK resolves %s", region, got, err, want.URI.String())
		}
	}
	for _, region := range []string{"", "us-iso-east-1", "us-isob-east-1", "eusc-de-east-1", "evil.example/x", "CN-NORTH-1"} {
		if got, err := awswire.NewParameterStore(aws.Config{Region: region}).Endpoint(); err == nil {
			t.Errorf("%q: %q, want an error", region, got)
		}
	}
	got, err := awswire.NewParameterStore(aws.Config{Region: "cn-north-1", BaseEndpoint: aws.String("http://127.0.0.1:4566/")}).Endpoint()
	if err != nil || got != "http://127.0.0.1:4566/" {
		t.Errorf("base endpoint: %q, %v", got, err)
	}
}

// TestParameterStoreRetries: throttling, server errors and unanswered
// requests are tried 3 times in all; other errors once.
func TestParameterStoreRetries(t *testing.T) {
	tests := []struct {
		name    string
		answers []string // status:code per attempt; "ok" answers the parameter; "drop" closes the connection
		calls   int
		errHas  string // "" = ok
	}{
		{"ok", []string{"ok"}, 1, ""},
		{"throttled, then ok", []string{"400:ThrottlingException", "ok"}, 2, ""},
		{"server errors, then ok", []string{"500:InternalServerError", "503:ServiceUnavailable", "ok"}, 3, ""},
		{"dropped, then ok", []string{"drop", "ok"}, 2, ""},
		{"server errors throughout", []string{"500:InternalServerError", "500:InternalServerError", "500:InternalServerError", "ok"}, 3, "InternalServerError"},
		{"access denied", []string{"400:AccessDeniedException", "ok"}, 1, "AccessDeniedException"},
		{"not found", []string{"400:ParameterNotFound", "ok"}, 1, "ParameterNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := tt.answers[min(calls, len(tt.answers)-1)]
				calls++
				switch {
				case a == "ok":
					_, _ = io.WriteString(w, `{"Parameter":{"Name":"/p","Type":"SecureString","Value":"v"}}`)
				case a == "drop":
					conn, _, _ := w.(http.Hijacker).Hijack()
					_ = conn.Close()
				default:
					status, code, _ := strings.Cut(a, ":")
					var n int
					_, _ = fmt.Sscan(status, &n)
					w.Header().Set("X-Amzn-ErrorType", code+":http://internal.amazon.com/coral/com.amazonaws.ssm/")
					w.WriteHeader(n)
					_, _ = io.WriteString(w, `{"__type":"com.amazonaws.ssm#`+code+`","message":"m"}`)
				}
			}))
			defer srv.Close()
			ps := awswire.NewParameterStore(aws.Config{Region: "cn-north-1", BaseEndpoint: aws.String(srv.URL),
				Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")})
			p, err := ps.GetParameter(t.Context(), "/p")
			if calls != tt.calls {
				t.Errorf("%d calls, want %d", calls, tt.calls)
			}
			switch {
			case tt.errHas == "" && (err != nil || p.Value != "v"):
				t.Errorf("%+v, %v", p, err)
			case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
				t.Errorf("err %v, want one saying %s", err, tt.errHas)
			}
		})
	}
}

// TestVerifySignature: the fake's verifier refuses what AWS would.
func TestVerifySignature(t *testing.T) {
	body := []byte(`{"Name":"/p","WithDecryption":true}`)
	signed := func(key string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://ssm.cn-north-1.amazonaws.com.cn/", bytes.NewReader(body))
		r.Header.Set("X-Amz-Target", "AmazonSSM.GetParameter")
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(t.Context(), aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: key}, r, hex.EncodeToString(sum[:]), "ssm", "cn-north-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if err := verifySignature(signed("secret"), body, "AKIDTEST", "secret"); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	if err := verifySignature(signed("other"), body, "AKIDTEST", "secret"); err == nil {
		t.Error("another key's signature verified")
	}
	if err := verifySignature(signed("secret"), []byte(`{"Name":"/q","WithDecryption":true}`), "AKIDTEST", "secret"); err == nil {
		t.Error("a changed body verified")
	}
	r := signed("secret")
	r.Header.Set("X-Amz-Target", "AmazonSSM.DeleteParameter")
	if err := verifySignature(r, body, "AKIDTEST", "secret"); err == nil {
		t.Error("a changed signed header verified")
	}
}
