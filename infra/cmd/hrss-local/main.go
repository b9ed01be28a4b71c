// Command hrss-local is the local runner behind `make run`: the whole
// platform in one process on 127.0.0.1:8080 (PORT to change), data under
// .data/. On the first start it seeds the demo people, units and ledgers.
// Ctrl-C stops it cleanly; data remains for the next start.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/ledger"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hrss-local:", err)
		os.Exit(1)
	}
}

func run() error {
	start := time.Now()
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := cfg.Logger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	r, err := runner.New(runner.Options{Config: cfg, Log: log})
	if err != nil {
		return err
	}
	defer r.Close()
	seeded, err := demo.Seed(ctx, ledger.NewStore(r.Store, r.Clock(), ledger.WithIDHashKey([]byte(cfg.IDHashKey))))
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	if seeded {
		log.Info("demo people, units and ledgers seeded (first start)")
	}
	n, err := demo.SeedAccounts(ctx, r.Identity)
	if err != nil {
		return fmt.Errorf("seed demo accounts: %w", err)
	}
	if n > 0 {
		log.Info("demo accounts created", "count", n)
	}
	if err := r.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Addr, strconv.Itoa(cfg.Port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: r.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("hrss local runner started",
		"url", "http://"+ln.Addr().String(), "data", cfg.DataDir, "version", app.Version,
		"startup_ms", time.Since(start).Milliseconds(), "routes", len(r.APIRoutes()))

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("stopping")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return err
		}
	}
	log.Info("stopped")
	return nil
}
