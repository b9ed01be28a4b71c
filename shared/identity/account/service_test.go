package account_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/table"
)

// TestPasswordChangeEndsOtherSessions: changing the password keeps the
// session that changed it and ends the others; a reset ends them all.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		c1, t1, _ := e.login(t, identity.Individual, linkedID, password, "")
		_, t2, _ := e.login(t, identity.Individual, linkedID, password, "")
		if err := e.svc.ChangePassword(t.Context(), c1, "wrong", "Hrss@New2026!", account.Meta{}); fields(t, err)["oldPassword"] == "" {
			t.Errorf("wrong old password: %v", err)
		}
		if err := e.svc.ChangePassword(t.Context(), c1, password, "abcdefgh", account.Meta{}); fields(t, err)["newPassword"] == "" {
			t.Errorf("weak new password: %v", err)
		}
		if err := e.svc.ChangePassword(t.Context(), c1, password, "Hrss@New2026!", account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Sessions.Resolve(t.Context(), t1); err != nil {
			t.Errorf("the changing session ended: %v", err)
		}
		if _, err := e.svc.Sessions.Resolve(t.Context(), t2); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("the other session survived: %v", err)
		}
		if _, _, err := e.login(t, identity.Individual, linkedID, password, ""); err == nil {
			t.Error("the old password still works")
		}
		// Reset by SMS code: every session ends.
		e.clk.Advance(time.Minute)
		code := e.smsCode(t, "13800000001", account.PurposeReset)
		r := account.Reset{Kind: identity.Individual, Username: linkedID, Mobile: "13800000001", SMSCode: code, Password: "Hrss@Reset2026"}
		wrongMobile := r
		wrongMobile.Mobile = "13800000009"
		if err := e.svc.ResetPassword(t.Context(), wrongMobile, account.Meta{}); fields(t, err)["smsCode"] == "" {
			t.Errorf("reset to another mobile: %v", err)
		}
		// A new password the rule refuses does not use the code up.
		weak := r
		weak.Password = "abcdefgh"
		if err := e.svc.ResetPassword(t.Context(), weak, account.Meta{}); fields(t, err)["password"] == "" {
			t.Errorf("reset to a weak password: %v", err)
		}
		if err := e.svc.ResetPassword(t.Context(), r, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Sessions.Resolve(t.Context(), t1); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("a session survived the reset: %v", err)
		}
		if _, _, err := e.login(t, identity.Individual, linkedID, "Hrss@Reset2026", ""); err != nil {
			t.Errorf("login with the reset password: %v", err)
		}
		if err := e.svc.ResetPassword(t.Context(), r, account.Meta{}); fields(t, err)["smsCode"] == "" {
			t.Errorf("the reset code replayed: %v", err)
		}
	})
}

func TestCaptcha(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		id, ans := e.captcha(t)
		png, err := e.svc.Captchas.Image(t.Context(), id)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("image: %d bytes, %v", len(png), err)
		}
		wav, err := e.svc.Captchas.Audio(t.Context(), id)
		if err != nil || !bytes.HasPrefix(wav, []byte("RIFF")) || len(wav) < 10000 {
			t.Errorf("audio: %d bytes, %v", len(wav), err)
		}
		if err := e.svc.Captchas.Check(t.Context(), id, ans); err != nil {
			t.Errorf("right answer: %v", err)
		}
		if err := e.svc.Captchas.Check(t.Context(), id, ans); fields(t, err)["captchaAnswer"] == "" {
			t.Errorf("replay: %v", err)
		}
		// A wrong answer uses it up too.
		id, ans = e.captcha(t)
		if err := e.svc.Captchas.Check(t.Context(), id, "00000"); err == nil {
			t.Error("wrong answer accepted")
		}
		if err := e.svc.Captchas.Check(t.Context(), id, ans); err == nil {
			t.Error("right answer accepted after a wrong one")
		}
		// Expired after five minutes.
		id, ans = e.captcha(t)
		e.clk.Advance(account.CaptchaTTL)
		if err := e.svc.Captchas.Check(t.Context(), id, ans); err == nil {
			t.Error("expired captcha accepted")
		}
		if _, err := e.svc.Captchas.Image(t.Context(), "../../etc"); err == nil {
			t.Error("image of a bad id")
		}
	})
}

