#!/usr/bin/env bash
# Container entry point for the RecServe worker image.
#
# `docker run IMAGE` (or `IMAGE rec-fcgi ...`, or `IMAGE --some-flag`) serves: if the data folder
# has no published model yet, it first trains the default model from the image's dataset, then
# execs rec-fcgi so that the FastCGI master is the process that receives SIGTERM/SIGHUP.
# Any other command is run as given, e.g. `IMAGE rec-cli train --dataset=...` or `IMAGE bash`.
#
# Several containers (`docker compose up --scale worker=4`) share one data folder and may all
# start with no model: a flock on $REC_DATA_DIR/model/.train.lock lets exactly one of them train
# while the others wait, then find CURRENT and serve the same generation.
set -euo pipefail

data_dir=${REC_DATA_DIR:-/app/data}
model_dir="$data_dir/model"
dataset=${REC_DEFAULT_DATASET:-/app/dataset/ratings_train.dat}
# Extra `rec-cli train` arguments for the automatic first training, split on spaces
# (e.g. "--model baseline" for a quick smoke test). Empty means the CLI's defaults.
train_args=${REC_TRAIN_ARGS:-}

log() { printf '%s docker-entrypoint[%d]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

have_model() { [[ -s $model_dir/CURRENT ]]; }

ensure_data_dir() {
    # A bind-mounted host folder keeps its host owner: say how to fix it rather than fail later
    # with a bare EACCES from rec-cli or rec-fcgi.
    if ! mkdir -p "$model_dir" 2>/dev/null || [[ ! -w $data_dir || ! -w $model_dir ]]; then
        die "$data_dir is not writable by uid $(id -u) gid $(id -g); make the host folder writable" \
            "for that user (e.g. chown $(id -u):$(id -g) ./data) or run the container as its owner" \
            "(compose: REC_UID/REC_GID)"
    fi
}

train_default_model() {
    # fd 9 holds the lock for as long as this shell keeps it open; the kernel drops it if the
    # container dies mid-training, so a waiting container then takes over instead of hanging.
    exec 9>>"$model_dir/.train.lock"
    if ! flock -n 9; then
        log "another container is training the default model; waiting for it"
        flock 9
    fi
    if have_model; then
        log "a model was published while waiting (generation $(<"$model_dir/CURRENT")); not training"
    else
        [[ -r $dataset ]] || die "no model in $model_dir and no dataset at $dataset to train one from"
        local -a extra=()
        [[ -n $train_args ]] && read -r -a extra <<<"$train_args"
        log "no model in $model_dir: training the default model from $dataset ${extra[*]:-}"
        # Run in the background and wait, so a `docker stop` during training reaches rec-cli
        # (bash defers traps while a foreground child runs).
        rec-cli train --dataset="$dataset" "${extra[@]}" &
        local pid=$!
        trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
        local status
        # `wait` returns early when a trapped signal arrives: wait again for the real exit.
        while :; do
            status=0
            wait "$pid" || status=$?
            kill -0 "$pid" 2>/dev/null || break
        done
        trap - TERM INT
        ((status == 0)) || die "training the default model failed (exit $status)"
        have_model || die "rec-cli train succeeded but $model_dir/CURRENT is missing"
        log "trained generation $(<"$model_dir/CURRENT")"
    fi
    flock -u 9
    exec 9>&-
}

serve() {
    ensure_data_dir
    have_model || train_default_model
    exec rec-fcgi "$@"
}

if (($# == 0)); then
    serve
elif [[ $1 == rec-fcgi ]]; then
    shift
    serve "$@"
elif [[ $1 == -* ]]; then
    # Only flags: they are for rec-fcgi, as with most official images.
    serve "$@"
else
    exec "$@"
fi
