// Command hrss-seed fills the ledger: the demo data of `make seed` and of
// the local runner's first start, and bulk imports of what a province
// exports from its core system (infra/importer).
//
//	hrss-seed [-store bbolt] [demo]
//	hrss-seed -store dynamodb -allow-demo demo
//	    write the demo ledger if the table holds no ledger data yet. demo is
//	    the default command on bbolt only: on dynamodb (a deployed table)
//	    no command prints the usage, and demo is refused without
//	    -allow-demo.
//	hrss-seed [-store bbolt|dynamodb] import -kind KIND [-format csv|json|jsonl]
//	          [-source TEXT] [-dry-run] [-rejects FILE.csv] FILE...
//	    import files of one kind (units, persons, spells, contributions,
//	    grades, benefits, bookkeeping-rates, contribution-rates,
//	    average-wages); rerunning a file is harmless
//	hrss-seed kinds
//	    list the import kinds and their columns, with what a missing
//	    column and an empty cell do to a stored record
//	hrss-seed [-store bbolt|dynamodb] staff add -id ID -name NAME -role reviewer|admin [-area CODE]
//	    create a staff account: prints its initial password (once) and the
//	    TOTP secret with its otpauth:// URI for the authenticator app; the
//	    account cannot log in until enrolled
//	hrss-seed [-store bbolt|dynamodb] staff enrol -id ID -code 123456
//	    enrol the TOTP secret with a code the authenticator app shows
//
// The bbolt store is HRSS_DATA_DIR/hrss.db (.data/hrss.db), the file the
// local runner uses: stop `make run` first, bbolt allows one process. The
// dynamodb store is the table HRSS_TABLE with the default AWS configuration.
// The clock is HRSS_CLOCK when set (as for the runner), else real time. The
// ID-number index is keyed as by the functions: on dynamodb with the key in
// the Parameter Store SecureString HRSS_ID_HASH_KEY_PARAM names; on bbolt
// with HRSS_ID_HASH_KEY (unset: the ledger's built-in key, for local runs).
//
// Exit status: 0 done, 1 failed, 2 bad usage, 3 done with rejected rows.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/importer"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/table/dynamostore"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitRejected = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command without the process around it.
func run(ctx context.Context, args []string, lookup func(string) (string, bool), stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hrss-seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeKind := fs.String("store", "bbolt", "table to write: bbolt (HRSS_DATA_DIR/hrss.db) or dynamodb (HRSS_TABLE)")
	allowDemo := fs.Bool("allow-demo", false, "allow demo on -store dynamodb (it writes made-up persons into that table)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hrss-seed [-store bbolt|dynamodb] [-allow-demo] [demo | import -kind KIND FILE... | kinds | staff add|enrol ...]")
		fmt.Fprintln(stderr, "  demo is the default command on bbolt; on dynamodb give the command, and demo needs -allow-demo")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cmd, rest := "demo", fs.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	} else if *storeKind == "dynamodb" {
		fmt.Fprintln(stderr, "hrss-seed: no command given; on -store dynamodb the demo seed is not the default")
		fs.Usage()
		return exitUsage
	}
	var work func(ctx context.Context, st table.Store, cfg config.Config, clk clock.Clock) int
	switch cmd {
	case "kinds":
		printKinds(stdout)
		return exitOK
	case "import":
		imp, ok := parseImport(rest, stderr)
		if !ok {
			return exitUsage
		}
		work = func(ctx context.Context, st table.Store, cfg config.Config, clk clock.Clock) int {
			return runImport(ctx, ledgerStore(st, cfg, clk), imp, stdout, stderr)
		}
	case "staff":
		sc, ok := parseStaff(rest, stderr)
		if !ok {
			return exitUsage
		}
		work = func(ctx context.Context, st table.Store, cfg config.Config, clk clock.Clock) int {
			return runStaff(ctx, st, cfg, clk, sc, stdout, stderr)
		}
	case "demo":
		if !parseDemo(rest, allowDemo, stderr) {
			return exitUsage
		}
		work = func(ctx context.Context, st table.Store, cfg config.Config, clk clock.Clock) int {
			return runDemo(ctx, ledgerStore(st, cfg, clk), stdout, stderr)
		}
	default:
		fmt.Fprintf(stderr, "hrss-seed: unknown command %q\n", cmd)
		fs.Usage()
		return exitUsage
	}
	cfg, err := config.FromLookup(lookup)
	if err != nil {
		fmt.Fprintln(stderr, "hrss-seed:", err)
		return exitFailed
	}
	var clk clock.Clock = clock.Real{}
	if cfg.Clock != "" {
		t, err := clock.Parse(cfg.Clock)
		if err != nil {
			fmt.Fprintln(stderr, "hrss-seed: HRSS_CLOCK:", err)
			return exitFailed
		}
		clk = clock.Offset(t)
	}
	if cmd == "demo" && *storeKind == "dynamodb" && !*allowDemo { // before opening the table
		fmt.Fprintf(stderr, "hrss-seed: refusing to write the demo ledger (made-up persons and units) into the DynamoDB table %q;\n"+
			"hrss-seed: give -allow-demo if that table is a test table meant for demo data\n", cfg.Table)
		return exitUsage
	}
	st, closeStore, err := openStore(ctx, *storeKind, &cfg, clk)
	if err != nil {
		fmt.Fprintln(stderr, "hrss-seed:", err)
		return exitFailed
	}
	defer closeStore()
	return work(ctx, st, cfg, clk)
}

