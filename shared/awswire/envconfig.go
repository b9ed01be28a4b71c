package awswire

import (
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// EnvConfig is the AWS configuration of a function, read from the
// environment Lambda gives it (lookup is os.LookupEnv):
//
//   - the region: AWS_REGION (Lambda's), else AWS_DEFAULT_REGION;
//   - the execution role's credentials: AWS_ACCESS_KEY_ID,
//     AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which Lambda sets
//     before the bootstrap starts; without them it refuses to start;
//   - an endpoint for every service: AWS_ENDPOINT_URL, unless
//     AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true (as the SDK; sam local,
//     moto and make bench-cold use it).
//
// A host that gives credentials another way (a container credentials
// endpoint, say) makes it refuse to start rather than run without them.
//
// Nothing else is read; every other setting is the SDK clients' default,
// which is what config.LoadDefaultConfig gives in Lambda too. That
// package is not used because it links the STS, SSO, SSO OIDC and sign-in
// clients for credential sources Lambda never uses, and reads the shared
// config files: about 1 ms and 1 MiB of every cold start
// (docs/performance.md, "Cold start", the two floors). Tools run on an
// operator's machine (hrss-seed) keep config.LoadDefaultConfig, for
// profiles and single sign-on.
func EnvConfig(lookup func(string) (string, bool)) (aws.Config, error) {
	get := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	cfg := aws.Config{Region: get("AWS_REGION")}
	if cfg.Region == "" {
		cfg.Region = get("AWS_DEFAULT_REGION")
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("awswire: AWS_REGION is not set; Lambda sets it to the function's region")
	}
	if _, err := dnsSuffix(cfg.Region); err != nil {
		return aws.Config{}, err
	}
	id, secret := get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Config{}, errors.New("awswire: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; Lambda sets them from the function's execution role")
	}
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, get("AWS_SESSION_TOKEN")))
	if ep := get("AWS_ENDPOINT_URL"); ep != "" && !strings.EqualFold(get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		cfg.BaseEndpoint = aws.String(ep)
	}
	return cfg, nil
}
