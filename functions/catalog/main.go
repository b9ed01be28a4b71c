// Command catalog is the CatalogFunction Lambda: the service-center list,
// business definitions, form validation and code tables
// (package catalogapi).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	deps, err := awswire.Deps(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "catalog:", err)
		os.Exit(1)
	}
	lambda.Start(handler(deps))
}

// handler is the Lambda entry point for the given adapters. The catalog
// and code tables are loaded here, once per execution environment.
func handler(d app.Deps) func(ctx context.Context, raw json.RawMessage) (any, error) {
	return lambdaentry.Handler(catalogapi.New(d), d.Log)
}
