package account

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// usernameRE is the form of an enterprise 账号 ID and of a staff ID.
var usernameRE = regexp.MustCompile(`^[0-9A-Za-z]{4,20}$`)

// Credentials are what a login form sends.
type Credentials struct {
	Kind                     identity.Kind
	Username                 string // 社会保障号, 账号 ID or staff ID
	Password                 string
	CaptchaID, CaptchaAnswer string
	TOTP                     string // staff only
}

// Login checks credentials and starts a session: it returns the caller and
// the session token. The order of checks: the source address's throttle,
// the captcha, the account's lockout, the password, the TOTP code of
// staff. An unknown username and a wrong password get the same answer
// (and take the same time); five wrong passwords in a row lock the account
// for LockoutFor, the message telling the time left.
func (s *Service) Login(ctx context.Context, c Credentials, m Meta) (identity.Caller, string, error) {
	if !c.Kind.Valid() {
		return identity.Caller{}, "", apperr.Field("userType", "用户类型应为individual（个人）、enterprise（法人）或staff（经办人员）")
	}
	if err := s.throttle.Allow(ctx, m.Address); err != nil {
		return identity.Caller{}, "", err
	}
	if err := s.Captchas.Check(ctx, c.CaptchaID, c.CaptchaAnswer); err != nil {
		return identity.Caller{}, "", err
	}
	username := strings.TrimSpace(c.Username)
	if c.Kind == identity.Individual {
		id, p := checks.ResidentID(username, s.clk.Now())
		if p != nil {
			return identity.Caller{}, "", apperr.Field("username", p.Message)
		}
		username = id
	} else if !usernameRE.MatchString(username) {
		return identity.Caller{}, "", apperr.Field("username", "账号格式不正确，应为注册时获取的账号ID")
	}
	a, err := s.accounts.get(ctx, AccountKey(s.keys, c.Kind, username))
	if errors.Is(err, errNoAccount) {
		checkPassword(c.Password, dummyHash()) // the same time as a wrong password
		s.record(ctx, m, Account{}, identity.ActionLoginFailed, "unknown")
		return identity.Caller{}, "", errLogin
	}
	if err != nil {
		return identity.Caller{}, "", err
	}
	now := s.clk.Now()
	// The attempt is counted before the password is checked, so that
	// parallel guesses cannot pass the lockout.
	a, err = s.accounts.modify(ctx, a, func(a *Account) error {
		if now.Before(a.LockedUntil) {
			return lockedError(a.LockedUntil.Sub(now))
		}
		a.FailedLogins++
		return nil
	})
	if err != nil {
		return identity.Caller{}, "", err
	}
	ok, stale := checkPassword(c.Password, a.PasswordHash)
	var step int64
	if ok && a.Kind == identity.Staff {
		if a.Status == StatusPendingTOTP {
			return identity.Caller{}, "", apperr.E(apperr.Forbidden, "请先完成动态口令（TOTP）绑定后再登录")
		}
		step, ok = s.totpStep(c.TOTP, a.TOTPSecret)
	}
	if !ok {
		return identity.Caller{}, "", s.failed(ctx, m, a)
	}
	if a.Status != StatusActive {
		return identity.Caller{}, "", apperr.E(apperr.Forbidden, "该账号已停用，请联系经办机构")
	}
	var rehash string
	if stale {
		rehash, _ = HashPassword(c.Password) // kept as it is when hashing fails
	}
	linked := s.relinked(ctx, a)
	a, err = s.accounts.modify(ctx, a, func(a *Account) error {
		if now.Before(a.LockedUntil) { // locked by concurrent wrong attempts
			return lockedError(a.LockedUntil.Sub(now))
		}
		if a.Kind == identity.Staff {
			if step <= a.TOTPStep { // each code logs in once
				return errStaffLogin
			}
			a.TOTPStep = step
		}
		a.FailedLogins, a.LockedUntil = 0, time.Time{}
		if rehash != "" {
			a.PasswordHash = rehash
		}
		linked(a)
		return nil
	})
	if err != nil {
		if err == errStaffLogin { // a used code is a wrong attempt
			return identity.Caller{}, "", s.failed(ctx, m, a)
		}
		return identity.Caller{}, "", err
	}
	caller := a.Caller(s.keys)
	token, err := s.Sessions.Create(ctx, caller)
	if err != nil {
		return identity.Caller{}, "", err
	}
	caller = caller.WithSession(token)
	s.record(ctx, m, a, identity.ActionLogin, "ok")
	return caller, token, nil
}

