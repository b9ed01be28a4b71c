package diskblobs_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/blobstest"
	"github.com/hljhrss/hrss/shared/blobs/diskblobs"
	"github.com/hljhrss/hrss/shared/clock"
)

var (
	secret = []byte("0123456789abcdef-test-secret")
	start  = time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai)
)

type env struct {
	store *diskblobs.Store
	srv   *httptest.Server
	clk   *clock.Fixed
	dir   string
}

func newEnv(t *testing.T) env {
	t.Helper()
	dir := t.TempDir()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	clk := clock.Frozen(start)
	s, err := diskblobs.New(dir, srv.URL, secret, clk)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	mux.Handle(diskblobs.Prefix, s.Handler())
	return env{store: s, srv: srv, clk: clk, dir: dir}
}

func TestContract(t *testing.T) {
	blobstest.Run(t, func(t *testing.T) blobstest.Fixture {
		e := newEnv(t)
		return blobstest.Fixture{Store: e.store, Client: e.srv.Client(), Now: e.clk.Now, Advance: e.clk.Advance, SetTags: e.store.SetTags}
	})
}

const pdf = "application/pdf"

func pdfPolicy(key string) blobs.UploadPolicy {
	return blobs.UploadPolicy{Key: key, ContentType: pdf, MinSize: 10, MaxSize: 100, Expires: 10 * time.Minute}
}

type errBody struct {
	Code        string            `json:"code"`
	Message     string            `json:"message"`
	FieldErrors map[string]string `json:"fieldErrors"`
}

func decodeErr(t *testing.T, body []byte) errBody {
	t.Helper()
	var e errBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", body, err)
	}
	if e.Message == "" || !hasHan(e.Message) {
		t.Errorf("message %q is not a Chinese message", e.Message)
	}
	return e
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func tmpEmpty(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Errorf("tmp/ holds %d leftover files", len(ents))
	}
}

func TestUploadThenHead(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	key := "materials/app-1/身份证明.pdf"
	post, err := e.store.PresignUpload(ctx, pdfPolicy(key))
	if err != nil {
		t.Fatal(err)
	}
	if want := e.srv.URL + "/_blobs/upload"; post.URL != want {
		t.Errorf("URL = %q, want %q", post.URL, want)
	}
	data := []byte("%PDF-1.7 some bytes")
	status, body, err := blobstest.Upload(ctx, e.srv.Client(), post, data)
	if err != nil || status != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("upload: status %d, err %v, body %q; want 204 and no body", status, err, body)
	}
	info, err := e.store.Head(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(blobs.Info{Size: int64(len(data)), ContentType: pdf}, info); diff != "" {
		t.Errorf("Head (-want +got):\n%s", diff)
	}
	onDisk, err := os.ReadFile(filepath.Join(e.dir, "objects", filepath.FromSlash(key)))
	if err != nil || !bytes.Equal(onDisk, data) {
		t.Errorf("file on disk = %q, %v; want %q", onDisk, err, data)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "meta", filepath.FromSlash(key)+".json")); err != nil {
		t.Errorf("metadata beside the object: %v", err)
	}
	tmpEmpty(t, e.dir)
}

