#!/usr/bin/env bash
# Fails if an #include crosses the module layering:
#   daemon -> fetch | extract | store -> config ; sim stands alone.
# fetch, extract and store never include each other or daemon/; config
# includes none of them; extract/ also never includes I/O headers.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
fail=0
check() {  # module, banned include prefixes...
  local mod=$1; shift
  for banned in "$@"; do
    hits=$(grep -rnE "#include +\"$banned/" "$mod" 2>/dev/null)
    if [ -n "$hits" ]; then
      echo "layering violation: $mod/ includes $banned/:"; echo "$hits"; fail=1
    fi
  done
}
check config daemon fetch extract store sim
check fetch daemon extract store
check extract daemon fetch store sim
check store daemon fetch extract sim
check sim daemon fetch extract store config
# extract/ is pure: no files, sockets or clocks.
io=$(grep -rnE "#include +<(fstream|filesystem|curl/|sys/socket|rocksdb/|boost/asio)" extract --include='*.cc' --include='*.h' | grep -v '_test.cc' | grep -v 'test_util.h')
if [ -n "$io" ]; then echo "extract/ must not do I/O:"; echo "$io"; fail=1; fi
[ $fail -eq 0 ] && echo "include layering OK"
exit $fail
