package awswire_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/awswire"
)

func TestEnvConfig(t *testing.T) {
	lambda := map[string]string{"AWS_REGION": "cn-north-1", "AWS_ACCESS_KEY_ID": "ASIATEST", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok"}
	with := func(kv ...string) map[string]string {
		m := maps.Clone(lambda)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name     string
		env      map[string]string
		region   string
		endpoint string
		errHas   string
	}{
		{"Lambda's environment", lambda, "cn-north-1", "", ""},
		{"default region only", with("AWS_REGION", "", "AWS_DEFAULT_REGION", "cn-northwest-1"), "cn-northwest-1", "", ""},
		{"AWS_REGION wins", with("AWS_DEFAULT_REGION", "us-east-1"), "cn-north-1", "", ""},
		{"endpoint", with("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), "cn-north-1", "http://127.0.0.1:5000", ""},
		{"endpoint ignored", with("AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), "cn-north-1", "", ""},
		{"no region", with("AWS_REGION", ""), "", "", "AWS_REGION"},
		{"not a region", with("AWS_REGION", "cn-north-1.evil"), "", "", "not an AWS region"},
		{"no key", with("AWS_ACCESS_KEY_ID", ""), "", "", "AWS_ACCESS_KEY_ID"},
		{"no secret", with("AWS_SECRET_ACCESS_KEY", ""), "", "", "AWS_SECRET_ACCESS_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := awswire.EnvConfig(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("err %v, want one saying %s", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != tt.region {
				t.Errorf("region %q", cfg.Region)
			}
			endpoint := ""
			if cfg.BaseEndpoint != nil {
				endpoint = *cfg.BaseEndpoint
			}
			if endpoint != tt.endpoint {
				t.Errorf("endpoint %q, want %q", endpoint, tt.endpoint)
			}
			creds, err := cfg.Credentials.Retrieve(t.Context())
			if err != nil || creds.AccessKeyID != tt.env["AWS_ACCESS_KEY_ID"] || creds.SecretAccessKey != tt.env["AWS_SECRET_ACCESS_KEY"] || creds.SessionToken != tt.env["AWS_SESSION_TOKEN"] {
				t.Errorf("credentials %v: %+v", err, creds.AccessKeyID)
			}
		})
	}
}
