#!/usr/bin/env bash
# Scaling benchmark (docs/scaling.md, "Measured scaling"): for each size, generates a seeded
# MovieLens-like ratings file (bench/synth-ratings.py), trains the default model on it as a user
# does, and measures the load (parse) time, training time and peak RSS (/usr/bin/time -v), the
# model file's size, its open and checksum time (rec-cli bench --current-model), a cold
# `rec-cli warmup` (hyperfine), and the HTTP stack on it (bench/serve.sh with 2 workers: the
# hello ceiling, POST /api/predict with the 5 most rated titles, GET /api/recommend for random
# users, and 10 timed /api/reload). Prints a Markdown table, with the load average at each step.
# Slow (the 20M default training takes about 45 minutes on 2 quiet cores), so not part of make test.
#
# usage: bash bench/scaling.sh [-s "1M 5M 20M"] [-o DIR] [-d 10s] [-p PORT] [-r] [-- TRAIN_ARGS...]
#   -s  sizes in ratings (default "1M 5M 20M")
#   -o  work folder for the data, models and logs (default /tmp/rec-scaling; nothing in the repo)
#   -d  wrk duration per route (default 10s)
#   -p  the port of the HTTP stack (default: a free one)
#   -r  reuse a model trained by an earlier run of this script with the same -o when there is
#       one (the training figures are then read from that run's saved log)
#   TRAIN_ARGS go to `rec-cli train`, e.g. -- --hyperparameter sweeps=50 (default: none, the
#   default training)
# Environment: REC_SKIP_BUILD=1 uses the existing .build/release binaries; REC_SCALING_SEED (1).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH:/usr/sbin:/sbin

sizes="1M 5M 20M"
work=/tmp/rec-scaling
duration=10s
port=""
reuse=0
while getopts "s:o:d:p:rh" option; do
    case $option in
        s) sizes=$OPTARG ;;
        o) work=$OPTARG ;;
        d) duration=$OPTARG ;;
        p) port=$OPTARG ;;
        r) reuse=1 ;;
        *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
train_args=("$@")
seed=${REC_SCALING_SEED:-1}

for tool in /usr/bin/time hyperfine wrk nginx python3; do
    command -v "$tool" >/dev/null || { echo "scaling: $tool is missing (apt-get install time hyperfine wrk nginx)" >&2; exit 1; }
done
python3 -c 'import numpy' 2>/dev/null || { echo "scaling: python3 needs numpy (pip install numpy)" >&2; exit 1; }
[[ ${REC_SKIP_BUILD:-0} == 1 ]] || swift build -c release >/dev/null
bin=$PWD/.build/release
mkdir -p "$work/logs"

load() { cut -d' ' -f1 /proc/loadavg; }

# field FILE PATTERN: the text after the last ": " of the first line of /usr/bin/time -v's
# output that contains PATTERN.
time_field() { grep -m1 -F "$2" "$1" | sed 's/.*: //'; }

# h:mm:ss or m:ss.ss as seconds.
seconds_of() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }' <<<"$1"; }

# The value column of the row of a Markdown table whose first cell starts with PATTERN.
row_value() { awk -F' [|] ' -v p="$2" 'index($1, "| " p) == 1 { sub(/ [|]$/, "", $2); print $2; exit }' "$1"; }

# The row of bench/serve.sh's table for ROUTE: "req/s p99 cpu_us".
serve_row() {
    awk -F' [|] ' -v r="$2" '$2 == r { print $3, $5, $7; exit }' "$1"
}

