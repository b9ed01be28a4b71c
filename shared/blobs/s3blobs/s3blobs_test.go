package s3blobs_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/blobstest"
	"github.com/hljhrss/hrss/shared/blobs/s3blobs"
	"github.com/hljhrss/hrss/shared/blobs/s3blobs/s3fake"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/clock"
)

const (
	bucket = "hrss-materials"
	region = "cn-north-1"
	pdf    = "application/pdf"
)

var creds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

// newClient returns a real S3 client with static credentials; endpoint ""
// leaves the SDK's own endpoint resolution (no request is sent then).
func newClient(t *testing.T, endpoint string, hc *http.Client, c aws.Credentials) *s3.Client {
	t.Helper()
	cfg := aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken),
		RetryMaxAttempts: 1,
	}
	if hc != nil {
		cfg.HTTPClient = hc
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
	})
}

// TestContract runs the blobs contract with the real SDK client against
// s3fake, which checks POST policies and SigV4 signatures as S3 does.
func TestContract(t *testing.T) {
	blobstest.Run(t, func(t *testing.T) blobstest.Fixture {
		fake := s3fake.New(bucket, creds)
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		store := s3blobs.New(newClient(t, srv.URL, srv.Client(), creds), bucket)
		return blobstest.Fixture{Store: store, Client: srv.Client(), Advance: fake.Advance, SetTags: fake.SetTags}
	})
}

// TestContractNewStore runs the blobs contract on what s3fake.NewStore
// returns, the setup other packages' tests use.
func TestContractNewStore(t *testing.T) {
	blobstest.Run(t, func(t *testing.T) blobstest.Fixture {
		store, fake, srv := s3fake.NewStore(t)
		return blobstest.Fixture{Store: store, Client: srv.Client(), Advance: fake.Advance, SetTags: fake.SetTags}
	})
}

func pdfPolicy(key string) blobs.UploadPolicy {
	return blobs.UploadPolicy{Key: key, ContentType: pdf, MinSize: 1024, MaxSize: 10 << 20, Expires: 10 * time.Minute}
}

type postPolicy struct {
	Expiration string `json:"expiration"`
	Conditions []any  `json:"conditions"`
}

func decodePolicy(t *testing.T, enc string) postPolicy {
	t.Helper()
	doc, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		t.Fatalf("policy is not base64: %v", err)
	}
	var p postPolicy
	if err := json.Unmarshal(doc, &p); err != nil {
		t.Fatalf("policy %s is not JSON: %v", doc, err)
	}
	return p
}

