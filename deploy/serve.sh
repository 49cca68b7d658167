#!/usr/bin/env bash
# Serves the RecServe API in the foreground: nginx on :$REC_PORT (default 5000) in front of the
# rec-fcgi worker pool. Ctrl-C or SIGTERM stops nginx gracefully, then drains the pool, and leaves
# no process behind.
#
# Steps: install libfcgi-dev and nginx when missing (as root), build the release binaries, train
# the default model when $REC_DATA_DIR/model has no CURRENT, generate the nginx configuration
# from deploy/nginx.conf into $REC_DATA_DIR/run/nginx/ (with the web page of web/ at /), start
# the pool and nginx.
#
# Environment: REC_PORT (5000), REC_DATA_DIR (./data), REC_LISTEN, REC_WORKERS and the other
# rec-fcgi settings (see README); nginx's per-client limits REC_REQUESTS_PER_CLIENT (5000 a
# second), REC_REQUEST_BURST_PER_CLIENT (10000), REC_CONNECTIONS_PER_CLIENT (256). For scripts:
# REC_SKIP_BUILD=1, REC_SKIP_TRAIN=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH:/usr/sbin:/sbin

port=${REC_PORT:-5000}
data_dir=${REC_DATA_DIR:-data}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
export REC_DATA_DIR=$data_dir
run_dir=$data_dir/run
nginx_dir=$run_dir/nginx
listen=${REC_LISTEN:-unix:$run_dir/rec-fcgi.sock}
export REC_LISTEN=$listen

log() { printf 'serve: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

upstream_server() {
    case $listen in
        unix:*) printf 'unix:%s' "${listen#unix:}" ;;
        tcp:*)
            local address=${listen#tcp:} host port
            host=${address%:*}
            port=${address##*:}
            case $host in
                0.0.0.0 | "") host=127.0.0.1 ;;
                "[::]") host="[::1]" ;;
            esac
            printf '%s:%s' "$host" "$port"
            ;;
        *) die "REC_LISTEN=$listen is neither unix:PATH nor tcp:HOST:PORT" ;;
    esac
}

# positive_integer NAME DEFAULT: the value of $NAME, or DEFAULT when unset; dies unless it is
# a positive whole number (it goes into nginx.conf).
positive_integer() {
    local value=${!1:-$2}
    [[ $value =~ ^[1-9][0-9]{0,8}$ ]] || die "$1=$value is not a positive whole number"
    printf '%s' "$value"
}

write_nginx_config() {
    mkdir -p "$nginx_dir"/{client_body,fastcgi,proxy,uwsgi,scgi}
    local user_directive="" bench_locations=""
    ((EUID == 0)) && user_directive="user root;"
    case ${REC_HELLO_ROUTE:-0} in
        1 | true | yes | on) bench_locations="location = /bench/hello { fastcgi_pass rec_fcgi; }" ;;
    esac
    local upstream requests_per_client request_burst connections_per_client
    upstream=$(upstream_server)
    requests_per_client=$(positive_integer REC_REQUESTS_PER_CLIENT 5000)
    request_burst=$(positive_integer REC_REQUEST_BURST_PER_CLIENT 10000)
    connections_per_client=$(positive_integer REC_CONNECTIONS_PER_CLIENT 256)
    # The web page at / is the checkout's web/ folder, named by its absolute path.
    local web_root=$PWD/web
    [[ -f $web_root/index.html ]] || die "$web_root/index.html is missing: the web page cannot be served"
    [[ $web_root != *[\"\|\\]* ]] || die "the checkout's path $web_root has a character nginx.conf cannot quote"
    sed -e "s|@USER_DIRECTIVE@|$user_directive|" \
        -e "s|@PORT@|$port|" \
        -e "s|@UPSTREAM_SERVER@|$upstream|" \
        -e "s|@NGINX_DIR@|$nginx_dir|g" \
        -e "s|@ACCESS_LOG@|$nginx_dir/access.log|" \
        -e "s|@ERROR_LOG@|$nginx_dir/error.log|" \
        -e "s|@BENCH_LOCATIONS@|$bench_locations|" \
        -e "s|@WEB_ROOT@|$web_root|" \
        -e "s|@REQUESTS_PER_CLIENT@|$requests_per_client|" \
        -e "s|@REQUEST_BURST_PER_CLIENT@|$request_burst|" \
        -e "s|@CONNECTIONS_PER_CLIENT@|$connections_per_client|" \
        -e "s|@OPENAPI_FILE@|$PWD/docs/openapi.yaml|" \
        deploy/nginx.conf >"$nginx_dir/nginx.conf"
    nginx -q -t -p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf" ||
        die "the generated $nginx_dir/nginx.conf does not pass nginx -t"
}

# Waits up to $2 seconds for process $1 to end, then kills it; returns its exit status.
stop_process() {
    local pid=$1 seconds=$2 tenths=0
    while kill -0 "$pid" 2>/dev/null && ((tenths < seconds * 10)); do
        sleep 0.1
        tenths=$((tenths + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "process $pid did not stop within ${seconds}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    local status=0
    wait "$pid" || status=$?
    return "$status"
}

master_pid=""
nginx_pid=""
stopping=0

stop_all() {
    ((stopping)) && return
    stopping=1
    trap '' INT TERM
    local status=0
    if [[ -n $nginx_pid ]]; then
        # QUIT: finish the requests in flight (they may be queued at the pool), then exit.
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        stop_process "$nginx_pid" 15 || true
    fi
    if [[ -n $master_pid ]]; then
        kill -TERM "$master_pid" 2>/dev/null || true
        stop_process "$master_pid" $((${REC_GRACE_SECONDS:-10} + 5)) || status=$?
    fi
    rm -f "$run_dir/rec-fcgi.pid"
    log "stopped"
    return "$status"
}

[[ ${REC_SKIP_INSTALL:-0} == 1 ]] || bash deploy/install-packages.sh
if [[ ${REC_SKIP_BUILD:-0} != 1 ]]; then
    log "building release binaries"
    swift build -c release
fi
if [[ ${REC_SKIP_TRAIN:-0} != 1 && ! -f $data_dir/model/CURRENT ]]; then
    log "no model in $data_dir/model: training the default model (about a minute)"
    .build/release/rec-cli train --dataset=dataset/ratings_train.dat
fi
write_nginx_config

trap 'stop_all; exit $?' INT TERM

# Each in its own session, so a terminal's Ctrl-C reaches only this script, which then stops
# nginx before the pool: requests nginx still holds reach a worker instead of a closed socket.
setsid .build/release/rec-fcgi &
master_pid=$!
echo "$master_pid" >"$run_dir/rec-fcgi.pid"

if [[ $listen == unix:* ]]; then
    socket=${listen#unix:}
    for _ in $(seq 100); do
        [[ -S $socket ]] && break
        kill -0 "$master_pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -S $socket ]] || { stop_all || true; die "rec-fcgi did not start; see $data_dir/log_file.log"; }
fi

setsid nginx -p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf" &
nginx_pid=$!
log "serving http://localhost:$port/ (the page) and /api/ (pool: $listen, log: $data_dir/log_file.log); Ctrl-C stops"

# Returns when either process ends on its own (or a signal runs the trap).
wait -n "$master_pid" "$nginx_pid" || true
log "a server process exited on its own; stopping the other"
stop_all || true
exit 1