func lockedError(left time.Duration) error {
	min := int(left.Minutes())
	if left > time.Duration(min)*time.Minute {
		min++
	}
	return apperr.Later(fmt.Sprintf("密码错误次数过多，账号已锁定，请%d分钟后再试", min), left)
}

// failed ends a wrong attempt, already counted: the fifth in a row locks
// the account.
func (s *Service) failed(ctx context.Context, m Meta, a Account) error {
	now := s.clk.Now()
	var locked, lockedBefore bool
	a, err := s.accounts.modify(ctx, a, func(a *Account) error {
		if lockedBefore = now.Before(a.LockedUntil); lockedBefore { // by a concurrent attempt
			return lockedError(a.LockedUntil.Sub(now))
		}
		if locked = a.FailedLogins >= MaxFailedLogins; locked {
			a.FailedLogins, a.LockedUntil = 0, now.Add(LockoutFor)
		}
		return nil
	})
	if err != nil && !lockedBefore {
		return err
	}
	s.record(ctx, m, a, identity.ActionLoginFailed, "failed")
	if lockedBefore {
		return err
	}
	if locked {
		s.record(ctx, m, a, identity.ActionLockout, "locked")
		return lockedError(LockoutFor)
	}
	if a.Kind == identity.Staff {
		return errStaffLogin
	}
	return errLogin
}

// relinked looks up the ledger's person or unit of an unlinked account,
// which may have appeared there since registration (an import, an
// enrolment), and returns what links an account to it.
func (s *Service) relinked(ctx context.Context, a Account) func(*Account) {
	switch {
	case a.Kind == identity.Individual && a.PersonNumber == "":
		if p, err := s.dir.PersonByIDNumber(ctx, a.IDNumber); err == nil && p.Name == a.Name {
			return func(a *Account) { a.PersonNumber = p.Number }
		}
	case a.Kind == identity.Enterprise && a.UnitNumber == "":
		if u, err := s.dir.UnitByCreditCode(ctx, a.CreditCode); err == nil && u.Name == a.Name {
			return func(a *Account) { a.UnitNumber = u.Number }
		}
	}
	return func(*Account) {}
}

// Account returns the account of a caller.
func (s *Service) Account(ctx context.Context, c identity.Caller) (Account, error) {
	k, ok := accountKeyByID(c.AccountID)
	if !ok {
		return Account{}, identity.ErrNoSession
	}
	a, err := s.accounts.get(ctx, k)
	if errors.Is(err, errNoAccount) {
		return Account{}, identity.ErrNoSession
	}
	return a, err
}

// Logout ends the caller's session.
func (s *Service) Logout(ctx context.Context, c identity.Caller, m Meta) error {
	if err := s.Sessions.Revoke(ctx, c); err != nil {
		return err
	}
	s.recordAs(ctx, m, c.AccountID, c.Roles, identity.ActionLogout, "ok")
	return nil
}

