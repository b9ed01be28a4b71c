package reminder

import (
	"context"
	"errors"
	"fmt"

	"github.com/hljhrss/hrss/shared/table"
)

// Info describes a job for staff and for the template check: its label,
// the EventBridge Scheduler schedule that fires it (template.yaml logical
// id and expression, Asia/Shanghai) and the function that runs it.
type Info struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	Schedule   string `json:"schedule"`
	Expression string `json:"expression"`
	Function   string `json:"function"`
}

// ContinueSchedule is the schedule of each function that owns jobs: it
// resumes the function's unfinished runs (an invocation that ran out of
// time or crashed, a staff rerun).
const (
	ContinueSchedule   = "ReminderContinue"
	ContinueExpression = "rate(5 minutes)"
)

// Jobs are the reminders, in the order staff see them.
var Jobs = []Info{
	{Name: JobWindowOpen, Label: "每月1日9时：办理时间开始，提醒有应缴未缴费用的灵活就业人员和有欠费的单位",
		Schedule: "ReminderWindowOpen", Expression: "cron(0 9 1 * ? *)", Function: "LedgerFunction"},
	{Name: JobWindowClosing, Label: "每月20日9时：距办理截止还有5天，再次提醒仍未缴纳的人员和单位",
		Schedule: "ReminderWindowClosing", Expression: "cron(0 9 20 * ? *)", Function: "LedgerFunction"},
	{Name: JobCertification, Label: "每月1日9时：提醒本月应做年度资格认证的离退休人员（4.2）和遗属所在单位（5.15）",
		Schedule: "ReminderCertification", Expression: "cron(0 9 1 * ? *)", Function: "LedgerFunction"},
	{Name: "drafts-window", Label: "每月20日9时：提醒仍有按月办理业务草稿未提交的人，本月办理即将截止",
		Schedule: "ReminderDraftsWindow", Expression: "cron(0 9 20 * ? *)", Function: "ApplicationsFunction"},
	{Name: "drafts-expiring", Label: "每日9时：提醒3天内将过期删除的草稿（每份草稿只提醒一次）",
		Schedule: "ReminderDraftsExpiring", Expression: "cron(0 9 * * ? *)", Function: "ApplicationsFunction"},
	{Name: "review-sla", Label: "每日9时：向各统筹区审核员提醒已等待超过40小时的申请（48小时时流程另行升级）",
		Schedule: "ReminderReviewSLA", Expression: "cron(0 9 * * ? *)", Function: "ApplicationsFunction"},
}

// InfoOf returns the job named name.
func InfoOf(name string) (Info, bool) {
	for _, j := range Jobs {
		if j.Name == name {
			return j, true
		}
	}
	return Info{}, false
}

// Errors of RequestRerun.
var (
	ErrNoRun   = errors.New("reminder: no such run")
	ErrRunning = errors.New("reminder: the run is not finished")
)

// RequestRerun asks for a finished run to be run again from its first
// recipient: the run is marked running with its place and counts reset
// (and ops, such as the audit record of the request, written in the same
// transaction); the owning function's continue schedule runs it. Everyone
// told already is skipped, so only those missed are told.
func (r *Runner) RequestRerun(ctx context.Context, job, period string, ops ...table.Op) (Run, error) {
	cur, ok, err := r.Get(ctx, job, period)
	switch {
	case err != nil:
		return Run{}, err
	case !ok:
		return Run{}, ErrNoRun
	case cur.Status != StatusDone:
		return cur, ErrRunning
	}
	now := r.clk.Now()
	prev := cur.Version
	next := Run{Job: job, Period: period, Status: StatusRunning, Attempt: cur.Attempt + 1, Started: now, Updated: now, Version: prev + 1}
	all := append([]table.Op{
		table.Put(next.item(), table.IfVersion(prev)),
		table.Put(table.Item{table.AttrPK: pkActive, table.AttrSK: job + "#" + period, "T": typeAct, "Job": job, "Period": period}, table.Cond{}),
	}, ops...)
	if err := r.t.TransactWrite(ctx, all); errors.Is(err, table.ErrConditionFailed) {
		return cur, ErrRunning
	} else if err != nil {
		return Run{}, fmt.Errorf("reminder: %w", err)
	}
	return next, nil
}
