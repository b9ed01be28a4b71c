package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"math/big"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
)

// staffCmd is a parsed staff command.
type staffCmd struct {
	action               string // add or enrol
	id, name, role, area string
	code                 string
}

func parseStaff(args []string, stderr io.Writer) (staffCmd, bool) {
	var c staffCmd
	if len(args) == 0 || (args[0] != "add" && args[0] != "enrol") {
		fmt.Fprintln(stderr, "usage: hrss-seed staff add -id ID -name NAME -role reviewer|admin [-area CODE] | staff enrol -id ID -code 123456")
		return c, false
	}
	c.action = args[0]
	fs := flag.NewFlagSet("hrss-seed staff "+c.action, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.id, "id", "", "staff ID (工号), 4-20 letters or digits: the username")
	if c.action == "add" {
		fs.StringVar(&c.name, "name", "", "name (姓名)")
		fs.StringVar(&c.role, "role", "", "reviewer or admin")
		fs.StringVar(&c.area, "area", "", "pooling area (统筹区) a reviewer reviews, e.g. 230999")
	} else {
		fs.StringVar(&c.code, "code", "", "the 6-digit code the authenticator app shows")
	}
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || c.id == "" {
		fmt.Fprintln(stderr, "hrss-seed staff: -id is required")
		return c, false
	}
	return c, true
}

// initialPassword draws a password that passes account.CheckPassword:
// 16 characters from upper, lower, digits and symbols.
func initialPassword() (string, error) {
	const classes = "ABCDEFGHJKLMNPQRSTUVWXYZ" + "abcdefghijkmnopqrstuvwxyz" + "23456789" + "@#%+=!"
	out := []byte("Aa2@")
	for len(out) < 16 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(classes))))
		if err != nil {
			return "", err
		}
		out = append(out, classes[n.Int64()])
	}
	return string(out), nil
}

func runStaff(ctx context.Context, st table.Store, cfg config.Config, clk clock.Clock, c staffCmd, stdout, stderr io.Writer) int {
	svc := account.NewService(account.Deps{Table: st, Clock: clk, Key: ledger.IDHashKey(cfg.IDHashKey)})
	if c.action == "enrol" {
		if err := svc.EnrolTOTP(ctx, c.id, c.code); err != nil {
			fmt.Fprintln(stderr, "hrss-seed staff enrol:", message(err))
			return exitFailed
		}
		fmt.Fprintf(stdout, "%s: TOTP enrolled; the account may log in\n", c.id)
		return exitOK
	}
	pw, err := initialPassword()
	if err != nil {
		fmt.Fprintln(stderr, "hrss-seed staff add:", err)
		return exitFailed
	}
	en, err := svc.CreateStaff(ctx, account.NewStaff{ID: c.id, Name: c.name, Role: identity.Role(c.role), PoolingArea: c.area, Password: pw})
	if err != nil {
		fmt.Fprintln(stderr, "hrss-seed staff add:", message(err))
		return exitFailed
	}
	fmt.Fprintf(stdout, "staff %s created (role %s); give the person, in person:\n  initial password: %s\n  TOTP secret:      %s\n  otpauth URI:      %s\n"+
		"then run: hrss-seed staff enrol -id %s -code <the 6 digits the app shows>\n", c.id, c.role, pw, en.Secret, en.URI, c.id)
	return exitOK
}

// message is an error as the operator reads it: the Chinese message and
// the field errors of an *apperr.Error.
func message(err error) string {
	e := apperr.As(err)
	if e.Code == apperr.Internal {
		return err.Error()
	}
	msg := e.Message
	for k, v := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", k, v)
	}
	return msg
}
