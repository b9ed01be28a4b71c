# hrss — two commands do everything on a fresh machine:
#   make run    start the whole platform on 127.0.0.1:8080 (no AWS, no Docker)
#   make test   run every test
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/hljhrss/hrss/shared/app.Version=$(VERSION)
# The AWS::Serverless::Function resources of template.yaml: logical id → Go package (PlatformFunction → functions/platform,
# FlexibleEmploymentFunction → functions/flexible-employment).
FUNCTIONS := $(shell awk '/^  [A-Z][A-Za-z0-9]*:$$/ { name = substr($$1, 1, length($$1) - 1) } /^    Type: AWS::Serverless::Function$$/ { print name }' template.yaml)
ASL_DIR   := infra/statemachine
# The portal (web/): built to web/dist when missing or older than its sources.
WEB_DIR   := web
WEB_SRC   := $(shell find $(WEB_DIR) \( -path $(WEB_DIR)/node_modules -o -path $(WEB_DIR)/dist -o -path $(WEB_DIR)/e2e \) -prune -o -type f -print 2>/dev/null)
WEB_BUILD := $(if $(wildcard $(WEB_DIR)/package.json),$(WEB_DIR)/dist/index.html)

.PHONY: help run seed test test-go test-asl test-web check lint lint-template build clean tools

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: $(WEB_BUILD) ## start the platform locally on 127.0.0.1:$${PORT:-8080} (the portal at /), data under .data/
	$(GO) run -ldflags "-X github.com/hljhrss/hrss/shared/app.Version=$(VERSION)" ./infra/cmd/hrss-local

seed: ## write the demo ledger into .data/ (stop make run first); import: make seed ARGS="import -kind contributions FILE.csv"
	$(GO) run ./infra/cmd/hrss-seed $(ARGS)

test: test-go test-asl test-web ## run all tests (Go tests, state machine validation, the portal's tests)

test-go:
	$(GO) test -count=1 ./...

test-asl: $(ASL_DIR)/node_modules/.package-lock.json ## validate every .asl.json with asl-validator
	bash $(ASL_DIR)/validate.sh

$(ASL_DIR)/node_modules/.package-lock.json: $(ASL_DIR)/package.json $(ASL_DIR)/package-lock.json
	cd $(ASL_DIR) && npm ci --no-audit --no-fund --loglevel=error

# The portal: its unit tests, then the end-to-end journeys in Debian's
# Chromium against the local runner (web/e2e/run.mjs starts it).
test-web: $(WEB_BUILD)
ifneq ($(WEB_BUILD),)
	cd $(WEB_DIR) && npm test
	cd $(WEB_DIR) && npm run e2e
endif

$(WEB_DIR)/node_modules/.package-lock.json: $(WEB_DIR)/package.json $(WEB_DIR)/package-lock.json
	cd $(WEB_DIR) && npm ci --no-audit --no-fund --loglevel=error

$(WEB_DIR)/dist/index.html: $(WEB_DIR)/node_modules/.package-lock.json $(WEB_SRC)
	cd $(WEB_DIR) && npm run build

check: lint lint-template ## gofmt, vet, staticcheck, go mod tidy diff, cfn-lint, race tests
	$(GO) test -race -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@cp go.mod /tmp/hrss-go.mod.bak; cp go.sum /tmp/hrss-go.sum.bak; \
	$(GO) mod tidy; \
	if ! git diff --quiet -- go.mod go.sum; then \
	  git --no-pager diff -- go.mod go.sum; cp /tmp/hrss-go.mod.bak go.mod; cp /tmp/hrss-go.sum.bak go.sum; \
	  echo "go mod tidy would change go.mod/go.sum"; exit 1; fi

# cfn-lint checks template.yaml against the CloudFormation and SAM specs,
# in the aws-cn partition (Beijing, Ningxia) and the aws one.
lint-template: .venv/bin/cfn-lint
	.venv/bin/cfn-lint --regions cn-north-1 cn-northwest-1 us-east-1 -- template.yaml

.venv/bin/cfn-lint: infra/requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install -q --disable-pip-version-check -r infra/requirements.txt
	touch $@

build: ## write dist/<Function>/bootstrap and dist/<Function>.zip for Lambda (linux/arm64)
	@for f in $(FUNCTIONS); do \
	  pkg=functions/$$(echo $${f%Function} | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z'); \
	  echo "build $$f ← ./$$pkg"; \
	  mkdir -p dist/$$f; \
	  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "$(LDFLAGS)" -o dist/$$f/bootstrap ./$$pkg; \
	  (cd dist/$$f && rm -f ../$$f.zip && zip -q -X ../$$f.zip bootstrap); \
	done
	@ls -l dist/*/bootstrap dist/*.zip

# Cold start of every function beside a hello-world aws-lambda-go bootstrap,
# under the Lambda Runtime Interface Emulator built from the module proxy (no
# Docker, no AWS): 20 fresh processes each, then the table in the "Cold start"
# section of docs/performance.md. Builds under dist/bench-cold/. Not part of
# make test; the targets are reported, not asserted. RUNS=5 for a quick look.
.PHONY: bench-cold
bench-cold: ## cold start of every function vs hello world (Lambda RIE), into docs/performance.md
	$(GO) run ./infra/cmd/bench-cold -go "$(GO)" -ldflags "$(LDFLAGS)" -runs $(or $(RUNS),20) $(ARGS)

clean: ## remove build output (not .data/)
	rm -rf dist $(WEB_DIR)/dist
