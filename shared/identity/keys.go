package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Key prefixes (see the package doc).
const (
	pkSession  = "IDENT#SESSION#"
	gsiAcctSes = "IDENT#ACCTSESS#"
	pkAudit    = "AUDIT#"
	gsiSubject = "AUDIT#SUBJECT#"
)

// Keys derives the table keys of personal identifiers: HMAC-SHA-256 under
// the deployment's key (the key of the ledger's ID-number index: in AWS
// from Parameter Store, awswire.Secrets), with a purpose prefix so that one value hashed for two purposes
// gives unrelated keys.
type Keys struct{ key []byte }

// NewKeys returns the key derivation under key.
func NewKeys(key []byte) *Keys { return &Keys{key: append([]byte(nil), key...)} }

// Hash returns the hex HMAC-SHA-256 of v for purpose.
func (k *Keys) Hash(purpose, v string) string {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// UsernameKey is the key of a username: an individual's ID number hashed,
// other usernames as they are.
func (k *Keys) UsernameKey(kind Kind, username string) string {
	if kind == Individual {
		return k.Hash("id", strings.ToUpper(strings.TrimSpace(username)))
	}
	return username
}

// MobileKey is the key of a mobile number.
func (k *Keys) MobileKey(mobile string) string { return k.Hash("mobile", mobile) }

// AddressKey is the key of a source address (an IP address is personal data).
func (k *Keys) AddressKey(addr string) string { return k.Hash("addr", addr)[:32] }

// tokenHash is the stored form of a session token: its SHA-256 (a token
// has 256 random bits, so no key is needed).
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
