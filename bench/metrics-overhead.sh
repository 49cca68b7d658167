#!/usr/bin/env bash
# What the pool's shared counters cost: runs bench/serve.sh on one route with REC_METRICS=1 and
# REC_METRICS=0 alternately, back to back in one run (1, 0, 1, 0, ...), and prints each run's
# req/s and workers' CPU time per request, and the median of each setting, with the change of
# metrics on against off.
#
# usage: bash bench/metrics-overhead.sh [-r ROUNDS] [bench/serve.sh's options] [ROUTE]
#   ROUNDS (default 3) pairs of runs. Every other argument goes to bench/serve.sh as it is (its
#   -w, -c, -t and -d, with its defaults); ROUTE defaults to the similar query. One worker count
#   per run makes sense here. REC_SKIP_BUILD=1 skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
if [[ ${1:-} == -h ]]; then sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
if [[ ${1:-} == -r ]]; then
    [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "metrics-overhead: -r takes a number of rounds" >&2; exit 2; }
    rounds=$2
    shift 2
fi
serve_args=("$@")
# The route is serve.sh's last argument when it is a path; else the similar query is added.
route="/api/similar?movie_name=Toy%20Story&n=5"
if (($#)) && [[ ${!#} == /* ]]; then route=${!#}; else serve_args+=("$route"); fi

[[ ${REC_SKIP_BUILD:-0} == 1 ]] || swift build -c release --product rec-fcgi >/dev/null

declare -A runs=([1]="" [0]="") cpu=([1]="" [0]="")
echo "| run | REC_METRICS | req/s | p50 | p99 | errors | worker CPU µs per request |"
echo "|---|---|---|---|---|---|---|"
run=0
for _ in $(seq "$rounds"); do
    for metrics in 1 0; do
        run=$((run + 1))
        row=$(REC_METRICS=$metrics REC_SKIP_BUILD=1 bash bench/serve.sh "${serve_args[@]}" 2>/dev/null |
            awk -F'|' -v route="$route" 'index($3, route) > 0 { print }' | tail -1)
        [[ -n $row ]] || { echo "metrics-overhead: run $run (REC_METRICS=$metrics) printed no result" >&2; exit 1; }
        IFS='|' read -r _ _ _ rps p50 p99 errors cpu_us _ <<<"$row"
        rps=${rps// /}
        cpu_us=${cpu_us// /}
        runs[$metrics]+="$rps "
        cpu[$metrics]+="$cpu_us "
        echo "| $run | $metrics |$(printf ' %s |' "$rps" "${p50// /}" "${p99// /}" "${errors// /}" "$cpu_us")"
    done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
on=$(median "${runs[1]}")
off=$(median "${runs[0]}")
echo
awk -v on="$on" -v off="$off" 'BEGIN { printf "median req/s: metrics on %.0f, off %.0f; on is %.1f%% %s than off\n", on, off, (on > off ? on / off - 1 : 1 - on / off) * 100, (on > off ? "faster" : "slower") }'
on=$(median "${cpu[1]}")
off=$(median "${cpu[0]}")
awk -v on="$on" -v off="$off" 'BEGIN { printf "median worker CPU per request: metrics on %.1f µs, off %.1f µs (%+.1f%%)\n", on, off, (on / off - 1) * 100 }'
