package identity

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
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

// WithSession returns c as the caller of the session with token (the
// session's hash set), as Sessions.Resolve would return it.
func (c Caller) WithSession(token string) Caller {
	c.session = tokenHash(token)
	return c
}

// JoinRoles is how roles are stored: comma-separated.
func JoinRoles(roles []Role) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

// SplitRoles reads roles stored by JoinRoles.
func SplitRoles(s string) []Role {
	if s == "" {
		return nil
	}
	var out []Role
	for _, r := range strings.Split(s, ",") {
		out = append(out, Role(r))
	}
	return out
}

// RandomHex returns n random bytes in hex, for ids that must not be
// guessed (crypto/rand.Read never fails).
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
