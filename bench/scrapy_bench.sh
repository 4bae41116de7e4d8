#!/usr/bin/env bash
# The crawl of crawl_bench.sh done by Scrapy (apt-get install python3-scrapy),
# against the same simulator on the same machine.
#   bench/scrapy_bench.sh [listing_pages] [build dir]
set -euo pipefail
pages=${1:-30}
build=${2:-build}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
"$build/sim/nianbao-sim" --port 0 > "$dir/sim.out" &
sim=$!
for _ in $(seq 50); do grep -q listening "$dir/sim.out" && break; sleep 0.1; done
base=$(sed -n 's|listening \(http://[^/]*\)/.*|\1|p' "$dir/sim.out")
cd "$dir"
/usr/bin/time -f "%e %U %S %M" -o "$dir/time" /usr/bin/python3 -m scrapy runspider "$here/scrapy/bulk_spider.py" \
    -a base="$base" -a pages="$pages" -O "$dir/items.jsonl" 2> "$dir/log"
read -r wall user sys rss_kb < "$dir/time"
items=$(wc -l < "$dir/items.jsonl")
fetched=$((items + pages))
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss_kb" -v f="$fetched" -v st="$items" 'BEGIN {
  printf "scrapy: pages fetched %d, items stored %d in %.2f s: %.0f pages/s, CPU %.2f ms/page (user %.2f s, sys %.2f s), peak RSS %.1f MiB\n",
         f, st, w, f / w, 1000 * (u + s) / f, u, s, r / 1024 }'
