package application

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// Key prefixes (see the package doc).
const (
	pkApp       = "APP#"
	pkRef       = "APPREF#"
	pkUnstarted = "APP#UNSTARTED"
	pkUntold    = "APP#UNTOLD"
	pkQuota     = "APP#QUOTA#"
	gsiParty    = "APP#PARTY#"
	gsiQueue    = "APP#QUEUE#"
	gsiDraftExp = "APP#DRAFTEXP#"
	skApp       = "APP"
	skSnap      = "SNAP#"
	skUpload    = "UPLOAD#"
	skIdem      = "IDEM#"
	skRef       = "REF"
	skQuota     = "QUOTA"
)

func appKey(id string) table.Key { return table.Key{PK: pkApp + id, SK: skApp} }

func uploadKey(app, id string) table.Key { return table.Key{PK: pkApp + app, SK: skUpload + id} }

func snapKey(app string, round int) table.Key {
	return table.Key{PK: pkApp + app, SK: fmt.Sprintf("%s%03d", skSnap, round)}
}

// idemKey keys an idempotency record by a hash of the client's key, so
// that any string the client sends is a valid key part.
func idemKey(app, key string) table.Key {
	h := sha256.Sum256([]byte(key))
	return table.Key{PK: pkApp + app, SK: skIdem + hex.EncodeToString(h[:])}
}

func refKey(ref string) table.Key { return table.Key{PK: pkRef + ref, SK: skRef} }

func quotaKey(party string) table.Key { return table.Key{PK: pkQuota + party, SK: skQuota} }

func unstartedKey(a *Application) table.Key {
	return table.Key{PK: pkUnstarted, SK: stamp(a.Submitted) + "#" + a.ID + "#" + strconv.Itoa(a.Round)}
}

// untoldKey is the marker of a's decision of round, made at decided,
// until its review execution has been told (Decide, Sweep).
func untoldKey(a *Application, decided time.Time) table.Key {
	return table.Key{PK: pkUntold, SK: stamp(decided) + "#" + a.ID + "#" + strconv.Itoa(a.Round)}
}

// stamp is a sortable UTC time.
func stamp(t time.Time) string { return t.UTC().Format("20060102T150405.000000000Z") }

// doc is the JSON body of an application item: what no key or condition
// needs.
type doc struct {
	Fields     map[string]string   `json:"fields,omitempty"`
	Selection  []string            `json:"selection,omitempty"`
	Rows       []map[string]string `json:"rows,omitempty"`
	Reasons    map[string]string   `json:"reasons,omitempty"`
	Timeline   []Event             `json:"timeline,omitempty"`
	Approvals  []string            `json:"approvals,omitempty"`
	Escalated  bool                `json:"escalated,omitempty"`
	Escalation string              `json:"escalation,omitempty"`
	Attention  *Attention          `json:"attention,omitempty"`
	Result     string              `json:"result,omitempty"`
	Completed  time.Time           `json:"completed,omitzero"`
}

// encodeApp is the item that writes a's next version: Version a.Version+1,
// to be put under IfVersion(a.Version).
func encodeApp(a *Application) (table.Item, error) {
	body, err := json.Marshal(doc{Fields: a.Fields, Selection: a.Selection, Rows: a.Rows,
		Reasons: a.Reasons, Timeline: a.Timeline, Approvals: a.Approvals, Escalated: a.Escalated, Escalation: a.Escalation,
		Attention: a.Attention, Result: a.Result, Completed: a.Completed})
	if err != nil {
		return nil, err
	}
	k := appKey(a.ID)
	it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "application", "Business": a.Business, "Family": a.Family,
		"UserType": a.UserType, "Owner": a.Owner, "Party": a.Party, "Status": string(a.Status), "Round": int64(a.Round),
		"Created": stamp(a.Created), "Updated": stamp(a.Updated), "Doc": string(body), "Claimed": a.Claimed,
		table.AttrVersion: a.Version + 1}
	for name, v := range map[string]string{"Person": a.Person, "Unit": a.Unit, "Reference": a.Reference, "ReviewToken": a.ReviewToken,
		"ClaimedBy": a.ClaimedBy, "Area": a.Area} {
		if v != "" {
			it[name] = v
		}
	}
	if !a.Submitted.IsZero() {
		it["Submitted"], it["DueBy"] = stamp(a.Submitted), stamp(a.DueBy)
	}
	if a.Queued() && a.Area != "" {
		it[table.AttrGSI2PK], it[table.AttrGSI2SK] = gsiQueue+a.Area, stamp(a.DueBy)+"#"+a.ID
	}
	it[table.AttrGSI1PK] = gsiParty + a.Party
	if a.Status == StatusDraft {
		it[table.AttrGSI1SK] = "D#" + stamp(a.Updated) + "#" + a.ID
		exp := a.Updated.Add(DraftTTL)
		it[table.AttrTTL] = exp.Unix()
		it[table.AttrGSI2PK], it[table.AttrGSI2SK] = gsiDraftExp+exp.In(clock.Shanghai).Format("20060102"), stamp(exp)+"#"+a.ID
	} else {
		it[table.AttrGSI1SK] = "S#" + stamp(a.Submitted) + "#" + a.ID
	}
	return it, nil
}

func parseStamp(s string) time.Time {
	t, _ := time.Parse("20060102T150405.000000000Z", s)
	return t
}

