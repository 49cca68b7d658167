#!/usr/bin/env bash
# Core benchmark: parse time, training time per epoch and in total for every model,
# evaluation RMSE on the held-back test file, model file size and open time, and the
# per-request cost of recommend/similar. Prints Markdown; publishes nothing to data/model.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release >/dev/null
exec .build/release/rec-cli bench \
    --dataset dataset/ratings_train.dat \
    --evaluation-dataset dataset/ratings_test.dat \
    "$@"
