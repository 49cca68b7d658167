#!/usr/bin/env bash
# Static checks of the Kubernetes manifests (deploy/k8s), called by .ci/static-checks.sh:
#  1. renders the base and each overlay with `kubectl kustomize`;
#  2. validates every rendered object with kubernetes-validate --strict (unknown fields are
#     errors) against the oldest and the newest Kubernetes version the manifests claim;
#  3. checks what a schema cannot (.ci/k8s-policy.py): each pod's terminationGracePeriodSeconds
#     is greater than its preStop sleep plus the drain that follows (REC_GRACE_SECONDS for
#     rec-fcgi, fastcgi_read_timeout for nginx); the "restricted" Pod Security settings; AWS
#     credentials only from Secrets; the prod image pinned;
#  4. checks that deploy/k8s/base/recserve.conf is deploy/nginx.compose.conf with only the
#     two intended directive changes.
# There is no cluster here: nothing is applied. Needs kubectl with kustomize v5 (the machine
# image has it; Debian's own kubernetes-client, 1.20, ships kustomize v2, which cannot read a
# `resources:` folder or `patches:`) and the lint venv that static-checks.sh installs
# (kubernetes-validate and its PyYAML).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${REC_LINT_VENV:-${REC_CI_CACHE:-/var/cache/recserve}/lint-venv}
# The oldest version the manifests need (HPA ContainerResource metrics are stable from 1.30)
# and the newest kubernetes-validate knows.
K8S_VERSIONS=(1.30.0 1.37.0)
RENDER_DIRS=(deploy/k8s/base deploy/k8s/overlays/dev deploy/k8s/overlays/prod)

log() { printf '[k8s-check] %s\n' "$*" >&2; }
die() {
    log "FAILED: $*"
    exit 1
}

if ! command -v kubectl >/dev/null; then
    log "installing kubectl (apt: kubernetes-client)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi
kustomize_version=$(kubectl version --client -o json 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin).get("kustomizeVersion", ""))' || true)
if ! [[ $kustomize_version =~ ^v([0-9]+) ]] || ((BASH_REMATCH[1] < 5)); then
    die "kubectl's kustomize is '${kustomize_version:-unknown}'; deploy/k8s needs kustomize v5 (kubectl 1.27 or later)"
fi
[[ -x $VENV/bin/kubernetes-validate ]] ||
    die "no kubernetes-validate in $VENV: run .ci/static-checks.sh, which installs it"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
rendered=()
for dir in "${RENDER_DIRS[@]}"; do
    name=${dir##*/}
    if ! kubectl kustomize "$dir" >"$out/$name.yaml" 2>"$out/$name.err"; then
        log "FAILED: kubectl kustomize $dir: $(cat "$out/$name.err")"
        failed=1
        continue
    fi
    rendered+=("$out/$name.yaml")
    for version in "${K8S_VERSIONS[@]}"; do
        if "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "$out/$name.yaml"; then
            log "$dir: $(grep -c '^kind: ' "$out/$name.yaml") objects valid against Kubernetes $version (strict)"
        else
            log "FAILED: $dir against Kubernetes $version"
            failed=1
        fi
    done
done

if ((${#rendered[@]})) && ! "$VENV/bin/python" .ci/k8s-policy.py "${rendered[@]}"; then
    failed=1
fi

# recserve.conf against the compose file, comments and blank lines aside: the resolver goes and
# the upstream names the worker Service. Anything else that differs was changed in one only.
directives() { sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1"; }
if ! diff -u \
    <(directives deploy/nginx.compose.conf |
        sed -e '/^resolver 127\.0\.0\.11 /d' -e 's/server worker:9000 resolve;/server recserve-worker:9000;/') \
    <(directives deploy/k8s/base/recserve.conf) >"$out/nginx.diff"; then
    log "FAILED: deploy/k8s/base/recserve.conf has drifted from deploy/nginx.compose.conf:"
    cat "$out/nginx.diff" >&2
    failed=1
fi

((failed == 0)) || die "Kubernetes manifests"
log "rendered ${#RENDER_DIRS[@]} kustomizations, validated against Kubernetes ${K8S_VERSIONS[*]}, policy and nginx config in step"
