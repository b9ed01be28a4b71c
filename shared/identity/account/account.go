package account

import (
	"slices"
	"time"

	"github.com/hljhrss/hrss/shared/identity"
)

// Account status.
const (
	StatusActive      = "active"
	StatusPendingTOTP = "pending_totp" // staff created, TOTP not yet enrolled
	StatusDisabled    = "disabled"
)

// Account is a user account.
type Account struct {
	Kind     identity.Kind
	Username string // 社会保障号 (individual), 账号 ID (enterprise), staff ID
	Name     string // 姓名, or 单位名称 for an enterprise
	IDNumber string // 社会保障号 of an individual, of a unit's agent, of staff; masked in every answer
	Mobile   string
	Roles    []identity.Role
	Status   string

	PasswordHash string // argon2id, PHC string
	TOTPSecret   string // staff: base32 secret (RFC 6238)
	TOTPStep     int64  // staff: the time step of the last code used; a code is used once

	PersonNumber string // individual: linked 人员编号
	UnitNumber   string // enterprise: linked 单位编号
	CreditCode   string // enterprise: 统一社会信用代码
	LegalRepName string // enterprise: 法定代表人姓名
	LegalRepID   string // enterprise: 法定代表人证件号码
	AgentName    string // enterprise: 经办人姓名 (IDNumber is the agent's)
	PoolingArea  string // staff: 统筹区

	FailedLogins int       // consecutive wrong passwords
	LockedUntil  time.Time // zero when not locked
	PasswordAt   time.Time // last password change
	CreatedAt    time.Time
	Version      int64
}

// ID returns the account's stable id: "<kind>:<username key>".
func (a Account) ID(keys *identity.Keys) string {
	return string(a.Kind) + ":" + keys.UsernameKey(a.Kind, a.Username)
}

// Caller returns the caller an account logs in as.
func (a Account) Caller(keys *identity.Keys) identity.Caller {
	return identity.Caller{AccountID: a.ID(keys), Kind: a.Kind, Roles: slices.Clone(a.Roles), Name: a.Name,
		PersonNumber: a.PersonNumber, UnitNumber: a.UnitNumber, PoolingArea: a.PoolingArea}
}