func decodeApp(it table.Item) (*Application, error) {
	var d doc
	if err := json.Unmarshal([]byte(it.String("Doc")), &d); err != nil {
		return nil, fmt.Errorf("application: corrupt item %s: %w", it.Key(), err)
	}
	claimed, _ := it["Claimed"].(bool)
	a := &Application{ID: strings.TrimPrefix(it.String(table.AttrPK), pkApp), Business: it.String("Business"),
		Family: it.String("Family"), UserType: it.String("UserType"), Owner: it.String("Owner"), Party: it.String("Party"),
		Person: it.String("Person"), Unit: it.String("Unit"), Status: Status(it.String("Status")), Version: it.Int(table.AttrVersion),
		Round: int(it.Int("Round")), Reference: it.String("Reference"), Fields: d.Fields,
		Selection: d.Selection, Rows: d.Rows, Reasons: d.Reasons, Timeline: d.Timeline, Created: parseStamp(it.String("Created")),
		Updated: parseStamp(it.String("Updated")), Submitted: parseStamp(it.String("Submitted")), DueBy: parseStamp(it.String("DueBy")),
		ReviewToken: it.String("ReviewToken"), Claimed: claimed, ClaimedBy: it.String("ClaimedBy"), Area: it.String("Area"),
		Approvals: d.Approvals, Escalated: d.Escalated, Escalation: d.Escalation, Attention: d.Attention, Result: d.Result,
		Completed: d.Completed}
	if a.Fields == nil {
		a.Fields = map[string]string{}
	}
	return a, nil
}

func encodeUpload(u *Upload) table.Item {
	k := uploadKey(u.App, u.ID)
	it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "upload", "Material": u.Material, "FileName": u.FileName,
		"ContentType": u.ContentType, "Size": u.Size, "Status": string(u.Status), "Created": stamp(u.Created), "Round": int64(u.Round)}
	if u.Digest != "" {
		it["Digest"] = u.Digest
	}
	if u.Reason != "" {
		it["Reason"] = u.Reason
	}
	if u.Checked > 0 {
		it["Checked"] = int64(u.Checked)
	}
	if u.Report != nil {
		b, _ := json.Marshal(u.Report)
		it["Report"] = string(b)
	}
	return it
}

func decodeUpload(it table.Item) Upload {
	var rep *FileReport
	if r := it.String("Report"); r != "" {
		rep = &FileReport{}
		if json.Unmarshal([]byte(r), rep) != nil {
			rep = nil
		}
	}
	return Upload{Report: rep, Checked: int(it.Int("Checked")), ID: strings.TrimPrefix(it.String(table.AttrSK), skUpload), App: strings.TrimPrefix(it.String(table.AttrPK), pkApp),
		Material: it.String("Material"), FileName: it.String("FileName"), ContentType: it.String("ContentType"), Size: it.Int("Size"),
		Status: UploadStatus(it.String("Status")), Digest: it.String("Digest"), Reason: it.String("Reason"),
		Created: parseStamp(it.String("Created")), Round: int(it.Int("Round"))}
}

// Case is an application with everything its partition holds.
type Case struct {
	App       *Application
	Uploads   []Upload   // in upload order
	Snapshots []Snapshot // by round
	Rating    *Rating    // the applicant's 好差评, once given
	idem      map[string]table.Item
}

// Upload returns the upload with id.
func (c *Case) Upload(id string) (Upload, bool) {
	for _, u := range c.Uploads {
		if u.ID == id {
			return u, true
		}
	}
	return Upload{}, false
}

// errNoApp is a partition without an application item (never created, or
// a draft past its TTL).
var errNoApp = errors.New("application: not found")

// load reads an application's partition: one query (more pages only for
// a case with very many uploads).
func load(ctx context.Context, t table.Store, id string) (*Case, error) {
	if !table.ValidKeyPart(id) {
		return nil, errNoApp
	}
	c := &Case{idem: map[string]table.Item{}}
	cursor := ""
	for {
		page, err := t.Query(ctx, table.Query{PK: pkApp + id, Cursor: cursor})
		if err != nil {
			return nil, fmt.Errorf("application: load: %w", err)
		}
		for _, it := range page.Items {
			sk := it.String(table.AttrSK)
			switch {
			case sk == skApp:
				a, err := decodeApp(it)
				if err != nil {
					return nil, err
				}
				c.App = a
			case strings.HasPrefix(sk, skUpload):
				c.Uploads = append(c.Uploads, decodeUpload(it))
			case strings.HasPrefix(sk, skSnap):
				var s Snapshot
				if err := json.Unmarshal([]byte(it.String("Doc")), &s); err != nil {
					return nil, fmt.Errorf("application: corrupt snapshot %s: %w", it.Key(), err)
				}
				c.Snapshots = append(c.Snapshots, s)
			case strings.HasPrefix(sk, skIdem):
				c.idem[sk] = it
			case sk == skRating:
				r, _, err := decodeRating(it)
				if err != nil {
					return nil, err
				}
				c.Rating = r
			}
		}
		if page.Cursor == "" {
			break
		}
		cursor = page.Cursor
	}
	if c.App == nil {
		return nil, errNoApp
	}
	sortUploads(c.Uploads)
	return c, nil
}

func sortUploads(us []Upload) {
	slices.SortFunc(us, func(a, b Upload) int { return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ID, b.ID)) })
}
