package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/eventtest"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

// body is a decoded response body with helpers for the checks.
type body map[string]any

func (b body) fields() map[string]any { f, _ := b["fieldErrors"].(map[string]any); return f }

func (b body) totals() map[string]string {
	out := map[string]string{}
	ts, _ := b["totals"].([]any)
	for _, t := range ts {
		m := t.(map[string]any)
		out[m["label"].(string)] = m["value"].(string)
	}
	return out
}

func (b body) rows() [][]string {
	var out [][]string
	rs, _ := b["rows"].([]any)
	for _, r := range rs {
		var cells []string
		for _, c := range r.(map[string]any)["cells"].([]any) {
			cells = append(cells, c.(string))
		}
		out = append(out, cells)
	}
	return out
}

// expectation is what one sample event must produce.
type expectation struct {
	status int
	fields []string        // field error keys, for 422
	check  func(body) bool // further checks
	exact  string          // the whole body, for the documented example
}

var expectations = map[string]expectation{
	"back-payment.json": {status: 200, exact: `{"rows":[{"period":"202009","base":"2800.00","unit":{"amount":"0.00","interest":"0.00"},"personal":{"amount":"224.00","interest":"19.80"}}],"totals":{"unit":"0.00","personal":"243.80","total":"243.80"},"rates":{"2020":"0.0604","2021":"0.0669"}}`},
	"back-payment-reference-rates.json": {status: 200, check: func(b body) bool {
		// 4.6's 202101 row from reference rates (16% / 8%, 8% to the account),
		// and 5.5's 202202 row (current year: no interest).
		t := b["totals"].(map[string]any)
		r0 := b["rows"].([]any)[0].(map[string]any)
		pa, ok := r0["personalToAccount"].(map[string]any)
		return t["unit"] == "850.33" && t["personal"] == "425.17" && t["total"] == "1275.50" &&
			r0["unit"].(map[string]any)["interest"] == "18.01" && ok && pa["interest"] == "9.01" && r0["unitToAccount"] == nil
	}},
	"back-payment-bad-period.json":              {status: 422, fields: []string{"rows[0].period"}},
	"back-payment-negative-base.json":           {status: 422, fields: []string{"rows[0].base"}},
	"back-payment-rate-over-one.json":           {status: 422, fields: []string{"rows[0].rates.personal"}},
	"back-payment-calc-date-before-period.json": {status: 422, fields: []string{"rows[0].period"}},
	"back-payment-too-many-rows.json":           {status: 422, fields: []string{"rows"}},
	"back-payment-missing-reference-rates.json": {status: 422, fields: []string{"rows[0].rates"}},
	"back-payment-not-json.json":                {status: 400},
	"back-payment-wrong-method.json":            {status: 405},
	"ledger-4.4-personal-refund.json": {status: 200, check: func(b body) bool {
		p := b["person"].(map[string]any)
		return len(b.rows()) == 3 && b.rows()[0][7] == "464.16" && b.totals()["合计金额"] == "696.24" &&
			p["idNumber"] == maskedRefund && b["account"].(map[string]any)["reason"] == "人员新参保"
	}},
	"ledger-4.6-base-adjustment.json": {status: 200, check: func(b body) bool {
		return len(b.rows()) == 16 && b.rows()[0][3] == "19.80" && b.totals()["合计金额"] == "1286.07"
	}},
	"ledger-4.9-rate-adjustment.json": {status: 200, check: func(b body) bool {
		return len(b.rows()) == 1 && b.rows()[0][8] == "0.08" && b.rows()[0][10] == "35.68" && b.totals()["合计金额"] == "675.68"
	}},
	"ledger-4.25-due-assessment.json": {status: 200, check: func(b body) bool {
		g := b["grade"].(map[string]any)
		return len(b.rows()) == 8 && b.rows()[0][0] == "202205" && b.totals()["合计金额"] == "5630.40" &&
			g["label"] == "按照社平工资60.0%缴费，月缴费基数3519.00元"
	}},
	"ledger-4.26-due-assessment-revoke.json": {status: 200, check: func(b body) bool {
		return len(b.rows()) == 4 && b.rows()[3][3] == "281.52" && b.totals()["合计金额"] == "2815.20"
	}},
	"ledger-5.1-back-payment.json": {status: 200, check: func(b body) bool {
		t := b.totals()
		grid := b["grid"].([]any)
		return len(b.rows()) == 5 && t["单位应缴金额"] == "3142.16" && t["个人应缴金额"] == "1196.64" && t["合计应缴总额"] == "4338.80" &&
			len(grid) == 9 && grid[0].(map[string]any)["months"].([]any)[4] == "已"
	}},
	"ledger-5.5-arrears.json": {status: 200, check: func(b body) bool {
		t := b.totals()
		return len(b.rows()) == 1 && t["单位应缴金额"] == "563.04" && t["个人应缴金额"] == "281.52" && t["合计应缴总额"] == "844.56"
	}},
	"ledger-5.1-agent.json": {status: 200, check: func(b body) bool {
		return len(b.rows()) == 5 && b.totals()["合计应缴总额"] == "4338.80" && b["unit"].(map[string]any)["unitNumber"] == demo.UnitLogistics
	}},
	"ledger-another-person.json":   {status: 403, check: func(b body) bool { return b["code"] == "forbidden" }},
	"ledger-unknown-business.json": {status: 404},
	"ledger-no-session.json":       {status: 401, check: func(b body) bool { return b["code"] == "unauthenticated" }},
	"ledger-bad-range.json":        {status: 422, fields: []string{"from"}},
	"retirement-by-person.json": {status: 200, check: func(b body) bool {
		return b["legalRetirementDate"] == "2029-05-18" && b["actualContributionMonths"] == 192.0 &&
			b["earlyRetirementMonths"] == 87.0 && b["actualCountedFromLedger"] == true && b["legalRetirementAge"] == "60岁"
	}},
	"retirement-explicit.json": {status: 200, check: func(b body) bool {
		return b["legalRetirementDate"] == "2030-03-10" && b["actualContributionMonths"] == 60.0 && b["earlyRetirementMonths"] == 97.0
	}},
	"retirement-bad-input.json": {status: 422, fields: []string{"actualContributionMonths", "archiveBirthDate", "gender", "personalIdentity"}},
}

