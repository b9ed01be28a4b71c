// Package s3blobs is the production blobs adapter on Amazon S3.
//
// Uploads are presigned POSTs (SigV4 POST policy): the policy fixes the
// bucket, the exact key chosen by the server (an exact "key" condition,
// never starts-with), the exact Content-Type, the byte-size range
// (content-length-range) and the expiry, so S3 itself refuses any other
// upload and the file bytes never pass through the API. Downloads are
// presigned GETs. Head maps S3's 404 to blobs.ErrNotFound.
//
// The bucket needs a CORS rule allowing POST from the portal's origin
// (template.yaml); nothing here depends on the partition, so the same
// code runs in aws and aws-cn.
package s3blobs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/clock"
)

// MaxExpires is the longest validity SigV4 allows for a presigned URL.
const MaxExpires = 7 * 24 * time.Hour

// ObjectAPI is the part of *s3.Client the store calls.
type ObjectAPI interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// Presigner is the part of *s3.PresignClient the store calls.
type Presigner interface {
	PresignPostObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.PresignPostOptions)) (*s3.PresignedPostRequest, error)
	PresignGetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

var (
	_ ObjectAPI = (*s3.Client)(nil)
	_ Presigner = (*s3.PresignClient)(nil)
)

// Store is the S3 blobs adapter for one bucket.
type Store struct {
	api     ObjectAPI
	presign Presigner
	bucket  string
}

var _ blobs.Store = (*Store)(nil)

// New returns a store for bucket using client for requests and for
// presigning.
func New(client *s3.Client, bucket string) *Store {
	return NewWith(client, s3.NewPresignClient(client), bucket)
}

// NewWith returns a store for bucket on the given clients (tests pass
// fakes or clients pointed at a local endpoint).
func NewWith(api ObjectAPI, presign Presigner, bucket string) *Store {
	return &Store{api: api, presign: presign, bucket: bucket}
}

// PresignUpload returns the POST form for one upload. Fields holds every
// field S3 needs (key, Content-Type, policy, X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Signature and, with temporary
// credentials, X-Amz-Security-Token); ExpiresAt is the policy's expiration.
func (s *Store) PresignUpload(ctx context.Context, p blobs.UploadPolicy) (blobs.PresignedPost, error) {
	if err := checkPolicy(p); err != nil {
		return blobs.PresignedPost{}, err
	}
	conds := []any{
		map[string]string{"key": p.Key}, // exact: the SDK adds none of its own when one is present
		map[string]string{"Content-Type": p.ContentType},
		[]any{"content-length-range", p.MinSize, p.MaxSize},
	}
	req, err := s.presign.PresignPostObject(ctx,
		&s3.PutObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(p.Key)},
		func(o *s3.PresignPostOptions) {
			o.Expires = p.Expires
			o.Conditions = conds
		})
	if err != nil {
		return blobs.PresignedPost{}, fmt.Errorf("s3blobs: presign post: %w", err)
	}
	fields := make(map[string]string, len(req.Values)+1)
	for k, v := range req.Values {
		fields[k] = v
	}
	fields["Content-Type"] = p.ContentType
	exp, err := policyExpiration(fields["policy"])
	if err != nil {
		return blobs.PresignedPost{}, err
	}
	return blobs.PresignedPost{URL: req.URL, Fields: fields, ExpiresAt: exp.In(clock.Shanghai)}, nil
}

// policyExpiration reads the expiration the SDK wrote into the policy, so
// that ExpiresAt is exactly what S3 enforces.
func policyExpiration(enc string) (time.Time, error) {
	doc, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return time.Time{}, fmt.Errorf("s3blobs: policy is not base64: %w", err)
	}
	var pol struct {
		Expiration string `json:"expiration"`
	}
	if err := json.Unmarshal(doc, &pol); err != nil {
		return time.Time{}, fmt.Errorf("s3blobs: policy is not JSON: %w", err)
	}
	t, err := time.Parse(time.RFC3339, pol.Expiration)
	if err != nil {
		return time.Time{}, fmt.Errorf("s3blobs: policy expiration: %w", err)
	}
	return t, nil
}

func checkPolicy(p blobs.UploadPolicy) error {
	if p.Key == "" || len(p.Key) > 1024 {
		return errors.New("s3blobs: key must be 1 to 1024 bytes")
	}
	if _, _, err := mime.ParseMediaType(p.ContentType); err != nil {
		return fmt.Errorf("s3blobs: content type %q: %w", p.ContentType, err)
	}
	if p.MinSize < 1 || p.MaxSize < p.MinSize {
		return fmt.Errorf("s3blobs: size range [%d, %d] must satisfy 1 ≤ min ≤ max", p.MinSize, p.MaxSize)
	}
	return checkExpires(p.Expires)
}

func checkExpires(d time.Duration) error {
	if d <= 0 || d > MaxExpires {
		return fmt.Errorf("s3blobs: expiry %v must be positive and at most 7 days", d)
	}
	return nil
}

// PresignDownload returns a presigned GET URL for key, valid for expires
// (at most MaxExpires, and no longer than the credentials that sign it).
func (s *Store) PresignDownload(ctx context.Context, key string, expires time.Duration) (string, error) {
	if key == "" {
		return "", errors.New("s3blobs: empty key")
	}
	if err := checkExpires(expires); err != nil {
		return "", err
	}
	req, err := s.presign.PresignGetObject(ctx,
		&s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)},
		s3.WithPresignExpires(expires))
	if err != nil {
		return "", fmt.Errorf("s3blobs: presign get: %w", err)
	}
	return req.URL, nil
}

// Head returns the size and content type of key, or an error matching
// blobs.ErrNotFound when S3 answers 404.
func (s *Store) Head(ctx context.Context, key string) (blobs.Info, error) {
	out, err := s.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return blobs.Info{}, fmt.Errorf("s3blobs: head: %w", blobs.ErrNotFound)
		}
		return blobs.Info{}, fmt.Errorf("s3blobs: head: %w", err)
	}
	return blobs.Info{Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType)}, nil
}

// isNotFound reports whether err is S3's answer for a missing object:
// HEAD responses have no body, so the SDK reports types.NotFound; a
// 404 without it (a proxy, an S3-compatible store) counts too.
func isNotFound(err error) bool {
	var nf *types.NotFound
	var nsk *types.NoSuchKey
	var re *awshttp.ResponseError
	return errors.As(err, &nf) || errors.As(err, &nsk) ||
		(errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound)
}

// Delete removes key. S3 answers 204 for a missing key too, so deleting
// twice is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if _, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("s3blobs: delete: %w", err)
	}
	return nil
}
