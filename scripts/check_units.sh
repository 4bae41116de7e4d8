#!/usr/bin/env bash
# Checks the systemd unit templates in SRC_DIR/systemd against the built binary BIN:
#   - makes concrete copies (bindir = a temp dir holding BIN as "nianbao", sysconfdir = /etc),
#   - `systemd-analyze verify` on nianbao.service and nianbao-backfill@.service (the template and
#     the instance nianbao-backfill@2019-2023.service),
#   - `systemd-analyze security --offline=true --threshold=25` on nianbao.service and the backfill
#     instance: overall exposure at most 2.5 (--threshold counts tenths: 25 = 2.5).
# Exits non-zero on any failure, including a missing systemd-analyze. Run as a ctest test.
# Usage: scripts/check_units.sh BIN SRC_DIR
set -euo pipefail

THRESHOLD=25   # tenths of the exposure scale 0.0-10.0 shown by systemd-analyze security

if [ $# -ne 2 ]; then
  echo "usage: $0 BIN SRC_DIR" >&2
  exit 2
fi
bin=$1
src=$2

fail() { echo "check_units: FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null 2>&1 ||
  fail "systemd-analyze not found in PATH (Debian: apt-get install systemd); the unit files cannot be checked"
[ -x "$bin" ] || fail "$bin is not an executable file (build nianbao first)"
for f in nianbao.service.in nianbao-backfill@.service.in; do
  [ -f "$src/systemd/$f" ] || fail "$src/systemd/$f not found"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-units.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$(realpath "$bin")" "$tmp/bin/nianbao"

export SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat

# Concrete copies, as CMake's configure_file(... @ONLY) would make them.
for u in nianbao.service nianbao-backfill@.service; do
  sed -e "s|@CMAKE_INSTALL_FULL_BINDIR@|$tmp/bin|g" \
      -e "s|@CMAKE_INSTALL_FULL_SYSCONFDIR@|/etc|g" \
      "$src/systemd/$u.in" > "$tmp/$u"
  if grep -nE '@[A-Za-z_][A-Za-z0-9_]*@' "$tmp/$u" >&2; then
    fail "$u.in uses a @VARIABLE@ this check does not substitute"
  fi
done
cp "$tmp/nianbao-backfill@.service" "$tmp/nianbao-backfill@2019-2023.service"

status=0

# verify: systemd 252 exits 0 on unknown keys and unparsable values (it only logs "ignoring"), so
# any message about our units counts as a failure. Messages about other units of this machine
# (dependencies such as network-online.target) are shown but do not fail the check.
for u in nianbao.service nianbao-backfill@.service nianbao-backfill@2019-2023.service; do
  rc=0
  out=$(cd "$tmp" && systemd-analyze verify --man=no "$tmp/$u" 2>&1) || rc=$?
  if [ -n "$out" ]; then printf '%s\n' "$out" | sed "s|^|verify $u: |"; fi
  ours=$(printf '%s\n' "$out" | grep -F -e "$tmp" -e "nianbao" || true)
  if [ "$rc" -ne 0 ] || [ -n "$ours" ]; then
    echo "check_units: FAIL: systemd-analyze verify $u (exit $rc)" >&2
    status=1
  else
    echo "check_units: verify $u: OK"
  fi
done

# security: exit status non-zero when the exposure is above the threshold (it prints nothing
# about it itself).
for u in nianbao.service nianbao-backfill@2019-2023.service; do
  rc=0
  out=$(cd "$tmp" && systemd-analyze security --offline=true --no-pager \
          --threshold="$THRESHOLD" "$tmp/$u" 2>&1) || rc=$?
  # The settings still exposed, then the score line.
  # ("✗ ", or "- " in a non-UTF-8 locale.)
  printf '%s\n' "$out" | grep -E '^(✗|-) ' | sed "s|^|security $u: |" || true
  score=$(printf '%s\n' "$out" | grep -F 'Overall exposure level' || true)
  if [ -z "$score" ]; then
    printf '%s\n' "$out" >&2
    echo "check_units: FAIL: systemd-analyze security $u printed no exposure level (exit $rc)" >&2
    status=1
  elif [ "$rc" -ne 0 ]; then
    echo "$score"
    echo "check_units: FAIL: $u exposure above $((THRESHOLD / 10)).$((THRESHOLD % 10)) (exit $rc)" >&2
    status=1
  else
    echo "$score"
  fi
done

if [ "$status" -eq 0 ]; then echo "check_units: OK"; fi
exit "$status"
