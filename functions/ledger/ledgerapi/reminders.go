package ledgerapi

import (
	"context"
	"fmt"
	"sync"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/reminder"
)

// reminders answers the ledger's schedules (package reminder): the
// monthly window's opening and its last five days, to those who owe; the
// yearly certification of benefits, in each benefit's month. The jobs are
// built on the first schedule, not at start: they load the catalog, which
// no HTTP request of this function needs (docs/performance.md).
func reminders(d app.Deps, ls *ledger.Store, refs *refstore.Store, keys *identity.Keys) func(context.Context, app.ScheduleEvent) error {
	scheduler := sync.OnceValues(func() (*reminder.Scheduler, error) {
		dir := identity.NewDirectory(d.Store, keys)
		open, closing, err := reminder.WindowJobs(ls, dir, func(ctx context.Context) (*refdata.Set, error) { return refs.Load(ctx) }, d.Clock)
		if err != nil {
			return nil, err
		}
		cert, err := reminder.CertificationJob(ls, dir, d.Clock)
		if err != nil {
			return nil, err
		}
		n := &inbox.Notifier{Inbox: inbox.New(d.Store, d.Clock), Send: d.Notify, Mobiles: identity.NewContacts(d.Store)}
		s := &reminder.Scheduler{Runner: reminder.NewRunner(d.Store, d.Clock, n), Jobs: []reminder.Job{open, closing, cert}, Log: d.Log}
		if d.Log != nil {
			s.Runner.Log = d.Log.Warn
		}
		return s, nil
	})
	return func(ctx context.Context, ev app.ScheduleEvent) error {
		s, err := scheduler()
		if err != nil {
			return err
		}
		handled, err := s.Handle(ctx, ev.Schedule, ev.Time)
		if !handled {
			return fmt.Errorf("ledger: unknown schedule %q", ev.Schedule)
		}
		return err
	}
}
