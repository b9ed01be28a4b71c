package samtemplate_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hljhrss/hrss/infra/samtemplate"
)

const root = "../.."

func load(t *testing.T) *samtemplate.Template {
	t.Helper()
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Functions) == 0 {
		t.Fatal("template has no functions")
	}
	return tpl
}

// TestFunctionsBuild: every function is built by sam build from the module
// root with the Makefile's build-<Name>, which builds its code directory
// into the artifact's bootstrap; the directory exists, has a main package,
// and builds for Lambda (linux/arm64, lambda.norpc).
func TestFunctionsBuild(t *testing.T) {
	tpl := load(t)
	for _, name := range tpl.FunctionNames() {
		fn := tpl.Functions[name]
		t.Run(name, func(t *testing.T) {
			if fn.CodeURI != "." || fn.BuildMethod != "makefile" {
				t.Errorf("CodeUri %q, Metadata.BuildMethod %q; want \".\" and makefile (sam build runs make build-%s)", fn.CodeURI, fn.BuildMethod, name)
			}
			mk := exec.Command("make", "-s", "-n", "build-"+name, "ARTIFACTS_DIR=/artifacts")
			mk.Dir = root
			out, err := mk.CombinedOutput()
			if want := `-o "/artifacts/bootstrap" ./` + fn.Source; err != nil || !strings.Contains(string(out), want) {
				t.Errorf("make -n build-%s: %v; want a command with %s, got\n%s", name, err, want, out)
			}
			dir := filepath.Join(root, fn.Source)
			if _, err := os.Stat(filepath.Join(dir, "main.go")); err != nil {
				t.Fatalf("function %s: code directory %s has no main.go: %v", name, fn.Source, err)
			}
			cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", os.DevNull, "./"+fn.Source)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("function %s does not build: %v\n%s", name, err, out)
			}
		})
	}
}

// TestStateMachineTasksNameTemplateFunctions: every Task's FunctionName is a
// DefinitionSubstitutions key that maps to a function of the template, and
// every service ARN in a definition is built with the partition.
func TestStateMachineTasksNameTemplateFunctions(t *testing.T) {
	tpl := load(t)
	if len(tpl.StateMachines) == 0 {
		t.Fatal("template has no state machines")
	}
	for name, sm := range tpl.StateMachines {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, sm.DefinitionURI))
			if err != nil {
				t.Fatal(err)
			}
			var def map[string]any
			if err := json.Unmarshal(b, &def); err != nil {
				t.Fatalf("%s: %v", sm.DefinitionURI, err)
			}
			tasks := 0
			walkStates(def, func(state string, s map[string]any) {
				if s["Type"] != "Task" {
					return
				}
				tasks++
				res, _ := s["Resource"].(string)
				if !strings.HasPrefix(res, "arn:${") {
					t.Errorf("state %s: Resource %q must be built with the partition (arn:${Partition}:…)", state, res)
				}
				params, _ := s["Parameters"].(map[string]any)
				fname, _ := params["FunctionName"].(string)
				key, ok := strings.CutPrefix(fname, "${")
				key, ok2 := strings.CutSuffix(key, "}")
				if !ok || !ok2 {
					t.Errorf("state %s: FunctionName %q must be a ${Substitution}", state, fname)
					return
				}
				target, ok := sm.Functions[key]
				if !ok {
					t.Errorf("state %s: FunctionName ${%s} has no DefinitionSubstitutions entry with !GetAtt <Function>.Arn", state, key)
					return
				}
				if _, ok := tpl.Functions[target]; !ok {
					t.Errorf("state %s: ${%s} names %s, which is not a function of the template", state, key, target)
				}
			})
			if tasks == 0 {
				t.Error("no Task states found")
			}
		})
	}
}

func walkStates(def map[string]any, visit func(name string, s map[string]any)) {
	states, _ := def["States"].(map[string]any)
	for name, v := range states {
		s, _ := v.(map[string]any)
		visit(name, s)
		if branches, ok := s["Branches"].([]any); ok {
			for _, b := range branches {
				if bm, ok := b.(map[string]any); ok {
					walkStates(bm, visit)
				}
			}
		}
		for _, k := range []string{"Iterator", "ItemProcessor"} {
			if it, ok := s[k].(map[string]any); ok {
				walkStates(it, visit)
			}
		}
	}
}

var literalARN = regexp.MustCompile(`arn:aws(-cn|-us-gov)?:`)

// TestARNsUsePartition: no ARN in the template or a state machine names the
// partition literally.
func TestARNsUsePartition(t *testing.T) {
	files := []string{filepath.Join(root, "template.yaml")}
	more, _ := filepath.Glob(filepath.Join(root, "infra/statemachine/*.asl.json"))
	files = append(files, more...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if literalARN.MatchString(line) {
				t.Errorf("%s:%d: ARN written without ${AWS::Partition}: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

func TestPartitionCheckCatchesLiteral(t *testing.T) {
	for _, s := range []string{"Resource: arn:aws:s3:::bucket", `"arn:aws-cn:states:::lambda:invoke"`} {
		if !literalARN.MatchString(s) {
			t.Errorf("literal ARN %q not caught", s)
		}
	}
	if literalARN.MatchString("!Sub arn:${AWS::Partition}:states:${AWS::Region}") {
		t.Error("partition ARN flagged")
	}
}

func TestParse(t *testing.T) {
	tpl := load(t)
	fn := tpl.Functions["PlatformFunction"]
	if fn.Source != "functions/platform" {
		t.Errorf("Source = %q", fn.Source)
	}
	if got := tpl.Routes()["GET /api/v1/health"]; got != "PlatformFunction" {
		t.Errorf("health route → %q", got)
	}
	sc, ok := tpl.Schedules["PlatformHeartbeat"]
	if !ok || sc.Function != "PlatformFunction" || sc.Timezone != "Asia/Shanghai" || !strings.HasPrefix(sc.Expression, "cron(") {
		t.Errorf("schedule = %+v", sc)
	}
	if got := (samtemplate.Route{Method: "get", Path: "/files/{path+}"}).Pattern(); got != "GET /files/{path...}" {
		t.Errorf("greedy pattern = %q", got)
	}
}

// TestNoBroadPolicies: no function or state machine is given an AWS
// managed "full access" policy or a SAM CRUD policy template on the whole
// table; each states the actions (and items) it needs.
func TestNoBroadPolicies(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources map[string]struct {
			Properties struct {
				Policies []any `yaml:"Policies"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Resources["PlatformFunction"].Properties.Policies) == 0 {
		t.Fatal("found no Policies of PlatformFunction: the template did not decode")
	}
	for name, r := range doc.Resources {
		for _, p := range r.Properties.Policies {
			var pname string
			switch p := p.(type) {
			case string:
				pname = p
			case map[string]any:
				for k := range p {
					pname = k
				}
			}
			if strings.HasSuffix(pname, "FullAccess") || strings.HasSuffix(pname, "CrudPolicy") {
				t.Errorf("%s is given %s; grant only the actions it needs", name, pname)
			}
		}
	}
}
