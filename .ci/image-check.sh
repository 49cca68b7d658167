#!/usr/bin/env bash
# `make image-check`: builds the project's real Dockerfile without Docker and without a registry,
# then runs the image's own entrypoint and healthcheck and serves a request through nginx.
#
#  1. Base images, cached between runs (REC_IMAGE_CHECK_REFRESH=1 rebuilds them):
#     - localhost/recserve-bookworm-minbase: `debootstrap --variant=minbase bookworm` with the same
#       apt sources as debian:bookworm-slim (the tarball is kept in $REC_CI_CACHE);
#     - localhost/recserve-swift-builder: that base plus the Swift toolchain's system libraries.
#       The toolchain itself (/opt/swift, 3 GB) and the GitHub package mirror (/opt/swift-packages,
#       which git reaches through insteadOf) are bind-mounted into the build, not copied.
#  2. `podman build --isolation=chroot` of ./Dockerfile with SWIFT_IMAGE and RUNTIME_IMAGE pointed
#     at those images: the Dockerfile is byte for byte the one GitHub builds.
#  3. The image's filesystem is exported and its ENTRYPOINT/CMD/ENV/USER/HEALTHCHECK are read from
#     the image config and run under chroot, in private mount and PID namespaces, with a fresh
#     data folder bound at /app/data (podman cannot run containers on this machine).
#  4. The host's nginx serves deploy/nginx.compose.conf, rewritten to the chroot's worker port;
#     /api/health, /api/predict, the web page at /, /api/openapi.yaml (from compose's mounts of
#     web/ and docs/) and nginx's own JSON errors are checked; then SIGTERM must drain.
#     The tools the Kubernetes manifests take from the image (rclone, tini, the web page, the
#     liveness mode of rec-healthcheck) are checked too.
# Every process it starts and every mount dies with it (trap + namespaces); it prints timings.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${REC_CI_CACHE:-/var/cache/recserve}
swift_root=${SWIFT_ROOT:-/opt/swift}
package_mirror=${SWIFT_PACKAGE_MIRROR:-/opt/swift-packages}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
base_image=localhost/recserve-bookworm-minbase:latest
builder_image=localhost/recserve-swift-builder:latest
image=${REC_IMAGE_CHECK_TAG:-localhost/recserve:image-check}
# The automatic first training uses the quick baseline model unless asked for the real default:
# the check is about packaging, and `make test` already covers training quality.
train_args=${REC_IMAGE_CHECK_TRAIN_ARGS---model baseline}
healthy_timeout=${REC_IMAGE_CHECK_HEALTHY_TIMEOUT:-900}
label=io.recserve.image-check

log() { printf '[image-check %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    log "FAILED: $*"
    exit 1
}
declare -a timings=()
checks=0 # assertions that held; printed as the closing "N passed, 0 failed" line
passed() { checks=$((checks + 1)); }
t_start=$SECONDS
phase_start=$SECONDS
phase_done() { # phase_done NAME: records how long the phase since the last call took
    timings+=("$(printf '%-28s %4ds' "$1" $((SECONDS - phase_start)))")
    phase_start=$SECONDS
}

