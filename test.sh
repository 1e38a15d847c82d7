#!/usr/bin/env bash
# Installs and starts everything the tests need (PostgreSQL 15, the FHIR test server), runs every test
# in the solution, stops what it started, and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/benefit-test.XXXXXX)
PG_PORT=${BENEFIT_TEST_PG_PORT:-55432}
export FHIR_TEST_PORT=${FHIR_TEST_PORT:-58080}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '\n== %s\n' "$*"; }

cleanup() {
  [ -x tools/fhir-test-server/run.sh ] && tools/fhir-test-server/run.sh stop >/dev/null 2>&1
  if [ -n "${PG_BIN:-}" ] && [ -f "$WORK/pg/data/postmaster.pid" ]; then
    su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg/data -m fast -w stop" >/dev/null 2>&1
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing ${missing[*]} from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

log "PostgreSQL"
apt_install postgresql
apt_install chromium
export BENEFIT_TEST_CHROMIUM=/usr/bin/chromium
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
chmod 755 "$WORK"   # mktemp makes it 0700; the postgres user must reach its data folder
mkdir -p "$WORK/pg" && chown -R postgres "$WORK/pg"
su postgres -c "$PG_BIN/initdb -D $WORK/pg/data -A trust -U postgres" >/dev/null
su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg/data -l $WORK/pg/log -w -o '-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off' start" >/dev/null \
  || { cat "$WORK/pg/log" 2>/dev/null; echo "PostgreSQL did not start"; echo "0 passed, 1 failed"; exit 1; }
export BENEFIT_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
echo "PostgreSQL $($PG_BIN/postgres --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

if [ -x tools/fhir-test-server/run.sh ]; then
  log "FHIR test server"
  export BENEFIT_TEST_FHIR_URL=$(tools/fhir-test-server/run.sh start | tail -n 1)
  echo "FHIR R4 server at $BENEFIT_TEST_FHIR_URL"
fi

log "Build"
dotnet tool restore >/dev/null
dotnet build Benefit.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log "Tests"
dotnet test Benefit.sln -c Release --no-build --results-directory "$WORK/results" --logger "trx" --logger "console;verbosity=minimal"
status=$?

passed=0; failed=0; skipped=0
for trx in "$WORK"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