rows=()
for size in $sizes; do
    data=$work/data/$size
    dir=$work/d-$size
    logs=$work/logs/$size
    mkdir -p "$logs"
    stamp="seed=$seed size=$size"
    if [[ ! -f $data/ratings.dat || $(cat "$data/.stamp" 2>/dev/null || true) != "$stamp" ]]; then
        echo "scaling: generating $size ratings into $data (load $(load))" >&2
        python3 bench/synth-ratings.py --ratings "$size" --seed "$seed" --out "$data" >"$logs/synth.txt"
        printf '%s' "$stamp" >"$data/.stamp"
    fi
    ratings=$(wc -l <"$data/ratings.dat")

    if ((reuse)) && [[ -f $dir/model/CURRENT && -f $logs/train.err ]]; then
        echo "scaling: $size: reusing the model trained earlier in $dir" >&2
    else
        rm -rf "$dir"
        mkdir -p "$dir"
        load_train=$(load)
        echo "scaling: $size: training (load $load_train; rec-cli train ${train_args[*]:-})" >&2
        REC_DATA_DIR=$dir REC_VERBOSE=1 /usr/bin/time -v "$bin/rec-cli" train \
            --dataset="$data/ratings.dat" --movies="$data/movies.dat" "${train_args[@]}" \
            >"$logs/train.out" 2>"$logs/train.err"
        printf '%s %s\n' "$load_train" "$(load)" >"$logs/train.load"
    fi
    train_seconds=$(seconds_of "$(time_field "$logs/train.err" "Elapsed (wall clock) time")")
    peak_mib=$(awk -v kb="$(time_field "$logs/train.err" "Maximum resident set size")" 'BEGIN { printf "%.0f", kb / 1024 }')
    # `|| true`: without a match grep exits 1, and under pipefail the bare assignment would end
    # the script silently; a missing figure is reported instead.
    load_seconds=$(grep -m1 -F "loaded training data" "$logs/train.err" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' || true)
    [[ -n $load_seconds ]] || { echo "scaling: no 'loaded training data' line in $logs/train.err" >&2; exit 1; }
    cpu_seconds=$(awk -v u="$(time_field "$logs/train.err" "User time")" -v s="$(time_field "$logs/train.err" "System time")" 'BEGIN { printf "%.0f", u + s }')
    ranking_seconds=$(grep -m1 -F "built the ranking model" "$logs/train.err" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' || true)
    ranking_seconds=$(awk -v s="${ranking_seconds:-0}" 'BEGIN { printf "%.0f", s }')
    validation=$(grep -m1 -F "trained final model" "$logs/train.err" | sed -n 's/.*validation_rmse=\([0-9.]*\).*/\1/p' || true)
    read -r train_load_start train_load_end <"$logs/train.load"

    generation=$(cat "$dir/model/CURRENT")
    model_file=$dir/model/model-$generation.recmodel
    file_mib=$(awk -v b="$(stat -c %s "$model_file")" 'BEGIN { printf "%.1f", b / 1048576 }')

    load_open=$(load)
    REC_DATA_DIR=$dir "$bin/rec-cli" bench --current-model --repetitions 5 >"$logs/bench.md"
    open_ms=$(row_value "$logs/bench.md" "open (mmap")
    checksum_ms=$(row_value "$logs/bench.md" "full checksum")
    hyperfine --style none --warmup 1 --runs 5 --export-json "$logs/warmup.json" \
        "env REC_DATA_DIR=$dir $bin/rec-cli warmup" >/dev/null
    warmup_ms=$(python3 -c 'import json, sys; print("%.0f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$logs/warmup.json")

    # The predict body: the 5 most rated movies' titles, rated 5 4 5 4 3 (like bench/predict.json).
    awk -F'::' '{ n[$2]++ } END { for (m in n) print n[m], m }' "$data/ratings.dat" | sort -k1,1nr -k2,2n | awk 'NR <= 5' |
        awk 'NR == FNR { top[$2] = NR; next } ($1 in top) { split($0, f, "::"); t[top[$1]] = f[2] }
             END { printf "[["; for (i = 1; i <= 5; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), t[i]; print "],[5,4,5,4,3]]" }' \
            - FS='::' "$data/movies.dat" >"$logs/predict.json"
    users=$(awk -F'::' '$1 > max { max = $1 } END { print max }' "$data/ratings.dat")

    load_serve=$(load)
    serve_env=(REC_SKIP_BUILD=1 "REC_BENCH_MODEL_DIR=$dir/model" "REC_BENCH_USERS=$users")
    [[ -z $port ]] || serve_env+=("REC_BENCH_PORT=$port")
    env "${serve_env[@]}" bash bench/serve.sh -w 2 -d "$duration" \
        /bench/hello "POST:/api/predict:$logs/predict.json" SCRIPT:bench/recommend.lua \
        >"$logs/serve.md" 2>"$logs/serve.err" || { cat "$logs/serve.err" >&2; exit 1; }
    read -r hello_rps _ _ <<<"$(serve_row "$logs/serve.md" /bench/hello)"
    read -r predict_rps predict_p99 predict_us <<<"$(serve_row "$logs/serve.md" "POST:/api/predict:$logs/predict.json")"
    read -r recommend_rps recommend_p99 recommend_us <<<"$(serve_row "$logs/serve.md" SCRIPT:bench/recommend.lua)"
    reload=$(sed -n 's/^reload_ms workers=2 median=\([0-9.]*\) max=\([0-9.]*\) failed=0$/\1 \/ \2/p' "$logs/serve.err")
    [[ -n $reload ]] || { echo "scaling: $size: a reload failed or was not timed:" >&2; grep reload_ms "$logs/serve.err" >&2 || true; exit 1; }
    pss=$(awk -F' [|] ' '$2 == "SCRIPT:bench/recommend.lua" { sub(/ [|]$/, "", $8); print $8 }' "$logs/serve.md")
    load_end=$(load)

    rows+=("| $size ($ratings) | $load_seconds s | $train_seconds s / $cpu_seconds s | $ranking_seconds s | ${validation:-?} | $peak_mib MiB | $file_mib MiB | $open_ms / $checksum_ms | $warmup_ms ms | ${reload:-?} ms | $hello_rps | $predict_rps / $predict_p99 / $predict_us µs | $recommend_rps / $recommend_p99 / $recommend_us µs | $pss MiB | $train_load_start→$train_load_end, $load_open, $load_serve→$load_end |")
    echo "scaling: $size done: ${rows[-1]}" >&2
done

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); seed $seed; rec-cli train ${train_args[*]:-(default)}; wrk -t2 -c32 -d$duration, 2 workers"
echo
echo "| ratings | load (parse + index) | train wall / CPU (user + sys) | of which ranking model (wall) | validation RMSE | peak RSS | model file | open / checksum | rec-cli warmup | reload median / max | hello req/s | predict req/s / p99 / CPU per request | recommend req/s / p99 / CPU per request | PSS per worker | load average: train, open, serve |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
