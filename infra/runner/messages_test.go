package runner_test

import (
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
)

// messageList is what the tests read of GET /api/v1/me/messages.
type messageList struct {
	Unread      int    `json:"unread"`
	UnreadLabel string `json:"unreadLabel"`
	Messages    []struct {
		ID, Kind, Title, Body, Business, Link string
		Read                                  bool
	} `json:"messages"`
	Cursor string `json:"cursor"`
}

// TestMessageCenter: the workflow's notice of a submission is in the
// applicant's 站内信 (and by SMS, the default); read one, then all; the
// person switches SMS off and e-mail on, and the next notice comes by
// e-mail and 站内信 only. Nobody reads another person's messages.
func TestMessageCenter(t *testing.T) {
	r := seededRunner(t)
	applicant, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	mobile := "+86199" + demo.PersonRefund[len(demo.PersonRefund)-8:]
	l := decode[messageList](t, applicant.do("GET", "/api/v1/me/messages", ""))
	if l.Unread != 1 || l.UnreadLabel != "1" || len(l.Messages) != 1 {
		t.Fatalf("after the submit: %+v", l)
	}
	m := l.Messages[0]
	if m.Title != "申请已提交" || m.Kind != "application" || m.Business != "personal-basic-info-change" ||
		m.Link != "/user-center/applications/"+id || m.Read {
		t.Errorf("the notice: %+v", m)
	}
	if n := count(messages(t, r, mobile), "已提交"); n != 1 {
		t.Errorf("%d SMS of the submission, want 1", n)
	}

	other := loggedIn(t, r, demo.PersonRetiree)
	wantCode(t, "another person's message", other.do("POST", "/api/v1/me/messages/"+m.ID+"/read", ""), 404, "没有这条消息")
	if l := decode[messageList](t, other.do("GET", "/api/v1/me/messages", "")); len(l.Messages) != 0 {
		t.Errorf("another person sees %d messages", len(l.Messages))
	}
	wantCode(t, "read", applicant.do("POST", "/api/v1/me/messages/"+m.ID+"/read", ""), 200, `"unread":0`)
	wantCode(t, "a bad cursor", applicant.do("GET", "/api/v1/me/messages?cursor=nonsense", ""), 422, `"cursor"`)
	wantCode(t, "a bad limit", applicant.do("GET", "/api/v1/me/messages?limit=500", ""), 422, `"limit"`)
	wantCode(t, "anonymous", (&client{t: t, h: r.Handler()}).do("GET", "/api/v1/me/messages", ""), 401)

	const settings = "/api/v1/me/notification-settings"
	wantCode(t, "the defaults", applicant.do("GET", settings, ""), 200, `"inApp":true`, `"sms":true`, `"email":false`, `"mobile":"199****`)
	wantCode(t, "e-mail without an address", applicant.do("PUT", settings, `{"sms":false,"email":true}`), 422, `"emailAddress"`)
	wantCode(t, "a bad address", applicant.do("PUT", settings, `{"sms":false,"email":true,"emailAddress":"a@"}`), 422, "电子邮箱格式不正确")
	wantCode(t, "missing choices", applicant.do("PUT", settings, `{}`), 422, `"sms"`, `"email"`)
	wantCode(t, "e-mail only", applicant.do("PUT", settings, `{"sms":false,"email":true,"emailAddress":"liu@example.cn"}`), 200,
		`"sms":false`, `"email":true`, `"emailAddress":"liu@example.cn"`)

	// The next notice: a return with a reason, by 站内信 and e-mail.
	reviewer := staffClient(t, r, demo.ReviewerID)
	wantCode(t, "claim", reviewer.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "return", reviewer.do("POST", "/api/v1/review/applications/"+id+"/decision",
		`{"decision":"return","reasons":{"fields.address":"请填写详细地址"}}`), 200)
	settleReview(t, r, id, 1)
	l = decode[messageList](t, applicant.do("GET", "/api/v1/me/messages", ""))
	// (Both notices carry the frozen clock's time here; in order of id.)
	if l.Unread != 1 || len(l.Messages) != 2 || l.Messages[0].Title+l.Messages[1].Title != "申请已提交申请已退回" {
		t.Fatalf("after the return: %+v", l)
	}
	if n := count(messages(t, r, mobile), "已退回"); n != 0 {
		t.Errorf("an SMS of the return although SMS is off: %d", n)
	}
	if n := count(messages(t, r, "liu@example.cn"), "请填写详细地址"); n != 1 {
		t.Errorf("%d e-mails of the return, want 1", n)
	}
	wantCode(t, "全部已读", applicant.do("POST", "/api/v1/me/messages/read-all", ""), 200, `"marked":1`, `"unread":0`)
}
