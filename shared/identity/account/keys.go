package account

import (
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// Key prefixes (see the package doc).
const (
	pkAccount  = identity.AccountPK
	pkUSCC     = identity.USCCClaimPK
	pkCaptcha  = "IDENT#CAPTCHA#"
	pkSMS      = "IDENT#SMS#"
	pkThrottle = "IDENT#THROTTLE#"
)

// AccountKey is the key of the account item of a kind and username.
func AccountKey(keys *identity.Keys, kind identity.Kind, username string) table.Key {
	return table.Key{PK: pkAccount + string(kind) + "#" + keys.UsernameKey(kind, username), SK: "PROFILE"}
}

// accountKeyByID is the key of the account with id "<kind>:<username key>".
func accountKeyByID(id string) (table.Key, bool) { return identity.AccountItemKey(id) }
