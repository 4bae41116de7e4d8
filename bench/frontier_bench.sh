#!/usr/bin/env bash
# Peak RSS of `nianbao crawl` resuming a run whose frontier queue holds N
# URLs (default 1,000,000), stopped with SIGTERM after S seconds (default
# 20): memory must not grow with the queue.
#   bench/frontier_bench.sh [N] [S] [build dir]
set -euo pipefail
n=${1:-1000000}
secs=${2:-20}
build=${3:-build}
dir=$(mktemp -d)
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/lib.sh"
start_sim "$build/sim/nianbao-sim" "$dir"
start=$(date +%s.%N)
"$build/bench/frontier_fill" "$dir/db" "$base" "$n"
fill=$(echo "$(date +%s.%N) - $start" | bc)
{ bench_yaml "$dir"; cat <<YAML; } > "$dir/c.yaml"
portals:
  - name: bulk
    start_urls: ["$base/bulk/list_0.shtml"]
    allow_hosts: ["127.0.0.1"]
    allow_private_addresses: true
YAML
/usr/bin/time -f "%e %M" -o "$dir/time" "$build/nianbao" crawl -c "$dir/c.yaml" > "$dir/out" 2> "$dir/log" &
crawl=$!
sleep "$secs"
kill -TERM "$(pgrep -P $crawl nianbao || echo $crawl)" 2>/dev/null || true
wait $crawl || true
read -r wall rss_kb < "$dir/time"
echo "queue of $n URLs filled in ${fill}s; crawl ran ${wall}s: $(sed -n 's/^pages fetched: \([0-9]*\).*/\1/p' "$dir/out") pages, peak RSS $((rss_kb / 1024)) MiB, db $(du -sh "$dir/db" | cut -f1)"
