package ledgerapi

import (
	"testing"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/config"
)

func TestIDHashKey(t *testing.T) {
	cfg := app.Deps{Config: config.Config{IDHashKey: "from-config"}}
	for _, tt := range []struct {
		name string
		d    app.Deps
		opt  Options
		want string
	}{
		{"configured (HRSS_ID_HASH_KEY)", cfg, Options{}, "from-config"},
		{"option wins", cfg, Options{IDHashKey: []byte("from-option")}, "from-option"},
		{"neither: the ledger's default", app.Deps{}, Options{}, ""},
	} {
		if got := string(idHashKey(tt.d, tt.opt)); got != tt.want {
			t.Errorf("%s: key %q, want %q", tt.name, got, tt.want)
		}
	}
}
