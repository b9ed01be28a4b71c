package notifyaws_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/notify/notifyaws"
	"github.com/hljhrss/hrss/shared/notify/notifytest"
)

// awsEndpoint answers SNS Publish (Query protocol) and SES v2 SendEmail
// (REST-JSON) as the services do for what notifyaws sends, and records
// every message it accepted as a delivery. Like SNS, it refuses a
// PhoneNumber that is not E.164 (400 InvalidParameter), so an adapter
// that skipped normalizing would show here.
type awsEndpoint struct {
	t  *testing.T
	mu sync.Mutex
	// delivered lists accepted messages in arrival order.
	delivered []notifytest.Delivery
}

var snsE164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func (e *awsEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v2/email/outbound-emails":
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/cn-north-1/ses/aws4_request") {
			e.t.Errorf("SES: Authorization %q is not SigV4 for ses in cn-north-1", auth)
		}
		e.sendEmail(w, body)
	case r.Method == http.MethodPost && r.URL.Path == "/":
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/cn-north-1/sns/aws4_request") {
			e.t.Errorf("SNS: Authorization %q is not SigV4 for sns in cn-north-1", auth)
		}
		e.publish(w, body)
	default:
		e.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
	}
}

func (e *awsEndpoint) publish(w http.ResponseWriter, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") != "Publish" {
		e.t.Errorf("SNS: body %q is not a Publish", body)
	}
	w.Header().Set("Content-Type", "text/xml")
	if form.Has("TopicArn") || form.Has("TargetArn") || !snsE164.MatchString(form.Get("PhoneNumber")) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: PhoneNumber</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`)
		return
	}
	e.mu.Lock()
	e.delivered = append(e.delivered, notifytest.Delivery{Channel: notify.SMS, To: form.Get("PhoneNumber"), Body: form.Get("Message")})
	e.mu.Unlock()
	_, _ = io.WriteString(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-1</MessageId></PublishResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>`)
}

func (e *awsEndpoint) sendEmail(w http.ResponseWriter, body []byte) {
	var in struct {
		FromEmailAddress string
		Destination      struct{ ToAddresses, CcAddresses, BccAddresses []string }
		Content          struct {
			Simple *struct {
				Subject struct{ Data string }
				Body    struct{ Text *struct{ Data string } }
			}
		}
	}
	if err := json.Unmarshal(body, &in); err != nil {
		e.t.Errorf("SES: body %s: %v", body, err)
	}
	w.Header().Set("Content-Type", "application/json")
	d := in.Destination
	if in.FromEmailAddress == "" || len(d.ToAddresses) != 1 || len(d.CcAddresses)+len(d.BccAddresses) != 0 ||
		in.Content.Simple == nil || in.Content.Simple.Body.Text == nil {
		e.t.Errorf("SES: unexpected SendEmail %s", body)
		w.Header().Set("X-Amzn-Errortype", "BadRequestException")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"message":"bad request"}`)
		return
	}
	e.mu.Lock()
	e.delivered = append(e.delivered, notifytest.Delivery{
		Channel: notify.Email, To: d.ToAddresses[0],
		Subject: in.Content.Simple.Subject.Data, Body: in.Content.Simple.Body.Text.Data,
	})
	e.mu.Unlock()
	_, _ = io.WriteString(w, `{"MessageId":"ses-1"}`)
}

func (e *awsEndpoint) observe(*testing.T) []notifytest.Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]notifytest.Delivery(nil), e.delivered...)
}

// TestContract runs the notify contract with the real SNS and SES v2 SDK
// clients against awsEndpoint; the observer is what the endpoint accepted.
func TestContract(t *testing.T) {
	notifytest.Run(t, func(t *testing.T) (notify.Sender, notifytest.Observer) {
		ep := &awsEndpoint{t: t}
		srv := httptest.NewServer(ep)
		t.Cleanup(srv.Close)
		cfg := sdkConfig(srv.Client())
		snsClient := sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		sesClient := sesv2.NewFromConfig(cfg, func(o *sesv2.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		s, err := notifyaws.New(snsClient, sesClient, notifyaws.Config{From: from})
		if err != nil {
			t.Fatal(err)
		}
		return s, ep.observe
	}, notifytest.Options{Skip: map[string]string{
		notifytest.CaseSameIDDeliveredOnce: "SNS Publish to a phone number and SES SendEmail take no idempotency key, " +
			"so a second Send with the same ID delivers again; the caller (the workflow's notify step) " +
			"must not retry a Send that returned nil (see the package doc). This is the service's limit, not the test double's.",
	}})
}
