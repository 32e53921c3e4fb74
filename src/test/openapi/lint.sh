#!/usr/bin/env bash
# Lints the API description the packaged service serves at /openapi with Spectral (its `oas`
# ruleset, .spectral.yaml) and Redocly (`recommended-strict`, redocly.yaml): any error or warning
# fails. The linters' versions are pinned in package.json and package-lock.json beside this file.
#
#   bash src/test/openapi/lint.sh [JAVA]     # after `mvn -DskipTests package`; JAVA defaults to `java`
#
# The service runs from target/flowguard.jar on embedded H2 in a temporary folder, on a free port,
# and is stopped before the lint.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
java="${1:-java}"
jar="$root/target/flowguard.jar"
[ -f "$jar" ] || { echo "no $jar: run mvn -DskipTests package first" >&2; exit 1; }
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }

work="$(mktemp -d)"
service=""
cleanup() {
  [ -n "$service" ] && kill "$service" 2>/dev/null && wait "$service" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- the document, from the packaged service -----------------------------------------------------
# on embedded H2 whatever database the caller's environment names (CI exports one for `migrate`)
env -u FLOWGUARD_DB_URL -u FLOWGUARD_DB_USER -u FLOWGUARD_DB_PASSWORD -u FLOWGUARD_DB_PASSWORD_FILE \
  FLOWGUARD_DATA_DIR="$work/data" SERVER_PORT=0 "$java" -jar "$jar" >"$work/service.log" 2>&1 &
service=$!
url=""
for _ in $(seq 1 120); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]* bound' "$work/service.log" | head -1 | cut -d' ' -f1 || true)"
  if [ -n "$url" ] && curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null; then break; fi
  url=""
  kill -0 "$service" 2>/dev/null || break
  sleep 1
done
if [ -z "$url" ]; then echo "the service did not become ready:" >&2; tail -20 "$work/service.log" >&2; exit 1; fi
curl -fsS "$url/openapi" -o "$work/openapi.yaml"
kill "$service"; wait "$service" 2>/dev/null || true; service=""
grep -q '^openapi: 3\.' "$work/openapi.yaml" || { echo "/openapi is not an OpenAPI 3 document" >&2; exit 1; }
echo "fetched /openapi: $(wc -l <"$work/openapi.yaml") lines, $(grep -c 'operationId:' "$work/openapi.yaml") operations"

# --- the linters, as pinned ----------------------------------------------------------------------
cd "$here"
# --ignore-scripts: no install script runs (one dependency's would report the install over the network)
npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity=warn "$work/openapi.yaml"
npx --no-install redocly lint --config redocly.yaml "$work/openapi.yaml"
echo "/openapi: Spectral and Redocly found nothing"
