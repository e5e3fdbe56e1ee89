#!/usr/bin/env bash
# Debian packages the tests need: Chromium for browser tests, PostgreSQL's server binaries,
# Noto fonts for the six UN scripts. Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fc-list 2>/dev/null | grep -q "NotoSansArabic" || need+=(fonts-noto-core)
fc-list 2>/dev/null | grep -q "NotoSansCJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  if [ "$(id -u)" != 0 ]; then echo "run as root (or install them): ${need[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
