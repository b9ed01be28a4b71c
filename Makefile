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
# The Python tools (aws-sam-translator, cfn-lint, aws-sam-cli, moto), pinned
# in infra/requirements.txt, installed into .venv/ on first use.
VENV      := .venv
VENV_OK   := $(VENV)/.installed
# One Lambda build, shared by make build and sam build (build-<Function>).
LAMBDA_GO := GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "$(LDFLAGS)"
# fnpkg: the Go package of a function's logical id (PlatformFunction → functions/platform).
fnpkg = functions/$(shell echo '$(patsubst %Function,%,$(1))' | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z')

.PHONY: help run seed test test-go test-asl test-web test-template check lint lint-template build sam-build clean tools

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: $(WEB_BUILD) ## start the platform locally on 127.0.0.1:$${PORT:-8080} (the portal at /), data under .data/
	$(GO) run -ldflags "-X github.com/hljhrss/hrss/shared/app.Version=$(VERSION)" ./infra/cmd/hrss-local

seed: ## write the demo ledger into .data/ (stop make run first); import: make seed ARGS="import -kind contributions FILE.csv"
	$(GO) run ./infra/cmd/hrss-seed $(ARGS)

test: test-go test-asl test-web test-template ## run all tests (Go tests with the moto contract suites, state machine validation, the portal's tests, the template checks)

# The AWS adapters' contract suites run against moto too (infra/mototest):
# HRSS_MOTO_SERVER makes them fail, not skip, when moto cannot start.
# go test's default limit is 10 minutes per package; infra/runner runs the
# whole platform many times (kill drills, every business's effect) and
# takes 6-7 minutes on a busy 2-core machine, more under -race.
GO_TEST_TIMEOUT ?= 30m

test-go: $(VENV_OK)
	HRSS_MOTO_SERVER=$(CURDIR)/$(VENV)/bin/moto_server $(GO) test -count=1 -timeout $(GO_TEST_TIMEOUT) ./...

test-template: lint-template

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
	$(GO) test -race -count=1 -timeout $(GO_TEST_TIMEOUT) ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@cp go.mod /tmp/hrss-go.mod.bak; cp go.sum /tmp/hrss-go.sum.bak; \
	$(GO) mod tidy; \
	if ! git diff --quiet -- go.mod go.sum; then \
	  git --no-pager diff -- go.mod go.sum; cp /tmp/hrss-go.mod.bak go.mod; cp /tmp/hrss-go.sum.bak go.sum; \
	  echo "go mod tidy would change go.mod/go.sum"; exit 1; fi

# aws-sam-translator transforms template.yaml for the aws partition
# (us-east-1) and the aws-cn one (Beijing, Ningxia), as sam validate does but
# offline; cfn-lint checks each result for its region (infra/lint_template.py,
# docs/deployability.md). Again only when one of its inputs changed.
lint-template: dist/cfn/.linted

dist/cfn/.linted: template.yaml $(wildcard infra/statemachine/*.asl.json) infra/lint_template.py $(VENV_OK)
	$(VENV)/bin/python infra/lint_template.py --out dist/cfn
	touch $@

$(VENV_OK): infra/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r infra/requirements.txt
	touch $@

build: ## write dist/<Function>/bootstrap and dist/<Function>.zip for Lambda (linux/arm64)
	@for f in $(FUNCTIONS); do \
	  pkg=functions/$$(echo $${f%Function} | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z'); \
	  echo "build $$f ← ./$$pkg"; \
	  mkdir -p dist/$$f; \
	  $(LAMBDA_GO) -o dist/$$f/bootstrap ./$$pkg; \
	  (cd dist/$$f && rm -f ../$$f.zip && zip -q -X ../$$f.zip bootstrap); \
	done
	@ls -l dist/*/bootstrap dist/*.zip

# sam build (template.yaml: CodeUri ., Metadata BuildMethod makefile) runs
# make build-<LogicalId> here with ARTIFACTS_DIR set: make build's go build
# of that function into $(ARTIFACTS_DIR)/bootstrap.
.PHONY: $(addprefix build-,$(FUNCTIONS))
$(addprefix build-,$(FUNCTIONS)): build-%:
	$(LAMBDA_GO) -o "$(ARTIFACTS_DIR)/bootstrap" ./$(call fnpkg,$*)

# Offline, without Docker or AWS credentials; in the source tree
# (samconfig.toml: build_in_source), so .venv/ and node_modules/ are not
# copied. Writes .aws-sam/build/, which sam local and sam deploy use.
sam-build: $(VENV_OK) ## sam build of every function (make build-<Function>) into .aws-sam/build
	SAM_CLI_TELEMETRY=0 $(VENV)/bin/sam build --build-in-source

# Cold start of every function beside a hello-world aws-lambda-go bootstrap,
# under the Lambda Runtime Interface Emulator built from the module proxy (no
# Docker, no AWS): 20 fresh processes each, then the table in the "Cold start"
# section of docs/performance.md. Builds under dist/bench-cold/. Not part of
# make test; the targets are reported, not asserted. RUNS=5 for a quick look.
.PHONY: bench-cold
bench-cold: ## cold start of every function vs hello world (Lambda RIE), into docs/performance.md
	$(GO) run ./infra/cmd/bench-cold -go "$(GO)" -ldflags "$(LDFLAGS)" -runs $(or $(RUNS),20) $(ARGS)

# Load on the local runner: builds hrss-local into a temporary directory,
# starts it on a free 127.0.0.1 port with a fresh data directory, and drives
# catalog reads, a record-table read, the back-payment trial, logins and
# submits with vegeta (as a library) at increasing rates until p99 reaches
# 50 ms or a request fails; the tables go into the "Load" section of
# docs/performance.md. Loopback only; not part of make test; targets
# reported, not asserted. RUNS=1 for a quick look; ARGS="-total 100000" adds
# the RSS and store size after that many submissions (long).
.PHONY: bench-load
bench-load: ## load on the local runner (vegeta, loopback) into docs/performance.md
	$(GO) run ./infra/cmd/bench-load -go "$(GO)" -runs $(or $(RUNS),3) $(ARGS)

# Faults: builds hrss-local into a temporary directory, prepares N drafts,
# submits them while a reviewer decides, kill -9s the runner KILLS times at
# random moments and restarts it on the same data, then counts (lost,
# duplicated, half-applied) into the "Faults" section of docs/reliability.md.
# Exits 1 on any lost, duplicated or half-applied work. A reduced run is in
# make test (infra/runner TestKillDuringSubmissionLoad).
# Every fuzz target of the module, FUZZTIME each (default 15s): go test runs
# only their seeds; this explores (docs/reliability.md lists them).
.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME (default 15s) each
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(or $(FUZZTIME),15s) $$pkg; \
	  done; \
	done

.PHONY: bench-faults
bench-faults: ## kill -9 drill of the local runner under submission load, into docs/reliability.md
	$(GO) run ./infra/cmd/bench-faults -go "$(GO)" -n $(or $(N),400) -kills $(or $(KILLS),8) $(ARGS)

clean: ## remove build output (not .data/)
	rm -rf dist .aws-sam $(WEB_DIR)/dist