func TestPolicyField(t *testing.T) {
	e := newEnv(t)
	post, err := e.store.PresignUpload(t.Context(), pdfPolicy("materials/a.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := base64.StdEncoding.DecodeString(post.Fields["policy"])
	if err != nil {
		t.Fatalf("policy is not base64: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatalf("policy is not JSON: %v", err)
	}
	want := map[string]any{
		"expiration":  "2026-03-02T02:10:00Z",
		"key":         "materials/a.pdf",
		"contentType": pdf,
		"min":         float64(10),
		"max":         float64(100),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
	if want := start.Add(10 * time.Minute); !post.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", post.ExpiresAt, want)
	}
	if got := sortedKeys(post.Fields); !cmp.Equal(got, []string{"Content-Type", "key", "policy", "signature"}) {
		t.Errorf("fields = %v", got)
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func TestUploadRejections(t *testing.T) {
	good := []byte("%PDF-1.7 twenty bytes")
	tests := []struct {
		name      string
		edit      func(map[string]string)
		file      blobstest.File
		advance   time.Duration
		status    int
		code      string
		fieldErrs []string // fields named in fieldErrors
	}{
		{name: "missing key", edit: del("key"), file: pdfFile(good), status: 400, code: "bad_request", fieldErrs: []string{"key"}},
		{name: "missing content type", edit: del("Content-Type"), file: pdfFile(good), status: 400, code: "bad_request", fieldErrs: []string{"Content-Type"}},
		{name: "missing policy", edit: del("policy"), file: pdfFile(good), status: 400, code: "bad_request", fieldErrs: []string{"policy"}},
		{name: "missing signature", edit: del("signature"), file: pdfFile(good), status: 400, code: "bad_request", fieldErrs: []string{"signature"}},
		{name: "wrong signature", edit: set("signature", strings.Repeat("ab", 32)), file: pdfFile(good), status: 403, code: "forbidden"},
		{name: "signature not hex", edit: set("signature", "not-hex"), file: pdfFile(good), status: 403, code: "forbidden"},
		{name: "policy changed", edit: func(m map[string]string) { m["policy"] = base64.StdEncoding.EncodeToString([]byte(`{"key":"x"}`)) }, file: pdfFile(good), status: 403, code: "forbidden"},
		{name: "expired", advance: 10*time.Minute + time.Second, file: pdfFile(good), status: 403, code: "forbidden"},
		{name: "key changed", edit: set("key", "materials/other.pdf"), file: pdfFile(good), status: 403, code: "forbidden"},
		{name: "content type field differs", edit: set("Content-Type", "image/jpeg"), file: pdfFile(good), status: 415, code: "unsupported_media_type"},
		{name: "file part type differs", file: blobstest.File{ContentType: "text/html", Data: good}, status: 415, code: "unsupported_media_type"},
		{name: "too large", file: pdfFile(make([]byte, 101)), status: 413, code: "too_large"},
		{name: "too small", file: pdfFile(make([]byte, 9)), status: 400, code: "bad_request"},
		{name: "empty file", file: pdfFile(nil), status: 400, code: "bad_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := t.Context()
			post, err := e.store.PresignUpload(ctx, pdfPolicy("materials/x.pdf"))
			if err != nil {
				t.Fatal(err)
			}
			fields := maps.Clone(post.Fields)
			if tc.edit != nil {
				tc.edit(fields)
			}
			e.clk.Advance(tc.advance)
			status, body, err := blobstest.PostForm(ctx, e.srv.Client(), post.URL, fields, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if status != tc.status {
				t.Errorf("status = %d, want %d; body %s", status, tc.status, body)
			}
			eb := decodeErr(t, body)
			if eb.Code != tc.code {
				t.Errorf("code = %q, want %q", eb.Code, tc.code)
			}
			for _, f := range tc.fieldErrs {
				if eb.FieldErrors[f] == "" {
					t.Errorf("fieldErrors %v lacks %q", eb.FieldErrors, f)
				}
			}
			for _, k := range []string{"materials/x.pdf", "materials/other.pdf"} {
				if _, err := e.store.Head(ctx, k); !errors.Is(err, blobs.ErrNotFound) {
					t.Errorf("Head(%q) = %v, want ErrNotFound", k, err)
				}
			}
			tmpEmpty(t, e.dir)
		})
	}
}

func pdfFile(b []byte) blobstest.File {
	return blobstest.File{Name: "a.pdf", ContentType: pdf, Data: b}
}

func del(k string) func(map[string]string) { return func(m map[string]string) { delete(m, k) } }

func set(k, v string) func(map[string]string) { return func(m map[string]string) { m[k] = v } }

func TestUploadFormShape(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	post, err := e.store.PresignUpload(ctx, pdfPolicy("materials/x.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	good := []byte("%PDF-1.7 twenty bytes")

	t.Run("no file part", func(t *testing.T) {
		// A form whose only file-like content is a plain field.
		fields := maps.Clone(post.Fields)
		fields["upload"] = string(good)
		status, body := postRaw(t, e, fields, "")
		if status != 400 {
			t.Errorf("status = %d, want 400; body %s", status, body)
		}
		if eb := decodeErr(t, body); eb.FieldErrors["file"] == "" {
			t.Errorf("fieldErrors %v lacks file", eb.FieldErrors)
		}
	})
	t.Run("not multipart", func(t *testing.T) {
		resp, err := e.srv.Client().Post(post.URL, "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 415 {
			t.Errorf("status = %d, want 415", resp.StatusCode)
		}
	})
	t.Run("duplicate field", func(t *testing.T) {
		status, body := postRaw(t, e, post.Fields, "content-type")
		if status != 400 {
			t.Errorf("status = %d, want 400; body %s", status, body)
		}
	})
	t.Run("octet-stream file part accepted", func(t *testing.T) {
		status, body, err := blobstest.PostForm(ctx, e.srv.Client(), post.URL, post.Fields,
			blobstest.File{ContentType: "application/octet-stream", Data: good})
		if err != nil || status != 204 {
			t.Errorf("status = %d, err %v, want 204; body %s", status, err, body)
		}
	})
	t.Run("field names are case-insensitive", func(t *testing.T) {
		fields := map[string]string{}
		for k, v := range post.Fields {
			fields[strings.ToUpper(k)] = v
		}
		status, body, err := blobstest.PostForm(ctx, e.srv.Client(), post.URL, fields, pdfFile(good))
		if err != nil || status != 204 {
			t.Errorf("status = %d, err %v, want 204; body %s", status, err, body)
		}
	})
	t.Run("wrong method and path", func(t *testing.T) {
		for path, want := range map[string]int{"/_blobs/upload": 405, "/_blobs/nothing": 404} {
			resp, err := e.srv.Client().Get(e.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("GET %s: status %d, want %d", path, resp.StatusCode, want)
			}
		}
	})
}

// postRaw posts fields (plus a duplicate of dup, if set) and no file part.
func postRaw(t *testing.T, e env, fields map[string]string, dup string) (int, []byte) {
	t.Helper()
	var b strings.Builder
	const boundary = "XBOUNDARYX"
	write := func(k, v string) {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", boundary, k, v)
	}
	for _, k := range sortedKeys(fields) {
		write(k, fields[k])
	}
	if dup != "" {
		write(dup, "text/plain")
		write("file", "x")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	resp, err := e.srv.Client().Post(e.srv.URL+diskblobs.UploadPath, "multipart/form-data; boundary="+boundary, strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	return resp.StatusCode, body.Bytes()
}

func TestDownload(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	upload := func(key, ct string, data []byte) {
		t.Helper()
		p := pdfPolicy(key)
		p.ContentType = ct
		post, err := e.store.PresignUpload(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if status, body, err := blobstest.Upload(ctx, e.srv.Client(), post, data); err != nil || status != 204 {
			t.Fatalf("upload: %d %v %s", status, err, body)
		}
	}
	upload("materials/a.pdf", pdf, []byte("%PDF-1.7 a document"))
	upload("materials/page.html", "text/html", []byte("<script>alert(1)</script>"))
	get := func(url string) *http.Response {
		t.Helper()
		resp, err := e.srv.Client().Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	sign := func(key string, d time.Duration) string {
		t.Helper()
		u, err := e.store.PresignDownload(ctx, key, d)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	t.Run("headers", func(t *testing.T) {
		resp := get(sign("materials/a.pdf", time.Minute))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != pdf || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET pdf: %d %v", resp.StatusCode, resp.Header)
		}
		resp = get(sign("materials/page.html", time.Minute))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != "sandbox" {
			t.Errorf("GET html: %d, CSP %q; want 200 and sandbox", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	})

	valid := sign("materials/a.pdf", time.Minute)
	otherKey := sign("materials/page.html", time.Minute)
	tests := []struct {
		name   string
		url    string
		status int
	}{
		{"wrong signature", strings.Replace(valid, "signature=", "signature=00", 1), 403},
		{"no signature", valid[:strings.Index(valid, "&signature=")], 403},
		{"no query", valid[:strings.Index(valid, "?")], 403},
		{"signature of another key", e.srv.URL + "/_blobs/object/materials/a.pdf?" + otherKey[strings.Index(otherKey, "?")+1:], 403},
		{"expiry extended", strings.Replace(valid, "expires=", "expires=9", 1), 403},
		{"traversal", e.srv.URL + "/_blobs/object/materials%2F..%2F..%2Fsecret?" + valid[strings.Index(valid, "?")+1:], 400},
		{"missing object", sign("materials/none.pdf", time.Minute), 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if resp := get(tc.url); resp.StatusCode != tc.status {
				t.Errorf("GET: status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		u := sign("materials/a.pdf", time.Minute)
		e.clk.Advance(61 * time.Second)
		if resp := get(u); resp.StatusCode != 403 {
			t.Errorf("GET: status %d, want 403", resp.StatusCode)
		}
	})
}

func TestKeysStayInside(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	for _, key := range []string{
		"", "/etc/passwd", "..", "../x", "a/../../x", "a/./b", "a//b", "a/", `a\b`, "a\x00b", "a\nb",
		strings.Repeat("k", 1025),
	} {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			if _, err := e.store.PresignUpload(ctx, pdfPolicy(key)); !errors.Is(err, diskblobs.ErrInvalidKey) {
				t.Errorf("PresignUpload: err = %v, want ErrInvalidKey", err)
			}
			if _, err := e.store.PresignDownload(ctx, key, time.Minute); !errors.Is(err, diskblobs.ErrInvalidKey) {
				t.Errorf("PresignDownload: err = %v, want ErrInvalidKey", err)
			}
			if _, err := e.store.Head(ctx, key); !errors.Is(err, diskblobs.ErrInvalidKey) {
				t.Errorf("Head: err = %v, want ErrInvalidKey", err)
			}
			if err := e.store.Delete(ctx, key); !errors.Is(err, diskblobs.ErrInvalidKey) {
				t.Errorf("Delete: err = %v, want ErrInvalidKey", err)
			}
		})
	}
}

func TestPresignUploadChecksPolicy(t *testing.T) {
	e := newEnv(t)
	for name, edit := range map[string]func(*blobs.UploadPolicy){
		"no content type": func(p *blobs.UploadPolicy) { p.ContentType = "" },
		"min zero":        func(p *blobs.UploadPolicy) { p.MinSize = 0 },
		"max below min":   func(p *blobs.UploadPolicy) { p.MaxSize = 5 },
		"no expiry":       func(p *blobs.UploadPolicy) { p.Expires = 0 },
	} {
		t.Run(name, func(t *testing.T) {
			p := pdfPolicy("materials/a.pdf")
			edit(&p)
			if _, err := e.store.PresignUpload(t.Context(), p); err == nil {
				t.Error("PresignUpload succeeded, want an error")
			}
		})
	}
}

func TestHeadWithObjectAsDirectory(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	post, err := e.store.PresignUpload(ctx, pdfPolicy("materials/a.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if status, body, err := blobstest.Upload(ctx, e.srv.Client(), post, []byte("%PDF-1.7 a document")); err != nil || status != 204 {
		t.Fatalf("upload: %d %v %s", status, err, body)
	}
	if _, err := e.store.Head(ctx, "materials/a.pdf/b"); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("Head below an object: err = %v, want ErrNotFound", err)
	}
	if err := e.store.Delete(ctx, "materials/a.pdf/b"); err != nil {
		t.Errorf("Delete below an object: %v", err)
	}
}

func TestConcurrentUploadsToOneKey(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	key := "materials/same.pdf"
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			post, err := e.store.PresignUpload(ctx, pdfPolicy(key))
			if err != nil {
				t.Error(err)
				return
			}
			data := bytes.Repeat([]byte{byte('a' + i)}, 10+i)
			if status, body, err := blobstest.Upload(ctx, e.srv.Client(), post, data); err != nil || status != 204 {
				t.Errorf("upload %d: %d %v %s", i, status, err, body)
			}
		})
	}
	wg.Wait()
	info, err := e.store.Head(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.store.PresignDownload(ctx, key, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, _, data, err := blobstest.Get(ctx, e.srv.Client(), u)
	if err != nil || int64(len(data)) != info.Size || !bytes.Equal(data, bytes.Repeat(data[:1], len(data))) {
		t.Errorf("object = %q (Head size %d), %v; want one whole upload", data, info.Size, err)
	}
	tmpEmpty(t, e.dir)
}

func TestNew(t *testing.T) {
	clk := clock.Frozen(start)
	for name, f := range map[string]func() (*diskblobs.Store, error){
		"short secret": func() (*diskblobs.Store, error) {
			return diskblobs.New(t.TempDir(), "http://localhost", []byte("short"), clk)
		},
		"relative base URL": func() (*diskblobs.Store, error) { return diskblobs.New(t.TempDir(), "/local", secret, clk) },
		"nil clock":         func() (*diskblobs.Store, error) { return diskblobs.New(t.TempDir(), "http://localhost", secret, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := f(); err == nil {
				s.Close()
				t.Error("New succeeded, want an error")
			}
		})
	}
	t.Run("clears interrupted uploads", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "tmp", "half"), []byte("x"), 0o640); err != nil {
			t.Fatal(err)
		}
		s, err := diskblobs.New(dir, "http://localhost:8080/", secret, clk)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		tmpEmpty(t, dir)
		post, err := s.PresignUpload(t.Context(), pdfPolicy("materials/a.pdf"))
		if err != nil || post.URL != "http://localhost:8080/_blobs/upload" {
			t.Errorf("URL = %q, %v; want trailing slash of base URL dropped", post.URL, err)
		}
	})
}
