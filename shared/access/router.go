package access

import (
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
)

// NewRouter returns a function's router with every route guarded by
// policies, sessions read from d.Store. Off the local runner the cookie is
// Secure and __Host- prefixed (the portal and the API are served over
// HTTPS by CloudFront and API Gateway).
func NewRouter(d app.Deps, policies Policies) (*httpapi.Router, *Guard) {
	g := NewGuard(identity.NewSessions(d.Store, d.Clock), Cookie{Secure: !d.Local}, policies, d.Config.PortalOrigin)
	rt := httpapi.NewRouter()
	rt.Wrap = g.Wrap
	return rt, g
}

// NewPublicRouter returns the router of a function whose routes are all
// public (the catalog): it never reads a session, so the function carries
// no session code. It panics if a policy is not Public, a build defect.
func NewPublicRouter(d app.Deps, policies Policies) *httpapi.Router {
	for pattern, p := range policies {
		if !p.public || p.optional {
			panic("access: NewPublicRouter: " + pattern + " is not public")
		}
	}
	g := NewGuard(nil, Cookie{Secure: !d.Local}, policies, d.Config.PortalOrigin)
	rt := httpapi.NewRouter()
	rt.Wrap = g.Wrap
	return rt
}
