package application

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// The 回执单 of a submission: what it shows (ReceiptInfo; the PDF is made
// by the receipts function, the review workflow's first step), where it is
// stored, and the signature of its verification link, which anyone may
// open: it shows the business, the status and the date, no personal data.

// ReceiptKey is where the receipt PDF of a round is stored in the bucket.
func ReceiptKey(id string, round int) string { return fmt.Sprintf("receipts/%s/r%d.pdf", id, round) }

// ReceiptInfo is what a receipt shows.
type ReceiptInfo struct {
	Title      string
	Reference  string
	Business   string
	Applicant  string
	IDMasked   string
	Unit       string
	UnitNumber string
	Submitted  time.Time
	Round      int
	Materials  []string
	Columns    []string
	Rows       [][]string
	Totals     [][2]string
	Promise    string
}

// Promise is the manual's 48-hour promise (提交成功).
const Promise = "工作人员会在48小时之内处理，请耐心等待。"

// StartReceipt is the first task of the review execution of round of
// application id (GenerateReceipt), from one read of the application: the
// execution runs, so the round's unstarted marker goes and the sweep does
// not start it again (a marker of a round no longer current is left to
// the sweep, which drops it); and it returns what the round's receipt
// shows, from its snapshot.
func (s *Service) StartReceipt(ctx context.Context, id string, round int) (ReceiptInfo, error) {
	cs, err := load(ctx, s.t, id)
	if errors.Is(err, errNoApp) {
		return ReceiptInfo{}, ErrNotFound
	}
	if err != nil {
		return ReceiptInfo{}, err
	}
	if cs.App.Round == round {
		s.clearUnstarted(ctx, cs.App)
	}
	return s.receiptInfo(cs, round)
}

// receiptInfo is what the receipt of round of cs shows.
func (s *Service) receiptInfo(cs *Case, round int) (ReceiptInfo, error) {
	var snap *Snapshot
	for i := range cs.Snapshots {
		if cs.Snapshots[i].Round == round {
			snap = &cs.Snapshots[i]
		}
	}
	if snap == nil {
		return ReceiptInfo{}, ErrNotFound
	}
	b, err := s.business("", cs.App.Business)
	if err != nil {
		return ReceiptInfo{}, err
	}
	f := snap.Fields
	r := ReceiptInfo{Title: b.Receipt(), Reference: snap.Reference, Business: b.Name, Submitted: snap.Submitted, Round: round,
		Applicant: first(f, "name", "applicantName", "agentName"), Unit: f["unitName"], UnitNumber: f["unitNumber"], Promise: Promise}
	if r.Applicant == "" && cs.App.UserType == catalog.Enterprise {
		r.Applicant = r.Unit
	}
	if id := first(f, "idNumber", "socialSecurityNumber"); id != "" {
		r.IDMasked = checks.MaskID(id)
	}
	for _, m := range snap.Materials {
		r.Materials = append(r.Materials, m.Material+"（"+m.FileName+"）")
	}
	if l := snap.Ledger; l != nil {
		r.Columns = append([]string{"费款所属期"}, l.Columns...)
		for _, row := range l.Rows {
			r.Rows = append(r.Rows, append([]string{row.Period}, row.Cells...))
		}
		for _, t := range l.Totals {
			r.Totals = append(r.Totals, [2]string{t.Label, t.Value})
		}
	}
	return r, nil
}

func first(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(m[k]); v != "" {
			return v
		}
	}
	return ""
}

// ReceiptSigner signs and checks receipts' verification links.
type ReceiptSigner struct{ key []byte }

// NewReceiptSigner derives the signing key from the deployment's secret
// (the ID hash key), separated from its other uses.
func NewReceiptSigner(secret []byte) ReceiptSigner {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("hrss/receipt-verify/v1"))
	return ReceiptSigner{key: m.Sum(nil)}
}

// Sign returns the signature of a reference (the s= of the link).
func (r ReceiptSigner) Sign(reference string) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(strings.ToUpper(reference)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// Valid reports whether sig is the signature of reference.
func (r ReceiptSigner) Valid(reference, sig string) bool {
	return hmac.Equal([]byte(r.Sign(reference)), []byte(sig))
}

// VerifyPath is the public verification route of a reference.
func VerifyPath(reference, sig string) string {
	return "/api/v1/receipts/verify/" + reference + "?s=" + sig
}

// Verification is what the public verification page shows: nothing
// personal.
type Verification struct {
	Genuine   bool      `json:"genuine"`
	Message   string    `json:"message"`
	Reference string    `json:"reference,omitempty"`
	Business  string    `json:"business,omitempty"`
	Status    string    `json:"status,omitempty"`
	Submitted time.Time `json:"submittedAt,omitzero"`
	Updated   time.Time `json:"updatedAt,omitzero"`
}

// Verify checks a receipt's verification link: a wrong signature, or one
// for no application, is not genuine.
func (s *Service) Verify(ctx context.Context, signer ReceiptSigner, reference, sig string) (Verification, error) {
	fake := Verification{Message: "回执单核验未通过：该回执单不是本平台出具的，或已被篡改。"}
	reference = strings.ToUpper(strings.TrimSpace(reference))
	if reference == "" || len(reference) > 40 || !table.ValidKeyPart(reference) || !signer.Valid(reference, sig) {
		return fake, nil
	}
	it, err := s.t.Get(ctx, refKey(reference))
	if errors.Is(err, table.ErrNotFound) {
		return fake, nil
	}
	if err != nil {
		return Verification{}, fmt.Errorf("application: verify: %w", err)
	}
	cs, err := load(ctx, s.t, it.String("App"))
	if errors.Is(err, errNoApp) {
		return fake, nil
	}
	if err != nil {
		return Verification{}, err
	}
	a := cs.App
	b, err := s.business("", a.Business)
	if err != nil {
		return Verification{}, err
	}
	return Verification{Genuine: true, Message: "回执单真实有效：该回执单由黑龙江省人力资源和社会保障公共服务平台出具。",
		Reference: reference, Business: b.Name, Status: a.Status.Label(), Submitted: a.Submitted, Updated: a.Updated}, nil
}

// ReceiptFor checks that c may print the receipt of application id and
// returns the key of its current round's receipt.
func (s *Service) ReceiptFor(ctx context.Context, c identity.Caller, id string) (string, *Case, error) {
	cs, err := s.Get(ctx, c, "", id)
	if err != nil {
		return "", nil, err
	}
	if cs.App.Round == 0 {
		return "", nil, apperr.E(apperr.Conflict, "该申请尚未提交，没有回执单")
	}
	return ReceiptKey(cs.App.ID, cs.App.Round), cs, nil
}
