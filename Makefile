# auditctl — two commands on a fresh Debian machine: `make demo` and `make test`.
SHELL := /bin/bash
APT_PACKAGES := libsodium-dev libsqlite3-dev libssl-dev zlib1g-dev sqlite3 pkg-config python3 python3-pip tmux openssl postgresql \
  faketime e2fsprogs chromium chromium-driver poppler-utils fonts-dejavu-core wrk
PY_PACKAGES := rfc8785 jsonschema pyyaml model-signing==1.1.1 pyOpenSSL securesystemslib sigstore PyNaCl selenium schemathesis
SWIFT ?= swift
DEMO_DIR ?= demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo serve test test-fleet-sim bench fuzz docs clean-demo

## Install missing system packages (apt) and the Python tools the tests cross-check against.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@python3 -c "import rfc8785, jsonschema, yaml, model_signing, OpenSSL, securesystemslib, sigstore, nacl, selenium, schemathesis" 2>/dev/null \
	  || python3 -m pip install -q $(PY_PACKAGES) \
	  || python3 -m pip install -q --break-system-packages $(PY_PACKAGES)
	@command -v $(SWIFT) >/dev/null || { echo "error: swift not found (expected /opt/swift/usr/bin)"; exit 1; }

build: deps
	$(SWIFT) build

## Creates a ledger under ./demo, appends sample entries, proves and verifies them.
demo: build
	@bash scripts/demo.sh "$(DEMO_DIR)"

## Serves the demo ledger (from `make demo`) at http://127.0.0.1:8080 and prints the demo users' login hints.
serve: build
	@bash scripts/serve-demo.sh "$(DEMO_DIR)"

## Runs the whole test suite (unit, ledger tamper matrix, crash, CLI end-to-end).
## A failed run ends with a summary (failed tests, tests still running, the crashed thread).
test: deps
	$(SWIFT) build
	SWIFT=$(SWIFT) bash scripts/run-tests.sh

## Only the fleet simulation and fault tests (real PostgreSQL, `auditctl fleet serve` processes).
## Scale them with AUDITCTL_FLEET_SIM_PLANTS, _ENTRIES, _KILL_ROUNDS, _OFFLINE_ENTRIES, _CUTS; replay with _SEED.
test-fleet-sim: deps
	$(SWIFT) build
	$(SWIFT) test --filter FleetSimulation

## Benchmarks with same-run baselines (see Benchmarks/README.md).
bench: deps
	cd Benchmarks && $(SWIFT) build -c release
	cd Benchmarks && ./.build/release/LedgerBench
	cd Benchmarks && ./.build/release/ZoneBench
	cd Benchmarks && ./.build/release/BundleBench
	cd Benchmarks && ./.build/release/ExportBench
	cd Benchmarks && ./.build/release/ServerBench
	cd Benchmarks && ./.build/release/FleetBench

## Coverage-guided fuzzing (libFuzzer + ASan) of every parser, FUZZ_SECONDS each (default 60).
## CI does not run this; `make test` replays the committed corpus (Tests/Fuzz) instead.
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT=$(SWIFT) bash scripts/fuzz.sh $(FUZZ_SECONDS)

## Regenerates Docs/commands/reference from every command's --help.
docs: build
	bash scripts/gen-command-docs.sh

clean-demo:
	rm -rf "$(DEMO_DIR)"