// maskedRefund is the masked ID number of demo.PersonRefund.
var maskedRefund = func() string {
	for _, p := range demo.Persons() {
		if p.Number == demo.PersonRefund {
			return p.IDNumber[:6] + "********" + p.IDNumber[14:]
		}
	}
	return ""
}()

// TestEvents feeds every sample event of events/ledger to the Lambda entry
// point, on a store holding the demo ledger with the clock at 2022-05-10.
func TestEvents(t *testing.T) {
	d, sessions := eventtest.Setup(t, time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai))
	checks := map[string]eventtest.Check{}
	for name, want := range expectations {
		checks[name] = want.verify
	}
	eventtest.Feed(t, "ledger", handler(d), eventtest.Sessions(sessions), checks)
}

// verify checks the answer to one sample event.
func (want expectation) verify(t *testing.T, out any, err error) {
	if err != nil {
		t.Fatal(err)
	}
	resp, ok := out.(events.APIGatewayV2HTTPResponse)
	if !ok {
		t.Fatalf("response is %T", out)
	}
	if resp.StatusCode != want.status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, want.status, resp.Body)
	}
	if want.exact != "" {
		if diff := cmp.Diff(want.exact, strings.TrimSpace(resp.Body)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	}
	var b body
	if err := json.Unmarshal([]byte(resp.Body), &b); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
	if want.status >= 400 {
		if msg, _ := b["message"].(string); msg == "" || b["code"] == nil {
			t.Errorf("error without code or message: %s", resp.Body)
		}
	}
	var keys []string
	for k := range b.fields() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if diff := cmp.Diff(want.fields, keys); want.status == 422 && diff != "" {
		t.Errorf("field errors (-want +got):\n%s\n%s", diff, resp.Body)
	}
	if want.check != nil && !want.check(b) {
		t.Errorf("unexpected body: %s", resp.Body)
	}
	if strings.Contains(resp.Body, "19720314") || strings.Contains(resp.Body, "6212263500001234567") {
		t.Errorf("an identifier leaked unmasked: %s", resp.Body)
	}
	if got := resp.Headers["X-Request-Id"]; got == "" {
		t.Error("no X-Request-Id")
	}
}

// handler is the Lambda entry point main starts (lambdaentry.Main), built
// on the given adapters instead of AWS's.
func handler(d app.Deps) func(context.Context, json.RawMessage) (any, error) {
	return lambdaentry.Handler(ledgerapi.New(d), d.Log)
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "ledger", ledgerapi.New) }
