// Package openapi holds the OpenAPI 3.1 description of hrss's HTTP API
// (openapi.yaml): one operation for every HttpApi route of template.yaml,
// tagged with the function that serves it, with its access (the session
// cookie, or none for public routes, and the roles in x-roles), its
// parameters, bodies and answers, and the one Error shape of every error.
// The portal's API types are generated from it.
//
// Its test keeps the document equal to the routes: it validates the
// document as OpenAPI 3.1, compares its operations with template.yaml's
// routes and each operation's security with the access policy of the
// function that serves the route, and checks that every error answer is
// the shared Error. The runner's test (infra/runner/openapi_test.go)
// checks real answers against it.
package openapi

import (
	_ "embed"
	"slices"
)

//go:embed openapi.yaml
var spec []byte

// Spec returns the document as written (YAML), a copy the caller may keep.
func Spec() []byte { return slices.Clone(spec) }
