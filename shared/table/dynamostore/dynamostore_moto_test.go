package dynamostore_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hljhrss/hrss/infra/mototest"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/dynamostore"
	"github.com/hljhrss/hrss/shared/table/tabletest"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// TestContractMoto runs the table contract with the real DynamoDB client
// against moto in server mode, each case on a fresh table created from
// TableDefinition.
func TestContractMoto(t *testing.T) {
	srv := mototest.Start(t)
	client := dynamodb.NewFromConfig(srv.Config())
	tabletest.Run(t, func(t *testing.T, clk *clock.Fixed) table.Store {
		name := mototest.Name("hrss")
		if _, err := client.CreateTable(t.Context(), dynamostore.TableDefinition(name)); err != nil {
			t.Fatalf("CreateTable: %v", err)
		}
		return dynamostore.New(client, name, clk)
	}, tabletest.Options{Skip: map[string]string{
		// Measured with the moto of infra/requirements.txt: of 150 racing
		// UpdateItem calls, each ADD Count :one, ADD Version :one, all 150
		// counted Count but Version ended at 147: moto's threaded server
		// applies an update's actions without holding the item, which
		// DynamoDB does atomically. minidyn runs the case.
		tabletest.CaseAddConcurrent: "moto applies one UpdateItem's ADD actions non-atomically under concurrent requests",
		// moto answers the ValidationException but has already applied the
		// update's ADD of Version; DynamoDB applies nothing. minidyn runs
		// the case.
		tabletest.CaseAddNotInteger: "moto half-applies an UpdateItem that fails with a type error",
	}})
}
