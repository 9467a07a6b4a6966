#!/usr/bin/env bash
# The Elasticsearch the log shipper writes to: 8.19.21 on 127.0.0.1:$BERTH_ES_PORT (default 9200).
#
#   ci/elasticsearch.sh install   unpack Maven Central's integ-test-zip once into $ES_HOME (from ~/.m2, fetched with
#                                 ./mvnw dependency:copy when missing). Idempotent.
#   ci/elasticsearch.sh start     reuse an Elasticsearch that already answers _cluster/health on the port; otherwise
#                                 install if needed and start ours: single node, security off, bound to 127.0.0.1,
#                                 heap $BERTH_ES_HEAP (512m: the default would be half the machine). Waits for
#                                 yellow and prints the URL. Idempotent.
#   ci/elasticsearch.sh stop      stop the Elasticsearch this script started (the pid in our pid file), and wait.
#   ci/elasticsearch.sh status    say what answers on the port; exit 0 when the cluster is at least yellow.
#   ci/elasticsearch.sh check-policy [FILE]
#                                 validate an ILM policy (default observability/elasticsearch/ilm-policy.json)
#                                 with Elasticsearch's own ILM parser and phase rules from x-pack-core: this
#                                 distribution has no ILM API to PUT it to. Exit 0 when valid.
#
# Elasticsearch refuses to run as root, so as root it runs as `nobody`; nobody cannot traverse /root (mode 700),
# hence the install goes to /opt/berth and the node's files to /var/lib/berth. As another user both live in
# $BERTH_STATE. The node's directory holds config/ (a copy: Elasticsearch writes its keystore there), data/,
# logs/ and the pid file. The zip bundles no JDK: the machine's Java 17+ is given as ES_JAVA_HOME.
# Overrides: BERTH_ES_PORT, BERTH_ES_HEAP, BERTH_ELASTICSEARCH_HOME (the install), BERTH_ES_DIR (the node's directory).
source "$(dirname "$0")/lib.sh"

ES_VERSION=8.19.21
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
ES_ZIP_IN_M2="$HOME/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
BERTH_ES_PORT="${BERTH_ES_PORT:-9200}"
BERTH_ES_HEAP="${BERTH_ES_HEAP:-512m}"
if [ "$(id -u)" -eq 0 ]; then
  ES_HOME="${BERTH_ELASTICSEARCH_HOME:-/opt/berth/elasticsearch-$ES_VERSION}"
  ES_DIR="${BERTH_ES_DIR:-/var/lib/berth/elasticsearch}"
  ES_USER=nobody
else
  ES_HOME="${BERTH_ELASTICSEARCH_HOME:-$BERTH_STATE/elasticsearch-$ES_VERSION}"
  ES_DIR="${BERTH_ES_DIR:-$BERTH_STATE/elasticsearch}"
  ES_USER="$(id -un)"
fi
ES_PID="$ES_DIR/elasticsearch.pid"
ES_OUT="$ES_DIR/elasticsearch.out"
URL="http://127.0.0.1:$BERTH_ES_PORT"
# no `GET /` probe: this distribution answers it with 405
HEALTH="$URL/_cluster/health?wait_for_status=yellow&timeout=1s"

healthy() { curl -fsS -o /dev/null -m 5 "$HEALTH" 2>/dev/null; }
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL/_cluster/health" 2>/dev/null || true; }
installed() { [ -f "$ES_HOME/lib/elasticsearch-$ES_VERSION.jar" ] && [ -x "$ES_HOME/bin/elasticsearch" ]; }

# our_pid — prints the pid from our pid file when that process is alive and is the node of $ES_DIR
our_pid() {
  [ -f "$ES_PID" ] || return 1
  local pid; pid=$(cat "$ES_PID" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # the settings reach the node on its stdin, not its command line; the node runs in its logs directory
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-Des.path.home=$ES_HOME " || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$ES_DIR/logs" ] || return 1
  echo "$pid"
}

# java_home — a JDK home of Java 17+ for ES_JAVA_HOME (the zip has none)
java_home() {
  ensure_java
  local java; java=$(readlink -f "$(command -v java)")
  dirname "$(dirname "$java")"
}

