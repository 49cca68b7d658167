#!/usr/bin/env bash
# HTTP benchmark: starts the whole stack (deploy/serve.sh: nginx + rec-fcgi) on a free port with
# a temporary data folder, runs wrk against each route for each worker count, and prints a
# Markdown table of requests per second, p50/p99 latency, errors, the workers' CPU time per
# request (user + system, from /proc; steadier than req/s on a shared machine) and PSS per worker.
#
# usage: bash bench/serve.sh [-w "1 2"] [-c 32] [-t 2] [-d 10s] [ROUTE...]
#   ROUTE is a GET path such as /bench/hello (the hello-world ceiling), or
#   METHOD:PATH:BODY_FILE for a request with a JSON body, e.g. POST:/api/predict:bench/predict.json,
#   or SCRIPT:FILE for a wrk Lua script that makes its own requests, e.g. SCRIPT:bench/recommend.lua.
#   The default routes are the ceiling, a 5-movie predict, a known-user recommend for random
#   users, a similar query and a type-ahead movie search.
# After the table it times /api/reload (curl, 10 reloads per worker count; failed= counts answers
# other than 200, whose times are not reloads).
# The model in data/model (REC_BENCH_MODEL_DIR) is linked into the temporary folder when it
# exists, so routes that need one work. REC_SKIP_BUILD=1 skips the release build. REC_BENCH_PORT
# fixes the port (default: a free one the system picks).
# The pool's other REC_* settings pass through from the environment, e.g. REC_METRICS=0 to
# measure without the shared counters (bench/metrics-overhead.sh alternates on and off).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH:/usr/sbin:/sbin

worker_counts="1 2 4"
connections=32
threads=2
duration=10s
while getopts "w:c:t:d:h" option; do
    case $option in
        w) worker_counts=$OPTARG ;;
        c) connections=$OPTARG ;;
        t) threads=$OPTARG ;;
        d) duration=$OPTARG ;;
        *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
