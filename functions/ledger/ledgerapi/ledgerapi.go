// Package ledgerapi is the ledger function (LedgerFunction): contribution
// calculations and the record tables (记录一览表) of the businesses that show
// one. It is the HTTP edge only: it decodes requests, calls
// shared/recordtable (record tables and the 试算) and shared/retirement,
// and maps their answers and problems (calc.Problems) to the wire.
//
// Routes:
//
//	POST /api/v1/calculations/back-payment   补缴试算 (no login): amounts and interest of given months
//	POST /api/v1/calculations/retirement     法定退休时间, 实际/视同缴费月数, 提前退休月数
//	GET  /api/v1/ledgers/{business}          a business's record table for a person
//
// {business} is the business id of the spec (employee-back-payment) or the
// section of the manual (5.1): personal-refund 4.4,
// employee-base-adjustment-back-payment 4.6,
// employee-rate-adjustment-back-payment 4.9,
// flexible-employment-due-assessment 4.25,
// flexible-employment-due-assessment-revoke 4.26, employee-back-payment
// 5.1, employee-arrears-clearance 5.5. Query parameters: person (人员编号:
// an individual reads their own and names none; an agent names an employee
// of its unit and sees that unit's rows only), unit (单位编号, optional for an
// individual), from and to
// (YYYYMM or YYYY-MM, the 开始年月/结束年月 query), selected (ticked periods,
// comma-separated; absent = all rows, empty = none; totals are over the
// ticked rows).
//
// Money is sent as strings with two decimals ("243.80"); identifiers are
// masked (230827********1218, bank accounts ****1234-style). Interest
// charged for a year whose bookkeeping rate is not yet published is
// provisional: the cells, parts and totals carry "provisional": true and the
// answer "provisionalYears", "provisionalRate" and "provisionalNote".
// Errors are apperr errors: bad input is 422 with Chinese field errors keyed
// like the body ("rows[0].period") or the query ("from"); no session is 401;
// anyone else's person number is 403, whether it exists or not.
package ledgerapi

import (
	"log/slog"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/retirement"
)

// Name is the function's logical id in template.yaml.
const Name = "LedgerFunction"

// MaxRows bounds the rows of one back-payment calculation (50 years).
const MaxRows = recordtable.MaxTrialRows

// Policies are the routes' access policies: the 试算 is public; the
// retirement figures need a login only for a named person; record tables
// are read by the person (their own) and by an enterprise's agent (the
// employees of its unit, for the unit businesses).
var Policies = access.Policies{
	"POST /api/v1/calculations/back-payment": access.Public,
	"POST /api/v1/calculations/retirement":   access.Optional,
	"GET /api/v1/ledgers/{business}":         access.Allow(identity.RoleIndividual, identity.RoleAgent),
}

// Options configure the function beyond its Deps.
type Options struct {
	// IDHashKey is the HMAC key of the ID-number index. Empty: the
	// configuration's (d.Config.IDHashKey: in AWS read from Parameter
	// Store by awswire.Secrets, which refuses to start without it; locally
	// HRSS_ID_HASH_KEY), and when that is empty too, as in a local run,
	// ledger.DefaultIDHashKey.
	IDHashKey []byte
}

// New builds the ledger function. The ID-number index is keyed with
// d.Config.IDHashKey; without one, as in a local run,
// with ledger.DefaultIDHashKey.
func New(d app.Deps) app.Function { return NewWith(d, Options{}) }

// NewWith builds the ledger function with options.
func NewWith(d app.Deps, opt Options) app.Function {
	key := idHashKey(d, opt)
	ls := ledger.NewStore(d.Store, d.Clock, ledger.WithIDHashKey(key))
	refs := refstore.New(d.Store, d.Clock)
	if key == nil {
		key = ledger.DefaultIDHashKey
	}
	s := &server{tables: recordtable.New(ls, refs, catalog.Default), retire: retirement.New(ls, refs),
		audit: identity.NewAudit(d.Store, d.Clock, identity.NewKeys(key)), log: d.Log}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	rt, _ := access.NewRouter(d, Policies)
	rt.HandleFunc("POST /api/v1/calculations/back-payment", s.backPayment)
	rt.HandleFunc("POST /api/v1/calculations/retirement", s.retirement)
	rt.HandleFunc("GET /api/v1/ledgers/{business}", s.ledgerTable)
	fn := app.Function{Name: Name, HTTP: rt}
	if d.Store != nil {
		fn.Schedule = reminders(d, ls, refs, identity.NewKeys(key))
	}
	return fn
}

// idHashKey is the HMAC key of the ID-number index: opt's, else the
// configuration's; nil leaves ledger.DefaultIDHashKey.
func idHashKey(d app.Deps, opt Options) []byte {
	if len(opt.IDHashKey) > 0 {
		return opt.IDHashKey
	}
	if d.Config.IDHashKey != "" {
		return []byte(d.Config.IDHashKey)
	}
	return nil
}

type server struct {
	tables *recordtable.Service
	retire *retirement.Service
	audit  *identity.Audit
	log    *slog.Logger
}

// fieldErrors maps the calc.Problems err carries to the wire: each problem
// goes under its field key (key returns it; "" keeps the problem in the
// message only), after the edge's own field errors in fields. An error
// without problems is returned as it is; nil without fields is nil.
func fieldErrors(err error, fields map[string]string, key func(calc.Problem) string) error {
	ps := calc.ProblemsOf(err)
	if (err != nil && ps == nil) || (err == nil && len(fields) == 0) {
		return err
	}
	out := map[string]string{}
	for k, v := range fields {
		out[k] = v
	}
	msg := ""
	for _, p := range ps {
		k := key(p)
		if k == "" {
			msg = p.Message
			continue
		}
		if _, dup := out[k]; !dup {
			out[k] = p.Message
		}
	}
	if len(out) == 1 && msg == "" {
		for _, m := range out {
			msg = m
		}
	}
	e := apperr.Fields(msg, out)
	if len(out) == 0 {
		e.Fields = nil
	}
	e.Err = err
	return e
}
