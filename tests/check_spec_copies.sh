#!/usr/bin/env bash
# The repository's copies of the shared specification equal their sources
# (docs/spec/PROVENANCE.md). Usage: check_spec_copies.sh REPO SHARED
set -u
repo=$1
shared=$2
status=0
check() {
  if ! cmp -s "$repo/$1" "$shared/$2"; then
    echo "differs: $1 (copy of ../shared/$2): copy it again" >&2
    status=1
  fi
}
for f in README.md record.md checks.md formats.md listing.md listing-real.md config.md; do check "docs/spec/$f" "spec/$f"; done
check extract/fields.tsv spec/fields.tsv
check extract/chrome.txt spec/chrome.txt
check examples/portals.d/cn-nianbao-columns.yaml portals/cn-nianbao-columns.yaml
[ $status -eq 0 ] && echo "every copy equals ../shared"
exit $status
