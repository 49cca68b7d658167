# RecServe: everyday commands. `make test` is what CI runs (through .ci/run).
SHELL := /bin/bash
SWIFT_PATH := /opt/swift/usr/bin
export PATH := $(SWIFT_PATH):$(PATH)

# Tests run against an optimised build: the suite trains real models and checks MovieLens-1M
# sanity figures, which would take minutes unoptimised. -enable-testing keeps @testable imports.
TEST_FLAGS := -c release -Xswiftc -enable-testing
DATASET ?= dataset/ratings_train.dat

.PHONY: build release test serve train evaluate bench clean help lint image-check

help:
	@echo "make test     build and run the whole test suite"
	@echo "make serve    serve the HTTP API on :5000 (arrives with the API issue)"
	@echo "make train    train the default model on $(DATASET)"
	@echo "make bench    print the core benchmark (bench/core.sh)"
	@echo "make release  build optimised binaries into .build/release"
	@echo "make lint     hadolint, actionlint, compose config, shellcheck; entrypoint tests"
	@echo "make image-check  build the Dockerfile with podman and serve a request from it"

build:
	swift build

release:
	swift build -c release

test:
	swift build $(TEST_FLAGS) --build-tests
	swift test $(TEST_FLAGS) --skip-build

serve: release
	@echo "serving arrives with the API: nginx on :5000 in front of the FastCGI worker pool (next issue)."
	@echo "Until then, use rec-cli: .build/release/rec-cli recommend --rate 'Toy Story=5' --top 10"
	@exit 1

train: release
	.build/release/rec-cli train --dataset=$(DATASET)

bench: release
	bash bench/core.sh

# Static checks of the packaging (they install their own tools), then the entrypoint's tests.
lint:
	bash .ci/static-checks.sh
	bash .ci/test-entrypoint.sh

# Builds ./Dockerfile offline with podman from local base images and runs it under chroot
# behind the host's nginx (see the script's header). Root only; slow the first time.
image-check:
	bash .ci/image-check.sh

clean:
	rm -rf .build
