#!/usr/bin/env bash
# The container registry the image build pushes to: $BERTH_REGISTRY (default 127.0.0.1:5000).
#
#   ci/registry.sh start    reuse a registry that already answers GET /v2/ with 200; otherwise (only for a
#                           127.0.0.1/localhost address) start Debian's docker-registry with our own config:
#                           no auth, filesystem storage under $BERTH_STATE/registry/data, delete enabled.
#                           Idempotent.
#   ci/registry.sh stop     stop the registry this script started (the pid in our pid file), nothing else.
#   ci/registry.sh status   say what answers at $BERTH_REGISTRY; exit 0 when it answers /v2/ with 200.
#
# Files: $BERTH_STATE/registry/{config.yml,registry.pid,registry.log,data/}.
# Debian's /etc/docker/registry/config.yml turns on htpasswd auth, so it is never used here.
source "$(dirname "$0")/lib.sh"

BERTH_REGISTRY="${BERTH_REGISTRY:-127.0.0.1:5000}"
REG_DIR="$BERTH_STATE/registry"
REG_CONFIG="$REG_DIR/config.yml"
REG_PID="$REG_DIR/registry.pid"
REG_LOG="$REG_DIR/registry.log"
REG_DATA="$REG_DIR/data"
REG_BIN=/usr/bin/docker-registry
URL="http://$BERTH_REGISTRY/v2/"

http_code() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$URL" 2>/dev/null || true; }
answers() { [ "$(http_code)" = 200 ]; }
is_local() { case "$BERTH_REGISTRY" in 127.0.0.1:*|localhost:*) return 0 ;; *) return 1 ;; esac; }

# our_pid — prints the pid from our pid file when that process is alive and really is our registry
our_pid() {
  [ -f "$REG_PID" ] || return 1
  local pid; pid=$(cat "$REG_PID" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$REG_CONFIG" || return 1
  echo "$pid"
}

write_config() {
  local port=${BERTH_REGISTRY##*:}
  mkdir -p "$REG_DATA"
  cat >"$REG_CONFIG" <<EOF
# Written by ci/registry.sh — a local, unauthenticated registry for Berth's image builds.
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $REG_DATA
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: berth-local-registry
  headers:
    X-Content-Type-Options: [nosniff]
EOF
}

start() {
  if answers; then
    say "registry answering at $URL (reusing it)"
    return 0
  fi
  local code; code=$(http_code)
  if ! is_local && [ "$code" = 401 ]; then
    say "registry answering at $URL (it requires credentials: skopeo login / docker login)"
    return 0
  fi
  if [ -n "$code" ] && [ "$code" != 000 ]; then
    die "something at $BERTH_REGISTRY answers GET /v2/ with HTTP $code (an auth-enabled registry?); stop it or set BERTH_REGISTRY"
  fi
  is_local || die "registry $BERTH_REGISTRY is not answering, and only a 127.0.0.1 registry is started here"
  mkdir -p "$REG_DIR"
  # one starter at a time (two callers at once would race for the port and the pid file)
  if command -v flock >/dev/null; then
    exec 9>"$REG_DIR/start.lock"
    flock -w 60 9 || die "timed out waiting for another ci/registry.sh start"
    if answers; then say "registry answering at $URL (started meanwhile)"; return 0; fi
  fi

  if our_pid >/dev/null; then
    # started by us but not answering yet (e.g. two callers at once): just wait for it
    say "registry (pid $(our_pid)) is starting"
  else
    [ -x "$REG_BIN" ] || apt_install docker-registry
    [ -x "$REG_BIN" ] || die "$REG_BIN not found after installing docker-registry"
    write_config
    say "starting docker-registry on 127.0.0.1:${BERTH_REGISTRY##*:} (data $REG_DATA, log $REG_LOG)"
    # setsid + nohup: the registry outlives this script and the caller's process group
    # (9>&-: the registry must not inherit, and so hold forever, the start lock)
    setsid nohup "$REG_BIN" serve "$REG_CONFIG" </dev/null >>"$REG_LOG" 2>&1 9>&- &
    echo $! >"$REG_PID"
  fi
  if ! wait_for_http "$URL" 30; then
    tail -n 20 "$REG_LOG" >&2 || true
    die "registry did not answer $URL within 30s (log: $REG_LOG)"
  fi
  say "registry ready at $URL (pid $(cat "$REG_PID"))"
}

stop() {
  local pid
  if ! pid=$(our_pid); then
    rm -f "$REG_PID"
    if answers; then say "the registry at $BERTH_REGISTRY was not started by this script: leaving it running"; else say "registry not running"; fi
    return 0
  fi
  say "stopping registry (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then warn "pid $pid still running: sending KILL"; kill -9 "$pid" || true; fi
  rm -f "$REG_PID"
}

status() {
  local pid code
  code=$(http_code)
  if pid=$(our_pid); then echo "ours: pid $pid, config $REG_CONFIG, log $REG_LOG, data $REG_DATA"; else echo "ours: not running"; fi
  if [ "$code" = 200 ]; then
    echo "registry $BERTH_REGISTRY: up (GET /v2/ -> 200)"
  else
    echo "registry $BERTH_REGISTRY: down (GET /v2/ -> ${code:-000})"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
