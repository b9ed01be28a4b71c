package runner_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
)

// draftJSON is the part of a case the tests read.
type draftJSON struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	Version     int64             `json:"version"`
	Fields      map[string]string `json:"fields"`
	FieldErrors map[string]string `json:"fieldErrors"`
	Ledger      *struct {
		Rows []struct {
			Period string `json:"period"`
		} `json:"rows"`
	} `json:"ledger"`
	Reference string `json:"reference"`
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%d %s: %v", w.Code, w.Body, err)
	}
	return v
}

// withHeader sends a request with one extra header.
func (c *client) withHeader(method, path, body, k, v string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(k, v)
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	return w
}

// upload posts data with a presigned form the way a browser does: every
// field, then the file last, to the form's URL (served by the runner).
func (c *client) upload(form map[string]any, data []byte) int {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields, _ := form["fields"].(map[string]any)
	for k, v := range fields {
		_ = mw.WriteField(k, fmt.Sprint(v))
	}
	ct := fmt.Sprint(fields["Content-Type"])
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="f"`}
	h["Content-Type"] = []string{ct}
	fw, _ := mw.CreatePart(h)
	_, _ = fw.Write(data)
	_ = mw.Close()
	u, err := url.Parse(fmt.Sprint(form["url"]))
	if err != nil {
		c.t.Fatal(err)
	}
	req := httptest.NewRequest("POST", u.RequestURI(), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	return w.Code
}

// employees names the demo employee a unit's business is about.
var employees = map[string]string{
	"employee-back-payment":                demo.PersonBackPay,
	"employee-arrears-clearance":           demo.PersonArrears,
	"employee-contribution-resume":         demo.PersonBackPay,  // suspended, formerly of the logistics unit
	"employee-contribution-suspend":        demo.PersonRefund,   // paying, employed by the machinery unit
	"survivor-eligibility-certification":   demo.PersonSurvivor, // the machinery unit's late employee's dependant
	"employee-base-change":                 demo.PersonRefund,   // 5.14's employee, whose base changes
	"retirement-application":               demo.PersonRefund,   // 5.3: the machinery unit's current employee
	"retiree-benefit-terminate-enterprise": demo.PersonRetiree,  // 5.6: the machinery unit's former employee, retired
}

// retyped are the prefilled fields the applicant types a sample value
// over, for a business whose effect is that change: 5.8 gives the unit a
// new 统一社会信用代码 (its check wants one).
var retyped = map[string][]string{
	"unit-key-info-maintenance": {"uscc"},
}

// completeBusiness does business b as the logged-in c would in the
// portal (prepare) and submits it. It returns the submit's answer.
func completeBusiness(t *testing.T, c *client, b *catalog.Business) *httptest.ResponseRecorder {
	t.Helper()
	path, w := prepare(t, c, b)
	if path == "" {
		return w
	}
	return c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k-"+path)
}

// prepare opens a draft of b for c, fills every empty field (trying
// sample values until the form takes them), uploads one file per required
// material and per one-of group and ticks the record table's rows. It
// returns the draft's path, or "" and the answer that stopped it.
func prepare(t *testing.T, c *client, b *catalog.Business) (string, *httptest.ResponseRecorder) {
	t.Helper()
	base := "/api/v1/" + b.Family + "/applications"
	w := c.do("POST", base, `{"business":"`+b.ID+`"}`)
	if w.Code != 201 {
		return "", w
	}
	d := decode[draftJSON](t, w)
	prefill := d.Fields
	if p, ok := employees[b.ID]; ok {
		for _, pp := range demo.Persons() {
			if pp.Number != p {
				continue
			}
			for k, v := range map[string]string{"personNumber": pp.Number, "name": pp.Name, "idNumber": pp.IDNumber,
				"socialSecurityNumber": pp.IDNumber, "socialSecurityNumber2": pp.IDNumber, "birthDate": pp.BirthDate.String(),
				"archiveBirthDate": pp.BirthDate.String(),
				"gender":           map[calc.Gender]string{calc.Male: "1", calc.Female: "2"}[pp.Gender]} {
				if _, has := b.Field(k); has {
					prefill[k] = v
				}
			}
		}
	}
	for _, k := range retyped[b.ID] {
		if f, ok := b.Field(k); ok {
			prefill[k] = apptest.Candidates(*f)[0]
		}
	}
	fill := apptest.NewFiller(b, prefill)
	rows := apptest.Rows(b)
	selection := []string{}
	for round := 0; round < 8; round++ {
		body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": fill.Fields, "selection": selection, "rows": rows})
		w = c.do("PUT", base+"/"+d.ID+"?ledger=true", string(body))
		if w.Code != 200 {
			return "", w
		}
		d = decode[draftJSON](t, w)
		if d.Ledger != nil && len(selection) == 0 && len(d.Ledger.Rows) > 0 {
			for _, r := range d.Ledger.Rows {
				selection = append(selection, r.Period)
			}
			continue
		}
		if len(d.FieldErrors) == 0 {
			break
		}
		fill.Retry(d.FieldErrors)
	}
	for _, m := range apptest.Needed(b) {
		data, ct := apptest.File(m)
		if b.Documents != nil && m.Name == b.Documents.UploadSlot {
			// 5.2: download the unit's workbook, fill in the wages, upload it.
			tw := c.do("GET", base+"/"+d.ID+"/declaration-template", "")
			if tw.Code != 200 || tw.Header().Get("Content-Type") != "application/zip" {
				return "", tw
			}
			filled, err := apptest.FillDeclaration(tw.Body.Bytes(), "上年度月平均工资（元）", "4538.00")
			if err != nil {
				t.Fatalf("%s: fill the declaration: %v", b.ID, err)
			}
			data = filled
		}
		req, _ := json.Marshal(map[string]any{"material": m.Name, "fileName": "材料", "contentType": ct, "size": len(data)})
		w = c.do("POST", base+"/"+d.ID+"/uploads", string(req))
		if w.Code != 201 {
			return "", w
		}
		form := decode[map[string]any](t, w)
		if code := c.upload(form, data); code/100 != 2 {
			t.Fatalf("%s: upload of %s: %d", b.ID, m.Name, code)
		}
		w = c.do("POST", base+"/"+d.ID+"/uploads/"+fmt.Sprint(form["uploadId"])+"/complete", "")
		if w.Code != 200 {
			return "", w
		}
	}
	return base + "/" + d.ID, w
}

func seededRunner(t *testing.T) *runner.Runner {
	t.Helper()
	r := newRunner(t, t.TempDir(), clock.Frozen(may10))
	t.Cleanup(func() { r.Close() })
	seedRunner(t, r)
	return r
}

// seedRunner writes the demo ledger and accounts.
func seedRunner(t *testing.T, r *runner.Runner) {
	t.Helper()
	if _, err := demo.SeedIfEmpty(t.Context(), r.Store, r.Clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
}

// TestEveryBusinessFromDraftToSubmitted: each of the 42 businesses is
// opened, filled in, given its materials and submitted through the HTTP
// API, with a session cookie, by every demo account that
// /_local/demo-accounts says can complete it, and refused to it otherwise;
// every business has one.
func TestEveryBusinessFromDraftToSubmitted(t *testing.T) {
	r := seededRunner(t)
	done := map[string]bool{}
	for _, a := range demo.Accounts() {
		if len(a.Businesses) == 0 {
			continue
		}
		c := &client{t: t, h: r.Handler()}
		if code := c.login(a.UserType, a.Username, a.Password); code != 200 {
			t.Fatalf("login %s: %d", a.Username, code)
		}
		for _, id := range a.Businesses {
			b, ok := catalog.Default().Business(id)
			if !ok {
				t.Errorf("%s lists unknown business %s", a.Username, id)
				continue
			}
			w := completeBusiness(t, c, b)
			if w.Code != 201 {
				t.Errorf("%s %s by %s (%s): %d %s", b.Section, b.ID, a.Name, a.What, w.Code, w.Body)
				continue
			}
			rc := decode[map[string]any](t, w)
			if rc["status"] != "submitted" || !strings.HasPrefix(fmt.Sprint(rc["reference"]), "HL20220510-") {
				t.Errorf("%s by %s: receipt %v", b.ID, a.Name, rc)
			}
			done[b.ID] = true
		}
		// The list is exact: the records refuse every other business of
		// the account's portal, so a rule that goes missing shows here.
		for _, b := range catalog.Default().Businesses() {
			if b.UserType != a.UserType || slices.Contains(a.Businesses, b.ID) {
				continue
			}
			if w := completeBusiness(t, c, b); w.Code == 201 {
				t.Errorf("%s %s by %s, not in its list, was accepted", b.Section, b.ID, a.Name)
			}
		}
	}
	for _, b := range catalog.Default().Businesses() {
		if !done[b.ID] {
			t.Errorf("%s %s: no demo account completes it", b.Section, b.ID)
		}
	}
	t.Logf("%d businesses submitted by their demo accounts", len(done))
}
