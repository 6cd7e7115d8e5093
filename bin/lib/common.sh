# Shared by the scripts in bin/: where things are, building on demand, starting and stopping
# background processes by PID. Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Absolute, so file:// URIs made from it are paths, not host names.
VAR_DIR=$(realpath -m "${MODELCAST_VAR_DIR:-$ROOT/var}")

JOB_JAR=$ROOT/job/target/job.jar
FITTER_JAR=$ROOT/fitter/target/fitter.jar
TCPSOURCE_JAR=$ROOT/tcpsource/target/tcpsource.jar
FLINK_CLASSPATH_FILE=$ROOT/job/target/flink-classpath.txt
FLINK_CONF=$ROOT/flink-conf
FLINK_LIB=$ROOT/cluster/target/lib
FLINK_CLUSTER_DIR=$VAR_DIR/flink

# A setting bin/flink-cluster recorded when it started the cluster (REST_PORT, RPC_PORT).
cluster_setting() {
  local value
  value=$(sed -n "s/^$1=//p" "$FLINK_CLUSTER_DIR/cluster.env" 2>/dev/null)
  printf '%s' "${value:-$2}"
}

# What a stock Flink distribution passes to its JVMs on Java 17 (env.java.opts.all).
FLINK_JVM_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

log() { printf '%s\n' "$*" >&2; }
die() { log "$(basename "$0"): $*"; exit 1; }

# Builds the project (without tests) if a module's jar is missing or older than a source file or
# a POM. Modules: the arguments, by default the three the product is made of. With
# MODELCAST_SKIP_BUILD=1 it only checks that the jars exist (tests inside a Maven build use it).
ensure_built() {
  local modules=("$@") stale="" jars=() module
  ((${#modules[@]})) || modules=(job fitter tcpsource)
  for module in "${modules[@]}"; do jars+=("$ROOT/$module/target/$module.jar"); done
  for jar in "${jars[@]}" "$FLINK_CLASSPATH_FILE"; do
    if [[ ! -f $jar ]]; then stale="$jar is missing"; break; fi
  done
  if [[ -z $stale && ${MODELCAST_SKIP_BUILD:-0} != 1 ]]; then
    local oldest newer sources=("$ROOT/pom.xml")
    for module in model cli "${modules[@]}"; do sources+=("$ROOT/$module/pom.xml" "$ROOT/$module/src/main"); done
    oldest=$(ls -1tr "${jars[@]}" | head -1)
    newer=$(find "${sources[@]}" -newer "$oldest" -type f -print -quit 2>/dev/null || true)
    [[ -n $newer ]] && stale="$newer changed since the last build"
  fi
  [[ -z $stale ]] && return 0
  [[ ${MODELCAST_SKIP_BUILD:-0} == 1 ]] && die "$stale (and MODELCAST_SKIP_BUILD=1)"
  log "Building modelcast ($stale): mvn -B -q -DskipTests package"
  # (Debian's Maven prints colour resets even in batch mode; drop them.)
  (cd "$ROOT" && mvn -B -q -DskipTests package 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g') >&2 || die "the build failed"
}

fitter() { java -jar "$FITTER_JAR" "$@"; }

# The class path local mode runs with: the job jar plus the Flink jars it leaves out.
local_job_classpath() { printf '%s:%s' "$JOB_JAR" "$(cat "$FLINK_CLASSPATH_FILE")"; }

# Waits until a file contains a line matching a pattern, or fails after a number of seconds.
wait_for_line() {
  local file=$1 pattern=$2 seconds=$3 what=$4 pid=${5:-}
  local deadline=$((SECONDS + seconds))
  until grep -qE "$pattern" "$file" 2>/dev/null; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      die "$what: the process exited (see $file)"
    fi
    ((SECONDS < deadline)) || die "$what: not ready after ${seconds}s (see $file)"
    sleep 0.2
  done
}

# Background processes started by a script, stopped (TERM, then KILL) by stop_started.
STARTED_PIDS=()
started() { STARTED_PIDS+=("$1"); }
stop_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}
