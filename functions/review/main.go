// Command review is the ReviewFunction Lambda: the staff console's API
// (package reviewapi).
package main

import (
	"github.com/hljhrss/hrss/functions/review/reviewapi"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() { lambdaentry.Main(reviewapi.New) }
