package identityapi

import (
	"net/http"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

func (s *server) smsCode(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Mobile        string `json:"mobile"`
		Purpose       string `json:"purpose"`
		CaptchaID     string `json:"captchaId"`
		CaptchaAnswer string `json:"captchaAnswer"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	mobile, p := checks.Mobile(req.Mobile)
	if p != nil {
		return apperr.Field("mobile", p.Message)
	}
	if err := s.svc.Captchas.Check(r.Context(), req.CaptchaID, req.CaptchaAnswer); err != nil {
		return err
	}
	if err := s.svc.SMS.Send(r.Context(), mobile, req.Purpose); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusAccepted, map[string]any{"sent": true, "expiresIn": int(account.SMSCodeTTL.Seconds())})
	return nil
}

func (s *server) registerPerson(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name     string `json:"name"`
		IDNumber string `json:"idNumber"`
		Mobile   string `json:"mobile"`
		SMSCode  string `json:"smsCode"`
		Password string `json:"password"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.svc.RegisterPerson(r.Context(), account.PersonRegistration{Name: req.Name, IDNumber: req.IDNumber,
		Mobile: req.Mobile, SMSCode: req.SMSCode, Password: req.Password}, meta(r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, map[string]any{"user": userBody(a, s.svc.Keys())})
	return nil
}

func (s *server) registerUnit(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		USCC             string `json:"uscc"`
		UnitName         string `json:"unitName"`
		LegalRepName     string `json:"legalRepName"`
		LegalRepIDNumber string `json:"legalRepIdNumber"`
		AgentName        string `json:"agentName"`
		AgentIDNumber    string `json:"agentIdNumber"`
		Mobile           string `json:"mobile"`
		SMSCode          string `json:"smsCode"`
		Password         string `json:"password"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.svc.RegisterUnit(r.Context(), account.UnitRegistration{CreditCode: req.USCC, UnitName: req.UnitName,
		LegalRepName: req.LegalRepName, LegalRepIDNumber: req.LegalRepIDNumber, AgentName: req.AgentName,
		AgentIDNumber: req.AgentIDNumber, Mobile: req.Mobile, SMSCode: req.SMSCode, Password: req.Password}, meta(r))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, map[string]any{"accountId": a.Username, "user": userBody(a, s.svc.Keys())})
	return nil
}

func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		UserType      string `json:"userType"`
		Username      string `json:"username"`
		Password      string `json:"password"`
		CaptchaID     string `json:"captchaId"`
		CaptchaAnswer string `json:"captchaAnswer"`
		TOTP          string `json:"totp"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	c, token, err := s.svc.Login(r.Context(), account.Credentials{Kind: identity.Kind(req.UserType), Username: req.Username,
		Password: req.Password, CaptchaID: req.CaptchaID, CaptchaAnswer: req.CaptchaAnswer, TOTP: req.TOTP}, meta(r))
	if err != nil {
		return err
	}
	a, err := s.svc.Account(r.Context(), c)
	if err != nil {
		return err
	}
	s.cookie.Set(w, token)
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"user": userBody(a, s.svc.Keys()),
		"idleTimeout": int(identity.IdleTimeout.Seconds()), "absoluteTimeout": int(identity.AbsoluteTimeout.Seconds())})
	return nil
}

// caller is the caller of a route under a role policy.
func caller(r *http.Request) (identity.Caller, error) {
	c, ok := access.CallerOf(r.Context())
	if !ok {
		return identity.Caller{}, identity.ErrNoSession
	}
	return c, nil
}

func (s *server) me(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	a, err := s.svc.Account(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"user": userBody(a, s.svc.Keys())})
	return nil
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	if err := s.svc.Logout(r.Context(), c, meta(r)); err != nil {
		return err
	}
	s.cookie.Clear(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) changePassword(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var req struct {
		OldPassword string `json:"oldPassword"`
		NewPassword string `json:"newPassword"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.svc.ChangePassword(r.Context(), c, req.OldPassword, req.NewPassword, meta(r)); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"changed": true})
	return nil
}

func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		UserType string `json:"userType"`
		Username string `json:"username"`
		Mobile   string `json:"mobile"`
		SMSCode  string `json:"smsCode"`
		Password string `json:"password"`
	}
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.svc.ResetPassword(r.Context(), account.Reset{Kind: identity.Kind(req.UserType), Username: req.Username,
		Mobile: req.Mobile, SMSCode: req.SMSCode, Password: req.Password}, meta(r)); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"reset": true})
	return nil
}

// accessJSON is one read of the person's data by someone else.
type accessJSON struct {
	Time      string `json:"time"`
	ActorRole string `json:"actorRole"`
	Actor     string `json:"actor"`  // masked name or unit name
	Action    string `json:"action"` // read, or submit (an application about the person)
	Business  string `json:"business"`
	Result    string `json:"result"`
}

func (s *server) accessLog(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	out := struct {
		Entries []accessJSON `json:"entries"`
		Cursor  string       `json:"cursor,omitempty"`
	}{Entries: []accessJSON{}}
	if c.PersonNumber != "" {
		recs, cursor, err := s.svc.Audit.ReadsOf(r.Context(), c.PersonNumber, r.URL.Query().Get("cursor"), 50)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			out.Entries = append(out.Entries, accessJSON{Time: rec.Time.In(clock.Shanghai).Format(time.RFC3339), ActorRole: string(rec.ActorRole),
				Actor: rec.ActorName, Action: rec.Action, Business: rec.Object, Result: rec.Result})
		}
		out.Cursor = cursor
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}
