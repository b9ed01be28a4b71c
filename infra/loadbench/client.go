package loadbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/catalog"
)

// Client is one portal user of a local runner: its own cookie jar, so one
// session per Client.
type Client struct {
	Base string
	HTTP *http.Client
}

// NewClient returns a client of the runner at base with an empty cookie
// jar, sharing transport (nil: a new one) with other clients.
func NewClient(base string, transport http.RoundTripper) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Base: strings.TrimSuffix(base, "/"), HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: transport}}
}

// Call sends body (JSON, nil for none) with the extra headers and decodes a
// 2xx answer into out (nil to drop it). A non-2xx answer is an error
// holding the status and the body.
func (c *Client) Call(method, path string, body any, hdr map[string]string, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: string(data)}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// StatusError is a non-2xx answer to Call; a transport error (a runner
// killed or stopped) is returned as it is.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Body)
}

// Cookie is the Cookie header the client's jar sends to the runner: its
// session, for requests made by another HTTP client (vegeta's).
func (c *Client) Cookie() string {
	u, err := url.Parse(c.Base + "/api/v1/")
	if err != nil {
		return ""
	}
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// Captcha is a live captcha and its answer, read from the runner's
// /_local/ helper (local runs only).
type Captcha struct {
	ID, Answer string
}

// NewCaptcha asks the runner for a captcha and its answer.
func (c *Client) NewCaptcha() (Captcha, error) {
	var cp struct{ CaptchaID string }
	if _, err := c.Call("GET", "/api/v1/auth/captcha", nil, nil, &cp); err != nil {
		return Captcha{}, err
	}
	var ans struct{ Answer string }
	if _, err := c.Call("GET", "/_local/captcha/"+cp.CaptchaID, nil, nil, &ans); err != nil {
		return Captcha{}, err
	}
	return Captcha{ID: cp.CaptchaID, Answer: ans.Answer}, nil
}

// LoginBody is the body of POST /api/v1/auth/login as the portal sends it.
func LoginBody(a demo.Account, cp Captcha) map[string]string {
	return map[string]string{"userType": a.UserType, "username": a.Username, "password": a.Password,
		"captchaId": cp.ID, "captchaAnswer": cp.Answer}
}

// Login logs the client in as a, the way the portal does (captcha, then
// the login form, for staff with the current TOTP code from the runner's
// /_local/ helper); the session cookie lands in the client's jar.
func (c *Client) Login(a demo.Account) error {
	cp, err := c.NewCaptcha()
	if err != nil {
		return err
	}
	body := LoginBody(a, cp)
	if a.TOTPSecret != "" {
		var code struct{ Code string }
		if _, err := c.Call("GET", "/_local/totp/"+a.Username, nil, nil, &code); err != nil {
			return fmt.Errorf("totp: %w", err)
		}
		body["totp"] = code.Code
	}
	if _, err := c.Call("POST", "/api/v1/auth/login", body, nil, nil); err != nil {
		return fmt.Errorf("login %s: %w", a.Username, err)
	}
	return nil
}

// draft is the part of an application the preparation reads.
type draft struct {
	ID      string            `json:"id"`
	Version int64             `json:"version"`
	Fields  map[string]string `json:"fields"`
	Errors  map[string]string `json:"fieldErrors"`
	Ledger  *struct {
		Rows []struct{ Period string } `json:"rows"`
	} `json:"ledger"`
}

// Prepare makes one draft of b ready to submit, as the portal does: it
// creates the draft, saves the form (retrying the fields the server
// refuses) with every record-table row ticked, uploads each needed
// material through the presigned form and completes it. It returns the
// draft's path; POST path+"/submit" submits it.
func (c *Client) Prepare(b *catalog.Business) (string, error) {
	base := "/api/v1/" + b.Family + "/applications"
	var d draft
	if _, err := c.Call("POST", base, map[string]string{"business": b.ID}, nil, &d); err != nil {
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
		if _, err := c.Call("PUT", base+"/"+d.ID+"?ledger=true", map[string]any{"version": d.Version, "fields": fill.Fields,
			"selection": sel, "rows": apptest.Rows(b)}, nil, &d); err != nil {
			return "", err
		}
		if len(d.Errors) == 0 {
			break
		}
		fill.Retry(d.Errors)
	}
	if err := c.UploadAll(base+"/"+d.ID, b); err != nil {
		return "", err
	}
	return base + "/" + d.ID, nil
}

// UploadAll uploads every material of b the draft at path needs.
func (c *Client) UploadAll(path string, b *catalog.Business) error {
	for _, m := range apptest.Needed(b) {
		if err := c.upload(path, m); err != nil {
			return err
		}
	}
	return nil
}

// upload sends one material of the draft at path through the presigned
// flow: ask for the form, post the file to its URL, complete it. A
// refused post is a StatusError with the answer's body.
func (c *Client) upload(path string, m *catalog.Material) error {
	data, ct := apptest.File(m)
	var form struct {
		UploadID string            `json:"uploadId"`
		URL      string            `json:"url"`
		Fields   map[string]string `json:"fields"`
	}
	if _, err := c.Call("POST", path+"/uploads", map[string]any{"material": m.Name, "fileName": "材料.png",
		"contentType": ct, "size": len(data)}, nil, &form); err != nil {
		return err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range form.Fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	fw, err := mw.CreatePart(map[string][]string{"Content-Disposition": {`form-data; name="file"; filename="f"`}, "Content-Type": {ct}})
	if err != nil {
		return err
	}
	if _, err := fw.Write(data); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	resp, err := c.HTTP.Post(form.URL, mw.FormDataContentType(), &body)
	if err != nil {
		return err
	}
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &StatusError{Method: "POST", Path: "upload " + m.Name, Status: resp.StatusCode, Body: string(answer)}
	}
	_, err = c.Call("POST", path+"/uploads/"+form.UploadID+"/complete", nil, nil, nil)
	return err
}

// Submitters logs in, each with its own client, every demo account that
// can complete b, and returns them with their accounts.
func Submitters(base string, transport http.RoundTripper, b *catalog.Business) ([]*Client, []demo.Account, error) {
	var clients []*Client
	var accts []demo.Account
	for _, a := range demo.Accounts() {
		if a.UserType != b.UserType || !slices.Contains(a.Businesses, b.ID) {
			continue
		}
		c := NewClient(base, transport)
		if err := c.Login(a); err != nil {
			return nil, nil, fmt.Errorf("log in %s account %d: %w", a.UserType, len(clients)+1, err)
		}
		clients, accts = append(clients, c), append(accts, a)
	}
	if len(clients) == 0 {
		return nil, nil, fmt.Errorf("no demo account can complete %s", b.ID)
	}
	return clients, accts, nil
}

// Parallel runs f(i) for i < n on conc workers and returns the errors,
// by index.
func Parallel(n, conc int, f func(i int) error) []error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := range next {
				errs[i] = f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errs
}
