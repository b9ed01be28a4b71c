// Command identity is the IdentityFunction Lambda: registration, captcha,
// SMS codes, login, sessions and passwords (package identityapi).
package main

import (
	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/shared/awswire/notifywire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() { lambdaentry.Main(identityapi.New, notifywire.SNSAndSES) }