func ledgerStore(st table.Store, cfg config.Config, clk clock.Clock) *ledger.Store {
	return ledger.NewStore(st, clk, ledger.WithIDHashKey([]byte(cfg.IDHashKey)))
}

// parseDemo reads the demo command's flags.
func parseDemo(args []string, allowDemo *bool, stderr io.Writer) bool {
	dfs := flag.NewFlagSet("hrss-seed demo", flag.ContinueOnError)
	dfs.SetOutput(stderr)
	dfs.BoolVar(allowDemo, "allow-demo", *allowDemo, "allow demo on -store dynamodb")
	if err := dfs.Parse(args); err != nil {
		return false
	}
	if dfs.NArg() > 0 {
		fmt.Fprintln(stderr, "hrss-seed: demo takes no arguments")
		return false
	}
	return true
}

func runDemo(ctx context.Context, ls *ledger.Store, stdout, stderr io.Writer) int {
	seeded, err := demo.Seed(ctx, ls)
	switch {
	case err != nil:
		fmt.Fprintln(stderr, "hrss-seed: demo:", err)
		return exitFailed
	case seeded:
		fmt.Fprintf(stdout, "demo ledger written: %d records (persons %d, units %d, contribution rows %d)\n",
			len(demo.Records()), len(demo.Persons()), len(demo.Units()), len(demo.Contributions()))
	default:
		fmt.Fprintln(stdout, "the ledger already holds data (a seed or import marker): nothing written")
	}
	return exitOK
}

// openStore opens the table of kind. On dynamodb it also reads the
// deployment's ID hash key into cfg from Parameter Store, as the functions
// do (awswire.Secrets), so that what it writes is found by them.
func openStore(ctx context.Context, kind string, cfg *config.Config, clk clock.Clock) (table.Store, func(), error) {
	switch kind {
	case "bbolt":
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, nil, err
		}
		s, err := boltstore.Open(filepath.Join(cfg.DataDir, "hrss.db"), clk)
		if errors.Is(err, boltstore.ErrLocked) {
			return nil, nil, fmt.Errorf("%w: stop the local runner (make run) first", err)
		}
		if err != nil {
			return nil, nil, err
		}
		return s, func() { _ = s.Close() }, nil
	case "dynamodb":
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("aws config: %w", err)
		}
		if err := awswire.Secrets(ctx, awswire.NewParameterStore(awsCfg), cfg); err != nil {
			return nil, nil, err
		}
		return dynamostore.New(dynamodb.NewFromConfig(awsCfg), cfg.Table, clk), func() {}, nil
	}
	return nil, nil, fmt.Errorf("unknown -store %q (bbolt or dynamodb)", kind)
}

type importFlags struct {
	kind    importer.Kind
	format  string
	source  string
	dryRun  bool
	rejects string
	files   []string
}

