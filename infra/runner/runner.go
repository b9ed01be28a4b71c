// Package runner is the local runner: the whole platform in one process,
// with the embedded adapters, wired from template.yaml exactly as AWS wires
// it. Every function's router is mounted at the method and path of its
// HttpApi events; state machine Tasks are dispatched to the functions'
// task handlers by the in-process ASL interpreter; schedules fire the
// functions' schedule handlers at the template's cron/rate expressions in
// the template's time zone. Local-only endpoints, which stand in for what
// AWS gives in the console or in S3, live under /_local/ and /_blobs/.
//
// Data lives under the data directory (.data/ by default): hrss.db (the
// table), blobs/ (materials) and blob-secret (the URL signing key).
package runner

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/samtemplate"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/blobs/diskblobs"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/schedule"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// Options configure a Runner.
type Options struct {
	Root   string        // directory holding template.yaml ("" = current directory)
	Config config.Config // settings (config.Load)
	Log    *slog.Logger  // JSON logger
	Clock  clock.Clock   // nil: HRSS_CLOCK if set, else real time
	// WebDir is the portal's build, served at / ("" = <Root>/web/dist).
	WebDir string
	// WrapTask, when set, wraps the task handler of every function the
	// workflow engine invokes (fault injection in tests).
	WrapTask func(function string, h workflow.TaskHandler) workflow.TaskHandler
	// Store, when set, is the table instead of the embedded bbolt file
	// (tests run the platform on the DynamoDB adapter over minidyn, to
	// count its calls); StoreKind names it for the health route.
	Store     table.Store
	StoreKind string
}

// Runner is the platform in one process.
type Runner struct {
	Template  *samtemplate.Template
	Functions map[string]app.Function
	Store     table.Store // bbolt unless Options.Store says otherwise
	Blobs     *diskblobs.Store
	Outbox    *outbox.Outbox
	Engine    *asl.Engine
	Timer     *schedule.Timer
	fire      map[string]func(ctx context.Context, name string, at time.Time) error // by schedule name
	// Identity is the identity service (local helpers, demo accounts).
	Identity *account.Service

	log     *slog.Logger
	clk     clock.Clock
	wrap    func(string, workflow.TaskHandler) workflow.TaskHandler
	webDir  string
	handler http.Handler
	router  *httpapi.Router
	api     map[string]string // API route pattern → function
}

