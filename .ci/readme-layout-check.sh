#!/usr/bin/env bash
# Checks README.md's "Layout" table against the tree: every path it names must exist, no path
# may be named twice, and every folder under Sources/ (each target, and each concept folder
# of RecCore and RecFastCGI) must have its own row. Called by .ci/static-checks.sh.
#
#   .ci/readme-layout-check.sh [README]
set -euo pipefail
cd "$(dirname "$0")/.."
readme=${1:-README.md}

# The rows of the table that follows "## Layout", up to the next heading: the first cell's
# backquoted paths (a cell may name several, such as `Dockerfile`, `docker-compose.yaml`).
# The backquotes in the patterns are Markdown's, not command substitutions.
# shellcheck disable=SC2016
mapfile -t named < <(
    awk '/^## Layout/ { inside = 1; next } /^## / { inside = 0 } inside && /^\| `/' "$readme" |
        cut -d'|' -f2 | grep -oE '`[^`]+`' | tr -d '`' | sed 's:/$::'
)
if [[ ${#named[@]} -eq 0 ]]; then
    echo "readme-layout: no Layout table found in $readme" >&2
    exit 1
fi

failed=0
for path in "${named[@]}"; do
    if [[ ! -e $path ]]; then
        echo "readme-layout: $readme names '$path', which does not exist" >&2
        failed=1
    fi
done
duplicates=$(printf '%s\n' "${named[@]}" | sort | uniq -d)
if [[ -n $duplicates ]]; then
    echo "readme-layout: $readme names these paths more than once: $duplicates" >&2
    failed=1
fi
while read -r folder; do
    if ! grep -qxF "$folder" < <(printf '%s\n' "${named[@]}"); then
        echo "readme-layout: $readme has no row for '$folder'" >&2
        failed=1
    fi
done < <(find Sources -mindepth 1 -maxdepth 1 -type d; find Sources/RecCore Sources/RecFastCGI -mindepth 1 -maxdepth 1 -type d)
[[ $failed -eq 0 ]] && echo "readme-layout: ${#named[@]} paths, all present, every Sources folder listed"
exit "$failed"
