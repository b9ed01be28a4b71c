package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// start runs the built runner on a free port and returns its base URL.
func start(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT=0", "HRSS_DATA_DIR="+data, "HRSS_CLOCK=2022-05-10")
	cmd.Dir = filepath.Join("..", "..", "..")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.URL != "" {
				urls <- line.URL
			}
		}
	}()
	select {
	case u := <-urls:
		return cmd, u
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("runner did not log its URL")
	}
	return nil, ""
}

func health(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url + "/api/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %d %v", resp.StatusCode, err)
	}
	return h
}

// getJSON decodes a GET of url into v.
func getJSON(t *testing.T, c *http.Client, url string, v any) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
}

// login logs in as the demo account of person through the API, the way
// the portal does (captcha answered by the runner's local helper), and
// returns a client holding the session cookie.
func login(t *testing.T, url, person string) *http.Client {
	t.Helper()
	var accounts []struct{ UserType, Username, Password, PersonNo string }
	getJSON(t, http.DefaultClient, url+"/_local/demo-accounts", &accounts)
	var username, password string
	for _, a := range accounts {
		if a.PersonNo == person {
			username, password = a.Username, a.Password
		}
	}
	var cap struct{ CaptchaID string }
	getJSON(t, http.DefaultClient, url+"/api/v1/auth/captcha", &cap)
	var ans struct{ Answer string }
	getJSON(t, http.DefaultClient, url+"/_local/captcha/"+cap.CaptchaID, &ans)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"userType": "individual", "username": username, "password": password,
		"captchaId": cap.CaptchaID, "captchaAnswer": ans.Answer})
	resp, err := c.Post(url+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("login as the demo person: %d", resp.StatusCode)
	}
	return c
}

// ledgerRead logs in as the demo person of manual 5.1 (seeded on first
// start, with the demo account) and reads the record table.
func ledgerRead(t *testing.T, url string) {
	t.Helper()
	resp, err := login(t, url, "2309000501").Get(url + "/api/v1/ledgers/5.1?unit=2309900401")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Person struct {
			IDNumber string `json:"idNumber"`
		} `json:"person"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo ledger read: %d %v (was the demo data seeded?)", resp.StatusCode, err)
	}
	if body.Person.IDNumber != "230108********0350" {
		t.Errorf("ID number not masked as 6+8 stars+4: %q", body.Person.IDNumber)
	}
}

func stop(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runner did not exit cleanly on Ctrl-C: %v", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("runner did not stop within 20 s of Ctrl-C")
	}
}

// TestRunStopRestart: the command starts, answers, stops cleanly on
// Ctrl-C (SIGINT), and starts again on the same data.
func TestRunStopRestart(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "hrss-local")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()

	cmd, url := start(t, bin, data)
	h := health(t, url)
	if h["status"] != "ok" || h["store"] != "bbolt" {
		t.Errorf("health %v", h)
	}
	if tm, _ := h["time"].(string); len(tm) < 10 || tm[:10] != "2022-05-10" {
		t.Errorf("HRSS_CLOCK not applied: time %v", h["time"])
	}
	ledgerRead(t, url)
	stop(t, cmd)
	if _, err := os.Stat(filepath.Join(data, "hrss.db")); err != nil {
		t.Fatalf("data file missing after stop: %v", err)
	}

	cmd, url = start(t, bin, data)
	health(t, url)
	ledgerRead(t, url)
	stop(t, cmd)
}
