#!/usr/bin/env bash
# The end of a run on a benchmark farm: N hosts (127.0.1.1 …, nianbao-sim
# --farm), no politeness delays, each host's connections closed without an
# answer after K requests (--close-after: "Empty reply from server" on a
# reused connection). One portal per host: its first bulk listing page and
# the 100 report pages it links. Prints the crawl's wall time, when the
# simulator finished its last response, and the tail between the two.
#   bench/farm_bench.sh [hosts] [close_after] [build dir] [nianbao binary]
set -euo pipefail
hosts=${1:-40}
close_after=${2:-20}
build=${3:-build}
bin=${4:-$build/nianbao}
dir=$(mktemp -d)
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
"$build/sim/nianbao-sim" --port 0 --farm "$hosts" --close-after "$close_after" --log "$dir/requests.log" > "$dir/sim.out" &
sim=$!
for _ in $(seq 50); do grep -q listening "$dir/sim.out" && break; sleep 0.1; done
port=$(sed -n 's|listening http://[^:]*:\([0-9]*\)/.*|\1|p' "$dir/sim.out")
{
  cat <<YAML
storage:
  path: $dir/db
crawl:
  per_host_concurrency: 4
  per_host_delay_ms: 0
  max_connections: 64
portals:
YAML
  for i in $(seq "$hosts"); do
    cat <<YAML
  - name: farm$i
    start_urls: ["http://127.0.1.$i:$port/bulk/list_0.shtml"]
    allow_hosts: ["127.0.1.$i"]
    allow_private_addresses: true
    max_pages: 1
YAML
  done
} > "$dir/c.yaml"
start_us=$(date +%s%6N)
${PERF:-} /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$bin" crawl -c "$dir/c.yaml" > "$dir/out" 2> "$dir/log"
end_us=$(date +%s%6N)
read -r wall user sys rss_kb < "$dir/time"
last_us=$(awk '{ if ($2 > m) m = $2 } END { print m }' "$dir/requests.log")
requests=$(wc -l < "$dir/requests.log")
fetched=$(sed -n 's/^pages fetched: \([0-9]*\).*/\1/p' "$dir/out")
errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$dir/out")
awk -v s="$start_us" -v e="$end_us" -v l="$last_us" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss_kb" \
    -v n="$requests" -v f="$fetched" -v x="$errors" -v h="$hosts" -v k="$close_after" 'BEGIN {
  printf "%d hosts, close after %d: %d responses logged, pages fetched %d, errors %d\n", h, k, n, f, x
  printf "last response at %.2f s, crawl exited at %.2f s: tail %.2f s; CPU %.2f s (user %.2f, sys %.2f), peak RSS %.1f MiB\n",
         (l - s) / 1e6, (e - s) / 1e6, (e - l) / 1e6, u + y, u, y, r / 1024 }'
