#!/usr/bin/env bash
# Tests deploy/docker-entrypoint.sh without a container or a Swift build: rec-cli and rec-fcgi
# are replaced by stubs on PATH that record how they were called. Covers the one-trainer lock
# (three "containers" start at once on an empty data folder), command pass-through, flags for
# rec-fcgi, a missing dataset and an unwritable data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
entrypoint=$PWD/deploy/docker-entrypoint.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/dataset"
: >"$work/dataset/ratings_train.dat"
calls="$work/calls"

# Stub rec-cli: `train` takes a while (so the others must really wait), then publishes a
# generation the way the real one does (CURRENT written last, atomically by rename).
cat >"$work/bin/rec-cli" <<'STUB'
#!/usr/bin/env bash
set -euo pipefail
echo "rec-cli $*" >>"$CALLS"
if [[ $1 == train ]]; then
    sleep 1
    mkdir -p "$REC_DATA_DIR/model"
    printf '%s\n' "$(($(cat "$REC_DATA_DIR/model/.generations" 2>/dev/null || echo 0) + 1))" \
        >"$REC_DATA_DIR/model/.generations"
    cp "$REC_DATA_DIR/model/.generations" "$REC_DATA_DIR/model/CURRENT.tmp"
    mv "$REC_DATA_DIR/model/CURRENT.tmp" "$REC_DATA_DIR/model/CURRENT"
fi
STUB
cat >"$work/bin/rec-fcgi" <<'STUB'
#!/usr/bin/env bash
set -euo pipefail
echo "rec-fcgi $* generation=$(cat "$REC_DATA_DIR/model/CURRENT")" >>"$CALLS"
STUB
chmod +x "$work/bin/rec-cli" "$work/bin/rec-fcgi"

export PATH="$work/bin:$PATH" CALLS="$calls" REC_DEFAULT_DATASET="$work/dataset/ratings_train.dat"
passed=0 failed=0
check() { # check NAME COMMAND...: counts a pass or a failure
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name" >&2
        [[ -f $calls ]] && sed 's/^/    /' "$calls" >&2
    fi
}
fresh() { # a new empty data folder and call log
    export REC_DATA_DIR="$work/data-$1"
    mkdir -p "$REC_DATA_DIR"
    : >"$calls"
}

# 1. Three workers start together on an empty folder: one trains, all serve generation 1.
fresh scaled
for i in 1 2 3; do "$entrypoint" --worker-id "$i" 2>>"$work/log" & done
wait
check "exactly one container trains" test "$(grep -c '^rec-cli train' "$calls")" = 1
check "all three serve generation 1" test "$(grep -c '^rec-fcgi --worker-id [123] generation=1$' "$calls")" = 3
check "the waiters said why they waited" grep -q 'published while waiting' "$work/log"

# 2. A model exists: no training, rec-fcgi gets its arguments.
: >"$calls"
"$entrypoint" rec-fcgi --flag 2>/dev/null
check "no training when CURRENT exists" test "$(grep -c '^rec-cli' "$calls")" = 0
check "rec-fcgi receives its arguments" grep -qx 'rec-fcgi --flag generation=1' "$calls"

# 3. Any other command passes through untouched, with no training even on an empty folder.
fresh passthrough
"$entrypoint" rec-cli train --dataset=/elsewhere.dat --model baseline
check "a command passes through" grep -qx 'rec-cli train --dataset=/elsewhere.dat --model baseline' "$calls"
check "pass-through does not train first" test "$(wc -l <"$calls")" = 1

# 4. REC_TRAIN_ARGS reach the automatic training.
fresh trainargs
REC_TRAIN_ARGS="--model baseline --seed 7" "$entrypoint" 2>/dev/null
check "REC_TRAIN_ARGS are passed to training" \
    grep -qx "rec-cli train --dataset=$REC_DEFAULT_DATASET --model baseline --seed 7" "$calls"

# 5. No model and no dataset: exit 1 with a message, rec-fcgi never starts.
fresh nodataset
status=0
REC_DEFAULT_DATASET=/nonexistent/ratings.dat "$entrypoint" 2>"$work/err" || status=$?
check "missing dataset exits 1" test "$status" = 1
check "missing dataset is explained" grep -q 'no dataset at /nonexistent/ratings.dat' "$work/err"
check "rec-fcgi not started without a model" test ! -s "$calls"

# 6. An unwritable data folder (as a non-root user) is explained, not a bare EACCES.
if [[ $(id -u) == 0 ]] && command -v setpriv >/dev/null; then
    fresh readonly
    chmod 755 "$work" && chmod 755 "$REC_DATA_DIR" "$work/bin" && chmod 666 "$calls"
    status=0
    setpriv --reuid=65534 --regid=65534 --clear-groups "$entrypoint" 2>"$work/err" || status=$?
    check "unwritable data folder exits 1" test "$status" = 1
    check "unwritable data folder is explained" grep -q 'is not writable by uid 65534' "$work/err"
fi

echo "entrypoint: $passed passed, $failed failed"
((failed == 0))
