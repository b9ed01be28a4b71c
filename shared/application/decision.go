package application

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/refdata/refstore"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// What an approved decision does to the ledger (办结): each business's
// effect is a function of its family (Plugin.Effects) that reads the
// records as they are now, checks them against what was submitted, and
// returns the ledger changes. ApplyDecision writes those changes, the
// application's move from approved to completed and the effect's record in
// one transaction, each ledger record under the version the effect read:
// applied exactly once, or not at all.

// EffectInput is what an effect sees.
type EffectInput struct {
	Business *catalog.Business
	App      *Application
	Snapshot Snapshot // the approved round's, as submitted
	Records  Records  // the applicant's records now
	Store    *ledger.Store
	Refs     *refstore.Store // the reference data in force (rates, average wages, grades)
	Today    calc.Date       // in Asia/Shanghai
	Now      time.Time
	// ReadMaterial reads a file the round was submitted with, checked
	// against its SHA-256 at submit (a missing or changed file is
	// CannotApply).
	ReadMaterial func(ctx context.Context, m SnapMaterial) ([]byte, error)
}

// Effect is what an approved decision changes.
type Effect struct {
	ledger.Changes
	// Summary is the result (办理结果) the applicant reads in 用户中心 and
	// in the notification, e.g. 自2026年12月起暂停缴费.
	Summary string
	// History lists the values changed, old and new: kept with the case.
	History []Change
}

// Change is one value an effect changed.
type Change struct {
	Record string `json:"record"` // what: 个人信息, 单位信息, 待遇 ...
	Field  string `json:"field"`  // the catalog field key or the record's attribute
	Old    string `json:"old"`
	New    string `json:"new"`
}

// EffectFunc is one business's effect.
type EffectFunc func(ctx context.Context, in EffectInput) (Effect, error)

// CannotApply is the error of an effect that cannot be applied as
// submitted (the records changed since): the case goes to staff
// (NeedsAttention) with the reason, in Chinese.
func CannotApply(format string, args ...any) error {
	return &workflow.TaskError{Name: ErrCannot, Cause: fmt.Sprintf(format, args...)}
}

// skEffect keys the effect record of a round in the case's partition.
const skEffect = "EFFECT#"

func effectKey(app string, round int) table.Key {
	return table.Key{PK: pkApp + app, SK: fmt.Sprintf("%s%03d", skEffect, round)}
}

// EffectRecord is what an applied effect left with the case.
type EffectRecord struct {
	Round    int       `json:"round"`
	Business string    `json:"business"`
	Summary  string    `json:"summary"`
	History  []Change  `json:"history,omitempty"`
	Applied  time.Time `json:"appliedAt"`
}

// applyAttempts bounds how often an effect is computed again after the
// records changed under it.
const applyAttempts = 3

