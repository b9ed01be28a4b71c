package application

import (
	"time"

	"github.com/hljhrss/hrss/shared/identity"
)

// Status is where an application is in its lifecycle.
type Status string

// Statuses.
const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusInReview  Status = "in_review"
	StatusApproved  Status = "approved"
	StatusReturned  Status = "returned"
	StatusRejected  Status = "rejected"
	StatusCompleted Status = "completed"
	StatusWithdrawn Status = "withdrawn"
)

// Label is the status as 用户中心 shows it.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusSubmitted:
		return "已提交"
	case StatusInReview:
		return "审核中"
	case StatusApproved:
		return "审核通过"
	case StatusReturned:
		return "已退回"
	case StatusRejected:
		return "不予受理"
	case StatusCompleted:
		return "已办结"
	case StatusWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// Editable reports whether the applicant may change the application: a
// draft, or a returned application before it is submitted again.
func (s Status) Editable() bool { return s == StatusDraft || s == StatusReturned }

// Timing of the lifecycle.
const (
	DraftTTL       = 30 * 24 * time.Hour // a draft untouched this long is gone
	ReviewSLA      = 48 * time.Hour      // 工作人员会在48小时之内处理
	UploadExpiry   = 10 * time.Minute    // a presigned upload form's life
	DownloadExpiry = 5 * time.Minute     // a download link's life
	IdemRetention  = 7 * 24 * time.Hour  // an idempotency record's life
)

// Application is one application: a draft or a submitted case.
type Application struct {
	ID       string
	Business string // catalog business id
	Family   string
	UserType string // individual or enterprise
	Owner    string // account id of the applicant
	Party    string // the owning party (see the package doc)
	Person   string // 人员编号 of an individual applicant ("" when unlinked)
	Unit     string // 单位编号 of an agent's unit ("" when unlinked)
	Status   Status
	Version  int64
	// Round counts submissions: 0 for a draft never submitted, n after the
	// n-th submit (a resubmission after a return is round n+1).
	Round     int
	Reference string
	// Fields are the form's values as last saved. (Read-only fields are
	// compared at submit with the records as they are then, not with what
	// the draft was opened with.)
	Fields    map[string]string
	Selection []string            // ticked ledger periods, YYYYMM
	Rows      []map[string]string // repeating rows (5.14)
	Reasons   map[string]string   // a reviewer's reasons per field or material, when returned
	Timeline  []Event
	Created   time.Time
	Updated   time.Time
	Submitted time.Time
	DueBy     time.Time
	// ReviewToken is the task token of the review execution waiting for a
	// decision; never sent to the applicant.
	ReviewToken string
	// Claimed is set when a reviewer claims the case; until then the
	// applicant may withdraw. ClaimedBy is the reviewer's account id.
	Claimed   bool
	ClaimedBy string
	// Area is the pooling area (统筹区) whose reviewers handle the case.
	Area string
	// Approvals are the reviewers who approved the current round (four
	// eyes: money-moving businesses need two different ones).
	Approvals []string
	// Escalated is set once the round passed its 48 hours undecided and
	// the area's reviewers were told (the review workflow's Escalate);
	// Escalation is the execution time of the last escalation, so that a
	// retried step escalates once.
	Escalated  bool
	Escalation string
	// Attention is set while the review workflow waits for staff after a
	// step failed (NeedsAttention); staff retry it.
	Attention *Attention
	// Result is what an approved decision did (办理结果), once applied.
	Result    string
	Completed time.Time
}

// Attention is a failed step of the review workflow waiting for staff.
type Attention struct {
	Step  string    `json:"step"`  // the state that failed: GenerateReceipt, ApplyDecision, ...
	Error string    `json:"error"` // its error name
	Cause string    `json:"cause"` // why, for staff (never personal data)
	At    time.Time `json:"at"`
	Round int       `json:"round"`
	Token string    `json:"token"` // the NeedsAttention task's token; never shown
}

// Queued reports whether a waits in its area's review queue.
func (a *Application) Queued() bool { return a.Status == StatusSubmitted || a.Status == StatusInReview }

// Event is one change of status, for the timeline.
type Event struct {
	At     time.Time `json:"at"`
	Status Status    `json:"status"`
	Round  int       `json:"round,omitempty"`
	Actor  string    `json:"actor"` // applicant, reviewer, system
	Note   string    `json:"note,omitempty"`
}

