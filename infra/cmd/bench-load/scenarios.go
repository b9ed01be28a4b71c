package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/loadbench"
	"github.com/hljhrss/hrss/shared/catalog"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// attack sends targets from tr at rate a second for at most dur (fewer when
// tr runs out) and measures the answers.
func (o options) attack(name string, tr vegeta.Targeter, rate int, dur time.Duration, client *http.Client) loadbench.Step {
	opts := []func(*vegeta.Attacker){vegeta.Timeout(o.timeout), vegeta.MaxWorkers(o.workers), vegeta.Connections(int(o.workers))}
	if client != nil {
		opts = append(opts, vegeta.Client(client))
	}
	atk := vegeta.NewAttacker(opts...)
	var m vegeta.Metrics
	first := ""
	for res := range atk.Attack(tr, vegeta.Rate{Freq: rate, Per: time.Second}, dur, name) {
		m.Add(res)
		if first == "" && (res.Code < 200 || res.Code > 299) {
			first = fmt.Sprintf("%s %s: %d %s %s", res.Method, res.URL, res.Code, res.Error, res.Body)
		}
	}
	m.Close()
	st := loadbench.FromMetrics(rate, &m)
	if first != "" {
		st.FirstError = first
	}
	fmt.Printf("  %-8s %5d/s %5.1fs sent %6d ok/s %7.1f p50 %6.1f p95 %6.1f p99 %6.1f max %7.1f ms errors %d (429: %d)\n",
		name, rate, st.Duration.Seconds(), st.Requests, st.Throughput, msf(st.P50), msf(st.P95), msf(st.P99), msf(st.Max), st.Errors, st.Limited)
	return st
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rotate is a targeter cycling through targets without end.
func rotate(targets []vegeta.Target) vegeta.Targeter {
	var i atomic.Uint64
	return func(t *vegeta.Target) error {
		*t = targets[(i.Add(1)-1)%uint64(len(targets))]
		return nil
	}
}

// once is a targeter sending each target once, then ErrNoTargets.
func once(targets []vegeta.Target) vegeta.Targeter {
	var i atomic.Uint64
	return func(t *vegeta.Target) error {
		n := i.Add(1) - 1
		if n >= uint64(len(targets)) {
			return vegeta.ErrNoTargets
		}
		*t = targets[n]
		return nil
	}
}

// ladder climbs o.rates (logins and submits: o.slowRates) with step,
// printing the scenario's name first.
func (o options) ladder(sc loadbench.Scenario, step func(rate int) (loadbench.Step, error)) (loadbench.Scenario, error) {
	fmt.Printf("%s: %s\n", sc.Name, sc.What)
	rates := o.rates
	if sc.Name == "login" || sc.Name == "submit" {
		rates = o.slowRates
	}
	var err error
	sc.Steps, err = loadbench.Ladder(rates, o.maxP99, step)
	return sc, err
}

// catalogScenario reads the catalog: the list and one business, in turn.
func (o options) catalogScenario(base string) (loadbench.Scenario, error) {
	var targets []vegeta.Target
	for _, b := range catalog.Default().Businesses() {
		targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/api/v1/services"},
			vegeta.Target{Method: "GET", URL: base + "/api/v1/services/" + b.ID})
	}
	sc := loadbench.Scenario{Name: "catalog", What: "`GET /api/v1/services` and `GET /api/v1/services/{id}` in turn, the id rotating over every business (anonymous)"}
	return o.ladder(sc, func(rate int) (loadbench.Step, error) {
		return o.attack(sc.Name, rotate(targets), rate, o.step, nil), nil
	})
}

// ledgerCases are demo people and the record tables they have (as
// infra/runner's OpenAPI test reads them).
var ledgerCases = []struct{ person, path string }{
	{demo.PersonRefund, "personal-refund"},
	{demo.PersonBaseDiff, "4.6"},
	{demo.PersonRateDiff, "4.9"},
	{demo.PersonFlexible, "4.25"},
	{demo.PersonArrears, "5.5?selected="},
}

// ledgerScenario reads record tables, each with its person's session.
func (o options) ledgerScenario(base string) (loadbench.Scenario, error) {
	var targets []vegeta.Target
	var paths []string
	for _, lc := range ledgerCases {
		a, ok := demo.AccountOf(lc.person)
		if !ok {
			return loadbench.Scenario{}, fmt.Errorf("no demo account of person %s", lc.person)
		}
		c := loadbench.NewClient(base, nil)
		if err := c.Login(a); err != nil {
			return loadbench.Scenario{}, fmt.Errorf("ledger: %w", err)
		}
		if _, err := c.Call("GET", "/api/v1/ledgers/"+lc.path, nil, nil, nil); err != nil {
			fmt.Printf("  ledger: %s skipped: %v\n", lc.path, err)
			continue
		}
		paths = append(paths, lc.path)
		targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/api/v1/ledgers/" + lc.path,
			Header: http.Header{"Cookie": {c.Cookie()}}})
	}
	if len(targets) == 0 {
		return loadbench.Scenario{}, fmt.Errorf("ledger: no record table answered")
	}
	sc := loadbench.Scenario{Name: "ledger", What: fmt.Sprintf("`GET /api/v1/ledgers/{business}`: %d record tables of %d demo people "+
		"in turn (%s), each with its person's session cookie", len(targets), len(targets), strings.Join(paths, ", "))}
	return o.ladder(sc, func(rate int) (loadbench.Step, error) {
		return o.attack(sc.Name, rotate(targets), rate, o.step, nil), nil
	})
}

// trialBody is a back-payment trial as the portal's 补缴试算 sends it
// (web/src/center/backpayment.ts toRequest): twelve months at one base.
func trialBody() []byte {
	type row struct {
		Period string `json:"period"`
		Base   string `json:"base"`
	}
	var rows []row
	for m := range 12 {
		p := time.Date(2020, time.September+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		rows = append(rows, row{Period: p.Format("200601"), Base: "2800.00"})
	}
	b, _ := json.Marshal(map[string]any{"calcDate": "2023-06-30", "insured": "企业职工", "rows": rows})
	return b
}

// trialScenario posts back-payment trials (anonymous, as the portal may).
func (o options) trialScenario(base string) (loadbench.Scenario, error) {
	t := vegeta.Target{Method: "POST", URL: base + "/api/v1/calculations/back-payment", Body: trialBody(),
		Header: http.Header{"Content-Type": {"application/json"}}}
	sc := loadbench.Scenario{Name: "trial", What: "`POST /api/v1/calculations/back-payment`: twelve months (2020-09…2021-08) at a base of 2800.00, calculated on 2023-06-30 (anonymous)"}
	return o.ladder(sc, func(rate int) (loadbench.Step, error) {
		return o.attack(sc.Name, rotate([]vegeta.Target{t}), rate, o.step, nil), nil
	})
}
