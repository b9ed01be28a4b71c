package account_test

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

var repID = idNumber("230902", "19660718", "015")

func phoneURL(id string) (string, error) { return "http://phone.test/qr/" + id, nil }

// registerUnit registers the fixture's unit with 陈国栋 as its legal
// representative.
func (e env) registerUnit(t *testing.T) account.Account {
	t.Helper()
	reg := account.UnitRegistration{CreditCode: linkedUSCC, UnitName: unitName, LegalRepName: "陈国栋", LegalRepIDNumber: repID,
		AgentName: "王建军", AgentIDNumber: linkedID, Mobile: "13900000001", Password: password}
	reg.SMSCode = e.smsCode(t, reg.Mobile, account.PurposeRegister)
	a, err := e.svc.RegisterUnit(t.Context(), reg, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (e env) startQR(t *testing.T, kind identity.Kind) account.QR {
	t.Helper()
	q, err := e.svc.StartQR(t.Context(), kind, phoneURL, account.Meta{Address: "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func (e env) poll(t *testing.T, q account.QR) (string, identity.Caller, string) {
	t.Helper()
	state, c, token, err := e.svc.PollQR(t.Context(), q.ID, q.Secret, account.Meta{Address: "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	if (token != "") != (state == account.QRConfirmed) {
		t.Fatalf("state %s with token %q", state, token)
	}
	return state, c, token
}

func TestQRLoginIndividual(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		q := e.startQR(t, identity.Individual)
		if q.Content != "http://phone.test/qr/"+q.ID || len(q.ID) != 32 || len(q.Secret) != 32 {
			t.Fatalf("qr %+v", q)
		}
		img, err := png.Decode(bytes.NewReader(q.PNG))
		if err != nil || img.Bounds().Dx() < 200 {
			t.Fatalf("qr image: %v", err)
		}
		if s, _, _ := e.poll(t, q); s != account.QRPending {
			t.Errorf("before the scan: %s", s)
		}
		// Confirming before a scan is refused.
		if err := e.svc.ConfirmQR(t.Context(), q.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("confirm before scan: %v", err)
		}
		if err := e.svc.ScanQR(t.Context(), q.ID, linkedID); err != nil {
			t.Fatal(err)
		}
		if s, _, _ := e.poll(t, q); s != account.QRScanned {
			t.Errorf("after the scan: %s", s)
		}
		// A second scan (someone else's phone) is refused.
		if err := e.svc.ScanQR(t.Context(), q.ID, unlinkedID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("second scan: %v", err)
		}
		if err := e.svc.ConfirmQR(t.Context(), q.ID); err != nil {
			t.Fatal(err)
		}
		// Who only saw the code (its id, not the browser's secret) learns
		// nothing and gets no session.
		state, _, token, err := e.svc.PollQR(t.Context(), q.ID, "0123456789abcdef0123456789abcdef", account.Meta{})
		if err != nil || state != account.QRExpired || token != "" {
			t.Errorf("poll without the secret: %s %q %v", state, token, err)
		}
		s, c, token := e.poll(t, q)
		if s != account.QRConfirmed || c.Kind != identity.Individual || c.PersonNumber != personNo || !c.Has(identity.RoleIndividual) {
			t.Fatalf("confirmed: %s %+v", s, c)
		}
		if got, err := e.svc.Sessions.Resolve(t.Context(), token); err != nil || got.AccountID != c.AccountID {
			t.Errorf("the session resolves to %+v, %v", got, err)
		}
		// The code logs in once.
		if s, _, _ := e.poll(t, q); s != account.QRExpired {
			t.Errorf("second poll after login: %s", s)
		}
	})
}

func TestQRLoginEnterprise(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		a := e.registerUnit(t)
		q := e.startQR(t, identity.Enterprise)
		// The agent is not the legal representative.
		if err := e.svc.ScanQR(t.Context(), q.ID, linkedID); apperr.CodeOf(err) != apperr.NotFound || !hasHan(err.Error()) {
			t.Errorf("scan by someone who represents no unit: %v", err)
		}
		if err := e.svc.ScanQR(t.Context(), q.ID, repID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ConfirmQR(t.Context(), q.ID); err != nil {
			t.Fatal(err)
		}
		s, c, _ := e.poll(t, q)
		if s != account.QRConfirmed || c.Kind != identity.Enterprise || c.UnitNumber != unitNo || c.AccountID != a.ID(e.svc.Keys()) {
			t.Errorf("confirmed: %s %+v", s, c)
		}
	})
}

func TestQRRefusals(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.svc.StartQR(t.Context(), identity.Staff, phoneURL, account.Meta{}); fields(t, err)["userType"] == "" {
			t.Errorf("staff QR: %v", err)
		}
		// A person without an account cannot scan in.
		q := e.startQR(t, identity.Individual)
		if err := e.svc.ScanQR(t.Context(), q.ID, unlinkedID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("scan without an account: %v", err)
		}
		// Unknown and malformed ids.
		for _, id := range []string{"", "x", "../../etc", "0123456789abcdef0123456789abcdef"} {
			if err := e.svc.ScanQR(t.Context(), id, linkedID); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("scan %q: %v", id, err)
			}
			if s, _, _, err := e.svc.PollQR(t.Context(), id, q.Secret, account.Meta{}); s != account.QRExpired || err != nil {
				t.Errorf("poll %q: %s %v", id, s, err)
			}
		}
		// A code expires after QRTTL.
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		q = e.startQR(t, identity.Individual)
		if err := e.svc.ScanQR(t.Context(), q.ID, linkedID); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(account.QRTTL)
		if err := e.svc.ConfirmQR(t.Context(), q.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("confirm after expiry: %v", err)
		}
		if s, _, _ := e.poll(t, q); s != account.QRExpired {
			t.Errorf("poll after expiry: %s", s)
		}
		// Starting codes counts against the address's login throttle.
		var err error
		for i := 0; i < 100 && err == nil; i++ {
			_, err = e.svc.StartQR(t.Context(), identity.Individual, phoneURL, account.Meta{Address: "198.51.100.9"})
		}
		if apperr.CodeOf(err) != apperr.RateLimited {
			t.Errorf("100 codes from one address: %v", err)
		}
	})
}