// UploadStatus is where an uploaded file is.
type UploadStatus string

// Upload statuses.
const (
	UploadPending  UploadStatus = "pending"  // form handed out; file maybe uploaded, not checked
	UploadAccepted UploadStatus = "accepted" // checked: type, size, scan; moved under materials/
	UploadRejected UploadStatus = "rejected" // refused; the file is deleted, the reason kept
	// UploadSuperseded is a submitted file the applicant removed from a
	// returned application: kept for the round it was submitted with, not
	// part of the next.
	UploadSuperseded UploadStatus = "superseded"
)

// Upload is one file of a material slot.
type Upload struct {
	ID          string
	App         string
	Material    string // the material's name as in the catalog
	FileName    string
	ContentType string
	Size        int64
	Status      UploadStatus
	Digest      string // SHA-256 hex, once accepted
	Reason      string // why it was refused
	Created     time.Time
	Round       int         // the round it was submitted with; 0 while in a draft
	Report      *FileReport // the family's check of the contents, if any
	Checked     int         // rows a running file check has read
}

// expired reports whether u's upload form can no longer be used. A pending
// upload past it holds no file unless one was uploaded in time: it no
// longer counts against the material's file limit.
func (u Upload) expired(now time.Time) bool { return now.After(u.Created.Add(UploadExpiry)) }

// BlobKey is where the file is stored now.
func (u Upload) BlobKey() string {
	if u.Status == UploadAccepted || u.Status == UploadSuperseded {
		return "materials/" + u.App + "/" + u.ID
	}
	return "pending/" + u.App + "/" + u.ID
}

// Snapshot is what a submit froze: never changed once written.
type Snapshot struct {
	Round          int                 `json:"round"`
	Submitted      time.Time           `json:"submittedAt"`
	Reference      string              `json:"reference"`
	Fields         map[string]string   `json:"fields"`
	Rows           []map[string]string `json:"rows,omitempty"`
	Materials      []SnapMaterial      `json:"materials"`
	Ledger         *LedgerSnapshot     `json:"ledger,omitempty"`
	CatalogVersion string              `json:"catalogVersion"`
	CatalogDigest  string              `json:"catalogDigest"`
	RefdataVersion string              `json:"refdataVersion,omitempty"`
	Warnings       map[string]string   `json:"warnings,omitempty"`
	Area           string              `json:"area"` // 统筹区 the case was queued in
}

// SnapMaterial is a file as submitted.
type SnapMaterial struct {
	Material    string `json:"material"`
	Upload      string `json:"uploadId"`
	FileName    string `json:"fileName"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Digest      string `json:"sha256"`
}

// LedgerSnapshot is the ticked rows of a record table with the amounts and
// interest computed at submit.
type LedgerSnapshot struct {
	Title       string            `json:"title"`
	Columns     []string          `json:"columns"`
	Rows        []LedgerSnapRow   `json:"rows"`
	Totals      []LedgerSnapTotal `json:"totals"`
	CalcDate    string            `json:"calcDate"`
	Provisional bool              `json:"provisional,omitempty"`
	Note        string            `json:"provisionalNote,omitempty"`
}

// LedgerSnapRow is one ticked row.
type LedgerSnapRow struct {
	Period string   `json:"period"`
	Unit   string   `json:"unitNumber,omitempty"`
	Cells  []string `json:"cells"`
}

// LedgerSnapTotal is one total over the ticked rows.
type LedgerSnapTotal struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// PartyOf is the party that owns what c opens: the unit of an agent linked
// to one, else the account.
func PartyOf(c identity.Caller) string {
	if c.Has(identity.RoleAgent) && c.UnitNumber != "" {
		return "U." + c.UnitNumber
	}
	return "A." + c.AccountID
}

// Owns reports whether c may read and change a.
func Owns(c identity.Caller, a *Application) bool {
	if c.AccountID == "" {
		return false
	}
	if a.Owner == c.AccountID {
		return true
	}
	return c.Has(identity.RoleAgent) && a.Unit != "" && a.Unit == c.UnitNumber && a.UserType == "enterprise"
}
