package catalogapi

// NewWithLoader is newFunction, for the test that the catalog is loaded
// on first use.
var NewWithLoader = newFunction
