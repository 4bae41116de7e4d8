#!/usr/bin/env bash
# Installs what nianbao needs on Debian 12 (as root, with apt-get) and builds
# it into ./build. Safe to run again: it installs only what is missing and
# rebuilds only what changed. With --tests it also installs what the tests
# need beyond the build (chromium: the HTML ledger is checked in a real
# headless browser).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config python3 ca-certificates
  libcurl4-openssl-dev libgumbo-dev libboost-dev librocksdb-dev libyaml-cpp-dev
  doctest-dev libuchardet-dev nlohmann-json3-dev libssl-dev
  libpoppler-cpp-dev libzip-dev libpugixml-dev libsystemd-dev systemd libcli11-dev)
if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2   # the project's machines have 2 cores; keep one build at a time
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
