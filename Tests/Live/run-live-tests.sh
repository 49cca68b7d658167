#!/usr/bin/env bash
# Live tests: the Python tests under Tests/Live (browser, OpenAPI/schemathesis, notebook, metrics,
# several hosts syncing from moto's S3 server) against real stacks that deploy/serve.sh starts, on
# the release binaries `make test` built. Installs what they need when missing: Debian's chromium,
# chromium-driver, rclone, libfcgi-bin and openjdk-17-jre-headless (for pyspark) (as root) and
# the pinned PyPI packages of requirements.txt, in a virtualenv reused while requirements.txt is
# unchanged ($REC_CI_CACHE/live-venv-HASH, default /var/cache/recserve, beside make lint's
# venv; or REC_LIVE_VENV). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH:/usr/sbin:/sbin

log() { printf 'live-tests: %s\n' "$*" >&2; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# test_multihost.py: rec-cli's S3 client (deploy/install-packages.sh installs it too).
command -v rclone >/dev/null || missing+=(rclone)
# test_stack.py: the image's rec-healthcheck talks FastCGI to the pool with cgi-fcgi.
command -v cgi-fcgi >/dev/null || missing+=(libfcgi-bin)
# test_spark.py: pyspark's local[2] JVM.
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
# Debian's own python3 ships venv (ensurepip) separately.
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]} > 0)); then
    if ((EUID != 0)); then
        log "missing packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}"
        exit 1
    fi
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# One virtualenv per requirements.txt content, installed under a lock, so that runs of other
# checkouts at the same time never delete or half-build the one this run uses.
stamp=$(sha256sum Tests/Live/requirements.txt | cut -c1-16)
venv=${REC_LIVE_VENV:-${REC_CI_CACHE:-/var/cache/recserve}/live-venv-$stamp}
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [[ ! -f $venv/.complete ]]; then
    log "installing Tests/Live/requirements.txt into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r Tests/Live/requirements.txt
    touch "$venv/.complete"
fi
flock -u 9

for binary in rec-cli rec-fcgi; do
    [[ -x .build/release/$binary ]] || { log ".build/release/$binary is missing: run make test (or make release) first"; exit 1; }
done
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q Tests/Live "$@"
