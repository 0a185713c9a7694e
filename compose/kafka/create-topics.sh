#!/bin/bash
# Creates the data contract's topics (contract/.../Topics.java; the embedded shape's
# TopicProvisioner creates the same set). Idempotent: existing topics are left as they are.
# ComposeFileTest checks that this list equals the contract.
set -euo pipefail
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}
partitions=${TOPIC_PARTITIONS:-2}
replicas=${TOPIC_REPLICATION_FACTOR:-1}

create() {
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --replication-factor "$replicas" "$@"
}

create --topic cart-events-raw --partitions "$partitions"
create --topic cart-events-validated --partitions "$partitions"
create --topic cart-events-enriched --partitions "$partitions"
create --topic cart-events-dlq --partitions 1
create --topic _event-pipeline-schemas --partitions 1 --config cleanup.policy=compact
create --topic cart-route-checkout-funnel --partitions "$partitions"
create --topic cart-route-abandonment-signals --partitions "$partitions"
create --topic cart-route-high-value-carts --partitions "$partitions"
create --topic user-profile-last-seen --partitions "$partitions"
create --topic user-profile-purchases --partitions "$partitions" --config cleanup.policy=compact
create --topic cart-route-by-store --partitions "$partitions"
create --topic user-profile-purchase-history --partitions "$partitions" --config cleanup.policy=compact
create --topic pipeline-alerts --partitions 1

/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --list
