#!/usr/bin/env bash
# The Prometheus that `./berth up` runs beside the core (Debian's prometheus package, installed by ci/bootstrap.sh):
# observability/prometheus/prometheus.yml and its rules, pointed at the core's HTTP service discovery.
#
#   ci/prometheus.sh start   render the config into $BERTH_STATE/prometheus/config (the core address from
#                            $BERTH_SERVER, default http://127.0.0.1:7070; the bearer token from
#                            $BERTH_STATE/prometheus.token, a discovery token the core writes: it lists Pods and reads
#                            the service discovery, nothing else — never the admin token),
#                            check it with promtool, start Prometheus on $BERTH_PROMETHEUS_PORT (default 9090) and wait
#                            until it is ready. Idempotent: a running one gets the fresh config (SIGHUP reload).
#   ci/prometheus.sh stop    stop the Prometheus this script started.
#   ci/prometheus.sh status  exit 0 when it answers /-/ready.
#
# Files: $BERTH_STATE/prometheus/{config/,data/,prometheus.pid,prometheus.log}.
source "$(dirname "$0")/lib.sh"

PORT="${BERTH_PROMETHEUS_PORT:-9090}"
CORE="${BERTH_SERVER:-http://127.0.0.1:7070}"
DIR="$BERTH_STATE/prometheus"
CONFIG="$DIR/config/prometheus.yml"
PID_FILE="$DIR/prometheus.pid"
LOG="$DIR/prometheus.log"
URL="http://127.0.0.1:$PORT"

our_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONFIG" || return 1
  echo "$pid"
}

render() {
  local src="$BERTH_ROOT/observability/prometheus"
  [ -f "$src/prometheus.yml" ] || die "$src/prometheus.yml is missing"
  mkdir -p "$DIR/config" "$DIR/data"
  rm -rf "$DIR/config/rules"
  cp -r "$src/rules" "$DIR/config/rules"
  # the committed file targets the default core address; the token is the discovery token the core writes when it
  # starts (possibly after this; Prometheus re-reads the file at every discovery refresh)
  local token="$BERTH_STATE/prometheus.token"
  sed "s#http://127.0.0.1:7070#${CORE%/}#" "$src/prometheus.yml" >"$CONFIG"
  ln -sf "$token" "$DIR/config/core.token"
  promtool check config --syntax-only "$CONFIG" >/dev/null 2>"$DIR/check.log" || { cat "$DIR/check.log" >&2; die "the rendered $CONFIG is invalid"; }
}

start() {
  command -v prometheus >/dev/null || apt_install prometheus
  render
  if pid=$(our_pid); then
    kill -HUP "$pid"
    say "Prometheus (pid $pid) reloaded its config at $URL"
    return 0
  fi
  if curl -fsS -o /dev/null "$URL/-/ready" 2>/dev/null; then
    die "something else answers at $URL; stop it or set BERTH_PROMETHEUS_PORT"
  fi
  say "starting Prometheus on 127.0.0.1:$PORT (config $CONFIG, log $LOG)"
  setsid nohup prometheus --config.file="$CONFIG" --storage.tsdb.path="$DIR/data" --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$PORT" </dev/null >>"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  wait_for_http "$URL/-/ready" 30 || { tail -n 20 "$LOG" >&2; die "Prometheus did not become ready within 30 s (log: $LOG)"; }
  say "Prometheus ready at $URL"
}

stop() {
  local pid
  if ! pid=$(our_pid); then rm -f "$PID_FILE"; say "Prometheus not running"; return 0; fi
  say "stopping Prometheus (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" || true
  rm -f "$PID_FILE"
}

status() { curl -fsS -o /dev/null "$URL/-/ready" 2>/dev/null && echo "Prometheus up at $URL" || { echo "Prometheus down at $URL"; return 1; }; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
