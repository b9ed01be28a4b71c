// Package identityapi is the identity function (IdentityFunction): 用户注册
// (自然人用户 and 法人用户), 用户登录 (个人, 企业 and staff), the captcha with its
// spoken alternative, SMS codes, the session, password change and reset,
// and the person's own access log (who read their data). The rules are
// shared/identity's; this package decodes, calls and answers.
//
// Routes:
//
//	GET  /api/v1/auth/captcha                 a new captcha: {"captchaId","image","audio"}
//	GET  /api/v1/auth/captcha/{id}/audio      the captcha spoken (audio/wav)
//	POST /api/v1/auth/sms-codes               {"mobile","purpose","captchaId","captchaAnswer"} → 202
//	POST /api/v1/auth/register/person         自然人用户注册 → 201 {"user"}
//	POST /api/v1/auth/register/unit           法人用户注册 → 201 {"accountId","user"}
//	POST /api/v1/auth/login                   {"userType","username","password","captchaId","captchaAnswer","totp"?} → {"user"} + cookie
//	GET  /api/v1/auth/me                      the logged-in user
//	POST /api/v1/auth/logout                  ends the session → 204
//	POST /api/v1/auth/password                {"oldPassword","newPassword"}: ends the other sessions
//	POST /api/v1/auth/password/reset          {"userType","username","mobile","smsCode","password"} by SMS code
//	GET  /api/v1/me/access-log                who read my data (individuals)
//	POST /api/v1/auth/qr                      {"userType"} → a 电子社保卡 login QR code {"qrId","image","expiresAt"}
//	GET  /api/v1/auth/qr/{qrId}               pending | scanned | confirmed (logs in, once) | expired
//	GET  /api/v1/me/messages                  the message center (站内信), with the unread count
//	POST /api/v1/me/messages/{id}/read        one message read
//	POST /api/v1/me/messages/read-all         全部已读
//	GET  /api/v1/me/notification-settings     the channels besides the message center
//	PUT  /api/v1/me/notification-settings     choose SMS and e-mail
//
// ID numbers and mobiles are masked in every answer.
package identityapi

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Name is the function's logical id in template.yaml.
const Name = "IdentityFunction"

// Policies are the routes' access policies.
var Policies = access.Policies{
	"GET /api/v1/auth/captcha":             access.Public,
	"GET /api/v1/auth/captcha/{id}/audio":  access.Public,
	"POST /api/v1/auth/sms-codes":          access.Public,
	"POST /api/v1/auth/register/person":    access.Public,
	"POST /api/v1/auth/register/unit":      access.Public,
	"POST /api/v1/auth/login":              access.Public,
	"POST /api/v1/auth/password/reset":     access.Public,
	"POST /api/v1/auth/qr":                 access.Public,
	"GET /api/v1/auth/qr/{qrId}":           access.Public,
	"GET /api/v1/auth/me":                  access.LoggedIn,
	"POST /api/v1/auth/logout":             access.LoggedIn,
	"POST /api/v1/auth/password":           access.LoggedIn,
	"GET /api/v1/me/access-log":            access.Allow(identity.RoleIndividual),
	"GET /api/v1/me/messages":              access.LoggedIn,
	"POST /api/v1/me/messages/{id}/read":   access.LoggedIn,
	"POST /api/v1/me/messages/read-all":    access.LoggedIn,
	"GET /api/v1/me/notification-settings": access.LoggedIn,
	"PUT /api/v1/me/notification-settings": access.LoggedIn,
}

type server struct {
	svc    *account.Service
	cookie access.Cookie
	card   CardApp
}

