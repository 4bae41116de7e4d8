#!/usr/bin/env bash
# Crawl throughput against the portal simulator on loopback, politeness
# delays at 0: pages fetched and stored per second, CPU time per page and
# peak RSS of `nianbao crawl`.
#   bench/crawl_bench.sh [listing_pages (100 reports each)] [build dir]
set -euo pipefail
pages=${1:-30}
build=${2:-build}
dir=$(mktemp -d)
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/lib.sh"
start_sim "$build/sim/nianbao-sim" "$dir"
{ bench_yaml "$dir"; cat <<YAML; } > "$dir/c.yaml"
portals:
  - name: bulk
    start_urls: ["$base/bulk/list_0.shtml"]
    allow_hosts: ["127.0.0.1"]
    allow_private_addresses: true
    max_pages: $pages
YAML
/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$build/nianbao" crawl -c "$dir/c.yaml" > "$dir/out" 2> "$dir/log"
read -r wall user sys rss_kb < "$dir/time"
fetched=$(sed -n 's/^pages fetched: \([0-9]*\).*/\1/p' "$dir/out")
stored=$(sed -n 's/.*reports stored: \([0-9]*\).*/\1/p' "$dir/out")
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss_kb" -v f="$fetched" -v st="$stored" 'BEGIN {
  printf "pages fetched %d, reports stored %d in %.2f s: %.0f pages/s, CPU %.2f ms/page (user %.2f s, sys %.2f s), peak RSS %.1f MiB\n",
         f, st, w, f / w, 1000 * (u + s) / f, u, s, r / 1024 }'
