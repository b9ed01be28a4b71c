package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// TOTPIssuer names the platform in authenticator apps.
const TOTPIssuer = "黑龙江人社公共服务平台"

// NewStaff is a staff account to create.
type NewStaff struct {
	ID          string // staff ID, the username
	Name        string
	Role        identity.Role // RoleReviewer or RoleAdmin
	PoolingArea string
	Password    string
}

// Enrolment is what a new staff member needs to set up the authenticator
// app: the secret and its otpauth:// URI (RFC 6238, 6 digits, 30 s).
type Enrolment struct {
	Secret string
	URI    string
}

// CreateStaff creates a staff account that cannot log in until a code of
// its TOTP secret is confirmed (EnrolTOTP). A taken ID is a Conflict.
func (s *Service) CreateStaff(ctx context.Context, n NewStaff) (Enrolment, error) {
	f := fieldErrs{}
	if !usernameRE.MatchString(n.ID) {
		f.add("id", "工号应为4-20位字母或数字")
	}
	name := s.name(f, "name", "姓名", n.Name)
	if n.Role != identity.RoleReviewer && n.Role != identity.RoleAdmin {
		f.add("role", "角色应为reviewer（审核人员）或admin（管理员）")
	}
	if n.Role == identity.RoleReviewer && !table.ValidKeyPart(n.PoolingArea) {
		f.add("area", "审核人员须指定统筹区")
	}
	f.addErr(CheckPassword("password", n.Password))
	if err := f.err(); err != nil {
		return Enrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: n.ID})
	if err != nil {
		return Enrolment{}, err
	}
	a := Account{Kind: identity.Staff, Username: n.ID, Name: name, Roles: []identity.Role{n.Role}, Status: StatusPendingTOTP,
		PoolingArea: n.PoolingArea, TOTPSecret: key.Secret()}
	if err := s.create(ctx, &a, n.Password); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return Enrolment{}, apperr.E(apperr.Conflict, "该工号已存在")
		}
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URI: key.URL()}, nil
}

// EnrolTOTP activates a staff account once a current code of its secret
// is given, proving the authenticator app holds it.
func (s *Service) EnrolTOTP(ctx context.Context, id, code string) error {
	a, err := s.accounts.get(ctx, AccountKey(s.keys, identity.Staff, id))
	if errors.Is(err, errNoAccount) {
		return apperr.E(apperr.NotFound, "该工号不存在")
	}
	if err != nil {
		return err
	}
	if a.Status != StatusPendingTOTP {
		return apperr.E(apperr.Conflict, "该工号已完成动态口令绑定")
	}
	step, ok := s.totpStep(code, a.TOTPSecret)
	if !ok {
		return apperr.Field("code", "动态口令不正确，请输入认证器当前显示的6位数字")
	}
	a.Status, a.TOTPStep = StatusActive, step
	if err := s.accounts.update(ctx, a); err != nil {
		return fmt.Errorf("identity: enrol: %w", err)
	}
	return nil
}

// CreateAccount writes an account with a password as given, for seeding
// commands (the demo accounts of the local runner, staff imported by an
// administrator's command); registration goes through RegisterPerson and
// RegisterUnit. The password rule is applied; an existing account is a
// Conflict and left unchanged.
func (s *Service) CreateAccount(ctx context.Context, a Account, password string) error {
	if !a.Kind.Valid() || a.Username == "" || len(a.Roles) == 0 {
		return fmt.Errorf("identity: create account: kind, username and roles are required")
	}
	if a.Kind == identity.Individual {
		a.IDNumber = a.Username
	}
	if err := CheckPassword("password", password, a.IDNumber, a.Mobile); err != nil {
		return err
	}
	if a.Status == "" {
		a.Status = StatusActive
	}
	// An existing account is found before the password is hashed: seeding
	// runs on every start of the local runner, and a hash costs ~20 ms.
	if _, err := s.accounts.get(ctx, AccountKey(s.keys, a.Kind, a.Username)); err == nil {
		return errAccountExists
	} else if !errors.Is(err, errNoAccount) {
		return err
	}
	var extra []table.Op
	if a.Kind == identity.Enterprise && a.CreditCode != "" {
		extra = append(extra, table.Put(usccClaim(a.CreditCode, a.Username), table.IfAbsent()))
	}
	if err := s.create(ctx, &a, password, extra...); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return errAccountExists
		}
		return err
	}
	return nil
}

var errAccountExists = apperr.E(apperr.Conflict, "账号已存在")

// totpOpts are the TOTP parameters (RFC 6238: SHA-1, 6 digits, 30 s).
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpStep checks a TOTP code against the service's clock, accepting the
// previous and the next period for clock drift, and returns the time step
// (Unix time / 30 s) it belongs to, so that a used code can be refused.
func (s *Service) totpStep(code, secret string) (int64, bool) {
	code = strings.TrimSpace(code)
	now := s.clk.Now()
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew) * 30 * time.Second)
		if ok, err := totp.ValidateCustom(code, secret, t, totpOpts); err == nil && ok {
			return t.Unix() / 30, true
		}
	}
	return 0, false
}
