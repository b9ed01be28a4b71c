package codetable

// MustLoad exposes Default's panic path to the external tests.
var MustLoad = mustLoad
