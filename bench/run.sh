#!/usr/bin/env bash
# The benchmark command: builds Release, starts what it needs on loopback (the API on a temp SQLite file and on a
# throw-away PostgreSQL, the FHIR test server), runs every benchmark, prints a summary table and stops what it started.
# Usage: bench/run.sh [--quick]        --quick: a short smoke run (small data, seconds per benchmark), figures not for the docs
# Env:   BENCH_ONLY="points-sqlite points-postgres fhir mapping ranking ml nightly" (a subset), BENCH_ARTIFACTS=<dir>
#        (build with --artifacts-path, to stay out of bin/ folders others use), BENCH_API_PORT 5190, BENCH_PG_PORT 55460,
#        BENCH_FHIR_PORT 58095
set -euo pipefail
# Everything is inside main so bash reads the whole script before running it: editing it mid-run cannot derail a run.
main() {
cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=0; [ "${1:-}" = "--quick" ] && QUICK=1
ONLY=${BENCH_ONLY:-points-sqlite points-postgres fhir mapping ranking ml nightly}
WORK=$(mktemp -d /tmp/benefit-bench.XXXXXX)
chmod 755 "$WORK"
API_PORT=${BENCH_API_PORT:-5190}
PG_PORT=${BENCH_PG_PORT:-55460}
export FHIR_TEST_PORT=${BENCH_FHIR_PORT:-58095}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RESULTS="$WORK/results.tsv"
KEY=$(head -c 48 /dev/urandom | base64 -w0)
API_PID=""; PG_BIN=""; FHIR_STARTED=0

log() { printf '\n== %s   [%s, load %s]\n' "$*" "$(date +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }
# RESULT lines go to the summary; everything else is shown as it happens.
collect() { tee -a "$WORK/bench.log" | while IFS= read -r line; do
  if [[ $line == RESULT$'\t'* ]]; then printf '%s\n' "${line#RESULT$'\t'}" >>"$RESULTS"; printf '  %s\n' "${line#RESULT$'\t'}"; else printf '%s\n' "$line"; fi
done; }
result() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" "$(cut -d' ' -f1 /proc/loadavg)" "${6:-}" | tee -a "$RESULTS"; }

stop_api() { if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; API_PID=""; fi; }
stop_pg() { if [ -n "$PG_BIN" ] && [ -f "$WORK/pg/data/postmaster.pid" ]; then su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg/data -m fast -w stop" >/dev/null 2>&1 || true; fi; }
cleanup() {
  stop_api
  [ "$FHIR_STARTED" = 1 ] && tools/fhir-test-server/run.sh stop >/dev/null 2>&1
  stop_pg
  [ -f "$RESULTS" ] && cp "$RESULTS" "/tmp/benefit-bench-results-$(date +%Y%m%d-%H%M%S).tsv"
  rm -rf "$WORK"
}
trap cleanup EXIT

log "Machine"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(free -h | awk '/^Mem:/{print $2" RAM"}'); .NET SDK $(dotnet --version); $(uptime | sed 's/.*load/load/')"
lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz' | sed 's/  */ /g'

log "Build (Release)"
build() {
  if [ -n "${BENCH_ARTIFACTS:-}" ]; then dotnet build "$1" -c Release -nologo -clp:ErrorsOnly --artifacts-path "$BENCH_ARTIFACTS" >/dev/null
  else dotnet build "$1" -c Release -nologo -clp:ErrorsOnly >/dev/null; fi
}
output() { if [ -n "${BENCH_ARTIFACTS:-}" ]; then echo "$BENCH_ARTIFACTS/bin/$2/release"; else echo "$ROOT/$1/bin/Release/net10.0"; fi; }
build src/Api && build src/Recommender.Cli && build bench/Benefit.Bench
API_DIR=$(output src/Api Benefit.Api)
ML="dotnet $(output src/Recommender.Cli Benefit.Recommender.Cli)/benefit-ml.dll"
BENCH="dotnet $(output bench/Benefit.Bench Benefit.Bench)/benefit-bench.dll"

if [ "$QUICK" = 1 ]; then
  POINTS="--warmup 2 --seconds 5"; FHIR_SAMPLE=20; BDN="--quick"; COHORT_P=10000; COHORT_I=100000; NIGHTLY_FHIR=20
else
  POINTS="--warmup 30 --seconds 20"; FHIR_SAMPLE=100; BDN=""; COHORT_P=100000; COHORT_I=1000000; NIGHTLY_FHIR=100
fi

# The API as its own process, run from its build folder (catalogues, demo bundles and default model are copied there).
start_api() {
  local provider=$1 connection=$2
  (cd "$API_DIR" && exec env ASPNETCORE_ENVIRONMENT=Benchmark Demo__Seed=true Database__Provider="$provider" ConnectionStrings__Benefit="$connection" \
    Jobs__RunServer=false Jobs__SqlitePath="$WORK/hangfire-$provider.db" Models__WorkDirectory="$WORK/models-$provider" \
    RateLimits__PermitsPerRole__provider=100000000 RateLimits__PermitsPerRole__patient=100000000 RateLimits__PermitsPerRole__clinician=100000000 RateLimits__PermitsPerRole__admin=100000000 \
    RateLimits__ReadPermitsPerRole__patient=100000000 RateLimits__ReadPermitsPerRole__clinician=100000000 RateLimits__ReadPermitsPerRole__provider=100000000 \
    Logging__LogLevel__Default=Warning \
    Authentication__Schemes__Bearer__ValidIssuer=benefit-bench Authentication__Schemes__Bearer__ValidAudiences__0=benefit-api \
    Authentication__Schemes__Bearer__SigningKeys__0__Issuer=benefit-bench Authentication__Schemes__Bearer__SigningKeys__0__Value="$KEY" \
    dotnet Benefit.Api.dll --urls "http://127.0.0.1:$API_PORT") >"$WORK/api-$provider.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$API_PORT/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$API_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "API did not become ready:"; tail -n 40 "$WORK/api-$provider.log"; exit 1
}
# A durable commit waits for at least one fsync, so this bounds serial commits per second on this disk right now.
fsync_probe() {
  local ms
  ms=$(dd if=/dev/zero of="$WORK/fsync-test" bs=4k count=200 oflag=dsync 2>&1 | awk '/copied/{printf "%.2f", $(NF-3)*1000/200}')
  rm -f "$WORK/fsync-test"
  result "$1" "fsync'd 4 KiB write (dd oflag=dsync)" "$ms" ms "" "at most $(awk "BEGIN{printf \"%.0f\", 1000/$ms}") durable commits/s one after another"
}
points() {
  fsync_probe "points/$1"
  $BENCH points --api "http://127.0.0.1:$API_PORT" --key "$KEY" --label "$1" --api-pid "$API_PID" --db-process "${3:-}" --clients 32 $POINTS --target "$2" | collect || failed "points $1"
}
# One benchmark failing must not stop the others; the summary says which one failed.
failed() { echo "!! $1 failed"; result "$1" "FAILED (see the log above)" "" "" ""; }

if wants points-sqlite; then
  log "Points over HTTP: SQLite (WAL, default synchronous), 32 clients"
  start_api sqlite "Data Source=$WORK/benefit.db"
  points sqlite "≥ 2,000/s"
  stop_api
fi

if wants points-postgres; then
  log "Points over HTTP: PostgreSQL (default durability: fsync on, synchronous_commit on), 32 clients"
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  mkdir -p "$WORK/pg" && chown -R postgres "$WORK/pg"
  su postgres -c "$PG_BIN/initdb -D $WORK/pg/data -A trust -U postgres" >/dev/null
  su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg/data -l $WORK/pg/log -w -o '-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300' start" >/dev/null
  echo "PostgreSQL $($PG_BIN/postgres --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
  start_api postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=benefit_bench;Maximum Pool Size=64"
  points postgres "≥ 4,000/s" postgres
  stop_api
  stop_pg
fi

if wants fhir || wants nightly; then
  log "FHIR test server with 1,000 generated patients"
  $ML generate --patients 1000 --interactions 1000 --fhir-patients 1000 --out "$WORK/fhir-cohort" | tail -n 1
  mkdir -p "$WORK/bundles"
  # The generator writes one Bundle per line; the server loads one Bundle per .json file.
  split -l 1 -d -a 4 --additional-suffix=.json "$WORK/fhir-cohort/fhir.ndjson" "$WORK/bundles/b"
  FHIR_URL=$(tools/fhir-test-server/run.sh start "$WORK/bundles" | tail -n 1); FHIR_STARTED=1
  echo "$FHIR_URL: $(tail -n 1 "${TMPDIR:-/tmp}/benefit-fhir-test-server-$FHIR_TEST_PORT/log")"
fi
if wants fhir; then
  log "FHIR sync throughput"
  $BENCH fhir-sync --fhir "$FHIR_URL" --patients 1000 --sample "$FHIR_SAMPLE" --concurrency 4 | collect || failed fhir-sync
fi

if wants mapping; then log "FHIR mapping cost (BenchmarkDotNet)"; $BENCH mapping $BDN | collect || failed mapping; fi
if wants ranking; then
  log "Ranking 200 interventions (BenchmarkDotNet; then benefit-ml bench's Stopwatch timings as a cross-check)"
  $BENCH ranking $BDN | collect || failed ranking
  $ML bench --model models/default --interventions 200 --rounds "$([ "$QUICK" = 1 ] && echo 200 || echo 2000)" || failed "benefit-ml bench"
fi

# /usr/bin/time -v: wall clock and peak resident memory of one command, as RESULT rows.
timed() {
  local area=$1 what=$2; shift 2
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/timed.log" 2>&1 || { tail -n 30 "$WORK/timed.log"; failed "$what"; return 0; }
  grep -E '^ *[0-9. ]+s ' "$WORK/timed.log" | sed 's/^/    /' || true
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$WORK/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$WORK/time.txt")
  cpu=$(awk -F': ' '/Percent of CPU/{print $2}' "$WORK/time.txt")
  result "$area" "$what" "$wall" s "${TARGET:-}" "peak RSS $rss MB; CPU $cpu of one core"
}
COHORT="$WORK/cohort-$COHORT_P"
if wants ml || wants nightly; then
  log "Generate $COHORT_I interactions / $COHORT_P patients"
  timed "ml" "benefit-ml generate ($COHORT_P patients, $COHORT_I interactions)" $ML generate --patients "$COHORT_P" --interactions "$COHORT_I" --fhir-patients 0 --out "$COHORT"
fi
if wants ml; then
  log "Train + evaluate on $COHORT_I interactions (benefit-ml train: FFM, popularity, guideline and LightGBM baselines)"
  TARGET="≤ 60 s" timed "ml" "benefit-ml train (train + evaluate, with LightGBM baseline)" $ML train --data "$COHORT" --out "$WORK/models" --version bench --seed 42 --replace
  TARGET="≤ 60 s" timed "ml" "benefit-ml train --no-lightgbm (train + evaluate FFM and simple baselines)" $ML train --data "$COHORT" --out "$WORK/models" --version bench-nolgbm --seed 42 --replace --no-lightgbm
fi
RATINGS="$ROOT/../shared/data/movielens-latest-small/ratings.csv"
if wants ml && [ -f "$RATINGS" ]; then
  log "MovieLens-style evaluation (ml-latest-small, 75/25 split per item, seed 42, top-10 over unseen items)"
  timed "ml" "benefit-ml evaluate-ratings (ml-latest-small, 100k ratings)" $ML evaluate-ratings --ratings "$RATINGS" --seed 42 --stratify item
  grep -E '│|split per' "$WORK/timed.log" || true
fi
if wants nightly; then
  log "Nightly cycle stages (RetrainJob's sequence) on $COHORT_P patients, FHIR sample $NIGHTLY_FHIR"
  $BENCH nightly --data "$COHORT" --patients "$COHORT_P" --interactions "$COHORT_I" --fhir "$FHIR_URL" --fhir-patients "$NIGHTLY_FHIR" --out "$WORK/nightly-models" | collect || failed nightly
fi

log "Summary"
{
  printf '| area | figure | value | unit | target | load (1 min) | notes |\n|---|---|---|---|---|---|---|\n'
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$RESULTS"
} | tee "$WORK/summary.md"
cp "$WORK/summary.md" "/tmp/benefit-bench-summary-$(date +%Y%m%d-%H%M%S).md"
}
main "$@"; exit $?
