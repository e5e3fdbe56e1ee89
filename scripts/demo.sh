#!/usr/bin/env bash
# Set up and serve the Hanoi demo on SQLite: migrate, load data, start the task workers, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
BIN=.venv/bin
export CONVENE_DEBUG="${CONVENE_DEBUG:-1}"

$BIN/convene migrate --noinput
$BIN/convene demo_data

# One task worker per core (badge batches render their parts in parallel); `tasks worker` first
# queues again what a killed worker left running. --skip-checks: the web process runs Django's
# system checks; a worker starts in under a second without them.
WORKERS=()
for _ in $(seq "${CONVENE_WORKERS:-$(nproc)}"); do
  $BIN/convene tasks --skip-checks worker &
  WORKERS+=($!)
done
trap 'kill "${WORKERS[@]}" 2>/dev/null || true' EXIT INT TERM

echo
echo "Convene is serving the Hanoi demo at http://127.0.0.1:${PORT}/  (Ctrl-C stops it)"
$BIN/convene runserver "127.0.0.1:${PORT}" --noreload
