// Package receiptsapi is the ReceiptsFunction: the 回执单 (receipt) of each
// submitted round, as a PDF (package receipt) stored in the bucket under
// receipts/<application>/r<round>.pdf. It is a function of its own because
// it carries the Chinese font: the other functions stay small.
//
// Routes:
//
//	GET /api/v1/applications/{id}/receipt        the applicant's receipt of the current round:
//	                                             303 to a short-lived link to the PDF, or 202 while it is being made
//	GET /api/v1/receipts/verify/{reference}?s=   public: is the receipt genuine? the business, status and dates,
//	                                             no personal data; HTML for a phone that scanned the QR code,
//	                                             JSON when asked for (Accept: application/json)
//
// Task generateReceipt {applicationId, round} (the review workflow's
// GenerateReceipt): make the round's PDF once; a retried step finds it made.
//
// The function neither starts nor answers executions and sends no
// message: its lifecycle has no workflow engine and no notifications
// (appdeps), so it links neither the Step Functions nor the SNS and SES
// clients.
package receiptsapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/appdeps"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/receipt"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Name is the function's logical id in template.yaml.
const Name = "ReceiptsFunction"

// Policies are the routes' access policies.
var Policies = access.Policies{
	"GET /api/v1/applications/{id}/receipt":   appdeps.Applicants,
	"GET /api/v1/receipts/verify/{reference}": access.Public,
}

// New builds the function.
func New(d app.Deps) app.Function {
	s := &server{svc: appdeps.Service(d, nil, nil), blobs: d.Blobs, signer: application.NewReceiptSigner(ledger.IDHashKey(d.Config.IDHashKey)),
		origin: cmp.Or(d.Config.PortalOrigin, d.Config.PublicURL)}
	rt, _ := access.NewRouter(d, Policies)
	rt.HandleFunc("GET /api/v1/applications/{id}/receipt", s.get)
	rt.HandleFunc("GET /api/v1/receipts/verify/{reference}", s.verify)
	return app.Function{Name: Name, HTTP: rt, Task: s.task}
}

type server struct {
	svc    *application.Service
	blobs  blobs.Store
	signer application.ReceiptSigner
	origin string // the portal's origin (locally the runner's URL), for the QR code's link
}

// Make renders and stores info, the receipt of a round, unless it is
// stored already, and returns its key.
func (s *server) Make(ctx context.Context, info application.ReceiptInfo, id string) (string, error) {
	key := application.ReceiptKey(id, info.Round)
	if _, err := s.blobs.Head(ctx, key); err == nil {
		return key, nil
	} else if !errors.Is(err, blobs.ErrNotFound) {
		return "", err
	}
	pdf, err := receipt.Render(s.receipt(info))
	if err != nil {
		return "", err
	}
	if err := s.blobs.Put(ctx, key, "application/pdf", pdf); err != nil {
		return "", err
	}
	return key, nil
}

func (s *server) receipt(in application.ReceiptInfo) receipt.Receipt {
	r := receipt.Receipt{Title: in.Title, Reference: in.Reference, Business: in.Business, Applicant: in.Applicant,
		IDMasked: in.IDMasked, Unit: in.Unit, UnitNumber: in.UnitNumber, Submitted: in.Submitted, Round: in.Round,
		Materials: in.Materials, Columns: in.Columns, Totals: in.Totals, Promise: in.Promise,
		VerifyURL: strings.TrimSuffix(s.origin, "/") + application.VerifyPath(in.Reference, s.signer.Sign(in.Reference))}
	for _, row := range in.Rows {
		r.Rows = append(r.Rows, receipt.Row{Cells: row})
	}
	return r
}

func (s *server) task(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
	var in struct {
		Task  string `json:"task"`
		App   string `json:"applicationId"`
		Round int    `json:"round"`
	}
	if err := json.Unmarshal(payload, &in); err != nil || in.Task != "generateReceipt" || in.App == "" || in.Round < 1 {
		return nil, &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: "want {task: generateReceipt, applicationId, round}"}
	}
	// The execution runs: its unstarted marker goes first, the receipt
	// after (StartReceipt and Make are both idempotent).
	info, err := s.svc.StartReceipt(ctx, in.App, in.Round)
	key := ""
	if err == nil {
		key, err = s.Make(ctx, info, in.App)
	}
	if errors.Is(err, application.ErrNotFound) {
		return nil, &workflow.TaskError{Name: application.ErrSuperseded, Cause: "application or round gone"}
	}
	if err != nil {
		return nil, &workflow.TaskError{Name: application.ErrTransient, Cause: err.Error()}
	}
	return json.Marshal(map[string]string{"receipt": key})
}

func (s *server) get(w http.ResponseWriter, r *http.Request) error {
	c, err := appdeps.Caller(r)
	if err != nil {
		return err
	}
	key, _, err := s.svc.ReceiptFor(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.blobs.Head(r.Context(), key); errors.Is(err, blobs.ErrNotFound) {
		w.Header().Set("Retry-After", "2")
		httpapi.WriteJSON(w, http.StatusAccepted, map[string]any{"status": "making", "message": "回执单正在生成，请稍候"})
		return nil
	} else if err != nil {
		return err
	}
	url, err := s.blobs.PresignDownload(r.Context(), key, application.DownloadExpiry)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

func (s *server) verify(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.Verify(r.Context(), s.signer, r.PathValue("reference"), r.URL.Query().Get("s"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		httpapi.WriteJSON(w, http.StatusOK, v)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = io.WriteString(w, verifyPage(v))
	return err
}

func local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Shanghai).Format("2006年01月02日 15:04")
}

// verifyPage is the verification page. It is written with html.EscapeString
// rather than html/template: a template's reflection makes the linker keep
// every exported method of every type, which doubled this binary.
func verifyPage(v application.Verification) string {
	e := html.EscapeString
	var body string
	if v.Genuine {
		body = `<p class="ok" role="status">` + e(v.Message) + `</p>
<dl><dt>业务编号</dt><dd>` + e(v.Reference) + `</dd><dt>办理业务</dt><dd>` + e(v.Business) + `</dd><dt>办理状态</dt><dd>` + e(v.Status) + `</dd>
<dt>提交时间</dt><dd>` + e(local(v.Submitted)) + `</dd><dt>更新时间</dt><dd>` + e(local(v.Updated)) + `</dd></dl>`
	} else {
		body = `<p class="bad" role="alert">` + e(v.Message) + `</p>`
	}
	return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>回执单核验 - 黑龙江省人力资源和社会保障公共服务平台</title>
<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1f2329}
.ok{color:#0b6b2f}.bad{color:#a8071a}dl{display:grid;grid-template-columns:7rem 1fr;gap:.5rem}dt{color:#4e5969}</style></head>
<body><main><h1>回执单核验</h1>
` + body + `
</main></body></html>
`
}