// ChangePassword replaces the caller's password after checking the old
// one, and ends every other session of the account.
func (s *Service) ChangePassword(ctx context.Context, c identity.Caller, old, next string, m Meta) error {
	a, err := s.Account(ctx, c)
	if err != nil {
		return err
	}
	if ok, _ := checkPassword(old, a.PasswordHash); !ok {
		return apperr.Field("oldPassword", "原密码不正确")
	}
	if err := CheckPassword("newPassword", next, a.IDNumber, a.LegalRepID, a.Mobile); err != nil {
		return err
	}
	if old == next {
		return apperr.Field("newPassword", "新密码不能与原密码相同")
	}
	if err := s.setPassword(ctx, a, next); err != nil {
		return err
	}
	if err := s.Sessions.RevokeAll(ctx, c.AccountID, c.Session()); err != nil {
		return err
	}
	s.record(ctx, m, a, identity.ActionPasswordChange, "ok")
	return nil
}

func (s *Service) setPassword(ctx context.Context, a Account, pw string) error {
	h, err := HashPassword(pw)
	if err != nil {
		return err
	}
	a.PasswordHash, a.PasswordAt, a.FailedLogins, a.LockedUntil = h, s.clk.Now(), 0, time.Time{}
	if err := s.accounts.update(ctx, a); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return apperr.E(apperr.Conflict, "账号信息已变更，请重试")
		}
		return err
	}
	return nil
}

// Reset is a password reset by SMS code (找回密码).
type Reset struct {
	Kind     identity.Kind
	Username string // 社会保障号 or 账号 ID
	Mobile   string // the account's mobile
	SMSCode  string
	Password string
}

// ResetPassword sets a new password when the SMS code sent to the
// account's mobile is right, and ends every session of the account. An
// unknown username and a mobile that is not the account's get the same
// answer as a wrong code.
func (s *Service) ResetPassword(ctx context.Context, r Reset, m Meta) error {
	if r.Kind != identity.Individual && r.Kind != identity.Enterprise {
		return apperr.Field("userType", "找回密码适用于个人用户和法人用户；经办人员请联系管理员")
	}
	f := fieldErrs{}
	mob := mobile(f, "mobile", r.Mobile)
	username := strings.TrimSpace(r.Username)
	if r.Kind == identity.Individual {
		username = s.resident(f, "username", username)
	} else if !usernameRE.MatchString(username) {
		f.add("username", "账号格式不正确，应为注册时获取的账号ID")
	}
	if err := f.err(); err != nil {
		return err
	}
	if err := s.throttle.Allow(ctx, m.Address); err != nil {
		return err
	}
	a, err := s.accounts.get(ctx, AccountKey(s.keys, r.Kind, username))
	if err != nil && !errors.Is(err, errNoAccount) {
		return err
	}
	// The new password is checked before the code, which a check uses up:
	// a password the rule refuses must not cost the user a new code. It
	// is checked with what the requester gave, so that the answer is the
	// same whether or not the account exists.
	personal := []string{mob}
	if r.Kind == identity.Individual {
		personal = append(personal, username)
	}
	if err := CheckPassword("password", r.Password, personal...); err != nil {
		return err
	}
	if err := s.SMS.Check(ctx, mob, PurposeReset, r.SMSCode); err != nil {
		return err
	}
	if errors.Is(err, errNoAccount) || a.Mobile != mob {
		return errSMSCode
	}
	// A unit's password must not hold its agent's or legal
	// representative's ID number either; that is checked only now, once
	// the code has shown that the requester holds the account's mobile,
	// since an answer that depended on them would tell anyone whether a
	// unit account exists and whose numbers it has. The code is used up.
	if r.Kind == identity.Enterprise {
		if err := CheckPassword("password", r.Password, a.IDNumber, a.LegalRepID); err != nil {
			return apperr.Field("password", apperr.As(err).Fields["password"]+"，请更换密码后重新获取短信验证码")
		}
	}
	if err := s.setPassword(ctx, a, r.Password); err != nil {
		return err
	}
	if err := s.Sessions.RevokeAll(ctx, a.ID(s.keys), ""); err != nil {
		return err
	}
	s.record(ctx, m, a, identity.ActionPasswordReset, "ok")
	return nil
}
