package application

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// The clean-up of expired drafts. A draft's application item goes by its
// TTL (30 days after its last change), but nothing expires the rest of its
// partition: its uploads' items, their files in the bucket (materials/ has
// no lifecycle rule: the files of cases are kept) and their place in the
// party's upload quota, which would count the files of long-gone drafts
// against the person for ever.
//
// An expired item cannot be found any more, so the clean-up notes the
// drafts about to expire first: each day it marks the drafts whose TTL
// ends within the next two days (GSI2 APP#DRAFTEXP#<day>) in the partition
// APP#EXPIRING (sort key <expires>#<id>), then sweeps the marks whose time
// has passed. A marked draft that is still there was saved again (a new
// expiry, marked again later) or submitted: its mark goes. One that is gone
// has its uploads deleted with the quota given back, their files deleted,
// its idempotency records deleted, then its mark.
const (
	pkExpiring = "APP#EXPIRING"
	// CleanupSchedule is the schedule (template.yaml) that runs it.
	CleanupSchedule = "ApplicationsCleanup"
)

// CleanupResult counts what a clean-up did.
type CleanupResult struct {
	Marked  int // drafts noted before they expire
	Cleaned int // expired drafts whose leftovers were removed
	Files   int // files deleted
	Kept    int // marks dropped: the draft was saved again or submitted
}

// CleanExpiredDrafts marks the drafts that expire within two days and
// removes the leftovers of those that have expired.
func (s *Service) CleanExpiredDrafts(ctx context.Context) (CleanupResult, error) {
	var res CleanupResult
	now := s.clk.Now().In(clock.Shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Shanghai)
	for off := 0; off <= 2; off++ {
		for cursor := ""; ; {
			apps, next, err := s.draftsOn(ctx, today.AddDate(0, 0, off), cursor)
			if err != nil {
				return res, err
			}
			for _, a := range apps {
				exp := a.Updated.Add(DraftTTL)
				err := s.t.Put(ctx, table.Item{table.AttrPK: pkExpiring, table.AttrSK: stamp(exp) + "#" + a.ID, "T": "expiring",
					"App": a.ID, "Party": a.Party}, table.Cond{})
				if err != nil {
					return res, fmt.Errorf("application: mark expiring draft: %w", err)
				}
				res.Marked++
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	q := table.Query{PK: pkExpiring, SK: table.SKCond{Op: table.SKLt, Value: stamp(now)}, Limit: 100}
	for {
		p, err := s.t.Query(ctx, q)
		if err != nil {
			return res, fmt.Errorf("application: expiring drafts: %w", err)
		}
		for _, m := range p.Items {
			if err := s.cleanOne(ctx, m, &res); err != nil {
				return res, err
			}
		}
		if p.Cursor == "" {
			return res, nil
		}
		q.Cursor = p.Cursor
	}
}

// cleanOne handles one mark whose time has passed.
func (s *Service) cleanOne(ctx context.Context, mark table.Item, res *CleanupResult) error {
	id, party := mark.String("App"), mark.String("Party")
	dropMark := func() error {
		if err := s.t.Delete(ctx, mark.Key(), table.Cond{}); err != nil {
			return fmt.Errorf("application: drop mark: %w", err)
		}
		return nil
	}
	if !table.ValidKeyPart(id) {
		return dropMark()
	}
	_, err := s.t.Get(ctx, appKey(id))
	if err == nil { // saved again (marked again later) or submitted
		res.Kept++
		return dropMark()
	}
	if !errors.Is(err, table.ErrNotFound) {
		return fmt.Errorf("application: expired draft: %w", err)
	}
	// Gone: what its partition still holds.
	q := table.Query{PK: pkApp + id, Limit: 100}
	for {
		p, err := s.t.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("application: expired draft: %w", err)
		}
		for _, it := range p.Items {
			sk := it.String(table.AttrSK)
			switch {
			case strings.HasPrefix(sk, skUpload):
				u := decodeUpload(it)
				files, bytes := -1, -u.Size
				if u.Status == UploadRejected || u.Round != 0 { // not on the quota
					files, bytes = 0, 0
				}
				del := table.Delete(it.Key(), table.Cond{})
				if files != 0 {
					err = s.changeQuota(ctx, party, files, bytes, del)
				} else {
					err = s.t.TransactWrite(ctx, []table.Op{del})
				}
				if err != nil {
					return fmt.Errorf("application: expired draft's upload: %w", err)
				}
				for _, key := range []string{"pending/" + u.App + "/" + u.ID, "materials/" + u.App + "/" + u.ID} {
					if err := s.blobs.Delete(ctx, key); err != nil {
						s.log.WarnContext(ctx, "expired draft's file left in storage", "upload", u.ID, "err", err.Error())
					}
				}
				res.Files++
			case sk == skApp:
				// The draft itself, past its TTL but not yet removed by it.
			default: // idempotency records and anything else of the draft
				if err := s.t.Delete(ctx, it.Key(), table.Cond{}); err != nil {
					return fmt.Errorf("application: expired draft: %w", err)
				}
			}
		}
		if p.Cursor == "" {
			break
		}
		q.Cursor = p.Cursor
	}
	res.Cleaned++
	return dropMark()
}
