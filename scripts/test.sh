#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then on a real PostgreSQL server, browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
# Keys, uploads and the secret key the tests make go to a temporary directory, not var/.
CONVENE_VAR_DIR=$(mktemp -d /tmp/convene-test.XXXXXX)
export CONVENE_VAR_DIR
trap 'rm -rf "$CONVENE_VAR_DIR"' EXIT
# Two workers: CI machines have two cores (each worker gets its own test database).
PYTEST=(.venv/bin/python -m pytest -q -p no:cacheprovider -n "${TEST_WORKERS:-2}" "$@")

echo "== SQLite =="
"${PYTEST[@]}"
echo "== PostgreSQL =="
bash scripts/with-postgres.sh "${PYTEST[@]}"
