package ledgerapi

import (
	"context"
	"net/http"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
)

// errNotYours is the one answer to a person number that is not the
// caller's to read, whether it exists or not.
var errNotYours = apperr.E(apperr.Forbidden, "无权查看该人员的记录：个人只能查看本人的记录，单位只能查看本单位职工在本单位的记录")

// subject is whose records a request reads and through which unit.
type subject struct {
	person string
	unit   string // "" for an individual's own records (every unit)
	caller identity.Caller
	agent  bool // read by an enterprise's agent: audited, and not found is not yours
}

// subjectOf decides whose records the caller reads. named is the person
// number the request names ("" for none); unit the unit it names.
//
//   - An individual reads their own records: naming anyone else is 403; an
//     account not linked to the ledger has no records (404).
//   - An agent must name a person, and reads that person's rows of its own
//     unit only; a person who is not (or was not) employed there, or who
//     does not exist, is 403.
func subjectOf(r *http.Request, named, unit string) (subject, error) {
	c, ok := access.CallerOf(r.Context())
	if !ok {
		return subject{}, identity.ErrNoSession
	}
	switch {
	case c.Has(identity.RoleIndividual):
		if named != "" && named != c.PersonNumber {
			return subject{}, errNotYours
		}
		if c.PersonNumber == "" {
			return subject{}, apperr.E(apperr.NotFound, "未找到您的参保信息：注册时填写的姓名和社会保障号在参保系统中没有记录，参保登记后即可查看")
		}
		return subject{person: c.PersonNumber, unit: unit, caller: c}, nil
	case c.Has(identity.RoleAgent):
		if c.UnitNumber == "" {
			return subject{}, apperr.E(apperr.NotFound, "本单位尚未在参保系统中登记，办理单位参保登记后即可查看职工记录")
		}
		if named == "" {
			return subject{}, apperr.Field("person", "请提供职工的人员编号")
		}
		if unit != "" && unit != c.UnitNumber {
			return subject{}, errNotYours
		}
		return subject{person: named, unit: c.UnitNumber, caller: c, agent: true}, nil
	}
	return subject{}, apperr.E(apperr.Forbidden, "您的账号无权查看参保记录")
}

// check maps the read's outcome for an agent: the person not found, or not
// found at the agent's unit, is not the agent's to read.
func (sb subject) check(err error) error {
	if sb.agent && apperr.CodeOf(err) == apperr.NotFound {
		return errNotYours
	}
	return err
}

// audit records that an agent read an employee's data: the person sees it
// in their access log. A lost record is logged, and does not fail the read
// that already happened.
func (s *server) auditRead(ctx context.Context, r *http.Request, sb subject, object, result string) {
	if !sb.agent {
		return
	}
	err := s.audit.Record(ctx, identity.AuditRecord{Actor: sb.caller.AccountID, ActorRole: identity.RoleAgent,
		ActorName: sb.caller.Name, Action: identity.ActionRead, Object: object, Subject: sb.person, Result: result,
		RequestID: httpapi.RequestID(ctx)}, httpapi.ClientAddr(r))
	if err != nil {
		s.log.ErrorContext(ctx, "audit record lost", "action", identity.ActionRead, "err", err.Error())
	}
}
