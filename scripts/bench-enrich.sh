#!/usr/bin/env bash
# Enrichment throughput of the embedded twin (issue #6). Results go into ksql/README.md.
#   scripts/bench-enrich.sh [enrich|streams|all] [events for enrich] [events for streams]
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
MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx2g" mvn -B -ntp -q -pl ksql exec:java@bench -Dexec.args="$MODE $N_ENRICH $N_STREAMS" 2>&1 \
  | grep -E '(enrich|streams):'
echo "== done, load: $(cut -d' ' -f1-3 /proc/loadavg)"
