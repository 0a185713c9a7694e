#!/usr/bin/env bash
# Measures the embedded shape: time from `./pipeline up` to ready (first start on an empty work
# dir, then a restart on the same dir) and resident memory of every process once idle.
# Usage: scripts/measure-startup.sh   (builds first if needed; uses ports 9092/9093/8083/8088/6379/8123/9000)
set -euo pipefail
cd "$(dirname "$0")/.."
./pipeline build >/dev/null
WORK=$(mktemp -d /tmp/pipeline-measure.XXXX)
export PIPELINE_WORK_DIR=$WORK

rss_mib() { ps -o rss= -p "$1" 2>/dev/null | awk '{s+=$1} END {printf "%.0f", s/1024}'; }

run_once() {
  local label=$1 log=$WORK/up-$1.log
  local t0=$(date +%s.%N)
  ./pipeline up >"$log" 2>&1 &
  local pid=$!
  until grep -q "event-pipeline is up" "$log"; do
    kill -0 $pid 2>/dev/null || { echo "pipeline exited:"; tail -50 "$log"; exit 1; }
    sleep 0.1
  done
  local t1=$(date +%s.%N)
  local inside=$(grep -o 'ready in [0-9.]* s' "$log")
  ack=$(curl -s -X POST localhost:8088/events -H 'Content-Type: application/json' -d @examples/item-added.json)
  sleep 5
  local java=$(pgrep -f PipelineUp | head -1)
  local ch=$(cat "$WORK/clickhouse/clickhouse.pid" 2>/dev/null || pgrep -f "clickhouse-server.*$WORK" | head -1)
  local redis=$(cat "$WORK/redis/redis.pid")
  local jm=$(rss_mib "$java") cm=$(rss_mib "$ch") rm=$(rss_mib "$redis")
  printf '| %s | %.1f s (launcher: %s) | %s MiB | %s MiB | %s MiB | %s MiB |\n' "$label" \
    "$(awk -v a="$t0" -v b="$t1" "BEGIN{print b-a}")" "$inside" "$jm" "$cm" "$rm" "$((jm + cm + rm))"
  echo "$label: POST examples/item-added.json -> $ack" >> "$WORK/acks.txt"
  kill -TERM $pid; wait $pid || true
}

echo "| start | wall time to ready | JVM (broker+Connect+tasks) RSS | ClickHouse RSS | Redis RSS | total RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
run_once first
run_once restart
cat "$WORK/acks.txt"
echo "logs: $WORK"
