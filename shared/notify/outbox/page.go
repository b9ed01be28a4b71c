package outbox

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/notify"
)

// Path is where the local runner mounts Handler.
const Path = "/_outbox"

var page = template.Must(template.New("outbox").Funcs(template.FuncMap{
	"channel": func(c notify.Channel) string {
		switch c {
		case notify.SMS:
			return "短信"
		case notify.Email:
			return "电子邮件"
		}
		return string(c)
	},
	"when": func(m notify.Message) string { return m.SentAt.In(clock.Shanghai).Format("2006-01-02 15:04:05") },
}).Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>通知发件箱（本地）</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
pre { margin: 0; white-space: pre-wrap; font-family: inherit; }
.note { color: #666; }
</style>
</head>
<body>
<h1>通知发件箱（本地）</h1>
<p class="note">本地运行时，系统发出的短信和电子邮件不会真正发送，而是保存在这里。按发送时间从新到旧排列，最多显示 {{.Limit}} 条。</p>
<table>
<thead><tr><th>发送时间</th><th>渠道</th><th>收件人</th><th>主题</th><th>内容</th><th>消息编号</th></tr></thead>
<tbody>
{{- range .Messages}}
<tr><td>{{when .}}</td><td>{{channel .Channel}}</td><td>{{.To}}</td><td>{{.Subject}}</td><td><pre>{{.Body}}</pre></td><td>{{.ID}}</td></tr>
{{- else}}
<tr><td colspan="6">暂无通知</td></tr>
{{- end}}
</tbody>
</table>
</body>
</html>
`))

// Handler serves the outbox as an HTML page (GET; ?limit=N for 1 to 1000
// messages, default DefaultLimit). Content is HTML-escaped. It is for the
// local runner only: it shows message bodies in full.
func (o *Outbox) Handler() http.Handler {
	return httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			return apperr.E(apperr.MethodNotAllowed, "该地址只支持 GET 请求")
		}
		limit := DefaultLimit
		if s := r.URL.Query().Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > maxList {
				return apperr.E(apperr.BadRequest, "limit 须为 1 到 1000 之间的整数")
			}
			limit = n
		}
		msgs, err := o.List(r.Context(), limit)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := page.Execute(&buf, struct {
			Limit    int
			Messages []notify.Message
		}{limit, msgs}); err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes()) // the client went away; nothing to report
		return nil
	})
}
