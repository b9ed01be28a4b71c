package identity

import (
	"slices"
	"time"
)

// Kind is the kind of an account, which is also how it logs in.
type Kind string

// Account kinds (userType of the login request).
const (
	Individual Kind = "individual" // 自然人用户: logs in with the 社会保障号
	Enterprise Kind = "enterprise" // 法人用户: logs in with the 账号 ID issued at registration
	Staff      Kind = "staff"      // 经办人员: logs in with the staff ID and a TOTP code
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Individual || k == Enterprise || k == Staff }

// Role is what an account may do; route policies name roles.
type Role string

// Roles.
const (
	RoleIndividual Role = "individual" // own records and applications
	RoleAgent      Role = "agent"      // an enterprise's agent: its unit, and its employees for unit businesses
	RoleReviewer   Role = "reviewer"   // staff: the applications of its pooling area
	RoleAdmin      Role = "admin"      // staff: staff accounts and reference data
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleIndividual || r == RoleAgent || r == RoleReviewer || r == RoleAdmin
}

// Caller is who makes a request: what a session carries, so that resolving
// it is one read.
type Caller struct {
	AccountID    string // "<kind>:<username key>", stable and free of personal data
	Kind         Kind
	Roles        []Role
	Name         string // 姓名 or 单位名称, shown to the caller only
	PersonNumber string // 人员编号 of an individual linked to the ledger; "" when unlinked
	UnitNumber   string // 单位编号 of an agent's unit linked to the ledger; "" when unlinked
	PoolingArea  string // 统筹区 of staff
	session      string // hash of the session token
}

// Has reports whether the caller has role r.
func (c Caller) Has(r Role) bool { return slices.Contains(c.Roles, r) }

// Session returns the hash of the caller's session token.
func (c Caller) Session() string { return c.session }

// Account status.
const (
	StatusActive      = "active"
	StatusPendingTOTP = "pending_totp" // staff created, TOTP not yet enrolled
	StatusDisabled    = "disabled"
)

// Account is a user account.
type Account struct {
	Kind     Kind
	Username string // 社会保障号 (individual), 账号 ID (enterprise), staff ID
	Name     string // 姓名, or 单位名称 for an enterprise
	IDNumber string // 社会保障号 of an individual, of a unit's agent, of staff; masked in every answer
	Mobile   string
	Roles    []Role
	Status   string

	PasswordHash string // argon2id, PHC string
	TOTPSecret   string // staff: base32 secret (RFC 6238)

	PersonNumber string // individual: linked 人员编号
	UnitNumber   string // enterprise: linked 单位编号
	CreditCode   string // enterprise: 统一社会信用代码
	LegalRepName string // enterprise: 法定代表人姓名
	LegalRepID   string // enterprise: 法定代表人证件号码
	PoolingArea  string // staff: 统筹区

	FailedLogins int       // consecutive wrong passwords
	LockedUntil  time.Time // zero when not locked
	PasswordAt   time.Time // last password change
	CreatedAt    time.Time
	Version      int64
}

// ID returns the account's stable id: "<kind>:<username key>".
func (a Account) ID(keys *Keys) string {
	return string(a.Kind) + ":" + keys.usernameKey(a.Kind, a.Username)
}

// Caller returns the caller an account logs in as.
func (a Account) Caller(keys *Keys) Caller {
	return Caller{AccountID: a.ID(keys), Kind: a.Kind, Roles: slices.Clone(a.Roles), Name: a.Name,
		PersonNumber: a.PersonNumber, UnitNumber: a.UnitNumber, PoolingArea: a.PoolingArea}
}
