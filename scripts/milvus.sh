#!/usr/bin/env bash
# The Milvus test server: the standalone Milvus 2.3.5 binary bundled by the PyPI package `milvus`, in a git-ignored
# virtualenv, started on 127.0.0.1:19530 for the Milvus store's tests and bench.
#
#   bash scripts/milvus.sh install   make .venv-milvus with milvus==2.3.5 (≈12 s, 58 MB wheel)
#   bash scripts/milvus.sh start     install if needed, start on a fresh data folder, wait until it answers (≤ 180 s)
#   bash scripts/milvus.sh stop      TERM, wait 10 s, KILL: the server, its Python wrapper, its data folder
#   bash scripts/milvus.sh test      start, run `npm test` with PAPERMAP_MILVUS_ADDRESS set, always stop
#
# Pitfalls (issue 15): the server ignores SIGTERM at times and its wrapper then waits 180 s, so stop kills the whole
# process group after 10 s; the embedded etcd uses the fixed port 2380, so only one instance per machine; its ports
# listen on all interfaces, so run it on a trusted machine only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${PAPERMAP_MILVUS_VENV:-$ROOT/.venv-milvus}"
STATE="$VENV/run"
PORT="${PAPERMAP_MILVUS_PORT:-19530}"
VERSION="2.3.5"
START_TIMEOUT_S="${PAPERMAP_MILVUS_START_TIMEOUT_S:-180}"

install() {
  if [[ -x "$VENV/bin/milvus-server" ]] && "$VENV/bin/python" -c "import milvus,sys; sys.exit(milvus.__version__ != '$VERSION')" 2>/dev/null; then return; fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "milvus==$VERSION"
}

running_pid() {
  [[ -f "$STATE/pid" ]] || return 1
  local pid
  pid="$(cat "$STATE/pid")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

start() {
  if running_pid >/dev/null; then echo "milvus.sh: already running (pid $(cat "$STATE/pid"))"; return; fi
  if port_open; then echo "milvus.sh: port $PORT is taken by another process; stop it or set PAPERMAP_MILVUS_PORT" >&2; return 1; fi
  install
  mkdir -p "$STATE"
  local data
  data="$(mktemp -d "${TMPDIR:-/tmp}/papermap-milvus-XXXXXX")"
  echo "$data" >"$STATE/data"
  # setsid: the wrapper and the server get their own process group, so stop can end both by its id.
  PYTHONUNBUFFERED=1 setsid "$VENV/bin/milvus-server" --data "$data" --proxy-port "$PORT" >"$STATE/server.log" 2>&1 </dev/null &
  echo $! >"$STATE/pid"
  local pid=$! waited=0
  # Ready once the wrapper has seen /healthz answer OK (it then prints its banner) and the proxy port accepts.
  until grep -q '^ Process:' "$STATE/server.log" 2>/dev/null && port_open; do
    if ! kill -0 "$pid" 2>/dev/null || grep -q 'already stopped\|timeout' "$STATE/server.log"; then
      echo "milvus.sh: the server did not start; log: $STATE/server.log, $data/logs/" >&2
      tail -5 "$STATE/server.log" >&2 || true
      stop
      return 1
    fi
    if ((waited >= START_TIMEOUT_S)); then
      echo "milvus.sh: the server did not answer within ${START_TIMEOUT_S} s; log: $data/logs/" >&2
      stop
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "milvus.sh: Milvus $VERSION ready on 127.0.0.1:$PORT after ${waited} s (pid $pid, data $data)"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 10); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    echo "milvus.sh: stopped (pid $pid)"
  fi
  if [[ -f "$STATE/data" ]]; then rm -rf -- "$(cat "$STATE/data")"; fi
  rm -f "$STATE/pid" "$STATE/data"
}

run_tests() {
  trap stop EXIT
  start
  PAPERMAP_MILVUS_ADDRESS="127.0.0.1:$PORT" npm test
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  test) run_tests ;;
  *) echo "usage: bash scripts/milvus.sh install|start|stop|test" >&2; exit 2 ;;
esac
