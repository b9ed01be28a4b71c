package diskblobs

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/httpapi"
)

// Limits on the form fields that precede the file part.
const (
	maxFields     = 16      // parts before "file"
	maxFieldBytes = 8 << 10 // bytes per field value
)

// Handler serves presigned uploads (POST UploadPath) and downloads
// (GET ObjectPath<key>). Mount it at Prefix. Every rejection is a JSON
// error with a Chinese message, written by httpapi.WriteError.
func (s *Store) Handler() http.Handler {
	rt := httpapi.NewRouter()
	rt.HandleFunc("POST "+UploadPath, s.serveUpload)
	rt.HandleFunc("GET "+ObjectPath+"{key...}", s.serveObject)
	return rt
}

// serveUpload reads the form fields up to the file part, checks them
// against the signed policy, then streams the file to a temporary file
// and renames it into place. Fields after the file part are ignored, as
// S3 ignores them.
func (s *Store) serveUpload(w http.ResponseWriter, r *http.Request) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.Wrap(apperr.Unsupported, "上传须使用 multipart/form-data 表单", err)
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return missing(fields, true)
		}
		if err != nil {
			return apperr.Wrap(apperr.BadRequest, "上传表单格式不正确", err)
		}
		name := part.FormName()
		if name == FieldFile {
			return s.receive(w, fields, part)
		}
		if name == "" {
			continue
		}
		if len(fields) == maxFields {
			return apperr.E(apperr.BadRequest, "上传表单字段过多")
		}
		lname := strings.ToLower(name)
		if _, dup := fields[lname]; dup {
			return apperr.E(apperr.BadRequest, "上传表单字段重复："+name)
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return apperr.Wrap(apperr.BadRequest, "上传表单读取失败", err)
		}
		if len(b) > maxFieldBytes {
			return apperr.E(apperr.BadRequest, "上传表单字段过长："+name)
		}
		fields[lname] = string(b)
	}
}

// missing returns a 400 naming the required fields that are absent, or nil.
func missing(fields map[string]string, noFile bool) error {
	errs := map[string]string{}
	for _, f := range []string{FieldKey, FieldContentType, FieldPolicy, FieldSignature} {
		if fields[strings.ToLower(f)] == "" {
			errs[f] = "缺少此字段"
		}
	}
	if noFile {
		errs[FieldFile] = "缺少文件，文件须作为表单的最后一项"
	}
	if len(errs) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.BadRequest, Message: "上传表单缺少必需的字段", Fields: errs}
}

func (s *Store) receive(w http.ResponseWriter, fields map[string]string, file *multipart.Part) error {
	if err := missing(fields, false); err != nil {
		return err
	}
	pol, err := s.checkForm(fields)
	if err != nil {
		return err
	}
	if err := checkPartType(file.Header.Get("Content-Type"), pol.ContentType); err != nil {
		return err
	}
	tmp, tmpName, err := s.createTemp()
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			_ = s.root.Remove(tmpName)
		}
	}()
	dst := &recordingWriter{w: tmp}
	n, err := copyLimited(dst, file, pol.MaxSize)
	if dst.err != nil { // our side: a full disk answers storage_full (apperr.As)
		return fmt.Errorf("diskblobs: write upload: %w", dst.err)
	}
	if err != nil { // the sender's side
		return apperr.Wrap(apperr.BadRequest, "文件上传中断，请重试", err)
	}
	if n > pol.MaxSize {
		return apperr.E(apperr.TooLarge, "文件大小超过上限（最大 "+humanSize(pol.MaxSize)+"）")
	}
	if n < pol.MinSize {
		if n == 0 {
			return apperr.E(apperr.BadRequest, "文件为空，请重新选择文件")
		}
		return apperr.E(apperr.BadRequest, "文件大小低于下限（最小 "+humanSize(pol.MinSize)+"）")
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("diskblobs: sync upload: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("diskblobs: close upload: %w", err)
	}
	mName, err := s.writeTempMeta(meta{ContentType: pol.ContentType, Size: n, Uploaded: s.clk.Now()})
	if err != nil {
		return err
	}
	if err := s.commit(tmpName, mName, pol.Key); err != nil {
		_ = s.root.Remove(mName)
		return err
	}
	committed = true
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// recordingWriter keeps the error of its writer, so that a failed copy
// can tell a failed write (here) from a failed read (the sender).
type recordingWriter struct {
	w   io.Writer
	err error
}

func (r *recordingWriter) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n, err
}

