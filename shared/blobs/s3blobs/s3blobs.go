// Package s3blobs is the production blobs adapter on Amazon S3.
//
// Uploads are presigned POSTs (SigV4 POST policy): the policy fixes the
// bucket, the exact key chosen by the server (an exact "key" condition,
// never starts-with), the exact Content-Type, the byte-size range
// (content-length-range) and the expiry, so S3 itself refuses any other
// upload and the file bytes never pass through the API. Downloads are
// presigned GETs. Head, Read, Digest, Move, Tags and Get map S3's 404 to
// blobs.ErrNotFound.
//
// Read is a ranged GetObject; Digest streams a whole GetObject through
// SHA-256; Move is CopyObject (which keeps the content type and, by
// default, the tags) and then DeleteObject; Tags is GetObjectTagging,
// where GuardDuty Malware Protection for S3 writes its verdict. Put, for
// the server's own documents, is one PutObject with the Content-Type
// (the new object has no tags); Get is a whole GetObject that reads no
// more than one byte past its limit. The role needs s3:GetObject,
// s3:GetObjectTagging, s3:PutObject, s3:PutObjectTagging (for the copied
// tags) and s3:DeleteObject.
//
// The bucket needs a CORS rule allowing POST from the portal's origin
// (template.yaml); nothing here depends on the partition, so the same
// code runs in aws and aws-cn.
package s3blobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/clock"
)

// MaxExpires is the longest validity SigV4 allows for a presigned URL.
const MaxExpires = 7 * 24 * time.Hour

// ObjectAPI is the part of *s3.Client the store calls.
type ObjectAPI interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	CopyObject(ctx context.Context, in *s3.CopyObjectInput, optFns ...func(*s3.Options)) (*s3.CopyObjectOutput, error)
	GetObjectTagging(ctx context.Context, in *s3.GetObjectTaggingInput, optFns ...func(*s3.Options)) (*s3.GetObjectTaggingOutput, error)
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
	if err := checkKey(p.Key); err != nil {
		return err
	}
	if _, _, err := mime.ParseMediaType(p.ContentType); err != nil {
		return fmt.Errorf("s3blobs: content type %q: %w", p.ContentType, err)
	}
	if p.MinSize < 1 || p.MaxSize < p.MinSize {
		return fmt.Errorf("s3blobs: size range [%d, %d] must satisfy 1 ≤ min ≤ max", p.MinSize, p.MaxSize)
	}
	return checkExpires(p.Expires)
}

// checkKey refuses a key S3 refuses: empty, or longer than 1024 bytes.
func checkKey(key string) error {
	if key == "" || len(key) > 1024 {
		return errors.New("s3blobs: key must be 1 to 1024 bytes")
	}
	return nil
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
	return s.presignGet(ctx, key, "", expires)
}

// PresignAttachment is PresignDownload with S3's response-content-disposition
// override, which the signature covers.
func (s *Store) PresignAttachment(ctx context.Context, key, fileName string, expires time.Duration) (string, error) {
	return s.presignGet(ctx, key, blobs.ContentDisposition(fileName), expires)
}

func (s *Store) presignGet(ctx context.Context, key, disposition string, expires time.Duration) (string, error) {
	if key == "" {
		return "", errors.New("s3blobs: empty key")
	}
	if err := checkExpires(expires); err != nil {
		return "", err
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	if disposition != "" {
		in.ResponseContentDisposition = aws.String(disposition)
	}
	req, err := s.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(expires))
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

// Read returns the first limit bytes of key (fewer if it is smaller), or
// an error matching blobs.ErrNotFound. It asks S3 for that range only.
func (s *Store) Read(ctx context.Context, key string, limit int64) ([]byte, error) {
	if limit < 1 {
		return nil, fmt.Errorf("s3blobs: read limit %d must be positive", limit)
	}
	out, err := s.api.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(key),
		Range:  aws.String("bytes=0-" + strconv.FormatInt(limit-1, 10)),
	})
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("s3blobs: read: %w", blobs.ErrNotFound)
		}
		// S3 refuses any range of an empty object with 416 InvalidRange
		// (a range starting at 0 is satisfiable for every other size).
		if isInvalidRange(err) {
			return []byte{}, nil
		}
		return nil, fmt.Errorf("s3blobs: read: %w", err)
	}
	defer out.Body.Close()
	// An object smaller than the range comes back whole; a server that
	// ignores Range sends everything, so cut there too.
	b, err := io.ReadAll(io.LimitReader(out.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("s3blobs: read: %w", err)
	}
	return b, nil
}

func isInvalidRange(err error) bool {
	var ae smithy.APIError
	var re *awshttp.ResponseError
	return (errors.As(err, &ae) && ae.ErrorCode() == "InvalidRange") ||
		(errors.As(err, &re) && re.HTTPStatusCode() == http.StatusRequestedRangeNotSatisfiable)
}

