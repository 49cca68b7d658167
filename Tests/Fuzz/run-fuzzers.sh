#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz and runs each for a given time: `make fuzz`.
#
#   Tests/Fuzz/run-fuzzers.sh SECONDS [TARGET...]
#
# TARGET is JSON, Router, TitleMatcher, RatingsParser or ModelFile (default: all five). Each
# runs on a scratch copy of its committed corpus (Tests/Fuzz/Corpus/TARGET), so the committed
# seeds are never changed; new inputs and any crash, leak or timeout input are kept under
# $FUZZ_WORK (default .build-fuzz/fuzz-runs/TARGET). Exits non-zero if any target found one.
# Uses only the Swift toolchain (swiftc's -sanitize=fuzzer,address and its libFuzzer).
# FUZZ_NICE sets the niceness (default 10); FUZZ_ARGS adds libFuzzer flags.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH

seconds=${1:?usage: $0 SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(JSON Router TitleMatcher RatingsParser ModelFile)
scratch=${FUZZ_SCRATCH:-.build-fuzz}
work=${FUZZ_WORK:-$scratch/fuzz-runs}
niceness=${FUZZ_NICE:-10}

for target in "${targets[@]}"; do
    if [ ! -d "Tests/Fuzz/Corpus/$target" ]; then
        echo "unknown fuzz target '$target' (expected JSON, Router, TitleMatcher, RatingsParser or ModelFile)" >&2
        exit 2
    fi
done

# One configuration for every target: release (-O, with REC_FUZZ=1 RecCore keeps its bounds
# and overflow checks instead of -Ounchecked), ASan, and libFuzzer's coverage over all the
# code. SwiftPM's own --sanitize=fuzzer is needed so it leaves the executables' entry point to
# libFuzzer; the -Xswiftc flag then turns on both sanitizers (two separate -sanitize flags
# would keep only the last).
mkdir -p "$work"
for target in "${targets[@]}"; do
    echo "== building Fuzz$target"
    status=0
    REC_FUZZ=1 nice -n "$niceness" swift build -c release --scratch-path "$scratch" --product "Fuzz$target" \
        --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address >"$work/build.log" 2>&1 || status=$?
    grep -v "Cannot export local symbol" "$work/build.log" | tail -20
    if [ "$status" -ne 0 ]; then
        echo "building Fuzz$target failed (exit $status)" >&2
        exit 1
    fi
done

failed=()
summary=()
for target in "${targets[@]}"; do
    out="$work/$target"
    rm -rf "$out"
    mkdir -p "$out/corpus" "$out/findings"
    cp Tests/Fuzz/Corpus/"$target"/* "$out/corpus/"
    flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096
           -artifact_prefix="$out/findings/")
    case $target in
        JSON) flags+=(-dict=Tests/Fuzz/json.dict) ;;
        Router) flags+=(-dict=Tests/Fuzz/router.dict) ;;
    esac
    # FUZZ_ARGS holds whitespace-separated libFuzzer flags (none contains a space).
    read -r -a extra <<<"${FUZZ_ARGS:-}"
    flags+=("${extra[@]}")
    echo "== fuzzing $target for ${seconds}s (log: $out/log)"
    status=0
    # The Swift runtime's own backtracer would hold a crashing process for up to 30 s;
    # libFuzzer and ASan report the crash instead.
    SWIFT_BACKTRACE=enable=no nice -n "$niceness" "$scratch/release/Fuzz$target" "${flags[@]}" \
        "$out/corpus" >"$out/log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log" | tail -1)
    findings=$(find "$out/findings" -type f | wc -l)
    if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
        failed+=("$target")
        grep -E -A30 "ERROR: |fuzz property broken|Fatal error" "$out/log" | head -60 >&2 || tail -40 "$out/log" >&2
        summary+=("$target: FAILED (exit $status, ${runs:-?} runs); inputs in $out/findings")
    else
        summary+=("$target: ok, ${runs:-?} runs (${rate:-?}/s), $findings findings")
    fi
done

echo "== fuzzing summary (${seconds}s per target)"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
