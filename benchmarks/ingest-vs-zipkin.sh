#!/usr/bin/env bash
# Ingest side by side, one machine, one invocation: Sextant (default settings, SQLite), then Zipkin
# 3.6.1 (in-memory storage, default settings), each driven by IngestLoad with the same agent-shaped
# data. Every row reports acknowledged and stored items per second over the same window, ack
# latency, the server's CPU and the load generator's own CPU; the server's peak RSS follows each
# server's rows. Native JSON and OTLP protobuf each start on an empty store, so their 16 x 5 rows
# compare on equal terms.
#
#   benchmarks/ingest-vs-zipkin.sh            # BENCH_SECONDS=20 BENCH_WARMUP=30 BENCH_CLIENTS=16
#
# Sextant counts an item when its commit is durable (sextant_ingest_accepted_items_total). Zipkin
# answers 202 before it stores the spans: its collector queues one store task per message on
# Armeria's blocking executor, so its stored rate is that executor's completed tasks (from
# /prometheus) times the spans per request.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${SEXTANT_JAR:-$root/server/target/sextant.jar}"
seconds="${BENCH_SECONDS:-20}"
warmup="${BENCH_WARMUP:-30}"
clients="${BENCH_CLIENTS:-16}"
key="sk-bench-0123456789abcdef"
work="$(mktemp -d -t sextant-zipkin-bench.XXXXXX)"
zipkin_dir="$root/benchmarks/target/zipkin"
zipkin="$zipkin_dir/zipkin-server-3.6.1-exec.jar"
server=""

stop_server() {
  if [ -n "$server" ]; then
    grep VmHWM "/proc/$server/status" | awk '{printf "peak RSS %.0f MB\n", $2 / 1024}'
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  server=""
}
trap 'stop_server; rm -rf "$work"' EXIT

wait_for() {
  for _ in $(seq 1 120); do curl -sf "$1" >/dev/null && return 0; sleep 0.5; done
  echo "not ready: $1" >&2; exit 1
}

[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl ui,server -am)
[ -f "$zipkin" ] || mvn -q -B dependency:copy -Dartifact=io.zipkin:zipkin-server:3.6.1:jar:exec \
  -DoutputDirectory="$zipkin_dir"
javac -d "$work/loadgen" "$root/benchmarks/src/main/java/dev/sextant/bench/IngestLoad.java"

# load PROTOCOL URL RUNS STORED_URL STORED_COUNTER [STORED_SCALE] — one measured row
load() {
  echo "-- $1, $clients clients x $3 runs (traces) of 20 steps (spans) per request — $(uptime | sed 's/.*load/load/')"
  java -cp "$work/loadgen" dev.sextant.bench.IngestLoad --protocol "$1" --url "$2" --key "$key" \
    --clients "$clients" --seconds "$seconds" --warmup "$warmup" --runs-per-request "$3" --steps 20 \
    --server-pid "$server" --stored-metric "$4" "$5" --stored-scale "${6:-1}"
}

# settle — writes the page cache's dirty pages out, so that a server's fsyncs do not queue behind
# what the one before it wrote (gigabytes after a few Sextant rows)
settle() {
  sync
  echo "(page cache settled: $(awk '/^Dirty:/ {print $2 " kB"}' /proc/meminfo) dirty)"
}

# start_sextant NAME — a Sextant with an empty store of its own
start_sextant() {
  settle
  echo "== Sextant $(basename "$jar") started by ./sextant (its default JVM options), SQLite synchronous=FULL, empty store"
  SEXTANT_JAR="$jar" SEXTANT_BOOTSTRAP_API_KEY=$key "$root/sextant" serve --port 18201 --otlp-http-port 18202 \
    --otlp-grpc-port -1 --data-dir "$work/$1" >"$work/$1.log" 2>&1 &
  server=$!
  wait_for http://127.0.0.1:18201/health/ready
}

metric='sextant_ingest_accepted_items_total{kind="step"}'
# native 16 x 5 first, on an empty store, as OTLP 16 x 5 is below: the two compare on equal terms;
# 16 x 1 and 16 x 10 then run on a store that already holds millions of steps
start_sextant native
for runs in 5 1 10; do
  load native http://127.0.0.1:18201 "$runs" http://127.0.0.1:18201/metrics "$metric"
done
stop_server
rm -rf "$work/native"  # its pages need not reach the disk now
start_sextant otlp
load otlp http://127.0.0.1:18202 5 http://127.0.0.1:18201/metrics "$metric"
stop_server
rm -rf "$work/otlp"
settle

echo "== Zipkin 3.6.1, in-memory storage"
QUERY_PORT=19411 STORAGE_TYPE=mem java -jar "$zipkin" >"$work/zipkin.log" 2>&1 &
server=$!
wait_for http://127.0.0.1:19411/health
load zipkin http://127.0.0.1:19411 5 http://127.0.0.1:19411/prometheus \
  'armeria_executor_completed_tasks_total{name="blockingTaskExecutor"}' 100
echo "Zipkin's collector, after the window:"
curl -s http://127.0.0.1:19411/prometheus | grep -E '^(zipkin_collector_spans_total|armeria_executor_queued_tasks)' || true
stop_server
