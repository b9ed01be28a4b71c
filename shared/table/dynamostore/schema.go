package dynamostore

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hljhrss/hrss/shared/table"
)

// TableDefinition returns the CreateTable request for the single table:
// string keys PK (hash) and SK (range), sparse global secondary indexes
// GSI1 (GSI1PK, GSI1SK) and GSI2 (GSI2PK, GSI2SK) projecting all
// attributes, billed per request. template.yaml declares the same table;
// tests create it in minidyn with this.
func TableDefinition(name string) *dynamodb.CreateTableInput {
	attr := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	keys := func(hash, rng string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(rng), KeyType: types.KeyTypeRange},
		}
	}
	gsi := func(index, hash, rng string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{
			IndexName:  aws.String(index),
			KeySchema:  keys(hash, rng),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			attr(table.AttrPK), attr(table.AttrSK),
			attr(table.AttrGSI1PK), attr(table.AttrGSI1SK),
			attr(table.AttrGSI2PK), attr(table.AttrGSI2SK),
		},
		KeySchema: keys(table.AttrPK, table.AttrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			gsi(table.GSI1, table.AttrGSI1PK, table.AttrGSI1SK),
			gsi(table.GSI2, table.AttrGSI2PK, table.AttrGSI2SK),
		},
		BillingMode: types.BillingModePayPerRequest,
	}
}

// TimeToLive returns the UpdateTimeToLive request that makes DynamoDB
// delete items after their TTL attribute (epoch seconds). The adapter hides
// expired items whether or not it has been applied.
func TimeToLive(name string) *dynamodb.UpdateTimeToLiveInput {
	return &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(table.AttrTTL),
			Enabled:       aws.Bool(true),
		},
	}
}
