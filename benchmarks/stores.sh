#!/usr/bin/env bash
# Durable ingest throughput and GET /v1/stats latency on SQLite (one node), PostgreSQL (one node,
# three nodes on one database) and ClickHouse (one server, two shards), from the built jar, with
# IngestLoad and StatsLatency.
#
#   BENCH_POSTGRES=postgresql://postgres@localhost:5432 benchmarks/stores.sh [sqlite] [postgres1] [postgres3]
#   benchmarks/stores.sh clickhouse1 clickhouse2
#
# BENCH_POSTGRES names a PostgreSQL server where this script may drop and create the database
# sextant_bench (psql must be on the PATH). The ClickHouse scenarios start throwaway
# clickhouse-server processes of their own (apt-get install -y clickhouse-server) on ports
# 18201.. and report ClickHouse's bytes on disk per step too. Every scenario starts from an empty store.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${SEXTANT_JAR:-$root/server/target/sextant.jar}"
seconds="${BENCH_SECONDS:-30}"
clients="${BENCH_CLIENTS:-16}"
stats_runs="${BENCH_STATS_RUNS:-20000}"
key="sk-bench-0123456789abcdef"
work="$(mktemp -d -t sextant-stores-bench.XXXXXX)"
pids=()

ch_pids=()
stop_nodes() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
stop_clickhouse() {
  for pid in "${ch_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${ch_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ch_pids=()
}
trap 'stop_nodes; stop_clickhouse; rm -rf "$work"' EXIT

# start_clickhouse COUNT — COUNT servers (HTTP 18201.., native 19201..), shards of the cluster "bench"
start_clickhouse() {
  local count=$1 shards=""
  for i in $(seq 1 "$count"); do
    shards="$shards<shard><replica><host>127.0.0.1</host><port>$((19200 + i))</port></replica></shard>"
  done
  for i in $(seq 1 "$count"); do
    local d="$work/ch$i"
    mkdir -p "$d"
    cat >"$d/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$d/server.log</log><errorlog>$d/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host><http_port>$((18200 + i))</http_port><tcp_port>$((19200 + i))</tcp_port>
  <path>$d/data/</path><tmp_path>$d/tmp/</tmp_path><format_schema_path>$d/schemas/</format_schema_path>
  <users_config>$d/users.xml</users_config><default_profile>default</default_profile>
  <default_database>default</default_database><mark_cache_size>268435456</mark_cache_size>
  <remote_servers><bench>$shards</bench></remote_servers>
</yandex>
XML
    cat >"$d/users.xml" <<XML
<yandex><profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas></yandex>
XML
    /usr/sbin/clickhouse-server --config-file="$d/config.xml" >"$d/console.log" 2>&1 &
    ch_pids+=("$!")
  done
  ch_urls=""
  for i in $(seq 1 "$count"); do
    for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$((18200 + i))/ping" >/dev/null && break; sleep 0.5; done
    ch_urls="$ch_urls,http://127.0.0.1:$((18200 + i))"
  done
  ch_urls="${ch_urls#,}"
}

# clickhouse_size COUNT — merges every part, then prints bytes on disk per stored step
clickhouse_size() {
  local count=$1 bytes=0 steps
  for i in $(seq 1 "$count"); do
    local url="http://127.0.0.1:$((18200 + i))/"
    for t in $(curl -sf "$url" --data-binary "SELECT name FROM system.tables WHERE database = 'sextant' AND engine LIKE '%MergeTree'"); do
      curl -sf "$url" --data-binary "OPTIMIZE TABLE sextant.$t FINAL" >/dev/null
    done
    bytes=$((bytes + $(curl -sf "$url" --data-binary "SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'sextant'")))
  done
  steps=$(curl -sf "http://127.0.0.1:18201/" --data-binary "SELECT count() FROM sextant.steps FINAL")
  echo "ClickHouse: $bytes bytes on disk (active parts, merged) for $steps steps: $((bytes / (steps > 0 ? steps : 1))) bytes per step"
}

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
  case "$1" in
    sqlite) rm -rf "$work"/node* ;;
    clickhouse) rm -rf "$work"/node*; for u in ${ch_urls//,/ }; do curl -sf "$u/" --data-binary "DROP DATABASE IF EXISTS sextant" >/dev/null; done ;;
    *) fresh_database ;;
  esac
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
  if [ "$name" = clickhouse ]; then clickhouse_size "${#ch_pids[@]}"; fi
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
      clickhouse1) start_clickhouse 1; scenario clickhouse 1 --store clickhouse --clickhouse-url "$ch_urls"; stop_clickhouse ;;
      clickhouse2) start_clickhouse 2
        scenario clickhouse 1 --store clickhouse --clickhouse-url "$ch_urls" --clickhouse-cluster bench; stop_clickhouse ;;
      *) echo "unknown scenario $one (sqlite, postgres1, postgres3, clickhouse1, clickhouse2)" >&2; exit 2 ;;
    esac
  done
done
