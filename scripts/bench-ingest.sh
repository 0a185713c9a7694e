#!/usr/bin/env bash
# Ingestion benchmark, one run on one broker (see connectors/event-source/README.md, "Benchmark"):
#   1. Kafka's ProducerPerformance (kafka-tools ${kafka.version}) with records of the same JSON shape/size,
#   2. the event-source connector on a real Connect worker (child JVM, plugin from its zip), driven by the
#      load generator over WebSocket at max rate and at half that rate, and over HTTP batches,
#   3. the worker's RSS idle, with N idle and M busy WebSocket connections.
# Every accepted ack of the load generator is read back from Kafka (no ack without a record).
#
# Usage: scripts/bench-ingest.sh [--records 1000000] [--duration 30] [--concurrency 4] [--batch 100]
#                                [--idle 1000] [--busy 200] [--window 2000] [--warmup 10] [--work DIR]
#                                [--jfr worker.jfr] [--transforms on]
#   --window  unacknowledged events per WebSocket connection of the load generator
#   --warmup  seconds of unrecorded WebSocket and HTTP load first (a cold worker JVM is not measured)
#   --transforms on  the connector runs the shipped transform chain (ValidateEvent, DeduplicateEvent on a
#             real Redis, the de-duplication pre-mark); needs redis-server (./pipeline test installs it)
# Environment: MVN_ARGS=-o            extra Maven flags of the build step (e.g. offline).
#              MAVEN_REPO_LOCAL=/path  uses a private local Maven repository (other worktrees on a shared
#              machine install their own SNAPSHOTs of the same modules into ~/.m2).
#              BENCH_JAVA_OPTS="..."  extra flags for the benchmark JVM (load generator + broker), e.g. a JFR
#              recording; -Djfr.settings=FILE there also sets the settings of the worker's --jfr recording.
#
# The load generator alone (against any running connector):
#   java -cp "gateway/loadgen/target/classes:$(cat gateway/loadgen/target/classpath.txt)" \
#     dev.eventpipeline.loadgen.LoadGen --mode ws --url ws://127.0.0.1:8088/events/stream \
#     --rate 0 --batch 100 --duration 30 --concurrency 4 --bootstrap 127.0.0.1:9092
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
MVN="mvn -B -ntp -q $REPO ${MVN_ARGS:-}"

# Build exactly what the benchmark uses (and install it: the load generator's classpath is read from ~/.m2).
$MVN install -DskipTests -pl gateway/loadgen,connectors/event-source,smt/transforms -am
$MVN dependency:build-classpath -f gateway/loadgen/pom.xml -Dmdep.outputFile=target/classpath.txt

ZIP=$(ls connectors/event-source/target/event-source-connector-*-plugin.zip)
TRANSFORMS_ZIP=$(ls smt/transforms/target/event-pipeline-transforms-*-plugin.zip)
echo "load average before: $(cat /proc/loadavg)" >&2
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile=gateway/loadgen/target/classes/log4j2.xml \
  -cp "gateway/loadgen/target/classes:$(cat gateway/loadgen/target/classpath.txt)" \
  dev.eventpipeline.loadgen.Bench --plugin-zip "$ZIP" --transforms-zip "$TRANSFORMS_ZIP" "$@"
