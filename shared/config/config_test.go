package config_test

import (
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/config"
)

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := config.FromLookup(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{
		Addr: "127.0.0.1", Port: 8080, DataDir: ".data", PublicURL: "http://127.0.0.1:8080",
		Table: "hrss", Bucket: "hrss-materials", StateMachines: map[string]string{},
		MailFrom: "noreply@hrss.example", LogLevel: slog.LevelInfo,
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestOverrides(t *testing.T) {
	c, err := config.FromLookup(lookup(map[string]string{
		"PORT": "9090", "HRSS_LOG_LEVEL": "debug", "HRSS_CLOCK": "2022-05-10", "HRSS_UPLOAD_QUOTA_FILES": "5000",
		"HRSS_STATE_MACHINES": "SelfTestStateMachine=arn:aws-cn:states:cn-north-1:1:stateMachine:x, Review=arn:aws:states:r:1:stateMachine:y",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 9090 || c.PublicURL != "http://127.0.0.1:9090" || c.LogLevel != slog.LevelDebug || c.Clock != "2022-05-10" || c.QuotaFiles != 5000 {
		t.Errorf("got %+v", c)
	}
	if diff := cmp.Diff(map[string]string{
		"SelfTestStateMachine": "arn:aws-cn:states:cn-north-1:1:stateMachine:x",
		"Review":               "arn:aws:states:r:1:stateMachine:y",
	}, c.StateMachines); diff != "" {
		t.Error(diff)
	}
}

func TestInvalid(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"port not a number":  {"PORT": "http"},
		"port out of range":  {"PORT": "70000"},
		"bad log level":      {"HRSS_LOG_LEVEL": "loud"},
		"bad state machine":  {"HRSS_STATE_MACHINES": "NoArn"},
		"quota not a number": {"HRSS_UPLOAD_QUOTA_FILES": "many"},
		"quota zero":         {"HRSS_UPLOAD_QUOTA_FILES": "0"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := config.FromLookup(lookup(env)); err == nil {
				t.Error("want an error")
			}
		})
	}
}
