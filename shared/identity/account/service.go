package account

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
)

// Lockout: this many wrong passwords in a row lock an account for
// LockoutFor.
const (
	MaxFailedLogins = 5
	LockoutFor      = 15 * time.Minute
)

// errLogin is the one answer to an unknown username and a wrong password.
var errLogin = apperr.E(apperr.Unauthenticated, "账号或密码错误，请重新输入")

// errStaffLogin is errLogin for staff, who also give a TOTP code.
var errStaffLogin = apperr.E(apperr.Unauthenticated, "工号、密码或动态口令错误，请重新输入（动态口令每30秒更新一次，每个口令只能使用一次）")

// Directory finds the ledger's person or unit an account is linked to.
// *ledger.Store implements it.
type Directory interface {
	PersonByIDNumber(ctx context.Context, id string) (ledger.Person, error)
	UnitByCreditCode(ctx context.Context, code string) (ledger.Unit, error)
}

var _ Directory = (*ledger.Store)(nil)

// Deps are what the service is built on.
type Deps struct {
	Table     table.Store
	Clock     clock.Clock
	Key       []byte // HMAC key of personal identifiers (config.Config.IDHashKey)
	Notify    notify.Sender
	Directory Directory
	Log       *slog.Logger // nil: discard
}

// Service is registration, login and the upkeep of accounts.
type Service struct {
	keys     *identity.Keys
	clk      clock.Clock
	log      *slog.Logger
	accounts accounts
	dir      Directory
	throttle *Throttle
	Sessions *identity.Sessions
	Captchas *Captchas
	SMS      *SMSCodes
	Audit    *identity.Audit
}

// NewService returns the service.
func NewService(d Deps) *Service {
	keys := identity.NewKeys(d.Key)
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		keys: keys, clk: d.Clock, dir: d.Directory, log: log,
		accounts: accounts{t: d.Table, keys: keys},
		throttle: NewThrottle(d.Table, d.Clock, keys, LoginsPerMinute),
		Sessions: identity.NewSessions(d.Table, d.Clock),
		Captchas: NewCaptchas(d.Table, d.Clock),
		SMS:      NewSMSCodes(d.Table, d.Clock, keys, d.Notify),
		Audit:    identity.NewAudit(d.Table, d.Clock, keys),
	}
}

// Keys returns the service's key derivation.
func (s *Service) Keys() *identity.Keys { return s.keys }

// Meta is what a request tells about itself, for throttling and audit.
type Meta struct {
	Address   string // source address
	RequestID string
}

// fieldErrs collects field errors of one request.
type fieldErrs map[string]string

func (f fieldErrs) add(k, msg string) {
	if _, dup := f[k]; !dup {
		f[k] = msg
	}
}

func (f fieldErrs) addErr(err error) {
	if e := apperr.As(err); e != nil {
		for k, v := range e.Fields {
			f.add(k, v)
		}
	}
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return apperr.Fields("", f)
}

func (s *Service) name(f fieldErrs, key, label, v string) string {
	v = strings.TrimSpace(v)
	if n := utf8.RuneCountInString(v); n == 0 {
		f.add(key, "请填写"+label)
	} else if n > 50 {
		f.add(key, label+"不能超过50个字")
	}
	return v
}

func (s *Service) resident(f fieldErrs, key, v string) string {
	id, p := checks.ResidentID(v, s.clk.Now())
	if p != nil {
		f.add(key, p.Message)
	}
	return id
}

func mobile(f fieldErrs, key, v string) string {
	m, p := checks.Mobile(v)
	if p != nil {
		f.add(key, p.Message)
	}
	return m
}

// PersonRegistration is 自然人用户注册.
type PersonRegistration struct {
	Name, IDNumber, Mobile, SMSCode, Password string
}

// RegisterPerson creates an individual account. The ID number is checked
// (GB 11643); the account is linked to the ledger's person with that ID
// number when the names agree (a person not in the ledger registers
// unlinked: see docs/identity.md for what an unlinked person may do); a
// second account for one ID number is a Conflict.
func (s *Service) RegisterPerson(ctx context.Context, r PersonRegistration, m Meta) (Account, error) {
	f := fieldErrs{}
	a := Account{Kind: identity.Individual, Roles: []identity.Role{identity.RoleIndividual}, Status: StatusActive}
	a.Name = s.name(f, "name", "姓名", r.Name)
	a.IDNumber = s.resident(f, "idNumber", r.IDNumber)
	a.Username = a.IDNumber
	a.Mobile = mobile(f, "mobile", r.Mobile)
	f.addErr(CheckPassword("password", r.Password, a.IDNumber, a.Mobile))
	if err := f.err(); err != nil {
		return Account{}, err
	}
	// The SMS code first: the ledger's answer (is this ID number there,
	// under which name) is given only to the owner of a verified mobile,
	// ten a day at most, not to anyone probing the route.
	if err := s.SMS.Check(ctx, a.Mobile, PurposeRegister, r.SMSCode); err != nil {
		return Account{}, err
	}
	p, err := s.dir.PersonByIDNumber(ctx, a.IDNumber)
	switch {
	case err == nil && p.Name != a.Name:
		return Account{}, apperr.Field("name", "姓名与该社会保障号登记的姓名不一致，请核对后重新获取短信验证码")
	case err == nil:
		a.PersonNumber = p.Number
	case apperr.CodeOf(err) != apperr.NotFound:
		return Account{}, err
	}
	if err := s.create(ctx, &a, r.Password); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return Account{}, apperr.E(apperr.Conflict, "该社会保障号已注册，请直接登录；忘记密码可通过短信找回")
		}
		return Account{}, err
	}
	s.record(ctx, m, a, identity.ActionRegister, "ok")
	return a, nil
}

