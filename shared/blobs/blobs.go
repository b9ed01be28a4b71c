// Package blobs is the port for stored documents. Uploaded materials go
// from the browser straight to storage with a presigned POST whose policy
// fixes the key, the exact content type, a byte-size range and an expiry;
// the server never proxies an upload's bytes and never writes a user's
// upload itself.
//
// Once an upload is done the server does read objects, but only in the
// bounded ways the checks after an upload need: the first bytes (Read, to
// compare magic bytes with the declared type), a streamed SHA-256 (Digest,
// to match known-bad files) and the object's tags (Tags, where GuardDuty
// Malware Protection for S3 writes its verdict). Move relocates an object
// once it has passed those checks (for example from a quarantine prefix).
// None of them loads a whole upload into memory.
//
// The server also writes and reads whole documents of its own making (the
// receipts the workflow generates): Put stores at most MaxPut bytes with
// their content type, and Get reads an object back whole, refusing one
// above the caller's limit with ErrTooLarge. Get is for those documents,
// not for uploads.
//
// Adapters: s3blobs (S3 presigned POST and GET, production) and diskblobs
// (files under .data/ behind HMAC-signed URLs served by the local runner).
// blobstest holds the contract suite; package scan builds the malware
// scanners and the magic-bytes check on this port.
package blobs

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"
)

// ErrNotFound is returned by Head, Read, Digest, Move, Tags and Get for a
// missing object (adapters may wrap it: test with errors.Is).
var ErrNotFound = errors.New("blobs: object not found")

// ErrTooLarge is returned by Get for an object bigger than its limit and by
// Put for data over MaxPut (adapters may wrap it: test with errors.Is).
var ErrTooLarge = errors.New("blobs: object too large")

// MaxPut is the most bytes Put writes in one call: the server's own
// documents are small, and Put holds them whole in memory.
const MaxPut = 10 << 20

// UploadPolicy constrains one upload.
type UploadPolicy struct {
	Key         string        // object key, chosen by the server
	ContentType string        // exact Content-Type the upload must carry
	MinSize     int64         // smallest accepted size in bytes (≥ 1)
	MaxSize     int64         // largest accepted size in bytes
	Expires     time.Duration // how long the form may be used
}

// PresignedPost is what the browser needs to upload: POST multipart/form-data
// to URL with every field of Fields, then the file as the last part "file".
type PresignedPost struct {
	URL       string            `json:"url"`
	Fields    map[string]string `json:"fields"`
	ExpiresAt time.Time         `json:"expiresAt"`
}

// Info is what Head and Get return.
type Info struct {
	Size        int64
	ContentType string
}

// Store is the blobs port.
type Store interface {
	PresignUpload(ctx context.Context, p UploadPolicy) (PresignedPost, error)
	PresignDownload(ctx context.Context, key string, expires time.Duration) (string, error)
	// PresignAttachment is PresignDownload for a file the browser must save
	// rather than show: the answer carries Content-Disposition: attachment
	// with fileName (UTF-8, RFC 6266).
	PresignAttachment(ctx context.Context, key, fileName string, expires time.Duration) (string, error)
	Head(ctx context.Context, key string) (Info, error)
	Delete(ctx context.Context, key string) error

	// Read returns the first limit bytes of key (all of it if it is
	// smaller; an empty slice for an empty object). limit must be
	// positive. It is meant for magic bytes, not for whole files.
	Read(ctx context.Context, key string, limit int64) ([]byte, error)
	// Digest returns the lowercase hex SHA-256 of the whole object,
	// streaming it through the hash.
	Digest(ctx context.Context, key string) (string, error)
	// Move copies from to to, with its content type and tags, and then
	// deletes from. An existing object at to is replaced; moving a key
	// onto itself leaves it as it is. If the delete fails after the copy,
	// the object is at both keys and the error is returned.
	Move(ctx context.Context, from, to string) error
	// Tags returns the object's tags (an empty map when it has none).
	Tags(ctx context.Context, key string) (map[string]string, error)

	// Put writes data at key with contentType, replacing what is there (a
	// server-side write: receipts the workflow makes). data is at most
	// MaxPut bytes (ErrTooLarge otherwise); contentType must be a valid
	// media type. The new object has no tags.
	Put(ctx context.Context, key, contentType string, data []byte) error
	// Get returns the whole object and its content type; at most limit bytes
	// (ErrTooLarge when bigger), ErrNotFound when missing. limit must be
	// positive; an empty object gives an empty slice.
	Get(ctx context.Context, key string, limit int64) ([]byte, Info, error)
}

// ContentDisposition is the attachment header for fileName: an ASCII
// fallback and the UTF-8 name (RFC 6266, RFC 8187).
func ContentDisposition(fileName string) string {
	if fileName == "" {
		fileName = "file"
	}
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, fileName)
	if ascii == "" {
		ascii = "file"
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(fileName)
}