// New builds the identity function.
func New(d app.Deps) app.Function {
	rt, g := access.NewRouter(d, Policies)
	s := &server{svc: Service(d), cookie: g.Cookie(), card: cardApp(d)}
	rt.HandleFunc("GET /api/v1/auth/captcha", s.captcha)
	rt.HandleFunc("GET /api/v1/auth/captcha/{id}/audio", s.captchaAudio)
	rt.HandleFunc("POST /api/v1/auth/sms-codes", s.smsCode)
	rt.HandleFunc("POST /api/v1/auth/register/person", s.registerPerson)
	rt.HandleFunc("POST /api/v1/auth/register/unit", s.registerUnit)
	rt.HandleFunc("POST /api/v1/auth/login", s.login)
	rt.HandleFunc("POST /api/v1/auth/password/reset", s.resetPassword)
	rt.HandleFunc("GET /api/v1/auth/me", s.me)
	rt.HandleFunc("POST /api/v1/auth/logout", s.logout)
	rt.HandleFunc("POST /api/v1/auth/password", s.changePassword)
	rt.HandleFunc("GET /api/v1/me/access-log", s.accessLog)
	rt.HandleFunc("POST /api/v1/auth/qr", s.startQR)
	rt.HandleFunc("GET /api/v1/auth/qr/{qrId}", s.pollQR)
	m := &messagesAPI{box: inbox.New(d.Store, d.Clock), contacts: identity.NewContacts(d.Store)}
	rt.HandleFunc("GET /api/v1/me/messages", m.list)
	rt.HandleFunc("POST /api/v1/me/messages/{id}/read", m.read)
	rt.HandleFunc("POST /api/v1/me/messages/read-all", m.readAll)
	rt.HandleFunc("GET /api/v1/me/notification-settings", m.settings)
	rt.HandleFunc("PUT /api/v1/me/notification-settings", m.putSettings)
	return app.Function{Name: Name, HTTP: rt}
}

// Service returns the identity service of a function built by New on the
// same deps: for the local runner's helpers and tests.
func Service(d app.Deps) *account.Service {
	key := ledger.IDHashKey(d.Config.IDHashKey)
	return account.NewService(account.Deps{Table: d.Store, Clock: d.Clock, Key: key, Notify: d.Notify,
		Directory: ledger.NewStore(d.Store, d.Clock, ledger.WithIDHashKey(key)), Log: d.Log})
}

// meta is what the request tells the service for throttling and audit.
func meta(r *http.Request) account.Meta {
	return account.Meta{Address: httpapi.ClientAddr(r), RequestID: httpapi.RequestID(r.Context())}
}

// userJSON is an account as its owner sees it, identifiers masked.
type userJSON struct {
	AccountID    string   `json:"accountId"`
	UserType     string   `json:"userType"`
	Username     string   `json:"username"` // masked for individuals (it is the ID number)
	Name         string   `json:"name"`
	Roles        []string `json:"roles"`
	PersonNumber string   `json:"personNumber,omitempty"`
	UnitNumber   string   `json:"unitNumber,omitempty"`
	CreditCode   string   `json:"creditCode,omitempty"`
	PoolingArea  string   `json:"poolingArea,omitempty"`
	IDNumber     string   `json:"idNumber,omitempty"` // masked
	Mobile       string   `json:"mobile,omitempty"`   // masked
	// Linked tells whether the account is linked to the ledger (a person
	// or unit with records); an unlinked account can use the public
	// services and the businesses that create records, nothing that reads
	// them.
	Linked bool `json:"linked"`
}

func userBody(a account.Account, keys *identity.Keys) userJSON {
	u := userJSON{AccountID: a.ID(keys), UserType: string(a.Kind), Username: a.Username, Name: a.Name,
		PersonNumber: a.PersonNumber, UnitNumber: a.UnitNumber, CreditCode: a.CreditCode, PoolingArea: a.PoolingArea,
		IDNumber: checks.MaskID(a.IDNumber), Mobile: checks.MaskPhone(a.Mobile)}
	if a.Kind == identity.Individual {
		u.Username = checks.MaskID(a.Username)
	}
	for _, r := range a.Roles {
		u.Roles = append(u.Roles, string(r))
	}
	switch a.Kind {
	case identity.Individual:
		u.Linked = a.PersonNumber != ""
	case identity.Enterprise:
		u.Linked = a.UnitNumber != ""
	default:
		u.Linked = true
	}
	return u
}

func (s *server) captcha(w http.ResponseWriter, r *http.Request) error {
	id, err := s.svc.Captchas.New(r.Context())
	if err != nil {
		return err
	}
	png, err := s.svc.Captchas.Image(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{
		"captchaId": id,
		"image":     "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		"audio":     "/api/v1/auth/captcha/" + id + "/audio",
		"expiresIn": int(account.CaptchaTTL.Seconds()),
	})
	return nil
}

func (s *server) captchaAudio(w http.ResponseWriter, r *http.Request) error {
	wav, err := s.svc.Captchas.Audio(r.Context(), r.PathValue("id"))
	if err != nil {
		return apperr.E(apperr.NotFound, "验证码已过期，请刷新后重试")
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(wav)))
	_, _ = w.Write(wav)
	return nil
}
