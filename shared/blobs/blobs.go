// Package blobs is the port for uploaded materials: the browser uploads
// straight to storage with a presigned POST whose policy fixes the key,
// the exact content type, a byte-size range and an expiry; the server
// never proxies file bytes.
//
// Adapters: s3blobs (S3 presigned POST and GET, production) and diskblobs
// (files under .data/ behind HMAC-signed URLs served by the local runner).
// blobstest holds the contract suite.
package blobs

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by Head for a missing object.
var ErrNotFound = errors.New("blobs: object not found")

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

// Info is what Head returns.
type Info struct {
	Size        int64
	ContentType string
}

// Store is the blobs port.
type Store interface {
	PresignUpload(ctx context.Context, p UploadPolicy) (PresignedPost, error)
	PresignDownload(ctx context.Context, key string, expires time.Duration) (string, error)
	Head(ctx context.Context, key string) (Info, error)
	Delete(ctx context.Context, key string) error
}
