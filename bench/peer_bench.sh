#!/usr/bin/env bash
# One run, three measurements on the same pages and the same machine:
#  1. nianbao crawls the no-delay farm (N hosts on 127.0.1.x, nianbao-sim
#     --farm; one portal per host: its first bulk listing page and the 100
#     report pages it links, each extracted, checked and stored in RocksDB);
#  2. Scrapy + readability-lxml crawls a fresh farm the same way
#     (bench/scrapy/farm_spider.py; apt-get install python3-scrapy python3-readability);
#  3. Gumbo's parse alone of the farm's report pages (extract_bench, one core).
# Prints requests/s, CPU per request, peak RSS for both crawlers, nianbao's
# crawl CPU per stored report page against Gumbo's parse of such a page,
# and the ratios.
#   bench/peer_bench.sh [hosts] [build dir]
set -euo pipefail
hosts=${1:-40}
build=${2:-build}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
sim=
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$dir"' EXIT

start_farm() {  # sets $sim and $port; the simulator logs every request to $1
  "$build/sim/nianbao-sim" --port 0 --farm "$hosts" --log "$1" > "$dir/sim.out" &
  sim=$!
  for _ in $(seq 50); do grep -q listening "$dir/sim.out" && break; sleep 0.1; done
  port=$(sed -n 's|listening http://[^:]*:\([0-9]*\)/.*|\1|p' "$dir/sim.out")
}
stop_farm() { kill "$sim"; wait "$sim" 2>/dev/null || true; sim=; }

# 1. nianbao
start_farm "$dir/nianbao.log"
{
  printf 'storage:\n  path: %s/db\ncrawl:\n  per_host_concurrency: 4\n  per_host_delay_ms: 0\n  max_connections: 64\nportals:\n' "$dir"
  for i in $(seq "$hosts"); do
    printf '  - name: farm%d\n    start_urls: ["http://127.0.1.%d:%s/bulk/list_0.shtml"]\n    allow_hosts: ["127.0.1.%d"]\n    allow_private_addresses: true\n    max_pages: 1\n' "$i" "$i" "$port" "$i"
  done
} > "$dir/c.yaml"
/usr/bin/time -f "%e %U %S %M" -o "$dir/n.time" "$build/nianbao" crawl -c "$dir/c.yaml" > "$dir/n.out" 2> "$dir/n.log"
read -r n_wall n_user n_sys n_rss < "$dir/n.time"
n_req=$(wc -l < "$dir/nianbao.log")
n_reports=$(sed -n 's/.*reports stored: \([0-9]*\).*/\1/p' "$dir/n.out" | head -1)
[ -n "$n_reports" ] || n_reports=$(grep -o 'new reports[^0-9]*[0-9]*' "$dir/n.out" | grep -o '[0-9]*$' | head -1)
# Report pages of this farm, for Gumbo's parse alone.
mkdir -p "$dir/pages"
# (request log: start end method target status bytes …)
awk '$4 ~ /^\/bulk\// && $4 !~ /list_/ { print $4 }' "$dir/nianbao.log" | sort -u | head -20 > "$dir/targets"
k=0
while read -r target; do
  curl -s "http://127.0.1.1:$port$target" -o "$dir/pages/$k.html"
  k=$((k + 1))
done < "$dir/targets"
stop_farm

# 2. Scrapy + readability-lxml
start_farm "$dir/scrapy.log"
(cd "$dir" && /usr/bin/time -f "%e %U %S %M" -o "$dir/s.time" /usr/bin/python3 -m scrapy runspider \
    "$here/scrapy/farm_spider.py" -a port="$port" -a hosts="$hosts" -O "$dir/items.jsonl" 2> "$dir/s.log")
read -r s_wall s_user s_sys s_rss < "$dir/s.time"
s_req=$(wc -l < "$dir/scrapy.log")
s_items=$(wc -l < "$dir/items.jsonl")
stop_farm

# 3. Gumbo alone on the farm's report pages
gumbo=$("$build/bench/extract_bench" 2 "$dir"/pages/*.html | sed -n 's/^gumbo parse only: *\([0-9.]*\) pages.*/\1/p')

awk -v h="$hosts" -v nw="$n_wall" -v nu="$n_user" -v ns="$n_sys" -v nr="$n_rss" -v nq="$n_req" -v np="$n_reports" \
    -v sw="$s_wall" -v su="$s_user" -v ss="$s_sys" -v sr="$s_rss" -v sq="$s_req" -v si="$s_items" -v g="$gumbo" 'BEGIN {
  ncpu = nu + ns; scpu = su + ss
  printf "farm: %d hosts, no delay, 4 per host, 64 connections; simulator on the same cores\n", h
  printf "%-30s %8s %9s %8s %10s %12s %9s\n", "crawler", "requests", "stored", "wall s", "req/s", "CPU ms/req", "peak RSS"
  printf "%-30s %8d %9d %8.2f %10.0f %12.2f %7.1f MiB\n", "nianbao", nq, np, nw, nq / nw, 1000 * ncpu / nq, nr / 1024
  printf "%-30s %8d %9d %8.2f %10.0f %12.2f %7.1f MiB\n", "scrapy + readability-lxml", sq, si, sw, sq / sw, 1000 * scpu / sq, sr / 1024
  printf "nianbao / scrapy: req/s %.2fx, CPU per request %.2fx, peak RSS %.2fx\n", (nq / nw) / (sq / sw), (ncpu / nq) / (scpu / sq), nr / sr
  if (np > 0 && g > 0)
    printf "nianbao crawl CPU per stored report page %.2f ms; Gumbo parse alone of such a page %.2f ms: %.2fx Gumbo\n",
           1000 * ncpu / np, 1000 / g, (1000 * ncpu / np) / (1000 / g)
}'
