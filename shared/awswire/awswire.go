// Package awswire builds the production adapters every function's main.go
// wires, from the environment the template sets (config): the
// configuration with its secrets (Secrets), the DynamoDB table every
// function uses and the real clock in Asia/Shanghai.
//
// The other AWS adapters live in sub-packages that a function's main.go
// passes to Deps only when the function uses them: blobswire (S3),
// workflowwire (Step Functions) and notifywire (SNS and SES). The split
// is for the cold start: every AWS SDK service package imported builds
// its generated schema and endpoint tables in its package init, which runs
// before main whether or not a client is created, so the only way not to
// pay for a client is not to link it (docs/performance.md, "Cold start").
// The test beside lambdaentry holds each function's main.go to the
// adapters its code reads from app.Deps.
package awswire

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/table/dynamostore"
)

// Adapter adds one AWS adapter to d (whose Config is loaded and checked)
// on the AWS configuration awsCfg. The sub-packages of awswire provide
// them; Deps calls them in order.
type Adapter func(awsCfg aws.Config, d *app.Deps) error

// Deps reads the configuration (config.Load, and EnvConfig for AWS) and
// its secrets (Secrets, from Parameter Store, which checks them), builds
// the DynamoDB store and then the adapters given. A field of app.Deps
// whose adapter is not given stays nil. Clients are created and secrets
// read once per Lambda execution environment, outside the handler.
func Deps(ctx context.Context, adapters ...Adapter) (app.Deps, error) {
	cfg, err := config.Load()
	if err != nil {
		return app.Deps{}, err
	}
	awsCfg, err := EnvConfig(os.LookupEnv)
	if err != nil {
		return app.Deps{}, err
	}
	if err := Secrets(ctx, NewParameterStore(awsCfg), &cfg); err != nil {
		return app.Deps{}, err
	}
	clk := clock.Real{}
	d := app.Deps{
		Config:    cfg,
		Log:       cfg.Logger(),
		Clock:     clk,
		Store:     dynamostore.New(dynamodb.NewFromConfig(awsCfg), cfg.Table, clk),
		StoreKind: "dynamodb",
	}
	for _, add := range adapters {
		if err := add(awsCfg, &d); err != nil {
			return app.Deps{}, err
		}
	}
	return d, nil
}

// MinIDHashKeyLen is the shortest ID hash key production accepts.
const MinIDHashKeyLen = 32

// Check reports a setting production must not run without: the HMAC key
// of the ID-number index, as Secrets read it. The local runner falls back
// to a built-in key; in AWS that fallback would key the index with a
// public value anyone can recompute, so Deps refuses to start instead.
func Check(cfg config.Config) error {
	if len(cfg.IDHashKey) < MinIDHashKeyLen {
		return fmt.Errorf("awswire: the ID hash key (parameter %s) must be at least %d characters", cfg.IDHashKeyParam, MinIDHashKeyLen)
	}
	return nil
}