// checkForm verifies the policy's signature and expiry and the fields
// against the policy.
func (s *Store) checkForm(fields map[string]string) (policy, error) {
	enc := fields[strings.ToLower(FieldPolicy)]
	if !s.verify(purposeUpload, enc, fields[strings.ToLower(FieldSignature)]) {
		return policy{}, apperr.E(apperr.Forbidden, "上传签名无效，请重新获取上传地址")
	}
	var pol policy
	doc, err := base64.StdEncoding.DecodeString(enc)
	if err == nil {
		err = json.Unmarshal(doc, &pol)
	}
	var exp time.Time
	if err == nil {
		exp, err = time.Parse(time.RFC3339, pol.Expiration)
	}
	if err != nil {
		// The signature held, so we wrote this policy: our fault.
		return policy{}, fmt.Errorf("diskblobs: decode signed policy: %w", err)
	}
	if s.clk.Now().After(exp) {
		return policy{}, apperr.E(apperr.Forbidden, "上传地址已过期，请重新获取上传地址")
	}
	if fields[FieldKey] != pol.Key {
		return policy{}, apperr.E(apperr.Forbidden, "上传的文件标识与授权不符，请重新获取上传地址")
	}
	if err := CheckKey(pol.Key); err != nil {
		return policy{}, apperr.Wrap(apperr.BadRequest, "文件标识无效", err)
	}
	if fields[strings.ToLower(FieldContentType)] != pol.ContentType {
		return policy{}, apperr.E(apperr.Unsupported, "文件类型不符合要求，应为 "+pol.ContentType)
	}
	return pol, nil
}

// checkPartType rejects a file part whose own Content-Type names another
// media type than the policy's. Browsers label a file they cannot type as
// application/octet-stream; that label is accepted (S3 ignores the part's
// type altogether and stores the Content-Type field).
func checkPartType(partType, want string) error {
	if partType == "" {
		return nil
	}
	got, _, err := mime.ParseMediaType(partType)
	if err != nil {
		return apperr.Wrap(apperr.Unsupported, "文件类型无法识别，应为 "+want, err)
	}
	wantMT, _, _ := mime.ParseMediaType(want)
	if got == "application/octet-stream" || strings.EqualFold(got, wantMT) {
		return nil
	}
	return apperr.E(apperr.Unsupported, "文件类型不符合要求，应为 "+want)
}

// serveObject serves a presigned download.
func (s *Store) serveObject(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	if err := CheckKey(key); err != nil {
		return apperr.Wrap(apperr.BadRequest, "文件标识无效", err)
	}
	q := r.URL.Query()
	exp, sig := q.Get("expires"), q.Get("signature")
	attachment := q.Get("attachment")
	if exp == "" || sig == "" || !s.verify(purposeDownload, downloadSigned(key, exp, attachment), sig) {
		return apperr.E(apperr.Forbidden, "下载链接无效，请刷新页面后重试")
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || s.clk.Now().Unix() > unix {
		return apperr.E(apperr.Forbidden, "下载链接已过期，请刷新页面后重试")
	}
	f, m, err := s.open(key)
	if errors.Is(err, blobs.ErrNotFound) {
		return apperr.E(apperr.NotFound, "文件不存在或已被删除")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=0")
	if attachment != "" {
		h.Set("Content-Disposition", blobs.ContentDisposition(attachment))
	}
	// Objects are served from the portal's own origin here (S3 serves them
	// from the bucket's): keep an uploaded HTML or SVG file from running
	// script in it. Chrome's PDF viewer does not load in a sandbox.
	if mt, _, _ := mime.ParseMediaType(m.ContentType); mt != "application/pdf" {
		h.Set("Content-Security-Policy", "sandbox")
	}
	http.ServeContent(w, r, "", m.Uploaded, f)
	return nil
}

// humanSize formats n bytes for a Chinese message: 512 B, 200 KB, 1.5 MB.
func humanSize(n int64) string {
	const k = 1024
	f := func(v float64, unit string) string {
		return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0") + " " + unit
	}
	switch {
	case n >= k*k:
		return f(float64(n)/(k*k), "MB")
	case n >= k:
		return f(float64(n)/k, "KB")
	default:
		return strconv.FormatInt(n, 10) + " B"
	}
}
