#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine: Debian's Python build tools for the
# wheel (no PyPI here), then the npm dependencies from the lock file. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# (separate checks: importing pip before setuptools trips setuptools' distutils hack)
{ /usr/bin/python3 -m pip --version && /usr/bin/python3 -c 'import setuptools' && /usr/bin/python3 -c 'import wheel'; } >/dev/null 2>&1 \
  || need_apt+=(python3-pip python3-setuptools python3-wheel)
# A real server for the engine's differential tests and benchmarks (redis-server, redis-cli, redis-benchmark).
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v redis-benchmark >/dev/null 2>&1 || need_apt+=(redis-tools)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (Debian)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
  # The package may start a system redis-server; tests start their own on free ports.
  if command -v service >/dev/null 2>&1; then $sudo service redis-server stop >/dev/null 2>&1 || true; fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
