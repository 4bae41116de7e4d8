#!/usr/bin/env bash
# Soak: `nianbao serve` against the portal simulator for DURATION seconds of
# repeated refreshes (schedule every 30 s, every stored report revisited on
# each, politeness delays 0), sampling the service every SAMPLE seconds:
# resident memory, open descriptors, database size on disk, and from
# /metrics the pages fetched and refreshes finished. Prints one TSV row per
# sample and a summary; memory and descriptors must stay flat.
#   bench/soak.sh [duration_s=1200] [sample_s=60] [build dir=build] [bulk listing pages=10]
set -euo pipefail
duration=${1:-1200}
sample=${2:-60}
build=${3:-build}
bulk_pages=${4:-10}
dir=$(mktemp -d)
# Copies: a rebuild during the soak must not replace the running binaries.
cp "$build/nianbao" "$build/sim/nianbao-sim" "$dir/"
sim= svc=
trap 'kill $svc $sim 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/lib.sh"
start_sim "$dir/nianbao-sim" "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{ bench_yaml "$dir"; cat <<YAML; } > "$dir/c.yaml"
schedule:
  refresh: "*/30 * * * * *"
  revisit_after_days: 0
admin:
  listen: 127.0.0.1:$port
portals:
  - name: sim
    start_urls: ["$column"]
    allow_hosts: ["127.0.0.1"]
    allow_private_addresses: true
  - name: bulk
    start_urls: ["$base/bulk/list_0.shtml"]
    allow_hosts: ["127.0.0.1"]
    allow_private_addresses: true
    max_pages: $bulk_pages
YAML
"$dir/nianbao" serve -c "$dir/c.yaml" 2> "$dir/serve.log" &
svc=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

metric() {  # metric NAME [LABELS]: the sample's value, summed over label sets when none given
  curl -sf "http://127.0.0.1:$port/metrics" | awk -v n="$1" -v l="${2:-}" '
    $1 == n l || (l == "" && index($1, n "{") == 1) { s += $2 } END { printf "%d", s }'
}
printf 'elapsed_s\trss_mib\topen_fds\tdb_mib\tmemtables_mib\tblock_cache_mib\tpages_fetched\trefreshes_ok\treports\n'
start=$(date +%s)
while :; do
  now=$(( $(date +%s) - start ))
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$svc/status")
  fds=$(ls "/proc/$svc/fd" | wc -l)
  db=$(du -sm "$dir/db" | cut -f1)
  printf '%d\t%s\t%d\t%d\t%.1f\t%.1f\t%d\t%d\t%d\n' "$now" "$rss" "$fds" "$db" \
    "$(awk -v b="$(metric nianbao_rocksdb_memtable_bytes)" 'BEGIN { print b / 1048576 }')" \
    "$(awk -v b="$(metric nianbao_rocksdb_block_cache_bytes)" 'BEGIN { print b / 1048576 }')" \
    "$(metric nianbao_pages_fetched_total)" \
    "$(metric nianbao_runs_total '{mode="refresh",outcome="ok"}')" "$(metric nianbao_reports_stored)"
  [ "$now" -ge "$duration" ] && break
  sleep "$sample"
done
kill -TERM "$svc"
t0=$(date +%s%N)
wait "$svc" && code=0 || code=$?
echo "# SIGTERM: exit $code after $(( ($(date +%s%N) - t0) / 1000000 )) ms; errors logged: $(grep -c 'level=error' "$dir/serve.log" || true)"
