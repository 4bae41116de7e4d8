#!/usr/bin/env bash
# The real boot test: nianbao.service under systemd as PID 1.
#
# A Debian 12 root is made with debootstrap (systemd and the libraries the
# binary links, found with ldd and dpkg -S on this machine), nianbao is put in
# with `DESTDIR=… cmake --install BUILD`, and the root is booted with
# `systemd-nspawn -b --keep-unit` (no machined, the host's network). The
# simulator runs on the host's loopback; commands run inside with nsenter.
# Checked, in order: READY (systemctl start of a Type=notify unit returns),
# /healthz and /readyz, a start-up refresh stored, reload of a good and of a
# broken configuration, stop, kill -9 and the restart, a backfill instance
# queued in the running service and one run on its own, and, as the service's
# own user in its own mount namespace, that a file written to the state
# directory, /tmp, /var/tmp or /dev/shm cannot be executed and that /usr and
# the configuration cannot be written.
#
#   tests/system/boot_test.sh BUILD_DIR      (root; ctest -L system runs it)
#
# The debootstrapped root is kept in BUILD_DIR/system-test/ for the next run
# (it is remade when the package list changes). Needs root, the network to a
# Debian mirror for the first run, and installs systemd-container and
# debootstrap with apt-get when they are missing.
set -euo pipefail

build=$(realpath "${1:?usage: boot_test.sh BUILD_DIR}")
sim_bin=$build/sim/nianbao-sim
[[ $(id -u) == 0 ]] || { echo "boot_test: must run as root (debootstrap, systemd-nspawn)" >&2; exit 1; }
[[ -x $build/nianbao && -x $sim_bin ]] || { echo "boot_test: build $build first" >&2; exit 1; }
if ! command -v systemd-nspawn >/dev/null || ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q systemd-container debootstrap >/dev/null
fi

failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: the command's success is the check
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- The root -----------------------------------------------------------------------------
# Runtime packages: whatever owns the libraries the binary loads (usrmerge: resolve links).
pkgs=$(for lib in $(ldd "$build/nianbao" | awk '$3 ~ /^\// {print $3}'); do
         dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib"
       done | cut -d: -f1 | sort -u | tr '\n' ',')
pkgs="systemd,systemd-sysv,dbus,${pkgs%,}"
cache=$build/system-test
key=$(echo "$pkgs" | sha256sum | cut -c1-12)
base=$cache/base-$key
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
if [[ ! -e $base/.complete ]]; then
  rm -rf "$cache"/base-* && mkdir -p "$cache"
  echo "debootstrap bookworm into $base ($mirror)…"
  t0=$(date +%s)
  debootstrap --variant=minbase --include="$pkgs" bookworm "$base" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; echo "boot_test: debootstrap failed ($cache/debootstrap.log)" >&2; exit 1; }
  touch "$base/.complete"
  echo "debootstrap took $(($(date +%s) - t0)) s"
fi
root=$cache/root
rm -rf "$root"
cp -a "$base" "$root"

