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
		if hint := dataDirHint(err); hint != "" {
			fmt.Fprintln(os.Stderr, "hrss-local:", hint)
		}
		os.Exit(1)
	}
}

// dataDirHint says what to do about an error of the data directory's
// disk or path, for the operator who reads the failed start.
func dataDirHint(err error) string {
	dir := os.Getenv("HRSS_DATA_DIR")
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EFBIG):
		return fmt.Sprintf("the disk of the data directory (HRSS_DATA_DIR=%q) is full: free space and start again (数据目录所在磁盘已满)", dir)
	case errors.Is(err, syscall.ENOTDIR), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EPERM):
		return fmt.Sprintf("the data directory (HRSS_DATA_DIR=%q) cannot be used: it must be a writable directory (数据目录不可用)", dir)
	}
	return ""
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
	if addr := os.Getenv("HRSS_PPROF"); addr != "" {
		servePprof(addr, log)
	}
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
