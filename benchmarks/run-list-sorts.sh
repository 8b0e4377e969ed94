#!/usr/bin/env bash
# The run list's latency by sort and filter on the same stored runs, two builds side by side.
# BEFORE's jar loads RUNS runs into a new SQLite store (StatsLatency's data: runs spread over the
# last day, three agents, durations that vary), a copy of that store is opened by AFTER's jar (the
# time to ready includes its migrations), and each query is timed on BEFORE's store, then AFTER's.
#
#   benchmarks/run-list-sorts.sh BEFORE_JAR AFTER_JAR [RUNS]     # RUNS: 1000000 unless given
#
# Both servers are started by ./sextant with its default JVM options, one at a time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before="$1" after="$2" runs="${3:-1000000}"
key="sk-bench-0123456789abcdef"
port=18301
work="$(mktemp -d -t sextant-run-list-sorts.XXXXXX)"
pid=""
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  pid=""
}
trap 'stop; rm -rf "$work"' EXIT
latency() { java "$root/benchmarks/src/main/java/dev/sextant/bench/StatsLatency.java" --url "http://127.0.0.1:$port" --key "$key" "$@"; }

# start JAR DIR — starts a server on DIR and says how long it took to be ready
start() {
  local t0
  t0=$(date +%s%N)
  SEXTANT_JAR="$1" SEXTANT_BOOTSTRAP_API_KEY=$key "$root/sextant" serve --port $port --otlp-http-port -1 \
    --otlp-grpc-port -1 --data-dir "$2" >"$2.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 2400); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.25; done
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$2.log"; exit 1; }
  echo "$(basename "$1"): ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}

start "$before" "$work/before"
latency --load-runs "$runs" --steps 2 --requests 1 --warmup 0 | grep loaded
stop
cp -r "$work/before" "$work/after"
echo "store: $(du -sh "$work/before" | cut -f1)"

from=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
queries=("sort=start_time" "sort=duration" "sort=cost" "sort=duration&agent=agent-1"
  "sort=duration&from=$from" "sort=cost&status=failure")
for build in before after; do
  jar=$before; [ $build = after ] && jar=$after
  start "$jar" "$work/$build"
  for q in "${queries[@]}"; do latency --path /v1/runs --query "$q&limit=50" --requests 20 --warmup 3 | grep GET; done
  stop
done
