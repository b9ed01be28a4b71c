package notifyaws_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/notify/notifyaws"
)

// fakeSNS records Publish calls and answers with err.
type fakeSNS struct {
	got []*sns.PublishInput
	err error
}

func (f *fakeSNS) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	f.got = append(f.got, in)
	if f.err != nil {
		return nil, f.err
	}
	return &sns.PublishOutput{MessageId: aws.String("sns-1")}, nil
}

// fakeSES records SendEmail calls and answers with err.
type fakeSES struct {
	got []*sesv2.SendEmailInput
	err error
}

func (f *fakeSES) SendEmail(_ context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	f.got = append(f.got, in)
	if f.err != nil {
		return nil, f.err
	}
	return &sesv2.SendEmailOutput{MessageId: aws.String("ses-1")}, nil
}

var ignoreSDK = cmpopts.IgnoreUnexported(
	sns.PublishInput{}, snstypes.MessageAttributeValue{},
	sesv2.SendEmailInput{}, sestypes.Destination{}, sestypes.EmailContent{}, sestypes.Message{},
	sestypes.Content{}, sestypes.Body{}, sestypes.MessageTag{},
)

const from = "黑龙江人社 <noreply@hrss.example.cn>"

func newSender(t *testing.T, cfg notifyaws.Config) (*notifyaws.Sender, *fakeSNS, *fakeSES) {
	t.Helper()
	fs, fe := &fakeSNS{}, &fakeSES{}
	s, err := notifyaws.New(fs, fe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, fs, fe
}

func TestSMSRequest(t *testing.T) {
	s, fs, fe := newSender(t, notifyaws.Config{From: from, SMSSenderID: "HLJHRSS"})
	err := s.Send(t.Context(), notify.Message{ID: "sms-1", Channel: notify.SMS, To: "+8613800000000", Body: "【黑龙江人社】验证码 123456，5分钟内有效。"})
	if err != nil {
		t.Fatal(err)
	}
	want := []*sns.PublishInput{{
		PhoneNumber: aws.String("+8613800000000"),
		Message:     aws.String("【黑龙江人社】验证码 123456，5分钟内有效。"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"AWS.SNS.SMS.SMSType":  {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
			"AWS.SNS.SMS.SenderID": {DataType: aws.String("String"), StringValue: aws.String("HLJHRSS")},
		},
	}}
	if diff := cmp.Diff(want, fs.got, ignoreSDK); diff != "" {
		t.Errorf("Publish input (-want +got):\n%s", diff)
	}
	if len(fe.got) != 0 {
		t.Errorf("SES called %d times for an SMS", len(fe.got))
	}
}

func TestEmailRequest(t *testing.T) {
	s, fs, fe := newSender(t, notifyaws.Config{From: from, ConfigurationSet: "hrss"})
	m := notify.Message{ID: "review-A0001_done", Channel: notify.Email, To: "zhang@example.cn", Subject: "审核结果通知", Body: "您的申请已审核通过。"}
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	want := []*sesv2.SendEmailInput{{
		FromEmailAddress:     aws.String(from),
		Destination:          &sestypes.Destination{ToAddresses: []string{"zhang@example.cn"}},
		ConfigurationSetName: aws.String("hrss"),
		Content: &sestypes.EmailContent{Simple: &sestypes.Message{
			Subject: &sestypes.Content{Data: aws.String("审核结果通知"), Charset: aws.String("UTF-8")},
			Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String("您的申请已审核通过。"), Charset: aws.String("UTF-8")}},
		}},
		EmailTags: []sestypes.MessageTag{{Name: aws.String("message_id"), Value: aws.String("review-A0001_done")}},
	}}
	if diff := cmp.Diff(want, fe.got, ignoreSDK); diff != "" {
		t.Errorf("SendEmail input (-want +got):\n%s", diff)
	}
	if len(fs.got) != 0 {
		t.Errorf("SNS called %d times for an e-mail", len(fs.got))
	}

	// An ID outside SES's tag alphabet is simply not tagged.
	m.ID = "review:A0001"
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	if tags := fe.got[1].EmailTags; tags != nil {
		t.Errorf("EmailTags = %v, want none", tags)
	}
}

func TestSendRejects(t *testing.T) {
	s, fs, fe := newSender(t, notifyaws.Config{From: from})
	// "13800000000" and "+86 138 0000 0000" are valid: notify.Normalize
	// turns them into +8613800000000 (see the contract in notifytest).
	for name, m := range map[string]notify.Message{
		"no id":                {Channel: notify.SMS, To: "+8613800000000", Body: "x"},
		"no body":              {ID: "1", Channel: notify.SMS, To: "+8613800000000"},
		"unknown channel":      {ID: "1", Channel: "fax", To: "+8613800000000", Body: "x"},
		"phone too short":      {ID: "1", Channel: notify.SMS, To: "1380000000", Body: "x"},
		"landline":             {ID: "1", Channel: notify.SMS, To: "0451-86123456", Body: "x"},
		"bad e-mail":           {ID: "1", Channel: notify.Email, To: "not-an-address", Subject: "s", Body: "x"},
		"e-mail with no topic": {ID: "1", Channel: notify.Email, To: "a@example.cn", Body: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := s.Send(t.Context(), m); err == nil {
				t.Error("Send succeeded, want an error")
			}
		})
	}
	if len(fs.got)+len(fe.got) != 0 {
		t.Errorf("AWS called %d times for invalid messages", len(fs.got)+len(fe.got))
	}
}

