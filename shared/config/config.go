// Package config reads the settings of every function and of the local
// runner from environment variables. Every variable has a documented
// default (see README.md, "Configuration") so that `make run` needs none.
package config

import (
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
)

// Config holds the settings.
type Config struct {
	Addr           string            // HRSS_ADDR: local runner listen host (127.0.0.1)
	Port           int               // PORT: local runner port (8080)
	DataDir        string            // HRSS_DATA_DIR: local data directory (.data)
	PublicURL      string            // HRSS_PUBLIC_URL: base URL the browser uses (http://127.0.0.1:PORT)
	PortalOrigin   string            // HRSS_PORTAL_ORIGIN: allowed CORS origin ("" = same origin)
	Table          string            // HRSS_TABLE: DynamoDB table name (hrss)
	Bucket         string            // HRSS_BUCKET: materials bucket (hrss-materials)
	StateMachines  map[string]string // HRSS_STATE_MACHINES: "Name=arn,Name2=arn2"
	MailFrom       string            // HRSS_MAIL_FROM: sender of e-mails (noreply@hrss.example)
	BlobSecret     string            // HRSS_BLOB_SECRET: local URL signing key ("" = generated, kept in DataDir)
	Clock          string            // HRSS_CLOCK: fixed start time for the local clock ("" = real time)
	IDHashKey      string            // HRSS_ID_HASH_KEY: HMAC key of the ID-number index, local runs only ("" = built-in local key)
	IDHashKeyParam string            // HRSS_ID_HASH_KEY_PARAM: in AWS, the SecureString parameter holding that key (awswire reads it)
	LogLevel       slog.Level        // HRSS_LOG_LEVEL: debug, info, warn, error (info)
	MalwareDigests string            // HRSS_MALWARE_DIGESTS: SHA-256 digests the local scanner refuses, comma-separated
	QuotaFiles     int               // HRSS_UPLOAD_QUOTA_FILES: files one party may keep in its drafts (0 = application.DefaultQuota's)
}

// Load reads the environment.
func Load() (Config, error) { return FromLookup(os.LookupEnv) }

// FromLookup reads settings through lookup (os.LookupEnv in production,
// a map in tests).
func FromLookup(lookup func(string) (string, bool)) (Config, error) {
	get := func(k, def string) string {
		if v, ok := lookup(k); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	c := Config{
		Addr:           get("HRSS_ADDR", "127.0.0.1"),
		DataDir:        get("HRSS_DATA_DIR", ".data"),
		PortalOrigin:   get("HRSS_PORTAL_ORIGIN", ""),
		Table:          get("HRSS_TABLE", "hrss"),
		Bucket:         get("HRSS_BUCKET", "hrss-materials"),
		MailFrom:       get("HRSS_MAIL_FROM", "noreply@hrss.example"),
		BlobSecret:     get("HRSS_BLOB_SECRET", ""),
		Clock:          get("HRSS_CLOCK", ""),
		IDHashKey:      get("HRSS_ID_HASH_KEY", ""),
		IDHashKeyParam: get("HRSS_ID_HASH_KEY_PARAM", ""),
		MalwareDigests: get("HRSS_MALWARE_DIGESTS", ""),
	}
	for _, d := range strings.FieldsFunc(c.MalwareDigests, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' }) {
		if _, err := hex.DecodeString(d); err != nil || len(d) != 64 {
			return Config{}, fmt.Errorf("config: HRSS_MALWARE_DIGESTS: %q is not a SHA-256 hex digest", d)
		}
	}
	port, err := strconv.Atoi(get("PORT", "8080"))
	if err != nil || port < 0 || port > 65535 {
		return Config{}, fmt.Errorf("config: PORT %q is not a port number", get("PORT", ""))
	}
	c.Port = port
	if q := get("HRSS_UPLOAD_QUOTA_FILES", ""); q != "" {
		if c.QuotaFiles, err = strconv.Atoi(q); err != nil || c.QuotaFiles < 1 {
			return Config{}, fmt.Errorf("config: HRSS_UPLOAD_QUOTA_FILES %q is not a positive whole number", q)
		}
	}
	c.PublicURL = strings.TrimSuffix(get("HRSS_PUBLIC_URL", fmt.Sprintf("http://%s:%d", c.Addr, c.Port)), "/")
	if err := c.LogLevel.UnmarshalText([]byte(get("HRSS_LOG_LEVEL", "info"))); err != nil {
		return Config{}, fmt.Errorf("config: HRSS_LOG_LEVEL: %w", err)
	}
	c.StateMachines = map[string]string{}
	if s := get("HRSS_STATE_MACHINES", ""); s != "" {
		for _, pair := range strings.Split(s, ",") {
			name, arn, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok || name == "" || arn == "" {
				return Config{}, fmt.Errorf("config: HRSS_STATE_MACHINES: %q is not Name=arn", pair)
			}
			c.StateMachines[name] = arn
		}
	}
	return c, nil
}

// Logger returns the JSON logger every process uses.
func (c Config) Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: c.LogLevel}))
}