func TestPresignUploadPolicy(t *testing.T) {
	store := s3blobs.New(newClient(t, "", nil, creds), bucket)
	key := "materials/2026/A0001/身份证.pdf"
	post, err := store.PresignUpload(t.Context(), pdfPolicy(key))
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://" + bucket + ".s3." + region + ".amazonaws.com.cn"; post.URL != want {
		t.Errorf("URL = %q, want %q (virtual-hosted, aws-cn partition)", post.URL, want)
	}
	wantFields := []string{"Content-Type", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "key", "policy"}
	if got := slices.Sorted(maps.Keys(post.Fields)); !cmp.Equal(got, wantFields) {
		t.Errorf("fields = %v, want %v", got, wantFields)
	}
	f := post.Fields
	if f["key"] != key || f["Content-Type"] != pdf || f["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256" {
		t.Errorf("key, Content-Type, algorithm = %q, %q, %q", f["key"], f["Content-Type"], f["X-Amz-Algorithm"])
	}
	signed, err := time.Parse("20060102T150405Z", f["X-Amz-Date"])
	if err != nil {
		t.Fatalf("X-Amz-Date: %v", err)
	}
	cred := "AKIDEXAMPLE/" + signed.Format("20060102") + "/" + region + "/s3/aws4_request"
	if f["X-Amz-Credential"] != cred {
		t.Errorf("X-Amz-Credential = %q, want %q", f["X-Amz-Credential"], cred)
	}

	pol := decodePolicy(t, f["policy"])
	exp := signed.Add(10 * time.Minute)
	if pol.Expiration != exp.Format(time.RFC3339) {
		t.Errorf("expiration = %q, want %q", pol.Expiration, exp.Format(time.RFC3339))
	}
	if !post.ExpiresAt.Equal(exp) || post.ExpiresAt.Location() != clock.Shanghai {
		t.Errorf("ExpiresAt = %v, want %v in Asia/Shanghai", post.ExpiresAt, exp)
	}
	want := []any{
		map[string]any{"X-Amz-Algorithm": "AWS4-HMAC-SHA256"},
		map[string]any{"bucket": bucket},
		map[string]any{"X-Amz-Credential": cred},
		map[string]any{"X-Amz-Date": f["X-Amz-Date"]},
		map[string]any{"key": key},
		map[string]any{"Content-Type": pdf},
		[]any{"content-length-range", float64(1024), float64(10 << 20)},
	}
	if diff := cmp.Diff(want, pol.Conditions); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	for _, c := range pol.Conditions {
		if a, ok := c.([]any); ok && a[0] == "starts-with" {
			t.Errorf("policy has a starts-with condition %v; the key must be exact", a)
		}
	}
	// The signature is HMAC-SHA256 of the base64 policy under the SigV4
	// key derived for this date, region and service.
	sig := hex.EncodeToString(hmacSHA256(sigV4Key(creds.SecretAccessKey, signed.Format("20060102"), region, "s3"), []byte(f["policy"])))
	if f["X-Amz-Signature"] != sig {
		t.Errorf("X-Amz-Signature = %q, want %q", f["X-Amz-Signature"], sig)
	}
}

