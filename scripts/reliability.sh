#!/usr/bin/env bash
# The full reliability suite (docs/RELIABILITY.md): the pipeline as separate processes (broker, Connect
# worker, enrichment runtime, gateway + registry, Redis, ClickHouse), every fault scenario under
# WebSocket + HTTP load with loss and duplicate accounting, then the 10,000-request bad-input corpus with
# slow-loris clients and good traffic alongside. Prints the Markdown tables; exit code 1 on any lost or
# duplicated acknowledged event or any undocumented answer.
#
# Usage: scripts/reliability.sh [all|faults|corpus] [--scenarios connect-kill,broker-restart,broker-kill,clickhouse-stop,
#            redis-stop,enrichment-kill,task-restart,gateway-restart|all] [--rate 1000] [--ws 2] [--http 2]
#            [--batch 50] [--warmup 20] [--after 20] [--outage 60] [--count 10000] [--seed 1]
#            [--slow-http 200] [--slow-ws 100] [--work DIR] [--keep-work true]
#        Without --work the run uses a temporary directory (broker log, ClickHouse data, child logs: several GB)
#        and deletes it after a good run; a failed run, or --keep-work true, keeps it and prints its path.
# Environment: MAVEN_REPO_LOCAL=/path  a private local Maven repository (shared machines).
#              SKIP_BUILD=1            use what is already built.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q $REPO package -DskipTests -pl gateway/reliability -am
fi
echo "load average before: $(cat /proc/loadavg)" >&2
exec java -Xmx2g -Dlog4j2.configurationFile=gateway/reliability/target/classes/dev/eventpipeline/reliability/log4j2-cli.xml \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
  -cp "gateway/reliability/target/classes:gateway/reliability/target/lib/*" \
  dev.eventpipeline.reliability.ReliabilitySuite "$@"
