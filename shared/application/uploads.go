package application

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// UploadRequest asks for an upload form for one file of a material.
type UploadRequest struct {
	Material    string
	FileName    string
	ContentType string
	Size        int64
}

// PresignUpload hands out a presigned POST for one file of a material of
// an editable application: limited to the declared type (one of the
// material's), the declared size and UploadExpiry. The file counts
// against the material's file limit and the party's quota from now on.
func (s *Service) PresignUpload(ctx context.Context, c identity.Caller, family, id string, req UploadRequest) (Upload, blobs.PresignedPost, error) {
	for range 3 {
		u, post, err := s.presignOnce(ctx, c, family, id, req)
		if !isStale(err) {
			return u, post, err
		}
		// The application changed meanwhile (the workflow recording its
		// token, another upload): check again on the fresh item.
	}
	return Upload{}, blobs.PresignedPost{}, errStale
}

func (s *Service) presignOnce(ctx context.Context, c identity.Caller, family, id string, req UploadRequest) (Upload, blobs.PresignedPost, error) {
	cs, err := s.Get(ctx, c, family, id)
	if err != nil {
		return Upload{}, blobs.PresignedPost{}, err
	}
	a := cs.App
	if !a.Status.Editable() {
		return Upload{}, blobs.PresignedPost{}, errNotEditable
	}
	b, err := s.business("", a.Business)
	if err != nil {
		return Upload{}, blobs.PresignedPost{}, err
	}
	m, ok := b.Material(req.Material)
	if !ok {
		return Upload{}, blobs.PresignedPost{}, apperr.Field("material", "本业务没有“"+clip(req.Material)+"”这项材料")
	}
	bad := map[string]string{}
	name := strings.TrimSpace(req.FileName)
	if name == "" || utf8.RuneCountInString(name) > 120 || !utf8.ValidString(name) || strings.ContainsAny(name, "/\\\x00") {
		bad["fileName"] = "文件名不能为空，最多120个字符，且不能含有 / 或 \\"
	}
	ct := normalizeType(req.ContentType)
	if !slices.Contains(m.Types, ct) {
		bad["contentType"] = m.Name + "只能上传" + typeNames(m.Types) + "格式的文件"
	}
	switch {
	case req.Size <= 0:
		bad["size"] = "文件大小无效，请重新选择文件"
	case req.Size > m.MaxBytes:
		bad["size"] = fmt.Sprintf("文件过大：%s每个文件不能超过%s", m.Name, humanSize(m.MaxBytes))
	}
	if len(bad) > 0 {
		return Upload{}, blobs.PresignedPost{}, apperr.Fields("", bad)
	}
	n := 0
	now := s.clk.Now()
	for _, u := range cs.Uploads {
		if u.Material == m.Name && (u.Status == UploadAccepted || u.Status == UploadPending && !u.expired(now)) {
			n++
		}
	}
	if n >= m.MaxFiles {
		return Upload{}, blobs.PresignedPost{}, apperr.Field("material", fmt.Sprintf("%s最多上传%d个文件，请先删除不需要的文件", m.Name, m.MaxFiles))
	}
	u := Upload{ID: "U" + identity.RandomHex(10), App: a.ID, Material: m.Name, FileName: name, ContentType: ct,
		Size: req.Size, Status: UploadPending, Created: s.clk.Now()}
	if err := s.changeQuota(ctx, a.Party, 1, u.Size, table.Put(encodeUpload(&u), table.IfAbsent()), table.Check(appKey(a.ID), table.IfVersion(a.Version))); err != nil {
		return Upload{}, blobs.PresignedPost{}, err
	}
	post, err := s.blobs.PresignUpload(ctx, blobs.UploadPolicy{Key: u.BlobKey(), ContentType: ct, MinSize: req.Size,
		MaxSize: req.Size, Expires: UploadExpiry})
	if err != nil {
		return Upload{}, blobs.PresignedPost{}, fmt.Errorf("application: presign: %w", err)
	}
	return u, post, nil
}

// normalizeType lower-cases a media type without parameters; image/jpg is
// image/jpeg.
func normalizeType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	if mt == "image/jpg" || mt == "image/pjpeg" {
		mt = "image/jpeg"
	}
	return mt
}