// Digest returns the lowercase hex SHA-256 of key, or an error matching
// blobs.ErrNotFound. The object is streamed through the hash, never held
// whole in memory.
func (s *Store) Digest(ctx context.Context, key string) (string, error) {
	out, err := s.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return "", fmt.Errorf("s3blobs: digest: %w", blobs.ErrNotFound)
		}
		return "", fmt.Errorf("s3blobs: digest: %w", err)
	}
	defer out.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, out.Body); err != nil {
		return "", fmt.Errorf("s3blobs: digest: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Move copies from to to with CopyObject, which keeps the content type
// and the tags (the default COPY directives), replacing any object at to,
// and then deletes from. It returns an error matching blobs.ErrNotFound
// when from is missing. Moving a key onto itself only checks that it
// exists: S3 refuses a copy onto itself that changes nothing, and the
// delete would lose the object. CopyObject handles objects up to 5 GB,
// far above any upload policy here.
func (s *Store) Move(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return errors.New("s3blobs: empty key")
	}
	if from == to {
		if _, err := s.Head(ctx, from); err != nil {
			return fmt.Errorf("s3blobs: move: %w", err)
		}
		return nil
	}
	_, err := s.api.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket:     aws.String(s.bucket),
		Key:        aws.String(to),
		CopySource: aws.String(copySource(s.bucket, from)),
	})
	if err != nil {
		if isNotFound(err) {
			return fmt.Errorf("s3blobs: move: %w", blobs.ErrNotFound)
		}
		return fmt.Errorf("s3blobs: move: copy: %w", err)
	}
	if _, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(from)}); err != nil {
		return fmt.Errorf("s3blobs: move: copied, but delete of the source failed: %w", err)
	}
	return nil
}

// copySource is the x-amz-copy-source value for key in bucket: S3 wants
// it URL-encoded and the SDK sends it as given. Every byte but the
// unreserved characters and "/" is percent-encoded (as boto3 does), so
// that "+", "?" and the like in a key reach S3 literally.
func copySource(bucket, key string) string {
	var b strings.Builder
	b.WriteString(bucket)
	b.WriteByte('/')
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Tags returns key's tags (an empty map when it has none), or an error
// matching blobs.ErrNotFound.
func (s *Store) Tags(ctx context.Context, key string) (map[string]string, error) {
	out, err := s.api.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("s3blobs: tags: %w", blobs.ErrNotFound)
		}
		return nil, fmt.Errorf("s3blobs: tags: %w", err)
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, t := range out.TagSet {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}

// Put writes data at key with contentType in one PutObject, replacing any
// object there; the new object has no tags. More than blobs.MaxPut bytes
// is refused, before any request, with an error matching
// blobs.ErrTooLarge.
func (s *Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if _, _, err := mime.ParseMediaType(contentType); err != nil {
		return fmt.Errorf("s3blobs: put: content type %q: %w", contentType, err)
	}
	if len(data) > blobs.MaxPut {
		return fmt.Errorf("s3blobs: put: %d bytes, at most %d: %w", len(data), blobs.MaxPut, blobs.ErrTooLarge)
	}
	_, err := s.api.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		ContentType:   aws.String(contentType),
		ContentLength: aws.Int64(int64(len(data))),
		Body:          bytes.NewReader(data),
	})
	if err != nil {
		return fmt.Errorf("s3blobs: put: %w", err)
	}
	return nil
}

// Get returns the whole of key and its size and content type, or an error
// matching blobs.ErrNotFound. An object over limit bytes is refused with an
// error matching blobs.ErrTooLarge: from its Content-Length before reading
// any of it, and in any case after at most limit+1 bytes of the body.
func (s *Store) Get(ctx context.Context, key string, limit int64) ([]byte, blobs.Info, error) {
	if err := checkKey(key); err != nil {
		return nil, blobs.Info{}, err
	}
	if limit < 1 {
		return nil, blobs.Info{}, fmt.Errorf("s3blobs: get limit %d must be positive", limit)
	}
	out, err := s.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return nil, blobs.Info{}, fmt.Errorf("s3blobs: get: %w", blobs.ErrNotFound)
		}
		return nil, blobs.Info{}, fmt.Errorf("s3blobs: get: %w", err)
	}
	defer out.Body.Close()
	if n := aws.ToInt64(out.ContentLength); n > limit {
		return nil, blobs.Info{}, fmt.Errorf("s3blobs: get: %d bytes, limit %d: %w", n, limit, blobs.ErrTooLarge)
	}
	b, err := io.ReadAll(io.LimitReader(out.Body, min(limit, math.MaxInt64-1)+1))
	if err != nil {
		return nil, blobs.Info{}, fmt.Errorf("s3blobs: get: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, blobs.Info{}, fmt.Errorf("s3blobs: get: more than %d bytes: %w", limit, blobs.ErrTooLarge)
	}
	return b, blobs.Info{Size: int64(len(b)), ContentType: aws.ToString(out.ContentType)}, nil
}
