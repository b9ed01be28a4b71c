package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

func TestLogin(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		c, token, err := e.login(t, identity.Individual, linkedID, password, "")
		if err != nil || c.PersonNumber != personNo || len(token) < 40 {
			t.Fatalf("login = %+v, %v", c, err)
		}
		got, err := e.svc.Sessions.Resolve(t.Context(), token)
		if err != nil || got.AccountID != c.AccountID || got.PersonNumber != personNo {
			t.Errorf("session resolves to %+v, %v", got, err)
		}
		// The 15-digit form of the number is upgraded.
		old15 := linkedID[:6] + linkedID[8:17]
		if _, _, err := e.login(t, identity.Individual, old15, password, ""); err != nil {
			t.Errorf("15-digit username: %v", err)
		}
		// An unknown username and a wrong password get the same answer.
		_, _, wrong := e.login(t, identity.Individual, linkedID, "Wrong@Pass1", "")
		_, _, unknown := e.login(t, identity.Individual, unlinkedID, password, "")
		if a, b := apperr.As(wrong), apperr.As(unknown); a.Code != apperr.Unauthenticated || a.Code != b.Code || a.Message != b.Message {
			t.Errorf("wrong password %v, unknown user %v", wrong, unknown)
		}
		// The captcha is required, and used up.
		id, ans := e.captcha(t)
		cred := account.Credentials{Kind: identity.Individual, Username: linkedID, Password: password, CaptchaID: id, CaptchaAnswer: ans}
		if _, _, err := e.svc.Login(t.Context(), cred, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Login(t.Context(), cred, account.Meta{}); fields(t, err)["captchaAnswer"] == "" {
			t.Errorf("captcha replayed: %v", err)
		}
		if _, _, err := e.login(t, "robot", linkedID, password, ""); fields(t, err)["userType"] == "" {
			t.Errorf("unknown user type: %v", err)
		}
	})
}

func TestLockout(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= account.MaxFailedLogins; i++ {
			_, _, err := e.login(t, identity.Individual, linkedID, "Wrong@Pass1", "")
			want := apperr.Unauthenticated
			if i == account.MaxFailedLogins {
				want = apperr.RateLimited
			}
			if apperr.CodeOf(err) != want {
				t.Fatalf("attempt %d: %v, want %s", i, err, want)
			}
		}
		// Locked: even the right password is refused, with the time left.
		e.clk.Advance(5 * time.Minute)
		_, _, err := e.login(t, identity.Individual, linkedID, password, "")
		if apperr.CodeOf(err) != apperr.RateLimited || apperr.As(err).Message != "密码错误次数过多，账号已锁定，请10分钟后再试" {
			t.Errorf("locked account: %v", err)
		}
		// The lock ends after 15 minutes.
		e.clk.Advance(10 * time.Minute)
		if _, _, err := e.login(t, identity.Individual, linkedID, password, ""); err != nil {
			t.Errorf("after the lockout: %v", err)
		}
	})
}

func TestThrottle(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		for i := 0; i < account.LoginsPerMinute; i++ {
			if _, _, err := e.login(t, identity.Individual, unlinkedID, password, ""); apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, err := e.login(t, identity.Individual, unlinkedID, password, ""); apperr.CodeOf(err) != apperr.RateLimited {
			t.Errorf("over the limit: %v", err)
		}
		e.clk.Advance(time.Minute)
		if _, _, err := e.login(t, identity.Individual, unlinkedID, password, ""); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("the next minute: %v", err)
		}
	})
}

func TestStaffLogin(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		en, err := e.svc.CreateStaff(t.Context(), account.NewStaff{ID: "R0001", Name: "审核员", Role: identity.RoleReviewer, PoolingArea: "230999", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		code := func() string {
			c, err := totp.GenerateCode(en.Secret, e.clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		// Not enrolled yet: refused even with the right code.
		if _, _, err := e.login(t, identity.Staff, "R0001", password, code()); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("before enrolment: %v", err)
		}
		if err := e.svc.EnrolTOTP(t.Context(), "R0001", "000000"); fields(t, err)["code"] == "" {
			t.Errorf("enrol with a wrong code: %v", err)
		}
		if err := e.svc.EnrolTOTP(t.Context(), "R0001", code()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.login(t, identity.Staff, "R0001", password, "123456"); apperr.CodeOf(err) != apperr.Unauthenticated || !strings.Contains(err.Error(), "动态口令") {
			t.Errorf("wrong TOTP: %v", err)
		}
		// The code used to enrol does not log in; the next one does, once.
		if _, _, err := e.login(t, identity.Staff, "R0001", password, code()); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("login with the enrolment's code: %v", err)
		}
		e.clk.Advance(30 * time.Second)
		c, _, err := e.login(t, identity.Staff, "R0001", password, code())
		if err != nil || !c.Has(identity.RoleReviewer) || c.PoolingArea != "230999" {
			t.Errorf("staff login: %+v, %v", c, err)
		}
		if _, _, err := e.login(t, identity.Staff, "R0001", password, code()); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("the same code again: %v", err)
		}
		// A code of the previous period (drift) is used too, so it fails.
		prev, _ := totp.GenerateCode(en.Secret, e.clk.Now().Add(-30*time.Second))
		if _, _, err := e.login(t, identity.Staff, "R0001", password, prev); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("an older code after a newer one: %v", err)
		}
		// The next period's code works (one step of drift ahead).
		next, _ := totp.GenerateCode(en.Secret, e.clk.Now().Add(30*time.Second))
		if _, _, err := e.login(t, identity.Staff, "R0001", password, next); err != nil {
			t.Errorf("the next period's code: %v", err)
		}
		// Two logins racing with one code: one session, the other refused
		// as a used code (never a server error).
		e.clk.Advance(time.Minute)
		same := code()
		errs := make(chan error, 2)
		for range 2 {
			id, ans := e.captcha(t)
			go func() {
				_, _, err := e.svc.Login(t.Context(), account.Credentials{Kind: identity.Staff, Username: "R0001", Password: password, CaptchaID: id, CaptchaAnswer: ans, TOTP: same},
					account.Meta{Address: "192.0.2.2"})
				errs <- err
			}()
		}
		ok := 0
		for range 2 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case apperr.CodeOf(err) != apperr.Unauthenticated:
				t.Errorf("racing login: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d racing logins with one code succeeded, want 1", ok)
		}
		if _, err := e.svc.CreateStaff(t.Context(), account.NewStaff{ID: "R0001", Name: "x", Role: identity.RoleAdmin, Password: password}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("duplicate staff ID: %v", err)
		}
	})
}
