// Package samtemplate reads template.yaml into what the local runner and
// the template ↔ code tests need: the functions with their HttpApi routes,
// the state machines with the functions their tasks invoke, and the
// schedules with their expressions, time zones and targets.
//
// It parses with github.com/awslabs/goformation/v7. goformation v7.14.9
// lags SAM in two properties the template uses — it has no
// Function.LoggingConfig and spells HttpApi.AccessLogSettings without the
// final s — so those two keys are removed before parsing (they matter to
// CloudFormation only). Fn::GetAtt, which goformation does not resolve, is
// resolved to "<LogicalId>.<Attribute>" so that targets can be followed.
package samtemplate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/intrinsics"
	"gopkg.in/yaml.v3"
)

// Template is the part of template.yaml the runner uses.
type Template struct {
	Functions     map[string]Function     // by logical id
	StateMachines map[string]StateMachine // by logical id
	Schedules     map[string]Schedule     // by logical id
	Raw           []byte                  // the file as written
}

// Function is an AWS::Serverless::Function.
type Function struct {
	Name        string  // logical id, e.g. PlatformFunction
	CodeURI     string  // "." (sam build runs the Makefile's build-<Name> in the module root)
	BuildMethod string  // Metadata.BuildMethod: makefile
	Source      string  // the Go package directory, functions/<family>
	Routes      []Route // HttpApi events
}

// Route is one HttpApi event of a function.
type Route struct {
	Event  string // event name
	Method string // GET, POST, ...
	Path   string // /api/v1/services/{id}
}

// Pattern is the route as an http.ServeMux pattern ("GET /a/{id}"); SAM's
// greedy {name+} becomes {name...}.
func (r Route) Pattern() string {
	return strings.ToUpper(r.Method) + " " + greedy.ReplaceAllString(r.Path, "{$1...}")
}

var greedy = regexp.MustCompile(`\{([A-Za-z0-9_]+)\+\}`)

// StateMachine is an AWS::Serverless::StateMachine.
type StateMachine struct {
	Name          string            // logical id
	DefinitionURI string            // path of the .asl.json, relative to the template
	Functions     map[string]string // DefinitionSubstitutions key → function logical id
}

// Schedule is an AWS::Scheduler::Schedule targeting a function.
type Schedule struct {
	Name       string // logical id
	Expression string // cron(...), rate(...) or at(...)
	Timezone   string // IANA zone, e.g. Asia/Shanghai
	Function   string // target function logical id
	Input      string // JSON input given to the function
}

// Load reads and parses the template at path.
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	return Parse(b)
}

// unsupported are SAM properties goformation v7.14.9 does not know.
var unsupported = map[string]bool{"LoggingConfig": true, "AccessLogSettings": true}

// Parse parses template bytes.
func Parse(b []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("samtemplate: yaml: %w", err)
	}
	strip(&doc)
	stripped, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, fmt.Errorf("samtemplate: yaml: %w", err)
	}
	cf, err := goformation.ParseYAMLWithOptions(stripped, &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{"Fn::GetAtt": getAtt},
	})
	if err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	t := &Template{Functions: map[string]Function{}, StateMachines: map[string]StateMachine{}, Schedules: map[string]Schedule{}, Raw: b}
	for name, f := range cf.GetAllServerlessFunctionResources() {
		fn := Function{Name: name, Source: SourceDir(name)}
		if f.CodeUri != nil && f.CodeUri.String != nil {
			fn.CodeURI = *f.CodeUri.String
		}
		fn.BuildMethod, _ = f.AWSCloudFormationMetadata["BuildMethod"].(string)
		for ev, e := range f.Events {
			if e.Type != "HttpApi" || e.Properties == nil || e.Properties.HttpApiEvent == nil {
				continue
			}
			h := e.Properties.HttpApiEvent
			if h.Path == nil || h.Method == nil {
				return nil, fmt.Errorf("samtemplate: %s event %s: HttpApi needs Path and Method", name, ev)
			}
			fn.Routes = append(fn.Routes, Route{Event: ev, Method: strings.ToUpper(*h.Method), Path: *h.Path})
		}
		sort.Slice(fn.Routes, func(i, j int) bool { return fn.Routes[i].Pattern() < fn.Routes[j].Pattern() })
		t.Functions[name] = fn
	}
	for name, s := range cf.GetAllServerlessStateMachineResources() {
		sm := StateMachine{Name: name, Functions: map[string]string{}}
		if s.DefinitionUri == nil || s.DefinitionUri.String == nil {
			return nil, fmt.Errorf("samtemplate: state machine %s: DefinitionUri must be a path", name)
		}
		sm.DefinitionURI = *s.DefinitionUri.String
		for k, v := range s.DefinitionSubstitutions {
			if target, ok := strings.CutSuffix(v, ".Arn"); ok {
				sm.Functions[k] = target
			}
		}
		t.StateMachines[name] = sm
	}
	for name, s := range cf.GetAllSchedulerScheduleResources() {
		sc := Schedule{Name: name, Expression: s.ScheduleExpression, Timezone: "UTC"}
		if s.ScheduleExpressionTimezone != nil {
			sc.Timezone = *s.ScheduleExpressionTimezone
		}
		if s.Target != nil {
			sc.Function, _ = strings.CutSuffix(s.Target.Arn, ".Arn")
			if s.Target.Input != nil {
				sc.Input = *s.Target.Input
			}
		}
		t.Schedules[name] = sc
	}
	return t, nil
}

// getAtt resolves {"Fn::GetAtt": ["Id","Attr"]} or "Id.Attr" to "Id.Attr".
func getAtt(_ string, input any, _ any) any {
	switch v := input.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, 0, len(v))
		for _, p := range v {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, ".")
	}
	return nil
}

func strip(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		out := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			if unsupported[n.Content[i].Value] {
				continue
			}
			strip(n.Content[i+1])
			out = append(out, n.Content[i], n.Content[i+1])
		}
		n.Content = out
		return
	}
	for _, c := range n.Content {
		strip(c)
	}
}

// SourceDir is the Go package of a function, its logical id in kebab case
// as make build derives it: PlatformFunction → functions/platform,
// FlexibleEmploymentFunction → functions/flexible-employment.
func SourceDir(logicalID string) string {
	base := strings.TrimSuffix(logicalID, "Function")
	var b strings.Builder
	for i, r := range base {
		if unicode.IsUpper(r) && i > 0 {
			prev := rune(base[i-1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return filepath.ToSlash(filepath.Join("functions", b.String()))
}

// Routes lists every route of every function as "PATTERN → Function",
// sorted, for messages and docs.
func (t *Template) Routes() map[string]string {
	out := map[string]string{}
	for _, f := range t.Functions {
		for _, r := range f.Routes {
			out[r.Pattern()] = f.Name
		}
	}
	return out
}

// FunctionNames returns the functions' logical ids, sorted.
func (t *Template) FunctionNames() []string {
	names := make([]string, 0, len(t.Functions))
	for n := range t.Functions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ScheduleInput decodes a schedule's Input JSON; an empty input names the
// schedule itself.
func (s Schedule) ScheduleInput() (map[string]any, error) {
	if strings.TrimSpace(s.Input) == "" {
		return map[string]any{"schedule": s.Name}, nil
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(s.Input)))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("samtemplate: schedule %s: Input is not a JSON object: %w", s.Name, err)
	}
	return m, nil
}
