#!/usr/bin/env bash
# The fault suite (make fault-test; .ci/run calls it after make test). Installs wrk (and, through
# deploy/install-packages.sh, nginx and libfcgi-dev) when missing and root, builds the release
# binaries, then runs Tests/Fault/faultsuite.py: each case starts its own stack on a free port in
# 5700-5799 with a data folder under /tmp/fault-run-*/, measures normal traffic without the
# fault, injects the fault under the same load and checks the targets. Prints the table, writes
# it to $FAULT_RUN_DIR/fault-report.md and exits non-zero when a target is missed.
#
# usage: bash Tests/Fault/fault-suite.sh [--cases kill9,reload20,...] [--list]
# Environment: FAULT_RUN_DIR (default /tmp/fault-run-<pid>, removed afterwards unless
# FAULT_KEEP=1; the report and the logs are then copied to ./fault-report/), FAULT_SKIP_BUILD=1,
# FAULT_MODEL_DIR (a data folder with a trained model, to skip the ~30 s training).
# Needs root: it mounts small tmpfs file systems for the full-disk cases.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH:/usr/sbin:/sbin

log() { printf 'fault-suite: %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
    if ((EUID != 0)); then
        log "wrk is missing; run: sudo apt-get install wrk"
        exit 1
    fi
    log "installing wrk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
bash deploy/install-packages.sh
if [[ ${FAULT_SKIP_BUILD:-0} != 1 ]]; then
    log "building release binaries"
    swift build -c release >/dev/null
fi

run_dir=${FAULT_RUN_DIR:-/tmp/fault-run-$$}
case $run_dir in
    /tmp/fault-*) ;;
    *) log "FAULT_RUN_DIR must be under /tmp/fault-*"; exit 2 ;;
esac
mkdir -p "$run_dir"
suite_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    local status=$?
    trap '' INT TERM
    if [[ -n $suite_pid ]] && kill -0 "$suite_pid" 2>/dev/null; then
        kill -TERM "$suite_pid" 2>/dev/null || true
        wait "$suite_pid" 2>/dev/null || true
    fi
    # Anything the suite could not stop itself: stacks (their pid files) and mounts of this run.
    local pid_file pid
    for pid_file in "$run_dir"/*/run/rec-fcgi.pid "$run_dir"/*/run/nginx/nginx.pid; do
        [[ -f $pid_file ]] || continue
        pid=$(cat "$pid_file" 2>/dev/null || true)
        if [[ -n $pid ]]; then
            pkill -KILL -P "$pid" 2>/dev/null || true
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    local mount_point
    while read -r mount_point; do
        umount "$mount_point" 2>/dev/null || umount -l "$mount_point" 2>/dev/null || true
    done < <(awk -v prefix="$run_dir/" 'index($2, prefix) == 1 {print $2}' /proc/mounts)
    mkdir -p fault-report
    cp "$run_dir"/fault-report.md fault-report/ 2>/dev/null || true
    rm -rf fault-report/logs
    cp -r "$run_dir"/logs fault-report/ 2>/dev/null || true
    [[ ${FAULT_KEEP:-0} == 1 ]] || rm -rf "$run_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 Tests/Fault/faultsuite.py --run-dir "$run_dir" "$@" &
suite_pid=$!
status=0
wait "$suite_pid" || status=$?
suite_pid=""
exit "$status"
