// Package access is who may call which route, for every function: the
// session cookie, the caller it resolves to, and a policy per route. A
// function declares its routes' policies in one table (Policies) and wraps
// its router with a Guard; a route not in the table is refused, whoever
// calls it. Cross-site requests that change state are refused too
// (http.CrossOriginProtection), so that the cookie cannot be ridden by
// another site.
//
// Public routes do not touch the table; routes for roles resolve the
// session (one read, and at most one write a minute to slide its idle
// timeout: shared/identity.Sessions).
package access

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
)

// Policy says who may call a route.
type Policy struct {
	public   bool
	optional bool
	roles    []identity.Role
}

// Public routes need no session and resolve none (the catalog, the 试算,
// the login itself).
var Public = Policy{public: true}

// Optional routes need no session but know the caller when there is one
// (the retirement figures, which need a login only for a named person).
var Optional = Policy{public: true, optional: true}

// Allow is the policy of a route for callers with one of roles.
func Allow(roles ...identity.Role) Policy { return Policy{roles: roles} }

// LoggedIn is the policy of a route for any logged-in caller.
var LoggedIn = Allow(identity.RoleIndividual, identity.RoleAgent, identity.RoleReviewer, identity.RoleAdmin)

// IsPublic reports whether a caller without a session may call the route.
func (p Policy) IsPublic() bool { return p.public }

// Policies maps each "METHOD /path" pattern of a function to its policy.
type Policies map[string]Policy

// Resolver resolves a session token; *identity.Sessions implements it.
type Resolver interface {
	Resolve(ctx context.Context, token string) (identity.Caller, error)
}

var _ Resolver = (*identity.Sessions)(nil)

// Cookie is how the session cookie is named and sent. Over HTTPS it is
// __Host-hrss_session, Secure; on the local runner's plain HTTP it is
// hrss_session. It is always HttpOnly, SameSite=Strict and Path=/.
type Cookie struct {
	Secure bool
}

// Name is the cookie's name.
func (c Cookie) Name() string {
	if c.Secure {
		return "__Host-hrss_session"
	}
	return "hrss_session"
}

// Set sets the session cookie. It lives as long as the browser session
// (the server enforces the idle and absolute timeouts).
func (c Cookie) Set(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: c.Name(), Value: token, Path: "/", HttpOnly: true, Secure: c.Secure, SameSite: http.SameSiteStrictMode})
}

// Clear removes the session cookie.
func (c Cookie) Clear(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: c.Name(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: c.Secure, SameSite: http.SameSiteStrictMode})
}

// Token returns the session token of a request, or "".
func (c Cookie) Token(r *http.Request) string {
	ck, err := r.Cookie(c.Name())
	if err != nil {
		return ""
	}
	return ck.Value
}

type callerKey struct{}

// CallerOf returns the caller of a request handled under a role policy
// (always) or an Optional one (when logged in).
func CallerOf(ctx context.Context) (identity.Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(identity.Caller)
	return c, ok
}

// WithCaller returns ctx carrying c (for tests of handlers).
func WithCaller(ctx context.Context, c identity.Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// Guard applies policies to a function's routes.
type Guard struct {
	sessions Resolver
	cookie   Cookie
	policies Policies
	cop      *http.CrossOriginProtection
}

// NewGuard returns the guard of a function's policies. portalOrigin, when
// not empty, is a trusted origin besides the request's own (the portal's,
// if served from elsewhere).
func NewGuard(sessions Resolver, cookie Cookie, policies Policies, portalOrigin string) *Guard {
	cop := http.NewCrossOriginProtection()
	if portalOrigin != "" {
		_ = cop.AddTrustedOrigin(strings.TrimSuffix(portalOrigin, "/"))
	}
	cop.SetDenyHandler(httpapi.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
		return apperr.E(apperr.Forbidden, "跨站请求被拒绝，请从本平台页面操作")
	}))
	return &Guard{sessions: sessions, cookie: cookie, policies: policies, cop: cop}
}

// Cookie returns the guard's cookie settings.
func (g *Guard) Cookie() Cookie { return g.cookie }

// Wrap returns h guarded by the policy of pattern; set it as the router's
// Wrap so that every route registered is guarded. A pattern without a
// policy is refused for everyone.
func (g *Guard) Wrap(pattern string, h http.Handler) http.Handler {
	p, declared := g.policies[pattern]
	var inner http.Handler
	switch {
	case !declared:
		inner = httpapi.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
			return apperr.E(apperr.Forbidden, "该接口未开放")
		})
	case p.public && !p.optional:
		inner = h
	default:
		inner = httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			c, err := g.resolve(r)
			switch {
			case err != nil && !p.optional:
				return err
			case err != nil:
				h.ServeHTTP(w, r)
				return nil
			case !p.public && !slices.ContainsFunc(p.roles, c.Has):
				return apperr.E(apperr.Forbidden, "您的账号无权办理此项业务")
			}
			h.ServeHTTP(w, r.WithContext(WithCaller(r.Context(), c)))
			return nil
		})
	}
	return g.cop.Handler(inner)
}

// resolve returns the caller of r's session cookie.
func (g *Guard) resolve(r *http.Request) (identity.Caller, error) {
	token := g.cookie.Token(r)
	if token == "" || g.sessions == nil {
		return identity.Caller{}, identity.ErrNoSession
	}
	return g.sessions.Resolve(r.Context(), token)
}