routes=("$@")
((${#routes[@]} > 0)) || routes=(/bench/hello POST:/api/predict:bench/predict.json SCRIPT:bench/recommend.lua
                                  "/api/similar?movie_name=Toy%20Story&n=5" "/api/movies?q=star%20wa")

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "bench: nginx is missing (make serve installs it)" >&2; exit 1; }
[[ ${REC_SKIP_BUILD:-0} == 1 ]] || swift build -c release --product rec-fcgi >/dev/null

work_dir=$(mktemp -d /tmp/rec-bench-XXXXXX)
chmod 755 "$work_dir"
serve_pid=""
cleanup() {
    if [[ -n $serve_pid ]] && kill -0 "$serve_pid" 2>/dev/null; then
        kill -TERM "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
    fi
    rm -rf "$work_dir"
}
trap cleanup EXIT

model_dir=${REC_BENCH_MODEL_DIR:-data/model}
# A folder of its own, with hard links to (or copies of) the generation files and a copy of
# CURRENT: the pool gives its model folder to the service user (lchown), which must create SERVED
# there, so a symbolic link to the whole folder would leave the target root's and every
# /api/reload would fail with 500; and model files are opened with O_NOFOLLOW, so they cannot be
# symbolic links either.
if [[ -f $model_dir/CURRENT ]]; then
    mkdir "$work_dir/model"
    for file in "$model_dir"/model-*.recmodel; do
        ln "$file" "$work_dir/model/" 2>/dev/null || cp "$file" "$work_dir/model/"
    done
    cp "$model_dir/CURRENT" "$work_dir/model/CURRENT"
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Writes a wrk script for METHOD:PATH:BODY_FILE routes; prints its path.
request_script() {
    local method=$1 body_file=$2 script
    script=$(mktemp "$work_dir/request-XXXXXX.lua")
    cat >"$script" <<LUA
wrk.method = "$method"
wrk.headers["Content-Type"] = "application/json"
local file = io.open("$(cd "$(dirname "$body_file")" && pwd)/$(basename "$body_file")", "rb")
wrk.body = file:read("*a")
file:close()
LUA
    printf '%s' "$script"
}

# Average PSS of the workers of the running pool, in MiB.
worker_pss() {
    local master total=0 count=0 pss
    master=$(cat "$work_dir/run/rec-fcgi.pid")
    for pid in $(pgrep -P "$master"); do
        pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
        total=$((total + pss))
        count=$((count + 1))
    done
    ((count > 0)) || { echo "?"; return; }
    awk -v total="$total" -v count="$count" 'BEGIN { printf "%.1f", total / count / 1024 }'
}

# The CPU time the pool's workers have used so far, in clock ticks (user + system).
worker_ticks() {
    local master total=0 pid
    master=$(cat "$work_dir/run/rec-fcgi.pid")
    for pid in $(pgrep -P "$master" || true); do
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$threads -c$connections -d$duration; REC_METRICS=${REC_METRICS:-1}"
echo
echo "| workers | route | req/s | p50 | p99 | errors | worker CPU µs per request | PSS per worker (MiB) |"
echo "|---|---|---|---|---|---|---|---|"
for workers in $worker_counts; do
    port=${REC_BENCH_PORT:-$(free_port)}
    # The benchmark measures capacity from one client, so nginx's per-client limits are lifted.
    REC_DATA_DIR=$work_dir REC_PORT=$port REC_WORKERS=$workers REC_HELLO_ROUTE=1 \
        REC_REQUESTS_PER_CLIENT=1000000 REC_REQUEST_BURST_PER_CLIENT=1000000 REC_CONNECTIONS_PER_CLIENT=65535 \
        REC_SKIP_BUILD=1 REC_SKIP_TRAIN=1 REC_SKIP_INSTALL=1 \
        deploy/serve.sh >"$work_dir/serve.log" 2>&1 &
    serve_pid=$!
    # Up to 60 s: on a busy machine nginx and the pool can take more than the usual second.
    for _ in $(seq 600); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.1
    done
    if ! curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "bench: the stack did not come up on port $port; its log:" >&2
        cat "$work_dir/serve.log" >&2
        exit 1
    fi
    for route in "${routes[@]}"; do
        arguments=(-t"$threads" -c"$connections" --latency)
        path=$route
        if [[ $route == SCRIPT:* ]]; then
            arguments+=(-s "${route#SCRIPT:}")
            path=/
        elif [[ $route == *:*:* ]]; then
            IFS=: read -r method path body_file <<<"$route"
            arguments+=(-s "$(request_script "$method" "$body_file")")
        fi
        wrk "${arguments[@]}" -d2s "http://127.0.0.1:$port$path" >/dev/null
        ticks_before=$(worker_ticks)
        output=$(wrk "${arguments[@]}" -d"$duration" "http://127.0.0.1:$port$path")
        ticks=$(($(worker_ticks) - ticks_before))
        rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$output")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
        errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$output")
        requests=$(awk '/requests in/ {print $1}' <<<"$output")
        cpu_us=$(awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" 'BEGIN { if (n > 0) printf "%.1f", ticks / hz * 1e6 / n; else print "?" }')
        echo "| $workers | $route | $rps | $p50 | $p99 | $errors | $cpu_us | $(worker_pss) |"
    done
    for _ in $(seq 10); do
        curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -X POST "http://127.0.0.1:$port/api/reload"
        sleep 0.5  # under nginx's limit_req of 2 reloads per second
    done | sort -n | awk -v workers="$workers" '
        $2 != 200 { failed++ }
        { t[NR] = $1 * 1000 }
        END { printf "reload_ms workers=%s median=%.1f max=%.1f failed=%d\n", workers, t[int((NR + 1) / 2)], t[NR], failed >> "/dev/stderr" }'
    kill -TERM "$serve_pid"
    wait "$serve_pid" || echo "bench: the stack exited with status $? (see $work_dir/serve.log)" >&2
    serve_pid=""
done
