// Command floor-config is a reference of make bench-cold: hello world
// (../hello) that also builds what every function of the platform needs
// before its first event, a DynamoDB client, configured as AWS documents
// it (config.LoadDefaultConfig, as shared/awswire did until 2026-12-03),
// without the Parameter Store read and without the platform. Its cold
// start is the floor the AWS SDK sets when used that way; floor-env is
// the one the functions now start from.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hljhrss/hrss/infra/cmd/bench-cold/notfound"
)

// client is kept where the linker cannot drop it, and looked at once.
var client *dynamodb.Client

func main() {
	cfg, err := awsconfig.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	client = dynamodb.NewFromConfig(cfg) // built as the functions build theirs, before the first event
	if client == nil {
		panic("no DynamoDB client")
	}
	lambda.Start(notfound.Handle)
}