# --- cleanup -------------------------------------------------------------------------------
work=$(mktemp -d /tmp/recserve-image-check.XXXXXX)
ns_pid='' init_pid='' nginx_pid='' ctr=''
cleanup() {
    local status=$?
    set +e
    [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    # SIGKILL to the PID namespace's init kills every process in it, and the last one out takes
    # the namespace's mounts with it. (unshare's --kill-child alone is not enough: the kernel
    # forgets the parent-death signal when chroot --userspec changes the uid.)
    [[ -n $init_pid ]] && kill -KILL "$init_pid" 2>/dev/null
    if [[ -n $ns_pid ]]; then
        kill -KILL "$ns_pid" 2>/dev/null
        wait "$ns_pid" 2>/dev/null
    fi
    [[ -n $ctr ]] && podman rm -f "$ctr" >/dev/null 2>&1
    # Mounts only ever live in the private namespace, but never delete through one.
    if findmnt -rn -o TARGET | grep -q "^$work/"; then
        findmnt -rn -o TARGET | grep "^$work/" | sort -r | xargs -r -n1 umount -l
    fi
    if [[ -d $work ]]; then
        # Kept for a look after the run: the temporary folder goes.
        rm -rf "$cache/image-check-logs" && mkdir -p "$cache/image-check-logs" &&
            cp "$work"/*.log "$cache/image-check-logs/" 2>/dev/null
    fi
    if ((status != 0)) && [[ -d $work ]]; then
        log "logs of this run: $cache/image-check-logs/"
        for f in "$work"/*.log; do
            [[ -s $f ]] || continue
            log "--- last lines of $(basename "$f")"
            tail -n 40 "$f" >&2
        done
    fi
    rm -rf --one-file-system "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools ---------------------------------------------------------------------------------
need=()
command -v podman >/dev/null || need+=(podman)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
command -v pgrep >/dev/null || need+=(procps)
command -v nsenter >/dev/null || need+=(util-linux)
if ((${#need[@]})); then
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[[ $(id -u) == 0 ]] || die "run as root (debootstrap, chroot and mounts need it)"
[[ -x $swift_root/usr/bin/swift ]] || die "no Swift toolchain at $swift_root"
grep -q '"rec-fcgi"' Package.swift ||
    die "Package.swift has no rec-fcgi product yet: the image needs the FastCGI server (merge the fcgi work first)"
phase_done "tools"

# --- 1. base images ------------------------------------------------------------------------
mkdir -p "$cache"
exec 8>"$cache/image-check.lock"
# Two checks at once would race on the cached bases and the image tag.
flock 8

if [[ ${REC_IMAGE_CHECK_REFRESH:-0} == 1 ]]; then
    log "refresh requested: dropping cached base images"
    podman rmi -f "$builder_image" "$base_image" >/dev/null 2>&1 || true
    rm -f "$cache"/bookworm-minbase-r*.tar
fi

# Bump base_rev when the preparation below changes: it names the cached tarball and labels the
# images built on it, so a stale cache is never used.
base_rev=2
base_tar="$cache/bookworm-minbase-r$base_rev.tar"
if [[ ! -s $base_tar ]]; then
    log "debootstrap --variant=minbase bookworm (cold run only)"
    rootfs="$work/minbase"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        die "debootstrap failed (see above)"
    # The apt sources of debian:bookworm-slim: the point release, updates and security, so the
    # runtime stage gets the same fixed libfcgi a real build gets.
    rm -f "$rootfs/etc/apt/sources.list"
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    # Like the slim image: no downloaded .debs, lists, docs or man pages, and dpkg keeps it so.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
DPKG
    # The official images' apt settings: no 80 MB of package caches left in a layer by
    # `apt-get update`, no translations.
    cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
    echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
    rm -f "$rootfs"/var/cache/apt/*.bin
    tar -C "$rootfs" --numeric-owner -cf "$base_tar.partial" .
    mv "$base_tar.partial" "$base_tar"
    rm -rf --one-file-system "$rootfs"
    phase_done "debootstrap base"
fi
if [[ $(podman image inspect --format "{{index .Labels \"$label\"}}" "$base_image" 2>/dev/null) != "base-r$base_rev" ]]; then
    log "importing $base_tar as $base_image"
    podman import --quiet --change "LABEL $label=base-r$base_rev" --change 'CMD ["bash"]' \
        "$base_tar" "$base_image" >/dev/null
    phase_done "import base"
fi

# The toolchain's version is a label of the builder image: a new /opt/swift makes a new builder
# image, which invalidates the cached build layers that were compiled with the old one.
builder_key="$("$swift_root/usr/bin/swift" --version 2>/dev/null | head -n1), base-r$base_rev"
if [[ $(podman image inspect --format "{{index .Labels \"$label.swift\"}}" "$builder_image" 2>/dev/null) != "$builder_key" ]]; then
    log "building $builder_image for: $builder_key"
    mkdir -p "$work/builder"
    cat >"$work/builder/Containerfile" <<CONTAINERFILE
FROM $base_image
# What the official swift:*-bookworm images install for the toolchain and for linking, plus git
# (SwiftPM) and pkg-config. The toolchain is mounted at $swift_root at build time.
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
      binutils gcc libc6-dev libgcc-12-dev libstdc++-12-dev zlib1g-dev uuid-dev \\
      libcurl4 libxml2 libedit2 libncurses6 libsqlite3-0 libicu72 libz3-4 \\
      git pkg-config ca-certificates tzdata \\
    && rm -rf /var/lib/apt/lists/*
# SwiftPM's GitHub URLs resolve to the mirror mounted at $package_mirror, as on the host.
RUN git config --system url.$package_mirror/.insteadOf https://github.com/ \\
    && git config --system --add safe.directory '*'
ENV PATH=$swift_root/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL $label.swift="$builder_key"
CONTAINERFILE
    podman build --isolation=chroot --pull=never --format docker --quiet \
        -t "$builder_image" "$work/builder" >"$work/builder-image.log" 2>&1 ||
        die "building $builder_image failed"
    phase_done "builder image"
fi

# --- 2. the project's Dockerfile -----------------------------------------------------------
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
git_sha=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
log "podman build of ./Dockerfile (SWIFT_IMAGE=$builder_image RUNTIME_IMAGE=$base_image)"
podman build --isolation=chroot --pull=never --format docker --layers \
    --volume "$swift_root:$swift_root:ro" --volume "$package_mirror:$package_mirror:ro" \
    --build-arg SWIFT_IMAGE="$builder_image" --build-arg RUNTIME_IMAGE="$base_image" \
    --build-arg BUILD_DATE="$build_date" --build-arg GIT_SHA="$git_sha" \
    -t "$image" -f Dockerfile . >"$work/build.log" 2>&1 || die "podman build failed"
phase_done "podman build"
# Earlier builds' layers (they inherit the bases' label) would fill the disk run by run. Keep
# every layer this build used or made (the "-->" lines): they are the next run's cache.
mapfile -t keep < <(grep -oE '^--> (Using cache )?[0-9a-f]{11,64}' "$work/build.log" | awk '{print substr($NF, 1, 11)}')
podman images --all --no-trunc --filter dangling=true --filter "label=$label" --format '{{.ID}}' |
    sed 's/^sha256://' | while read -r id; do
        [[ " ${keep[*]} " == *" ${id:0:11} "* ]] || podman rmi "$id" >/dev/null 2>&1 || true
    done
phase_done "prune old layers"
image_size=$(podman image inspect --format '{{.Size}}' "$image")
log "image $image: $((image_size / 1000 / 1000)) MB"

# --- 3. export and start the entrypoint under chroot ----------------------------------------
root="$work/rootfs"
mkdir -p "$root"
# --no-healthcheck: podman would try to schedule it with systemd timers, which is not ours to do.
ctr=$(podman create --no-healthcheck "$image")
podman export "$ctr" | tar -C "$root" --numeric-owner -xf -
podman rm -f "$ctr" >/dev/null
ctr=''
podman image inspect "$image" >"$work/inspect.json"
phase_done "export filesystem"

# The image config, as `docker run` would apply it. NUL-separated to keep every argument whole.
cfg() { python3 - "$work/inspect.json" "$1" <<'PY'
import json, sys
inspect = json.load(open(sys.argv[1]))[0]
config = inspect["Config"]
what = sys.argv[2]
if what == "argv":
    argv = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
elif what == "health":
    # podman keeps a docker-format image's HEALTHCHECK beside, not inside, Config.
    test = (config.get("Healthcheck") or inspect.get("Healthcheck") or {}).get("Test") or []
    argv = test[1:] if test[:1] == ["CMD"] else (["/bin/sh", "-c", test[1]] if test[:1] == ["CMD-SHELL"] else [])
elif what == "env":
    argv = config.get("Env") or []
elif what in ("User", "WorkingDir"):
    argv = [config.get(what) or ""]
sys.stdout.write("".join(a + "\0" for a in argv))
PY
}
mapfile -d '' -t run_argv < <(cfg argv)
mapfile -d '' -t health_argv < <(cfg health)
mapfile -d '' -t image_env < <(cfg env)
user=$(cfg User | tr -d '\0')
workdir=$(cfg WorkingDir | tr -d '\0')
((${#run_argv[@]})) || die "the image has no ENTRYPOINT/CMD"
((${#health_argv[@]})) || die "the image has no HEALTHCHECK (was it built with --format docker?)"
[[ -n $user && $user != root && $user != 0* ]] || die "the image runs as root (USER=$user)"
[[ ! -e $root/app/data/model/CURRENT ]] || die "the image has a model baked in"
[[ -z $(find "$root/app/data" -type f) ]] || die "the image has files in /app/data: $(find "$root/app/data" -type f | head -3)"
passed

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fcgi_port=$(free_port)
http_port=$(free_port)
# The container's environment, with the listen address moved to a free loopback port: chroot
# shares the host's network, where 9000 may be taken.
run_env=("${image_env[@]}" "REC_LISTEN=tcp:127.0.0.1:$fcgi_port" "REC_WORKERS=2" "REC_GRACE_SECONDS=10"
    "REC_TRAIN_ARGS=$train_args" "HOSTNAME=image-check")

data="$work/data"
mkdir -p "$data"
chown "${user%%:*}:${user#*:}" "$data"
chmod 755 "$work"

log "starting ${run_argv[*]} as $user (worker on 127.0.0.1:$fcgi_port)"
# unshare: own mount and PID namespaces. The inner shell mounts /proc, /dev and the data folder
# into the exported root, then becomes the container's process 1 via exec, as under `docker run`.
# shellcheck disable=SC2016 # the single-quoted script expands its own positional parameters
unshare --mount --pid --fork --kill-child --propagation private -- \
    bash -c 'set -e; root=$1 data=$2 user=$3 workdir=$4; shift 4
        mount --bind "$data" "$root/app/data"
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs tmpfs "$root/tmp"
        exec chroot --userspec="$user" "$root" /usr/bin/env -i -C "$workdir" "$@"' \
    bash "$root" "$data" "$user" "${workdir:-/}" "${run_env[@]}" "${run_argv[@]}" \
    >"$work/worker.log" 2>&1 8>&- &
ns_pid=$!
# The namespace's process 1 (host pid), for `docker exec`-like entry and for cleanup.
# `|| true`: pgrep exits 1 while the child is not up yet, and under `set -euo pipefail` that
# would end this script silently instead of polling again.
for _ in $(seq 100); do
    init_pid=$(pgrep -P "$ns_pid" | head -n1 || true)
    [[ -n $init_pid ]] && break
    sleep 0.05
done
[[ -n $init_pid ]] || die "the container's process 1 did not start"

in_container() { # in_container CMD...: like `docker exec`, in the running container's namespaces
    nsenter --target "$init_pid" --mount --pid -- \
        chroot --userspec="$user" "$root" /usr/bin/env -i -C "${workdir:-/}" "${run_env[@]}" "$@"
}

log "waiting for the image's HEALTHCHECK (${health_argv[*]}) to pass"
deadline=$((SECONDS + healthy_timeout))
until in_container "${health_argv[@]}" >"$work/health.log" 2>&1; do
    kill -0 "$ns_pid" 2>/dev/null || die "the container exited before it became healthy"
    ((SECONDS < deadline)) || die "not healthy after ${healthy_timeout}s"
    sleep 2
done
log "healthy: $(tr -d '\n' <"$work/health.log")"
passed
in_container /usr/local/bin/rec-healthcheck --live >"$work/health-live.log" 2>&1 ||
    die "rec-healthcheck --live (the Kubernetes liveness probe) failed: $(cat "$work/health-live.log")"
passed
# What the Kubernetes sync sidecar and nginx pods take from the image (deploy/k8s): rclone,
# which rec-cli runs for S3, with the CA bundle; tini, the sidecar's process 1; the web page.
in_container rclone version >"$work/rclone.log" 2>&1 || die "rclone does not run in the image: $(cat "$work/rclone.log")"
in_container tini --version >>"$work/rclone.log" 2>&1 || die "tini does not run in the image"
[[ -s $root/etc/ssl/certs/ca-certificates.crt ]] || die "the image has no CA bundle for rclone's HTTPS"
[[ -f $root/app/web/index.html && -f $root/app/docs/openapi.yaml ]] || die "the image lacks /app/web or /app/docs/openapi.yaml"
log "sidecar tools: $(head -n1 "$work/rclone.log"), $(tail -n1 "$work/rclone.log")"
passed
grep -q 'training the default model' "$work/worker.log" || die "the entrypoint did not train a first model"
[[ -s $data/model/CURRENT ]] || die "no model/CURRENT in the bound data folder"
passed
phase_done "start to healthy"

# --- 4. nginx with the compose config ------------------------------------------------------
# deploy/nginx.compose.conf is written for the official nginx image (conf.d, `resolve`, Docker's
# DNS at 127.0.0.11). Point it at the chroot's worker and at files under $work instead; the
# host's nginx 1.22 predates `resolve`, which only matters for re-resolving scaled containers.
ngx="$work/nginx"
mkdir -p "$ngx"
# What compose mounts into the nginx container (docker-compose.yaml): the web page and docs/ for
# /api/openapi.yaml, copied where nginx's unprivileged workers can read them.
cp -r web "$ngx/web"
mkdir -p "$ngx/docs" && cp docs/openapi.yaml "$ngx/docs/"
sed -e "s|server worker:9000 resolve;|server 127.0.0.1:$fcgi_port;|" \
    -e '/^[[:space:]]*resolver[[:space:]]/d' \
    -e "s|listen 5000[^;]*;|listen 127.0.0.1:$http_port;|" \
    -e "s|listen \[::\]:5000;||" \
    -e "s|/var/log/nginx/|$ngx/|g" \
    -e "s|/usr/share/recserve/web|$ngx/web|g" \
    -e "s|/srv/recserve/docs/|$ngx/docs/|g" \
    deploy/nginx.compose.conf >"$ngx/recserve.conf"
grep -q "127.0.0.1:$fcgi_port" "$ngx/recserve.conf" || die "nginx.compose.conf has no 'server worker:9000 resolve;' line"
cat >"$ngx/nginx.conf" <<NGINX
# The official image's nginx.conf, reduced: conf.d snippets are included inside http {}.
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log notice;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $ngx/client_body;
    fastcgi_temp_path $ngx/fastcgi;
    proxy_temp_path $ngx/proxy;
    uwsgi_temp_path $ngx/uwsgi;
    scgi_temp_path $ngx/scgi;
    include $ngx/recserve.conf;
}
NGINX
nginx -t -q -p "$ngx" -c "$ngx/nginx.conf" 2>"$work/nginx-test.log" || die "nginx -t rejected the config: $(cat "$work/nginx-test.log")"
nginx -p "$ngx" -c "$ngx/nginx.conf" -g 'daemon off;' >"$work/nginx.log" 2>&1 8>&- &
nginx_pid=$!
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$http_port/" && break
    sleep 0.1
done
phase_done "nginx up"

base="http://127.0.0.1:$http_port"
request() { # request NAME EXPECTED_STATUS CURL_ARGS...: saves the body to $work/NAME.json
    local name=$1 want=$2 got
    shift 2
    got=$(curl -sS -D "$work/$name.headers" -o "$work/$name.json" -w '%{http_code}' --max-time 30 "$@") ||
        die "$name: curl failed"
    [[ $got == "$want" ]] || die "$name: HTTP $got, want $want: $(head -c 500 "$work/$name.json")"
    grep -qi '^x-request-id: [0-9a-f]\{32\}' "$work/$name.headers" || die "$name: no X-Request-Id header"
    passed
    log "$name: HTTP $got $(head -c 200 "$work/$name.json")"
}
json_check() { # json_check NAME PYTHON_EXPR: the expression over `j` (the parsed body) must hold
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
        "$work/$1.json" "$2" || die "$1: body fails: $2"
    passed
}
request health 200 "$base/api/health"
json_check health 'j["status"] == "ok" and isinstance(j["generation"], int)'
request predict 200 -X POST -H 'Content-Type: application/json' \
    --data '[["Toy Story","Heat (1995)"],[5,4]]' "$base/api/predict"
json_check predict 'len(j) == 2 and len(j[0]) == len(j[1]) == 20 and "Toy Story (1995)" not in j[0] and j[1] == sorted(j[1], reverse=True)'
request info 200 "$base/api/info"
json_check info "j['service']['build_date'] == '$build_date' and j['service']['git_sha'] == '$git_sha'"
# The web page and the API document, from compose's mounts of web/ and docs/.
request web_page 200 "$base/"
grep -q '<title>RecServe' "$work/web_page.json" || die "web_page: / is not the web page"
passed
request web_module 200 "$base/app.js"
grep -qi '^content-type: text/javascript' "$work/web_module.headers" || die "web_module: app.js is not served as JavaScript"
passed
request openapi 200 "$base/api/openapi.yaml"
cmp -s "$work/openapi.json" docs/openapi.yaml || die "openapi: /api/openapi.yaml is not docs/openapi.yaml byte for byte"
passed
# nginx's own answers keep the API's error shape.
head -c $((65 * 1024)) /dev/zero | tr '\0' 'x' >"$work/big.body"
request too_large 413 -X POST --data-binary "@$work/big.body" "$base/api/predict"
json_check too_large 'j["error"]["code"] and j["error"]["message"] and len(j["error"]["request_id"]) == 32'
phase_done "requests"

# --- 5. graceful stop ----------------------------------------------------------------------
log "SIGTERM to the container's process 1 ($(tr '\0' ' ' <"/proc/$init_pid/cmdline"))"
stop_start=$SECONDS
kill -TERM "$init_pid"
stop_deadline=$((SECONDS + 15))
while kill -0 "$ns_pid" 2>/dev/null; do
    ((SECONDS < stop_deadline)) || die "still running 15s after SIGTERM (compose's stop_grace_period)"
    sleep 0.2
done
stop_status=0
wait "$ns_pid" || stop_status=$?
ns_pid='' init_pid=''
((stop_status == 0 || stop_status == 143)) || die "the worker exited $stop_status on SIGTERM"
log "stopped in $((SECONDS - stop_start))s (exit $stop_status)"
passed
request bad_gateway 502 "$base/api/health"
json_check bad_gateway 'j["error"]["code"] and len(j["error"]["request_id"]) == 32'
phase_done "graceful stop"

log "timings:"
for t in "${timings[@]}"; do log "  $t"; done
log "  total                        $((SECONDS - t_start))s"
log "image size: $image_size bytes ($((image_size / 1024 / 1024)) MiB); base: $(tar -xOf "$base_tar" ./etc/debian_version 2>/dev/null || echo '?')"
echo "image-check: $checks passed, 0 failed"
