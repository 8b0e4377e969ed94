#!/usr/bin/env bash
# Durable ingest throughput and GET /v1/stats latency on SQLite (one node) and PostgreSQL (one node,
# three nodes on one database), from the built jar, with IngestLoad and StatsLatency.
#
#   BENCH_POSTGRES=postgresql://postgres@localhost:5432 benchmarks/stores.sh [sqlite] [postgres1] [postgres3]
#
# BENCH_POSTGRES names a PostgreSQL server where this script may drop and create the database
# sextant_bench (psql must be on the PATH). Every scenario starts from an empty store.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${SEXTANT_JAR:-$root/server/target/sextant.jar}"
seconds="${BENCH_SECONDS:-30}"
clients="${BENCH_CLIENTS:-16}"
stats_runs="${BENCH_STATS_RUNS:-20000}"
key="sk-bench-0123456789abcdef"
work="$(mktemp -d -t sextant-stores-bench.XXXXXX)"
pids=()

stop_nodes() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_nodes; rm -rf "$work"' EXIT

# start_nodes COUNT ARGS... — starts COUNT nodes on ports 18101.., sets urls to their URLs comma-separated
start_nodes() {
  local count=$1; shift
  urls=""
  for i in $(seq 1 "$count"); do
    local port=$((18100 + i))
    mkdir -p "$work/node$i"
    SEXTANT_BOOTSTRAP_API_KEY=$key SEXTANT_BOOTSTRAP_ADMIN_PASSWORD=bench-admin \
      java -Xmx1g -jar "$jar" serve --port "$port" --otlp-http-port -1 --otlp-grpc-port -1 \
      --data-dir "$work/node$i" "$@" >"$work/node$i.log" 2>&1 &
    pids+=("$!")
    urls="$urls,http://127.0.0.1:$port"
  done
  for i in $(seq 1 "$count"); do
    for _ in $(seq 1 120); do grep -q Listening "$work/node$i.log" && break; sleep 0.5; done
    grep -q Listening "$work/node$i.log" || { cat "$work/node$i.log"; exit 1; }
  done
  urls="${urls#,}"
}

fresh_store() {
  if [ "$1" = sqlite ]; then rm -rf "$work"/node*; else fresh_database; fi
}

fresh_database() {
  psql -q "$BENCH_POSTGRES/postgres" -c "DROP DATABASE IF EXISTS sextant_bench" -c "CREATE DATABASE sextant_bench"
}

# scenario NAME COUNT ARGS... — ingest for $seconds, then on a fresh store load $stats_runs runs and time stats
scenario() {
  local name=$1 count=$2; shift 2
  echo "== $name: $count node(s) — $(uptime | sed 's/.*load/load/')"
  fresh_store "$name"
  start_nodes "$count" "$@"
  java "$root/benchmarks/src/main/java/dev/sextant/bench/IngestLoad.java" --url "$urls" --key "$key" \
    --clients "$clients" --seconds "$seconds" --warmup 5 --runs-per-request 10
  stop_nodes
  fresh_store "$name"
  start_nodes "$count" "$@"
  java "$root/benchmarks/src/main/java/dev/sextant/bench/StatsLatency.java" --url "$urls" --key "$key" \
    --load-runs "$stats_runs" --requests 50
  stop_nodes
}

[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl server)
for s in "${@:-sqlite postgres1 postgres3}"; do
  for one in $s; do
    case "$one" in
      sqlite) scenario sqlite 1 ;;
      postgres1) scenario postgres 1 --store postgres --postgres-url "$BENCH_POSTGRES/sextant_bench" ;;
      postgres3) scenario postgres 3 --store postgres --postgres-url "$BENCH_POSTGRES/sextant_bench" ;;
      *) echo "unknown scenario $one (sqlite, postgres1, postgres3)" >&2; exit 2 ;;
    esac
  done
done
