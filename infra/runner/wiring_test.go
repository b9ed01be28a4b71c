package runner_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/infra/samtemplate"
)

// TestWiredAsMain: the runner gives each function the adapters its
// main.go passes to lambdaentry.Main, no more: runner.Wired is read off
// the awswire packages each main.go imports.
func TestWiredAsMain(t *testing.T) {
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const awswire = "github.com/hljhrss/hrss/shared/awswire/"
	for _, name := range tpl.FunctionNames() {
		mainGo := filepath.Join(root, tpl.Functions[name].Source, "main.go")
		f, err := parser.ParseFile(token.NewFileSet(), mainGo, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		var want runner.Wiring
		for _, imp := range f.Imports {
			switch p, _ := strconv.Unquote(imp.Path.Value); p {
			case awswire + "blobswire":
				want.Blobs = true
			case awswire + "workflowwire":
				want.Workflow = true
			case awswire + "notifywire":
				want.Notify = true
			}
		}
		if got, ok := runner.Wired[name]; !ok || got != want {
			t.Errorf("%s: runner.Wired %+v (present %t), main.go passes %+v", name, got, ok, want)
		}
	}
	if len(runner.Wired) != len(tpl.FunctionNames()) {
		t.Errorf("runner.Wired has %d functions, the template %d", len(runner.Wired), len(tpl.FunctionNames()))
	}
}
