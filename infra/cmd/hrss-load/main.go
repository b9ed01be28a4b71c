// Command hrss-load measures submissions through a running local platform
// (make run) the way the portal makes them: it logs in every demo account
// of the business's user type, each with its own session cookie, spreads
// the drafts over them (a person's drafts hold at most 200 files), prepares
// the drafts (create, save the form, upload and
// complete the materials, tick the record table) and then submits them
// all at a fixed concurrency, reporting the submits per second and the
// latency percentiles. Local runs only: it reads captcha answers from the
// runner's /_local/ helpers.
//
//	go run ./infra/cmd/hrss-load -n 500 -c 8
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/catalog"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the runner's address")
	n := flag.Int("n", 200, "drafts to prepare and submit")
	conc := flag.Int("c", 8, "concurrent requests")
	business := flag.String("business", "personal-basic-info-change", "business id")
	flag.Parse()
	if err := run(*base, *n, *conc, *business); err != nil {
		fmt.Fprintln(os.Stderr, "hrss-load:", err)
		os.Exit(1)
	}
}

type client struct {
	base string
	h    *http.Client
}

func (c *client) call(method, path string, body any, hdr map[string]string, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.h.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode/100 == 2 && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, err
		}
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode, nil
}

func login(c *client, a demo.Account) error {
	var cp struct{ CaptchaID string }
	if _, err := c.call("GET", "/api/v1/auth/captcha", nil, nil, &cp); err != nil {
		return err
	}
	var ans struct{ Answer string }
	if _, err := c.call("GET", "/_local/captcha/"+cp.CaptchaID, nil, nil, &ans); err != nil {
		return err
	}
	_, err := c.call("POST", "/api/v1/auth/login", map[string]string{"userType": a.UserType, "username": a.Username,
		"password": a.Password, "captchaId": cp.CaptchaID, "captchaAnswer": ans.Answer}, nil, nil)
	return err
}

type draft struct {
	ID      string            `json:"id"`
	Version int64             `json:"version"`
	Fields  map[string]string `json:"fields"`
	Errors  map[string]string `json:"fieldErrors"`
	Ledger  *struct {
		Rows []struct{ Period string } `json:"rows"`
	} `json:"ledger"`
}

// prepare makes one draft ready to submit and returns its path.
func prepare(c *client, b *catalog.Business) (string, error) {
	base := "/api/v1/" + b.Family + "/applications"
	var d draft
	if _, err := c.call("POST", base, map[string]string{"business": b.ID}, nil, &d); err != nil {
		return "", err
	}
	fill := apptest.NewFiller(b, d.Fields)
	var sel []string
	if d.Ledger != nil {
		for _, r := range d.Ledger.Rows {
			sel = append(sel, r.Period)
		}
	}
	for range 8 {
		if _, err := c.call("PUT", base+"/"+d.ID+"?ledger=true", map[string]any{"version": d.Version, "fields": fill.Fields,
			"selection": sel, "rows": apptest.Rows(b)}, nil, &d); err != nil {
			return "", err
		}
		if len(d.Errors) == 0 {
			break
		}
		fill.Retry(d.Errors)
	}
	for _, m := range apptest.Needed(b) {
		data, ct := apptest.File(m)
		var form struct {
			UploadID string            `json:"uploadId"`
			URL      string            `json:"url"`
			Fields   map[string]string `json:"fields"`
		}
		if _, err := c.call("POST", base+"/"+d.ID+"/uploads", map[string]any{"material": m.Name, "fileName": "材料.png",
			"contentType": ct, "size": len(data)}, nil, &form); err != nil {
			return "", err
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range form.Fields {
			_ = mw.WriteField(k, v)
		}
		fw, _ := mw.CreatePart(map[string][]string{"Content-Disposition": {`form-data; name="file"; filename="f"`}, "Content-Type": {ct}})
		_, _ = fw.Write(data)
		_ = mw.Close()
		resp, err := c.h.Post(form.URL, mw.FormDataContentType(), &body)
		if err != nil {
			return "", err
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return "", fmt.Errorf("upload: %d", resp.StatusCode)
		}
		if _, err := c.call("POST", base+"/"+d.ID+"/uploads/"+form.UploadID+"/complete", nil, nil, nil); err != nil {
			return "", err
		}
	}
	return base + "/" + d.ID, nil
}

// parallel runs f(i) for i < n on conc workers and returns each call's
// latency and error.
func parallel(n, conc int, f func(i int) error) ([]time.Duration, []error, time.Duration) {
	lat, errs := make([]time.Duration, n), make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for i := range next {
				t := time.Now()
				errs[i] = f(i)
				lat[i] = time.Since(t)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return lat, errs, time.Since(start)
}

func report(what string, lat []time.Duration, errs []error, took time.Duration) {
	s := slices.Clone(lat)
	slices.Sort(s)
	pct := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	failed := 0
	var first error
	for _, err := range errs {
		if err != nil {
			failed++
			if first == nil {
				first = err
			}
		}
	}
	fmt.Printf("%-8s n=%d errors=%d in %.2fs: %.1f/s  p50 %.1fms  p90 %.1fms  p99 %.1fms  max %.1fms\n", what, len(s), failed,
		took.Seconds(), float64(len(s))/took.Seconds(), ms(pct(.50)), ms(pct(.90)), ms(pct(.99)), ms(s[len(s)-1]))
	if first != nil {
		fmt.Println("  first error:", first)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func run(base string, n, conc int, businessID string) error {
	if n < 1 || conc < 1 {
		return errors.New("-n and -c must be at least 1")
	}
	b, ok := catalog.Default().Business(businessID)
	if !ok {
		return fmt.Errorf("no business %q", businessID)
	}
	var clients []*client
	for _, a := range demo.Accounts() {
		if a.UserType != b.UserType || !slices.Contains(a.Businesses, b.ID) {
			continue
		}
		jar, _ := cookiejar.New(nil)
		c := &client{base: base, h: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
		if err := login(c, a); err != nil {
			return err
		}
		clients = append(clients, c)
	}
	if len(clients) == 0 {
		return fmt.Errorf("no demo account can complete %s", b.ID)
	}
	fmt.Printf("%s (%s) by %d demo accounts, %d concurrent\n", b.Name, b.ID, len(clients), conc)
	paths := make([]string, n)
	owner := func(i int) *client { return clients[i%len(clients)] }
	lat, errs, took := parallel(n, conc, func(i int) (err error) { paths[i], err = prepare(owner(i), b); return err })
	report("prepare", lat, errs, took)
	if err := errors.Join(errs...); err != nil {
		return errors.New("drafts could not be prepared")
	}
	lat, errs, took = parallel(n, conc, func(i int) error {
		_, err := owner(i).call("POST", paths[i]+"/submit", nil, map[string]string{"Idempotency-Key": fmt.Sprintf("load-%d-%s", i, paths[i])}, nil)
		return err
	})
	report("submit", lat, errs, took)
	return nil
}
