#!/bin/sh
# Creates or updates every connector from the JSON files the plugin archives ship (<component>/etc/
# *.json: {"name": ..., "config": {...}}), the files the embedded shape deploys, through Connect's REST
# API, as a platform team would:
#   1. overrides/<name>.json (optional) adds or replaces keys for this deployment, e.g. credentials
#      as ${env:NAME} placeholders that the worker's EnvVarConfigProvider resolves;
#   2. PUT /connector-plugins/<class>/config/validate: Connect's own message for a bad value;
#   3. PUT /connectors/<name>/config: creates or updates (idempotent, safe to re-run).
# Usage: deploy-connectors.sh <plugin dir> [<overrides dir>]   (CONNECT_URL, default localhost:8083)
set -eu
plugins=${1:?usage: deploy-connectors.sh <plugin dir> [<overrides dir>]}
overrides=${2:-}
url=${CONNECT_URL:-http://localhost:8083}
body=$(mktemp)
trap 'rm -f "$body"' EXIT
status=0
found=0
for file in "$plugins"/*/etc/*.json; do
  [ -f "$file" ] || continue
  found=$((found + 1))
  name=$(jq -er .name "$file")
  config=$(jq -ec .config "$file")
  if [ -n "$overrides" ] && [ -f "$overrides/$name.json" ]; then
    config=$(printf '%s' "$config" | jq -ec --slurpfile o "$overrides/$name.json" '. + $o[0]')
  fi
  config=$(printf '%s' "$config" | jq -ec --arg n "$name" '. + {name: $n}')
  class=$(printf '%s' "$config" | jq -er '."connector.class"')
  code=$(curl -sS -o "$body" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data "$config" "$url/connector-plugins/$class/config/validate")
  if [ "$code" != 200 ]; then
    echo "$name: validate failed: HTTP $code $(cat "$body")" >&2
    status=1
    continue
  fi
  errors=$(jq -r '.configs[].value | select((.errors | length) > 0) | "  \(.name): \(.errors | join("; "))"' "$body")
  if [ -n "$errors" ]; then
    echo "$name ($file) is invalid:" >&2
    echo "$errors" >&2
    status=1
    continue
  fi
  code=$(curl -sS -o "$body" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data "$config" "$url/connectors/$name/config")
  case "$code" in
    201) echo "created $name (from $file)" ;;
    200) echo "updated $name (from $file)" ;;
    *) echo "$name: HTTP $code $(cat "$body")" >&2; status=1 ;;
  esac
done
if [ "$found" = 0 ]; then
  echo "no */etc/*.json under $plugins: build the archives first (mvn package)" >&2
  exit 1
fi
exit $status
