#!/usr/bin/env bash
# Container health check: asks this container's own FastCGI worker pool for /api/health over
# FastCGI (no nginx involved) with cgi-fcgi from libfcgi-bin, and succeeds only on a 200 whose
# body says "status": "ok". A 503 (no model loaded yet) or no answer is unhealthy.
#
#   rec-healthcheck          ready: a model is served (Docker's HEALTHCHECK, a readiness probe)
#   rec-healthcheck --live   alive: a worker answered with the health shape, model or not, so a
#                            pool that is only waiting for its first model (a 503 "unavailable")
#                            passes; no answer, or any other answer, fails (a liveness probe)
# The address follows REC_LISTEN, the variable rec-fcgi listens on, so the check and the server
# cannot disagree: tcp:0.0.0.0:9000 is asked on 127.0.0.1:9000, unix:PATH on PATH.
set -euo pipefail

mode=ready
case ${1:-} in
'') ;;
--live) mode=live ;;
*)
    echo "usage: rec-healthcheck [--live]" >&2
    exit 2
    ;;
esac

listen=${REC_LISTEN:-unix:${REC_DATA_DIR:-/app/data}/run/rec-fcgi.sock}
case $listen in
tcp:*)
    hostport=${listen#tcp:}
    host=${hostport%:*}
    port=${hostport##*:}
    # A wildcard bind address is not something to connect to.
    case $host in '' | 0.0.0.0 | '*' | '[::]') host=127.0.0.1 ;; esac
    target="$host:$port"
    ;;
unix:*) target=${listen#unix:} ;;
*)
    echo "healthcheck: cannot parse REC_LISTEN=$listen (want tcp:HOST:PORT or unix:PATH)" >&2
    exit 1
    ;;
esac

# cgi-fcgi sends its whole environment as FastCGI params: start from an empty one and set only
# what a web server would send for `GET /api/health`.
response=$(env -i \
    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=GET \
    SCRIPT_NAME=/api/health DOCUMENT_URI=/api/health REQUEST_URI=/api/health QUERY_STRING= \
    CONTENT_LENGTH=0 REMOTE_ADDR=127.0.0.1 SERVER_NAME=localhost SERVER_PORT=0 \
    REQUEST_ID="healthcheck-$$" \
    timeout "${REC_HEALTH_TIMEOUT:-5}" cgi-fcgi -bind -connect "$target" </dev/null) || {
    echo "healthcheck: no FastCGI answer from $target" >&2
    exit 1
}

# A FastCGI responder's output is CGI: headers, a blank line, the body. No Status header is 200.
headers=${response%%$'\r\n\r\n'*}
body=${response#*$'\r\n\r\n'}
if [[ $headers == "$response" ]]; then # bare \n\n separators
    headers=${response%%$'\n\n'*}
    body=${response#*$'\n\n'}
fi
status=200
if [[ $headers =~ (^|$'\n')[Ss]tatus:\ *([0-9]{3}) ]]; then
    status=${BASH_REMATCH[2]}
fi
printf '%s\n' "$body"
if [[ $mode == live ]]; then
    # The worker's own health shape, 200 "ok" or 503 "unavailable": some worker process is up
    # and answering. nginx is not involved, so a 503 here can only come from the pool.
    if [[ $status == 200 || $status == 503 ]] && [[ $body =~ \"status\"\ *:\ *\"(ok|unavailable)\" ]]; then
        exit 0
    fi
    echo "healthcheck: $target answered $status, not the pool's health answer" >&2
    exit 1
fi
if [[ $status != 200 ]] || ! [[ $body =~ \"status\"\ *:\ *\"ok\" ]]; then
    echo "healthcheck: $target answered $status" >&2
    exit 1
fi
