// Package diskblobs is the embedded blobs adapter used by the local runner
// and by tests: objects are files under one directory, and uploads and
// downloads go through URLs signed with HMAC-SHA256 and served by Handler,
// which the local runner mounts at Prefix.
//
// It mirrors the S3 presigned POST that production uses: PresignUpload
// returns a form URL (<baseURL>/_blobs/upload) and fields (key,
// Content-Type, policy, signature); the browser posts them as
// multipart/form-data with the file as the last part "file"; the handler
// enforces the same limits S3 enforces from its policy — the signature,
// the expiry, the exact key, the exact Content-Type and the byte-size
// range — and answers 204 on success, as S3 does by default.
//
// Layout under the directory:
//
//	objects/<key>       the object's bytes
//	meta/<key>.json     its content type, size, upload time and tags
//	tmp/                uploads in progress; renamed into place when complete
//
// Invariants: a key is a relative, slash-separated path with no empty,
// "." or ".." segment, so no key reaches outside objects/ (all file access
// also goes through an os.Root); an object appears only complete (written
// to tmp/, synced, then renamed); an upload answered 204 is on disk (object,
// metadata and the directories holding them synced); a rejected upload
// leaves nothing behind. Put, the server's own write, commits its bytes
// and metadata (content type, size, no tags) the same way, so Head, Get
// and a presigned download answer for a Put object as for an upload.
//
// Move copies as S3 does, then deletes: the object is hard-linked (copied
// where links are unsupported) into tmp/, committed under the new key
// with a copy of its metadata like an upload, and only then removed
// from the old key, so a crash leaves the object at the old key, or at
// both, never at neither. Objects are never written in place (an upload
// replaces the file by a rename), so two keys sharing a file is safe.
//
// Tags are kept in the metadata. Nothing here writes them except
// SetTags, which stands in for whatever tags objects in S3 (GuardDuty
// Malware Protection for S3 writes its verdict as a tag) in tests and in
// the local runner.
package diskblobs

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/clock"
)

// Prefix is the URL path prefix Handler serves; the local runner mounts the
// handler there: mux.Handle(diskblobs.Prefix, store.Handler()).
const Prefix = "/_blobs/"

// Paths served under Prefix.
const (
	UploadPath = Prefix + "upload"  // POST: presigned multipart upload
	ObjectPath = Prefix + "object/" // GET: presigned download, followed by the escaped key
)

// Form fields of a presigned upload, as in S3's POST form (the signature
// field is named "signature" rather than S3's "X-Amz-Signature"). Field
// names are matched case-insensitively, as S3 does.
const (
	FieldKey         = "key"
	FieldContentType = "Content-Type"
	FieldPolicy      = "policy"
	FieldSignature   = "signature"
	FieldFile        = "file"
)

// ErrInvalidKey is returned for a key that is empty, too long, absolute,
// or holds an empty, "." or ".." segment, a backslash or a control
// character.
var ErrInvalidKey = errors.New("diskblobs: invalid key")

// MinSecretLen is the shortest HMAC secret New accepts.
const MinSecretLen = 16

// maxKeyLen is S3's limit on key length in bytes.
const maxKeyLen = 1024

// Store is the embedded blobs adapter. It is safe for concurrent use.
type Store struct {
	root    *os.Root
	baseURL string
	secret  []byte
	clk     clock.Clock

	// mu orders the two renames that commit an upload (object, then
	// metadata) against readers, so Head never pairs new metadata with
	// an old object. Bytes are streamed outside the lock.
	mu sync.RWMutex
}

var _ blobs.Store = (*Store)(nil)

// New opens (creating if needed) a store under dir whose URLs start with
// baseURL (the local runner's address, e.g. http://localhost:8080) and are
// signed with secret (at least MinSecretLen bytes). Leftovers of uploads
// interrupted by a previous crash are removed. Close releases the
// directory.
func New(dir, baseURL string, secret []byte, clk clock.Clock) (*Store, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("diskblobs: secret must be at least %d bytes", MinSecretLen)
	}
	if clk == nil {
		return nil, errors.New("diskblobs: nil clock")
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("diskblobs: base URL %q must be an absolute http(s) URL", baseURL)
	}
	for _, sub := range []string{"objects", "meta", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return nil, fmt.Errorf("diskblobs: create %s: %w", sub, err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("diskblobs: open %s: %w", dir, err)
	}
	if err := root.RemoveAll("tmp"); err != nil {
		root.Close()
		return nil, fmt.Errorf("diskblobs: clear tmp: %w", err)
	}
	if err := root.Mkdir("tmp", 0o750); err != nil {
		root.Close()
		return nil, fmt.Errorf("diskblobs: create tmp: %w", err)
	}
	return &Store{
		root:    root,
		baseURL: strings.TrimRight(baseURL, "/"),
		secret:  append([]byte(nil), secret...),
		clk:     clk,
	}, nil
}

