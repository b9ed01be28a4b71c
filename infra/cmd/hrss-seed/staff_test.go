package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

// TestStaffAddAndEnrol: a staff account is created by the command, cannot
// log in before enrolling its TOTP secret, and can after.
func TestStaffAddAndEnrol(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, dir, "staff", "add", "-id", "R0002", "-name", "李审核", "-role", "reviewer", "-area", "230999")
	if code != exitOK {
		t.Fatalf("staff add: %d %q %q", code, out, errs)
	}
	pw := regexp.MustCompile(`initial password: (\S+)`).FindStringSubmatch(out)
	secret := regexp.MustCompile(`TOTP secret:\s+(\S+)`).FindStringSubmatch(out)
	if pw == nil || secret == nil || !strings.Contains(out, "otpauth://totp/") {
		t.Fatalf("output %q", out)
	}
	if code, _, errs := runCmd(t, dir, "staff", "add", "-id", "R0002", "-name", "x", "-role", "admin"); code != exitFailed || !strings.Contains(errs, "已存在") {
		t.Errorf("duplicate: %d %q", code, errs)
	}
	if code, _, _ := runCmd(t, dir, "staff", "add", "-id", "R0003", "-name", "x", "-role", "boss"); code != exitFailed {
		t.Errorf("unknown role accepted: %d", code)
	}
	// The command's clock is HRSS_CLOCK (2022-05-10, from env).
	now, _ := clock.Parse("2022-05-10")
	c, err := totp.GenerateCode(secret[1], now)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, dir, "staff", "enrol", "-id", "R0002", "-code", "000000"); code != exitFailed || !strings.Contains(errs, "动态口令") {
		t.Errorf("wrong code: %d %q", code, errs)
	}
	if code, out, errs := runCmd(t, dir, "staff", "enrol", "-id", "R0002", "-code", c); code != exitOK {
		t.Fatalf("enrol: %d %q %q", code, out, errs)
	}
	// The first login, 30 seconds later, with the code then shown (the
	// enrolment's code is used up).
	clk := clock.Frozen(now.Add(30 * time.Second))
	c, err = totp.GenerateCode(secret[1], clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	st, err := boltstore.Open(filepath.Join(dir, "hrss.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := account.NewService(account.Deps{Table: st, Clock: clk, Key: ledger.DefaultIDHashKey})
	id, _ := svc.Captchas.New(t.Context())
	ans, _ := svc.Captchas.Answer(t.Context(), id)
	caller, _, err := svc.Login(t.Context(), account.Credentials{Kind: identity.Staff, Username: "R0002", Password: pw[1], CaptchaID: id, CaptchaAnswer: ans, TOTP: c}, account.Meta{})
	if err != nil || !caller.Has(identity.RoleReviewer) || caller.PoolingArea != "230999" {
		t.Errorf("staff login: %+v, %v", caller, err)
	}
	if code, _, _ := runCmd(t, dir, "staff", "remove"); code != exitUsage {
		t.Errorf("unknown staff action: %d", code)
	}
}
