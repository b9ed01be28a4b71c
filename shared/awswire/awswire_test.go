package awswire_test

import (
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/config"
)

func TestCheck(t *testing.T) {
	key := strings.Repeat("k", awswire.MinIDHashKeyLen)
	tests := []struct {
		name string
		env  map[string]string
		ok   bool
	}{
		{"key read", map[string]string{"HRSS_ID_HASH_KEY": key, "HRSS_TABLE": "hrss-prod", "HRSS_BUCKET": "b"}, true},
		{"no ID hash key", map[string]string{"HRSS_TABLE": "hrss-prod", "HRSS_BUCKET": "b"}, false},
		{"short ID hash key", map[string]string{"HRSS_ID_HASH_KEY": key[1:], "HRSS_TABLE": "hrss-prod", "HRSS_BUCKET": "b"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			if err := awswire.Check(cfg); (err == nil) != tt.ok {
				t.Errorf("Check = %v, want ok %t", err, tt.ok)
			}
		})
	}
}
