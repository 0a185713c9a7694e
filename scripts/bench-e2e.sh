#!/usr/bin/env bash
# End-to-end benchmark (docs/BENCHMARKS.md): the pipeline as separate processes, Kafka's
# ProducerPerformance on its broker, then WebSocket + HTTP load at a target rate for a fixed duration
# with validation, de-duplication, enrichment and the ClickHouse sinks on. Prints a Markdown report:
# sustained events/s per stage, ack and end-to-end latency percentiles, CPU and RSS per process,
# backlog per stage. Run it on an otherwise idle machine.
#
# Usage: scripts/bench-e2e.sh [--rate 30000] [--duration 300] [--ws 4] [--http 2] [--batch 100]
#                             [--pp-records 1000000] [--sample-every 100] [--work DIR] [--keep-work true]
#        Without --work the run uses a temporary directory (several GB) and deletes it at the end unless
#        --keep-work true (it is kept, path printed, when the run fails).
# Environment: MAVEN_REPO_LOCAL=/path  a private local Maven repository (shared machines).
#              SKIP_BUILD=1            use what is already built.
#              RELIABILITY_CONNECT_JAVA_OPTS  extra JVM options of the Connect worker, e.g. a JFR profile:
#                "-XX:StartFlightRecording=filename=/tmp/connect.jfr,settings=profile"
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q $REPO package -DskipTests -pl gateway/reliability -am
fi
exec java -Xmx2g -XX:+UseParallelGC \
  -Dlog4j2.configurationFile=gateway/reliability/target/classes/dev/eventpipeline/reliability/log4j2-cli.xml \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
  -cp "gateway/reliability/target/classes:gateway/reliability/target/lib/*" \
  dev.eventpipeline.reliability.bench.EndToEndBenchmark "$@"
