#!/usr/bin/env bash
# Sink benchmark: N 300-byte events on one partition, read by our ClickHouse sink connector (1 task,
# real Connect worker) and, in the same run, by ClickHouse's own Kafka table engine + materialized
# view into a table of the same shape; plus the producer rate (the box's physical ceiling).
#
#   scripts/bench-sink.sh [events] [sink batch rows]      (defaults 3000000, 1000000)
#
# The sink runs as the shipped events_raw config does: insert.streaming=true, INSERTs of up to 1,000,000 rows /
# 256 MiB (-Dsink.bench.batch.bytes) / 1 s (-Dsink.bench.wait.ms). The buffered writer for comparison:
# MVN_ARGS="-Dsink.bench.streaming=false -Dsink.bench.batch.bytes=16777216" scripts/bench-sink.sh N 50000
#
# Needs the reactor installed once (mvn -B -ntp install -DskipITs); the gateway/embedded,
# clickhouse-sink and launcher modules are rebuilt here so the benchmark runs this worktree's code.
# The ClickHouse data dir is under /dev/shm (tmpfs): on this box's disk the numbers swing widely.
# Results: stdout and gateway/launcher/target/bench-sink.txt (with /proc/loadavg next to each number).
# Extra Maven arguments in MVN_ARGS, e.g. MVN_ARGS="-o -Dmaven.repo.local=/tmp/m2"; the worker commits offsets
# every 10 s as the deployed one does (-Dsink.bench.offset.flush.ms=1000 for the embedded worker's 1 s).
# JVM options of the JVM running broker, Connect worker and sink task in SINK_BENCH_JVM (default
# "-Xms2g -Xmx2g": a fixed heap, as Kafka's operations guide sets it; with the JVM's default ergonomics the
# heap resizing made the sink's rate swing by 2x between runs), e.g. with a JFR recording:
# SINK_BENCH_JVM="-Xms2g -Xmx2g -XX:StartFlightRecording=filename=/tmp/sink.jfr".
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-3000000}"
BATCH="${2:-1000000}"
echo "uptime before: $(uptime)"
mvn -B -ntp -q ${MVN_ARGS:-} verify -pl gateway/embedded,connectors/clickhouse-sink,gateway/launcher \
  -DskipTests=false -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SinkBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dsink.bench=true -Dsink.bench.events="$EVENTS" -Dsink.bench.batch="$BATCH" \
  "-DargLine=${SINK_BENCH_JVM:--Xms2g -Xmx2g}"
echo "uptime after: $(uptime)"
cat gateway/launcher/target/bench-sink.txt
