package diskblobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"mime"
	"path"
	"path/filepath"

	"github.com/hljhrss/hrss/shared/blobs"
)

// maxTags is S3's limit on the number of tags on one object.
const maxTags = 10

// Read returns the first limit bytes of key (fewer if it is smaller), or
// blobs.ErrNotFound.
func (s *Store) Read(_ context.Context, key string, limit int64) ([]byte, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, fmt.Errorf("diskblobs: read limit %d must be positive", limit)
	}
	f, _, err := s.open(key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("diskblobs: read: %w", err)
	}
	return b, nil
}

// Digest returns the lowercase hex SHA-256 of key, or blobs.ErrNotFound.
// The file is streamed through the hash.
func (s *Store) Digest(ctx context.Context, key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	f, _, err := s.open(key)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return "", fmt.Errorf("diskblobs: digest: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops a long copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Tags returns key's tags (an empty map when it has none), or
// blobs.ErrNotFound.
func (s *Store) Tags(_ context.Context, key string) (map[string]string, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := s.readMeta(key)
	if err != nil {
		return nil, err
	}
	tags := make(map[string]string, len(m.Tags))
	maps.Copy(tags, m.Tags)
	return tags, nil
}

// SetTags replaces key's tags with tags (none when tags is empty), as
// S3's PutObjectTagging does; it returns blobs.ErrNotFound for a missing
// key. Tests and the local runner use it to play GuardDuty Malware
// Protection for S3, which tags each scanned object with its verdict.
func (s *Store) SetTags(key string, tags map[string]string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if len(tags) > maxTags {
		return fmt.Errorf("diskblobs: %d tags, at most %d allowed", len(tags), maxTags)
	}
	if _, empty := tags[""]; empty {
		return errors.New("diskblobs: empty tag key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.readMeta(key)
	if err != nil {
		return err
	}
	m.Tags = nil
	if len(tags) > 0 {
		m.Tags = maps.Clone(tags)
	}
	tmp, err := s.writeTempMeta(m)
	if err != nil {
		return err
	}
	if err := s.root.Rename(tmp, filepath.FromSlash(metaName(key))); err != nil {
		_ = s.root.Remove(tmp)
		return fmt.Errorf("diskblobs: set tags: %w", err)
	}
	if err := s.syncDirs(path.Dir(metaName(key))); err != nil {
		return fmt.Errorf("diskblobs: set tags: sync directory: %w", err)
	}
	return nil
}

// Move copies from to to (bytes, content type and tags), replacing any
// object at to, and then deletes from. It returns blobs.ErrNotFound when
// from is missing; moving a key onto itself changes nothing. See the
// package documentation for what a crash leaves behind.
func (s *Store) Move(_ context.Context, from, to string) error {
	for _, k := range []string{from, to} {
		if err := CheckKey(k); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.readMeta(from)
	if err != nil {
		return err
	}
	if from == to {
		return nil
	}
	tmpObject, err := s.copyToTemp(objectName(from))
	if err != nil {
		return err
	}
	m.Uploaded = s.clk.Now() // a copy is a new object, as in S3
	tmpMeta, err := s.writeTempMeta(m)
	if err != nil {
		_ = s.root.Remove(tmpObject)
		return err
	}
	if err := s.commitLocked(tmpObject, tmpMeta, to); err != nil {
		_ = s.root.Remove(tmpObject)
		_ = s.root.Remove(tmpMeta)
		return fmt.Errorf("diskblobs: move: %w", err)
	}
	for _, name := range []string{objectName(from), metaName(from)} {
		if err := s.root.Remove(filepath.FromSlash(name)); err != nil {
			return fmt.Errorf("diskblobs: move: delete source: %w", err)
		}
	}
	for _, d := range []string{path.Dir(objectName(from)), path.Dir(metaName(from))} {
		if err := s.syncDirs(d); err != nil {
			return fmt.Errorf("diskblobs: move: sync directory: %w", err)
		}
	}
	return nil
}

// copyToTemp makes name's bytes available under a new name in tmp/: a
// hard link, or a synced byte copy where the file system has no links.
func (s *Store) copyToTemp(name string) (string, error) {
	tmp := tempName()
	if err := s.root.Link(filepath.FromSlash(name), tmp); err == nil {
		return tmp, nil
	}
	src, err := s.root.Open(filepath.FromSlash(name))
	if err != nil {
		return "", fmt.Errorf("diskblobs: copy: %w", err)
	}
	defer src.Close()
	dst, tmp, err := s.createTemp()
	if err != nil {
		return "", err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = s.root.Remove(tmp)
		return "", fmt.Errorf("diskblobs: copy: %w", err)
	}
	return tmp, nil
}

// writeTempMeta writes m to a synced file under tmp/ and returns its name.
func (s *Store) writeTempMeta(m meta) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("diskblobs: encode metadata: %w", err)
	}
	f, name, err := s.createTemp()
	if err != nil {
		return "", err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = s.root.Remove(name)
		return "", fmt.Errorf("diskblobs: write metadata: %w", err)
	}
	return name, nil
}

// Put writes data at key with contentType, replacing any object there
// (and its tags), committed like an upload: written to tmp/ and synced,
// then renamed into place with its metadata. data may be empty; more than
// blobs.MaxPut bytes is refused with an error matching blobs.ErrTooLarge.
func (s *Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if _, _, err := mime.ParseMediaType(contentType); err != nil {
		return fmt.Errorf("diskblobs: put: content type %q: %w", contentType, err)
	}
	if len(data) > blobs.MaxPut {
		return fmt.Errorf("diskblobs: put: %d bytes, at most %d: %w", len(data), blobs.MaxPut, blobs.ErrTooLarge)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("diskblobs: put: %w", err)
	}
	f, tmpObject, err := s.createTemp()
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = s.root.Remove(tmpObject)
		return fmt.Errorf("diskblobs: put: %w", err)
	}
	tmpMeta, err := s.writeTempMeta(meta{ContentType: contentType, Size: int64(len(data)), Uploaded: s.clk.Now()})
	if err != nil {
		_ = s.root.Remove(tmpObject)
		return err
	}
	if err := s.commit(tmpObject, tmpMeta, key); err != nil {
		_ = s.root.Remove(tmpObject)
		_ = s.root.Remove(tmpMeta)
		return fmt.Errorf("diskblobs: put: %w", err)
	}
	return nil
}

// Get returns the whole of key and its size and content type, or
// blobs.ErrNotFound. An object over limit bytes is refused with an error
// matching blobs.ErrTooLarge, and no more than limit+1 bytes are read.
func (s *Store) Get(ctx context.Context, key string, limit int64) ([]byte, blobs.Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, blobs.Info{}, err
	}
	if limit < 1 {
		return nil, blobs.Info{}, fmt.Errorf("diskblobs: get limit %d must be positive", limit)
	}
	f, m, err := s.open(key)
	if err != nil {
		return nil, blobs.Info{}, err
	}
	defer f.Close()
	if m.Size > limit {
		return nil, blobs.Info{}, fmt.Errorf("diskblobs: get: %d bytes, limit %d: %w", m.Size, limit, blobs.ErrTooLarge)
	}
	b, err := io.ReadAll(io.LimitReader(ctxReader{ctx, f}, min(limit, math.MaxInt64-1)+1))
	if err != nil {
		return nil, blobs.Info{}, fmt.Errorf("diskblobs: get: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, blobs.Info{}, fmt.Errorf("diskblobs: get: more than %d bytes: %w", limit, blobs.ErrTooLarge)
	}
	return b, blobs.Info{Size: int64(len(b)), ContentType: m.ContentType}, nil
}
