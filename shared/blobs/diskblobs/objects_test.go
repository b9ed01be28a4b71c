package diskblobs_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/blobstest"
	"github.com/hljhrss/hrss/shared/blobs/diskblobs"
)

func (e env) put(t *testing.T, key string, data []byte) {
	t.Helper()
	post, err := e.store.PresignUpload(t.Context(), pdfPolicy(key))
	if err != nil {
		t.Fatal(err)
	}
	if status, body, err := blobstest.Upload(t.Context(), e.srv.Client(), post, data); err != nil || status != 204 {
		t.Fatalf("upload %q: %d %v %s", key, status, err, body)
	}
}

func exists(t *testing.T, name string) bool {
	t.Helper()
	_, err := os.Stat(name)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

func TestMoveOnDisk(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.put(t, "pending/a.pdf", []byte("%PDF-1.7 on disk"))
	if err := e.store.SetTags("pending/a.pdf", map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Move(ctx, "pending/a.pdf", "materials/new/dir/a.pdf"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"objects/pending/a.pdf", "meta/pending/a.pdf.json"} {
		if exists(t, filepath.Join(e.dir, name)) {
			t.Errorf("%s left behind after Move", name)
		}
	}
	for _, name := range []string{"objects/materials/new/dir/a.pdf", "meta/materials/new/dir/a.pdf.json"} {
		if !exists(t, filepath.Join(e.dir, name)) {
			t.Errorf("%s missing after Move", name)
		}
	}
	tmpEmpty(t, e.dir)
}

func TestMoveToBlockedKeyKeepsSource(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.put(t, "materials/a.pdf", []byte("%PDF-1.7 blocker"))
	e.put(t, "pending/b.pdf", []byte("%PDF-1.7 source"))
	// "materials/a.pdf" is an object, so nothing can live below it.
	err := e.store.Move(ctx, "pending/b.pdf", "materials/a.pdf/b.pdf")
	if err == nil || errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("Move below an object: err = %v, want another error", err)
	}
	if got, err := e.store.Read(ctx, "pending/b.pdf", 64); err != nil || string(got) != "%PDF-1.7 source" {
		t.Errorf("source after failed Move = %q, %v", got, err)
	}
	tmpEmpty(t, e.dir)
}

func TestSetTags(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	key := "pending/a.pdf"
	if err := e.store.SetTags(key, map[string]string{"k": "v"}); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("SetTags on a missing key: err = %v, want ErrNotFound", err)
	}
	e.put(t, key, []byte("%PDF-1.7 tagged"))
	many := map[string]string{}
	for i := range 11 {
		many[fmt.Sprint("k", i)] = "v"
	}
	for name, tags := range map[string]map[string]string{"11 tags": many, "empty key": {"": "v"}} {
		if err := e.store.SetTags(key, tags); err == nil {
			t.Errorf("SetTags with %s succeeded, want an error", name)
		}
	}
	if err := e.store.SetTags(key, map[string]string{"GuardDutyMalwareScanStatus": "THREATS_FOUND"}); err != nil {
		t.Fatal(err)
	}
	if info, err := e.store.Head(ctx, key); err != nil || info.Size != int64(len("%PDF-1.7 tagged")) || info.ContentType != pdf {
		t.Errorf("Head after SetTags = %+v, %v", info, err)
	}
	if err := e.store.SetTags(key, nil); err != nil {
		t.Fatal(err)
	}
	if tags, err := e.store.Tags(ctx, key); err != nil || len(tags) != 0 {
		t.Errorf("Tags after clearing = %v, %v", tags, err)
	}
	// A new upload to the key is a new object, without the old tags.
	if err := e.store.SetTags(key, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	e.put(t, key, []byte("%PDF-1.7 replaced"))
	if tags, err := e.store.Tags(ctx, key); err != nil || len(tags) != 0 {
		t.Errorf("Tags after a new upload = %v, %v; want none", tags, err)
	}
	tmpEmpty(t, e.dir)
}

func TestObjectOpsCheckKeys(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.put(t, "materials/a.pdf", []byte("%PDF-1.7 good"))
	for _, key := range []string{"", "/etc/passwd", "../x", "a/../../x", `a\b`} {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			for op, err := range map[string]error{
				"Read":      second(e.store.Read(ctx, key, 8)),
				"Digest":    second(e.store.Digest(ctx, key)),
				"Tags":      second(e.store.Tags(ctx, key)),
				"SetTags":   e.store.SetTags(key, nil),
				"Move from": e.store.Move(ctx, key, "materials/b.pdf"),
				"Move to":   e.store.Move(ctx, "materials/a.pdf", key),
				"Put":       e.store.Put(ctx, key, pdf, []byte("%PDF")),
				"Get":       third(e.store.Get(ctx, key, 8)),
			} {
				if !errors.Is(err, diskblobs.ErrInvalidKey) {
					t.Errorf("%s: err = %v, want ErrInvalidKey", op, err)
				}
			}
		})
	}
	if _, err := e.store.Head(ctx, "materials/a.pdf"); err != nil {
		t.Errorf("Head after refused moves: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

// TestPutOnDisk checks that Put lays an object out as an upload does (bytes
// under objects/, content type in meta/, nothing left in tmp/) and that it
// is there after the store is opened again.
func TestPutOnDisk(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	key := "receipts/a1/回执.json"
	data := []byte(`{"status":"accepted"}`)
	ct := "application/json; charset=utf-8"
	if err := e.store.Put(ctx, key, ct, data); err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile(filepath.Join(e.dir, "objects", filepath.FromSlash(key)))
	if err != nil || !bytes.Equal(onDisk, data) {
		t.Errorf("object file = %q, %v; want %q", onDisk, err, data)
	}
	metaFile, err := os.ReadFile(filepath.Join(e.dir, "meta", filepath.FromSlash(key)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ContentType string `json:"contentType"`
		Size        int64  `json:"size"`
	}
	if err := json.Unmarshal(metaFile, &m); err != nil || m.ContentType != ct || m.Size != int64(len(data)) {
		t.Errorf("metadata = %s, %v; want content type %q, size %d", metaFile, err, ct, len(data))
	}
	tmpEmpty(t, e.dir)

	again, err := diskblobs.New(e.dir, e.srv.URL, secret, e.clk)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	got, info, err := again.Get(ctx, key, 1024)
	if err != nil || !bytes.Equal(got, data) || info != (blobs.Info{Size: int64(len(data)), ContentType: ct}) {
		t.Errorf("Get after reopening = %q, %+v, %v", got, info, err)
	}
}

// TestPutBelowAnObjectFails checks that a Put no directory can hold fails
// cleanly: an error other than ErrNotFound, nothing left in tmp/.
func TestPutBelowAnObjectFails(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	if err := e.store.Put(ctx, "receipts/a.pdf", pdf, []byte("%PDF-1.7")); err != nil {
		t.Fatal(err)
	}
	err := e.store.Put(ctx, "receipts/a.pdf/b.pdf", pdf, []byte("%PDF-1.7"))
	if err == nil || errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("Put below an object: err = %v, want another error", err)
	}
	if _, _, err := e.store.Get(ctx, "receipts/a.pdf/b.pdf", 64); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("Get below an object: err = %v, want ErrNotFound", err)
	}
	tmpEmpty(t, e.dir)
}
