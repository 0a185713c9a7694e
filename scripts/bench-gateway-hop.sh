#!/usr/bin/env bash
# What the gateway's extra hop costs for ingestion: the load generator against the connector's own
# listener and against the gateway's /v1 base URL, same settings, alternating (direct, gateway, direct,
# gateway) so machine drift hits both alike. Needs a running embedded shape (./pipeline up) on the
# default ports; every accepted ack is read back from Kafka (--bootstrap), so a relay that loses or
# invents acks fails the run. Run it on an idle machine: figures taken under other load mean little.
#
# Usage: scripts/bench-gateway-hop.sh [--duration 30] [--concurrency 4] [--batch 100] [--rounds 2]
# Environment: INGEST=http://127.0.0.1:8088  GATEWAY=http://127.0.0.1:8080  KAFKA=127.0.0.1:9092
#              MAVEN_REPO_LOCAL=/path (a private local Maven repository)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=30; CONCURRENCY=4; BATCH=100; ROUNDS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
INGEST=${INGEST:-http://127.0.0.1:8088}
GATEWAY=${GATEWAY:-http://127.0.0.1:8080}
KAFKA=${KAFKA:-127.0.0.1:9092}
REPO=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
MVN="mvn -B -ntp -q $REPO"

curl -sf "$GATEWAY/v1/health/live" > /dev/null || { echo "no gateway at $GATEWAY: start ./pipeline up first" >&2; exit 1; }
$MVN package -f gateway/loadgen/pom.xml -DskipTests
$MVN dependency:build-classpath -f gateway/loadgen/pom.xml -Dmdep.outputFile=target/classpath.txt
CP="gateway/loadgen/target/classes:$(cat gateway/loadgen/target/classpath.txt)"

run() { # mode url label
  echo "== $3 ($1, $2)"
  java -Xmx512m -cp "$CP" dev.eventpipeline.loadgen.LoadGen --mode "$1" --url "$2" --rate 0 --batch "$BATCH" \
    --duration "$DURATION" --concurrency "$CONCURRENCY" --bootstrap "$KAFKA" --no-progress
}

echo "load average before: $(cat /proc/loadavg)"
WS_DIRECT="${INGEST/http/ws}/events/stream"; WS_GATEWAY="${GATEWAY/http/ws}/v1/events/stream"
for round in $(seq 1 "$ROUNDS"); do
  run ws "$WS_DIRECT" "round $round: WebSocket, direct"
  run ws "$WS_GATEWAY" "round $round: WebSocket, through the gateway"
  run http "$INGEST" "round $round: HTTP batches, direct"
  run http "$GATEWAY/v1" "round $round: HTTP batches, through the gateway"
done
echo "load average after: $(cat /proc/loadavg)"
