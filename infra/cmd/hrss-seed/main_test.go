package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

func env(dir string, extra ...string) func(string) (string, bool) {
	m := map[string]string{"HRSS_DATA_DIR": dir, "HRSS_CLOCK": "2022-05-10"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func runCmd(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(t, env(dir), args...)
}

func runEnv(t *testing.T, lookup func(string) (string, bool), args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, lookup, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDemoSeedsOnce(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, dir)
	if code != exitOK || !strings.Contains(out, "demo ledger written") {
		t.Fatalf("first run: %d %q %q", code, out, errs)
	}
	code, out, _ = runCmd(t, dir, "demo")
	if code != exitOK || !strings.Contains(out, "nothing written") {
		t.Fatalf("second run: %d %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "hrss.db")); err != nil {
		t.Error(err)
	}
}

// TestIDHashKey checks that the demo seed and imports key the ID-number
// index with HRSS_ID_HASH_KEY, as the ledger function reads it.
func TestIDHashKey(t *testing.T) {
	dir := t.TempDir()
	const key = "0123456789abcdef0123456789abcdef"
	persons := filepath.Join(dir, "persons.csv")
	imported := demo.IDNumber("230103", "19800101", "011")
	if err := os.WriteFile(persons, []byte("人员编号,社会保障号,姓名\n2309000001,"+imported+",甲\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"demo"}, {"import", "-kind", "persons", persons}} {
		if code, out, errs := runEnv(t, env(dir, "HRSS_ID_HASH_KEY", key), args...); code != exitOK {
			t.Fatalf("%v: %d %q %q", args, code, out, errs)
		}
	}
	clk := clock.Frozen(time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai))
	st, err := boltstore.Open(filepath.Join(dir, "hrss.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keyed := ledger.NewStore(st, clk, ledger.WithIDHashKey([]byte(key)))
	builtin := ledger.NewStore(st, clk)
	for _, id := range []string{demo.Persons()[0].IDNumber, imported} {
		if _, err := keyed.PersonByIDNumber(t.Context(), id); err != nil {
			t.Errorf("%s with HRSS_ID_HASH_KEY: %v", id, err)
		}
		if _, err := builtin.PersonByIDNumber(t.Context(), id); err == nil {
			t.Errorf("%s found with the built-in key: the index ignores HRSS_ID_HASH_KEY", id)
		}
	}
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	units := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(units, []byte("单位编号,单位名称,统一社会信用代码\n2309900001,七台河市测试有限公司,91350100M000100Y43\n2309900002,错,91350100M000100Y44\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rejects := filepath.Join(dir, "rejects.csv")
	code, out, errs := runCmd(t, dir, "import", "-kind", "units", "-rejects", rejects, units)
	if code != exitRejected || !strings.Contains(out, "2 rows, 1 accepted, 1 rejected; 1 new") || !strings.Contains(out, "第3行 creditCode") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "units.csv: 2 rows") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	b, err := os.ReadFile(rejects)
	if err != nil || !strings.Contains(string(b), "units.csv,3,creditCode,") {
		t.Errorf("rejects file: %q, %v", b, err)
	}
	code, out, _ = runCmd(t, dir, "import", "--kind", "units", units)
	if code != exitRejected || !strings.Contains(out, "0 new, 0 updated, 1 unchanged") {
		t.Errorf("re-import: %d %q", code, out)
	}
	// The ledger is not empty any more: the demo seed writes nothing.
	if code, out, _ := runCmd(t, dir, "demo"); code != exitOK || !strings.Contains(out, "nothing written") {
		t.Errorf("demo after import: %d %q", code, out)
	}
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"frobnicate"},
		{"import", "x.csv"},
		{"import", "-kind", "people", "x.csv"},
		{"import", "-kind", "units"},
		{"demo", "extra"},
		{"-store"},
	} {
		if code, _, _ := runCmd(t, dir, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, errs := runCmd(t, dir, "-store", "sqlite"); code != exitFailed || !strings.Contains(errs, "sqlite") {
		t.Errorf("bad store: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, dir, "import", "-kind", "units", filepath.Join(dir, "missing.csv")); code != exitFailed || errs == "" {
		t.Errorf("missing file: %d %q", code, errs)
	}
	code, out, _ := runCmd(t, dir, "kinds")
	if code != exitOK || !strings.Contains(out, "contributions\n") || !strings.Contains(out, "人员编号") {
		t.Errorf("kinds: %d %q", code, out)
	}
}

// TestDemoOnDynamoDB: the demo data is never written to DynamoDB by
// default. No command prints the usage; demo needs -allow-demo. Neither
// opens the store (no AWS configuration is needed to be refused).
func TestDemoOnDynamoDB(t *testing.T) {
	dir := t.TempDir()
	lookup := env(dir, "HRSS_TABLE", "hrss-test")
	code, out, errs := runEnv(t, lookup, "-store", "dynamodb")
	if code != exitUsage || out != "" || !strings.Contains(errs, "usage: hrss-seed") || !strings.Contains(errs, "no command") {
		t.Errorf("no command on dynamodb: %d %q %q", code, out, errs)
	}
	for _, args := range [][]string{{"-store", "dynamodb", "demo"}, {"-store=dynamodb", "demo"}} {
		code, out, errs := runEnv(t, lookup, args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, "-allow-demo") || !strings.Contains(errs, "hrss-test") {
			t.Errorf("%v: %d %q %q", args, code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "hrss.db")); !os.IsNotExist(err) {
		t.Errorf("a refused run created the bbolt file: %v", err)
	}
	// bbolt keeps demo as the default command, and -allow-demo is harmless.
	if code, out, errs := runCmd(t, dir, "-allow-demo"); code != exitOK || !strings.Contains(out, "demo ledger written") {
		t.Errorf("bbolt with -allow-demo: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCmd(t, dir, "demo", "-allow-demo"); code != exitOK || !strings.Contains(out, "nothing written") {
		t.Errorf("demo -allow-demo: %d %q %q", code, out, errs)
	}
}

// TestKindsDocumentsEmptyCells: `hrss-seed kinds` explains missing columns
// and says, column by column, what an empty cell does.
func TestKindsDocumentsEmptyCells(t *testing.T) {
	code, out, _ := runCmd(t, t.TempDir(), "kinds")
	if code != exitOK {
		t.Fatalf("kinds: %d", code)
	}
	for _, want := range []string{
		"missing column keeps the stored value",
		"accountBalance             账户金额 [empty keeps the stored value]",
		"identity                   个人身份 [empty clears]: 工人/干部",
		"insuredType                参保身份 [empty sets the default]: default 企业职工",
		"personNumber               人员编号 (required)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("kinds output lacks %q:\n%s", want, out)
		}
	}
}

// TestImportRejectionCause: the English cause of a refused reference-data
// row goes to stderr (the log), the Chinese message to the report.
func TestImportRejectionCause(t *testing.T) {
	dir := t.TempDir()
	wages := filepath.Join(dir, "wages.csv")
	if err := os.WriteFile(wages, []byte("year,monthly,floor,ceiling,source\n2023,6000.00,3.5,3.00,省统计局\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, dir, "import", "-kind", "average-wages", wages)
	if code != exitRejected || !strings.Contains(out, "第2行：社平工资数据校验不通过") || strings.Contains(out, "refdata") {
		t.Errorf("report: %d %q", code, out)
	}
	if !strings.Contains(errs, "wages.csv: line 2: rejected: refdata:") {
		t.Errorf("log: %q", errs)
	}
}