var typeLabels = map[string]string{"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF", "application/zip": "ZIP",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX"}

func typeNames(ts []string) string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		if l, ok := typeLabels[t]; ok {
			out = append(out, l)
		} else {
			out = append(out, path.Base(t))
		}
	}
	return strings.Join(out, "、")
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1fMB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%dKB", n>>10)
	}
	return fmt.Sprintf("%d字节", n)
}

// changeQuota adds files and bytes to party's counter of files held by
// drafts in one transaction with ops; adding over the quota is refused.
// The counter is an add (table.Add), so racing uploads of one party need
// no read and never lose a race. Submitted files leave the counter (they
// belong to a case), so the quota bounds what drafts hold.
func (s *Service) changeQuota(ctx context.Context, party string, files int, bytes int64, ops ...table.Op) error {
	err := s.t.TransactWrite(ctx, append([]table.Op{s.quotaOp(party, files, bytes)}, ops...))
	var tx *table.TxCanceledError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &tx):
		return fmt.Errorf("application: quota: %w", err)
	case tx.Index > 0: // not the quota: the application or the upload changed
		return errStale
	}
	return apperr.E(apperr.Conflict, fmt.Sprintf("您的草稿中的材料已达上限（%d个文件或%s），请先删除不需要的文件或草稿", s.quota.Files, humanSize(s.quota.Bytes)))
}

// quotaOp is the add of files and bytes to party's counter; an addition
// of files may not pass the quota.
func (s *Service) quotaOp(party string, files int, bytes int64) table.Op {
	k := quotaKey(party)
	c := table.Counter{Add: map[string]int64{"Files": int64(files), "Bytes": bytes}}
	if files > 0 {
		c.Max = map[string]int64{"Files": int64(s.quota.Files), "Bytes": s.quota.Bytes}
	}
	return table.Add(table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "quota"}, c)
}

// CompleteUpload checks an uploaded file: present, of the declared size,
// of the declared type by its magic bytes, and clean by the malware
// scanner. An accepted file leaves the pending prefix; a refused one is
// deleted, and the reason is the error's message.
func (s *Service) CompleteUpload(ctx context.Context, c identity.Caller, family, id, uploadID string) (Upload, error) {
	cs, err := s.Get(ctx, c, family, id)
	if err != nil {
		return Upload{}, err
	}
	u, ok := cs.Upload(uploadID)
	if !ok {
		return Upload{}, errNoUpload
	}
	switch u.Status {
	case UploadAccepted:
		return u, nil
	case UploadRejected:
		return u, apperr.E(apperr.Invalid, u.Reason)
	case UploadSuperseded:
		return u, apperr.E(apperr.Conflict, "该文件已从本次申请中删除，请重新上传")
	}
	if !cs.App.Status.Editable() {
		return Upload{}, errNotEditable
	}
	info, err := s.blobs.Head(ctx, u.BlobKey())
	if errors.Is(err, blobs.ErrNotFound) {
		// Moved already by a completion that stopped before recording it:
		// finish that one.
		acc := u
		acc.Status = UploadAccepted
		if _, herr := s.blobs.Head(ctx, acc.BlobKey()); herr == nil {
			return s.accept(ctx, u, false)
		}
		if !u.expired(s.clk.Now()) {
			return u, apperr.E(apperr.Invalid, "文件尚未上传完成，请上传后再试")
		}
		return u, s.reject(ctx, cs.App.Party, u, "上传已过期，文件未收到，请重新上传")
	}
	if err != nil {
		return u, fmt.Errorf("application: head: %w", err)
	}
	reason := ""
	if info.Size != u.Size {
		reason = fmt.Sprintf("文件大小与申报的不一致（申报%d字节，实际%d字节），请重新上传", u.Size, info.Size)
	}
	if reason == "" {
		v, err := s.scanner.Scan(ctx, u.BlobKey())
		if err != nil {
			return u, fmt.Errorf("application: scan: %w", err)
		}
		switch v {
		case scan.Pending:
			return u, apperr.E(apperr.Conflict, "文件正在进行安全检查，请稍后再点“完成”")
		case scan.Infected:
			reason = "文件未通过安全检查（发现恶意代码），已删除，请上传其他文件"
		case scan.Failed:
			reason = "文件无法完成安全检查，已删除，请重新上传或换一个文件"
		}
	}
	if reason == "" {
		head, err := s.blobs.Read(ctx, u.BlobKey(), scan.HeadLen)
		if err != nil {
			return u, fmt.Errorf("application: read: %w", err)
		}
		if !scan.Matches(u.ContentType, head) {
			reason = "文件内容与其格式不符（应为" + typeNames([]string{u.ContentType}) + "），请上传真实的" + typeNames([]string{u.ContentType}) + "文件"
		}
	}
	if p := s.plugins[cs.App.Family]; reason == "" && p.CheckFile != nil {
		b, err := s.business("", cs.App.Business)
		if err != nil {
			return u, err
		}
		key := u.BlobKey()
		rep, err := p.CheckFile(ctx, FileInput{Business: b, App: cs.App, Upload: u, Ledger: s.ledger, Refs: s.refs,
			Open: func(ctx context.Context) ([]byte, error) { return s.blobs.Read(ctx, key, u.Size) }, Progress: s.progress(u)})
		if err != nil {
			return u, err
		}
		u.Report = rep
		if rep != nil && len(rep.Errors) > 0 {
			reason = fmt.Sprintf("文件内容有%d处错误（见下方按行列出的说明），请修改后重新上传", len(rep.Errors))
			if rep.Truncated {
				reason = "文件内容错误较多（下方列出前" + fmt.Sprint(len(rep.Errors)) + "处），请修改后重新上传"
			}
		}
	}
	if reason != "" {
		if err := s.blobs.Delete(ctx, u.BlobKey()); err != nil {
			return u, fmt.Errorf("application: delete refused file: %w", err)
		}
		return u, s.reject(ctx, cs.App.Party, u, reason)
	}
	return s.accept(ctx, u, true)
}