# --- Install ------------------------------------------------------------------------------
DESTDIR=$root cmake --install "$build" > "$cache/install.log"
unit_dir=$(find "$root" -path '*/lib/systemd/system/nianbao.service' -printf '%h\n' | head -1)
[[ -n $unit_dir ]] || { echo "boot_test: no nianbao.service installed" >&2; exit 1; }
exec_start=$(sed -n 's/^ExecStart=//p' "$unit_dir/nianbao.service")
bin=${exec_start%% *}
config=${exec_start##* -c }
[[ -x $root$bin && -f $root$config ]] || { echo "boot_test: the unit names $bin and $config, not installed" >&2; exit 1; }
echo "installed: ${unit_dir#"$root"}, $bin, $config"

# --- The simulator on the host's loopback, and the configuration --------------------------
work=$(mktemp -d)
nspawn=
sim=
cleanup() {
  [[ -n $nspawn ]] && kill "$nspawn" 2>/dev/null && wait "$nspawn" 2>/dev/null
  [[ -n $sim ]] && kill "$sim" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$sim_bin" --port 0 --log "$work/requests.log" > "$work/sim.out" &
sim=$!
for _ in $(seq 50); do grep -q listening "$work/sim.out" && break; sleep 0.1; done
column=$(sed -n 's/^listening //p' "$work/sim.out")
admin_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
admin=127.0.0.1:$admin_port
sed -i -e "s|^\(\s*listen:\s*\)127.0.0.1:9380|\1$admin|" -e 's|per_host_delay_ms: [0-9]*|per_host_delay_ms: 0|' "$root$config"
cat >> "$root$config" <<YAML
portals:
  - name: sim
    start_urls: ["$column"]
    allow_hosts: ["127.0.0.1"]
    allow_private_addresses: true
YAML
grep -q "listen: $admin" "$root$config" || { echo "boot_test: admin.listen not found in $config" >&2; exit 1; }
cp "$root$config" "$work/good.yaml"

# --- Boot ---------------------------------------------------------------------------------
systemd-nspawn -D "$root" -b --register=no --keep-unit -q --console=pipe > "$work/console.log" 2>&1 &
nspawn=$!
pid1=
for _ in $(seq 100); do
  for p in $(pgrep -P "$nspawn" 2>/dev/null); do
    grep -qE '^NSpid:\s+[0-9]+\s+1$' "/proc/$p/status" 2>/dev/null && pid1=$p
  done
  [[ -n $pid1 ]] && break
  sleep 0.1
done
[[ -n $pid1 ]] || { cat "$work/console.log"; echo "boot_test: the container's PID 1 did not appear" >&2; exit 1; }
inside() { nsenter -t "$pid1" --all -- "$@"; }
state=
for _ in $(seq 300); do  # the manager's socket appears a moment after PID 1
  state=$(timeout 60 nsenter -t "$pid1" --all -- systemctl is-system-running --wait 2>/dev/null || true)
  [[ -n $state ]] && break
  sleep 0.1
done
echo "booted: systemd $(inside systemctl --version | head -1 | cut -d' ' -f2), system $state"
[[ $state == running || $state == degraded ]] || { echo "boot_test: boot did not finish ($state)" >&2; exit 1; }
inside systemctl daemon-reload

prop() { inside systemctl show -p "$2" --value "$1"; }
http() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$admin$1"; }
status_json() { curl -s -m 2 "http://$admin/status"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
unit_is() {  # unit_is UNIT ActiveState/ExecMainStatus/Result
  [[ "$(prop "$1" ActiveState)/$(prop "$1" ExecMainStatus)/$(prop "$1" Result)" == "$2" ]]
}
healthy() { [[ $(http /healthz) == 200 ]]; }
wait_for() {  # wait_for SECONDS COMMAND...: until the command succeeds
  local until=$(($(date +%s) + $1)); shift
  while ! "$@"; do (($(date +%s) < until)) || return 1; sleep 0.2; done
}
idle() { [[ $(status_json | json 'd["state"]' 2>/dev/null) == idle ]]; }
reports() { inside "$bin" export -c "$config" --format jsonl 2>/dev/null | grep -c '"report_id"' || true; }
journal_has() { inside journalctl -u nianbao.service --no-pager -o cat | grep -q "$1"; }

# --- Start: READY, health, a refresh stored ------------------------------------------------
check "start returns (Type=notify: READY=1 received)" inside systemctl start nianbao.service
check "active (running)" test "$(prop nianbao.service ActiveState)/$(prop nianbao.service SubState)" = active/running
check "STATUS= sent by the daemon" test -n "$(prop nianbao.service StatusText)"
check "watchdog armed (WatchdogUSec)" test "$(prop nianbao.service WatchdogUSec)" = 1min
check "/healthz 200" test "$(http /healthz)" = 200
check "/readyz 200" test "$(http /readyz)" = 200
check "the start-up refresh finishes" wait_for 60 idle
stored=$(reports)
check "the refresh stored the simulator's 5 reports (export inside: $stored)" test "$stored" = 5
check "last_refresh ok" test "$(status_json | json 'd["last_refresh"]["outcome"]')" = ok

# --- Reload: a good file is taken, a broken one is refused and the old kept ---------------
pid=$(prop nianbao.service MainPID)
check "reload (good configuration)" inside systemctl reload nianbao.service
check "reloaded: generation 2" wait_for 10 sh -c "curl -s -m 2 http://$admin/status | grep -q '\"generation\": 2'"
printf 'portals: [\n  - name: "broken\n' >> "$root$config"
check "reload (broken configuration) is not fatal" inside systemctl reload nianbao.service
check "the broken file is logged (reload_failed)" wait_for 10 journal_has "event=reload_failed"
check "still active, same process, old configuration kept" test "$(prop nianbao.service ActiveState)/$(prop nianbao.service MainPID)/$(status_json | json 'd["config"]["generation"]')" = "active/$pid/2"
check "/healthz 200 after the broken reload" test "$(http /healthz)" = 200
cp "$work/good.yaml" "$root$config"

# --- Stop ---------------------------------------------------------------------------------
t0=$(date +%s)
check "stop" inside systemctl stop nianbao.service
check "stopped cleanly: exit 0" unit_is nianbao.service inactive/0/success
check "within 30 s ($(( $(date +%s) - t0 )) s)" test $(( $(date +%s) - t0 )) -lt 30

# --- kill -9: restarted by systemd, nothing lost -------------------------------------------
check "start again" inside systemctl start nianbao.service
pid=$(prop nianbao.service MainPID)
inside systemctl kill -s KILL nianbao.service
restarted() { local p; p=$(prop nianbao.service MainPID); [[ $p != 0 && $p != "$pid" && $(prop nianbao.service ActiveState) == active ]]; }
check "kill -9: restarted (Restart=on-failure, RestartSec=5s)" wait_for 30 restarted
check "one restart counted (NRestarts)" test "$(prop nianbao.service NRestarts)" = 1
check "/healthz 200 after the restart" wait_for 10 healthy
check "the reports are all there after kill -9" test "$(reports)" = 5

# --- Backfill instances --------------------------------------------------------------------
check "nianbao-backfill@2019-2020 beside the service: queued there, the unit ends" \
  inside systemctl start nianbao-backfill@2019-2020.service
check "the backfill unit ended with exit 0" wait_for 15 unit_is nianbao-backfill@2019-2020.service inactive/0/success
check "the service ran or runs the backfill" wait_for 15 journal_has "mode=backfill"
wait_for 60 idle || true
check "stop the service for a backfill of its own" inside systemctl stop nianbao.service
check "nianbao-backfill@2020-2021 on its own starts" inside systemctl start nianbao-backfill@2020-2021.service
check "and finishes with exit 0" wait_for 60 unit_is nianbao-backfill@2020-2021.service inactive/0/success

# --- The sandbox, as the service's own user in the service's own mount namespace ----------
check "start for the sandbox checks" inside systemctl start nianbao.service
main=$(prop nianbao.service MainPID)
host_pid=
for p in $(pgrep -x nianbao); do grep -qE "^NSpid:.*\s$main$" "/proc/$p/status" && host_pid=$p; done
uid=$(awk '/^Uid:/ {print $2}' "/proc/$host_pid/status")
as_service() { nsenter -t "$host_pid" -m -p -n -i -u -S "$uid" -G "$uid" -- sh -c "$1" 2>/dev/null; }
state_dir=$(prop nianbao.service StateDirectory)
for d in /var/lib/$state_dir /tmp /var/tmp /dev/shm; do
  check "a file written to $d cannot be executed" \
    as_service "cp /bin/true $d/probe && chmod 755 $d/probe && ! $d/probe; r=\$?; rm -f $d/probe; exit \$r"
done
check "the service user writes its state directory" as_service "touch /var/lib/$state_dir/probe && rm /var/lib/$state_dir/probe"
for f in /usr/probe "$(dirname "$config")/probe" /etc/nianbao/probe /etc/probe; do
  check "the service user cannot write $f" as_service "! touch $f"
done
check "stop at the end" inside systemctl stop nianbao.service

echo
if ((failures)); then
  echo "boot_test: $failures check(s) failed; the service's journal:"
  inside journalctl -u nianbao.service -u 'nianbao-backfill@*' --no-pager -o short-iso | tail -40
  exit 1
fi
echo "boot_test: every check passed"