func TestNew(t *testing.T) {
	if _, err := notifyaws.New(nil, &fakeSES{}, notifyaws.Config{From: "nobody"}); err == nil {
		t.Error("New with an invalid From succeeded")
	}
	s, err := notifyaws.New(&fakeSNS{}, nil, notifyaws.Config{})
	if err != nil {
		t.Fatalf("New without SES: %v", err)
	}
	if err := s.Send(t.Context(), notify.Message{ID: "1", Channel: notify.Email, To: "a@example.cn", Subject: "s", Body: "x"}); err == nil {
		t.Error("e-mail without an SES client succeeded")
	}
}

// TestErrorsHideRecipient checks that an API error's text, which can echo
// the recipient, stays out of the error string but reachable by errors.As.
func TestErrorsHideRecipient(t *testing.T) {
	s, fs, _ := newSender(t, notifyaws.Config{From: from})
	fs.err = &smithy.GenericAPIError{Code: "InvalidParameter", Message: "Invalid parameter: PhoneNumber Reason: +8613800000000 is not valid"}
	err := s.Send(t.Context(), notify.Message{ID: "m1", Channel: notify.SMS, To: "+8613800000000", Body: "验证码 123456"})
	if err == nil {
		t.Fatal("Send succeeded, want an error")
	}
	if msg := err.Error(); strings.Contains(msg, "13800000000") || strings.Contains(msg, "123456") || !strings.Contains(msg, "InvalidParameter") {
		t.Errorf("error %q: want the code and neither recipient nor body", msg)
	}
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidParameter" {
		t.Errorf("errors.As(APIError) = %v", api)
	}
}

func sdkConfig(hc *http.Client) aws.Config {
	return aws.Config{
		Region:           "cn-north-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:       hc,
		RetryMaxAttempts: 1,
	}
}

// TestRealClients sends through the real SDK clients to a local endpoint
// and checks the wire requests: SNS Query protocol, SES v2 REST-JSON.
func TestRealClients(t *testing.T) {
	var snsForm url.Values
	var sesPath string
	var sesBody map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
			t.Errorf("%s %s: unsigned request", r.Method, r.URL.Path)
		}
		body, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/v2/email/outbound-emails":
			sesPath = r.URL.Path
			if err := json.Unmarshal(body, &sesBody); err != nil {
				t.Errorf("SES body %s: %v", body, err)
			}
			if strings.Contains(string(body), "blocked@") {
				w.Header().Set("X-Amzn-Errortype", "MessageRejected")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(400)
				_, _ = io.WriteString(w, `{"message":"Email address is not verified: blocked@example.cn"}`)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"MessageId":"ses-1"}`)
		default:
			snsForm, _ = url.ParseQuery(string(body))
			w.Header().Set("Content-Type", "text/xml")
			_, _ = io.WriteString(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-1</MessageId></PublishResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>`)
		}
	}))
	defer srv.Close()
	cfg := sdkConfig(srv.Client())
	snsClient := sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	sesClient := sesv2.NewFromConfig(cfg, func(o *sesv2.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	s, err := notifyaws.New(snsClient, sesClient, notifyaws.Config{From: from})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	if err := s.Send(ctx, notify.Message{ID: "sms-1", Channel: notify.SMS, To: "+8613800000000", Body: "验证码 123456"}); err != nil {
		t.Fatalf("SMS: %v", err)
	}
	wantForm := url.Values{
		"Action":                         {"Publish"},
		"Version":                        {"2010-03-31"},
		"PhoneNumber":                    {"+8613800000000"},
		"Message":                        {"验证码 123456"},
		"MessageAttributes.entry.1.Name": {"AWS.SNS.SMS.SMSType"},
		"MessageAttributes.entry.1.Value.DataType":    {"String"},
		"MessageAttributes.entry.1.Value.StringValue": {"Transactional"},
	}
	if diff := cmp.Diff(wantForm, snsForm); diff != "" {
		t.Errorf("SNS form (-want +got):\n%s", diff)
	}

	if err := s.Send(ctx, notify.Message{ID: "mail-1", Channel: notify.Email, To: "zhang@example.cn", Subject: "审核结果", Body: "已通过"}); err != nil {
		t.Fatalf("e-mail: %v", err)
	}
	wantSES := map[string]any{
		"FromEmailAddress": from,
		"Destination":      map[string]any{"ToAddresses": []any{"zhang@example.cn"}},
		"Content": map[string]any{"Simple": map[string]any{
			"Subject": map[string]any{"Data": "审核结果", "Charset": "UTF-8"},
			"Body":    map[string]any{"Text": map[string]any{"Data": "已通过", "Charset": "UTF-8"}},
		}},
		"EmailTags": []any{map[string]any{"Name": "message_id", "Value": "mail-1"}},
	}
	if sesPath != "/v2/email/outbound-emails" {
		t.Errorf("SES path = %q", sesPath)
	}
	if diff := cmp.Diff(wantSES, sesBody); diff != "" {
		t.Errorf("SES body (-want +got):\n%s", diff)
	}

	err = s.Send(ctx, notify.Message{ID: "mail-2", Channel: notify.Email, To: "blocked@example.cn", Subject: "s", Body: "x"})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "MessageRejected" {
		t.Fatalf("rejected e-mail: err = %v, want MessageRejected", err)
	}
	if strings.Contains(err.Error(), "blocked@") {
		t.Errorf("error %q holds the recipient", err)
	}
}
