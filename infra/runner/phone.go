package runner

import (
	"html/template"
	"net/http"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

// The 电子社保卡 app, played on the local runner: the login QR code
// encodes this page's address; a demo person (or, for a 法人 code, a demo
// unit's legal representative) "scans" it and confirms the login, as the
// app does on a phone.
//
//	GET  /_local/qr/{qrId}            the phone page
//	POST /_local/qr/{qrId}/scan       idNumber=…: scanned by that card holder
//	POST /_local/qr/{qrId}/confirm    confirmed on the phone
func (r *Runner) phoneRoutes(rt *httpapi.Router) {
	rt.HandleFunc("GET /_local/qr/{qrId}", func(w http.ResponseWriter, req *http.Request) error {
		return r.phonePage(w, req, http.StatusOK, "")
	})
	rt.HandleFunc("POST /_local/qr/{qrId}/scan", func(w http.ResponseWriter, req *http.Request) error {
		return r.phoneAction(w, req, func(id string) error {
			return r.Identity.ScanQR(req.Context(), id, req.PostForm.Get("idNumber"))
		})
	})
	rt.HandleFunc("POST /_local/qr/{qrId}/confirm", func(w http.ResponseWriter, req *http.Request) error {
		return r.phoneAction(w, req, func(id string) error { return r.Identity.ConfirmQR(req.Context(), id) })
	})
}

// phoneAction does what the phone's button asks and shows the page again:
// after a redirect when it succeeded, with the refusal in Chinese when not
// (the page is read on a phone, never as JSON).
func (r *Runner) phoneAction(w http.ResponseWriter, req *http.Request, do func(id string) error) error {
	if err := req.ParseForm(); err != nil {
		return r.phonePage(w, req, http.StatusBadRequest, "表单无法解析，请返回重试")
	}
	if err := do(req.PathValue("qrId")); err != nil {
		e := apperr.As(err)
		return r.phonePage(w, req, apperr.Status(e.Code), e.Message)
	}
	http.Redirect(w, req, "/_local/qr/"+req.PathValue("qrId"), http.StatusSeeOther)
	return nil
}

var qrStateLabels = map[string]string{account.QRPending: "待扫描", account.QRScanned: "已扫描，待确认",
	account.QRConfirmed: "已确认", account.QRExpired: "已失效"}

var phonePage = template.Must(template.New("phone").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>电子社保卡（本地模拟）</title>
<style>body{font-family:sans-serif;margin:1.5em;max-width:28em}button{margin:.2em 0;padding:.4em 1em}</style></head>
<body><main><h1>电子社保卡 · 扫码登录（本地模拟）</h1>
{{if .Error}}<p role="alert"><strong>{{.Error}}</strong></p>{{end}}
<p>二维码状态：<strong>{{.StateLabel}}</strong>{{if .Kind}}（{{if eq .Kind "enterprise"}}单位法人扫码登录{{else}}个人扫码登录{{end}}）{{end}}</p>
{{if eq .State "pending"}}
<p>选择持卡人扫码：</p>
{{range .Holders}}<form method="post" action="/_local/qr/{{$.ID}}/scan"><input type="hidden" name="idNumber" value="{{.IDNumber}}">
<button type="submit">{{.Label}} 扫码</button></form>{{end}}
{{else if eq .State "scanned"}}
<p>确认后，电脑上的页面将以您的身份登录黑龙江省人力资源和社会保障公共服务平台。请确认该页面是您本人刚刚打开的；如果是他人发给您的二维码，请不要确认。</p>
<form method="post" action="/_local/qr/{{.ID}}/confirm"><button type="submit">确认登录</button></form>
{{else if eq .State "confirmed"}}<p>已确认，请回到电脑上的登录页面。</p>
{{else}}<p>二维码已失效，请在登录页面刷新二维码。</p>{{end}}
</main></body></html>`))

func (r *Runner) phonePage(w http.ResponseWriter, req *http.Request, status int, msg string) error {
	id := req.PathValue("qrId")
	kind, state, err := r.Identity.QRKind(req.Context(), id)
	type holder struct{ Label, IDNumber string }
	var holders []holder
	if err == nil && kind == identity.Enterprise {
		for _, l := range demo.LegalReps() {
			holders = append(holders, holder{Label: l.Name + "（" + l.UnitName + " 法定代表人）", IDNumber: l.IDNumber})
		}
	} else if err == nil {
		for _, a := range demo.Accounts() {
			if a.PersonNo != "" {
				holders = append(holders, holder{Label: a.Name, IDNumber: a.Username})
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return phonePage.Execute(w, map[string]any{"ID": id, "Kind": string(kind), "State": state, "Holders": holders, "Error": msg,
		"StateLabel": qrStateLabels[state]})
}
