// Package appdeps builds the application lifecycle (package application)
// from a function's app.Deps, and holds what every function serving
// applicants shares: the Applicants policy and Caller.
//
// It reads neither app.Deps.Workflow nor app.Deps.Notify: the caller
// passes what it uses. ApplicationsFunction, which runs the tasks that
// send messages, passes both; the family functions and ReviewFunction the
// workflow only (familyapi.NewService); ReceiptsFunction, which neither
// submits, reviews nor decides, passes none. So each links only the AWS
// clients it uses (shared/lambdaentry's TestFunctionsWireWhatTheyRead
// holds every main.go to what its packages read).
package appdeps

import (
	"net/http"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Applicants are the roles that fill in applications.
var Applicants = access.Allow(identity.RoleIndividual, identity.RoleAgent)

// Service is the lifecycle on d's table, blobs and configuration with wf
// and n (nil for a function that never starts or answers an execution and
// sends nothing) and the family plugins.
func Service(d app.Deps, wf workflow.Engine, n notify.Sender, plugins ...application.Plugin) *application.Service {
	key := ledger.IDHashKey(d.Config.IDHashKey)
	ls := ledger.NewStore(d.Store, d.Clock, ledger.WithIDHashKey(key))
	var sc scan.Scanner = scan.GuardDuty{Blobs: d.Blobs}
	if d.Local {
		// config.FromLookup refused a malformed list already.
		digests, _ := scan.ParseDigests(d.Config.MalwareDigests)
		sc = scan.Local{Blobs: d.Blobs, Digests: digests}
	}
	refs := refstore.New(d.Store, d.Clock)
	quota := application.Quota{}
	if n := d.Config.QuotaFiles; n > 0 {
		quota = application.DefaultQuota
		quota.Files = n
	}
	return application.New(application.Deps{Quota: quota, Table: d.Store, Clock: d.Clock, Catalog: catalog.Default, Ledger: ls,
		Refs: refs, Tables: recordtable.New(ls, refs, catalog.Default), Blobs: d.Blobs, Scanner: sc,
		Workflow: wf, Audit: identity.NewAudit(d.Store, d.Clock, identity.NewKeys(key)), Log: d.Log,
		Notify: n, Contacts: identity.NewContacts(d.Store)}, plugins...)
}

// Caller is the signed-in caller of r (the access router put it there).
func Caller(r *http.Request) (identity.Caller, error) {
	c, ok := access.CallerOf(r.Context())
	if !ok {
		return identity.Caller{}, identity.ErrNoSession
	}
	return c, nil
}
