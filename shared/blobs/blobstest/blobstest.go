// Package blobstest is the contract suite every blobs.Store adapter must
// pass. It drives a store the way the portal does: it asks for a presigned
// upload, posts the returned form over HTTP as a browser would (fields,
// then the file as the last part "file"), checks Head, downloads through
// the presigned GET URL, deletes, and checks that Head then reports
// blobs.ErrNotFound. It also checks that the limits the policy carries —
// size range, exact content type, exact key, signature, expiry — are
// enforced by whoever receives the form, and that a rejected upload
// stores nothing. Then it checks what the server does with a stored
// object: Read (the first bytes), Digest (SHA-256), Move (copy, then
// delete) and Tags; and the server's own documents: Put (a whole object
// with its content type, replacing what is there, at most blobs.MaxPut
// bytes) and Get (the whole object, refused above a limit), which Head and
// a presigned download see as they see an upload.
//
// Status codes differ by adapter where S3 itself is loose (S3 answers a
// content-type mismatch with 403, diskblobs with 415), so the suite
// asserts "a 4xx" there and "403" only where S3 and diskblobs agree
// (signature, expiry, key). Adapter tests check their exact codes.
package blobstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	neturl "net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/blobs"
)

// Fixture is one fresh, empty store and the means to reach it over HTTP.
type Fixture struct {
	// Store is the adapter under test.
	Store blobs.Store
	// Client performs the browser's requests (the upload POST and the
	// download GET); for an httptest server, its Client().
	Client *http.Client
	// Now reads the clock the store signs with; nil means time.Now.
	Now func() time.Time
	// Advance moves forward the clock against which the receiving server
	// checks expiry; nil skips the expiry cases.
	Advance func(d time.Duration)
	// SetTags replaces an object's tags behind the store's back, as
	// GuardDuty does in S3; nil skips the cases that need tags.
	SetTags func(key string, tags map[string]string) error
}

// File is the file part of an upload form.
type File struct {
	Name        string // file name the browser sends ("" for "blob")
	ContentType string // the part's own Content-Type ("" for none)
	Data        []byte
}

// PostForm posts fields and then file to url as multipart/form-data, in
// sorted field order, and returns the status and body of the answer.
func PostForm(ctx context.Context, c *http.Client, url string, fields map[string]string, file File) (int, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if err := mw.WriteField(k, fields[k]); err != nil {
			return 0, nil, err
		}
	}
	name := file.Name
	if name == "" {
		name = "blob"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	if file.ContentType != "" {
		h.Set("Content-Type", file.ContentType)
	}
	pw, err := mw.CreatePart(h)
	if err != nil {
		return 0, nil, err
	}
	if _, err := pw.Write(file.Data); err != nil {
		return 0, nil, err
	}
	if err := mw.Close(); err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, &buf)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// Upload posts post's form with data as the file, labelled with the
// policy's content type, as a browser does for a correctly typed file.
func Upload(ctx context.Context, c *http.Client, post blobs.PresignedPost, data []byte) (int, []byte, error) {
	return PostForm(ctx, c, post.URL, post.Fields, File{Name: "upload.bin", ContentType: contentType(post.Fields), Data: data})
}

func contentType(fields map[string]string) string {
	for k, v := range fields {
		if strings.EqualFold(k, "Content-Type") {
			return v
		}
	}
	return ""
}

// Get fetches url and returns the status, Content-Type and body.
func Get(ctx context.Context, c *http.Client, url string) (int, string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body, err
}

const (
	pdf     = "application/pdf"
	minSize = 4
	maxSize = 64
)

func policy(key string) blobs.UploadPolicy {
	return blobs.UploadPolicy{Key: key, ContentType: pdf, MinSize: minSize, MaxSize: maxSize, Expires: 15 * time.Minute}
}

// Options are an adapter's opt-outs of the contract.
type Options struct {
	// Skip maps a case name, as its subtest is named here ("upload
	// rejected: too large"), to the reason the adapter's server cannot
	// pass it. An empty reason, or a name that is no case, fails the suite.
	Skip map[string]string
}