// accept moves a checked file out of the pending prefix (unless it is
// there already) and records it as accepted with its digest.
func (s *Service) accept(ctx context.Context, u Upload, move bool) (Upload, error) {
	from := u.BlobKey()
	u.Status = UploadAccepted
	if move {
		if err := s.blobs.Move(ctx, from, u.BlobKey()); err != nil {
			return u, fmt.Errorf("application: move: %w", err)
		}
	}
	digest, err := s.blobs.Digest(ctx, u.BlobKey())
	if err != nil {
		return u, fmt.Errorf("application: digest: %w", err)
	}
	u.Digest = digest
	if err := s.t.Put(ctx, encodeUpload(&u), table.IfAttrEquals("Status", string(UploadPending))); err != nil && !errors.Is(err, table.ErrConditionFailed) {
		return u, fmt.Errorf("application: accept: %w", err)
	}
	return u, nil
}

// reject records u as refused with reason, takes it off the party's
// quota, and returns the refusal as the applicant reads it.
func (s *Service) reject(ctx context.Context, party string, u Upload, reason string) error {
	u.Status, u.Reason = UploadRejected, reason
	if err := s.changeQuota(ctx, party, -1, -u.Size, table.Put(encodeUpload(&u), table.IfExists())); err != nil {
		return err
	}
	if u.Report == nil || len(u.Report.Errors) == 0 {
		return apperr.E(apperr.Invalid, reason)
	}
	// The file's own problems, keyed "row:<n>" or "row:<n>:<column>".
	fields := map[string]string{}
	for _, c := range u.Report.Errors {
		k := fmt.Sprintf("row:%d", c.Row)
		if c.Column != "" {
			k += ":" + c.Column
		}
		fields[k] = c.Message
	}
	return apperr.Fields(reason, fields)
}

var errNoUpload = apperr.E(apperr.NotFound, "未找到该文件，可能已被删除")

// DeleteUpload removes a file of an editable application (删除).
func (s *Service) DeleteUpload(ctx context.Context, c identity.Caller, family, id, uploadID string) error {
	for range 3 {
		err := s.deleteOnce(ctx, c, family, id, uploadID)
		if !isStale(err) {
			return err
		}
		// The application changed meanwhile (a save, a submit): look again.
	}
	return errStale
}

