# syntax=docker/dockerfile:1
# RecServe worker image: the prefork FastCGI server `rec-fcgi` plus `rec-cli`, on Debian 12.
# nginx runs in its own container (docker-compose.yaml) and talks FastCGI to port 9000.
#
# Base images are build arguments so that `make image-check` can build this very file offline
# from local images (a debootstrap'ed Debian and this machine's Swift toolchain); GitHub and
# everyone else get the official images named here.
#
#   docker build --build-arg BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
#                --build-arg GIT_SHA="$(git rev-parse --short HEAD)" -t recserve .

# Swift 6.3.1: the toolchain CI tests with (swift-tools-version 6.0 or later works).
ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

# libfcgi-dev: fcgiapp.h and libfcgi.so for the CFastCGI system-library target. Not pinned
# (DL3008): the builder's Debian suite decides the version, and only the runtime's shared
# library matters for CVE-2025-23016, which the runtime stage checks.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libfcgi-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, in their own layer: it is rebuilt only when the manifest changes, not on
# every source edit. Package.resolved is gitignored; when present it pins the versions (the
# glob makes the COPY optional).
COPY Package.swift Package.resolve[d] ./
RUN if [ -f Package.resolved ]; then swift package resolve --force-resolved-versions; \
    else swift package resolve; fi

COPY Sources ./Sources
# Tests are not built here, but SwiftPM reads the manifest's test targets and wants their folders.
COPY Tests ./Tests

# Statically linked Swift runtime and Foundation: the runtime image needs no Swift libraries.
RUN swift build -c release --static-swift-stdlib --product rec-fcgi \
    && swift build -c release --static-swift-stdlib --product rec-cli

# Everything the runtime image takes, laid out as it lands there. swift-backtrace-static gives
# symbolicated crash backtraces in the container's log (see SWIFT_BACKTRACE below).
RUN mkdir -p /staging/usr/local/bin /staging/usr/libexec/swift/linux \
    && cp .build/release/rec-fcgi .build/release/rec-cli /staging/usr/local/bin/ \
    && cp "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/libexec/swift/linux/swift-backtrace-static" \
          /staging/usr/libexec/swift/linux/

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# Lowest libfcgi that has the fix for CVE-2025-23016 (integer overflow in ReadParams). apt cannot
# pin ">=", and an exact pin breaks the build as soon as Debian ships the next security update
# and drops the old version, so install the suite's current version and refuse to build with
# anything older. libfcgi-bin brings cgi-fcgi for the HEALTHCHECK. rclone is the S3 client that
# `rec-cli publish --to` and `rec-cli sync --from` run as a child process (docs/scaling.md), with
# ca-certificates for HTTPS to the bucket; tini is process 1 of the Kubernetes sync sidecar
# (deploy/k8s), because rec-cli handles no SIGTERM and process 1 ignores unhandled signals.
ARG LIBFCGI_MIN_VERSION=2.4.2-2+deb12u1
# Not pinned with = (DL3008), for the reason above: the version floor is enforced below instead,
# and rclone, ca-certificates and tini follow the suite's security updates the same way.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libfcgi0ldbl libfcgi-bin \
         rclone ca-certificates tini \
    && rm -rf /var/lib/apt/lists/* \
    && installed="$(dpkg-query -W -f='${Version}' libfcgi0ldbl)" \
    && if ! dpkg --compare-versions "$installed" ge "$LIBFCGI_MIN_VERSION"; then \
         echo "libfcgi0ldbl $installed is older than $LIBFCGI_MIN_VERSION (CVE-2025-23016)" >&2; \
         exit 1; \
       fi \
    && echo "libfcgi0ldbl $installed"

# A fixed uid/gid, so a host folder can be chowned to it (see README, "Deploy").
ARG APP_UID=10001
RUN groupadd --system --gid "${APP_UID}" recserve \
    && useradd --system --uid "${APP_UID}" --gid recserve --home-dir /app --no-create-home \
         --shell /usr/sbin/nologin recserve

WORKDIR /app

COPY --from=build /staging/ /
COPY --chmod=755 deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY --chmod=755 deploy/healthcheck.sh /usr/local/bin/rec-healthcheck
COPY deploy/credentials.json /app/deploy/credentials.json
# The default training data (MovieLens-1M split, 14 MB) is baked in so that the image alone can
# train its first model; compose mounts ./dataset over it read-only to use the checkout's copy.
COPY dataset/ /app/dataset/
# The web page and the API document, for a front end that has no checkout: the Kubernetes nginx
# pods copy them from here (deploy/k8s), so the page always matches this image's API.
COPY web/ /app/web/
COPY docs/openapi.yaml /app/docs/openapi.yaml

# build-info.json is what /api/info shows as service.build_date and service.git_sha. Written
# after the binaries are copied so that its layer is rebuilt whenever they change. Without
# BUILD_DATE the build's own clock is used; without GIT_SHA it says "unknown".
ARG BUILD_DATE=
ARG GIT_SHA=unknown
RUN set -eu; \
    date="${BUILD_DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"; \
    for value in "$date" "$GIT_SHA"; do \
      case "$value" in *[!A-Za-z0-9:.+_-]*|'') echo "bad build arg: '$value'" >&2; exit 1;; esac; \
    done; \
    printf '{"build_date": "%s", "git_sha": "%s"}\n' "$date" "$GIT_SHA" > /app/build-info.json; \
    cat /app/build-info.json; \
    mkdir -p /app/data/model \
    && chown -R recserve:recserve /app/data

LABEL org.opencontainers.image.title="RecServe worker" \
      org.opencontainers.image.description="Movie recommender: rec-fcgi FastCGI workers and rec-cli" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.created="${BUILD_DATE}"

# tcp: containers are reached by nginx over the compose network; rec-fcgi defaults to a unix
# socket, which only works when nginx shares the filesystem.
ENV REC_DATA_DIR=/app/data \
    REC_LISTEN=tcp:0.0.0.0:9000 \
    REC_BUILD_INFO=/app/build-info.json \
    REC_DEFAULT_DATASET=/app/dataset/ratings_train.dat \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/libexec/swift/linux/swift-backtrace-static

# Numeric, so that runtimes can verify runAsNonRoot without reading /etc/passwd.
USER ${APP_UID}:${APP_UID}
# Models, the log and the run folder. A directory, never single files: model publishing swaps
# CURRENT by rename, which a single-file bind mount would not see.
VOLUME /app/data
EXPOSE 9000

# start-period covers the first container's default training (about a minute on 2 cores)
# while /api/health still answers 503.
HEALTHCHECK --interval=15s --timeout=6s --start-period=300s --retries=3 \
    CMD ["/usr/local/bin/rec-healthcheck"]

ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
# rec-fcgi drains on SIGTERM within REC_GRACE_SECONDS (default 10): give `docker stop -t` more.
STOPSIGNAL SIGTERM
CMD ["rec-fcgi"]
