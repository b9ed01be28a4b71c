// Package blobswire wires the S3 materials bucket (package s3blobs) into
// a function's app.Deps. Only the functions that read Deps.Blobs pass it
// to lambdaentry.Main, so that the others do not link the S3 client
// (package awswire says why).
package blobswire

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/blobs/s3blobs"
)

// S3 sets d.Blobs to the bucket HRSS_BUCKET names.
var S3 awswire.Adapter = func(awsCfg aws.Config, d *app.Deps) error {
	d.Blobs = s3blobs.New(s3.NewFromConfig(awsCfg), d.Config.Bucket)
	return nil
}
