// Command catalog is the CatalogFunction Lambda: the service-center list,
// business definitions, form validation and code tables
// (package catalogapi).
package main

import (
	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() { lambdaentry.Main(catalogapi.New) }
