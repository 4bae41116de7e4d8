# Shared by the bench scripts (source it): the portal simulator and the
# crawl settings every throughput benchmark uses.

# start_sim SIM_BIN DIR: starts the simulator on a free loopback port; sets
# $sim (its pid), $column (the TRS column URL) and $base (scheme://host:port).
start_sim() {
  "$1" --port 0 > "$2/sim.out" &
  sim=$!
  for _ in $(seq 50); do grep -q listening "$2/sim.out" && break; sleep 0.1; done
  column=$(sed -n 's|listening \(http://.*\)|\1|p' "$2/sim.out")
  base=${column%%/zwgk/*}
}

# bench_yaml DIR: the storage and crawl sections: database in DIR/db,
# politeness delays 0, 16 requests per host, 64 connections.
bench_yaml() {
  cat <<YAML
storage:
  path: $1/db
crawl:
  per_host_concurrency: 16
  per_host_delay_ms: 0
  max_connections: 64
YAML
}
