package bench

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// The emulator's lines the times are read from, as it prints them:
//
//	02 Dec 2026 08:18:16,431 [INFO] (rapid) INIT REPORT(durationMs: 2.844000)
//	02 Dec 2026 08:18:16,433 [INFO] (rapid) INVOKE RTDONE(status: success, produced bytes: 0, duration: 1.091000ms)
//	REPORT RequestId: 43c6…	Init Duration: 0.25 ms	Duration: 4.14 ms	Billed Duration: 5 ms	…
var (
	initReport     = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)
	invokeDone     = regexp.MustCompile(`INVOKE RTDONE\(status: [^,]*, produced bytes: [0-9]+, duration: ([0-9.]+)ms\)`)
	reportDuration = regexp.MustCompile(`(?m)^REPORT RequestId: [^\t]*\t(?:Init Duration: [0-9.]+ ms\t)?Duration: ([0-9.]+) ms`)
)

// ParseInitReport returns the durationMs of the first INIT REPORT line of
// the emulator's log.
func ParseInitReport(log []byte) (float64, error) {
	return firstFloat(initReport, log, "INIT REPORT")
}

// ParseInvokeDone returns the duration of the first INVOKE RTDONE line
// of the emulator's log: the first invoke in the runtime, from the
// event's delivery to its answer.
func ParseInvokeDone(log []byte) (float64, error) {
	return firstFloat(invokeDone, log, "INVOKE RTDONE")
}

// ParseReportDuration returns the Duration of the first REPORT line of the
// emulator's log: the first invoke's.
func ParseReportDuration(log []byte) (float64, error) {
	return firstFloat(reportDuration, log, "REPORT … Duration")
}

func firstFloat(re *regexp.Regexp, log []byte, what string) (float64, error) {
	m := re.FindSubmatch(log)
	if m == nil {
		return 0, fmt.Errorf("no %s line in the emulator's log", what)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// ParseAnswer returns the HTTP status of a function's answer to an HTTP
// API event (its statusCode), or the error the function returned
// ({"errorType","errorMessage"}) as an error.
func ParseAnswer(body []byte) (int, error) {
	var a struct {
		StatusCode   int    `json:"statusCode"`
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return 0, fmt.Errorf("answer %.200q is not JSON: %w", body, err)
	}
	if a.ErrorType != "" || a.ErrorMessage != "" {
		return 0, fmt.Errorf("function error %s: %s", a.ErrorType, a.ErrorMessage)
	}
	return a.StatusCode, nil
}
