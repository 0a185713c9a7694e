#!/usr/bin/env bash
# Sink benchmark: N 300-byte events on one partition, read by our ClickHouse sink connector (1 task,
# real Connect worker) and, in the same run, by ClickHouse's own Kafka table engine + materialized
# view into a table of the same shape; plus the producer rate (the box's physical ceiling).
#
#   scripts/bench-sink.sh [events] [sink batch rows]      (defaults 1000000, 50000)
#
# Needs the reactor installed once (mvn -B -ntp install -DskipITs); the gateway/embedded,
# clickhouse-sink and launcher modules are rebuilt here so the benchmark runs this worktree's code.
# The ClickHouse data dir is under /dev/shm (tmpfs): on this box's disk the numbers swing widely.
# Results: stdout and gateway/launcher/target/bench-sink.txt (with /proc/loadavg next to each number).
# Extra Maven arguments in MVN_ARGS, e.g. MVN_ARGS="-o -Dmaven.repo.local=/tmp/m2 -DargLine=-XX:StartFlightRecording=filename=/tmp/sink.jfr"
# (a JFR recording of the JVM running broker, Connect worker and sink task).
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-1000000}"
BATCH="${2:-50000}"
echo "uptime before: $(uptime)"
mvn -B -ntp -q ${MVN_ARGS:-} verify -pl gateway/embedded,connectors/clickhouse-sink,gateway/launcher \
  -DskipTests=false -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SinkBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dsink.bench=true -Dsink.bench.events="$EVENTS" -Dsink.bench.batch="$BATCH"
echo "uptime after: $(uptime)"
cat gateway/launcher/target/bench-sink.txt
