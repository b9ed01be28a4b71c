package account_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

func TestRegisterPerson(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		a, err := e.registerPerson(t, linkedName, linkedID, "13800000001")
		if err != nil {
			t.Fatal(err)
		}
		if a.PersonNumber != personNo || a.Kind != identity.Individual || !a.Caller(e.svc.Keys()).Has(identity.RoleIndividual) {
			t.Errorf("linked account %+v", a)
		}
		if strings.Contains(a.ID(e.svc.Keys()), linkedID) {
			t.Error("the account id holds the ID number")
		}
		// A second account for the same ID number.
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000002"); apperr.CodeOf(err) != apperr.Conflict || !hasHan(apperr.As(err).Message) {
			t.Errorf("second registration: %v", err)
		}
		// A person not in the ledger registers unlinked.
		u, err := e.registerPerson(t, "李四", unlinkedID, "13800000003")
		if err != nil || u.PersonNumber != "" {
			t.Errorf("unlinked registration: %+v, %v", u, err)
		}
		// The ledger's name must agree.
		if _, err := e.registerPerson(t, "王健军", linkedID, "13800000004"); fields(t, err)["name"] == "" {
			t.Errorf("name mismatch: %v", err)
		}
	})
}

func TestRegisterPersonRefusesBadInput(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		bad := linkedID[:17] + "0"
		if bad == linkedID {
			bad = linkedID[:17] + "1"
		}
		_, err := e.svc.RegisterPerson(t.Context(), account.PersonRegistration{Name: "", IDNumber: bad, Mobile: "12345", Password: "abc"}, account.Meta{})
		f := fields(t, err)
		for _, k := range []string{"name", "idNumber", "mobile", "password"} {
			if !hasHan(f[k]) {
				t.Errorf("no Chinese error on %s: %v", k, f)
			}
		}
		// A wrong SMS code.
		e.smsCode(t, "13800000009", account.PurposeRegister)
		_, err = e.svc.RegisterPerson(t.Context(), account.PersonRegistration{Name: linkedName, IDNumber: linkedID, Mobile: "13800000009", SMSCode: "000000", Password: password}, account.Meta{})
		if fields(t, err)["smsCode"] == "" {
			t.Errorf("wrong code: %v", err)
		}
		// Without a right code, the answer tells nothing of the ledger: the
		// same for a person in it under another name, under the right name,
		// and not in it.
		var answers []string
		for _, p := range [][2]string{{"王健军", linkedID}, {linkedName, linkedID}, {"李四", unlinkedID}} {
			_, err := e.svc.RegisterPerson(t.Context(), account.PersonRegistration{Name: p[0], IDNumber: p[1], Mobile: "13800000008", SMSCode: "000000", Password: password}, account.Meta{})
			answers = append(answers, fmt.Sprint(apperr.As(err).Fields))
		}
		if answers[0] != answers[1] || answers[1] != answers[2] {
			t.Errorf("registration without a code tells the ledger apart: %q", answers)
		}
	})
}

func TestRegisterUnit(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		reg := account.UnitRegistration{CreditCode: linkedUSCC, UnitName: unitName, LegalRepName: "陈国栋", LegalRepIDNumber: idNumber("230902", "19660718", "015"),
			AgentName: "王建军", AgentIDNumber: linkedID, Mobile: "13900000001", Password: password}
		reg.SMSCode = e.smsCode(t, reg.Mobile, account.PurposeRegister)
		a, err := e.svc.RegisterUnit(t.Context(), reg, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^9\d{9}$`).MatchString(a.Username) || a.UnitNumber != unitNo || !a.Caller(e.svc.Keys()).Has(identity.RoleAgent) {
			t.Errorf("account %+v", a)
		}
		// The enterprise logs in with the issued 账号 ID, and the account
		// keeps who registered it (经办人姓名 and 证件号码).
		c, _, err := e.login(t, identity.Enterprise, a.Username, password, "")
		if err != nil {
			t.Fatalf("login with the issued account ID: %v", err)
		}
		if stored, err := e.svc.Account(t.Context(), c); err != nil || stored.AgentName != "王建军" || stored.IDNumber != linkedID {
			t.Errorf("stored account: agent %q, ID number kept %v (%v)", stored.AgentName, stored.IDNumber == linkedID, err)
		}
		// One account per credit code.
		e.clk.Advance(2 * 60e9)
		reg.SMSCode = e.smsCode(t, reg.Mobile, account.PurposeRegister)
		if _, err := e.svc.RegisterUnit(t.Context(), reg, account.Meta{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("second registration of the unit: %v", err)
		}
		// The name registered with the credit code must agree.
		e.clk.Advance(2 * 60e9)
		reg.UnitName = "别的公司"
		reg.SMSCode = e.smsCode(t, reg.Mobile, account.PurposeRegister)
		if _, err := e.svc.RegisterUnit(t.Context(), reg, account.Meta{}); fields(t, err)["unitName"] == "" {
			t.Errorf("name mismatch: %v", err)
		}
		_, err = e.svc.RegisterUnit(t.Context(), account.UnitRegistration{CreditCode: "91230902MA1AB3C7X0"}, account.Meta{})
		for _, k := range []string{"uscc", "unitName", "legalRepName", "legalRepIdNumber", "agentName", "agentIdNumber", "mobile", "password"} {
			if fields(t, err)[k] == "" {
				t.Errorf("no error on %s", k)
			}
		}
	})
}

// TestResetUnitPasswordTellsNothing: a unit's new password may not hold
// its agent's or legal representative's ID number, but only a requester
// with the right SMS code learns that: without it, the answer is the same
// for an account that exists and one that does not.
func TestResetUnitPasswordTellsNothing(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		a := e.registerUnit(t)
		withID := "Hrss@" + repID
		var answers []string
		for _, username := range []string{a.Username, "9000000001"} {
			r := account.Reset{Kind: identity.Enterprise, Username: username, Mobile: a.Mobile, SMSCode: "000000", Password: withID}
			answers = append(answers, fmt.Sprint(apperr.As(e.svc.ResetPassword(t.Context(), r, account.Meta{})).Fields))
		}
		if answers[0] != answers[1] || !strings.Contains(answers[0], "smsCode") {
			t.Errorf("a wrong code tells accounts apart: %q", answers)
		}
		e.clk.Advance(2 * time.Minute)
		r := account.Reset{Kind: identity.Enterprise, Username: a.Username, Mobile: a.Mobile, Password: withID}
		r.SMSCode = e.smsCode(t, a.Mobile, account.PurposeReset)
		if msg := fields(t, e.svc.ResetPassword(t.Context(), r, account.Meta{}))["password"]; !strings.Contains(msg, "证件号码") || !strings.Contains(msg, "重新获取短信验证码") {
			t.Errorf("password with the representative's ID number: %q", msg)
		}
		e.clk.Advance(2 * time.Minute)
		r.Password, r.SMSCode = "Hrss@Reset2026", e.smsCode(t, a.Mobile, account.PurposeReset)
		if err := e.svc.ResetPassword(t.Context(), r, account.Meta{}); err != nil {
			t.Fatal(err)
		}
	})
}
