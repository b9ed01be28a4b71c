package notifyaws_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/hljhrss/hrss/infra/mototest"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/notify/notifyaws"
	"github.com/hljhrss/hrss/shared/notify/notifytest"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// TestContractMoto runs the notify contract with the real SNS and SES v2
// clients against moto in server mode. The sender's address is verified
// first (CreateEmailIdentity), as SES requires; the observer reads what
// moto recorded as sent (its model data: SNS SMS and SES Message) and
// keeps what this case sent.
func TestContractMoto(t *testing.T) {
	srv := mototest.Start(t)
	cfg := srv.Config()
	snsClient := sns.NewFromConfig(cfg)
	// moto 5.2.5 has no SES backend in the China regions (its region list
	// comes from botocore's endpoints; cn-north-1 answers 500, KeyError),
	// so the SES client signs for us-east-1 there.
	sesClient := sesv2.NewFromConfig(cfg, func(o *sesv2.Options) { o.Region = "us-east-1" })
	if _, err := sesClient.CreateEmailIdentity(t.Context(), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String("noreply@hrss.example.cn")}); err != nil {
		t.Fatalf("CreateEmailIdentity: %v", err)
	}
	notifytest.Run(t, func(t *testing.T) (notify.Sender, notifytest.Observer) {
		s, err := notifyaws.New(snsClient, sesClient, notifyaws.Config{From: from})
		if err != nil {
			t.Fatal(err)
		}
		before := sent(t, srv)
		return s, func(t *testing.T) []notifytest.Delivery {
			var got []notifytest.Delivery
			for id, d := range sent(t, srv) {
				if _, old := before[id]; !old {
					got = append(got, d)
				}
			}
			return got
		}
	}, notifytest.Options{Skip: map[string]string{
		notifytest.CaseSameIDDeliveredOnce: "SNS Publish to a phone number and SES SendEmail take no idempotency key " +
			"(the service's limit, as in TestContract): moto, like AWS, delivers a second Send with the same ID again",
	}})
}

// sent lists, by message id, what moto recorded as sent: SNS SMS and SES
// messages, from its model data (GET /moto-api/data.json).
func sent(t *testing.T, srv *mototest.Server) map[string]notifytest.Delivery {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/moto-api/data.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("moto data: %v", err)
	}
	defer resp.Body.Close()
	var data struct {
		SNS struct {
			SMS []struct {
				MessageID   string `json:"message_id"`
				PhoneNumber string `json:"phone_number"`
				Message     string `json:"message"`
			}
		} `json:"sns"`
		SES struct {
			Message []struct {
				ID, Source, Subject, Body string
				Destinations              map[string][]string
			}
		} `json:"ses"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&data); err != nil {
		t.Fatalf("moto data: %v", err)
	}
	out := map[string]notifytest.Delivery{}
	for _, m := range data.SNS.SMS {
		out["sns:"+m.MessageID] = notifytest.Delivery{Channel: notify.SMS, To: m.PhoneNumber, Body: m.Message}
	}
	for _, m := range data.SES.Message {
		to := slices.Concat(m.Destinations["ToAddresses"], m.Destinations["CcAddresses"], m.Destinations["BccAddresses"])
		if len(to) != 1 {
			t.Errorf("SES message %s went to %v, want one address", m.ID, to)
			continue
		}
		out["ses:"+m.ID] = notifytest.Delivery{Channel: notify.Email, To: to[0], Subject: m.Subject, Body: m.Body}
	}
	return out
}
