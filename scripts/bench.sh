#!/usr/bin/env bash
# `make bench`: run every benchmark in bench/; each prints its figures as JSON on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/[!_]*.py; do
  echo "== $b =="
  .venv/bin/python "$b"
done