// UnitRegistration is 法人用户注册.
type UnitRegistration struct {
	CreditCode, UnitName, LegalRepName, LegalRepIDNumber, AgentName, AgentIDNumber, Mobile, SMSCode, Password string
}

// RegisterUnit creates an enterprise account and issues its 账号 ID (ten
// digits), the username it logs in with. One account per 统一社会信用代码;
// linked to the ledger's unit with that code when the names agree.
func (s *Service) RegisterUnit(ctx context.Context, r UnitRegistration, m Meta) (Account, error) {
	f := fieldErrs{}
	a := Account{Kind: identity.Enterprise, Roles: []identity.Role{identity.RoleAgent}, Status: StatusActive}
	code, p := checks.CreditCode(r.CreditCode)
	if p != nil {
		f.add("uscc", p.Message)
	}
	a.CreditCode = code
	a.Name = s.name(f, "unitName", "单位名称", r.UnitName)
	a.LegalRepName = s.name(f, "legalRepName", "法定代表人姓名", r.LegalRepName)
	a.LegalRepID = s.resident(f, "legalRepIdNumber", r.LegalRepIDNumber)
	a.AgentName = s.name(f, "agentName", "经办人姓名", r.AgentName)
	a.IDNumber = s.resident(f, "agentIdNumber", r.AgentIDNumber)
	a.Mobile = mobile(f, "mobile", r.Mobile)
	f.addErr(CheckPassword("password", r.Password, a.IDNumber, a.LegalRepID, a.Mobile))
	if err := f.err(); err != nil {
		return Account{}, err
	}
	if err := s.SMS.Check(ctx, a.Mobile, PurposeRegister, r.SMSCode); err != nil { // first, as for persons
		return Account{}, err
	}
	u, err := s.dir.UnitByCreditCode(ctx, a.CreditCode)
	switch {
	case err == nil && u.Name != a.Name:
		return Account{}, apperr.Field("unitName", "单位名称与该统一社会信用代码登记的名称不一致，请核对后重新获取短信验证码")
	case err == nil:
		a.UnitNumber = u.Number
	case apperr.CodeOf(err) != apperr.NotFound:
		return Account{}, err
	}
	for attempt := 0; ; attempt++ {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000_000))
		if err != nil {
			return Account{}, err
		}
		a.Username = fmt.Sprintf("9%09d", n.Int64())
		err = s.create(ctx, &a, r.Password, table.Put(usccClaim(a.CreditCode, a.Username), table.IfAbsent()))
		var tx *table.TxCanceledError
		switch {
		case err == nil:
			s.record(ctx, m, a, identity.ActionRegister, "ok")
			return a, nil
		case errors.As(err, &tx) && tx.Key.PK == pkUSCC+a.CreditCode:
			return Account{}, apperr.E(apperr.Conflict, "该统一社会信用代码已注册法人用户，请使用注册时获取的账号ID登录")
		case errors.Is(err, table.ErrConditionFailed) && attempt < 5:
			continue // the account ID drawn is taken: draw another
		default:
			return Account{}, err
		}
	}
}

// create hashes the password and writes a new account.
func (s *Service) create(ctx context.Context, a *Account, password string, extra ...table.Op) error {
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	now := s.clk.Now()
	a.PasswordHash, a.PasswordAt, a.CreatedAt = h, now, now
	return s.accounts.create(ctx, *a, extra...)
}

// record appends an audit record about account a. The action it records
// has happened: a failure to audit does not undo it, it is logged as an
// error (without personal data) for operators to see.
func (s *Service) record(ctx context.Context, m Meta, a Account, action, result string) {
	actor := ""
	if a.Username != "" {
		actor = a.ID(s.keys)
	}
	s.recordAs(ctx, m, actor, a.Roles, action, result)
}

// recordAs appends an audit record about the account with id actor (""
// for an unknown one) acting in its first role.
func (s *Service) recordAs(ctx context.Context, m Meta, actor string, roles []identity.Role, action, result string) {
	role := identity.Role("")
	if len(roles) > 0 {
		role = roles[0]
	}
	if err := s.Audit.Record(ctx, identity.AuditRecord{Actor: actor, ActorRole: role, Action: action, Object: actor, Result: result, RequestID: m.RequestID}, m.Address); err != nil {
		s.log.ErrorContext(ctx, "audit record lost", "action", action, "err", err.Error())
	}
}