// New opens the data directory and wires everything; Start begins the
// background work and Close releases it.
func New(opts Options) (_ *Runner, err error) {
	cfg := opts.Config
	log := opts.Log
	if log == nil {
		log = cfg.Logger()
	}
	tpl, err := samtemplate.Load(filepath.Join(opts.Root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real{}
		if cfg.Clock != "" {
			t, err := clock.Parse(cfg.Clock)
			if err != nil {
				return nil, fmt.Errorf("runner: HRSS_CLOCK: %w", err)
			}
			clk = clock.Offset(t)
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("runner: data dir: %w", err)
	}
	r := &Runner{Template: tpl, Functions: map[string]app.Function{}, log: log, clk: clk, wrap: opts.WrapTask,
		webDir: cmp.Or(opts.WebDir, filepath.Join(opts.Root, "web", "dist"))}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()

	kind := "bbolt"
	if opts.Store != nil {
		r.Store, kind = opts.Store, cmp.Or(opts.StoreKind, "test")
	} else {
		bolt, err := boltstore.Open(filepath.Join(cfg.DataDir, "hrss.db"), clk)
		if err != nil {
			return nil, fmt.Errorf("runner: open table: %w", err)
		}
		r.Store = bolt
	}
	secret, err := blobSecret(cfg)
	if err != nil {
		return nil, err
	}
	if r.Blobs, err = diskblobs.New(filepath.Join(cfg.DataDir, "blobs"), cfg.PublicURL, secret, clk); err != nil {
		return nil, fmt.Errorf("runner: blobs: %w", err)
	}
	r.Outbox = outbox.New(r.Store, clk)

	engine := &engineRef{}
	deps := app.Deps{
		Config: cfg, Log: log, Clock: clk,
		Store: r.Store, StoreKind: kind,
		Blobs: r.Blobs, Workflow: engine, Notify: r.Outbox,
		Local: true,
	}
	r.Identity = identityapi.Service(deps)
	for _, name := range tpl.FunctionNames() {
		ctor, ok := Constructors[name]
		if !ok {
			return nil, fmt.Errorf("runner: template function %s has no constructor in runner.Constructors", name)
		}
		w, ok := Wired[name]
		if !ok {
			return nil, fmt.Errorf("runner: template function %s has no wiring in runner.Wired", name)
		}
		r.Functions[name] = ctor(w.wire(deps))
	}

	machines := map[string][]byte{}
	for name, sm := range tpl.StateMachines {
		def, err := os.ReadFile(filepath.Join(opts.Root, sm.DefinitionURI))
		if err != nil {
			return nil, fmt.Errorf("runner: state machine %s: %w", name, err)
		}
		machines[name] = def
	}
	// Task handlers (receipts above all) get half the cores at most: in
	// AWS they run in functions of their own, and here they must not
	// starve the requests that started them.
	slots := max(1, runtime.GOMAXPROCS(0)/2)
	if r.Engine, err = asl.New(r.Store, clk, machines, r.taskHandler, asl.WithLogger(log), asl.WithMaxRunningTasks(slots)); err != nil {
		return nil, fmt.Errorf("runner: workflow: %w", err)
	}
	engine.Engine = r.Engine

	r.Timer = schedule.NewTimer(clk)
	for _, name := range sortedKeys(tpl.Schedules) {
		sc := tpl.Schedules[name]
		if err := r.addSchedule(sc); err != nil {
			return nil, err
		}
	}

	if err := r.routes(); err != nil {
		return nil, err
	}
	return r, nil
}

// taskHandler resolves a Task's FunctionName (a template logical id) to the
// function's in-process task handler.
func (r *Runner) taskHandler(name string) (workflow.TaskHandler, bool) {
	fn, ok := r.Functions[name]
	if !ok || fn.Task == nil {
		return nil, false
	}
	if r.wrap != nil {
		return r.wrap(name, fn.Task), true
	}
	return fn.Task, true
}

func (r *Runner) addSchedule(sc samtemplate.Schedule) error {
	loc, err := time.LoadLocation(sc.Timezone)
	if err != nil {
		return fmt.Errorf("runner: schedule %s: time zone %q: %w", sc.Name, sc.Timezone, err)
	}
	s, err := schedule.Parse(sc.Expression, loc)
	if err != nil {
		return fmt.Errorf("runner: schedule %s: %w", sc.Name, err)
	}
	fn, ok := r.Functions[sc.Function]
	if !ok || fn.Schedule == nil {
		return fmt.Errorf("runner: schedule %s targets %q, which has no schedule handler", sc.Name, sc.Function)
	}
	var ev app.ScheduleEvent
	if sc.Input != "" {
		if err := json.Unmarshal([]byte(sc.Input), &ev); err != nil {
			return fmt.Errorf("runner: schedule %s: Input: %w", sc.Name, err)
		}
	}
	if ev.Schedule == "" {
		ev.Schedule = sc.Name
	}
	fire := func(ctx context.Context, name string, at time.Time) error {
		e := ev
		e.Time = at
		if err := fn.Schedule(ctx, e); err != nil {
			r.log.ErrorContext(ctx, "schedule failed", "schedule", name, "function", fn.Name, "err", err.Error())
			return err
		}
		r.log.InfoContext(ctx, "schedule ran", "schedule", name, "function", fn.Name)
		return nil
	}
	if r.fire == nil {
		r.fire = map[string]func(context.Context, string, time.Time) error{}
	}
	r.fire[sc.Name] = fire
	r.Timer.Add(sc.Name, s, func(ctx context.Context, name string, at time.Time) { _ = fire(ctx, name, at) })
	return nil
}

// FireSchedule runs the schedule named name now, as EventBridge Scheduler
// would at its next occurrence (the local page's 立即触发, and demos of the
// reminders without waiting for the 1st).
func (r *Runner) FireSchedule(ctx context.Context, name string) error {
	f, ok := r.fire[name]
	if !ok {
		return apperr.E(apperr.NotFound, "没有这个定时任务："+name)
	}
	return f(ctx, name, r.clk.Now())
}

// routes builds the top-level handler: template routes to their functions,
// then the local-only endpoints.
func (r *Runner) routes() error {
	rt := httpapi.NewRouter()
	r.api = map[string]string{}
	for pattern, fname := range r.Template.Routes() {
		fn := r.Functions[fname]
		if fn.HTTP == nil {
			return fmt.Errorf("runner: %s has HttpApi route %s but no HTTP handler", fname, pattern)
		}
		if !slices.Contains(fn.HTTP.Routes(), pattern) {
			return fmt.Errorf("runner: template routes %s to %s, which does not serve it", pattern, fname)
		}
		rt.Handle(pattern, fn.HTTP)
		r.api[pattern] = fname
	}
	for _, fn := range r.Functions {
		if fn.HTTP == nil { // a function with only tasks or schedules
			continue
		}
		for _, p := range fn.HTTP.Routes() {
			if _, ok := r.api[p]; !ok {
				return fmt.Errorf("runner: %s serves %s, which template.yaml does not route", fn.Name, p)
			}
		}
	}
	rt.Handle("POST "+diskblobs.UploadPath, r.Blobs.Handler())
	rt.Handle("GET "+diskblobs.ObjectPath+"{key...}", r.Blobs.Handler())
	rt.Handle("GET "+outbox.Path, r.Outbox.Handler())
	rt.HandleFunc("GET /_local/{$}", r.index)
	r.localRoutes(rt)
	r.phoneRoutes(rt)
	r.router = rt
	web := portal(r.webDir)
	r.handler = httpapi.Middleware(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if (req.Method == http.MethodGet || req.Method == http.MethodHead) && portalPath(req.URL.Path) && rt.Pattern(req) == "" {
			web.ServeHTTP(w, req) // the portal's own paths, at /
			return
		}
		rt.ServeHTTP(w, req)
	}), r.log, nil)
	return nil
}