func TestSMSCodes(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		const m = "13700000001"
		code := e.smsCode(t, m, account.PurposeRegister)
		// One a minute.
		if err := e.svc.SMS.Send(t.Context(), m, account.PurposeRegister); apperr.CodeOf(err) != apperr.RateLimited {
			t.Errorf("second code within a minute: %v", err)
		}
		// Five wrong tries end the code, even for the right one after.
		for i := 0; i < 5; i++ {
			if err := e.svc.SMS.Check(t.Context(), m, account.PurposeRegister, "999999"); fields(t, err)["smsCode"] == "" {
				t.Fatalf("wrong try %d: %v", i, err)
			}
		}
		if err := e.svc.SMS.Check(t.Context(), m, account.PurposeRegister, code); err == nil {
			t.Error("code accepted after five wrong tries")
		}
		// Expiry after five minutes; a code of another purpose does not fit.
		e.clk.Advance(time.Minute)
		code = e.smsCode(t, m, account.PurposeRegister)
		if err := e.svc.SMS.Check(t.Context(), m, account.PurposeReset, code); err == nil {
			t.Error("register code accepted for a reset")
		}
		e.clk.Advance(account.SMSCodeTTL)
		if err := e.svc.SMS.Check(t.Context(), m, account.PurposeRegister, code); err == nil {
			t.Error("expired code accepted")
		}
		// Used once.
		code = e.smsCode(t, m, account.PurposeRegister)
		if err := e.svc.SMS.Check(t.Context(), m, account.PurposeRegister, code); err != nil {
			t.Errorf("right code: %v", err)
		}
		if err := e.svc.SMS.Check(t.Context(), m, account.PurposeRegister, code); err == nil {
			t.Error("code replayed")
		}
		// Ten a day.
		for i := 3; i < 10; i++ {
			e.clk.Advance(time.Minute)
			e.smsCode(t, m, account.PurposeRegister)
		}
		e.clk.Advance(time.Minute)
		if err := e.svc.SMS.Send(t.Context(), m, account.PurposeRegister); apperr.CodeOf(err) != apperr.RateLimited || !strings.Contains(apperr.As(err).Message, "10次") {
			t.Errorf("eleventh code of the day: %v", err)
		}
		if err := e.svc.SMS.Send(t.Context(), "13700000002", "login"); fields(t, err)["purpose"] == "" {
			t.Errorf("unknown purpose: %v", err)
		}
	})
}

func TestCheckPassword(t *testing.T) {
	for pw, want := range map[string]string{
		"Hrss@Test2026":            "",
		"abc":                      "密码至少8位",
		strings.Repeat("Aa1!", 17): "密码不能超过64位",
		"abcdefgh":                 "至少三类",
		"ABCDEFG1":                 "至少三类",
		"Abcdefgh":                 "至少三类",
		"P@ssw0rd":                 "过于常见",
		"Abc@123456":               "过于常见",
		"Woaini@1314":              "过于常见",
		"Aa" + linkedID:            "证件号码或手机号码",
		"Aa!13800000001":           "证件号码或手机号码",
		"长城长城Aa1!":                 "",
		"Tab\there1A":              "控制字符",
	} {
		err := account.CheckPassword("password", pw, linkedID, "13800000001")
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", pw, err)
		case want != "" && (err == nil || !strings.Contains(apperr.As(err).Fields["password"], want)):
			t.Errorf("%q: %v, want %q", pw, err, want)
		}
	}
}

// BenchmarkHashPassword measures one argon2id hash with PasswordParams.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := account.HashPassword("Hrss@Bench2026"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLogoutIsAudited: the audit record of a logout names the account.
func TestLogoutIsAudited(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		c, _, err := e.login(t, identity.Individual, linkedID, password, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Logout(t.Context(), c, account.Meta{RequestID: "req-logout"}); err != nil {
			t.Fatal(err)
		}
		page, err := e.st.Query(t.Context(), table.Query{PK: "AUDIT#" + day.Format("20060102")})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range page.Items {
			if it.String("Action") == identity.ActionLogout {
				found = true
				if it.String("Actor") != c.AccountID || it.String("Role") != string(identity.RoleIndividual) || it.String("RequestID") != "req-logout" {
					t.Errorf("logout record %v, want actor %s", it, c.AccountID)
				}
			}
		}
		if !found {
			t.Error("no audit record of the logout")
		}
	})
}
