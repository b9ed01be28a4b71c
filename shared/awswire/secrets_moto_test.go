package awswire_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/hljhrss/hrss/infra/mototest"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/config"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// TestSecretsMoto reads the ID hash key with ParameterStore from moto's
// Parameter Store, where the parameters are put with the SDK's SSM client
// as an operator would (README, Deploy): the cases of TestSecrets that
// reach SSM.
func TestSecretsMoto(t *testing.T) {
	srv := mototest.Start(t)
	client := ssm.NewFromConfig(srv.Config())
	key := strings.Repeat("k", awswire.MinIDHashKeyLen)
	prefix := "/" + mototest.Name("hrss")
	for name, p := range map[string]struct {
		typ   ssmtypes.ParameterType
		value string
	}{
		"/id-hash-key": {ssmtypes.ParameterTypeSecureString, key},
		"/plain":       {ssmtypes.ParameterTypeString, key},
		"/short":       {ssmtypes.ParameterTypeSecureString, "short"},
	} {
		if _, err := client.PutParameter(t.Context(), &ssm.PutParameterInput{Name: aws.String(prefix + name), Type: p.typ, Value: aws.String(p.value)}); err != nil {
			t.Fatalf("PutParameter %s: %v", name, err)
		}
	}
	tests := []struct {
		name   string
		param  string
		errHas string // "" = ok, and the key is the parameter's
		skip   string // why moto cannot play the case
	}{
		{name: "the template's environment", param: "/id-hash-key"},
		{name: "missing parameter", param: "/none", errHas: "does not exist"},
		{name: "plain String parameter", param: "/plain", errHas: "must be a SecureString"},
		{name: "short key", param: "/short", errHas: "at least 32"},
		{name: "access denied", skip: "moto 5.2.5 authorizes every request unless its IAM emulation is on " +
			"(INITIAL_NO_AUTH_ACTION_COUNT), which needs users, keys and policies made in moto; TestSecrets covers it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skip != "" {
				t.Skip(tt.skip)
			}
			cfg, err := config.FromLookup(func(k string) (string, bool) {
				if k == "HRSS_ID_HASH_KEY_PARAM" {
					return prefix + tt.param, true
				}
				return "", false
			})
			if err != nil {
				t.Fatal(err)
			}
			err = awswire.Secrets(t.Context(), awswire.NewParameterStore(srv.Config()), &cfg)
			checkSecrets(t, err, cfg.IDHashKey, key, tt.errHas)
		})
	}
}
