// Package notifywire wires SMS through SNS and e-mail through SES v2
// (package notifyaws) into a function's app.Deps. Only the functions that
// read Deps.Notify pass it to lambdaentry.Main, so that the others do not
// link the SNS and SES clients (package awswire says why).
package notifywire

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/notify/notifyaws"
)

// SNSAndSES sets d.Notify to a sender whose e-mails come from
// HRSS_MAIL_FROM; it fails when that is not an address.
var SNSAndSES awswire.Adapter = func(awsCfg aws.Config, d *app.Deps) error {
	sender, err := notifyaws.New(sns.NewFromConfig(awsCfg), sesv2.NewFromConfig(awsCfg), notifyaws.Config{From: d.Config.MailFrom})
	if err != nil {
		return fmt.Errorf("awswire: notifications: %w", err)
	}
	d.Notify = sender
	return nil
}
