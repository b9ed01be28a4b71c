package awswire

import (
	"context"
	"errors"
	"fmt"

	"github.com/hljhrss/hrss/shared/config"
)

// ParameterReader reads one Parameter Store parameter, decrypted
// (ParameterStore does, for the functions and for hrss-seed).
type ParameterReader interface {
	GetParameter(ctx context.Context, name string) (Parameter, error)
}

// validParameterName reports whether s is what Parameter Store accepts as
// a full parameter name: "/" then 1-1000 of A-Z a-z 0-9 _ . - /. Written
// out rather than as a regexp, whose compilation cost every function about
// a millisecond of its cold start (docs/performance.md).
func validParameterName(s string) bool {
	if len(s) < 2 || len(s) > 1001 || s[0] != '/' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '/') {
			return false
		}
	}
	return true
}

// Secrets fills cfg's secrets in AWS: the HMAC key of the ID-number index
// is read, decrypted, from the SecureString parameter HRSS_ID_HASH_KEY_PARAM
// names, and checked (Check). It is called once per execution environment (Deps runs before
// the handler starts), so a warm function never calls SSM.
//
// A key in the environment itself (HRSS_ID_HASH_KEY) is refused in AWS:
// anyone allowed to read the function's configuration would read the key,
// which with the ledger's data re-identifies every person. A parameter
// that is not a SecureString is refused for the same reason.
func Secrets(ctx context.Context, params ParameterReader, cfg *config.Config) error {
	if cfg.IDHashKey != "" {
		return errors.New("awswire: HRSS_ID_HASH_KEY must not be set in AWS; keep the key in Parameter Store and name it with HRSS_ID_HASH_KEY_PARAM (template parameter IdHashKeyParameter)")
	}
	if !validParameterName(cfg.IDHashKeyParam) {
		return fmt.Errorf("awswire: HRSS_ID_HASH_KEY_PARAM %q is not a Parameter Store name such as /hrss/prod/id-hash-key (template parameter IdHashKeyParameter)", cfg.IDHashKeyParam)
	}
	p, err := params.GetParameter(ctx, cfg.IDHashKeyParam)
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == "ParameterNotFound" {
		return fmt.Errorf("awswire: the parameter %s does not exist; create it as a SecureString of at least %d random characters before deploying", cfg.IDHashKeyParam, MinIDHashKeyLen)
	}
	if err != nil {
		return fmt.Errorf("awswire: read %s: %w", cfg.IDHashKeyParam, err)
	}
	if p.Type != "SecureString" {
		return fmt.Errorf("awswire: the parameter %s is a %s; the ID hash key must be a SecureString", cfg.IDHashKeyParam, p.Type)
	}
	if p.Value == "" {
		return fmt.Errorf("awswire: read %s: no value", cfg.IDHashKeyParam)
	}
	cfg.IDHashKey = p.Value
	return Check(*cfg)
}
