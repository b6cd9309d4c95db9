#!/usr/bin/env bash
# Start the action server and the Rasa server on this machine, and say where to chat.
#   scripts/run.sh           servers in the foreground until Ctrl-C
#   scripts/run.sh --shell   action server in the background, `rasa shell` in this terminal
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${CODECARE_HOST:-127.0.0.1}
PORT=${CODECARE_PORT:-5005}
ACTIONS_PORT=${CODECARE_ACTIONS_PORT:-5055}
MODEL=${CODECARE_MODEL:-models/codecare.tar.gz}
LOGS=${CODECARE_LOG_DIR:-var/log}
mkdir -p "$LOGS"
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
# endpoints.yml reads its settings from the environment; on one machine: this action
# server, conversations in SQLite under CODECARE_DATA_DIR (var/), in-memory locks.
export CODECARE_ACTION_URL=${CODECARE_ACTION_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
mkdir -p "${CODECARE_DATA_DIR:-var}"
eval "$("$BIN/python" -m ops env)"
# Bad input and security (README, "Privacy and security"): a shared secret between the two
# servers (a fresh one per run unless set), the action server on loopback only, and request
# bodies to the Rasa server limited to CODECARE_MAX_BODY bytes (Sanic's REQUEST_MAX_SIZE).
export CODECARE_ACTION_TOKEN=${CODECARE_ACTION_TOKEN:-$("$BIN/python" -c 'import secrets; print(secrets.token_hex(16))')}
MAX_BODY=${CODECARE_MAX_BODY:-65536}

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM  # leave at once, even mid-startup; the EXIT trap stops the servers

wait_for() {  # url, name, log, seconds
  for _ in $(seq 1 "$4"); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$2 did not start within $4 s; see $3" >&2
  tail -n 20 "$3" >&2
  exit 1
}

"$BIN/python" -m ops.actions --host 127.0.0.1 --port "$ACTIONS_PORT" >"$LOGS/actions.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ACTIONS_PORT/health" "The action server" "$LOGS/actions.log" 60

if [[ "${1:-}" == "--shell" ]]; then
  "$BIN/python" -m ops.launch shell --model "$MODEL"
  exit 0
fi

SANIC_REQUEST_MAX_SIZE=$MAX_BODY "$BIN/python" -m ops.launch run --model "$MODEL" --interface "$HOST" --port "$PORT" --enable-api \
  --credentials credentials.yml --endpoints endpoints.yml >"$LOGS/rasa.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PORT/status" "The Rasa server" "$LOGS/rasa.log" 120
until curl -fsS "http://127.0.0.1:$PORT/status" | grep -q '"model_id"'; do sleep 1; done

cat <<MSG

Code & Care is running.
  Chat in the browser:   http://$HOST:$PORT/webhooks/codecare/demo/   (mock intranet page, strict CSP)
  Chat in the terminal:  make shell   (in another terminal: it starts its own servers)
  REST channel:          curl -s -XPOST http://$HOST:$PORT/webhooks/rest/webhook \\
                           -d '{"sender": "me", "message": "what does a clinical informaticist do?"}'
  Logs:                  $LOGS/
  Conversations:         kept across restarts (make report, make purge DAYS=N, make erase ID=...)
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