// Close releases the directory. Handler must not be used afterwards.
func (s *Store) Close() error { return s.root.Close() }

// policy is the signed upload policy, carried base64-encoded in the form.
type policy struct {
	Expiration  string `json:"expiration"` // RFC 3339, UTC, whole seconds
	Key         string `json:"key"`
	ContentType string `json:"contentType"`
	MinSize     int64  `json:"min"`
	MaxSize     int64  `json:"max"`
}

// meta is what is stored beside an object.
type meta struct {
	ContentType string            `json:"contentType"`
	Size        int64             `json:"size"`
	Uploaded    time.Time         `json:"uploaded"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// Signing purposes keep an upload signature from being replayed as a
// download signature and vice versa.
const (
	purposeUpload   = "upload"
	purposeDownload = "download"
)

func (s *Store) sign(purpose, data string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(purpose))
	m.Write([]byte{'\n'})
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Store) verify(purpose, data, sig string) bool {
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	want, _ := hex.DecodeString(s.sign(purpose, data))
	return hmac.Equal(got, want)
}

// PresignUpload returns the form for one upload under p.
func (s *Store) PresignUpload(_ context.Context, p blobs.UploadPolicy) (blobs.PresignedPost, error) {
	if err := checkPolicy(p); err != nil {
		return blobs.PresignedPost{}, err
	}
	exp := s.clk.Now().Add(p.Expires).UTC().Truncate(time.Second)
	doc, err := json.Marshal(policy{
		Expiration:  exp.Format(time.RFC3339),
		Key:         p.Key,
		ContentType: p.ContentType,
		MinSize:     p.MinSize,
		MaxSize:     p.MaxSize,
	})
	if err != nil {
		return blobs.PresignedPost{}, fmt.Errorf("diskblobs: encode policy: %w", err)
	}
	enc := base64.StdEncoding.EncodeToString(doc)
	return blobs.PresignedPost{
		URL: s.baseURL + UploadPath,
		Fields: map[string]string{
			FieldKey:         p.Key,
			FieldContentType: p.ContentType,
			FieldPolicy:      enc,
			FieldSignature:   s.sign(purposeUpload, enc),
		},
		ExpiresAt: exp.In(clock.Shanghai),
	}, nil
}

func checkPolicy(p blobs.UploadPolicy) error {
	if err := CheckKey(p.Key); err != nil {
		return err
	}
	if _, _, err := mime.ParseMediaType(p.ContentType); err != nil {
		return fmt.Errorf("diskblobs: content type %q: %w", p.ContentType, err)
	}
	if p.MinSize < 1 || p.MaxSize < p.MinSize {
		return fmt.Errorf("diskblobs: size range [%d, %d] must satisfy 1 ≤ min ≤ max", p.MinSize, p.MaxSize)
	}
	if p.Expires <= 0 {
		return errors.New("diskblobs: Expires must be positive")
	}
	return nil
}

// PresignDownload returns a GET URL for key, valid for expires. The
// object need not exist yet (as with S3).
func (s *Store) PresignDownload(_ context.Context, key string, expires time.Duration) (string, error) {
	return s.presignGet(key, "", expires)
}

// PresignAttachment is PresignDownload for a file to save: the signed URL
// carries the file name (non-empty: it also marks the attachment), and the
// object is served as an attachment.
func (s *Store) PresignAttachment(_ context.Context, key, fileName string, expires time.Duration) (string, error) {
	if fileName == "" {
		fileName = "file"
	}
	return s.presignGet(key, fileName, expires)
}

// presignGet signs key, the expiry and, for an attachment, its file name.
func (s *Store) presignGet(key, attachment string, expires time.Duration) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	if expires <= 0 {
		return "", errors.New("diskblobs: expires must be positive")
	}
	exp := strconv.FormatInt(s.clk.Now().Add(expires).Unix(), 10)
	q := url.Values{"expires": {exp}, "signature": {s.sign(purposeDownload, downloadSigned(key, exp, attachment))}}
	if attachment != "" {
		q.Set("attachment", attachment)
	}
	return s.baseURL + ObjectPath + escapeKey(key) + "?" + q.Encode(), nil
}

// downloadSigned is what a download URL's signature covers.
func downloadSigned(key, exp, attachment string) string {
	if attachment == "" {
		return key + "\n" + exp
	}
	return key + "\n" + exp + "\n" + attachment
}

func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	return strings.Join(segs, "/")
}

// Head returns the size and content type of key, or blobs.ErrNotFound.
func (s *Store) Head(_ context.Context, key string) (blobs.Info, error) {
	if err := CheckKey(key); err != nil {
		return blobs.Info{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := s.readMeta(key)
	if err != nil {
		return blobs.Info{}, err
	}
	return blobs.Info{Size: m.Size, ContentType: m.ContentType}, nil
}

// readMeta reads key's metadata; the caller holds mu.
func (s *Store) readMeta(key string) (meta, error) {
	if _, err := s.root.Stat(objectName(key)); err != nil {
		return meta{}, notFound(err)
	}
	b, err := s.root.ReadFile(metaName(key))
	if err != nil {
		return meta{}, notFound(err)
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return meta{}, fmt.Errorf("diskblobs: read metadata: %w", err)
	}
	return m, nil
}

func notFound(err error) error {
	// Looking up "a/b" when "a" is an object fails with ENOTDIR.
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return blobs.ErrNotFound
	}
	return fmt.Errorf("diskblobs: %w", err)
}

// Delete removes key. Deleting a missing key is not an error (as in S3).
func (s *Store) Delete(_ context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range []string{objectName(key), metaName(key)} {
		if err := s.root.Remove(name); err != nil && notFound(err) != blobs.ErrNotFound {
			return fmt.Errorf("diskblobs: delete: %w", err)
		}
	}
	return nil
}

// open opens key's bytes and reads its metadata under the read lock; the
// bytes stay readable after a concurrent overwrite or delete.
func (s *Store) open(key string) (*os.File, meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := s.readMeta(key)
	if err != nil {
		return nil, meta{}, err
	}
	f, err := s.root.Open(objectName(key))
	if err != nil {
		return nil, meta{}, notFound(err)
	}
	return f, m, nil
}

// commit moves a complete upload and its metadata into place.
func (s *Store) commit(tmpObject, tmpMeta, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commitLocked(tmpObject, tmpMeta, key)
}

// commitLocked is commit for a caller that holds mu.
func (s *Store) commitLocked(tmpObject, tmpMeta, key string) error {
	for _, d := range []string{path.Dir(objectName(key)), path.Dir(metaName(key))} {
		if err := s.root.MkdirAll(filepath.FromSlash(d), 0o750); err != nil {
			return fmt.Errorf("diskblobs: create directory: %w", err)
		}
	}
	if err := s.root.Rename(tmpObject, filepath.FromSlash(objectName(key))); err != nil {
		return fmt.Errorf("diskblobs: commit object: %w", err)
	}
	if err := s.root.Rename(tmpMeta, filepath.FromSlash(metaName(key))); err != nil {
		return fmt.Errorf("diskblobs: commit metadata: %w", err)
	}
	// The renames, and the directories MkdirAll made, are durable only
	// once the directories holding them are synced.
	for _, d := range []string{path.Dir(objectName(key)), path.Dir(metaName(key))} {
		if err := s.syncDirs(d); err != nil {
			return fmt.Errorf("diskblobs: commit: sync directory: %w", err)
		}
	}
	return nil
}

// syncDirs fsyncs dir (slash-separated, under objects/ or meta/) and each
// of its parents up to that top-level directory.
func (s *Store) syncDirs(dir string) error {
	for d := dir; ; d = path.Dir(d) {
		f, err := s.root.Open(filepath.FromSlash(d))
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if !strings.Contains(d, "/") {
			return nil
		}
	}
}

// tempName returns a fresh name under tmp/.
func tempName() string {
	var b [12]byte
	rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return filepath.Join("tmp", hex.EncodeToString(b[:]))
}

// createTemp creates a new file under tmp/.
func (s *Store) createTemp() (*os.File, string, error) {
	name := tempName()
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return nil, "", fmt.Errorf("diskblobs: create temp file: %w", err)
	}
	return f, name, nil
}

func objectName(key string) string { return "objects/" + key }
func metaName(key string) string   { return "meta/" + key + ".json" }

// CheckKey reports whether key is usable: non-empty, at most 1024 bytes of
// UTF-8, relative, slash-separated, with no empty, "." or ".." segment, no
// backslash and no control character. It returns an error wrapping
// ErrInvalidKey otherwise.
func CheckKey(key string) error {
	bad := func(why string) error { return fmt.Errorf("%w: %s", ErrInvalidKey, why) }
	switch {
	case key == "":
		return bad("empty")
	case len(key) > maxKeyLen:
		return bad("longer than 1024 bytes")
	case !utf8.ValidString(key):
		return bad("not UTF-8")
	case strings.HasPrefix(key, "/"):
		return bad("absolute")
	case strings.ContainsRune(key, '\\'):
		return bad("backslash")
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return bad("control character")
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return bad("empty, . or .. segment")
		}
	}
	if !filepath.IsLocal(filepath.FromSlash(key)) {
		return bad("not a local path")
	}
	return nil
}

// copyLimited copies at most limit+1 bytes of r to w, so a caller can tell
// "more than limit" from "exactly limit".
func copyLimited(w io.Writer, r io.Reader, limit int64) (int64, error) {
	return io.Copy(w, io.LimitReader(r, limit+1))
}
