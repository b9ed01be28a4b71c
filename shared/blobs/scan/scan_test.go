package scan_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/blobstest"
	"github.com/hljhrss/hrss/shared/blobs/diskblobs"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/clock"
)

// newStore returns a diskblobs store and a function storing data under
// key through a presigned upload, as the browser does.
func newStore(t *testing.T) (*diskblobs.Store, func(key string, data []byte)) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s, err := diskblobs.New(t.TempDir(), srv.URL, []byte("0123456789abcdef-scan-secret"), clock.Frozen(time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mux.Handle(diskblobs.Prefix, s.Handler())
	put := func(key string, data []byte) {
		t.Helper()
		post, err := s.PresignUpload(t.Context(), blobs.UploadPolicy{Key: key, ContentType: "application/octet-stream", MinSize: 1, MaxSize: 10 << 20, Expires: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if status, body, err := blobstest.Upload(t.Context(), srv.Client(), post, data); err != nil || status != http.StatusNoContent {
			t.Fatalf("upload %q: %d %v %s", key, status, err, body)
		}
	}
	return s, put
}

func TestEICAR(t *testing.T) {
	// The published SHA-256 of the 68-byte eicar.com.
	sum := sha256.Sum256([]byte(scan.EICAR))
	if len(scan.EICAR) != 68 || hex.EncodeToString(sum[:]) != "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f" {
		t.Fatalf("EICAR is not the standard test string (%d bytes, sha256 %x)", len(scan.EICAR), sum)
	}
	for name, tc := range map[string]struct {
		data string
		want bool
	}{
		"exact":                     {scan.EICAR, true},
		"with CRLF":                 {scan.EICAR + "\r\n", true},
		"with Ctrl-Z and tab":       {scan.EICAR + "\x1a\t ", true},
		"padded to 128 bytes":       {scan.EICAR + strings.Repeat(" ", 60), true},
		"padded to 129 bytes":       {scan.EICAR + strings.Repeat(" ", 61), false},
		"followed by other content": {scan.EICAR + "x", false},
		"not at the start":          {" " + scan.EICAR, false},
		"truncated":                 {scan.EICAR[:67], false},
		"empty":                     {"", false},
	} {
		if got := scan.IsEICAR([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: IsEICAR = %v, want %v", name, got, tc.want)
		}
	}
}

func TestLocal(t *testing.T) {
	store, put := newStore(t)
	bad := []byte("%PDF-1.7 a file someone reported as malicious")
	badSum := sha256.Sum256(bad)
	put("m/eicar.com", []byte(scan.EICAR+"\r\n"))
	put("m/eicar-long.txt", []byte(scan.EICAR+strings.Repeat(" ", 61)))
	put("m/bad.pdf", bad)
	put("m/good.pdf", []byte("%PDF-1.7 a fine document"))
	put("m/big.bin", make([]byte, 10<<20))
	digests, err := scan.ParseDigests(strings.ToUpper(hex.EncodeToString(badSum[:])) + ",\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []scan.Local{{Blobs: store}, {Blobs: store, Digests: digests}} {
		for key, want := range map[string]scan.Verdict{
			"m/eicar.com":      scan.Infected,
			"m/eicar-long.txt": scan.Clean,
			"m/bad.pdf":        map[bool]scan.Verdict{true: scan.Infected, false: scan.Clean}[len(l.Digests) > 0],
			"m/good.pdf":       scan.Clean,
			"m/big.bin":        scan.Clean,
		} {
			if got, err := l.Scan(t.Context(), key); err != nil || got != want {
				t.Errorf("Scan(%q) with %d digests = %v, %v; want %v", key, len(l.Digests), got, err, want)
			}
		}
		if v, err := l.Scan(t.Context(), "m/none"); !errors.Is(err, blobs.ErrNotFound) || v != scan.Pending {
			t.Errorf("Scan of a missing key = %v, %v; want Pending, ErrNotFound", v, err)
		}
	}
}

func TestGuardDuty(t *testing.T) {
	store, put := newStore(t)
	key := "pending/a.pdf"
	put(key, []byte("%PDF-1.7 scanned by GuardDuty"))
	g := scan.GuardDuty{Blobs: store}
	if v, err := g.Scan(t.Context(), key); err != nil || v != scan.Pending {
		t.Errorf("Scan before GuardDuty tagged = %v, %v; want Pending", v, err)
	}
	for status, want := range map[string]scan.Verdict{
		scan.GuardDutyNoThreatsFound: scan.Clean,
		scan.GuardDutyThreatsFound:   scan.Infected,
		scan.GuardDutyUnsupported:    scan.Failed,
		scan.GuardDutyAccessDenied:   scan.Failed,
		scan.GuardDutyFailed:         scan.Failed,
		"SOMETHING_NEW":              scan.Failed,
	} {
		if err := store.SetTags(key, map[string]string{scan.GuardDutyTag: status, "other": "x"}); err != nil {
			t.Fatal(err)
		}
		if v, err := g.Scan(t.Context(), key); err != nil || v != want {
			t.Errorf("Scan with %s = %v, %v; want %v", status, v, err, want)
		}
	}
	if err := store.SetTags(key, map[string]string{"other": "x"}); err != nil {
		t.Fatal(err)
	}
	if v, err := g.Scan(t.Context(), key); err != nil || v != scan.Pending {
		t.Errorf("Scan with other tags only = %v, %v; want Pending", v, err)
	}
	if v, err := g.Scan(t.Context(), "pending/none.pdf"); !errors.Is(err, blobs.ErrNotFound) || v != scan.Pending {
		t.Errorf("Scan of a missing key = %v, %v; want Pending, ErrNotFound", v, err)
	}
}

func TestParseDigests(t *testing.T) {
	a := strings.Repeat("ab", 32)
	b := strings.Repeat("0F", 32)
	got, err := scan.ParseDigests(" " + a + ",\n" + b + "\r\n,," + a + "\t")
	if err != nil || len(got) != 2 || !got[a] || !got[strings.ToLower(b)] {
		t.Errorf("ParseDigests = %v, %v", got, err)
	}
	if got, err := scan.ParseDigests(" \n "); err != nil || got == nil || len(got) != 0 {
		t.Errorf("ParseDigests(blank) = %v, %v; want an empty set", got, err)
	}
	for _, bad := range []string{"abc", a + "00", strings.Repeat("zz", 32), a + ";" + b} {
		if _, err := scan.ParseDigests(bad); err == nil {
			t.Errorf("ParseDigests(%q) succeeded, want an error", bad)
		}
	}
}

func TestVerdictStrings(t *testing.T) {
	if scan.Verdict(0) != scan.Pending {
		t.Error("the zero Verdict must be Pending")
	}
	for v, want := range map[scan.Verdict][2]string{
		scan.Pending:    {"pending", "待检测"},
		scan.Clean:      {"clean", "未发现病毒"},
		scan.Infected:   {"infected", "发现病毒"},
		scan.Failed:     {"failed", "无法检测"},
		scan.Verdict(9): {"Verdict(9)", "未知"},
	} {
		if v.String() != want[0] || v.Label() != want[1] {
			t.Errorf("%d: String %q, Label %q; want %q", int(v), v.String(), v.Label(), want)
		}
	}
}