install() {
  if installed; then say "Elasticsearch $ES_VERSION installed in $ES_HOME"; return 0; fi
  command -v unzip >/dev/null || apt_install unzip
  local zip=$ES_ZIP_IN_M2 tmp
  tmp=$(mktemp -d)
  if [ ! -f "$zip" ]; then
    say "fetching $ES_ARTIFACT"
    (cd "$BERTH_ROOT" && ./mvnw -B -q dependency:copy -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$tmp") \
      || die "cannot fetch $ES_ARTIFACT from Maven"
    zip="$tmp/elasticsearch-$ES_VERSION.zip"
  fi
  say "unpacking Elasticsearch $ES_VERSION into $ES_HOME"
  mkdir -p "$(dirname "$ES_HOME")"
  # unpack beside the target and rename: an interrupted install leaves no half-filled $ES_HOME
  local staging; staging=$(mktemp -d "$(dirname "$ES_HOME")/.elasticsearch-unpack.XXXXXX")
  unzip -q "$zip" -d "$staging"
  chmod -R a+rX "$staging"
  rm -rf "$ES_HOME"
  mv "$staging/elasticsearch-$ES_VERSION" "$ES_HOME"
  rm -rf "$staging" "$tmp"
  installed || die "unpacked $zip but $ES_HOME/bin/elasticsearch is missing"
  say "Elasticsearch $ES_VERSION installed in $ES_HOME"
}

# prepare_dir — the node's own directory, owned by the user the node runs as
prepare_dir() {
  mkdir -p "$ES_DIR/data" "$ES_DIR/logs"
  [ -d "$ES_DIR/config" ] || cp -r "$ES_HOME/config" "$ES_DIR/config"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R "$ES_USER:" "$ES_DIR"
    runuser -u "$ES_USER" -- test -w "$ES_DIR/data" \
      || die "$ES_USER cannot write $ES_DIR/data (is a parent directory closed to others?)"
  fi
}

start() {
  if healthy; then say "Elasticsearch answering at $URL (reusing it)"; echo "$URL"; return 0; fi
  local code; code=$(http_code)
  if [ -n "$code" ] && [ "$code" != 000 ] && ! our_pid >/dev/null; then
    die "something on port $BERTH_ES_PORT answers _cluster/health with HTTP $code; stop it or set BERTH_ES_PORT"
  fi
  install
  mkdir -p "$ES_DIR"
  # one starter at a time (two callers at once would race for the port and the pid file)
  if command -v flock >/dev/null; then
    exec 9>"$ES_DIR/start.lock"
    flock -w 120 9 || die "timed out waiting for another ci/elasticsearch.sh start"
    if healthy; then say "Elasticsearch answering at $URL (started meanwhile)"; echo "$URL"; return 0; fi
  fi

  if our_pid >/dev/null; then
    say "Elasticsearch (pid $(our_pid)) is starting"
  else
    prepare_dir
    local jhome; jhome=$(java_home)
    say "starting Elasticsearch $ES_VERSION as $ES_USER on 127.0.0.1:$BERTH_ES_PORT (dir $ES_DIR, java $jhome)"
    local run=()
    [ "$(id -u)" -eq 0 ] && run=(runuser -u "$ES_USER" --)
    # -d: the launcher returns once the node is up (or failed), the node keeps running detached and writes -p
    # (9>&-: the node must not inherit, and so hold forever, the start lock)
    if ! (cd "$ES_DIR" && "${run[@]}" env ES_JAVA_HOME="$jhome" ES_PATH_CONF="$ES_DIR/config" \
          ES_JAVA_OPTS="-Xms$BERTH_ES_HEAP -Xmx$BERTH_ES_HEAP" \
          "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" \
          -E discovery.type=single-node -E xpack.security.enabled=false \
          -E network.host=127.0.0.1 -E http.port="$BERTH_ES_PORT" \
          -E path.data="$ES_DIR/data" -E path.logs="$ES_DIR/logs" \
          </dev/null >"$ES_OUT" 2>&1 9>&-); then
      tail -n 30 "$ES_OUT" >&2 || true
      die "Elasticsearch did not start (output: $ES_OUT, logs: $ES_DIR/logs)"
    fi
  fi
  if ! wait_for_http "$HEALTH" 120; then
    tail -n 20 "$ES_DIR/logs/elasticsearch.log" >&2 2>/dev/null || true
    die "Elasticsearch did not reach yellow at $URL within 120s (logs: $ES_DIR/logs)"
  fi
  say "Elasticsearch ready at $URL (pid $(cat "$ES_PID"))"
  echo "$URL"
}

stop() {
  local pid
  if ! pid=$(our_pid); then
    if healthy; then say "the Elasticsearch at $URL was not started by this script: leaving it running"; else say "Elasticsearch not running"; fi
    return 0
  fi
  say "stopping Elasticsearch (pid $pid)"
  # SIGTERM: the node closes its shards cleanly; give it time before the last resort
  kill "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then warn "pid $pid still running after 60s: sending KILL"; kill -9 "$pid" || true; fi
  rm -f "$ES_PID"
}

status() {
  local pid
  if installed; then echo "install: $ES_HOME"; else echo "install: none (ci/elasticsearch.sh install)"; fi
  if pid=$(our_pid); then echo "ours: pid $pid, dir $ES_DIR, logs $ES_DIR/logs"; else echo "ours: not running"; fi
  if healthy; then
    echo "Elasticsearch $URL: up ($(curl -fsS -m 5 "$URL/_cluster/health" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'))"
  else
    echo "Elasticsearch $URL: down (_cluster/health -> $(http_code))"
    return 1
  fi
}

# check_policy FILE — parses FILE ({"policy": {...}}, the body of PUT _ilm/policy/NAME) with x-pack-core's
# LifecyclePolicy and applies the timeseries phase rules (actions allowed per phase, rollover prerequisites, phase
# timings increasing), as PUT _ilm/policy does on a cluster that has ILM
check_policy() {
  local file; file=$(readlink -f "${1:-$BERTH_ROOT/observability/elasticsearch/ilm-policy.json}")
  [ -f "$file" ] || die "no policy file $file"
  install >/dev/null 2>&1 || install
  local jhome; jhome=$(java_home)
  [ -x "$jhome/bin/jshell" ] || die "jshell not found in $jhome (a JDK, not a JRE, is needed)"
  local script; script=$(mktemp --suffix=.jsh)
  cat >"$script" <<'JSH'
import org.elasticsearch.xcontent.*;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.elasticsearch.xpack.core.ilm.*;
var entries = new java.util.ArrayList<NamedXContentRegistry.Entry>(new org.elasticsearch.xpack.core.XPackClientPlugin().getNamedXContent());
// the actions the ILM plugin registers (the plugin is not in this distribution; its action parsers are in x-pack-core)
void action(String name, org.elasticsearch.core.CheckedFunction<XContentParser, ? extends LifecycleAction, java.io.IOException> parse) {
    entries.add(new NamedXContentRegistry.Entry(LifecycleAction.class, new ParseField(name), parse));
}
action(AllocateAction.NAME, AllocateAction::parse); action(DeleteAction.NAME, DeleteAction::parse);
action(ForceMergeAction.NAME, ForceMergeAction::parse); action(ReadOnlyAction.NAME, ReadOnlyAction::parse);
action(RolloverAction.NAME, RolloverAction::parse); action(ShrinkAction.NAME, ShrinkAction::parse);
action(FreezeAction.NAME, FreezeAction::parse); action(SetPriorityAction.NAME, SetPriorityAction::parse);
action(MigrateAction.NAME, MigrateAction::parse); action(UnfollowAction.NAME, UnfollowAction::parse);
action(WaitForSnapshotAction.NAME, WaitForSnapshotAction::parse); action(SearchableSnapshotAction.NAME, SearchableSnapshotAction::parse);
action(DownsampleAction.NAME, DownsampleAction::parse);
String file = System.getProperty("policy");
int status = 1;
try (var p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY.withRegistry(new NamedXContentRegistry(entries)), java.nio.file.Files.readString(java.nio.file.Path.of(file)))) {
    if (p.nextToken() != XContentParser.Token.START_OBJECT || p.nextToken() != XContentParser.Token.FIELD_NAME || !p.currentName().equals("policy") || p.nextToken() != XContentParser.Token.START_OBJECT) {
        throw new IllegalArgumentException("expected {\"policy\": {...}} (the body of PUT _ilm/policy/NAME)");
    }
    var policy = LifecyclePolicy.parse(p, "policy");
    policy.getType().validate(policy.getPhases().values());
    String timings = TimeseriesLifecycleType.validateMonotonicallyIncreasingPhaseTimings(policy.getPhases().values());
    if (timings != null && !timings.isEmpty()) throw new IllegalArgumentException(timings);
    System.out.println("valid ILM policy, phases " + policy.getPhases().keySet() + ": " + file);
    status = 0;
} catch (Exception e) {
    System.out.println("invalid ILM policy " + file + ":");
    for (Throwable c = e; c != null; c = c.getCause()) System.out.println("  " + (c.getMessage() == null ? c : c.getMessage()));
}
/exit status
JSH
  local cp; cp=$(find "$ES_HOME/lib" -maxdepth 1 -name '*.jar' -printf '%p:')$(find "$ES_HOME/modules/x-pack-core" -name '*.jar' -printf '%p:')
  local rc=0
  "$jhome/bin/jshell" -R-Dpolicy="$file" --class-path "$cp" "$script" </dev/null || rc=$?
  rm -f "$script"
  return $rc
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  check-policy) check_policy "${2:-}" ;;
  *) echo "usage: $0 install|start|stop|status|check-policy [FILE]" >&2; exit 2 ;;
esac
