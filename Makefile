# RecServe: everyday commands. `make test` is what CI runs (through .ci/run).
SHELL := /bin/bash
SWIFT_PATH := /opt/swift/usr/bin
export PATH := $(SWIFT_PATH):$(PATH)

# RecCore's layers are separate targets (docs/architecture.md); this makes an `import` of a target
# that the importing target does not declare in Package.swift a build error, not just a warning.
LAYER_CHECK := --explicit-target-dependency-import-check error
# Tests run against an optimised build: the suite trains real models and checks MovieLens-1M
# sanity figures, which would take minutes unoptimised. -enable-testing keeps @testable imports.
TEST_FLAGS := -c release -Xswiftc -enable-testing $(LAYER_CHECK)
DATASET ?= dataset/ratings_train.dat
# `make fuzz`: seconds per libFuzzer target, and which targets (see docs/reliability.md).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= JSON Router TitleMatcher RatingsParser ModelFile

.PHONY: packages build release test live-test fault-test fuzz serve train evaluate bench bench-http clean help lint format image-check

help:
	@echo "make test     build and run the whole test suite"
	@echo "make live-test  only the Python tests of Tests/Live against live stacks (after make test or make release)"
	@echo "make fault-test  inject faults under load (kill -9, reloads, damaged files, full disk...) (root)"
	@echo "make fuzz     build the libFuzzer targets and run each for FUZZ_SECONDS (default 60); FUZZ_TARGETS picks some"
	@echo "make serve    serve the HTTP API on :5000 (nginx + rec-fcgi) until Ctrl-C"
	@echo "make train    train the default model on $(DATASET)"
	@echo "make bench    print the core benchmark (bench/core.sh)"
	@echo "make bench-http  benchmark the HTTP stack with wrk (bench/serve.sh)"
	@echo "make release  build optimised binaries into .build/release"
	@echo "make lint     hadolint, actionlint, compose config, k8s manifests, shellcheck, swift-format; entrypoint tests"
	@echo "make format   apply .swift-format to every Swift file"
	@echo "make image-check  build the Dockerfile with podman and serve a request from it"

build: packages
	swift build $(LAYER_CHECK)

release: packages
	swift build -c release $(LAYER_CHECK)

# The build links libfcgi: install libfcgi-dev (and nginx) first when missing and root.
packages:
	bash deploy/install-packages.sh

test: packages
	swift build $(TEST_FLAGS) --build-tests
	swift test $(TEST_FLAGS) --skip-build
	bash Tests/Live/run-live-tests.sh

# Only the Python tests of Tests/Live (browser, OpenAPI, notebook, metrics) against live stacks,
# on the binaries of the last `make test` or `make release`; PYTEST_ARGS="-k name" picks some.
live-test:
	bash Tests/Live/run-live-tests.sh $(PYTEST_ARGS)

# The fault suite: each case starts its own stack on a port in 5700-5799 with a data folder under
# /tmp/fault-*, injects one fault under load and checks issue 10's targets (Tests/Fault/). Root:
# it mounts small tmpfs file systems. Prints the table and writes ./fault-report/fault-report.md.
# It serves the binaries `make test` builds (the same optimised build), so CI compiles once.
fault-test: packages
	swift build $(TEST_FLAGS)
	FAULT_SKIP_BUILD=1 bash Tests/Fault/fault-suite.sh

# libFuzzer targets (Tests/Fuzz, REC_FUZZ=1) with ASan, each run for FUZZ_SECONDS on a scratch
# copy of its committed corpus; fails if any finds a crash. Needs nothing beyond the toolchain.
fuzz:
	bash Tests/Fuzz/run-fuzzers.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Installs libfcgi-dev and nginx when missing (as root), builds, trains a model if data/model has
# none, and serves on :$(REC_PORT) (default 5000) until Ctrl-C. See deploy/serve.sh.
serve:
	bash deploy/serve.sh

train: release
	.build/release/rec-cli train --dataset=$(DATASET)

bench: release
	bash bench/core.sh

bench-http:
	bash bench/serve.sh

# Static checks of the packaging and deploy/k8s (they install their own tools), then the
# entrypoint's tests.
lint:
	bash .ci/static-checks.sh
	bash .ci/test-entrypoint.sh

# Rewrites every Swift file in the style .swift-format describes (make lint checks it).
format:
	swift-format format --in-place --parallel --recursive Package.swift Sources Tests

# Builds ./Dockerfile offline with podman from local base images and runs it under chroot
# behind the host's nginx (see the script's header). Root only; slow the first time.
image-check:
	bash .ci/image-check.sh

clean:
	rm -rf .build .build-fuzz
