#!/usr/bin/env bash
# Enrichment throughput of the embedded twin (issue #6). Results go into ksql/README.md.
#   scripts/bench-enrich.sh [enrich|streams|all] [events for enrich] [events for streams]
#   JFR=1 scripts/bench-enrich.sh ...   also records a JFR profile to ksql/target/bench-enrich-<mode>.jfr
#     (hot methods: jfr print --events jdk.ExecutionSample <file> | grep -A3 'stackTrace = \[' , or jfr summary)
# Run it on an otherwise idle machine: on a loaded one the wall-clock rates mean little.
# enrich:  the twin's per-record work (JSON in -> 5 UDFs -> JSON out), warm lookup caches, 1 and 2 threads
# streams: the whole Kafka Streams app on a real in-process broker (pre-loaded topic -> enriched + routes)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
N_ENRICH=${2:-1000000}
N_STREAMS=${3:-500000}
echo "== $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
# Build what the benchmark needs from this checkout (other checkouts may install older snapshots).
mvn -B -ntp -q install -pl ksql -am -DskipTests
OPTS="${MAVEN_OPTS:-} -Xmx2g"
if [[ "${JFR:-0}" == 1 ]]; then
  OPTS="$OPTS -XX:StartFlightRecording=filename=$PWD/ksql/target/bench-enrich-$MODE.jfr,settings=profile"
  echo "== JFR profile: ksql/target/bench-enrich-$MODE.jfr"
fi
MAVEN_OPTS="$OPTS" mvn -B -ntp -q -pl ksql exec:java@bench -Dexec.args="$MODE $N_ENRICH $N_STREAMS" 2>&1 \
  | grep -E '(enrich|streams):'
echo "== done, load: $(cut -d' ' -f1-3 /proc/loadavg)"