// ApplyDecision applies the approved round's effect (the review workflow's
// ApplyDecision, in the family's function) and completes the application.
// A completed round returns its result again and changes nothing.
func (s *Service) ApplyDecision(ctx context.Context, id string, round int) (string, error) {
	for range applyAttempts {
		cs, err := s.round(ctx, id, round)
		if err != nil {
			return "", err
		}
		a := cs.App
		switch a.Status {
		case StatusCompleted:
			return a.Result, nil
		case StatusApproved:
		default:
			return "", CannotApply("申请当前状态为%s，不能办结", a.Status.Label())
		}
		b, err := s.business("", a.Business)
		if err != nil {
			return "", transient(err)
		}
		effect := s.plugins[a.Family].Effects[a.Business]
		if effect == nil {
			return "", CannotApply("业务“%s”没有办结处理（%s 函数未提供）", b.Name, a.Family)
		}
		var snap *Snapshot
		for i := range cs.Snapshots {
			if cs.Snapshots[i].Round == round {
				snap = &cs.Snapshots[i]
			}
		}
		if snap == nil {
			return "", CannotApply("第%d次提交的快照缺失", round)
		}
		if h := s.hooks.BeforeEffect; h != nil {
			if err := h(a); err != nil {
				return "", transient(err)
			}
		}
		recs, err := s.records(ctx, ownerCaller(a))
		if err != nil {
			return "", transient(err)
		}
		now := s.clk.Now()
		e, err := effect(ctx, EffectInput{Business: b, App: a, Snapshot: *snap, Records: recs, Store: s.ledger, Refs: s.refs,
			Today: calc.DateOf(now.In(clock.Shanghai)), Now: now, ReadMaterial: s.materialReader(a.ID)})
		if err != nil {
			return "", transient(err)
		}
		a.Status, a.Result, a.Completed, a.Updated = StatusCompleted, e.Summary, now, now
		a.Timeline = append(a.Timeline, Event{At: now, Status: StatusCompleted, Round: round, Actor: "system", Note: e.Summary})
		appItem, err := encodeApp(a)
		if err != nil {
			return "", err
		}
		body, err := json.Marshal(EffectRecord{Round: round, Business: a.Business, Summary: e.Summary, History: e.History, Applied: now})
		if err != nil {
			return "", err
		}
		ek := effectKey(a.ID, round)
		rec := table.Item{table.AttrPK: ek.PK, table.AttrSK: ek.SK, "T": "effect", "Doc": string(body)}
		ch := e.Changes
		ch.Extra = append(ch.Extra, table.Put(appItem, table.IfVersion(a.Version)), table.Put(rec, table.IfAbsent()))
		err = s.ledger.Write(ctx, ch)
		var tx *table.TxCanceledError
		switch {
		case err == nil:
			return e.Summary, nil
		case errors.Is(err, ledger.ErrChanged), errors.As(err, &tx):
			continue // the records or the case changed meanwhile: read again
		case errors.Is(err, table.ErrTooMany):
			return "", CannotApply("本次办结涉及的记录过多（超过%d条），请人工处理", table.MaxTransactItems-2)
		default:
			return "", transient(err)
		}
	}
	return "", CannotApply("办结时相关记录一再变化，请核对后重新办理")
}

// materialReader reads the submitted files of application id.
func (s *Service) materialReader(id string) func(ctx context.Context, m SnapMaterial) ([]byte, error) {
	return func(ctx context.Context, m SnapMaterial) ([]byte, error) {
		key := Upload{App: id, ID: m.Upload, Status: UploadAccepted}.BlobKey()
		data, _, err := s.blobs.Get(ctx, key, max(m.Size, 1))
		if errors.Is(err, blobs.ErrNotFound) || errors.Is(err, blobs.ErrTooLarge) {
			return nil, CannotApply("提交的材料“%s”已不存在或已被替换，请人工处理", m.Material)
		}
		if err != nil {
			return nil, fmt.Errorf("application: read a material: %w", err)
		}
		sum := sha256.Sum256(data)
		if m.Digest != "" && !strings.EqualFold(hex.EncodeToString(sum[:]), m.Digest) {
			return nil, CannotApply("提交的材料“%s”与提交时的文件不一致，请人工处理", m.Material)
		}
		return data, nil
	}
}

// ownerCaller is the applicant as the records read them.
func ownerCaller(a *Application) identity.Caller {
	c := identity.Caller{AccountID: a.Owner, PersonNumber: a.Person, UnitNumber: a.Unit}
	if a.UserType == catalog.Enterprise {
		c.Roles = []identity.Role{identity.RoleAgent}
	} else {
		c.Roles = []identity.Role{identity.RoleIndividual}
	}
	return c
}

// EffectOf returns the applied effect of a round (false when none).
func (s *Service) EffectOf(ctx context.Context, id string, round int) (EffectRecord, bool, error) {
	it, err := s.t.Get(ctx, effectKey(id, round))
	if errors.Is(err, table.ErrNotFound) {
		return EffectRecord{}, false, nil
	}
	if err != nil {
		return EffectRecord{}, false, err
	}
	var r EffectRecord
	if err := json.Unmarshal([]byte(it.String("Doc")), &r); err != nil {
		return EffectRecord{}, false, fmt.Errorf("application: corrupt effect record: %w", err)
	}
	return r, true, nil
}

// Read reads a case by id without any caller's check: for tools and tests
// (the local runner's checks), never for a route.
func Read(ctx context.Context, t table.Store, id string) (*Case, error) {
	cs, err := load(ctx, t, id)
	if errors.Is(err, errNoApp) {
		return nil, ErrNotFound
	}
	return cs, err
}