// sigV4Key derives the SigV4 signing key for a date, region and service.
func sigV4Key(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	k = hmacSHA256(k, []byte(region))
	k = hmacSHA256(k, []byte(service))
	return hmacSHA256(k, []byte("aws4_request"))
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

func TestPresignUploadWithSessionToken(t *testing.T) {
	c := creds
	c.SessionToken = "FwoGZXIvYXdzEXAMPLETOKEN"
	store := s3blobs.New(newClient(t, "", nil, c), bucket)
	post, err := store.PresignUpload(t.Context(), pdfPolicy("materials/a.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if post.Fields["X-Amz-Security-Token"] != c.SessionToken {
		t.Errorf("X-Amz-Security-Token = %q, want the session token", post.Fields["X-Amz-Security-Token"])
	}
	found := false
	for _, cond := range decodePolicy(t, post.Fields["policy"]).Conditions {
		if m, ok := cond.(map[string]any); ok && m["X-Amz-Security-Token"] == c.SessionToken {
			found = true
		}
	}
	if !found {
		t.Error("policy has no X-Amz-Security-Token condition")
	}
}

func TestPresignDownload(t *testing.T) {
	store := s3blobs.New(newClient(t, "", nil, creds), bucket)
	raw, err := store.PresignDownload(t.Context(), "materials/a b.pdf", 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != bucket+".s3."+region+".amazonaws.com.cn" || u.EscapedPath() != "/materials/a%20b.pdf" {
		t.Errorf("URL = %q", raw)
	}
	q := u.Query()
	if q.Get("X-Amz-Expires") != "300" || q.Get("X-Amz-Signature") == "" || q.Get("X-Amz-SignedHeaders") != "host" ||
		!strings.HasPrefix(q.Get("X-Amz-Credential"), "AKIDEXAMPLE/") {
		t.Errorf("query = %v", q)
	}
}

func TestPresignChecks(t *testing.T) {
	store := s3blobs.New(newClient(t, "", nil, creds), bucket)
	for name, edit := range map[string]func(*blobs.UploadPolicy){
		"empty key":       func(p *blobs.UploadPolicy) { p.Key = "" },
		"no content type": func(p *blobs.UploadPolicy) { p.ContentType = "" },
		"min zero":        func(p *blobs.UploadPolicy) { p.MinSize = 0 },
		"max below min":   func(p *blobs.UploadPolicy) { p.MaxSize = 1 },
		"no expiry":       func(p *blobs.UploadPolicy) { p.Expires = 0 },
		"over 7 days":     func(p *blobs.UploadPolicy) { p.Expires = 8 * 24 * time.Hour },
	} {
		t.Run(name, func(t *testing.T) {
			p := pdfPolicy("materials/a.pdf")
			edit(&p)
			if _, err := store.PresignUpload(t.Context(), p); err == nil {
				t.Error("PresignUpload succeeded, want an error")
			}
		})
	}
	if _, err := store.PresignDownload(t.Context(), "materials/a.pdf", 8*24*time.Hour); err == nil {
		t.Error("PresignDownload for 8 days succeeded, want an error")
	}
}

// TestHeadErrors checks that only a 404 becomes ErrNotFound.
func TestHeadErrors(t *testing.T) {
	for _, tc := range []struct {
		status   int
		notFound bool
	}{
		{http.StatusNotFound, true},
		{http.StatusForbidden, false},
		{http.StatusInternalServerError, false},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodHead || r.URL.Path != "/"+bucket+"/materials/a.pdf" {
					t.Errorf("request %s %s, want HEAD /%s/materials/a.pdf", r.Method, r.URL.Path, bucket)
				}
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			store := s3blobs.New(newClient(t, srv.URL, srv.Client(), creds), bucket)
			_, err := store.Head(t.Context(), "materials/a.pdf")
			if err == nil || errors.Is(err, blobs.ErrNotFound) != tc.notFound {
				t.Errorf("Head: err = %v, want ErrNotFound: %v", err, tc.notFound)
			}
		})
	}
}

// TestFakeS3RejectsUncoveredField checks the fake itself: S3 refuses a
// form field no policy condition covers, so an adapter that forgot to
// put Content-Type in the policy would fail the contract.
func TestFakeS3RejectsUncoveredField(t *testing.T) {
	fake := s3fake.New(bucket, creds)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	store := s3blobs.New(newClient(t, srv.URL, srv.Client(), creds), bucket)
	post, err := store.PresignUpload(t.Context(), pdfPolicy("materials/a.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	fields := maps.Clone(post.Fields)
	fields["x-amz-meta-owner"] = "someone"
	status, body, err := blobstest.PostForm(t.Context(), srv.Client(), post.URL, fields, blobstest.File{Data: make([]byte, 2048)})
	if err != nil || status != http.StatusForbidden || !strings.Contains(string(body), "Extra input fields") {
		t.Errorf("status %d, err %v, body %s; want 403 Extra input fields", status, err, body)
	}
}

// recorder serves an s3fake.Server and records each request's method, path and the
// headers the store's object operations depend on.
type recorder struct {
	fake *s3fake.Server
	mu   sync.Mutex
	reqs []string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	line := r.Method + " " + r.URL.EscapedPath()
	if v := r.Header.Get("Range"); v != "" {
		line += " Range:" + v
	}
	if v := r.Header.Get("X-Amz-Copy-Source"); v != "" {
		line += " Copy-Source:" + v
	}
	if r.URL.Query().Has("tagging") {
		line += " ?tagging"
	}
	rec.reqs = append(rec.reqs, line)
	rec.mu.Unlock()
	rec.fake.ServeHTTP(w, r)
}

func newRecorded(t *testing.T) (*s3blobs.Store, *s3fake.Server, *recorder) {
	t.Helper()
	fake := s3fake.New(bucket, creds)
	rec := &recorder{fake: fake}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return s3blobs.New(newClient(t, srv.URL, srv.Client(), creds), bucket), fake, rec
}

func TestReadAsksForTheRange(t *testing.T) {
	store, fake, rec := newRecorded(t)
	fake.Put("materials/a.pdf", []byte("%PDF-1.7 ranged"), pdf)
	got, err := store.Read(t.Context(), "materials/a.pdf", 5)
	if err != nil || string(got) != "%PDF-" {
		t.Errorf("Read = %q, %v; want %q", got, err, "%PDF-")
	}
	if want := []string{"GET /" + bucket + "/materials/a.pdf Range:bytes=0-4"}; !cmp.Equal(rec.reqs, want) {
		t.Errorf("requests = %q, want %q", rec.reqs, want)
	}
}

// TestReadEmptyObject checks the 416 InvalidRange S3 answers for any
// range of an empty object.
func TestReadEmptyObject(t *testing.T) {
	store, fake, _ := newRecorded(t)
	fake.Put("materials/empty.pdf", nil, pdf)
	got, err := store.Read(t.Context(), "materials/empty.pdf", 16)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Read = %q (nil %v), %v; want an empty slice", got, got == nil, err)
	}
	if d, err := store.Digest(t.Context(), "materials/empty.pdf"); err != nil || d != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Digest = %q, %v; want the SHA-256 of nothing", d, err)
	}
}

func TestMoveRequests(t *testing.T) {
	store, fake, rec := newRecorded(t)
	from := "pending/a b+c/证.pdf"
	fake.Put(from, []byte("%PDF-1.7"), pdf)
	if err := store.Move(t.Context(), from, "materials/x.pdf"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"PUT /" + bucket + "/materials/x.pdf Copy-Source:" + bucket + "/pending/a%20b%2Bc/%E8%AF%81.pdf",
		"DELETE /" + bucket + "/pending/a%20b%2Bc/%E8%AF%81.pdf",
	}
	if !cmp.Equal(rec.reqs, want) {
		t.Errorf("requests = %q, want %q", rec.reqs, want)
	}
}

// TestObjectErrors checks that only a 404 becomes ErrNotFound for the
// object operations, and that a 416 means an empty object only to Read.
func TestObjectErrors(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden, http.StatusInternalServerError, http.StatusRequestedRangeNotSatisfiable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(status)
			}))
			defer srv.Close()
			store := s3blobs.New(newClient(t, srv.URL, srv.Client(), creds), bucket)
			ctx := t.Context()
			notFound := status == http.StatusNotFound
			check := func(op string, err error) {
				t.Helper()
				if err == nil || errors.Is(err, blobs.ErrNotFound) != notFound {
					t.Errorf("%s: err = %v, want ErrNotFound: %v", op, err, notFound)
				}
			}
			b, err := store.Read(ctx, "materials/a.pdf", 8)
			if status == http.StatusRequestedRangeNotSatisfiable {
				if err != nil || len(b) != 0 {
					t.Errorf("Read: %q, %v; want empty", b, err)
				}
			} else {
				check("Read", err)
			}
			_, err = store.Digest(ctx, "materials/a.pdf")
			check("Digest", err)
			_, err = store.Tags(ctx, "materials/a.pdf")
			check("Tags", err)
			check("Move", store.Move(ctx, "materials/a.pdf", "materials/b.pdf"))
			_, _, err = store.Get(ctx, "materials/a.pdf", 8)
			check("Get", err)
			if err := store.Put(ctx, "materials/a.pdf", pdf, []byte("%PDF")); err == nil || errors.Is(err, blobs.ErrNotFound) {
				t.Errorf("Put: err = %v, want an error other than ErrNotFound", err)
			}
		})
	}
}

