#!/usr/bin/env bash
# The README's upgrade walk, run for real on the packaged service with the sample flow project
# (src/it/expense-flows), one H2 database kept across four deploys:
#   1. the first release (v1): an execution starts and waits for its manager;
#   2. a build with v2 only, v1 dropped too early: startup refuses, naming expense-approval v1 and
#      its one unfinished execution, and exits non-zero; nothing changed;
#   3. the build with v1 and v2 beside it: GET /flows counts the v1 execution, a dry run says it would
#      move, the migration moves it (audited, one MIGRATED event), the manager answers the moved ask
#      and it completes on v2; v1's count is zero;
#   4. the build with v2 only again: it starts, and new executions run on v2.
# Needs: target/flowguard.jar built, io.flowguard:flowguard installed (mvn install), jq, curl.
# Environment: JAVA (a java 21+), MVN (mvn command), JDK (its home, for the flow project's build).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAVA="${JAVA:-java}"
MVN="${MVN:-mvn -B -ntp}"
PROJECT=src/it/expense-flows
WORK="$(mktemp -d)"
FLOWS="$WORK/flows"
DATA="$WORK/data"
mkdir -p "$FLOWS" "$DATA"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf -- '--- upgrade walk: %s\n' "$*"; }
fail() { echo "upgrade walk: $*" >&2; [ -n "${LOG:-}" ] && tail -40 "$LOG" >&2; exit 1; }

