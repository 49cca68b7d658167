#!/usr/bin/env bash
# Installs the Debian packages RecServe needs when they are missing: libfcgi-dev (the build links
# libfcgi), nginx (make serve, the HTTP tests) and rclone (the S3 client of `rec-cli publish --to`
# and `rec-cli sync --from`, docs/scaling.md). As root it runs apt-get; otherwise it names
# the missing packages and fails. Idempotent: does nothing when everything is there.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

missing=()
[[ -f /usr/include/fcgiapp.h ]] || missing+=(libfcgi-dev)
command -v nginx >/dev/null || missing+=(nginx)
command -v rclone >/dev/null || missing+=(rclone)
((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
    echo "missing packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
