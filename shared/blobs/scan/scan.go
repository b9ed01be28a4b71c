// Package scan is the malware-scanner port for uploaded materials, with
// its two adapters, and the magic-bytes check (Sniff, Matches) that runs
// beside it.
//
// Uploads go straight from the browser to storage, so the server sees a
// file only after it is stored. Before a material is accepted it is
// scanned; a file is not usable until the scanner says Clean. The zero
// Verdict is Pending, so a verdict nobody set never lets a file through.
//
// Production uses GuardDuty: GuardDuty Malware Protection for S3 scans
// each new object in the protected bucket (or prefix) on its own, a few
// seconds to minutes after the upload, and, with tagging enabled in the
// protection plan, writes the result as the object tag
// GuardDutyMalwareScanStatus. Scan only reads that tag, so it is cheap
// to poll. The local runner and tests use Local, which needs no AWS: it
// detects the EICAR test file (what every antivirus product detects, so
// the whole rejection path can be tried end to end) and files whose
// SHA-256 is in a configured list.
package scan

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"github.com/hljhrss/hrss/shared/blobs"
)

// Verdict of a malware scan.
type Verdict int

// Verdicts. Pending is the zero value.
const (
	// Pending: not scanned yet (GuardDuty has not tagged the object);
	// ask again later.
	Pending Verdict = iota
	// Clean: scanned, no threat found.
	Clean
	// Infected: scanned, a threat was found; the file must not be used.
	Infected
	// Failed: the scanner could not scan the file (GuardDuty's
	// UNSUPPORTED, ACCESS_DENIED or FAILED, e.g. an encrypted archive);
	// the file cannot be trusted.
	Failed
)

func (v Verdict) String() string {
	switch v {
	case Pending:
		return "pending"
	case Clean:
		return "clean"
	case Infected:
		return "infected"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Label is the verdict in Chinese, for staff and applicants.
func (v Verdict) Label() string {
	switch v {
	case Pending:
		return "待检测"
	case Clean:
		return "未发现病毒"
	case Infected:
		return "发现病毒"
	case Failed:
		return "无法检测"
	}
	return "未知"
}

// Scanner scans one stored object. On error the verdict is Pending; an
// error matching blobs.ErrNotFound means the object is missing.
type Scanner interface {
	Scan(ctx context.Context, key string) (Verdict, error)
}

// GuardDutyTag is the object tag GuardDuty Malware Protection for S3
// writes its result to.
const GuardDutyTag = "GuardDutyMalwareScanStatus"

// Values of GuardDutyTag.
const (
	GuardDutyNoThreatsFound = "NO_THREATS_FOUND"
	GuardDutyThreatsFound   = "THREATS_FOUND"
	GuardDutyUnsupported    = "UNSUPPORTED"
	GuardDutyAccessDenied   = "ACCESS_DENIED"
	GuardDutyFailed         = "FAILED"
)

// GuardDuty reads the verdict GuardDuty Malware Protection for S3 left
// on the object: NO_THREATS_FOUND is Clean, THREATS_FOUND Infected, no
// tag yet Pending, and UNSUPPORTED, ACCESS_DENIED, FAILED (or a value
// this code does not know) Failed.
type GuardDuty struct {
	Blobs blobs.Store
}

var _ Scanner = GuardDuty{}

// Scan reads key's GuardDutyTag.
func (g GuardDuty) Scan(ctx context.Context, key string) (Verdict, error) {
	tags, err := g.Blobs.Tags(ctx, key)
	if err != nil {
		return Pending, fmt.Errorf("scan: guardduty: %w", err)
	}
	status, ok := tags[GuardDutyTag]
	switch {
	case !ok:
		return Pending, nil
	case status == GuardDutyNoThreatsFound:
		return Clean, nil
	case status == GuardDutyThreatsFound:
		return Infected, nil
	default:
		return Failed, nil
	}
}

// EICAR is the standard antivirus test string. A file that starts with
// it, followed by nothing but whitespace (space, tab, CR, LF, Ctrl-Z), at
// most 128 bytes in all, is the EICAR test file.
const EICAR = `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// eicarMaxLen is the longest EICAR test file.
const eicarMaxLen = 128

// IsEICAR reports whether b is the EICAR test file.
func IsEICAR(b []byte) bool {
	rest, ok := bytes.CutPrefix(b, []byte(EICAR))
	if !ok || len(b) > eicarMaxLen {
		return false
	}
	for _, c := range rest {
		if !strings.ContainsRune(" \t\r\n\x1a", rune(c)) {
			return false
		}
	}
	return true
}

// Local is the scanner for the local runner and tests: a file is
// Infected if it is the EICAR test file or its SHA-256 is in Digests, and
// Clean otherwise; it is never Pending or Failed. It reads at most 129
// bytes of the object and streams the rest through the hash (only when
// Digests is not empty).
type Local struct {
	Blobs blobs.Store
	// Digests holds the lowercase hex SHA-256 of files to treat as
	// infected (see ParseDigests).
	Digests map[string]bool
}

var _ Scanner = Local{}

// Scan scans key.
func (l Local) Scan(ctx context.Context, key string) (Verdict, error) {
	head, err := l.Blobs.Read(ctx, key, eicarMaxLen+1)
	if err != nil {
		return Pending, fmt.Errorf("scan: local: %w", err)
	}
	if IsEICAR(head) {
		return Infected, nil
	}
	if len(l.Digests) == 0 {
		return Clean, nil
	}
	d, err := l.Blobs.Digest(ctx, key)
	if err != nil {
		return Pending, fmt.Errorf("scan: local: %w", err)
	}
	if l.Digests[d] {
		return Infected, nil
	}
	return Clean, nil
}

// ParseDigests parses a list of hex SHA-256 digests separated by commas
// and/or whitespace (newlines included), as an environment variable such
// as HRSS_MALWARE_DIGESTS holds them, into the set Local.Digests takes.
// Digests are matched case-insensitively; an empty list is an empty set.
func ParseDigests(s string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		d := strings.ToLower(f)
		if b, err := hex.DecodeString(d); err != nil || len(b) != 32 {
			return nil, fmt.Errorf("scan: %q is not a hex SHA-256 digest (64 hex digits)", f)
		}
		set[d] = true
	}
	return set, nil
}