// deleteOnce removes the file under the application's version, so that a
// submit that froze the file in between wins; the file's bytes go only
// once the removal is written.
func (s *Service) deleteOnce(ctx context.Context, c identity.Caller, family, id, uploadID string) error {
	cs, err := s.Get(ctx, c, family, id)
	if err != nil {
		return err
	}
	u, ok := cs.Upload(uploadID)
	if !ok {
		return errNoUpload
	}
	if !cs.App.Status.Editable() {
		return apperr.E(apperr.Conflict, "已提交的材料不能删除")
	}
	sameApp := table.Check(appKey(cs.App.ID), table.IfVersion(cs.App.Version))
	if u.Round != 0 {
		// A file of an earlier round, in a returned application: it leaves
		// the next round and stays with the round it was submitted with.
		if u.Status != UploadAccepted {
			return nil
		}
		u.Status = UploadSuperseded
		err := s.t.TransactWrite(ctx, []table.Op{sameApp, table.Put(encodeUpload(&u), table.IfAttrEquals("Status", string(UploadAccepted)))})
		var tx *table.TxCanceledError
		switch {
		case errors.As(err, &tx) && tx.Index == 0:
			return errStale
		case errors.Is(err, table.ErrConditionFailed):
			return nil // superseded meanwhile
		case err != nil:
			return fmt.Errorf("application: supersede: %w", err)
		}
		return nil
	}
	files, bytes := -1, -u.Size
	if u.Status == UploadRejected { // already taken off the quota
		files, bytes = 0, 0
	}
	err = s.changeQuota(ctx, cs.App.Party, files, bytes, sameApp,
		table.Delete(uploadKey(u.App, u.ID), table.IfAttrEquals("Round", int64(0))))
	if err != nil {
		return err
	}
	if err := s.blobs.Delete(ctx, u.BlobKey()); err != nil {
		// The file is no longer part of the draft; its bytes stay until
		// the bucket's lifecycle (pending/) or a clean-up removes them.
		s.log.WarnContext(ctx, "deleted upload's file left in storage", "upload", u.ID, "err", err.Error())
	}
	return nil
}

// DownloadURL is an upload of c's application with, once it is accepted
// (or kept with an earlier round), a short-lived link to the file; a file
// not yet checked, or refused, has no link (its status, the rows a file
// check has read so far and any reason say where it is).
func (s *Service) DownloadURL(ctx context.Context, c identity.Caller, family, id, uploadID string) (Upload, string, error) {
	cs, err := s.Get(ctx, c, family, id)
	if err != nil {
		return Upload{}, "", err
	}
	u, ok := cs.Upload(uploadID)
	if !ok {
		return Upload{}, "", errNoUpload
	}
	if u.Status != UploadAccepted && u.Status != UploadSuperseded {
		return u, "", nil
	}
	url, err := s.link(ctx, u)
	if errors.Is(err, blobs.ErrNotFound) {
		return Upload{}, "", errNoUpload
	}
	if err != nil {
		return Upload{}, "", fmt.Errorf("application: download: %w", err)
	}
	return u, url, nil
}

// progress records how many rows a file check has read, for the portal
// polling the upload while its completion runs. A lost write only delays
// what the portal shows.
func (s *Service) progress(u Upload) func(ctx context.Context, rows int) {
	return func(ctx context.Context, rows int) {
		u.Checked = rows
		if err := s.t.Put(ctx, encodeUpload(&u), table.IfAttrEquals("Status", string(UploadPending))); err != nil && !errors.Is(err, table.ErrConditionFailed) {
			s.log.WarnContext(ctx, "file check progress not recorded", "upload", u.ID, "err", err.Error())
		}
	}
}

// StaffLinks are short-lived download links of every accepted or kept file
// of a case, for the reviewer who has already been let read it.
func (s *Service) StaffLinks(ctx context.Context, cs *Case) (map[string]string, error) {
	out := map[string]string{}
	for _, u := range cs.Uploads {
		if u.Status != UploadAccepted && u.Status != UploadSuperseded {
			continue
		}
		url, err := s.link(ctx, u)
		if errors.Is(err, blobs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("application: download: %w", err)
		}
		out[u.ID] = url
	}
	return out, nil
}

// link is a download link of u: images open with their own type,
// everything else is saved, never shown.
func (s *Service) link(ctx context.Context, u Upload) (string, error) {
	if strings.HasPrefix(u.ContentType, "image/") {
		return s.blobs.PresignDownload(ctx, u.BlobKey(), DownloadExpiry)
	}
	return s.blobs.PresignAttachment(ctx, u.BlobKey(), u.FileName, DownloadExpiry)
}
