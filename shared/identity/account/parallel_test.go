package account_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

// parallel runs f n times at once and returns the errors.
func parallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errs
}

// TestParallelSMSGuesses: guesses sent at once are counted before they
// are compared, so no more than five of them are compared with the code.
func TestParallelSMSGuesses(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		const m = "13700000009"
		code := e.smsCode(t, m, account.PurposeReset)
		compared := 0
		for _, err := range parallel(30, func(int) error { return e.svc.SMS.Check(t.Context(), m, account.PurposeReset, "999999") }) {
			msg := fields(t, err)["smsCode"]
			if strings.Contains(msg, "还可尝试") || strings.Contains(msg, "次数过多") { // compared, wrong
				compared++
			}
		}
		if compared > 5 {
			t.Errorf("%d parallel guesses were compared with the code, want at most 5", compared)
		}
		if compared == 5 {
			if err := e.svc.SMS.Check(t.Context(), m, account.PurposeReset, code); err == nil {
				t.Error("the right code accepted after five wrong tries")
			}
		}
	})
}

// TestParallelWrongPasswords: wrong passwords sent at once are counted
// before they are checked, so at most four are answered as merely wrong;
// the fifth checked locks the account. Nothing is a server error.
func TestParallelWrongPasswords(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		if _, err := e.registerPerson(t, linkedName, linkedID, "13800000001"); err != nil {
			t.Fatal(err)
		}
		const n = 12
		captchas := make([][2]string, n)
		for i := range captchas {
			captchas[i][0], captchas[i][1] = e.captcha(t)
		}
		wrong, locked := 0, 0
		for _, err := range parallel(n, func(i int) error {
			_, _, err := e.svc.Login(t.Context(), account.Credentials{Kind: identity.Individual, Username: linkedID, Password: "Wrong@Pass1",
				CaptchaID: captchas[i][0], CaptchaAnswer: captchas[i][1]}, account.Meta{Address: "198.51.100.1"})
			return err
		}) {
			switch {
			case apperr.CodeOf(err) == apperr.Unauthenticated:
				wrong++
			case apperr.CodeOf(err) == apperr.RateLimited:
				if strings.Contains(err.Error(), "锁定") {
					locked++
				}
			default:
				t.Errorf("parallel wrong password: %v", err)
			}
		}
		if wrong > account.MaxFailedLogins-1 {
			t.Errorf("%d parallel wrong passwords answered as merely wrong, want at most %d", wrong, account.MaxFailedLogins-1)
		}
		if wrong == account.MaxFailedLogins-1 && locked == 0 {
			t.Error("four wrong passwords and more, and the account is not locked")
		}
	})
}

// TestParallelAttemptsThrottled: attempts from one address at once are
// each counted once: exactly the limit pass, the rest are told to wait,
// and none is lost to a race or answered with another error (an office
// behind one address logging in at nine o'clock).
func TestParallelAttemptsThrottled(t *testing.T) {
	each(t, func(t *testing.T, e env) {
		th := account.NewThrottle(e.st, e.clk, identity.NewKeys([]byte("test-key")), account.LoginsPerMinute)
		passed, refused := 0, 0
		for _, err := range parallel(3*account.LoginsPerMinute, func(int) error { return th.Allow(t.Context(), "198.51.100.7") }) {
			switch {
			case err == nil:
				passed++
			case apperr.CodeOf(err) == apperr.RateLimited:
				refused++
			default:
				t.Errorf("attempt: %v", err)
			}
		}
		if passed != account.LoginsPerMinute || refused != 2*account.LoginsPerMinute {
			t.Errorf("%d passed and %d refused; want %d and %d", passed, refused, account.LoginsPerMinute, 2*account.LoginsPerMinute)
		}
		if err := th.Allow(t.Context(), "198.51.100.8"); err != nil {
			t.Errorf("another address: %v", err)
		}
		e.clk.Advance(time.Minute)
		if err := th.Allow(t.Context(), "198.51.100.7"); err != nil {
			t.Errorf("the next minute: %v", err)
		}
	})
}
