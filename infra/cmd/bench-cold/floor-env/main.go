// Command floor-env is a reference of make bench-cold: hello world
// (../hello) with a DynamoDB client whose configuration is read from
// Lambda's environment (AWS_REGION and the role's credentials), as
// shared/awswire.EnvConfig builds it for the functions (written out here
// because importing awswire would link the platform's packages into the
// floor), instead of
// config.LoadDefaultConfig, which links the STS, SSO, SSO OIDC and sign-in
// clients for credential sources Lambda never uses. Compared with
// floor-config it shows what that package costs a cold start; compared
// with hello world, what the DynamoDB client alone costs.
package main

import (
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hljhrss/hrss/infra/cmd/bench-cold/notfound"
)

// client is kept where the linker cannot drop it, and looked at once.
var client *dynamodb.Client

func main() {
	cfg := aws.Config{
		Region: os.Getenv("AWS_REGION"),
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))),
	}
	client = dynamodb.NewFromConfig(cfg) // built as the functions build theirs, before the first event
	if client == nil {
		panic("no DynamoDB client")
	}
	lambda.Start(notfound.Handle)
}