// Route tells which route pattern of the runner serves req and, for an API
// route, which function's router handles it: ("", "") for none.
func (r *Runner) Route(req *http.Request) (pattern, function string) {
	pattern = r.router.Pattern(req)
	fname, ok := r.api[pattern]
	if !ok {
		return pattern, ""
	}
	if r.Functions[fname].HTTP.Pattern(req) != pattern {
		return pattern, ""
	}
	return pattern, fname
}

// Clock is the runner's clock (HRSS_CLOCK or real time).
func (r *Runner) Clock() clock.Clock { return r.clk }

// Handler is the HTTP handler of the whole platform.
func (r *Runner) Handler() http.Handler { return r.handler }

// APIRoutes maps each API route pattern served to its function.
func (r *Runner) APIRoutes() map[string]string { return r.api }

// Start begins background work: resuming workflow executions and firing
// schedules. It returns at once.
func (r *Runner) Start(ctx context.Context) error {
	if _, err := r.Engine.Resume(ctx); err != nil {
		return fmt.Errorf("runner: resume workflows: %w", err)
	}
	r.Timer.Start(ctx)
	return nil
}

// Close stops background work and closes the store. Safe to call once
// after a failed New.
func (r *Runner) Close() error {
	if r.Timer != nil {
		r.Timer.Stop()
	}
	if r.Engine != nil {
		r.Engine.Close()
	}
	var err error
	if r.Blobs != nil {
		err = r.Blobs.Close()
	}
	if c, ok := r.Store.(io.Closer); ok {
		err = errors.Join(err, c.Close())
	}
	return err
}

// blobSecret returns HRSS_BLOB_SECRET, else the key kept in the data
// directory, creating it on first start.
func blobSecret(cfg config.Config) ([]byte, error) {
	if cfg.BlobSecret != "" {
		return []byte(cfg.BlobSecret), nil
	}
	path := filepath.Join(cfg.DataDir, "blob-secret")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("runner: blob secret: %w", err)
	}
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(k[:])
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("runner: blob secret: %w", err)
	}
	return []byte(s), nil
}

// engineRef lets functions hold the workflow engine before it exists (the
// engine needs the functions' task handlers, the functions need the engine).
type engineRef struct{ workflow.Engine }

