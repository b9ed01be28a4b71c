// Package awswire builds the production adapters every function's main.go
// wires: DynamoDB, S3, Step Functions, SNS/SES, the real clock in
// Asia/Shanghai, all from the environment the template sets (config).
package awswire

import (
	"context"
	"fmt"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/blobs/s3blobs"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/notify/notifyaws"
	"github.com/hljhrss/hrss/shared/table/dynamostore"
	"github.com/hljhrss/hrss/shared/workflow/sfnflow"
)

// Deps reads the configuration and its secrets (Secrets, which checks
// them) and builds the AWS adapters. Clients are created and secrets
// read once per Lambda execution environment, outside the handler.
func Deps(ctx context.Context) (app.Deps, error) {
	cfg, err := config.Load()
	if err != nil {
		return app.Deps{}, err
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return app.Deps{}, fmt.Errorf("awswire: aws config: %w", err)
	}
	if err := Secrets(ctx, ssm.NewFromConfig(awsCfg), &cfg); err != nil {
		return app.Deps{}, err
	}
	clk := clock.Real{}
	sender, err := notifyaws.New(sns.NewFromConfig(awsCfg), sesv2.NewFromConfig(awsCfg), notifyaws.Config{From: cfg.MailFrom})
	if err != nil {
		return app.Deps{}, fmt.Errorf("awswire: notifications: %w", err)
	}
	return app.Deps{
		Config:    cfg,
		Log:       cfg.Logger(),
		Clock:     clk,
		Store:     dynamostore.New(dynamodb.NewFromConfig(awsCfg), cfg.Table, clk),
		StoreKind: "dynamodb",
		Blobs:     s3blobs.New(s3.NewFromConfig(awsCfg), cfg.Bucket),
		Workflow:  sfnflow.New(sfn.NewFromConfig(awsCfg), cfg.StateMachines),
		Notify:    sender,
	}, nil
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