// Run runs the contract against fresh fixtures made by newFixture, one per
// subtest.
func Run(t *testing.T, newFixture func(t *testing.T) Fixture) {
	t.Helper()
	RunWith(t, newFixture, Options{})
}

// RunWith is Run with opts.
func RunWith(t *testing.T, newFixture func(t *testing.T) Fixture, opts Options) {
	t.Helper()
	skip, seen := map[string]string{}, map[string]bool{}
	for name, reason := range opts.Skip {
		if strings.TrimSpace(reason) == "" {
			t.Errorf("blobstest: Options.Skip[%q] has no reason", name)
		}
		skip[strings.ReplaceAll(name, " ", "_")] = reason
	}
	defer func() {
		for name := range opts.Skip {
			if !seen[strings.ReplaceAll(name, " ", "_")] {
				t.Errorf("blobstest: Options.Skip names unknown case %q", name)
			}
		}
	}()
	prefix := t.Name() + "/"
	setup := func(t *testing.T) (context.Context, Fixture) {
		t.Helper()
		name := strings.TrimPrefix(t.Name(), prefix)
		seen[name] = true
		if reason, ok := skip[name]; ok {
			t.Skip(reason)
		}
		f := newFixture(t)
		if f.Now == nil {
			f.Now = time.Now
		}
		return t.Context(), f
	}

	t.Run("presigned form carries key and content type", func(t *testing.T) {
		ctx, f := setup(t)
		p := policy("materials/a1/form.pdf")
		before := f.Now()
		post, err := f.Store.PresignUpload(ctx, p)
		if err != nil {
			t.Fatalf("PresignUpload: %v", err)
		}
		if !strings.HasPrefix(post.URL, "http://") && !strings.HasPrefix(post.URL, "https://") {
			t.Errorf("URL = %q, want an absolute http(s) URL", post.URL)
		}
		if got := post.Fields["key"]; got != p.Key {
			t.Errorf(`Fields["key"] = %q, want %q`, got, p.Key)
		}
		if got := contentType(post.Fields); got != p.ContentType {
			t.Errorf(`Fields["Content-Type"] = %q, want %q`, got, p.ContentType)
		}
		lo, hi := before.Add(p.Expires-2*time.Second), f.Now().Add(p.Expires+time.Second)
		if post.ExpiresAt.Before(lo) || post.ExpiresAt.After(hi) {
			t.Errorf("ExpiresAt = %v, want within [%v, %v]", post.ExpiresAt, lo, hi)
		}
	})

	t.Run("round trip", func(t *testing.T) {
		ctx, f := setup(t)
		for _, key := range []string{"materials/a1/form.pdf", "materials/申请 1/证明(1).pdf"} {
			data := bytes.Repeat([]byte("%PDF"), 8)
			post, err := f.Store.PresignUpload(ctx, policy(key))
			if err != nil {
				t.Fatalf("PresignUpload(%q): %v", key, err)
			}
			status, body, err := Upload(ctx, f.Client, post, data)
			if err != nil || status/100 != 2 {
				t.Fatalf("upload %q: status %d, err %v, body %s", key, status, err, body)
			}
			info, err := f.Store.Head(ctx, key)
			if err != nil {
				t.Fatalf("Head(%q): %v", key, err)
			}
			if want := (blobs.Info{Size: int64(len(data)), ContentType: pdf}); info != want {
				t.Errorf("Head(%q) = %+v, want %+v", key, info, want)
			}
			url, err := f.Store.PresignDownload(ctx, key, 5*time.Minute)
			if err != nil {
				t.Fatalf("PresignDownload(%q): %v", key, err)
			}
			status, ct, got, err := Get(ctx, f.Client, url)
			if err != nil || status != http.StatusOK {
				t.Fatalf("GET %q: status %d, err %v, body %s", key, status, err, got)
			}
			if ct != pdf || !bytes.Equal(got, data) {
				t.Errorf("GET %q = %q %q, want %q %q", key, ct, got, pdf, data)
			}
			if err := f.Store.Delete(ctx, key); err != nil {
				t.Fatalf("Delete(%q): %v", key, err)
			}
			if _, err := f.Store.Head(ctx, key); !errors.Is(err, blobs.ErrNotFound) {
				t.Errorf("Head(%q) after Delete: err = %v, want ErrNotFound", key, err)
			}
			if err := f.Store.Delete(ctx, key); err != nil {
				t.Errorf("second Delete(%q): %v, want nil", key, err)
			}
		}
	})

	t.Run("attachment download names the file", func(t *testing.T) {
		ctx, f := setup(t)
		key := "materials/att/1"
		data := bytes.Repeat([]byte("%PDF"), 8)
		post, err := f.Store.PresignUpload(ctx, policy(key))
		if err != nil {
			t.Fatal(err)
		}
		if status, body, err := Upload(ctx, f.Client, post, data); err != nil || status/100 != 2 {
			t.Fatalf("upload: %d %v %s", status, err, body)
		}
		url, err := f.Store.PresignAttachment(ctx, key, "申报 文件.zip", 5*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := f.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := blobs.ContentDisposition("申报 文件.zip")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Disposition") != want {
			t.Errorf("GET: %d, Content-Disposition %q, want %q", resp.StatusCode, resp.Header.Get("Content-Disposition"), want)
		}
		if !strings.HasPrefix(want, `attachment; filename="__ __.zip"; filename*=UTF-8''%E7%94%B3`) {
			t.Errorf("ContentDisposition = %q", want)
		}
		// The file name is part of what is signed: another name is refused.
		// The adapters carry it in different query parameters (and encode it
		// differently): change the one that holds it.
		u, err := neturl.Parse(url)
		if err != nil {
			t.Fatal(err)
		}
		q, changed := u.Query(), false
		for k, vs := range q {
			for from, to := range map[string]string{"申报": "申请", neturl.PathEscape("申报"): neturl.PathEscape("申请")} {
				if strings.Contains(vs[0], from) {
					q.Set(k, strings.Replace(vs[0], from, to, 1))
					changed = true
				}
			}
		}
		if !changed {
			t.Fatalf("no query parameter of %s carries the file name", url)
		}
		u.RawQuery = q.Encode()
		if status, _, _, err := Get(ctx, f.Client, u.String()); err != nil || status/100 == 2 {
			t.Errorf("a URL with another file name: %d %v", status, err)
		}
	})

	t.Run("head of a missing key is ErrNotFound", func(t *testing.T) {
		ctx, f := setup(t)
		if _, err := f.Store.Head(ctx, "materials/none.pdf"); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Head: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("sizes at the bounds are accepted", func(t *testing.T) {
		ctx, f := setup(t)
		for _, n := range []int{minSize, maxSize} {
			key := fmt.Sprintf("materials/size-%d.pdf", n)
			post, err := f.Store.PresignUpload(ctx, policy(key))
			if err != nil {
				t.Fatal(err)
			}
			if status, body, err := Upload(ctx, f.Client, post, bytes.Repeat([]byte{'x'}, n)); err != nil || status/100 != 2 {
				t.Fatalf("upload of %d bytes: status %d, err %v, body %s", n, status, err, body)
			}
			if info, err := f.Store.Head(ctx, key); err != nil || info.Size != int64(n) {
				t.Errorf("Head = %+v, %v; want size %d", info, err, n)
			}
		}
	})

	t.Run("second upload to a key replaces the first", func(t *testing.T) {
		ctx, f := setup(t)
		key := "materials/replace.pdf"
		for _, data := range []string{"first version", "second"} {
			post, err := f.Store.PresignUpload(ctx, policy(key))
			if err != nil {
				t.Fatal(err)
			}
			if status, body, err := Upload(ctx, f.Client, post, []byte(data)); err != nil || status/100 != 2 {
				t.Fatalf("upload: status %d, err %v, body %s", status, err, body)
			}
		}
		if info, err := f.Store.Head(ctx, key); err != nil || info.Size != int64(len("second")) {
			t.Errorf("Head = %+v, %v; want size %d", info, err, len("second"))
		}
	})

	type rejection struct {
		name    string
		edit    func(fields map[string]string) // changes the form
		file    File
		advance time.Duration // clock moves before the upload
		status  int           // exact status, or 0 for any 4xx
	}
	ok := bytes.Repeat([]byte{'x'}, 16)
	rejections := []rejection{
		{name: "too large", file: File{ContentType: pdf, Data: make([]byte, maxSize+1)}},
		{name: "too small", file: File{ContentType: pdf, Data: make([]byte, minSize-1)}},
		{name: "empty file", file: File{ContentType: pdf}},
		{name: "content type field differs from policy", edit: func(m map[string]string) { setCT(m, "text/html") }, file: File{ContentType: "text/html", Data: ok}},
		{name: "key field differs from policy", edit: func(m map[string]string) { m["key"] = "materials/other.pdf" }, file: File{ContentType: pdf, Data: ok}, status: http.StatusForbidden},
		{name: "policy tampered", edit: func(m map[string]string) { m["policy"] = tamper(m["policy"]) }, file: File{ContentType: pdf, Data: ok}, status: http.StatusForbidden},
		{name: "signature tampered", edit: func(m map[string]string) { tamperSignature(m) }, file: File{ContentType: pdf, Data: ok}, status: http.StatusForbidden},
		{name: "expired", advance: 16 * time.Minute, file: File{ContentType: pdf, Data: ok}, status: http.StatusForbidden},
	}
	for _, tc := range rejections {
		t.Run("upload rejected: "+tc.name, func(t *testing.T) {
			ctx, f := setup(t)
			if tc.advance > 0 && f.Advance == nil {
				t.Skip("fixture cannot move the receiving server's clock")
			}
			key := "materials/rejected.pdf"
			post, err := f.Store.PresignUpload(ctx, policy(key))
			if err != nil {
				t.Fatal(err)
			}
			fields := maps.Clone(post.Fields)
			if tc.edit != nil {
				tc.edit(fields)
			}
			if tc.advance > 0 {
				f.Advance(tc.advance)
			}
			status, body, err := PostForm(ctx, f.Client, post.URL, fields, tc.file)
			if err != nil {
				t.Fatalf("POST: %v", err)
			}
			switch {
			case tc.status != 0 && status != tc.status:
				t.Errorf("status = %d, want %d; body %s", status, tc.status, body)
			case status/100 != 4:
				t.Errorf("status = %d, want 4xx; body %s", status, body)
			}
			for _, k := range []string{key, "materials/other.pdf"} {
				if _, err := f.Store.Head(ctx, k); !errors.Is(err, blobs.ErrNotFound) {
					t.Errorf("Head(%q) after rejected upload: err = %v, want ErrNotFound", k, err)
				}
			}
		})
	}

	t.Run("read returns the first bytes", func(t *testing.T) {
		ctx, f := setup(t)
		key := "materials/read.pdf"
		data := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3 read test, forty bytes")
		put(t, ctx, f, key, data)
		for _, limit := range []int64{1, 5, int64(len(data)) - 1, int64(len(data)), int64(len(data)) + 1, 1 << 20} {
			got, err := f.Store.Read(ctx, key, limit)
			want := data[:min(limit, int64(len(data)))]
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Read(%d) = %q, %v; want %q", limit, got, err, want)
			}
		}
		for _, limit := range []int64{0, -1} {
			if _, err := f.Store.Read(ctx, key, limit); err == nil {
				t.Errorf("Read(%d) succeeded, want an error", limit)
			}
		}
		if _, err := f.Store.Read(ctx, "materials/none.pdf", 8); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Read of a missing key: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("digest is the SHA-256 of the object", func(t *testing.T) {
		ctx, f := setup(t)
		key := "materials/申请 1/digest.pdf"
		data := bytes.Repeat([]byte("%PDF digest "), 5)
		put(t, ctx, f, key, data)
		sum := sha256.Sum256(data)
		if got, err := f.Store.Digest(ctx, key); err != nil || got != hex.EncodeToString(sum[:]) {
			t.Errorf("Digest = %q, %v; want %x", got, err, sum)
		}
		if _, err := f.Store.Digest(ctx, "materials/none.pdf"); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Digest of a missing key: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("move", func(t *testing.T) {
		ctx, f := setup(t)
		// Keys with a space, "+", parentheses and non-ASCII text must
		// reach the store literally (S3's copy source is URL-encoded).
		from, to := "pending/申请 1/证明+(1).pdf", "materials/a1/证明 (1)+.pdf"
		data := []byte("%PDF-1.7 moved object")
		put(t, ctx, f, from, data)
		if err := f.Store.Move(ctx, from, to); err != nil {
			t.Fatalf("Move: %v", err)
		}
		if info, err := f.Store.Head(ctx, to); err != nil || info != (blobs.Info{Size: int64(len(data)), ContentType: pdf}) {
			t.Errorf("Head(to) = %+v, %v; want size %d, %s", info, err, len(data), pdf)
		}
		if got, err := f.Store.Read(ctx, to, maxSize); err != nil || !bytes.Equal(got, data) {
			t.Errorf("Read(to) = %q, %v; want %q", got, err, data)
		}
		if _, err := f.Store.Head(ctx, from); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Head(from) after Move: err = %v, want ErrNotFound", err)
		}
		url, err := f.Store.PresignDownload(ctx, to, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if status, ct, got, err := Get(ctx, f.Client, url); err != nil || status != http.StatusOK || ct != pdf || !bytes.Equal(got, data) {
			t.Errorf("GET moved object: status %d, type %q, body %q, err %v", status, ct, got, err)
		}
	})

	t.Run("move replaces the destination", func(t *testing.T) {
		ctx, f := setup(t)
		from, to := "pending/new.pdf", "materials/old.pdf"
		put(t, ctx, f, to, []byte("old version, the longer one"))
		put(t, ctx, f, from, []byte("new version"))
		if err := f.Store.Move(ctx, from, to); err != nil {
			t.Fatalf("Move: %v", err)
		}
		if got, err := f.Store.Read(ctx, to, maxSize); err != nil || string(got) != "new version" {
			t.Errorf("Read(to) = %q, %v; want the moved object", got, err)
		}
		if info, err := f.Store.Head(ctx, to); err != nil || info.Size != int64(len("new version")) {
			t.Errorf("Head(to) = %+v, %v", info, err)
		}
	})

	t.Run("move of a missing object is ErrNotFound", func(t *testing.T) {
		ctx, f := setup(t)
		to := "materials/to.pdf"
		if err := f.Store.Move(ctx, "pending/none.pdf", to); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Move: err = %v, want ErrNotFound", err)
		}
		if _, err := f.Store.Head(ctx, to); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Head(to): err = %v, want ErrNotFound", err)
		}
		if err := f.Store.Move(ctx, "pending/none.pdf", "pending/none.pdf"); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Move onto itself: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("move onto itself keeps the object", func(t *testing.T) {
		ctx, f := setup(t)
		key := "materials/self.pdf"
		data := []byte("%PDF-1.7 stays")
		put(t, ctx, f, key, data)
		if err := f.Store.Move(ctx, key, key); err != nil {
			t.Fatalf("Move: %v", err)
		}
		if got, err := f.Store.Read(ctx, key, maxSize); err != nil || !bytes.Equal(got, data) {
			t.Errorf("Read = %q, %v; want %q", got, err, data)
		}
	})

	t.Run("tags", func(t *testing.T) {
		ctx, f := setup(t)
		key := "pending/tagged.pdf"
		put(t, ctx, f, key, []byte("%PDF-1.7 tags"))
		if tags, err := f.Store.Tags(ctx, key); err != nil || tags == nil || len(tags) != 0 {
			t.Errorf("Tags of a new object = %v, %v; want an empty map", tags, err)
		}
		if _, err := f.Store.Tags(ctx, "pending/none.pdf"); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Tags of a missing key: err = %v, want ErrNotFound", err)
		}
		if f.SetTags == nil {
			t.Skip("fixture cannot set tags")
		}
		want := map[string]string{"GuardDutyMalwareScanStatus": "NO_THREATS_FOUND", "其他": "值 1"}
		if err := f.SetTags(key, want); err != nil {
			t.Fatalf("SetTags: %v", err)
		}
		if got, err := f.Store.Tags(ctx, key); err != nil || !maps.Equal(got, want) {
			t.Errorf("Tags = %v, %v; want %v", got, err, want)
		}
		to := "materials/tagged.pdf"
		if err := f.Store.Move(ctx, key, to); err != nil {
			t.Fatalf("Move: %v", err)
		}
		if got, err := f.Store.Tags(ctx, to); err != nil || !maps.Equal(got, want) {
			t.Errorf("Tags after Move = %v, %v; want %v (tags go with the object)", got, err, want)
		}
	})

	runPutGet(t, setup)

	t.Run("download rejected: expired", func(t *testing.T) {
		ctx, f := setup(t)
		if f.Advance == nil {
			t.Skip("fixture cannot move the receiving server's clock")
		}
		key := uploaded(t, ctx, f)
		url, err := f.Store.PresignDownload(ctx, key, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		f.Advance(2 * time.Minute)
		if status, _, body, err := Get(ctx, f.Client, url); err != nil || status != http.StatusForbidden {
			t.Errorf("GET: status %d, err %v, want 403; body %s", status, err, body)
		}
	})

	t.Run("download rejected: signature tampered", func(t *testing.T) {
		ctx, f := setup(t)
		key := uploaded(t, ctx, f)
		url, err := f.Store.PresignDownload(ctx, key, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		bad := tamperURLSignature(t, url)
		if status, _, body, err := Get(ctx, f.Client, bad); err != nil || status != http.StatusForbidden {
			t.Errorf("GET: status %d, err %v, want 403; body %s", status, err, body)
		}
	})
}

// runPutGet checks Put and Get, the server's own writes and whole reads.
func runPutGet(t *testing.T, setup func(t *testing.T) (context.Context, Fixture)) {
	t.Helper()

	t.Run("put then get round trip", func(t *testing.T) {
		ctx, f := setup(t)
		for _, tc := range []struct {
			key, contentType string
			data             []byte
		}{
			{"receipts/a1/receipt.pdf", pdf, bytes.Repeat([]byte("%PDF receipt "), 20)},
			{"receipts/申请 1/回执+(1).json", "application/json; charset=utf-8", []byte(`{"回执":"已受理"}`)},
			{"receipts/a1/empty.txt", "text/plain", []byte{}},
		} {
			if err := f.Store.Put(ctx, tc.key, tc.contentType, tc.data); err != nil {
				t.Fatalf("Put(%q): %v", tc.key, err)
			}
			got, info, err := f.Store.Get(ctx, tc.key, int64(len(tc.data))+1)
			if err != nil {
				t.Fatalf("Get(%q): %v", tc.key, err)
			}
			want := blobs.Info{Size: int64(len(tc.data)), ContentType: tc.contentType}
			if !bytes.Equal(got, tc.data) || got == nil || info != want {
				t.Errorf("Get(%q) = %q (nil %v), %+v; want %q, %+v", tc.key, got, got == nil, info, tc.data, want)
			}
			if info, err := f.Store.Head(ctx, tc.key); err != nil || info != want {
				t.Errorf("Head(%q) after Put = %+v, %v; want %+v", tc.key, info, err, want)
			}
		}
	})

	t.Run("put replaces the object and its tags", func(t *testing.T) {
		ctx, f := setup(t)
		key := "receipts/replace.pdf"
		put(t, ctx, f, key, []byte("%PDF-1.7 an upload, the longer one"))
		if f.SetTags != nil {
			if err := f.SetTags(key, map[string]string{"k": "v"}); err != nil {
				t.Fatalf("SetTags: %v", err)
			}
		}
		for _, v := range []struct{ contentType, data string }{
			{"text/plain; charset=utf-8", "first written version"},
			{"application/json", `{"v":2}`},
		} {
			if err := f.Store.Put(ctx, key, v.contentType, []byte(v.data)); err != nil {
				t.Fatalf("Put(%q): %v", v.data, err)
			}
			got, info, err := f.Store.Get(ctx, key, blobs.MaxPut)
			want := blobs.Info{Size: int64(len(v.data)), ContentType: v.contentType}
			if err != nil || string(got) != v.data || info != want {
				t.Errorf("Get after Put(%q) = %q, %+v, %v; want %q, %+v", v.data, got, info, err, v.data, want)
			}
			if info, err := f.Store.Head(ctx, key); err != nil || info != want {
				t.Errorf("Head after Put(%q) = %+v, %v; want %+v", v.data, info, err, want)
			}
		}
		if tags, err := f.Store.Tags(ctx, key); err != nil || len(tags) != 0 {
			t.Errorf("Tags after Put = %v, %v; want none (a Put makes a new object)", tags, err)
		}
	})

	t.Run("get of a missing key is ErrNotFound", func(t *testing.T) {
		ctx, f := setup(t)
		if _, _, err := f.Store.Get(ctx, "receipts/none.pdf", 64); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Get: err = %v, want ErrNotFound", err)
		}
		if err := f.Store.Put(ctx, "receipts/a.pdf", pdf, []byte("%PDF")); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.Delete(ctx, "receipts/a.pdf"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.Get(ctx, "receipts/a.pdf", 64); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("get over the limit is ErrTooLarge", func(t *testing.T) {
		ctx, f := setup(t)
		key := "receipts/big.pdf"
		data := bytes.Repeat([]byte("0123456789"), 10)
		if err := f.Store.Put(ctx, key, pdf, data); err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int64{1, int64(len(data)) - 1} {
			got, _, err := f.Store.Get(ctx, key, limit)
			if !errors.Is(err, blobs.ErrTooLarge) || got != nil {
				t.Errorf("Get(limit %d) = %q, %v; want ErrTooLarge", limit, got, err)
			}
		}
		if got, _, err := f.Store.Get(ctx, key, int64(len(data))); err != nil || !bytes.Equal(got, data) {
			t.Errorf("Get(limit = size) = %q, %v; want the object", got, err)
		}
		for _, limit := range []int64{0, -1} {
			if _, _, err := f.Store.Get(ctx, key, limit); err == nil {
				t.Errorf("Get(limit %d) succeeded, want an error", limit)
			}
		}
	})

	t.Run("put of at most MaxPut bytes", func(t *testing.T) {
		ctx, f := setup(t)
		key := "receipts/max.bin"
		big := bytes.Repeat([]byte{'r'}, blobs.MaxPut)
		if err := f.Store.Put(ctx, key, "application/octet-stream", big); err != nil {
			t.Fatalf("Put of MaxPut bytes: %v", err)
		}
		if got, info, err := f.Store.Get(ctx, key, blobs.MaxPut); err != nil || !bytes.Equal(got, big) || info.Size != blobs.MaxPut {
			t.Errorf("Get of MaxPut bytes: %d bytes, %+v, %v", len(got), info, err)
		}
		if err := f.Store.Put(ctx, key, "application/octet-stream", append(big, 'x')); !errors.Is(err, blobs.ErrTooLarge) {
			t.Errorf("Put of MaxPut+1 bytes: err = %v, want ErrTooLarge", err)
		}
		if info, err := f.Store.Head(ctx, key); err != nil || info.Size != blobs.MaxPut {
			t.Errorf("Head after a refused Put = %+v, %v; want the earlier object", info, err)
		}
	})

	t.Run("presigned download of a put object", func(t *testing.T) {
		ctx, f := setup(t)
		key := "receipts/申请 1/回执.pdf"
		data := []byte("%PDF-1.7 a receipt the workflow made")
		if err := f.Store.Put(ctx, key, pdf, data); err != nil {
			t.Fatal(err)
		}
		url, err := f.Store.PresignDownload(ctx, key, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if status, ct, got, err := Get(ctx, f.Client, url); err != nil || status != http.StatusOK || ct != pdf || !bytes.Equal(got, data) {
			t.Errorf("GET: status %d, type %q, body %q, err %v; want 200, %s, %q", status, ct, got, err, pdf, data)
		}
	})

	t.Run("put and get refuse bad input", func(t *testing.T) {
		ctx, f := setup(t)
		long := strings.Repeat("k", 1025)
		for _, key := range []string{"", long} {
			if err := f.Store.Put(ctx, key, pdf, []byte("%PDF")); err == nil {
				t.Errorf("Put(%.10q…) succeeded, want an error", key)
			}
			if _, _, err := f.Store.Get(ctx, key, 64); err == nil || errors.Is(err, blobs.ErrNotFound) {
				t.Errorf("Get(%.10q…): err = %v, want an error other than ErrNotFound", key, err)
			}
		}
		for _, ct := range []string{"", "not a type", "text/plain; charset"} {
			if err := f.Store.Put(ctx, "receipts/typed.txt", ct, []byte("x")); err == nil {
				t.Errorf("Put with content type %q succeeded, want an error", ct)
			}
		}
		if _, err := f.Store.Head(ctx, "receipts/typed.txt"); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Head after refused Puts: err = %v, want ErrNotFound", err)
		}
	})
}

// uploaded stores a small object and returns its key.
func uploaded(t *testing.T, ctx context.Context, f Fixture) string {
	t.Helper()
	key := "materials/download.pdf"
	post, err := f.Store.PresignUpload(ctx, policy(key))
	if err != nil {
		t.Fatal(err)
	}
	if status, body, err := Upload(ctx, f.Client, post, []byte("%PDF-1.7 test")); err != nil || status/100 != 2 {
		t.Fatalf("upload: status %d, err %v, body %s", status, err, body)
	}
	return key
}

// put stores data (minSize to maxSize bytes) under key as a PDF.
func put(t *testing.T, ctx context.Context, f Fixture, key string, data []byte) {
	t.Helper()
	post, err := f.Store.PresignUpload(ctx, policy(key))
	if err != nil {
		t.Fatalf("PresignUpload(%q): %v", key, err)
	}
	if status, body, err := Upload(ctx, f.Client, post, data); err != nil || status/100 != 2 {
		t.Fatalf("upload %q: status %d, err %v, body %s", key, status, err, body)
	}
}

func setCT(m map[string]string, ct string) {
	for k := range m {
		if strings.EqualFold(k, "Content-Type") {
			m[k] = ct
		}
	}
}

// tamper flips one character of a base64 or hex string, keeping it valid.
func tamper(s string) string {
	if s == "" {
		return "00"
	}
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	return string(b)
}

// tamperSignature changes whichever field holds the signature.
func tamperSignature(m map[string]string) {
	for k, v := range m {
		if strings.EqualFold(k, "signature") || strings.EqualFold(k, "X-Amz-Signature") {
			m[k] = tamper(v)
		}
	}
}

// tamperURLSignature changes the signature in a presigned GET URL's query.
func tamperURLSignature(t *testing.T, raw string) string {
	t.Helper()
	base, query, ok := strings.Cut(raw, "?")
	if !ok {
		t.Fatalf("presigned URL %q has no query", raw)
	}
	parts := strings.Split(query, "&")
	found := false
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(k, "signature") || strings.EqualFold(k, "X-Amz-Signature") {
			parts[i] = k + "=" + tamper(v)
			found = true
		}
	}
	if !found {
		t.Fatalf("presigned URL %q has no signature parameter", raw)
	}
	return base + "?" + strings.Join(parts, "&")
}
