#!/usr/bin/env bash
# Debian packages the tests need: Chromium for browser tests, PostgreSQL's server binaries,
# Noto fonts for the six UN scripts (badges), poppler-utils to rasterise a printed badge for a
# QR scanner. Installed only when missing.
set -euo pipefail
need=()
for pkg in chromium postgresql fonts-noto-core fonts-noto-cjk poppler-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  if [ "$(id -u)" != 0 ]; then echo "run as root (or install them): ${need[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