func parseImport(args []string, stderr io.Writer) (importFlags, bool) {
	fs := flag.NewFlagSet("hrss-seed import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f importFlags
	kind := fs.String("kind", "", "what the files hold (hrss-seed kinds lists them)")
	fs.StringVar(&f.format, "format", "", "csv, json or jsonl (default: from the file extension)")
	fs.StringVar(&f.source, "source", "", "source recorded on reference-data rows without one")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check every row, write nothing")
	fs.StringVar(&f.rejects, "rejects", "", "write the rejected rows' problems to this CSV file")
	if err := fs.Parse(args); err != nil {
		return f, false
	}
	f.kind, f.files = importer.Kind(*kind), fs.Args()
	if importer.Columns(f.kind) == nil {
		fmt.Fprintf(stderr, "hrss-seed import: -kind must be one of %s\n", kindNames())
		return f, false
	}
	if len(f.files) == 0 {
		fmt.Fprintln(stderr, "hrss-seed import: no file given")
		return f, false
	}
	return f, true
}

func runImport(ctx context.Context, ls *ledger.Store, f importFlags, stdout, stderr io.Writer) int {
	var all []importer.Rejection
	var rejectFiles []string
	status := exitOK
	for _, path := range f.files {
		name := filepath.Base(path)
		progress := func(p importer.Progress) {
			fmt.Fprintf(stderr, "%s: %d rows (%d accepted, %d rejected); written %d new, %d updated, %d unchanged\n",
				name, p.Rows, p.Accepted, p.Rejected, p.Written.Created, p.Written.Updated, p.Written.Unchanged)
		}
		rep, err := importer.ImportFile(ctx, ls, path, importer.Options{
			Kind: f.kind, Format: f.format, Source: f.source, DryRun: f.dryRun, Progress: progress, ProgressEvery: 10000,
		})
		if err != nil {
			fmt.Fprintf(stderr, "hrss-seed: %s: %v\n", path, err)
			fmt.Fprintln(stderr, "hrss-seed: rows written before the failure stay written; rerun the same command to complete the import")
			return exitFailed
		}
		verb := "imported"
		if rep.DryRun {
			verb = "checked (dry run, nothing written)"
		}
		fmt.Fprintf(stdout, "%s %s: %d rows, %d accepted, %d rejected; %d new, %d updated, %d unchanged; %s\n",
			path, verb, rep.Rows, rep.Accepted, rep.RejectedRows, rep.Written.Created, rep.Written.Updated, rep.Written.Unchanged, rep.Digest)
		if len(rep.UnknownColumns) > 0 {
			fmt.Fprintf(stdout, "  ignored columns: %s\n", strings.Join(rep.UnknownColumns, ", "))
		}
		const show = 50
		for i, r := range rep.Rejected {
			if i == show && f.rejects == "" {
				fmt.Fprintf(stdout, "  … %d more problems (use -rejects FILE.csv to list them all)\n", len(rep.Rejected)-show)
				break
			}
			if i < show {
				fmt.Fprintln(stdout, "  "+r.String())
			}
		}
		for _, r := range rep.Rejected {
			if r.Cause != nil { // the internal reason, for the log only
				fmt.Fprintf(stderr, "hrss-seed: %s: line %d: rejected: %v\n", name, r.Line, r.Cause)
			}
			rejectFiles = append(rejectFiles, path)
		}
		all = append(all, rep.Rejected...)
		if rep.RejectedRows > 0 {
			status = exitRejected
		}
	}
	if f.rejects != "" {
		if err := writeRejects(f.rejects, rejectFiles, all); err != nil {
			fmt.Fprintln(stderr, "hrss-seed:", err)
			return exitFailed
		}
	}
	return status
}

func writeRejects(path string, files []string, rs []importer.Rejection) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(out)
	_ = w.Write([]string{"file", "line", "field", "message"})
	for i, r := range rs {
		_ = w.Write([]string{files[i], strconv.Itoa(r.Line), r.Field, r.Message})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func kindNames() string {
	var names []string
	for _, k := range importer.Kinds {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

func printKinds(w io.Writer) {
	fmt.Fprint(w, `Each file holds one kind. A row whose record is stored already updates it:
a missing column keeps the stored value (a new record gets the default), and
an empty cell does what the column's [empty ...] says: "clears" removes the
value (a rate becomes unknown, a period end open), "keeps the stored value"
leaves an amount or count as it is (write 0 to zero it), "sets the default"
derives the value again. Required columns need a value on every row.

`)
	for _, k := range importer.Kinds {
		fmt.Fprintf(w, "%s\n", k)
		for _, c := range importer.Columns(k) {
			req := " [" + c.Empty.String() + "]"
			if c.Required {
				req = " (required)"
			}
			doc := ""
			if c.Doc != "" {
				doc = ": " + c.Doc
			}
			fmt.Fprintf(w, "  %-26s %s%s%s\n", c.Key, strings.Join(c.Aliases, " / "), req, doc)
		}
	}
}
