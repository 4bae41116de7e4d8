#!/usr/bin/env bash
# Peak heap of one extraction per page, as a multiple of the page's size
# (goal: under 10x). valgrind massif measures every malloc, Gumbo's and
# poppler's included; the baseline (an empty run) is subtracted.
#   bench/memory_per_page.sh [build/bench/extract_bench] [pages...]
set -euo pipefail
bench=${1:-build/bench/extract_bench}
shift || true
pages=("$@")
[ ${#pages[@]} -gt 0 ] || pages=(tests/data/seeds/*.html tests/data/reports/*.html tests/data/reports/*.pdf tests/data/reports/*.docx)
# A tiny gov2021 page, extracted first in every run, builds the process-wide
# tables (field specs, chrome strings, OpenSSL) so they are not counted as the page's.
warm=$(mktemp --suffix=.html)
printf '<html><body><p>一、总体情况</p><p>本年制发件数</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>' > "$warm"
peak() {  # peak heap bytes of `bench --once FILE WARM`
  local out; out=$(mktemp)
  valgrind --tool=massif --massif-out-file="$out" "$bench" --once "$1" "$warm" >/dev/null 2>&1
  grep -E '^mem_heap_B=' "$out" | cut -d= -f2 | sort -n | tail -1
  rm -f "$out"
}
base=$(peak "$warm")
printf '%-40s %10s %12s %8s\n' page bytes peak_heap ratio
worst=0
for p in "${pages[@]}"; do
  size=$(stat -c %s "$p")
  heap=$(( $(peak "$p") - base ))
  ratio=$(awk -v h="$heap" -v s="$size" 'BEGIN{printf "%.1f", h/s}')
  printf '%-40s %10d %12d %8s\n' "$(basename "$p")" "$size" "$heap" "$ratio"
  worst=$(awk -v a="$worst" -v b="$ratio" 'BEGIN{print (b>a)?b:a}')
done
echo "worst ratio: $worst (baseline heap $base bytes)"
rm -f "$warm"
