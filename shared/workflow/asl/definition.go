package asl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/workflow"
)

// lambdaResource matches the Task resources this interpreter runs:
// arn:<partition>:states:::lambda:invoke and its .waitForTaskToken form,
// where the partition is aws, aws-cn, aws-us-gov, ... or a ${Substitution}
// left unsubstituted (arn:${Partition}:states:::lambda:invoke).
var lambdaResource = regexp.MustCompile(`^arn:(aws[a-z-]*|\$\{[A-Za-z0-9_:]+\}):states:::lambda:invoke(\.waitForTaskToken)?$`)

// State types.
const (
	typeTask    = "Task"
	typePass    = "Pass"
	typeChoice  = "Choice"
	typeWait    = "Wait"
	typeSucceed = "Succeed"
	typeFail    = "Fail"
)

// allowedFields lists the fields each supported state type may carry.
// Anything else (Parallel, Map, JSONata fields, Credentials, ...) is refused
// so that a definition never silently means less here than in AWS.
var allowedFields = map[string][]string{
	typeTask:    {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch"},
	typePass:    {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"},
	typeChoice:  {"InputPath", "OutputPath", "Choices", "Default"},
	typeWait:    {"Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"},
	typeSucceed: {"InputPath", "OutputPath"},
	typeFail:    {"Error", "Cause"},
}

// Resolver maps a function's logical name (its resource id in
// template.yaml, e.g. "PlatformFunction") to its in-process task handler.
type Resolver func(functionName string) (workflow.TaskHandler, bool)

// machine is a validated state machine definition.
type machine struct {
	name    string
	startAt string
	timeout time.Duration // execution TimeoutSeconds; 0: none
	states  map[string]*state
}

// state is one validated state.
type state struct {
	name string
	typ  string
	next string
	end  bool

	inputPath, outputPath, resultPath optPath
	parameters, resultSelector        *template
	result                            any
	hasResult                         bool

	// Task
	waitToken bool
	handler   workflow.TaskHandler // resolved at New when FunctionName is a literal
	timeout   time.Duration
	heartbeat time.Duration
	retry     []retrier
	catch     []catcher

	// Choice
	choices     []*rule
	defaultNext string

	// Wait
	seconds       *int64
	timestamp     *time.Time
	secondsPath   *path
	timestampPath *path

	// Fail
	errName, cause string
}

// retrier is one element of a Task's Retry.
type retrier struct {
	errorEquals []string
	interval    time.Duration
	maxAttempts int
	backoffRate float64
	maxDelay    time.Duration // 0: none
	fullJitter  bool          // JitterStrategy FULL
}

// delay is the wait before retry number attempt (0-based):
// IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds; with
// JitterStrategy FULL, that times random(), a number in [0, 1).
func (r retrier) delay(attempt int, random func() float64) time.Duration {
	d := float64(r.interval) * math.Pow(r.backoffRate, float64(attempt))
	if r.maxDelay > 0 && d > float64(r.maxDelay) {
		d = float64(r.maxDelay)
	}
	if r.fullJitter {
		d *= random()
	}
	if d > float64(math.MaxInt64) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(d)
}

// catcher is one element of a Task's Catch.
type catcher struct {
	errorEquals []string
	next        string
	resultPath  optPath
}

// rawDefinition is the top level of an ASL document.
type rawDefinition struct {
	Comment        string                     `json:"Comment"`
	StartAt        string                     `json:"StartAt"`
	States         map[string]json.RawMessage `json:"States"`
	TimeoutSeconds *int64                     `json:"TimeoutSeconds"`
	Version        string                     `json:"Version"`
	QueryLanguage  string                     `json:"QueryLanguage"`
}

// rawState holds every field of every supported state type.
type rawState struct {
	Type             string            `json:"Type"`
	Comment          string            `json:"Comment"`
	Next             string            `json:"Next"`
	End              bool              `json:"End"`
	InputPath        optPath           `json:"InputPath"`
	OutputPath       optPath           `json:"OutputPath"`
	ResultPath       optPath           `json:"ResultPath"`
	Parameters       json.RawMessage   `json:"Parameters"`
	ResultSelector   json.RawMessage   `json:"ResultSelector"`
	Result           json.RawMessage   `json:"Result"`
	Resource         string            `json:"Resource"`
	TimeoutSeconds   *int64            `json:"TimeoutSeconds"`
	HeartbeatSeconds *int64            `json:"HeartbeatSeconds"`
	Retry            []rawRetrier      `json:"Retry"`
	Catch            []rawCatcher      `json:"Catch"`
	Choices          []json.RawMessage `json:"Choices"`
	Default          string            `json:"Default"`
	Seconds          *int64            `json:"Seconds"`
	Timestamp        *string           `json:"Timestamp"`
	SecondsPath      *string           `json:"SecondsPath"`
	TimestampPath    *string           `json:"TimestampPath"`
	Error            string            `json:"Error"`
	Cause            string            `json:"Cause"`
}

type rawRetrier struct {
	ErrorEquals     []string `json:"ErrorEquals"`
	IntervalSeconds *int64   `json:"IntervalSeconds"`
	MaxAttempts     *int64   `json:"MaxAttempts"`
	BackoffRate     *float64 `json:"BackoffRate"`
	MaxDelaySeconds *int64   `json:"MaxDelaySeconds"`
	JitterStrategy  string   `json:"JitterStrategy"`
	Comment         string   `json:"Comment"`
}

type rawCatcher struct {
	ErrorEquals []string `json:"ErrorEquals"`
	Next        string   `json:"Next"`
	ResultPath  optPath  `json:"ResultPath"`
	Comment     string   `json:"Comment"`
}

// Validate parses and validates an ASL definition as New does. When
// resolve is not nil, every literal FunctionName must resolve.
func Validate(definition []byte, resolve Resolver) error {
	_, err := parseMachine("", definition, resolve)
	return err
}

// substitute replaces ${Key} in a definition for every key of subs, as
// DefinitionSubstitutions does in template.yaml.
func substitute(def []byte, subs map[string]string) []byte {
	for _, k := range slices.Sorted(maps.Keys(subs)) {
		def = bytes.ReplaceAll(def, []byte("${"+k+"}"), []byte(subs[k]))
	}
	return def
}

// parseMachine parses and validates one definition.
func parseMachine(name string, def []byte, resolve Resolver) (*machine, error) {
	var raw rawDefinition
	if err := strictUnmarshal(def, &raw); err != nil {
		return nil, fmt.Errorf("definition: %w", err)
	}
	if raw.QueryLanguage != "" && raw.QueryLanguage != "JSONPath" {
		return nil, fmt.Errorf("definition: QueryLanguage %q is not supported (only JSONPath)", raw.QueryLanguage)
	}
	if len(raw.States) == 0 {
		return nil, errors.New("definition: States is empty")
	}
	m := &machine{name: name, startAt: raw.StartAt, states: map[string]*state{}}
	if raw.TimeoutSeconds != nil {
		if *raw.TimeoutSeconds <= 0 {
			return nil, errors.New("definition: TimeoutSeconds must be positive")
		}
		m.timeout = time.Duration(*raw.TimeoutSeconds) * time.Second
	}
	var errs []error
	for _, sn := range slices.Sorted(maps.Keys(raw.States)) {
		st, err := parseState(sn, raw.States[sn], resolve)
		if err != nil {
			errs = append(errs, fmt.Errorf("state %q: %w", sn, err))
			continue
		}
		m.states[sn] = st
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if _, ok := m.states[m.startAt]; !ok {
		return nil, fmt.Errorf("definition: StartAt %q is not a state", m.startAt)
	}
	for _, sn := range slices.Sorted(maps.Keys(m.states)) {
		for _, t := range m.states[sn].targets() {
			if _, ok := m.states[t]; !ok {
				errs = append(errs, fmt.Errorf("state %q: transition to missing state %q", sn, t))
			}
		}
	}
	if !hasTerminal(m.states) {
		errs = append(errs, errors.New(`definition: MISSING_END_STATE: the state machine has no terminal state (a Succeed or Fail state, or a state with "End": true)`))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(sn string) {
		if seen[sn] {
			return
		}
		seen[sn] = true
		for _, t := range m.states[sn].targets() {
			visit(t)
		}
	}
	visit(m.startAt)
	for _, sn := range slices.Sorted(maps.Keys(m.states)) {
		if !seen[sn] {
			errs = append(errs, fmt.Errorf("state %q is not reachable from StartAt", sn))
		}
	}
	return m, errors.Join(errs...)
}

// hasTerminal reports whether an execution can end in one of states: a
// Succeed or Fail state, or a state with "End": true. Step Functions
// refuses a definition without one (MISSING_END_STATE).
func hasTerminal(states map[string]*state) bool {
	for _, s := range states {
		if s.end || s.typ == typeSucceed || s.typ == typeFail {
			return true
		}
	}
	return false
}

// targets lists the states this state may transition to.
func (s *state) targets() []string {
	var out []string
	if s.next != "" {
		out = append(out, s.next)
	}
	for _, c := range s.catch {
		out = append(out, c.next)
	}
	for _, r := range s.choices {
		out = append(out, r.next)
	}
	if s.defaultNext != "" {
		out = append(out, s.defaultNext)
	}
	return out
}

// parseState validates one state.
func parseState(name string, b json.RawMessage, resolve Resolver) (*state, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	var typ string
	if err := json.Unmarshal(fields["Type"], &typ); err != nil || typ == "" {
		return nil, errors.New("missing Type")
	}
	allowed, ok := allowedFields[typ]
	if !ok {
		return nil, fmt.Errorf("state type %q is not supported by this interpreter", typ)
	}
	for _, f := range sortedKeys(fields) {
		if f != "Type" && f != "Comment" && !slices.Contains(allowed, f) {
			return nil, fmt.Errorf("field %q is not allowed (or not supported) in a %s state", f, typ)
		}
	}
	var r rawState
	if err := strictUnmarshal(b, &r); err != nil {
		return nil, err
	}
	s := &state{name: name, typ: typ, next: r.Next, end: r.End,
		inputPath: r.InputPath, outputPath: r.OutputPath, resultPath: r.ResultPath}
	for _, p := range []optPath{s.inputPath, s.outputPath, s.resultPath} {
		if p.set && !p.null && p.p.context {
			return nil, fmt.Errorf("fields InputPath, OutputPath and ResultPath cannot use the context object ($$)")
		}
	}

	switch typ {
	case typeTask, typePass, typeWait:
		if (s.next == "") == !s.end {
			return nil, errors.New("exactly one of Next and End (true) is required")
		}
	}
	var err error
	if len(r.Parameters) > 0 {
		if s.parameters, err = compileRaw(r.Parameters); err != nil {
			return nil, fmt.Errorf("in Parameters: %w", err)
		}
	}
	if len(r.ResultSelector) > 0 {
		if s.resultSelector, err = compileRaw(r.ResultSelector); err != nil {
			return nil, fmt.Errorf("in ResultSelector: %w", err)
		}
	}
	if len(r.Result) > 0 {
		if s.result, err = decodeJSON(r.Result); err != nil {
			return nil, fmt.Errorf("in Result: %w", err)
		}
		s.hasResult = true
	}

	switch typ {
	case typeTask:
		err = s.parseTask(r, resolve)
	case typeChoice:
		err = s.parseChoice(r)
	case typeWait:
		err = s.parseWait(r)
	case typeFail:
		s.errName, s.cause = r.Error, r.Cause
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *state) parseTask(r rawState, resolve Resolver) error {
	m := lambdaResource.FindStringSubmatch(r.Resource)
	if m == nil {
		return fmt.Errorf("field Resource %q is not supported (only arn:<partition>:states:::lambda:invoke and lambda:invoke.waitForTaskToken)", r.Resource)
	}
	s.waitToken = m[2] != ""
	fn, ok := s.parameters.field("FunctionName")
	if !ok {
		return errors.New("field Parameters.FunctionName is required")
	}
	if fn.val != nil {
		name, isStr := fn.val.lit.(string)
		if !isStr || fn.val.kind != litT || name == "" {
			return errors.New("field Parameters.FunctionName must be a string")
		}
		if resolve != nil {
			h, found := resolveFunction(resolve, name)
			if !found {
				return fmt.Errorf("field FunctionName %q: no task handler for this function", name)
			}
			s.handler = h
		}
	}
	for _, f := range s.parameters.fields {
		if f.name != "FunctionName" && f.name != "Payload" {
			return fmt.Errorf("field Parameters.%s is not supported for lambda:invoke (only FunctionName and Payload)", f.name)
		}
	}
	if s.waitToken && !templateUsesTaskToken(s.parameters) {
		return errors.New("a waitForTaskToken task must pass $$.Task.Token in its Parameters")
	}
	if r.TimeoutSeconds != nil {
		if *r.TimeoutSeconds <= 0 {
			return errors.New("field TimeoutSeconds must be positive")
		}
		s.timeout = time.Duration(*r.TimeoutSeconds) * time.Second
	}
	if r.HeartbeatSeconds != nil {
		if *r.HeartbeatSeconds <= 0 {
			return errors.New("field HeartbeatSeconds must be positive")
		}
		s.heartbeat = time.Duration(*r.HeartbeatSeconds) * time.Second
		if s.timeout > 0 && s.heartbeat >= s.timeout {
			return errors.New("field HeartbeatSeconds must be smaller than TimeoutSeconds")
		}
	}
	for i, rr := range r.Retry {
		rt, err := parseRetrier(rr, i == len(r.Retry)-1)
		if err != nil {
			return fmt.Errorf("in Retry[%d]: %w", i, err)
		}
		s.retry = append(s.retry, rt)
	}
	for i, rc := range r.Catch {
		if err := checkErrorEquals(rc.ErrorEquals, i == len(r.Catch)-1); err != nil {
			return fmt.Errorf("in Catch[%d]: %w", i, err)
		}
		if rc.Next == "" {
			return fmt.Errorf("in Catch[%d]: Next is required", i)
		}
		s.catch = append(s.catch, catcher{errorEquals: rc.ErrorEquals, next: rc.Next, resultPath: rc.ResultPath})
	}
	return nil
}

// templateUsesTaskToken reports whether a template selects $$.Task.Token.
func templateUsesTaskToken(t *template) bool {
	if t == nil {
		return false
	}
	for _, f := range t.fields {
		if f.path != nil && f.path.context && len(f.path.steps) == 2 && f.path.steps[0].name == "Task" && f.path.steps[1].name == "Token" {
			return true
		}
		if f.val != nil && templateUsesTaskToken(f.val) {
			return true
		}
	}
	for _, it := range t.items {
		if templateUsesTaskToken(it) {
			return true
		}
	}
	return false
}

// Bounds of a retrier's fields, from Step Functions' error handling
// documentation: IntervalSeconds and MaxAttempts at most 99999999,
// MaxDelaySeconds greater than 0 and less than 31622401.
const (
	maxRetryField        = 99999999
	maxDelaySecondsLimit = 31622401
)

func parseRetrier(r rawRetrier, last bool) (retrier, error) {
	if err := checkErrorEquals(r.ErrorEquals, last); err != nil {
		return retrier{}, err
	}
	rt := retrier{errorEquals: r.ErrorEquals, interval: time.Second, maxAttempts: 3, backoffRate: 2}
	if r.IntervalSeconds != nil {
		if *r.IntervalSeconds < 1 || *r.IntervalSeconds > maxRetryField {
			return retrier{}, fmt.Errorf("field IntervalSeconds must be an integer from 1 to %d", maxRetryField)
		}
		rt.interval = time.Duration(*r.IntervalSeconds) * time.Second
	}
	if r.MaxAttempts != nil {
		if *r.MaxAttempts < 0 || *r.MaxAttempts > maxRetryField {
			return retrier{}, fmt.Errorf("field MaxAttempts must be an integer from 0 to %d", maxRetryField)
		}
		rt.maxAttempts = int(*r.MaxAttempts)
	}
	if r.BackoffRate != nil {
		if *r.BackoffRate < 1 {
			return retrier{}, errors.New("field BackoffRate must be at least 1.0")
		}
		rt.backoffRate = *r.BackoffRate
	}
	if r.MaxDelaySeconds != nil {
		if *r.MaxDelaySeconds < 1 || *r.MaxDelaySeconds >= maxDelaySecondsLimit {
			return retrier{}, fmt.Errorf("field MaxDelaySeconds must be an integer greater than 0 and less than %d", maxDelaySecondsLimit)
		}
		rt.maxDelay = time.Duration(*r.MaxDelaySeconds) * time.Second
	}
	switch r.JitterStrategy {
	case "", "NONE":
	case "FULL":
		rt.fullJitter = true
	default:
		return retrier{}, fmt.Errorf("field JitterStrategy %q is not valid (FULL or NONE)", r.JitterStrategy)
	}
	return rt, nil
}

func checkErrorEquals(names []string, last bool) error {
	if len(names) == 0 {
		return errors.New("field ErrorEquals must not be empty")
	}
	for _, n := range names {
		if n == ErrNameAll && (len(names) != 1 || !last) {
			return errors.New("error name States.ALL must appear alone in the last ErrorEquals")
		}
	}
	return nil
}

func (s *state) parseWait(r rawState) error {
	n := 0
	if r.Seconds != nil {
		n++
		if *r.Seconds < 0 {
			return errors.New("field Seconds must not be negative")
		}
		s.seconds = r.Seconds
	}
	if r.Timestamp != nil {
		n++
		t, err := time.Parse(time.RFC3339, *r.Timestamp)
		if err != nil {
			return fmt.Errorf("in Timestamp: %w", err)
		}
		t = t.Truncate(time.Second) // Step Functions ignores fractions of a second
		s.timestamp = &t
	}
	if r.SecondsPath != nil {
		n++
		p, err := parsePath(*r.SecondsPath)
		if err != nil {
			return fmt.Errorf("in SecondsPath: %w", err)
		}
		s.secondsPath = &p
	}
	if r.TimestampPath != nil {
		n++
		p, err := parsePath(*r.TimestampPath)
		if err != nil {
			return fmt.Errorf("in TimestampPath: %w", err)
		}
		s.timestampPath = &p
	}
	if n != 1 {
		return errors.New("exactly one of Seconds, Timestamp, SecondsPath and TimestampPath is required")
	}
	return nil
}

func (s *state) parseChoice(r rawState) error {
	if len(r.Choices) == 0 {
		return errors.New("field Choices must not be empty")
	}
	for i, c := range r.Choices {
		rl, err := parseRule(c, true)
		if err != nil {
			return fmt.Errorf("in Choices[%d]: %w", i, err)
		}
		s.choices = append(s.choices, rl)
	}
	s.defaultNext = r.Default
	return nil
}

// compileRaw decodes and compiles a payload template.
func compileRaw(b json.RawMessage) (*template, error) {
	v, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("must be a JSON object")
	}
	return compileTemplate(v)
}

// strictUnmarshal decodes JSON refusing unknown fields.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

// resolveFunction finds the handler of a FunctionName: the logical id
// itself, "${LogicalId}" left unsubstituted, or a function name or ARN
// (qualifier allowed) whose name is, or ends in, the logical id after a
// separator ("hrss-PlatformFunction", "...:function:hrss-PlatformFunction:live").
// Longer candidates are tried first.
func resolveFunction(resolve Resolver, fn string) (workflow.TaskHandler, bool) {
	for _, c := range functionCandidates(fn) {
		if h, ok := resolve(c); ok && h != nil {
			return h, true
		}
	}
	return nil, false
}

func functionCandidates(fn string) []string {
	fn = strings.TrimSpace(fn)
	if inner, ok := strings.CutPrefix(fn, "${"); ok {
		if inner, ok = strings.CutSuffix(inner, "}"); ok {
			fn = inner
		}
	}
	cands := []string{fn}
	name := fn
	if strings.HasPrefix(fn, "arn:") {
		parts := strings.Split(fn, ":")
		// arn:partition:lambda:region:account:function:name[:qualifier]
		if len(parts) >= 7 && parts[5] == "function" {
			name = parts[6]
			cands = append(cands, name)
		}
	} else if i := strings.IndexByte(fn, ':'); i > 0 {
		name = fn[:i] // name:qualifier
		cands = append(cands, name)
	}
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '-', '_', '.', '/':
			if i+1 < len(name) {
				cands = append(cands, name[i+1:])
			}
		}
	}
	return cands
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
