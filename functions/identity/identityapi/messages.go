package identityapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/table"
)

// The message center (站内信) and the person's channel settings:
//
//	GET  /api/v1/me/messages?cursor=&limit=     newest first, with the unread count
//	POST /api/v1/me/messages/{id}/read          → {"unread"}
//	POST /api/v1/me/messages/read-all           → {"marked","unread":0}
//	GET  /api/v1/me/notification-settings       {"inApp":true,"sms","email","emailAddress","mobile" (masked)}
//	PUT  /api/v1/me/notification-settings       {"sms","email","emailAddress"}
//
// Every route works on the caller's own account only: a message id of
// another account is 404, as is one that never existed.

type messagesAPI struct {
	box      *inbox.Store
	contacts *identity.Contacts
}

// unreadJSON is the unread count as the header badge shows it: the number,
// and "99+" beyond inbox.MaxUnread.
type unreadJSON struct {
	Unread      int    `json:"unread"`
	UnreadLabel string `json:"unreadLabel"`
}

func unreadOf(n int) unreadJSON {
	if n > inbox.MaxUnread {
		return unreadJSON{Unread: n, UnreadLabel: strconv.Itoa(inbox.MaxUnread) + "+"}
	}
	return unreadJSON{Unread: n, UnreadLabel: strconv.Itoa(n)}
}

func (a *messagesAPI) list(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	limit := 20
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 50 {
			return apperr.Field("limit", "每页条数应为1-50")
		}
		limit = n
	}
	p, err := a.box.List(r.Context(), c.AccountID, r.URL.Query().Get("cursor"), limit)
	if errors.Is(err, table.ErrInvalid) {
		return apperr.Field("cursor", "翻页参数无效，请从第一页重新查看")
	}
	if err != nil {
		return err
	}
	n, err := a.box.Unread(r.Context(), c.AccountID)
	if err != nil {
		return err
	}
	out := struct {
		unreadJSON
		Messages []inbox.Message `json:"messages"`
		Cursor   string          `json:"cursor,omitempty"`
	}{unreadJSON: unreadOf(n), Messages: p.Messages, Cursor: p.Cursor}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

var errNoMessage = apperr.E(apperr.NotFound, "没有这条消息，可能已被删除")

func (a *messagesAPI) read(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	err = a.box.MarkRead(r.Context(), c.AccountID, r.PathValue("id"))
	if errors.Is(err, inbox.ErrNotFound) {
		return errNoMessage
	}
	if err != nil {
		return err
	}
	n, err := a.box.Unread(r.Context(), c.AccountID)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, unreadOf(n))
	return nil
}

func (a *messagesAPI) readAll(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	marked, err := a.box.MarkAllRead(r.Context(), c.AccountID)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct {
		Marked int `json:"marked"`
		unreadJSON
	}{Marked: marked, unreadJSON: unreadOf(0)})
	return nil
}

// settingsJSON is what the settings page shows: the message center is
// always on; the mobile is the registered one, masked.
type settingsJSON struct {
	InApp bool   `json:"inApp"`
	SMS   bool   `json:"sms"`
	Email bool   `json:"email"`
	Addr  string `json:"emailAddress,omitempty"`
	// Mobile is where SMS go ("" when the account has none).
	Mobile string `json:"mobile,omitempty"`
}

func (a *messagesAPI) settingsOut(w http.ResponseWriter, r *http.Request, account string) error {
	st, err := a.box.Settings(r.Context(), account)
	if err != nil {
		return err
	}
	mobile, err := a.contacts.Mobile(r.Context(), account)
	if err != nil && !errors.Is(err, table.ErrNotFound) {
		return err
	}
	if mobile != "" {
		mobile = checks.MaskPhone(mobile)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, settingsJSON{InApp: true, SMS: st.SMS, Email: st.Email, Addr: st.Addr, Mobile: mobile})
	return nil
}

func (a *messagesAPI) settings(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	return a.settingsOut(w, r, c.AccountID)
}

func (a *messagesAPI) putSettings(w http.ResponseWriter, r *http.Request) error {
	c, err := caller(r)
	if err != nil {
		return err
	}
	var in struct {
		SMS   *bool  `json:"sms"`
		Email *bool  `json:"email"`
		Addr  string `json:"emailAddress"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	bad := map[string]string{}
	if in.SMS == nil {
		bad["sms"] = "请选择是否接收短信提醒"
	}
	if in.Email == nil {
		bad["email"] = "请选择是否接收邮件提醒"
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	st := inbox.Settings{SMS: *in.SMS, Email: *in.Email, Addr: strings.TrimSpace(in.Addr)}
	if bad := st.Check(); len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	if err := a.box.SetSettings(r.Context(), c.AccountID, st); err != nil {
		return err
	}
	return a.settingsOut(w, r, c.AccountID)
}