# deploy <profile or ""> : builds the flow JAR of that build (running its kit tests: v1's, and with v2
# the migration's; v2-only has none) into the flows folder
deploy() {
  rm -f "$FLOWS"/*.jar
  # shellcheck disable=SC2086
  JAVA_HOME="${JDK:-${JAVA_HOME:-}}" $MVN -q -f "$PROJECT/pom.xml" clean package ${1:+-P$1}
  cp "$PROJECT/target/expense-flows.jar" "$FLOWS/"
}

# serve <log> : starts the service on the kept database; sets PID and BASE, or returns 1 when it exited
serve() {
  LOG="$1"
  "$JAVA" -Dflowguard.data-dir="$DATA" -Dserver.port=0 -Dflowguard.flows.dir="$FLOWS" \
    -Dflowguard.flows.examples=false -Dflowguard.services.media.url= -Dflowguard.agents=manager,finance \
    -jar target/flowguard.jar >"$LOG" 2>&1 &
  PID=$!
  local port=""
  for _ in $(seq 1 180); do
    port="$(grep -o 'Server started on http://localhost:[0-9]*' "$LOG" | grep -o '[0-9]*$' || true)"
    [ -n "$port" ] && break
    if ! kill -0 "$PID" 2>/dev/null; then wait "$PID" 2>/dev/null && EXIT=0 || EXIT=$?; PID=""; return 1; fi
    sleep 1
  done
  [ -n "$port" ] || fail "the service did not start in 180 s"
  BASE="http://127.0.0.1:$port"
}

stop() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
}

token() {
  "$JAVA" -Dflowguard.data-dir="$DATA" -jar target/flowguard.jar dev-token --subject "$1" --groups "$2"
}

step "1. the first release: expense-approval v1 starts and waits for the manager"
deploy ""
serve "$WORK/v1.log" || fail "v1 did not start"
ALICE="$(token alice flow-user)"
MIA="$(token mia agent:manager)"
ADMIN="$(token olga flow-admin)"
EXECUTION="$(curl -fsS -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' -H 'Prefer: wait=20' \
  -d '{"flow":"expense-approval","input":{"employee":"alice","purpose":"train to Lyon","amount":240}}' \
  "$BASE/executions" | jq -r .id)"
curl -fsS -H "Authorization: Bearer $ALICE" "$BASE/executions/$EXECUTION" \
  | jq -e '.status == "WAITING_AGENT" and .flowVersion == 1' >/dev/null || fail "execution $EXECUTION is not waiting on v1"
stop

step "2. v2 only, v1 dropped while an execution of it waits: startup refuses"
deploy v2-only
if serve "$WORK/v2-only-early.log"; then fail "the service started although a v1 execution waits and v1 is gone"; fi
[ "$EXIT" -ne 0 ] || fail "the refusing service exited 0"
grep '"refusing to start' "$LOG" | jq -e '.flow == "expense-approval" and .version == 1 and .count == 1' >/dev/null \
  || fail "no JSON line naming expense-approval v1 and its 1 unfinished execution"

step "3. v1 and v2 together: count, dry run, migrate, answer on v2"
deploy v2
grep -q 'Tests run: [1-9][0-9]*, Failures: 0, Errors: 0' "$PROJECT"/target/surefire-reports/*ExpenseMigrationTest.txt \
  || fail "the flow project's migration test did not run"
serve "$WORK/v1-v2.log" || fail "v1+v2 did not start"
curl -fsS -H "Authorization: Bearer $ADMIN" "$BASE/flows" \
  | jq -e '.[] | select(.name == "expense-approval") | .version == 2 and ([.versions[] | {version, unfinished}] == [{"version":1,"unfinished":1},{"version":2,"unfinished":0}])' >/dev/null \
  || fail "GET /flows does not count the v1 execution: $(curl -sS -H "Authorization: Bearer $ADMIN" "$BASE/flows")"
migrate() {
  curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"from\":1,\"to\":2,\"dryRun\":$1,\"limit\":100}" "$BASE/flows/expense-approval/migrations"
}
migrate true | jq -e --arg id "$EXECUTION" '.wouldMove == [$id] and .moved == [] and .cannot == []' >/dev/null \
  || fail "the dry run does not say $EXECUTION would move"
curl -fsS -H "Authorization: Bearer $ALICE" "$BASE/executions/$EXECUTION" | jq -e '.flowVersion == 1' >/dev/null \
  || fail "the dry run moved the execution"
migrate false | jq -e --arg id "$EXECUTION" '.moved == [$id] and .cannot == []' >/dev/null \
  || fail "the migration did not move $EXECUTION"
curl -fsS -H "Authorization: Bearer $ALICE" "$BASE/executions/$EXECUTION/events" \
  | jq -e '[.[] | select(.type == "MIGRATED")] | length == 1' >/dev/null || fail "no MIGRATED event"
REQUEST="$(curl -fsS -H "Authorization: Bearer $MIA" "$BASE/agent-requests?execution=$EXECUTION" | jq -r '.[0].id')"
SETTLED="$(curl -fsS -H "Authorization: Bearer $MIA" -H 'Content-Type: application/json' -H 'Prefer: wait=20' \
  -d '{"approved":true,"comment":"fine"}' "$BASE/agent-requests/$REQUEST/answer" | jq -r .executionStatus)"
[ "$SETTLED" = COMPLETED ] || fail "the moved execution is $SETTLED after the answer, not COMPLETED"
curl -fsS -H "Authorization: Bearer $ALICE" "$BASE/executions/$EXECUTION" \
  | jq -e '.flowVersion == 2 and .state.currency == "EUR" and .state.decision == "APPROVED" and .state.decidedBy == "mia"' \
  >/dev/null || fail "execution $EXECUTION did not end APPROVED by mia on v2"
curl -fsS -H "Authorization: Bearer $ADMIN" "$BASE/flows" \
  | jq -e '.[] | select(.name == "expense-approval") | [.versions[] | select(.version == 1) | .unfinished] == [0]' >/dev/null \
  || fail "v1 still counts unfinished executions"
stop

step "4. v2 only, now that v1's count is zero: it starts and runs v2"
deploy v2-only
serve "$WORK/v2-only.log" || fail "v2 alone did not start with no v1 execution left"
curl -fsS -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' -H 'Prefer: wait=20' \
  -d '{"flow":"expense-approval","input":{"employee":"alice","purpose":"hotel","amount":90,"currency":"CHF"}}' \
  "$BASE/executions" | jq -e '.flowVersion == 2 and .status == "WAITING_AGENT"' >/dev/null \
  || fail "a new execution does not wait on v2"
stop
step "done: refused while v1 was needed, migrated with a dry run first, completed on v2, v1 removed"
