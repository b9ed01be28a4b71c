package identityapi

import (
	"encoding/base64"
	"net/http"
	"time"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

// CardApp is the 电子社保卡 side of QR login (扫码登录), a port: it says
// what a login QR code encodes for the card app to scan. The scan and the
// confirmation come back from the app's side (account.Service.ScanQR and
// ConfirmQR): on the local runner from its phone page, in production from
// the national e-social-security-card platform, whose adapter is not built
// (it cannot be reached from here; docs/identity.md lists what it needs).
type CardApp interface {
	Content(qrID string) (string, error)
}

// LocalCardApp is the local runner's card app: the QR code encodes the
// runner's phone page, where a demo person (or a unit's legal
// representative) scans and confirms.
type LocalCardApp struct{ PublicURL string }

// Content is the URL of the phone page of the QR code.
func (l LocalCardApp) Content(id string) (string, error) {
	return l.PublicURL + "/_local/qr/" + id, nil
}

// NoCardApp is a deployment without the national platform's adapter: QR
// login answers 503 rather than show a code nobody can confirm.
type NoCardApp struct{}

// Content refuses.
func (NoCardApp) Content(string) (string, error) {
	return "", apperr.E(apperr.Unavailable, "电子社保卡扫码登录暂未开通，请使用账号密码登录")
}

// cardApp is the card app of a function's deps.
func cardApp(d app.Deps) CardApp {
	if d.Local {
		return LocalCardApp{PublicURL: d.Config.PublicURL}
	}
	return NoCardApp{}
}

// qrCookieName holds the poller's secret of the QR code a browser shows;
// it is sent only to the QR routes.
const qrCookieName = "hrss_qr"

func (s *server) qrCookie(v string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: qrCookieName, Value: v, Path: "/api/v1/auth/qr", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cookie.Secure, SameSite: http.SameSiteStrictMode}
}

func (s *server) startQR(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		UserType string `json:"userType"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	q, err := s.svc.StartQR(r.Context(), identity.Kind(req.UserType), s.card.Content, meta(r))
	if err != nil {
		return err
	}
	http.SetCookie(w, s.qrCookie(q.Secret, int(account.QRTTL/time.Second)))
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusCreated, map[string]any{"qrId": q.ID, "image": "data:image/png;base64," + base64.StdEncoding.EncodeToString(q.PNG),
		"expiresAt": q.Expires.UTC().Format("2006-01-02T15:04:05Z"), "expiresIn": int(account.QRTTL / time.Second), "pollEvery": 2})
	return nil
}

func (s *server) pollQR(w http.ResponseWriter, r *http.Request) error {
	var secret string
	if ck, err := r.Cookie(qrCookieName); err == nil {
		secret = ck.Value
	}
	state, c, token, err := s.svc.PollQR(r.Context(), r.PathValue("qrId"), secret, meta(r))
	if err != nil {
		return err
	}
	out := map[string]any{"state": state}
	if token != "" {
		http.SetCookie(w, s.qrCookie("", -1))
		a, err := s.svc.Account(r.Context(), c)
		if err != nil {
			return err
		}
		s.cookie.Set(w, token)
		out["user"] = userBody(a, s.svc.Keys())
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}