// TestScanners runs both scanners on the S3 adapter: GuardDuty reads the
// tag GuardDuty Malware Protection writes, Local reads a range and a
// digest.
func TestScanners(t *testing.T) {
	store, fake, _ := newRecorded(t)
	ctx := t.Context()
	fake.Put("pending/eicar.com", []byte(scan.EICAR+"\r\n"), "application/octet-stream")
	fake.Put("pending/a.pdf", []byte("%PDF-1.7 fine"), pdf)

	g := scan.GuardDuty{Blobs: store}
	if v, err := g.Scan(ctx, "pending/a.pdf"); err != nil || v != scan.Pending {
		t.Errorf("GuardDuty before tagging = %v, %v; want Pending", v, err)
	}
	for status, want := range map[string]scan.Verdict{
		scan.GuardDutyNoThreatsFound: scan.Clean,
		scan.GuardDutyThreatsFound:   scan.Infected,
		scan.GuardDutyUnsupported:    scan.Failed,
	} {
		if err := fake.SetTags("pending/a.pdf", map[string]string{scan.GuardDutyTag: status}); err != nil {
			t.Fatal(err)
		}
		if v, err := g.Scan(ctx, "pending/a.pdf"); err != nil || v != want {
			t.Errorf("GuardDuty with %s = %v, %v; want %v", status, v, err, want)
		}
	}
	if _, err := g.Scan(ctx, "pending/none.pdf"); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("GuardDuty on a missing key: err = %v, want ErrNotFound", err)
	}

	l := scan.Local{Blobs: store, Digests: map[string]bool{"0000000000000000000000000000000000000000000000000000000000000000": true}}
	for key, want := range map[string]scan.Verdict{"pending/eicar.com": scan.Infected, "pending/a.pdf": scan.Clean} {
		if v, err := l.Scan(ctx, key); err != nil || v != want {
			t.Errorf("Local on %s = %v, %v; want %v", key, v, err, want)
		}
	}
}