// kindLabels and roleLabels name user types and roles on the index page
// as the manual does (自然人用户, 法人用户), with the API's value beside them
// for a tester's login request.
var (
	kindLabels = map[string]string{string(identity.Individual): "自然人用户", string(identity.Enterprise): "法人用户", string(identity.Staff): "经办人员"}
	roleLabels = map[string]string{string(identity.RoleIndividual): "个人", string(identity.RoleAgent): "单位经办人",
		string(identity.RoleReviewer): "审核员", string(identity.RoleAdmin): "管理员"}
)

var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"kind": func(k string) string { return kindLabels[k] }, "role": func(r string) string { return roleLabels[r] },
	"sections": sections,
}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>hrss 本地运行</title>
<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em 1em;text-align:left}</style></head>
<body><main><h1>黑龙江省人力资源和社会保障公共服务平台 · 本地运行</h1>
<p>版本 {{.Version}} · 存储 bbolt · 时间 {{.Now}}</p>
<h2>演示账号</h2>
<p>密码均为 <code>{{.Password}}</code>。登录所需的验证码答案、短信验证码和经办人员动态口令见下方本地辅助接口。</p>
<table><tr><th>用户类型</th><th>用户名</th><th>姓名 / 单位</th><th>角色</th><th>演示内容</th><th>可办理的业务</th></tr>
{{range .Accounts}}<tr><td>{{kind .UserType}}（<code>{{.UserType}}</code>）</td><td><code>{{.Username}}</code></td><td>{{.Name}}</td><td>{{role .Role}}</td><td>{{.What}}</td><td>{{sections .Businesses}}</td></tr>{{end}}</table>
<p>“可办理的业务”是该账号的参保记录满足业务规则、可以从草稿一直提交的业务（按手册章节号；完整列表见 /_local/demo-accounts 的 businesses）。</p>
<h2>本地辅助接口（仅本地运行，不部署）</h2>
<ul><li><a href="/_local/demo-accounts">/_local/demo-accounts</a>：演示账号（JSON）</li>
<li><code>/_local/captcha/{captchaId}</code>：验证码答案</li>
<li><a href="/_local/outbox">/_local/outbox?to=手机号</a>：发送到该号码的短信（JSON，最新在前）</li>
<li>{{range .Staff}}<a href="/_local/totp/{{.}}">/_local/totp/{{.}}</a> {{end}}：演示经办人员的当前动态口令</li>
<li><code>/_local/qr/{qrId}</code>：模拟手机上的电子社保卡：扫描登录二维码（<code>POST /api/v1/auth/qr</code> 返回的 qrId）并确认登录</li>
<li><a href="/_local/schedules">/_local/schedules</a>：定时任务及下次触发时间；<code>POST /_local/schedules/{name}/fire</code> 立即触发一个（如 ReminderWindowOpen：办理时间开始的缴费提醒）</li>
<li><a href="/_outbox">通知发件箱</a></li></ul>
<h2>接口（template.yaml）</h2>
<table><tr><th>路由</th><th>函数</th></tr>{{range .Routes}}<tr><td><code>{{.Pattern}}</code></td><td>{{.Function}}</td></tr>{{end}}</table>
</main></body></html>`))

func (r *Runner) index(w http.ResponseWriter, _ *http.Request) error {
	type row struct{ Pattern, Function string }
	var rows []row
	for _, p := range sortedKeys(r.api) {
		rows = append(rows, row{p, r.api[p]})
	}
	var staff []string
	for _, a := range demo.Accounts() {
		if a.TOTPSecret != "" {
			staff = append(staff, a.Username)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return indexPage.Execute(w, map[string]any{"Version": app.Version, "Now": r.nowText(), "Routes": rows,
		"Accounts": demo.Accounts(), "Password": demo.Password, "Staff": staff})
}

// sections lists business ids as the manual's section numbers (4.4 5.1),
// in catalog order.
func sections(ids []string) string {
	var out []string
	for _, b := range catalog.Default().Businesses() {
		if slices.Contains(ids, b.ID) {
			out = append(out, b.Section)
		}
	}
	return strings.Join(out, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
