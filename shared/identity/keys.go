package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/hljhrss/hrss/shared/table"
)

// Key prefixes (see the package doc).
const (
	pkAccount  = "IDENT#ACCT#"
	pkUSCC     = "IDENT#USCC#"
	pkSession  = "IDENT#SESSION#"
	gsiAcctSes = "IDENT#ACCTSESS#"
	pkCaptcha  = "IDENT#CAPTCHA#"
	pkSMS      = "IDENT#SMS#"
	pkThrottle = "IDENT#THROTTLE#"
	pkAudit    = "AUDIT#"
	gsiSubject = "AUDIT#SUBJECT#"
)

// Keys derives the table keys of personal identifiers: HMAC-SHA-256 under
// the deployment's key (HRSS_ID_HASH_KEY, the key of the ledger's ID-number
// index), with a purpose prefix so that one value hashed for two purposes
// gives unrelated keys.
type Keys struct{ key []byte }

// NewKeys returns the key derivation under key.
func NewKeys(key []byte) *Keys { return &Keys{key: append([]byte(nil), key...)} }

func (k *Keys) hash(purpose, v string) string {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// usernameKey is the key of a username: an individual's ID number hashed,
// other usernames as they are.
func (k *Keys) usernameKey(kind Kind, username string) string {
	if kind == Individual {
		return k.hash("id", strings.ToUpper(strings.TrimSpace(username)))
	}
	return username
}

// AccountKey is the key of the account item.
func (k *Keys) AccountKey(kind Kind, username string) table.Key {
	return table.Key{PK: pkAccount + string(kind) + "#" + k.usernameKey(kind, username), SK: "PROFILE"}
}

// accountKeyByID is the key of the account with id "<kind>:<username key>".
func accountKeyByID(id string) (table.Key, bool) {
	kind, key, ok := strings.Cut(id, ":")
	if !ok || !Kind(kind).Valid() || !table.ValidKeyPart(key) {
		return table.Key{}, false
	}
	return table.Key{PK: pkAccount + kind + "#" + key, SK: "PROFILE"}, true
}

func (k *Keys) mobileKey(mobile string) string { return k.hash("mobile", mobile) }

func (k *Keys) addressKey(addr string) string { return k.hash("addr", addr)[:32] }

// tokenHash is the stored form of a session token: its SHA-256 (a token
// has 256 random bits, so no key is needed).
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