// endless is an object body that never ends and counts what is read of it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func (e *endless) Close() error { return nil }

// bodyAPI answers GetObject with body and contentLength; other calls panic.
type bodyAPI struct {
	s3blobs.ObjectAPI
	body          *endless
	contentLength *int64
}

func (a bodyAPI) GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	return &s3.GetObjectOutput{Body: a.body, ContentLength: a.contentLength, ContentType: aws.String(pdf)}, nil
}

// TestGetReadsAtMostLimitPlusOne checks that Get refuses a body over its
// limit by reading no more than limit+1 bytes of it, and none at all when
// Content-Length already says it is too big.
func TestGetReadsAtMostLimitPlusOne(t *testing.T) {
	for name, tc := range map[string]struct {
		contentLength *int64
		maxRead       int64
	}{
		"no Content-Length":        {nil, 17},
		"Content-Length too big":   {aws.Int64(1 << 40), 0},
		"Content-Length too small": {aws.Int64(4), 17},
	} {
		t.Run(name, func(t *testing.T) {
			body := &endless{}
			store := s3blobs.NewWith(bodyAPI{body: body, contentLength: tc.contentLength}, nil, bucket)
			got, _, err := store.Get(t.Context(), "receipts/a.pdf", 16)
			if !errors.Is(err, blobs.ErrTooLarge) || got != nil {
				t.Errorf("Get = %d bytes, %v; want ErrTooLarge", len(got), err)
			}
			if body.n > tc.maxRead {
				t.Errorf("read %d bytes of the body, want at most %d", body.n, tc.maxRead)
			}
		})
	}
}

// TestFakeS3ChecksPutPayload checks the fake itself: S3 refuses a PUT
// whose body does not match its signed x-amz-content-sha256, and the fake
// refuses what it does not model rather than storing it.
func TestFakeS3ChecksPutPayload(t *testing.T) {
	fake := s3fake.New(bucket, creds)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	put := func(t *testing.T, path, body, payloadHash string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", pdf)
		req.Header.Set("X-Amz-Content-Sha256", payloadHash)
		if err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
			SignHTTP(t.Context(), creds, req, payloadHash, "s3", region, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	for name, tc := range map[string]struct {
		path, body, hash string
		status           int
		code             string
	}{
		"matching payload":    {"/" + bucket + "/receipts/a.pdf", "%PDF-1.7", sum("%PDF-1.7"), 200, ""},
		"other payload":       {"/" + bucket + "/receipts/b.pdf", "%PDF-1.7 changed", sum("%PDF-1.7"), 400, "XAmzContentSHA256Mismatch"},
		"tagging subresource": {"/" + bucket + "/receipts/a.pdf?tagging", "<Tagging/>", sum("<Tagging/>"), 501, "NotImplemented"},
		"key too long":        {"/" + bucket + "/" + strings.Repeat("k", 1025), "x", sum("x"), 400, "KeyTooLongError"},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := put(t, tc.path, tc.body, tc.hash)
			if status != tc.status || !strings.Contains(body, tc.code) {
				t.Errorf("PUT: %d %s; want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
}
